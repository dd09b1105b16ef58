import Foundation
import Testing

@testable import BoardPackRender

/// BoardPack's own Mustache parser and renderer against the Mustache specification's test data
/// (Fixtures/mustache-spec, vendored under its MIT licence): every test of the required modules —
/// comments, delimiters, interpolation, inverted sections, partials, sections — but those whose
/// data a view model cannot hold (listed, with why).
@Suite("Mustache specification")
struct MustacheSpecTests {
    /// Tests whose data has no view-model form: a list of lists, or a list mixing kinds.
    static let outOfModel: Set<String> = [
        "sections/Implicit Iterator - Array"
    ]

    enum JSON: Decodable {
        case string(String), number(String), bool(Bool), null
        case array([JSON]), object([String: JSON])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? c.decode(Int.self) {
                self = .number(String(i))
            } else if let d = try? c.decode(Double.self) {
                self = .number("\(d)")
            } else if let s = try? c.decode(String.self) {
                self = .string(s)
            } else if let a = try? c.decode([JSON].self) {
                self = .array(a)
            } else {
                self = .object(try c.decode([String: JSON].self))
            }
        }

        /// The value as templates see it; nil for null (a missing value), or for data outside the model.
        var value: ViewValue? {
            switch self {
            case .string(let s): .text(s)
            case .number(let n): .text(n)
            case .bool(let b): .flag(b)
            case .null: nil
            case .object(let o): .object(JSONModel(fields: o))
            case .array(let items):
                if items.allSatisfy({ if case .object = $0 { true } else { false } }) {
                    .list(
                        items.map { item -> JSONModel in
                            if case .object(let o) = item { return JSONModel(fields: o) }
                            return JSONModel(fields: [:])
                        })
                } else {
                    .texts(
                        items.compactMap {
                            if case .string(let s) = $0 { s } else if case .number(let n) = $0 { n } else { nil }
                        })
                }
            }
        }
    }

    /// A JSON object as a view model: its fields found by name.
    struct JSONModel: ViewModel {
        let fields: [String: JSON]
        static var fields: [String: (JSONModel) -> ViewValue] { [:] }
        static var fieldsByID: [((JSONModel) -> ViewValue)?] { [] }
        func value(id: Int) -> ViewValue? { value(named: FieldIDs.names[id]) }
        func value(named name: String) -> ViewValue? { fields[name]?.value }
    }

    struct SpecFile: Decodable {
        struct Case: Decodable {
            let name: String
            let data: JSON
            let template: String
            let expected: String
            let partials: [String: String]?
        }
        let tests: [Case]
    }

    static let modules = ["comments", "delimiters", "interpolation", "inverted", "partials", "sections"]

    @Test("Every test of the specification's required modules passes", arguments: modules)
    func module(_ module: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestSupport.fixture("mustache-spec") + "/\(module).json"))
        let file = try JSONDecoder().decode(SpecFile.self, from: data)
        #expect(file.tests.count > 10)
        for test in file.tests where !Self.outOfModel.contains("\(module)/\(test.name)") {
            var library: [String: CompiledTemplate] = [:]
            for (name, text) in test.partials ?? [:] { library[name] = try CompiledTemplate(text) }
            let template = try CompiledTemplate(test.template)
            let root = test.data.value ?? .flag(false)
            let got = String(
                decoding: CompiledTemplate.render(root, template: template, library: library), as: UTF8.self)
            #expect(got == test.expected, "\(module): \(test.name)\n  template: \(test.template.debugDescription)")
        }
    }
}
