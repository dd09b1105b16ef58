import BoardPackCore

enum OrganisationsLoader {
    /// The organisations, and the codes of rows rejected with an error (by whether they are
    /// commissioners): references to those are not reported again, so one bad row does not cascade
    /// into errors in every other file.
    ///
    /// The organisations of several files, in order (organisations.csv first, then each
    /// `[files.NAME]` list): an organisation repeated within one file is an error; one already read
    /// from an earlier file keeps that file's row, and each later file gets one warning naming
    /// how many of its rows were not used and which.
    ///
    /// `unreadable` names the files that could not be read as an organisation list at all (their
    /// header, say): every reference to an organisation they would have listed is then unknown.
    static func load(sources: [TableSource], log: DiagnosticLog) throws -> (
        [Organisation], rejected: [ShortCode: Bool], unknownType: Set<ShortCode>, unreadable: [String]
    ) {
        var unreadable: [String] = []
        var rejected: [ShortCode: Bool] = [:]
        var unknownType: Set<ShortCode> = []
        typealias O = Schemas.Organisation
        var organisations: [Organisation] = []
        /// Where each organisation was read: its row, and the index of its file in `sources`.
        var seen: [ShortCode: (location: SourceLocation, file: Int)] = [:]
        var parents: [(ShortCode, SourceLocation)] = []
        for (sourceIndex, source) in sources.enumerated() {
            var repeated: [(code: ShortCode, location: SourceLocation)] = []
            let usable = try CSVTable.read(
                path: source.path, displayPath: source.displayPath, sheet: source.sheet, schema: Schemas.organisations,
                mapping: source.mapping, log: log
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
                    if earlier.file != sourceIndex {
                        repeated.append((code, row.location(O.code)))
                    } else {
                        log.error(
                            "dup.organisation", row.location(O.code), field: "org_code", value: code.description,
                            "the organisation is listed twice (first at line \(earlier.location.line))",
                            hint: "keep one row per org_code")
                    }
                    return
                }
                seen[code] = (row.location(O.code), sourceIndex)
                if let parent { parents.append((parent, row.location(O.parent))) }
                organisations.append(
                    Organisation(
                        code: code, name: name, type: type, parent: parent, registeredPopulation: population,
                        programmeAllocation: allocation, qippTarget: target, runningCostAllowance: runningCost))
            }
            if !usable { unreadable.append(source.displayPath) }
            if let first = repeated.first {
                let earlier = Set(repeated.compactMap { seen[$0.code]?.file }).sorted().map { sources[$0].displayPath }
                log.warning(
                    "dup.organisation-list", first.location, field: "org_code", value: first.code.description,
                    "\(repeated.count) organisation\(repeated.count == 1 ? " is" : "s are") also listed in "
                        + earlier.joined(separator: " and ") + ", whose row\(repeated.count == 1 ? " is" : "s are")"
                        + " used: " + repeated.prefix(10).map(\.code.description).joined(separator: ", ")
                        + (repeated.count > 10 ? ", …" : "") + " (the first here)",
                    hint: "nothing to do if the earlier file's rows are the ones to use; otherwise remove them there")
            }
        }
        for (parent, location) in parents where seen[parent] == nil {
            log.warning(
                "ref.parent", location, field: "parent_org_code", value: parent.description,
                "the parent organisation is not listed in organisations.csv")
        }
        // A rejected row whose type is unknown may be either.
        for code in unknownType { rejected[code] = true }
        return (organisations.sorted { $0.code < $1.code }, rejected, unknownType, unreadable)
    }
}
