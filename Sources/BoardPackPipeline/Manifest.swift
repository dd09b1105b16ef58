import BoardPackAnalysis
import BoardPackCore
import BoardPackPublish
import BoardPackRender
import Foundation

/// `manifest.json`: what a run read and wrote (docs/manifest.md). The only
/// file of a published folder that records a time.
public enum Manifest {
    public static let schemaVersion: Int64 = 1

    public struct Timing: Sendable {
        public var stage: String
        public var seconds: Double
    }

    /// An output file as the manifest records it.
    public struct Output: Sendable {
        public let path: String
        public let bytes: Int64
        public let sha256: String

        public init(_ file: Publisher.File) throws {
            path = file.path
            bytes = Int64(file.contents.count)
            sha256 = try SHA256.hex(file.contents)
        }
    }

    struct Input {
        let role: FileRead.Role
        let path: String
        let bytes: Int64
        let sha256: String
        let rowsRead: Int
        let rowsUsed: Int
        let rowsSuperseded: Int
    }

    /// `SOURCE_DATE_EPOCH` when set (reproducible builds), otherwise now; ISO 8601 UTC.
    public static func generatedAt(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let seconds = environment["SOURCE_DATE_EPOCH"].flatMap(Int64.init) ?? Int64(Date().timeIntervalSince1970)
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String {
            let v = n ?? 0
            return v < 10 ? "0\(v)" : "\(v)"
        }
        return "\(c.year ?? 1970)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
    }

    static func size(_ path: String) -> Int64 {
        Int64(FileReader.size(path) ?? 0)
    }

    /// A file read by the build changed before the manifest could record it.
    public struct InputChanged: Error, CustomStringConvertible, Sendable {
        public let path: String
        public var description: String {
            "\(path): the file changed while the build was reading it; nothing was published "
                + "(run the build again once the file is complete) [file.changed]"
        }
    }

    /// Every input file the build read, with its digest: from `known` (by relative path) when that
    /// digest is of the file as it was read, otherwise worked out here on every core. A file whose
    /// bytes are no longer those that were parsed throws `InputChanged`.
    static func inputs(_ files: [FileRead], dataset: Dataset, known: [String: SHA256.FileDigest] = [:]) throws
        -> [Input]
    {
        var rows: [String: (read: Int, used: Int, superseded: Int)] = [:]
        let months = dataset.schemes.reduce(0) { $0 + $1.months.count }
        rows["organisations"] = (dataset.organisations.count, dataset.organisations.count, 0)
        let n = dataset.schemes.count + months
        rows["qipp"] = (n, n, 0)
        rows["qipp_schemes"] = (dataset.schemes.count, dataset.schemes.count, 0)
        rows["qipp_monthly"] = (months, months, 0)
        rows["finance_ledger"] = (dataset.ledger.count, dataset.ledger.count, 0)
        rows["quality_premium"] = (dataset.qualityPremium.count, dataset.qualityPremium.count, 0)
        for s in dataset.submissions {
            rows[s.path] = (s.rowsRead, s.rowsRead - s.rowsSuperseded, s.rowsSuperseded)
        }
        let digests = IndexedResults<Result<SHA256.FileDigest, Error>>(count: files.count)
        Parallel.forEach(files.count) { i in
            let file = files[i]
            if let digest = known[file.location], digest.matches(file.status) {
                digests.set(i, .success(digest))
            } else {
                digests.set(i, Result { try SHA256.digest(file: file.location) })
            }
        }
        let sha256 = digests.all
        return try files.enumerated().map { i, file in
            let digest = try sha256[i].get()
            guard digest.matches(file.status) else { throw InputChanged(path: file.location) }
            // An input by its name without the extension: `qipp_schemes.csv` or `qipp_schemes.xlsx`.
            let stem = file.path.contains("/") ? file.path : String(file.path.prefix { $0 != "." })
            let counts = (file.role == .data ? rows[file.path] ?? rows[stem] : nil) ?? (0, 0, 0)
            return Input(
                role: file.role, path: file.path, bytes: digest.bytes, sha256: digest.sha256, rowsRead: counts.read,
                rowsUsed: counts.used, rowsSuperseded: counts.superseded)
        }
    }

    /// One digest for a folder of templates: SHA-256 over each file's relative path and digest, in path order.
    static func templatesDigest(_ folder: String) throws -> String {
        if folder == PackRenderer.builtInFolder {
            let lines = try DefaultTemplates.files.map { $0.path + " " + (try SHA256.hex(Data($0.contents.utf8))) }
                .sorted()
            return try SHA256.hex(Data(lines.joined(separator: "\n").utf8))
        }
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return "" }
        var lines = ""
        for case let path as String in enumerator where path.hasSuffix(".mustache") {
            lines += path + " " + (try SHA256.hex(file: folder + "/" + path)) + "\n"
        }
        let sorted = lines.split(separator: "\n").sorted().joined(separator: "\n")
        return try SHA256.hex(Data(sorted.utf8))
    }

    public static func document(
        options: BuildOptions, dataset: Dataset, read: [FileRead], period: FinancialMonth, files: [Output],
        log: DiagnosticLog, timings: [Timing], packs: [PackFigures], inputDigests: [String: SHA256.FileDigest] = [:]
    ) throws -> JSONValue {
        let inputs = try inputs(read, dataset: dataset, known: inputDigests)
        let outputs: [JSONValue] = files.sorted(by: { $0.path < $1.path }).map { file in
            .object([("path", .string(file.path)), ("bytes", .int(file.bytes)), ("sha256", .string(file.sha256))])
        }
        return .object([
            ("schema", .string("boardpack-manifest")),
            ("schema_version", .int(schemaVersion)),
            ("tool", .object([("name", .string("BoardPack")), ("version", .string(BoardPackVersion.current))])),
            ("generated_at", .string(generatedAt())),
            (
                "period",
                .object([
                    ("financial_year", .int(Int64(period.year.acmCode))),
                    ("financial_month", .int(Int64(period.month))),
                    ("calendar_month", .string(period.calendarText)),
                ])
            ),
            ("packs", .array(packs.map { .string($0.code) })),
            (
                "inputs",
                .array(
                    inputs.map { i in
                        .object([
                            ("role", .string(i.role.rawValue)),
                            ("path", .string(i.path)),
                            ("bytes", .int(i.bytes)),
                            ("sha256", .string(i.sha256)),
                            ("rows_read", .int(Int64(i.rowsRead))),
                            ("rows_used", .int(Int64(i.rowsUsed))),
                            ("rows_superseded", .int(Int64(i.rowsSuperseded))),
                        ])
                    })
            ),
            (
                "configuration",
                try options.configPath.map { path in
                    JSONValue.object([("path", .string(path)), ("sha256", .string(try SHA256.hex(file: path)))])
                } ?? .null
            ),
            ("templates_sha256", .string(try templatesDigest(options.templates))),
            ("outputs", .array(outputs)),
            (
                "diagnostics",
                .object([("errors", .int(Int64(log.errorCount))), ("warnings", .int(Int64(log.warningCount)))])
            ),
            (
                "stage_seconds",
                .object(timings.map { ($0.stage, .number(String(format: "%.3f", $0.seconds))) })
            ),
        ])
    }
}
