import BoardPackCore

enum OrganisationsLoader {
    /// The organisations, and the codes of rows rejected with an error (by
    /// whether they are commissioners): references to those are not reported
    /// again, so one bad row does not cascade into errors in every other file.
    static func load(
        path: String, displayPath: String, sheet: String? = nil, mapping: [String: Int] = [:], log: DiagnosticLog
    ) throws -> (
        [Organisation], rejected: [ShortCode: Bool], unknownType: Set<ShortCode>
    ) {
        var rejected: [ShortCode: Bool] = [:]
        var unknownType: Set<ShortCode> = []
        typealias O = Schemas.Organisation
        var organisations: [Organisation] = []
        var seen: [ShortCode: SourceLocation] = [:]
        var parents: [(ShortCode, SourceLocation)] = []
        try CSVTable.read(
            path: path, displayPath: displayPath, sheet: sheet, schema: Schemas.organisations, mapping: mapping,
            log: log
        ) { row in
            var f = FieldReader(row, log: log)
            let code = f.code(O.code, required: true)
            let name = f.text(O.name, required: true)
            let typeRead = f.choice(O.type, required: false, OrganisationType.self)
            let typeKnown = f.ok
            let type = typeRead ?? .ccg
            // With an unreadable org_type, which columns are required is unknown: check none.
            var commissioner = type.isCommissioner && typeKnown
            // A row with no org_type and no population is most likely a provider from a list that
            // has no type column (an ODS trust list): one error that says so, not three.
            if typeRead == nil, typeKnown, (row.raw(O.population) ?? []).isEmpty {
                f.fail(
                    "value.required", O.population,
                    "a value is required for a commissioner, and a row with no org_type is read as a CCG",
                    hint:
                        "give org_type PROVIDER for a trust or other provider, or fill in registered_population for a "
                        + "commissioner", showValue: false)
                commissioner = false
            }
            let population = f.integer(O.population, required: commissioner, range: 0...100_000_000)
            let allocation = f.money(O.allocation, required: commissioner)
            let target = f.money(O.qippTarget, required: commissioner)
            let parent = f.code(O.parent, required: false)
            let runningCost = f.money(O.runningCost, required: false)
            guard f.ok, let code, let name else {
                if let code { rejected[code] = typeKnown ? commissioner : nil }
                if let code, !typeKnown { unknownType.insert(code) }
                return
            }
            if let earlier = seen[code] {
                log.error(
                    "dup.organisation", row.location(O.code), field: "org_code", value: code.description,
                    "the organisation is listed twice (first at line \(earlier.line))",
                    hint: "keep one row per org_code")
                return
            }
            seen[code] = row.location(O.code)
            if let parent { parents.append((parent, row.location(O.parent))) }
            organisations.append(
                Organisation(
                    code: code, name: name, type: type, parent: parent, registeredPopulation: population,
                    programmeAllocation: allocation, qippTarget: target, runningCostAllowance: runningCost))
        }
        for (parent, location) in parents where seen[parent] == nil {
            log.warning(
                "ref.parent", location, field: "parent_org_code", value: parent.description,
                "the parent organisation is not listed in organisations.csv")
        }
        // A rejected row whose type is unknown may be either.
        for code in unknownType { rejected[code] = true }
        return (organisations.sorted { $0.code < $1.code }, rejected, unknownType)
    }
}
