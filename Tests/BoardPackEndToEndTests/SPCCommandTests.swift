import Foundation
import Testing

/// `boardpack spc` run as a user would, and checked against the pack's own SPC figures.
@Suite("boardpack spc")
struct SPCCommandTests {
    typealias E = EndToEndTests

    static func write(_ text: String, as name: String) throws -> String {
        let path = try E.temporary() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func rows(_ csv: String) -> [[String]] {
        csv.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    @Test("Every SPC chart of a sample pack: the command gives the pack's means, limits and special causes")
    func agreesWithThePack() throws {
        let json = try Data(
            contentsOf: URL(fileURLWithPath: E.root + "/Tests/BoardPackTests/Golden/sample/03Q/figures.json"))
        let figures = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let series = try #require(figures["spc"] as? [[String: Any]])
        #expect(series.count >= 3)
        for chart in series {
            let points = try #require(chart["points"] as? [[String: Any]])
            let csv =
                "date,value\n" + points.map { "\($0["calendar_month"]!),\($0["value"]!)" }.joined(separator: "\n")
                + "\n"
            var arguments = [
                "spc", try Self.write(csv, as: "series.csv"), "--improvement", chart["direction"] as! String,
            ]
            if let target = chart["target"] as? Double { arguments += ["--target", String(target)] }
            // A scheme's chart is rebased at its go-live.
            let goLive = chart["go_live"] as? String
            if let goLive { arguments += ["--rebase", goLive] }
            let r = try E.run(arguments)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("date,value,mean,lpl,upl,special_cause,rule,group\n"))
            let rows = Self.rows(r.stdout)
            #expect(rows.count == points.count)
            for (row, point) in zip(rows, points) {
                // The pack gives statistics to three places; the command to fifteen significant digits.
                for (column, key) in [(2, "mean"), (3, "lower_limit"), (4, "upper_limit")] {
                    let pack = try #require(point[key] as? Double)
                    let command = try #require(Double(row[column]))
                    #expect(abs(pack - command) <= 0.0005 + 1e-9, "\(chart["id"]!) \(row[0]) \(key)")
                }
                let special = point["special_cause"] as? Int ?? 0
                #expect((row[5] == "") == (special == 0), "\(chart["id"]!) \(row[0])")
                #expect(row[6] == ((point["rule"] as? String) ?? ""), "\(chart["id"]!) \(row[0])")
                let month = try #require(point["calendar_month"] as? String)
                let rebased =
                    goLive.map { month >= $0 && (points.first?["calendar_month"] as? String ?? "") < $0 } ?? false
                #expect(row[7] == (rebased ? "2" : "1"), "\(chart["id"]!) \(row[0])")
            }
            let variation = try #require(chart["variation"] as? String)
            #expect(r.stderr.contains("variation: \(variation)"), "\(r.stderr)")
        }
    }

    @Test("Weekly dates, a rebase, a fixed baseline and no screening; bad input is located")
    func optionsAndErrors() throws {
        var lines = ["date,value"]
        for week in 0..<30 {
            let day = Calendar(identifier: .gregorian).date(
                byAdding: .day, value: 7 * week,
                to: DateComponents(calendar: .init(identifier: .gregorian), year: 2025, month: 1, day: 6).date!)!
            let c = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: day)
            let value = week < 15 ? (week % 2 == 0 ? 10 : 12) : (week % 2 == 0 ? 20 : 22)
            lines.append(String(format: "%04d-%02d-%02d,%d", c.year!, c.month!, c.day!, value))
        }
        let path = try Self.write(lines.joined(separator: "\n") + "\n", as: "weekly.csv")
        let whole = try E.run(["spc", path])
        #expect(whole.status == 0)
        #expect(Self.rows(whole.stdout).allSatisfy { $0[7] == "1" && $0[5] != "" })  // one process: two shifts
        let rebased = try E.run([
            "spc", path, "--rebase", "2025-04-21", "--rebase", "2025-06-30", "--no-screen", "--fix-after", "10",
        ])
        #expect(rebased.status == 0, "\(rebased.stderr)")
        let rows = Self.rows(rebased.stdout)
        #expect(rows[14][7] == "1" && rows[15][7] == "2" && rows[15][0] == "2025-04-21")
        #expect(rows.allSatisfy { $0[5] == "" })
        #expect(rows[15][2] == "21")  // the second group's mean, from its first ten points
        #expect(rows[25][7] == "3" && rows[25][0] == "2025-06-30")
        let first = "group 1: 2025-01-06 to 2025-04-14, 15 points; variation: common-cause; assurance: none\n"
        #expect(rebased.stderr.contains(first))
        #expect(rebased.stderr.contains("group 2: 2025-04-21 to 2025-06-23, 10 points; variation: common-cause"))
        #expect(rebased.stderr.contains("group 3: 2025-06-30 to 2025-07-28, 5 points;"))
        #expect(rebased.stderr.components(separatedBy: "trial limits").count == 3)
        // The chart as a file.
        let svg = try E.temporary() + "/chart.svg"
        let drawn = try E.run(["spc", path, "--rebase", "2025-04-21", "--svg", svg])
        #expect(drawn.status == 0)
        let file = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(file.contains("<svg") && file.contains("<title") && file.hasSuffix("</svg>\n"))
        #expect(file.components(separatedBy: "<circle").count - 1 == 30)
        let bad = try Self.write("date,value\n2025-01,10\n2025-02-30,11\n2025-03,x\n2025-01,9\n", as: "bad.csv")
        let failed = try E.run(["spc", bad])
        #expect(failed.status == 1)
        #expect(failed.stdout.isEmpty)
        #expect(failed.stderr.contains("bad.csv:3:1: error: date: not a date that exists"), "\(failed.stderr)")
        #expect(failed.stderr.contains("bad.csv:4:") && failed.stderr.contains("value.number"))
        #expect(failed.stderr.contains("bad.csv:5:1: error: date: the date appears twice"))
    }
}

/// A build run from a folder without `templates/`.
@Suite("Building from anywhere")
struct AnywhereTests {
    typealias E = EndToEndTests

    @Test("Without a templates folder the built-in templates are used, and said so; a named folder still wins")
    func builtInTemplates() throws {
        let elsewhere = try E.temporary()
        let r = try E.run(["build", "--inputs", E.fixture("small"), "--out", "packs"], in: elsewhere)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("using the built-in templates"))
        let reference = try E.temporary() + "/packs"
        let shipped = try E.run(["build", "--inputs", E.fixture("small"), "--out", reference, "-q"])
        #expect(shipped.status == 0)
        for pack in ["00B", "system"] {
            for file in ["board-pack.html", "board-pack.md", "figures.json"] {
                let a = FileManager.default.contents(atPath: elsewhere + "/packs/\(pack)/\(file)")
                let b = FileManager.default.contents(atPath: reference + "/\(pack)/\(file)")
                #expect(a != nil && a == b, "\(pack)/\(file)")
            }
        }
        // A folder given but missing, or without the required templates, is an error.
        let missing = try E.run(
            ["build", "--inputs", E.fixture("small"), "--out", "other", "--templates", "nowhere"], in: elsewhere)
        #expect(missing.status == 2 && missing.stderr.contains("required template is missing"))
    }
}
