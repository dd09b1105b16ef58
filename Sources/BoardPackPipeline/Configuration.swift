import BoardPackAnalysis
import BoardPackCore
import BoardPackIngest
import Foundation

/// The configuration file (`boardpack.toml`): a small, strict subset of TOML
/// — `[tables]`, `key = value` with integers, booleans and quoted strings, and
/// `#` comments. Every key is documented in docs/configuration.md; an unknown
/// table or key, a repeated key or a bad value is a located error (exit 2).
public enum Configuration {
    public static let fileName = "boardpack.toml"

    /// The file `boardpack init` writes: every setting at its default, explained.
    public static let defaultText = """
        # BoardPack configuration. Every setting is shown at its default; delete a line
        # to keep the default. Reference: docs/configuration.md.

        [rag]
        # A scheme in the plan (approved, implementing or delivered) is rated on its
        # year-to-date delivery: YTD actual saving as a percentage of YTD phased plan.
        # Green at or above this percentage:
        green_at_percent = 95
        # Amber at or above this percentage (and below green); red below it:
        amber_at_percent = 80
        # true: where the tracker gives a scheme a rag_status, use it instead of the
        # computed rating (the pack says which was used). false: always compute.
        use_reported_rag = false
        # The executive summary rates contract spend green within plan, amber while over
        # plan by at most this percentage of the YTD plan, and red beyond it:
        contract_tolerance_percent = 2

        [risk_adjustment]
        # The percentage of a scheme's unrealised saving (forecast outturn less YTD
        # actual) that the plan still counts on, by RAG rating. Local policy: there
        # is no national standard. Schemes not yet rated count at the green rate.
        green_percent = 100
        amber_percent = 50
        red_percent = 25

        [business_rules]
        # Percentages of programme allocation (planning guidance; they change year to year).
        # The surplus the commissioner must deliver:
        surplus_percent = 1.0
        # The non-recurrent (transformation) reserve to hold:
        non_recurrent_reserve_percent = 2.0
        # The contingency to hold:
        contingency_percent = 0.5

        [allowances]
        # Running-cost ("management") allowance per head of registered population, in pounds;
        # an organisation's running_cost_allowance_gbp, when given, is used instead.
        running_cost_per_head_gbp = 25
        # Quality Premium potential per head of registered population, in pounds.
        quality_premium_per_head_gbp = 5

        [language]
        # The savings programme's name as your organisation says it ("QIPP", "efficiency
        # plan", "CIP"), and what a commissioner is called in column headings ("CCG",
        # "sub-ICB location", "place").
        programme = "QIPP"
        commissioner = "CCG"

        [contract]
        # Every provider has a row in the pack's by-provider table; the detail by point of
        # delivery and by specialty, and the cover's data currency, are shown for this many
        # providers, largest YTD actual spend first (0: every provider). Each pack's
        # contract-detail.csv always holds every provider's detail.
        detail_providers = 10
        # Points of delivery of financial-adjustment lines (CQUIN, block payments, adjustments),
        # comma-separated: their activity may be blank, and they count in price only.
        adjustment_pods = "CQUIN,BLOCK,ADJ"

        # [columns.activity]
        # Column names of a local layout, for inputs whose headers (or XML elements) differ from
        # BoardPack's altogether: "their name" = "BoardPack's column". Any input can have such a
        # table ([columns.organisations], [columns.qipp_schemes], …); [columns.activity.RXA]
        # applies to the activity files of provider RXA only (named RXA-…).
        # "Trust Code" = "organisation_identifier_code_of_provider"
        # "FinMonth" = "financial_month"
        # A table can also say header = false (columns then named by position, "1" for the first),
        # constant.COLUMN = "value" (a column the file lacks, the same on every row), and
        # "Its Name" = "" (a column deliberately not read).

        # [files.trusts]
        # A provider list (or a second file of measures) beside organisations.csv (metrics.csv):
        # input = "organisations"
        # file = "etr.csv"
        # header = false
        # "1" = "org_code"
        # "2" = "org_name"
        # constant.org_type = "PROVIDER"

        # [paper]
        # The cover sheet of a board paper, opening every pack, and a short governing-body paper
        # (board-paper.html, .md and .pdf) beside each committee pack. Remove the # signs to use it;
        # without [paper] the packs have no cover sheet. Every value is text, shown as written.
        # meeting = "Governing Body (meeting in public)"
        # meeting_date = "14 January 2027"
        # agenda_item = "7.2"
        # author = "Head of Financial Planning"
        # executive_lead = "Chief Finance Officer"
        # What the board is asked to do: approve, assure, discuss or note.
        # purpose = "assure"
        # recommendation = "The Governing Body is asked to take assurance on delivery of the plan."
        # considered_by = "Finance and Performance Committee, 7 January 2027"
        # impact_finance = "As set out in the paper."
        # impact_quality = "None identified."
        # impact_equality = "None identified."
        # impact_privacy = "No personal data."
        # Write the governing-body paper (true) or only the committee pack (false), and which
        # sections it holds, of summary, exceptions, risks, performance and spc:
        # governing_body = true
        # sections = "summary,exceptions,risks"
        # [paper.00C]
        # One commissioner's own values over the ones above, e.g. its own author:
        # author = "Finance Business Partner, Northdale"

        [spc]
        # Statistical process control (XmR, Making Data Count) on monthly activity.
        # "nhsr" is 7-point shift and trend rules (NHSRplotthedots); "mdc" is 6 and 6
        # (the later Making Data Count tools). run_length / trend_length override it.
        preset = "nhsr"
        # Leave moving ranges at or above 3.267 x their mean out of the mean moving range.
        screen_moving_ranges = true
        # Take each group's mean and limits from its first this many points only (a fixed
        # baseline, NHSRplotthedots' fix_after_n_points); 0: from every point.
        fix_after_points = 0
        # Months (YYYY-MM, comma-separated) from which the limits are recalculated,
        # e.g. after a service change. Empty: one set of limits over every month.
        rebase_from = ""
        # Recalculate a scheme's chart limits from its go-live (start_month), with the
        # go-live marked; implementing and delivered schemes get a benefits verdict.
        rebase_at_go_live = true
        # Which way is better: "up", "down" or "neither"; assurance needs up or down.
        contract_direction = "down"
        scheme_direction = "down"
        # How many contract lines (provider and point of delivery, largest actual
        # spend first) and how many schemes (largest annual target first) get a chart.
        contract_lines = 5
        schemes = 10

        """

    /// The largest configuration file read: 1 MiB.
    public static let maxBytes = 1 << 20

    /// Reads `path`; problems go to `log` as errors with code `config.*`.
    public static func load(path: String, log: DiagnosticLog) -> Rules? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            return parse(try FileRules.readText(path, within: folder, limit: maxBytes), file: path, log: log)
        } catch {
            let code =
                switch error {
                case .rule(let problem): problem == .missing ? "config.missing" : problem.code
                case .tooLarge: "config.too-large"
                case .notUTF8: "config.encoding"
                case .unreadable: "config.missing"
                }
            log.error(code, SourceLocation(file: path), "the configuration file " + error.message)
            return nil
        }
    }

    /// The lines of `text`, split at LF with a CR before it dropped (a Swift `String` holds CRLF
    /// as one character, so splitting on "\n" alone would not split a CRLF file at all).
    static func lines(_ text: String) -> [Substring] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { scalars in
            var line = Substring(scalars)
            if line.unicodeScalars.last == "\r" { line = Substring(line.unicodeScalars.dropLast()) }
            return line
        }
    }

    public static func parse(_ text: String, file: String, log: DiagnosticLog) -> Rules? {
        var rules = Rules()
        var table = ""
        var seen: [String: Int] = [:]
        var explicitRun: Int?
        var explicitTrend: Int?
        let before = log.errorCount
        var tables: [String: Int] = [:]
        /// In a `[columns.INPUT]` or `[columns.activity.PROVIDER]` table: the input and provider.
        var columnsTable: (input: String, provider: String?)?
        /// In a `[workbooks.INPUT]` table: its index in `rules.ingest.workbooks`.
        var workbookTable: Int?
        /// In a `[files.NAME]` table: its index in `rules.ingest.files`, and its entries, resolved
        /// once the table's `input` is known (the keys may come in any order).
        var fileTable: Int?
        var fileEntries: [(file: Int, key: String, quoted: Bool, value: String, source: SourceLocation)] = []
        /// `header = false` or `constant.COLUMN = "value"` in a `[columns.INPUT]` or `[files.NAME]` table.
        func layoutEntry(key: String, value: String, input: String, table: String?, here: SourceLocation) {
            let name = (table.map { "files." + $0 } ?? "columns." + input) + "." + key
            if key == "header" {
                switch value {
                case "false": rules.ingest.headerless.insert(table.map { "files." + $0 } ?? input)
                case "true": break
                default: log.error("config.value", here, field: name, value: value, "must be true or false")
                }
                return
            }
            let columnName = String(key.dropFirst("constant.".count))
            guard let column = InputLoader.column(columnName, of: input) else {
                log.error(
                    "config.unknown-key", here, field: name, "not a column of \(input)",
                    hint: "the columns are: " + (InputLoader.mappableColumns[input] ?? []).joined(separator: ", "))
                return
            }
            guard let text = quotedText(value) else {
                log.error("config.value", here, field: name, value: value, "must be a quoted string")
                return
            }
            rules.ingest.constantColumns.append(
                IngestSettings.ConstantColumn(input: input, table: table, column: column, value: text, source: here))
        }
        for (index, rawLine) in lines(text).enumerated() {
            let lineNumber = index + 1
            if let bad = rawLine.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
                log.error(
                    "config.syntax", SourceLocation(file: file, line: lineNumber), value: TerminalText.escaped(rawLine),
                    "the line holds a control character (U+\(String(bad.value, radix: 16, uppercase: true)))",
                    hint: "remove it")
                continue
            }
            var line = Substring(rawLine)
            line = stripComment(line)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let column =
                (line.firstIndex { $0 != " " && $0 != "\t" }.map { line.distance(from: line.startIndex, to: $0) } ?? 0)
                + 1
            let here = SourceLocation(file: file, line: lineNumber, column: column)
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    log.error("config.syntax", here, value: trimmed, "a table header must be [name]")
                    continue
                }
                table = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if let first = tables[table] {
                    log.error(
                        "config.duplicate-table", here, value: trimmed,
                        "the table is given twice (first on line \(first))", hint: "merge the two into one")
                    continue
                }
                tables[table] = lineNumber
                columnsTable = nil
                workbookTable = nil
                fileTable = nil
                if table.hasPrefix("files.") {
                    let name = String(table.dropFirst("files.".count))
                    if !name.isEmpty, !name.contains("."),
                        name.unicodeScalars.allSatisfy({ !TerminalText.isUnsafe($0) })
                    {
                        rules.ingest.files.append(
                            IngestSettings.ExtraFile(name: name, input: "", file: "", source: here))
                        fileTable = rules.ingest.files.count - 1
                    } else {
                        log.error(
                            "config.unknown-table", here, value: table, "a table of a file must be [files.NAME]",
                            hint: "for example [files.trusts], with input = \"organisations\" and file = \"etr.csv\"")
                    }
                    continue
                }
                if table.hasPrefix("workbooks.") {
                    let input = String(table.dropFirst("workbooks.".count))
                    if InputLoader.workbookInputs.contains(input) {
                        rules.ingest.workbooks.append(IngestSettings.Workbook(input: input, source: here))
                        workbookTable = rules.ingest.workbooks.count - 1
                    } else {
                        log.error(
                            "config.unknown-table", here, value: table, "unknown table of a workbook input",
                            hint: "the tables are [workbooks.INPUT] for INPUT one of "
                                + InputLoader.workbookInputs.joined(separator: ", "))
                    }
                    continue
                }
                if table.hasPrefix("columns.") {
                    let parts = table.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                    let input = parts[1]
                    if InputLoader.mappableColumns[input] != nil,
                        parts.count == 2 || (parts.count == 3 && input == "activity" && ShortCode(parts[2]) != nil)
                    {
                        columnsTable = (input, parts.count == 3 ? ShortCode(parts[2])!.description : nil)
                    } else {
                        log.error(
                            "config.unknown-table", here, value: table, "unknown table of column names",
                            hint: "the tables are [columns.INPUT] for INPUT one of "
                                + InputLoader.mappableColumns.keys.sorted().joined(separator: ", ")
                                + ", and [columns.activity.PROVIDER] for one provider's files")
                    }
                    continue
                }
                if table == "paper" {
                    rules.paper = rules.paper ?? Paper()
                    continue
                }
                if table.hasPrefix("paper.") {
                    let code = String(table.dropFirst("paper.".count))
                    if let short = ShortCode(code) {
                        rules.paper = rules.paper ?? Paper()
                        rules.paper!.byCommissioner[short.description] = [:]
                        rules.paper!.tables[short.description] = here
                    } else {
                        log.error(
                            "config.unknown-table", here, value: table, "not a commissioner's code",
                            hint: "a commissioner's own cover sheet is [paper.ORG_CODE], e.g. [paper.00C]")
                    }
                    continue
                }
                if ![
                    "rag", "risk_adjustment", "business_rules", "allowances", "contract", "spc", "language", "metrics",
                ]
                .contains(table) {
                    log.error(
                        "config.unknown-table", here, value: table, "unknown table",
                        hint:
                            "the tables are: [rag], [risk_adjustment], [business_rules], [allowances], [contract], [spc], [metrics], [language], [columns.INPUT], [workbooks.INPUT], [files.NAME], [paper], [paper.ORG_CODE]"
                    )
                }
                continue
            }
            // A key may be quoted (a column name with spaces): the `=` is the first after it.
            let keyEnd =
                trimmed.hasPrefix("\"")
                ? trimmed.dropFirst().firstIndex(of: "\"").map { trimmed.index(after: $0) } : trimmed.startIndex
            guard let keyEnd, let equals = trimmed[keyEnd...].firstIndex(of: "=") else {
                log.error("config.syntax", here, value: trimmed, "expected key = value")
                continue
            }
            var key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let quotedKey = key.count >= 2 && key.hasPrefix("\"") && key.hasSuffix("\"")
            if quotedKey { key = String(key.dropFirst().dropLast()) }
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let name = table.isEmpty ? key : table + "." + key
            if let first = seen[name] {
                log.error("config.duplicate-key", here, field: name, "the key is set twice (first on line \(first))")
                continue
            }
            seen[name] = lineNumber
            /// ASCII digits only: `Int64` and `Character.isNumber` accept more (`+`, `½`, other scripts).
            func digits<S: StringProtocol>(_ text: S) -> Bool {
                !text.isEmpty && text.utf8.count <= 18 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            }
            func integer(_ range: ClosedRange<Int64>) -> Int64? {
                let body = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
                guard digits(body), let n = Int64(value), range.contains(n) else {
                    log.error(
                        "config.value", here, field: name, value: value,
                        "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                    return nil
                }
                return n
            }
            /// A decimal with at most two places, in hundredths.
            func hundredths(_ range: ClosedRange<Int64>) -> Int64? {
                let parts = value.split(separator: ".", omittingEmptySubsequences: false)
                if parts.count <= 2, digits(parts[0]), let whole = Int64(parts[0]),
                    parts.count == 1 || (1...2).contains(parts[1].utf8.count) && digits(parts[1]),
                    whole <= range.upperBound / 100
                {
                    var fraction: Int64 = 0
                    if parts.count == 2, let n = Int64(parts[1]) { fraction = n * (parts[1].utf8.count == 1 ? 10 : 1) }
                    let n = whole * 100 + fraction
                    if range.contains(n) { return n }
                }
                log.error(
                    "config.value", here, field: name, value: value,
                    "must be a number from \(FixedPoint.format(range.lowerBound, scale: 2)) to \(FixedPoint.format(range.upperBound, scale: 2)), at most two decimal places"
                )
                return nil
            }
            func boolean() -> Bool? {
                switch value {
                case "true": return true
                case "false": return false
                default:
                    log.error("config.value", here, field: name, value: value, "must be true or false")
                    return nil
                }
            }
            /// A file of the input folder (no folders, not hidden) with one of the extensions `kinds`.
            func inputFile(_ text: String, kinds: [String], example: String) -> String? {
                let lower = text.lowercased()
                guard kinds.contains(where: { lower.hasSuffix($0) }), !text.contains("/"), !text.hasPrefix(".") else {
                    log.error(
                        "config.value", here, field: name, value: value,
                        "must name a " + kinds.map { $0.dropFirst() }.joined(separator: " or ")
                            + " file in the input folder (no folders)", hint: "for example file = \"\(example)\"")
                    return nil
                }
                return text
            }
            /// A quoted, comma-separated list, each item read by `read`; an item it refuses is an
            /// error of its own (the others are kept). Nil when the value is not a quoted string.
            func list<T>(_ read: (String) -> T?, _ refused: String, hint: String? = nil) -> [T]? {
                guard let text = string() else { return nil }
                var items: [T] = []
                for part in text.split(separator: ",") {
                    let item = part.trimmingCharacters(in: .whitespaces)
                    if let value = read(item) {
                        items.append(value)
                    } else {
                        log.error("config.value", here, field: name, value: item, refused, hint: hint)
                    }
                }
                return items
            }
            func string() -> String? {
                guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\""),
                    !value.dropFirst().dropLast().contains("\"")
                else {
                    log.error("config.value", here, field: name, value: value, "must be a quoted string")
                    return nil
                }
                return String(value.dropFirst().dropLast())
            }
            if let w = workbookTable {
                guard key == "file" || key == "sheet" else {
                    log.error(
                        "config.unknown-key", here, field: name, "unknown key",
                        hint: "a [workbooks.INPUT] table takes file = \"BOOK.xlsx\" and sheet = \"Sheet name\"")
                    continue
                }
                guard let text = string(), !text.isEmpty else { continue }
                if key == "file" {
                    guard let file = inputFile(text, kinds: [".xlsx"], example: "tracker.xlsx") else { continue }
                    rules.ingest.workbooks[w].file = file
                } else {
                    rules.ingest.workbooks[w].sheet = text
                }
                continue
            }
            if let f = fileTable {
                if quotedKey || !["input", "file"].contains(key) {
                    fileEntries.append((f, key, quotedKey, value, here))
                    continue
                }
                guard let text = string(), !text.isEmpty else { continue }
                if key == "input" {
                    guard IngestSettings.extraFileInputs.contains(text) else {
                        log.error(
                            "config.value", here, field: name, value: value,
                            "a [files.NAME] table adds rows to "
                                + IngestSettings.extraFileInputs.joined(separator: " or "),
                            hint:
                                "other inputs are renamed in [columns.INPUT] or read from a workbook in [workbooks.INPUT]"
                        )
                        continue
                    }
                    rules.ingest.files[f].input = text
                } else {
                    guard let file = inputFile(text, kinds: [".csv", ".xlsx"], example: "etr.csv") else { continue }
                    rules.ingest.files[f].file = file
                }
                continue
            }
            if let (input, provider) = columnsTable, !quotedKey, key == "header" || key.hasPrefix("constant.") {
                guard input != "activity" else {
                    log.error(
                        "config.unknown-key", here, field: name,
                        "activity files always have a header row and every column",
                        hint: "name the columns of a provider's layout in [columns.activity.\(provider ?? "PROVIDER")]")
                    continue
                }
                layoutEntry(key: key, value: value, input: input, table: nil, here: here)
                continue
            }
            if let (input, provider) = columnsTable {
                // "Its Name" = "boardpack_column"
                guard let text = string() else { continue }
                guard let column = text.isEmpty ? "" : InputLoader.column(text, of: input) else {
                    log.error(
                        "config.value", here, field: name, value: value, "not a column of \(input)",
                        hint: "the columns are: " + (InputLoader.mappableColumns[input] ?? []).joined(separator: ", "))
                    continue
                }
                rules.ingest.columns.append(
                    IngestSettings.ColumnName(
                        input: input, provider: provider, local: key, column: column, source: here))
                continue
            }
            if table == "paper" || table.hasPrefix("paper."), rules.paper != nil {
                let code = table == "paper" ? nil : ShortCode(String(table.dropFirst("paper.".count)))?.description
                if code == nil, key == "governing_body" {
                    if let b = boolean() { rules.paper!.governingBody = b }
                    continue
                }
                if code == nil, key == "sections" {
                    if let chosen = list(
                        { Paper.sections.contains($0) ? $0 : nil }, "not a section of the governing-body paper",
                        hint: "the sections are " + Paper.sections.joined(separator: ", "))
                    {
                        rules.paper!.governingBodySections = Paper.sections.filter(chosen.contains)
                    }
                    continue
                }
                guard Paper.keys.contains(where: { $0.key == key }) else {
                    log.error(
                        "config.unknown-key", here, field: name, "unknown setting of the cover sheet",
                        hint: "the keys are " + Paper.keys.map(\.key).joined(separator: ", ")
                            + (code == nil ? ", governing_body, sections" : ""))
                    continue
                }
                guard let text = string() else { continue }
                if text.count > 2000 || text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                    log.error(
                        "config.value", here, field: name, value: key,
                        "must be up to 2,000 characters of text on one line")
                    continue
                }
                if key == "purpose", Paper.purposes[text] == nil {
                    log.error(
                        "config.value", here, field: name, value: text, "not a purpose",
                        hint: "the purposes are approve, assure, discuss and note")
                    continue
                }
                if let code {
                    rules.paper!.byCommissioner[code, default: [:]][key] = text
                } else {
                    rules.paper!.shared[key] = text
                }
                continue
            }
            switch name {
            case "contract.adjustment_pods":
                if let codes = list({ ShortCode($0) }, "not a point of delivery code") {
                    rules.ingest.adjustmentPODs = codes
                }
            case "business_rules.surplus_percent":
                if let n = hundredths(0...10_000) { rules.surplusBasisPoints = n }
            case "business_rules.non_recurrent_reserve_percent":
                if let n = hundredths(0...10_000) { rules.nonRecurrentReserveBasisPoints = n }
            case "business_rules.contingency_percent":
                if let n = hundredths(0...10_000) { rules.contingencyBasisPoints = n }
            case "allowances.running_cost_per_head_gbp":
                if let n = hundredths(0...100_000) { rules.runningCostPerHead = Money(pence: n) }
            case "allowances.quality_premium_per_head_gbp":
                if let n = hundredths(0...100_000) { rules.qualityPremiumPerHead = Money(pence: n) }
            case "rag.green_at_percent":
                if let n = integer(1...100) { rules.greenAtPercent = n }
            case "rag.amber_at_percent":
                if let n = integer(0...100) { rules.amberAtPercent = n }
            case "rag.contract_tolerance_percent":
                if let n = integer(0...100) { rules.contractTolerancePercent = n }
            case "risk_adjustment.green_percent":
                if let n = integer(0...100) { rules.riskGreenPercent = n }
            case "risk_adjustment.amber_percent":
                if let n = integer(0...100) { rules.riskAmberPercent = n }
            case "risk_adjustment.red_percent":
                if let n = integer(0...100) { rules.riskRedPercent = n }
            case "spc.preset":
                switch string() {
                case "nhsr": (rules.spc.runLength, rules.spc.trendLength) = (7, 7)
                case "mdc": (rules.spc.runLength, rules.spc.trendLength) = (6, 6)
                case nil: break
                default: log.error("config.value", here, field: name, value: value, "must be \"nhsr\" or \"mdc\"")
                }
            case "spc.run_length":
                if let n = integer(3...20) { explicitRun = Int(n) }
            case "spc.trend_length":
                if let n = integer(3...20) { explicitTrend = Int(n) }
            case "spc.screen_moving_ranges":
                if let b = boolean() { rules.spc.screenMovingRanges = b }
            case "spc.rebase_at_go_live":
                if let b = boolean() { rules.spc.rebaseAtGoLive = b }
            case "spc.fix_after_points":
                if let n = integer(0...1000) { rules.spc.fixAfterPoints = n == 0 ? nil : Int(n) }
            case "spc.contract_direction", "spc.scheme_direction":
                if let text = string() {
                    if let direction = SPCDirection(rawValue: text) {
                        if key == "contract_direction" {
                            rules.spc.contractDirection = direction
                        } else {
                            rules.spc.schemeDirection = direction
                        }
                    } else {
                        log.error(
                            "config.value", here, field: name, value: value, "must be \"up\", \"down\" or \"neither\"")
                    }
                }
            case "spc.rebase_from":
                if let months = list({ FinancialMonth(calendarText: $0) }, "must be months as YYYY-MM, comma-separated")
                {
                    rules.spc.rebaseFrom = months.sorted()
                }
            case "language.programme", "language.commissioner":
                if let text = string() {
                    if text.isEmpty || text.count > 40 || text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                        log.error("config.value", here, field: name, value: text, "must be 1 to 40 characters of text")
                    } else if name == "language.programme" {
                        rules.programmeName = text
                    } else {
                        rules.commissionerWord = text
                    }
                }
            case "contract.detail_providers":
                if let n = integer(0...10_000) { rules.contractDetailProviders = Int(n) }
            case "contract.largest_variances":
                if let n = integer(0...500) { rules.contractLargestVariances = Int(n) }
            case "spc.contract_lines":
                if let n = integer(0...50) { rules.spc.contractLines = Int(n) }
            case "spc.schemes":
                if let n = integer(0...100) { rules.spc.schemes = Int(n) }
            case "metrics.providers":
                if let b = boolean() { rules.metricsOfProviders = b }
            case "metrics.system":
                if let b = boolean() { rules.metricsOfSystem = b }
            case "rag.use_reported_rag":
                if let b = boolean() { rules.useReportedRAG = b }
            default:
                log.error(
                    "config.unknown-key", here, field: name, "unknown setting",
                    hint: "see docs/configuration.md for the settings")
            }
        }
        // The entries of each [files.NAME] table, now that its input is known.
        for (index, file) in rules.ingest.files.enumerated() {
            let table = "files." + file.name
            guard !file.input.isEmpty, !file.file.isEmpty else {
                log.error(
                    "config.value", file.source, field: table,
                    "a [files.NAME] table needs input = \"organisations\" or \"metrics\", and file = \"NAME.csv\"",
                    hint: "for example input = \"organisations\" and file = \"etr.csv\"")
                continue
            }
            for entry in fileEntries where entry.file == index {
                if !entry.quoted, entry.key == "header" || entry.key.hasPrefix("constant.") {
                    layoutEntry(
                        key: entry.key, value: entry.value, input: file.input, table: file.name, here: entry.source)
                    continue
                }
                guard let text = quotedText(entry.value) else {
                    log.error(
                        "config.value", entry.source, field: table + "." + entry.key, value: entry.value,
                        "must be a quoted string")
                    continue
                }
                guard let column = text.isEmpty ? "" : InputLoader.column(text, of: file.input) else {
                    log.error(
                        "config.value", entry.source, field: table + "." + entry.key, value: entry.value,
                        "not a column of \(file.input)",
                        hint: "the columns are: "
                            + (InputLoader.mappableColumns[file.input] ?? []).joined(separator: ", "))
                    continue
                }
                rules.ingest.columns.append(
                    IngestSettings.ColumnName(
                        input: file.input, provider: nil, local: entry.key, column: column, source: entry.source,
                        table: file.name))
            }
        }
        if let explicitRun { rules.spc.runLength = explicitRun }
        if let explicitTrend { rules.spc.trendLength = explicitTrend }
        if rules.amberAtPercent > rules.greenAtPercent {
            log.error(
                "config.value",
                SourceLocation(file: file, line: seen["rag.amber_at_percent"] ?? seen["rag.green_at_percent"] ?? 1),
                field: "rag.amber_at_percent", value: String(rules.amberAtPercent),
                "the amber threshold is above the green threshold (\(rules.greenAtPercent))")
        }
        return log.errorCount == before ? rules : nil
    }

    /// The text of a quoted string value; nil when `value` is not one.
    static func quotedText(_ value: String) -> String? {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\""),
            !value.dropFirst().dropLast().contains("\"")
        else { return nil }
        return String(value.dropFirst().dropLast())
    }

    /// Drops a `#` comment that is not inside a quoted string.
    static func stripComment(_ line: Substring) -> Substring {
        var inString = false
        for index in line.indices {
            let ch = line[index]
            if ch == "\"" { inString.toggle() }
            if ch == "#" && !inString { return line[..<index] }
        }
        return line
    }
}
