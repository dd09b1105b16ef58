/// How the inputs are read beyond their documented form, from `boardpack.toml`: the names a local
/// layout gives BoardPack's columns, and which points of delivery are financial-adjustment lines.
public struct IngestSettings: Sendable, Equatable {
    /// One `[columns.INPUT]` (or `[columns.activity.PROVIDER]`) entry: files of that input call
    /// BoardPack's `column` by the name `local`.
    public struct ColumnName: Sendable, Equatable {
        /// The input: `activity`, `organisations`, `qipp_schemes`, `qipp_monthly`, `finance_ledger`
        /// or `quality_premium`.
        public var input: String
        /// Only the files of this provider (activity files named `PROVIDER-…`); nil for all.
        public var provider: String?
        /// The name the files use.
        public var local: String
        /// BoardPack's column it stands for.
        public var column: String
        /// Where it is set.
        public var source: SourceLocation
        /// The `[files.NAME]` table it belongs to; nil for `[columns.INPUT]`.
        public var table: String?

        public init(
            input: String, provider: String?, local: String, column: String, source: SourceLocation,
            table: String? = nil
        ) {
            self.input = input
            self.provider = provider
            self.local = local
            self.column = column
            self.source = source
            self.table = table
        }
    }

    public var columns: [ColumnName] = []

    /// A column a file does not hold because it has the same value on every row
    /// (`constant.org_type = "PROVIDER"` in `[columns.INPUT]` or `[files.NAME]`).
    public struct ConstantColumn: Sendable, Equatable {
        public var input: String
        /// The `[files.NAME]` table; nil for `[columns.INPUT]`.
        public var table: String?
        /// BoardPack's column.
        public var column: String
        public var value: String
        public var source: SourceLocation

        public init(input: String, table: String?, column: String, value: String, source: SourceLocation) {
            self.input = input
            self.table = table
            self.column = column
            self.value = value
            self.source = source
        }
    }

    public var constantColumns: [ConstantColumn] = []

    /// The tables (`INPUT` for `[columns.INPUT]`, `files.NAME` for `[files.NAME]`) whose files have
    /// no header row (`header = false`): their columns are named by position, "1" for the first.
    public var headerless: Set<String> = []

    /// One `[files.NAME]` table: a file of the input folder, in a layout of its own, whose rows are
    /// read as rows of `input` besides `INPUT.csv` (a provider list such as the ODS trust list
    /// besides organisations.csv, or a second file of measures).
    public struct ExtraFile: Sendable, Equatable {
        public var name: String
        public var input: String
        public var file: String
        public var source: SourceLocation

        public init(name: String, input: String, file: String, source: SourceLocation) {
            self.name = name
            self.input = input
            self.file = file
            self.source = source
        }
    }

    /// The inputs a `[files.NAME]` table can add rows to.
    public static let extraFileInputs = ["organisations", "metrics"]

    public var files: [ExtraFile] = []

    /// One `[workbooks.INPUT]` table: the input is read from a sheet of a workbook — `file` (a
    /// workbook in the input folder, e.g. one tracker holding several inputs), else `INPUT.xlsx`;
    /// `sheet`, else its first visible sheet.
    public struct Workbook: Sendable, Equatable {
        public var input: String
        public var file: String?
        public var sheet: String?
        public var source: SourceLocation

        public init(input: String, file: String? = nil, sheet: String? = nil, source: SourceLocation) {
            self.input = input
            self.file = file
            self.sheet = sheet
            self.source = source
        }
    }

    public var workbooks: [Workbook] = []
    /// Points of delivery whose lines may have blank activity (counted in price only).
    public var adjustmentPODs: [ShortCode] = ["CQUIN", "BLOCK", "ADJ"].compactMap { ShortCode($0) }

    /// The most files `activity/` may hold: more is refused with an error (exit 1) before any is
    /// read, rather than a build that runs for hours. A year of monthly submissions from 200
    /// providers, one file per commissioner of 80, is under 200,000. Not configurable in
    /// `boardpack.toml`; the tests lower it.
    public var activityFileLimit = 200_000

    public init() {}
}
