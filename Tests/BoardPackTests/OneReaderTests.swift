import BoardPackCore
import Foundation
import Testing

@testable import BoardPackIngest

/// The fast path for activity CSV must give exactly what the general path gives — the same lines,
/// submissions and diagnostics — on every input; it may only decline a file.
/// The one reader of contract-monitoring files must read a file the same however it is cut: in
/// one pass, in parts on several threads (boundaries inside quoted fields included), in reads of a
/// few bytes, and framed by `CSVReader` rather than the scanner. Every figure, fact and diagnostic
/// must agree.
@Suite("One reader: every way of reading a file agrees")
struct OneReaderTests {
    /// Everything a read of `bytes` gives, as text.
    static func read(
        _ bytes: [UInt8], format: Submission.Format = .csv, parts: Int = 1, splitBytes: Int = 32 << 20,
        chunkSize: Int = 1 << 20, scanner: Bool = true
    ) -> String {
        let (result, log) = IngestFuzzing.load(
            bytes, format: format, parts: parts, splitBytes: splitBytes, chunkSize: chunkSize, scanner: scanner)
        guard let result else { return "no result\n" + log.joined(separator: "\n") }
        let s = result.submission
        return "\(s.rowsRead) \(s.created ?? "-") \(s.latestPeriod.map { "\($0)" } ?? "-") "
            + "\(s.latestPeriodLocation.map { "\($0)" } ?? "-") \(s.providers)\n"
            + result.cells.map { cell in
                let sums = cell.sums
                return "\(cell.key) planned \(sums.plannedActivity) actual \(sums.actualActivity) "
                    + "£ \(sums.plannedPrice) \(sums.actualPrice) rows: \(sums.rows)"
            }.joined(separator: "\n") + "\n" + log.joined(separator: "\n")
    }

    /// Reads `text` every way and expects the same each time; returns the one-pass reading.
    @discardableResult
    static func compare(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        let bytes = Array(text.utf8)
        let whole = read(bytes)
        #expect(read(bytes, scanner: false) == whole, "framed by CSVReader", sourceLocation: sourceLocation)
        for parts in [2, 3, 7] {
            #expect(read(bytes, parts: parts, splitBytes: 1) == whole, "\(parts) parts", sourceLocation: sourceLocation)
        }
        for chunkSize in [1, 7, 64] {
            #expect(
                read(bytes, chunkSize: chunkSize) == whole, "\(chunkSize)-byte reads", sourceLocation: sourceLocation)
            #expect(
                read(bytes, parts: 3, splitBytes: 1, chunkSize: chunkSize) == whole,
                "3 parts, \(chunkSize)-byte reads", sourceLocation: sourceLocation)
        }
        return whole
    }

    /// The small fixture with `files` laid over it.
    static func folder(_ files: [String: String]) throws -> String {
        let inputs = try TestSupport.temporaryFolder("fast") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        for (name, text) in files { _ = try TestSupport.write(text, as: name, in: inputs) }
        return inputs
    }

    @Test("Every submission of the shipped sample and the small fixtures")
    func fixtures() throws {
        for folder in [TestSupport.root + "/inputs", TestSupport.fixture("small")] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/activity").sorted()
            where name.hasSuffix(".csv") {
                let text = try String(contentsOfFile: folder + "/activity/" + name, encoding: .utf8)
                let whole = Self.compare(text)
                #expect(whole.hasPrefix("no result") == false, "\(name)")
            }
        }
    }

    @Test("Every activity file of the bad-input corpus", arguments: BadInputTests.cases)
    func corpus(name: String) throws {
        let files = BadInputTests.corpus + "/" + name + "/files"
        for relative in TestSupport.files(under: files)
        where relative.hasPrefix("activity/") && relative.hasSuffix(".csv") {
            let bytes = try #require(FileManager.default.contents(atPath: files + "/" + relative))
            Self.compare(String(decoding: bytes, as: UTF8.self))
        }
    }

    static let header =
        "financial_year,financial_month,commissioner_code,provider_code,pod,tfc,planned_activity,actual_activity,"
        + "planned_price,actual_price,date_and_time_data_set_created,local_contract_code"

    @Test(
        "Variants of well-formed and nearly well-formed files",
        arguments: [
            // Rows repeating the previous row's key, then one that differs only after it, one whose
            // TFC starts the same, and one with the key in lower case.
            "202627,1,00A,RXX,EL,100,1,2,10,20,,LC1\n202627,1,00A,RXX,EL,100,3,4,1,2,,LC2\n202627,1,00A,RXX,EL,101,1,2,10,20,,LC1\n202627,1,00A,RXX,EL,1000,1,2,10,20,,LC1\n202627,1,00a,rxx,el,100,1,2,10,20,,LC3\n",
            // Finer grain: two local contracts of one cell are added.
            "202627,1,00A,RXX,EL,100,1,2,10.5,20.25,2026-05-01T09:00:00,LC1\n202627,1,00A,RXX,EL,100,3,4,1,2,2026-05-01T09:00:00,LC2\n",
            // The same contract line twice (an error from the general path).
            "202627,1,00A,RXX,EL,100,1,2,10,20,2026-05-01T09:00:00,LC1\n202627,1,00A,RXX,EL,100,3,4,1,2,2026-05-01T09:00:00,LC1\n",
            // CRLF line ends, a blank line, no line end at the end of the file, lower-case codes.
            "202627,1,00a,rxx,el,100,1,2,10,20,2026-05-01 09:00:00,\r\n\r\n202627,2,00A,RXX,EL,100,1,2,10,20,2026-06-01,-",
            // Numbers the fast path leaves to the general path: thousands, £, brackets, three decimals.
            "202627,1,00A,RXX,EL,100,\"1,000\",2,£10,(20),2026-05-01T09:00:00,\n202627,2,00A,RXX,EL,100,1.125,2,10,20,,\n",
            // An unknown POD (a warning), a negative, a lone CR, a tab.
            "202627,1,00A,RXX,ZZZ,100,1,2,10,20,,\n202627,2,00A,RXX,EL,100,-1,2,10,20,,\r202627,3,00A,RXX,EL,100,1\t,2,10,20,,\n",
            // A timestamp that is not one, then a good row.
            "202627,1,00A,RXX,EL,100,1,2,10,20,yesterday,\n202627,2,00A,RXX,EL,100,1,2,10,20,2026-06-01T00:00:00,\n",
            // A short row and a long one.
            "202627,1,00A,RXX,EL,100,1,2,10,20\n202627,2,00A,RXX,EL,100,1,2,10,20,,,\n",
            // No rows at all, and only blank lines.
            "", "\n\n\r\n",
            // The same local contract written in two cases: one contract line, twice.
            "202627,1,00A,RXX,EL,100,1,2,10,20,,lc1\n202627,1,00A,RXX,EL,100,1,2,10,20,,LC1\n",
            // A code of sixteen characters and one of seventeen.
            "202627,1,00A,RXX,EL,100,1,2,10,20,,ABCDEFGHIJKLMNOP\n202627,2,00A,RXX,EL,100,1,2,10,20,,ABCDEFGHIJKLMNOPQ\n",
        ])
    func variants(body: String) throws {
        Self.compare(Self.header + "\n" + body)
        // The same quoted throughout, with CRLF line ends: the same figures.
        let quoted = Self.quoteAll(Self.header + "\n" + body).replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
        #expect(Self.cells(Self.compare(quoted)) == Self.cells(Self.read(Array((Self.header + "\n" + body).utf8))))
    }

    /// The figures of a reading (its first lines), without the diagnostics.
    static func cells(_ reading: String) -> [Substring] {
        reading.split(separator: "\n").filter { !$0.contains(": error: ") && !$0.contains(": warning: ") }
    }

    /// Every field of well-formed unquoted CSV quoted (fields holding a quote left as they are).
    static func quoteAll(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var cr = ""
            var body = line
            if body.hasSuffix("\r") {
                cr = "\r"
                body = body.dropLast()
            }
            // Blank lines, fields holding a quote and lone CR line ends are left as they are.
            if body.isEmpty || body.contains("\"") || body.contains("\r") { return String(line) }
            return body.split(separator: ",", omittingEmptySubsequences: false).map { "\"\($0)\"" }
                .joined(separator: ",") + cr
        }.joined(separator: "\n")
    }

    @Test("Columns in schema order without a local contract code, and in another order")
    func layouts() throws {
        let eleven = Self.header.replacingOccurrences(of: ",local_contract_code", with: "")
        let rows = "202627,1,00A,RXX,EL,100,1,2,10,20,2026-05-01T09:00:00\n202627,2,00A,RXX,EL,100,1,2,10,20,\n"
        Self.compare(eleven + "\n" + rows)
        // A twelfth value in an eleven-column file.
        Self.compare(eleven + "\n" + rows + "202627,3,00A,RXX,EL,100,1,2,10,20,,X\n")
        // The same values with the month last.
        let moved =
            "financial_year,commissioner_code,provider_code,pod,tfc,planned_activity,actual_activity,"
            + "planned_price,actual_price,date_and_time_data_set_created,financial_month\n"
            + "202627,00A,RXX,EL,100,1,2,10,20,2026-05-01T09:00:00,1\n202627,00A,RXX,EL,100,1,2,10,20,,2\n"
        Self.compare(moved)
    }

    static func xml(_ lines: [[String: String]]) -> String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<ContractMonitoringSubmission xmlns=\"urn:boardpack:contract-monitoring:1\">\n"
        let base = [
            "financial_year": "202627", "financial_month": "1",
            "organisation_identifier_code_of_commissioner": "00A", "organisation_identifier_code_of_provider": "RXX",
            "point_of_delivery_code": "EL", "activity_treatment_function_code": "100",
            "contract_monitoring_planned_activity": "1", "contract_monitoring_actual_activity": "2",
            "contract_monitoring_planned_price": "10.50", "contract_monitoring_actual_price": "20",
            "date_and_time_data_set_created": "2026-05-01T09:00:00",
        ]
        for changes in lines {
            text += "  <Line>\n"
            for (name, value) in base.merging(changes, uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
                text += "    <\(name)>\(value)</\(name)>\n"
            }
            text += "  </Line>\n"
        }
        return text + "</ContractMonitoringSubmission>\n"
    }

    @Test(
        "XML records give the figures the same lines give as CSV",
        arguments: [
            [["local_contract_code": "LC1"], ["local_contract_code": "LC2"], ["financial_month": "2"]],
            [
                ["financial_month": "2"], ["contract_monitoring_actual_price": "£1,020.10"], ["financial_month": "3"],
                ["contract_monitoring_actual_activity": "4", "financial_month": "4"],
            ],
            [
                ["organisation_identifier_code_of_commissioner": "00B"],
                ["financial_month": "2", "date_and_time_data_set_created": "2026-06-01 10:00:00"],
            ],
            [["contract_monitoring_planned_activity": " 3 "], ["date_and_time_data_set_created": ""]],
        ])
    func xmlVariants(lines: [[String: String]]) throws {
        let names = [
            "financial_year", "financial_month", "organisation_identifier_code_of_commissioner",
            "organisation_identifier_code_of_provider", "point_of_delivery_code", "activity_treatment_function_code",
            "contract_monitoring_planned_activity", "contract_monitoring_actual_activity",
            "contract_monitoring_planned_price", "contract_monitoring_actual_price", "date_and_time_data_set_created",
            "local_contract_code",
        ]
        let base = [
            "financial_year": "202627", "financial_month": "1",
            "organisation_identifier_code_of_commissioner": "00A", "organisation_identifier_code_of_provider": "RXX",
            "point_of_delivery_code": "EL", "activity_treatment_function_code": "100",
            "contract_monitoring_planned_activity": "1", "contract_monitoring_actual_activity": "2",
            "contract_monitoring_planned_price": "10.50", "contract_monitoring_actual_price": "20",
            "date_and_time_data_set_created": "2026-05-01T09:00:00", "local_contract_code": "",
        ]
        let csv =
            names.joined(separator: ",") + "\n"
            + lines.map { changes in
                names.map { "\"" + (changes[$0] ?? base[$0]!) + "\"" }.joined(separator: ",")
            }.joined(separator: "\n") + "\n"
        let xml = Self.read(Array(Self.xml(lines).utf8), format: .xml)
        #expect(Self.cells(xml).dropFirst() == Self.cells(Self.compare(csv)).dropFirst())
        #expect(Self.cells(xml).count > 1)
    }

    @Test("Rows of a cell add up, and creation times that differ only slightly are each seen")
    func repeatsAndNearRepeats() throws {
        let near =
            Self.header + "\n"
            + [
                "00A,RXX,EL,100,1,2,10,20,2026-05-01T09:00:00,LC1", "00A,RXX,EL,100,1,2,10,20,2026-05-01T09:00:01,LC2",
                "00A,RXX,EL,101,1,2,10,20,1026-05-01T09:00:01,LC1", "00A,RXX,EL,101,1,2,10,20,2026-05-01,LC2",
                "00A,RXX,EL,110,1,2,10,20,2026-05-01T09:00:00.5,LC1",
                "00A,RXX,EL,110,1,2,10,20,2026-05-01T09:00:00.5,LC2",
                "00A,RXX,OPFASPCL,100,1,2,10,20,2026-05-02T09:00:00,LC1",
            ].map { "202627,1," + $0 + "\n" }.joined()
        let reading = Self.compare(near)
        #expect(reading.hasPrefix("7 2026-05-02T09:00:00 "))
        #expect(Self.cells(reading).dropFirst().map { $0.contains("rows: 2") } == [true, true, true, false])
        let later = near.replacingOccurrences(of: "2026-05-02T09:00:00", with: "2026-05-01T09:00:00.5")
        #expect(Self.compare(later).hasPrefix("7 2026-05-01T09:00:01 "))
    }
}

@Suite("The latest-submission rule as submissions arrive")
struct RestatementStoreTests {
    static func submission(_ id: String, created: String?, latest: Int) -> Submission {
        Submission(
            id: id, path: "activity/\(id).csv", format: .csv, created: created,
            latestPeriod: FinancialMonth(year: .init(startYear: 2026), month: latest), providers: [ShortCode("RXX")!],
            rowsRead: 0)
    }

    static func cell(_ commissioner: String, month: Int, pod: String, actual: Int64, rows: Int = 1) -> ActivityCell {
        ActivityCell(
            key: ActivityKey(
                commissioner: ShortCode(commissioner)!, provider: ShortCode("RXX")!, pointOfDelivery: ShortCode(pod)!,
                treatmentFunction: ShortCode("100")!, period: FinancialMonth(year: .init(startYear: 2026), month: month)
            ),
            sums: ActivitySums(
                plannedActivity: .zero, actualActivity: Quantity(hundredths: actual), plannedPrice: .zero,
                actualPrice: .zero, rows: rows))
    }

    @Test("Every order of arrival gives the same lines and superseded counts")
    func orderOfArrival() {
        // M01 holds M1; M02 restates M1 and adds M2; M03 restates both but only for 00A.
        let submissions = [
            Self.submission("RXX-M01", created: "2026-05-14T09:00:00", latest: 1),
            Self.submission("RXX-M02", created: "2026-06-14T09:00:00", latest: 2),
            Self.submission("RXX-M03", created: "2026-07-14T09:00:00", latest: 3),
        ]
        let cells = [
            [Self.cell("00A", month: 1, pod: "EL", actual: 100), Self.cell("00B", month: 1, pod: "EL", actual: 7)],
            [
                Self.cell("00A", month: 1, pod: "EL", actual: 110), Self.cell("00A", month: 2, pod: "EL", actual: 120),
                Self.cell("00B", month: 1, pod: "EL", actual: 8, rows: 2),
            ],
            [Self.cell("00A", month: 1, pod: "EL", actual: 111), Self.cell("00A", month: 2, pod: "NEL", actual: 5)],
        ]
        var results: [[ActivityLine]] = []
        var counts: [[Int]] = []
        for order in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            let store = RestatementStore()
            for i in order { store.add(index: i, submission: submissions[i], cells: cells[i]) }
            var list = submissions
            results.append(store.finish(submissions: &list))
            counts.append(list.map(\.rowsSuperseded))
        }
        #expect(results.allSatisfy { $0 == results[0] })
        #expect(counts.allSatisfy { $0 == counts[0] })
        // 00A M1 and M2 from M03 (its M2 holds only NEL), 00B M1 from M02.
        #expect(
            results[0].map {
                "\($0.key.commissioner) M\($0.key.period.month) \($0.key.pointOfDelivery) \($0.submission)"
            }
                == ["00A M1 EL 2", "00A M2 NEL 2", "00B M1 EL 1"])
        #expect(counts[0] == [2, 2, 0])
    }
}

@Suite("A large file read in parts")
struct SplitReadTests {
    static func file(_ rows: [String], name: String = "big.csv") throws -> String {
        try TestSupport.write(OneReaderTests.header + "\r\n" + rows.joined(separator: "\r\n") + "\r\n", as: name)
    }

    /// Everything reading the file at `path` gives, as text.
    static func read(_ path: String, parts: Int, chunkSize: Int = 1 << 20) throws -> String {
        let log = DiagnosticLog(maxErrors: 1_000)
        var loader = ActivityLoader(
            log: log, commissioners: [ShortCode("00A")!, ShortCode("00B")!], knownProviders: [ShortCode("RXX")!])
        loader.parts = parts
        loader.splitBytes = 1_000
        loader.chunkSize = chunkSize
        let result = try loader.load(
            source: .file(path), displayPath: "big.csv", relativePath: "activity/big.csv", id: "big", format: .csv)
        let s = result.submission
        return "\(s.rowsRead) \(s.created ?? "-") \(s.latestPeriod.map { "\($0)" } ?? "-") "
            + "\(s.latestPeriodLocation.map { "\($0)" } ?? "-") \(s.providers)\n"
            + result.cells.map { cell in
                let sums = cell.sums
                return "\(cell.key) planned \(sums.plannedActivity) actual \(sums.actualActivity) "
                    + "£ \(sums.plannedPrice) \(sums.actualPrice) rows: \(sums.rows)"
            }.joined(separator: "\n") + "\n"
            + log.sorted.map(\.description).joined(separator: "\n")
    }

    static var rows: [String] {
        // 600 rows: two commissioners, three PODs, months 1 to 12, two local contracts per cell,
        // the later timestamp and the latest month in the middle of the file; an unlisted TFC
        // (a warning once per file) in every part.
        var rows: [String] = []
        for i in 0..<300 {
            let month = i % 12 + 1
            let pod = ["EL", "NEL", "OPFA"][i / 12 % 3]
            let commissioner = i % 7 == 0 ? "00B" : "00A"
            let created = i == 150 ? "2026-06-01T10:00:00" : "2026-05-01T09:00:00"
            let tfc = i % 50 == 0 ? "LOC" : "\(100 + i / 36)"
            for contract in ["LC1", "LC2"] {
                rows.append(
                    "202627,\(month),\(commissioner),RXX,\(pod),\(tfc),\(i).5,\(i),\(i * 3).25,\(i * 2),\(created),\(contract)"
                )
            }
        }
        return rows
    }

    @Test("Parts give exactly what one pass gives, reads of any size, with or without a byte order mark")
    func sameAsOnePass() throws {
        let path = try Self.file(Self.rows)
        let whole = try Self.read(path, parts: 1)
        #expect(whole.hasPrefix("600 2026-06-01T10:00:00 "))
        #expect(whole.contains("code.unknown-tfc"))
        let bom = try TestSupport.write("\u{FEFF}" + (try String(contentsOfFile: path, encoding: .utf8)), as: "bom.csv")
        for file in [path, bom] {
            for parts in [1, 2, 3, 7] {
                for chunkSize in [1, 7, 64, 1 << 20] {
                    #expect(
                        try Self.read(file, parts: parts, chunkSize: chunkSize) == whole,
                        "\(parts) parts, \(chunkSize) bytes")
                }
            }
        }
    }

    @Test("Quoted fields holding line breaks and commas, with parts split inside them")
    func splitsInsideQuotes() throws {
        // Every row's local contract code holds a comma and a line break (a description, in
        // practice); part boundaries fall inside such fields.
        let rows = Self.rows.map { $0.replacingOccurrences(of: ",LC", with: ",\"local,\r\ncontract ") + "\"" }
        let path = try Self.file(rows, name: "quoted.csv")
        let whole = try Self.read(path, parts: 1)
        let plain = try Self.read(try Self.file(Self.rows), parts: 1)
        // The same figures as the file without the quoted text; the lines differ, two per row.
        #expect(OneReaderTests.cells(whole).dropFirst() == OneReaderTests.cells(plain).dropFirst())
        for parts in [2, 3, 5, 7, 11] {
            #expect(try Self.read(path, parts: parts, chunkSize: 64) == whole, "\(parts) parts")
        }
    }

    @Test("A row repeated across parts adds up")
    func repeatedAcrossParts() throws {
        var rows = Self.rows
        rows.append(rows[0])  // the first row again, at the end: one more row of that cell
        let path = try Self.file(rows)
        let split = try Self.read(path, parts: 3)
        #expect(split == (try Self.read(path, parts: 1)))
        #expect(split.hasPrefix("601 "))
    }
}

@Suite("Inputs the fuzzer found")
struct FuzzRegressionTests {
    @Test("Each file in Tests/FuzzCorpus/regressions reads the same every way")
    func regressions() throws {
        let folder = TestSupport.root + "/Tests/FuzzCorpus/regressions"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(!names.isEmpty)
        for name in names where name.hasPrefix("csv-") {
            let bytes = try #require(FileManager.default.contents(atPath: folder + "/" + name))
            let whole = OneReaderTests.read([UInt8](bytes))
            let parts = 2 + bytes.count % 5
            #expect(
                OneReaderTests.read([UInt8](bytes), parts: parts, splitBytes: 1, chunkSize: 1 + bytes.count % 7)
                    == whole,
                "\(name)")
            #expect(OneReaderTests.read([UInt8](bytes), scanner: false) == whole, "\(name)")
        }
    }
}
