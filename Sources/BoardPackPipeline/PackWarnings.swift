import BoardPackAnalysis
import BoardPackCore

/// The warnings each pack's appendix lists, as groups (`DiagnosticGroups`): for a commissioner,
/// first those that touch it — a value that is its code or one of its providers' codes, or a
/// submission from one of its providers — then the rest, each part in location order. The system
/// pack lists them in location order.
struct PackWarnings {
    let groups: [DiagnosticGroup]
    /// Per group: the provider and commissioner codes it touches.
    private let touched: [Set<String>]

    init(_ warnings: [Diagnostic], submissions: [Submission]) {
        groups = DiagnosticGroups.group(warnings)
        var providersByFile: [String: [String]] = [:]
        for submission in submissions {
            providersByFile[submission.path, default: []] += submission.providers.map(\.description)
        }
        touched = groups.map { group in
            var codes = Set(group.files.flatMap { providersByFile[$0] ?? [] })
            if let value = group.first.value { codes.insert(value) }
            return codes
        }
    }

    func forPack(_ pack: PackFigures) -> [DiagnosticGroup] {
        guard pack.scope != .system else { return groups }
        var own = Set(pack.contract.providers.compactMap { $0.total.provider?.description })
        own.insert(pack.code)
        var first: [DiagnosticGroup] = []
        var rest: [DiagnosticGroup] = []
        for (group, codes) in zip(groups, touched) {
            if codes.isDisjoint(with: own) { rest.append(group) } else { first.append(group) }
        }
        return first + rest
    }
}
