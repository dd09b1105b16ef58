import BoardPackCore
import Foundation

// The sample's commissioners and providers, and organisations.csv.
extension SampleGenerator {
    // MARK: - Organisations

    struct Commissioner {
        let code: String
        let name: String
        let population: Int64
        let allocation: Money
        let target: Money
    }

    struct Provider {
        let code: String
        let name: String
    }

    static let commissionerCodes = [
        "00C", "03Q", "99A", "01H", "02M", "05D", "06L", "07G", "10Q", "11M", "13T", "14L", "15E", "99C", "04F", "08K",
    ]
    static let places = [
        "Northdale", "Westmere", "Eastbrook", "Southfell", "Ashby Vale", "Brackenridge", "Coldharbour", "Dunmore",
        "Elmstead", "Fernleigh", "Greystoke", "Hallam Moor", "Ivybridge Downs", "Juniper Coast", "Kestrel Valley",
        "Larchfield",
    ]
    static let providerCodes = ["RXA", "RK5", "RTH", "RWY", "RQ6", "RJE", "RVN", "RAL", "RBT", "RCU"]
    static let providerNames = [
        "Riverside University Hospitals NHS Foundation Trust", "Kingsmoor Hospitals NHS Trust",
        "St Aldhelm's Healthcare NHS Foundation Trust", "Harbourside & District Hospitals NHS Trust",
        "Millbrook Community Health NHS Trust", "Queen's Park Hospital NHS Foundation Trust",
        "Castlegate Teaching Hospitals NHS Trust", "Oakfield Partnership NHS Foundation Trust",
        "Beacon Hill Hospitals NHS Trust", "Cedarwood Acute NHS Trust",
    ]

    static func uniqueCodes(_ fixed: [String], count: Int, make: (Int) -> String) -> [String] {
        var codes = Array(fixed.prefix(count))
        var used = Set(codes)
        var i = 0
        while codes.count < count {
            let code = make(i)
            i += 1
            if used.insert(code).inserted { codes.append(code) }
        }
        return codes
    }

    func makeCommissioners(_ rng: inout SplitMix64) -> [Commissioner] {
        let letters = Array("ABCDEFGHJKLMNPQRSTVWXY")
        let codes = Self.uniqueCodes(Self.commissionerCodes, count: options.commissioners) { i in
            let n = i % 100
            return (n < 10 ? "0" : "") + String(n) + String(letters[(i / 100) % letters.count])
        }
        return codes.enumerated().map { index, code in
            let place = index < Self.places.count ? Self.places[index] : "Area \(index + 1)"
            let population = rng.int(Int64(150_000)...Int64(450_000))
            let perHead = rng.int(Int64(1_380)...Int64(1_720))
            // Allocation rounded to £1,000; QIPP target 2.8% to 4.2% of it, rounded to £10,000.
            let allocation = Money.pounds(population * perHead / 1_000 * 1_000)
            let targetPermille = rng.int(Int64(28)...Int64(42))
            let target = Money.pounds(allocation.pence / 100 * targetPermille / 1_000 / 10_000 * 10_000)
            return Commissioner(
                code: code, name: "NHS \(place) CCG", population: population, allocation: allocation, target: target)
        }
    }

    func makeProviders() -> [Provider] {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTVWXY0123456789")
        let codes = Self.uniqueCodes(Self.providerCodes, count: options.providers) { i in
            "R" + String(alphabet[(i / alphabet.count) % 22]) + String(alphabet[i % alphabet.count])
        }
        return codes.enumerated().map { index, code in
            Provider(
                code: code,
                name: index < Self.providerNames.count ? Self.providerNames[index] : "Provider \(index + 1) NHS Trust")
        }
    }

    mutating func writeOrganisations(_ commissioners: [Commissioner], _ providers: [Provider]) throws {
        let sink = try TextSink(path: path("organisations.csv"))
        try sink.write(
            "org_code,org_name,org_type,parent_org_code,registered_population,programme_allocation_gbp,qipp_target_gbp,running_cost_allowance_gbp\n"
        )
        for c in commissioners {
            try sink.write(
                [
                    c.code, Self.csv(c.name), "CCG", "", String(c.population), c.allocation.description,
                    c.target.description, Money.pounds(c.population * 25).description,
                ].joined(separator: ",") + "\n")
        }
        for p in providers.dropLast(options.unlistedProviders) {
            try sink.write([p.code, Self.csv(p.name), "PROVIDER", "", "", "", "", ""].joined(separator: ",") + "\n")
        }
        try sink.close()
        summary.files += 1
    }
}
