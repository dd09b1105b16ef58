import BoardPackCore
import Foundation
import Testing

@testable import BoardPackIngest

/// The fast path for activity CSV must give exactly what the general path gives — the same lines,
/// submissions and diagnostics — on every input; it may only decline a file.
@Suite("Fast path and general path agree")
struct FastPathTests {
    static func compare(_ folder: String) throws {
        let fastLog = DiagnosticLog()
        let slowLog = DiagnosticLog()
        let fast = try InputLoader.load(folder: folder, log: fastLog, fastPath: true)
        let slow = try InputLoader.load(folder: folder, log: slowLog, fastPath: false)
        #expect(fast.activity == slow.activity)
        #expect(fast.submissions == slow.submissions)
        #expect(fastLog.sorted.map(\.description) == slowLog.sorted.map(\.description))
    }

    /// The small fixture with `files` laid over it.
    static func folder(_ files: [String: String]) throws -> String {
        let inputs = try TestSupport.temporaryFolder("fast") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        for (name, text) in files { _ = try TestSupport.write(text, as: name, in: inputs) }
        return inputs
    }

    @Test("The shipped sample and the small fixture")
    func fixtures() throws {
        try Self.compare(TestSupport.root + "/inputs")
        try Self.compare(TestSupport.fixture("small"))
        try Self.compare(TestSupport.fixture("small-xml"))
    }

    @Test("Every case of the bad-input corpus", arguments: BadInputTests.cases)
    func corpus(name: String) throws {
        let inputs = try TestSupport.temporaryFolder("fast") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        let files = BadInputTests.corpus + "/" + name + "/files"
        for relative in TestSupport.files(under: files) {
            try? FileManager.default.removeItem(atPath: inputs + "/" + relative)
            try FileManager.default.createDirectory(
                atPath: ((inputs + "/" + relative) as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: files + "/" + relative, toPath: inputs + "/" + relative)
        }
        try Self.compare(inputs)
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
        try Self.compare(try Self.folder(["activity/RXX-M03.csv": Self.header + "\n" + body]))
    }

    @Test("Columns in schema order without a local contract code, and in another order")
    func layouts() throws {
        let eleven = Self.header.replacingOccurrences(of: ",local_contract_code", with: "")
        let rows = "202627,1,00A,RXX,EL,100,1,2,10,20,2026-05-01T09:00:00\n202627,2,00A,RXX,EL,100,1,2,10,20,\n"
        try Self.compare(try Self.folder(["activity/RXX-M03.csv": eleven + "\n" + rows]))
        // A twelfth value in an eleven-column file.
        try Self.compare(
            try Self.folder(["activity/RXX-M03.csv": eleven + "\n" + rows + "202627,3,00A,RXX,EL,100,1,2,10,20,,X\n"]))
        // The same values with the month last.
        let moved =
            "financial_year,commissioner_code,provider_code,pod,tfc,planned_activity,actual_activity,"
            + "planned_price,actual_price,date_and_time_data_set_created,financial_month\n"
            + "202627,00A,RXX,EL,100,1,2,10,20,2026-05-01T09:00:00,1\n202627,00A,RXX,EL,100,1,2,10,20,,2\n"
        try Self.compare(try Self.folder(["activity/RXX-M03.csv": moved]))
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
        "XML records: the general path takes over from the first record that is not plain",
        arguments: [
            // Plain throughout, finer grain added.
            [["local_contract_code": "LC1"], ["local_contract_code": "LC2"], ["financial_month": "2"]],
            // A row of a cell already seen, with the same local code: it adds up like any other.
            [["local_contract_code": "LC1"], ["financial_month": "2"], ["local_contract_code": "LC1"]],
            // Money with a £ and a thousands separator in the middle, a negative at the end.
            [
                ["financial_month": "2"], ["contract_monitoring_actual_price": "£1,020.10"], ["financial_month": "3"],
                ["contract_monitoring_actual_activity": "-4", "financial_month": "4"],
            ],
            // An unknown commissioner, then a later timestamp.
            [
                ["organisation_identifier_code_of_commissioner": "00Z"],
                ["financial_month": "2", "date_and_time_data_set_created": "2026-06-01 10:00:00"],
            ],
            // Spaces around a value and a blank created.
            [["contract_monitoring_planned_activity": " 3 "], ["date_and_time_data_set_created": ""]],
        ])
    func xmlVariants(lines: [[String: String]]) throws {
        let inputs = try Self.folder([:])
        try FileManager.default.removeItem(atPath: inputs + "/activity")
        _ = try TestSupport.write(Self.xml(lines), as: "activity/RXX-M03.xml", in: inputs)
        try Self.compare(inputs)
    }

    @Test("The fast path reads the shipped CSV and declines what it does not handle")
    func declines() throws {
        let fast = ActivityFastPath(
            commissioners: [ShortCode("00A")!], knownProviders: [ShortCode("RXX")!])
        let good = try TestSupport.write(
            Self.header + "\n202627,1,00A,RXX,EL,100,1,2,10.5,20.25,2026-05-01T09:00:00,LC1\n", as: "good.csv")
        let read = try #require(try fast.read(path: good))
        #expect(read.rows == 1 && read.cells.count == 1)
        #expect(read.cells[0].sums.plannedPrice == Money(pence: 1050))
        // Rows repeating their key (finer grain) are read on the fast path and added into one cell.
        let repeated = try TestSupport.write(
            Self.header + "\n202627,1,00A,RXX,EL,100,1,2,10,20,,LC1\n202627,1,00A,RXX,EL,100,3,4,1,2,,LC2\n"
                + "202627,2,00A,RXX,EL,100,5,6,7,8,,LC1\n", as: "repeated.csv")
        let cells = try #require(try fast.read(path: repeated))
        #expect(cells.rows == 3 && cells.cells.count == 2)
        #expect(cells.cells[0].sums.plannedPrice == Money(pence: 1100) && cells.cells[0].sums.rows == 2)
        #expect(cells.cells[1].sums.actualPrice == Money(pence: 800) && cells.cells[1].key.period.month == 2)
        // Creation times and keys that differ from the previous row's only in their last byte, their
        // first, or their length (each compared eight bytes at a time): still read on the fast path,
        // each change seen.
        let near =
            Self.header + "\n"
            + [
                "00A,RXX,EL,100,1,2,10,20,2026-05-01T09:00:00,LC1", "00A,RXX,EL,100,1,2,10,20,2026-05-01T09:00:01,LC2",
                "00A,RXX,EL,101,1,2,10,20,1026-05-01T09:00:01,LC1", "00A,RXX,EL,101,1,2,10,20,2026-05-01,LC2",
                "00A,RXX,EL,110,1,2,10,20,2026-05-01T09:00:00.5,LC1",
                "00A,RXX,EL,110,1,2,10,20,2026-05-01T09:00:00.5,LC2",
                "00A,RXX,OPFASPCL,100,1,2,10,20,2026-05-02T09:00:00,LC1",
            ].map { "202627,1," + $0 + "\n" }.joined()
        let nearRead = try #require(try fast.read(path: try TestSupport.write(near, as: "near.csv")))
        #expect(nearRead.rows == 7 && nearRead.cells.count == 4)
        #expect(nearRead.created == "2026-05-02T09:00:00")
        #expect(nearRead.cells.map(\.sums.rows) == [2, 2, 2, 1])
        try Self.compare(try Self.folder(["activity/RXX-M03.csv": near]))
        let noSecondChange = near.replacingOccurrences(of: "2026-05-02T09:00:00", with: "2026-05-01T09:00:00.5")
        let secondRead = try #require(try fast.read(path: try TestSupport.write(noSecondChange, as: "near2.csv")))
        #expect(secondRead.created == "2026-05-01T09:00:01")
        try Self.compare(try Self.folder(["activity/RXX-M03.csv": noSecondChange]))
        for bad in [
            "202627,1,00A,RXX,EL,100,1,2,\"10\",20,,\n", "202627,1,00B,RXX,EL,100,1,2,10,20,,\n",
            "202627,1,00A,RXX,EL,100,1,2,10.555,20,,\n", "202627,1,00A,RXX,EL,100,1,2,£10,20,,\n",
        ] {
            let path = try TestSupport.write(Self.header + "\n" + bad, as: "bad.csv")
            #expect(try fast.read(path: path) == nil, "\(bad)")
        }
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

@Suite("A large plain file read in parts")
struct SplitReadTests {
    static func file(_ rows: [String]) throws -> String {
        try TestSupport.write(FastPathTests.header + "\r\n" + rows.joined(separator: "\r\n") + "\r\n", as: "big.csv")
    }

    static func reader(parts: Int) -> ActivityFastPath {
        var reader = ActivityFastPath(
            commissioners: [ShortCode("00A")!, ShortCode("00B")!], knownProviders: [ShortCode("RXX")!])
        reader.parts = parts
        reader.splitBytes = 1_000
        return reader
    }

    static func summary(_ o: ActivityFastPath.Output?) -> String? {
        guard let o else { return nil }
        let cells = o.cells.map { "\($0.key) \($0.sums)" }.joined(separator: "\n")
        return
            "\(o.rows) \(o.created ?? "-") \(o.latest ?? -1) \(o.latestLine):\(o.latestColumn) \(o.providers.sorted())\n"
            + cells
    }

    static var rows: [String] {
        // 600 rows: two commissioners, three PODs, months 1 to 12, two local contracts per cell,
        // the later timestamp and the latest month in the middle of the file.
        var rows: [String] = []
        for i in 0..<300 {
            let month = i % 12 + 1
            let pod = ["EL", "NEL", "OPFA"][i / 12 % 3]
            let commissioner = i % 7 == 0 ? "00B" : "00A"
            let created = i == 150 ? "2026-06-01T10:00:00" : "2026-05-01T09:00:00"
            for contract in ["LC1", "LC2"] {
                rows.append(
                    "202627,\(month),\(commissioner),RXX,\(pod),\(100 + i / 36),\(i).5,\(i),\(i * 3).25,\(i * 2),\(created),\(contract)"
                )
            }
        }
        return rows
    }

    @Test("Parts give exactly what one pass gives")
    func sameAsOnePass() throws {
        let path = try Self.file(Self.rows)
        let whole = Self.summary(try Self.reader(parts: 1).read(path: path))
        #expect(whole != nil)
        for parts in [2, 3, 7] {
            #expect(Self.summary(try Self.reader(parts: parts).read(path: path)) == whole, "\(parts) parts")
        }
    }

    @Test("Reads of any size, with or without a byte order mark, give exactly what one read gives")
    func readSizes() throws {
        let path = try Self.file(Self.rows)
        let whole = Self.summary(try Self.reader(parts: 1).read(path: path))
        #expect(whole != nil)
        let bom = try TestSupport.write(
            "\u{FEFF}" + (try String(contentsOfFile: path, encoding: .utf8)), as: "bom.csv")
        for file in [path, bom] {
            for parts in [1, 2] {
                // 1 byte: every line is longer than the buffer, which grows; 7 and 64: lines cut by reads.
                for chunkSize in [1, 7, 64, 1 << 20] {
                    var reader = Self.reader(parts: parts)
                    reader.chunkSize = chunkSize
                    #expect(Self.summary(try reader.read(path: file)) == whole, "\(parts) parts, \(chunkSize) bytes")
                }
            }
        }
    }

    @Test("A row repeated across parts adds up; a quote in a later part sends the file to the general path")
    func declines() throws {
        var rows = Self.rows
        rows.append(rows[0])  // the first row again, at the end: one more row of that cell
        let path = try Self.file(rows)
        let split = try #require(try Self.reader(parts: 3).read(path: path))
        let whole = try #require(try Self.reader(parts: 1).read(path: path))
        #expect(split.rows == Self.rows.count + 1)
        #expect(split.cells.map { "\($0.key) \($0.sums)" } == whole.cells.map { "\($0.key) \($0.sums)" })
        rows = Self.rows
        rows[500] = rows[500].replacingOccurrences(of: ",LC1", with: ",\"LC1\"")
        #expect(try Self.reader(parts: 3).read(path: try Self.file(rows)) == nil)
    }
}
