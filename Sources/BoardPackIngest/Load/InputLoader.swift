import BoardPackCore
import Foundation

/// Reads an input folder (see docs/inputs.md) into a `Dataset`, reporting
/// every problem to the log. Only I/O failures throw.
public enum InputLoader {
    /// Progress of the activity files: files done, files in all, bytes done, bytes in all, rows read so far.
    public struct Progress: Sendable {
        public var files: Int
        public var totalFiles: Int
        public var bytes: Int64
        public var totalBytes: Int64
        public var rows: Int
    }

    public static func load(
        folder: String, log: DiagnosticLog, progress: ((Progress) -> Void)? = nil
    ) throws -> Dataset {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError.missingFile(folder)
        }
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        func display(_ name: String) -> String { (displayRoot(folder) as NSString).appendingPathComponent(name) }

        // Organisations first: every other file refers to them.
        guard fm.fileExists(atPath: path("organisations.csv")) else {
            throw InputError.missingFile(display("organisations.csv"))
        }
        let (organisations, rejected, unknownType) = try OrganisationsLoader.load(
            path: path("organisations.csv"), displayPath: display("organisations.csv"), log: log)
        let commissioners = Set(organisations.filter(\.isCommissioner).map(\.code))
            .union(rejected.filter { $0.value }.keys)

        // QIPP: the CSV pair or one XML file.
        let providers = Set(organisations.filter { !$0.isCommissioner }.map(\.code))
            .union(rejected.filter { !$0.value }.keys).union(unknownType)
        var qipp = QippLoader(log: log, commissioners: commissioners, providers: providers)
        let hasCSV = fm.fileExists(atPath: path("qipp_schemes.csv")) || fm.fileExists(atPath: path("qipp_monthly.csv"))
        let hasXML = fm.fileExists(atPath: path("qipp.xml"))
        if hasCSV && hasXML {
            log.error(
                "file.qipp-twice", SourceLocation(file: display("qipp.xml")),
                "QIPP data is given twice, as qipp.xml and as qipp_schemes.csv/qipp_monthly.csv",
                hint: "keep one form")
        } else if hasXML {
            try qipp.readXML(path: path("qipp.xml"), displayPath: display("qipp.xml"))
        } else {
            for name in ["qipp_schemes.csv", "qipp_monthly.csv"] where !fm.fileExists(atPath: path(name)) {
                throw InputError.missingFile(display(name))
            }
            try qipp.readCSV(
                schemesPath: path("qipp_schemes.csv"), schemesDisplay: display("qipp_schemes.csv"),
                monthlyPath: path("qipp_monthly.csv"), monthlyDisplay: display("qipp_monthly.csv"))
        }
        let schemes = qipp.finish()

        // Contract monitoring submissions.
        let activityFolder = path("activity")
        var files: [String] = []
        if fm.fileExists(atPath: activityFolder, isDirectory: &isDirectory), isDirectory.boolValue {
            files = try fm.contentsOfDirectory(atPath: activityFolder).sorted {
                Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
            }
        } else {
            log.warning(
                "file.no-activity", SourceLocation(file: display("activity")),
                "there is no activity/ folder: packs show no contract data")
        }
        let loader = ActivityLoader(log: log, commissioners: commissioners, knownProviders: providers)
        let sizes = files.map { name in
            ((try? fm.attributesOfItem(atPath: (activityFolder as NSString).appendingPathComponent(name)))?[.size]
                as? NSNumber)?.int64Value ?? 0
        }
        var report = Progress(
            files: 0, totalFiles: files.count, bytes: 0, totalBytes: sizes.reduce(0, +), rows: 0)
        var submissions: [Submission] = []
        var aggregates: [[ActivityKey: ActivitySums]] = []
        var ids: [String: String] = [:]
        for (position, name) in files.enumerated() {
            defer {
                report.files += 1
                report.bytes += sizes[position]
                progress?(report)
            }
            let lower = name.lowercased()
            let format: Submission.Format
            if lower.hasSuffix(".csv") {
                format = .csv
            } else if lower.hasSuffix(".xml") {
                format = .xml
            } else {
                if !name.hasPrefix(".") {
                    log.warning(
                        "file.ignored", SourceLocation(file: display("activity/" + name)),
                        "not a .csv or .xml file; ignored")
                }
                continue
            }
            let id = String(name.dropLast(4))
            if let other = ids[id] {
                log.error(
                    "dup.submission", SourceLocation(file: display("activity/" + name)),
                    "two submissions share the name \(id) (also \(other))",
                    hint: "a submission is one file; remove the duplicate form")
                continue
            }
            ids[id] = name
            let result = try loader.load(
                source: .file((activityFolder as NSString).appendingPathComponent(name)),
                displayPath: display("activity/" + name), relativePath: "activity/" + name, id: id, format: format)
            submissions.append(result.submission)
            aggregates.append(result.sums)
            report.rows += result.submission.rowsRead
        }
        let activity = Restatement.resolve(submissions: &submissions, aggregates: aggregates)
        var dataset = Dataset(
            organisations: organisations, schemes: schemes, submissions: submissions, activity: activity)
        if fm.fileExists(atPath: path("finance_ledger.csv")) {
            dataset.ledger = try FinanceLoader.ledger(
                path: path("finance_ledger.csv"), displayPath: display("finance_ledger.csv"),
                commissioners: commissioners, log: log)
        }
        if fm.fileExists(atPath: path("quality_premium.csv")) {
            dataset.qualityPremium = try FinanceLoader.qualityPremium(
                path: path("quality_premium.csv"), displayPath: display("quality_premium.csv"),
                commissioners: commissioners, log: log)
        }
        return dataset
    }

    /// The folder as the analyst named it, without a trailing slash.
    static func displayRoot(_ folder: String) -> String {
        var root = folder
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        return root
    }
}
