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

        public init(input: String, provider: String?, local: String, column: String, source: SourceLocation) {
            self.input = input
            self.provider = provider
            self.local = local
            self.column = column
            self.source = source
        }
    }

    public var columns: [ColumnName] = []

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
