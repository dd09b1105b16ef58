/// A field of a view model as a template sees it. The generated tables in ViewFields.swift give
/// each field as one of these, so rendering never has to ask the runtime what a value is.
enum ViewValue {
    case text(String)
    case flag(Bool)
    case texts([String])
    case object(any ViewModel)
    case list(any ViewModelList)

    init(_ value: String) { self = .text(value) }
    init(_ value: Bool) { self = .flag(value) }
    init(_ value: [String]) { self = .texts(value) }
    init<T: ViewModel>(_ value: T) { self = .object(value) }
    init<T: ViewModel>(_ value: [T]) { self = .list(value) }

    var isEmptyList: Bool {
        switch self {
        case .list(let list): list.count == 0
        case .texts(let strings): strings.isEmpty
        default: false
        }
    }

    /// The value itself (what a variable tag prints for a value that is not a string or a flag).
    var any: Any {
        switch self {
        case .text(let value): value
        case .flag(let value): value
        case .texts(let value): value
        case .object(let value): value
        case .list(let value): value.array
        }
    }

    /// A value printed by a variable tag: a string as it is; a flag as `true` or `false`.
    var printed: String {
        switch self {
        case .text(let string): string
        case .flag(let on): on ? "true" : "false"
        default: String(describing: any)
        }
    }
}

/// An array of view models, seen element by element.
protocol ViewModelList {
    var count: Int { get }
    func element(_ index: Int) -> any ViewModel
    var array: Any { get }
}

extension Array: ViewModelList where Element: ViewModel {
    func element(_ index: Int) -> any ViewModel { self[index] }
    var array: Any { self }
}
