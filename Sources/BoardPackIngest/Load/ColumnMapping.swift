import BoardPackCore

/// How one file of an input lays out BoardPack's columns, from `boardpack.toml`: the names it gives
/// them, whether it has a header row at all (without one, columns are named by position, `"1"` for
/// the first), and the columns it does not hold because their value is the same on every row.
struct ColumnMapping: ExpressibleByDictionaryLiteral, Sendable {
    /// Local column name (folded; a position such as `"2"` for a headerless file) to schema column.
    var names: [String: Int]
    /// Local column names (folded) boardpack.toml says are not read (`"breaches" = ""`): no warning.
    var ignored: Set<String> = []
    /// False: the file's first row is data, and its columns are named by position.
    var header = true
    /// Schema column to the value every row has in it.
    var constants: [(column: Int, value: [UInt8])] = []
    /// Required columns this file need not have, given its constants (a list whose every row is a
    /// provider has no commissioner's population or allocation).
    var notNeeded: Set<Int> = []

    init(dictionaryLiteral elements: (String, Int)...) {
        names = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    init(names: [String: Int], header: Bool = true, constants: [(column: Int, value: [UInt8])] = []) {
        self.names = names
        self.header = header
        self.constants = constants
    }

    /// True when the file is read as documented: its own header, no names given.
    var isEmpty: Bool { names.isEmpty }

    subscript(name: String) -> Int? { names[name] }

    /// Whether a file of `schema` laid out this way must hold `column`: a required column that no
    /// constant supplies and the constants do not make needless.
    func requires(_ column: Int, of schema: InputSchema) -> Bool {
        schema.columns[column].required && !notNeeded.contains(column) && !constants.contains { $0.column == column }
    }
}

/// One file an input is read from: `INPUT.csv` (or its workbook sheet), or a `[files.NAME]` file.
struct TableSource {
    var path: String
    var displayPath: String
    var sheet: String?
    var mapping: ColumnMapping
}
