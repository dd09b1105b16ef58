import BoardPackSample
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Running unattended: determinism, atomic publish under SIGKILL, the output
/// lock, the manifest, exit codes, `init`.
@Suite("Cron and CI operation", .serialized)
struct OperationsTests {
    typealias E = EndToEndTests

    /// Every file under `folder` except the manifest, with its bytes.
    static func snapshot(_ folder: String) -> [String: Data] {
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [:] }
        for case let path as String in enumerator where path != "manifest.json" {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { result[path] = FileManager.default.contents(atPath: folder + "/" + path) }
        }
        return result
    }

    /// A sample big enough that a build takes a moment.
    static func bigInputs() throws -> String {
        let work = try E.temporary()
        let result = try E.run(
            ["sample", "--out", work + "/inputs", "--commissioners", "12", "--providers", "10", "--months", "9"])
        #expect(result.status == 0, "\(result.stderr)")
        return work + "/inputs"
    }

    @Test("Two builds of the same inputs are byte-identical; the manifest honours SOURCE_DATE_EPOCH")
    func deterministic() throws {
        let a = try E.temporary() + "/a"
        let b = try E.temporary() + "/b"
        for out in [a, b] {
            let r = try E.run(
                ["build", "--inputs", E.fixture("small"), "--out", out, "-q"],
                environment: ["SOURCE_DATE_EPOCH": "1767225600"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(Self.snapshot(a) == Self.snapshot(b))
        // Every file but the publisher's marker, which the manifest does not list.
        let names = Set(Self.snapshot(a).keys).subtracting([".boardpack-output"])
        #expect(Self.snapshot(a)[".boardpack-output"] != nil)
        // 3 packs × 4 files, the two indexes and diagnostics.csv
        #expect(names.filter { !$0.contains("/charts/") }.count == 15)
        #expect(names.contains("00B/charts/waterfall.svg") && names.contains("system/charts/savings.svg"))
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: a + "/manifest.json")))
            as! [String: Any]
        #expect(manifest["schema_version"] as? Int == 1)
        #expect(manifest["generated_at"] as? String == "2026-01-01T00:00:00Z")
        let inputs = manifest["inputs"] as! [[String: Any]]
        let m01 = try #require(inputs.first { $0["path"] as? String == "activity/RXX-M01.csv" })
        #expect(m01["rows_read"] as? Int == 3)
        #expect(m01["rows_superseded"] as? Int == 3)
        #expect(m01["rows_used"] as? Int == 0)
        #expect((m01["sha256"] as? String)?.count == 64)
        let outputs = manifest["outputs"] as! [[String: Any]]
        #expect(outputs.count == names.count)
        // Every digest is the file's SHA-256, as sha256sum computes it (inputs are hashed while the
        // build runs, outputs once rendered).
        let data = inputs.filter { $0["role"] as? String == "data" }
        #expect(inputs.contains { $0["role"] as? String == "template" })
        let digests =
            data.map { (E.fixture("small") + "/" + ($0["path"] as! String), $0["sha256"] as! String) }
            + outputs.map { (a + "/" + ($0["path"] as! String), $0["sha256"] as! String) }
        #expect(data.count == 7)
        let sums = Process()
        sums.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sums.arguments = digests.map(\.0)
        let pipe = Pipe()
        sums.standardOutput = pipe
        try sums.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sums.waitUntilExit()
        let expected = listing.split(separator: "\n").map { String($0.prefix(64)) }
        #expect(expected == digests.map(\.1))
    }

    @Test("The packs are byte-identical whatever the thread count")
    func threadCount() throws {
        let inputs = try E.temporary() + "/inputs"
        // Several providers and restatements, split into finer-grain rows: many files to share out.
        let sample = try E.run([
            "sample", "--out", inputs, "--commissioners", "6", "--providers", "9", "--lines-per-cell", "3",
        ])
        #expect(sample.status == 0, "\(sample.stderr)")
        var snapshots: [[String: Data]] = []
        for threads in ["1", "2", "5"] {
            let out = try E.temporary() + "/packs-\(threads)"
            let r = try E.run(["build", "--inputs", inputs, "--out", out, "-q", "--threads", threads])
            #expect(r.status == 0, "\(r.stderr)")
            snapshots.append(Self.snapshot(out))
        }
        #expect(snapshots[0].count > 20)
        #expect(snapshots[0] == snapshots[1] && snapshots[1] == snapshots[2])
    }

    @Test("SIGKILL at random moments leaves the old complete set or the new one, never a mixture")
    func killNine() throws {
        let inputs = try Self.bigInputs()
        let refA = try E.temporary() + "/a"
        let refB = try E.temporary() + "/b"
        #expect(try E.run(["build", "--inputs", inputs, "--out", refA, "--period", "2026-11", "-q"]).status == 0)
        #expect(try E.run(["build", "--inputs", inputs, "--out", refB, "--period", "2026-12", "-q"]).status == 0)
        let a = Self.snapshot(refA)
        let b = Self.snapshot(refB)
        #expect(a != b && !a.isEmpty)
        let out = try E.temporary() + "/packs"
        #expect(try E.run(["build", "--inputs", inputs, "--out", out, "--period", "2026-11", "-q"]).status == 0)
        // Seeded: a failure names its seed, and BOARDPACK_TEST_SEED=N repeats the same kill moments.
        let seed = ProcessInfo.processInfo.environment["BOARDPACK_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_201
        print("SIGKILL test: seed \(seed)")
        var generator = SplitMix64(seed: seed)
        var killedMidway = 0
        for round in 0..<20 {
            let period = round % 2 == 0 ? "2026-12" : "2026-11"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: E.binary)
            process.arguments = ["build", "--inputs", inputs, "--out", out, "--period", period, "-q", "--wait", "10"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0...600_000, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidway += 1
            }
            process.waitUntilExit()
            let now = Self.snapshot(out)
            #expect(now == a || now == b, "seed \(seed), round \(round): the output folder is neither complete set")
            #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
        }
        #expect(killedMidway > 0)
        // The next run cleans up what the killed ones left beside the folder.
        #expect(try E.run(["build", "--inputs", inputs, "--out", out, "--period", "2026-11", "-q"]).status == 0)
        let parent = (out as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: parent).filter {
            $0.contains(".staging-") || $0.contains(".previous-")
        }
        #expect(leftovers.isEmpty)
        #expect(Self.snapshot(out) == a)
    }

    @Test("A second run waits for the lock, then exits 4")
    func lockTimeout() throws {
        let out = try E.temporary() + "/packs"
        let lockPath = (out as NSString).deletingLastPathComponent + "/.packs.lock"
        let fd = open(lockPath, O_CREAT | O_RDWR, 0o644)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX) == 0)
        let started = Date()
        let busy = try E.run(["build", "--inputs", E.fixture("small"), "--out", out, "--wait", "1"])
        #expect(busy.status == 4)
        #expect(busy.stderr.contains("another boardpack run"))
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(!FileManager.default.fileExists(atPath: out))
        flock(fd, LOCK_UN)
        close(fd)
        #expect(try E.run(["build", "--inputs", E.fixture("small"), "--out", out, "--wait", "1"]).status == 0)
    }

    @Test("Two concurrent runs on one folder do not interleave; both succeed")
    func concurrentRuns() throws {
        let out = try E.temporary() + "/packs"
        let reference = try E.temporary() + "/ref"
        let inputs = try Self.bigInputs()
        #expect(try E.run(["build", "--inputs", inputs, "--out", reference, "-q"]).status == 0)
        let processes = (0..<2).map { _ in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: E.binary)
            p.arguments = ["build", "--inputs", inputs, "--out", out, "-q", "--wait", "120"]
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])
        #expect(Self.snapshot(out) == Self.snapshot(reference))
    }

    @Test("The published folder keeps the mode, group and setgid bit of the one it replaces")
    func keepsAccess() throws {
        let out = try E.temporary() + "/packs"
        #expect(try E.run(["build", "--inputs", E.fixture("small"), "--out", out, "-q"]).status == 0)
        // A group other than the runner's own where the runner may give one (root), else its own.
        let group: gid_t = getuid() == 0 ? 1 : getgid()
        #expect(chown(out, uid_t.max, group) == 0)
        #expect(chmod(out, 0o2750) == 0)
        #expect(try E.run(["build", "--inputs", E.fixture("small"), "--out", out, "-q"]).status == 0)
        var info = stat()
        #expect(stat(out, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o2750, "mode \(String(info.st_mode & 0o7777, radix: 8))")
        #expect(info.st_gid == group)
        // Folders made inside a setgid folder take its group.
        var inner = stat()
        #expect(stat(out + "/00A", &inner) == 0)
        #expect(inner.st_gid == group)
    }

    @Test("--out naming a file is refused in plain words")
    func outIsAFile() throws {
        let work = try E.temporary()
        try Data("x".utf8).write(to: URL(fileURLWithPath: work + "/packs"))
        let r = try E.run(["build", "--inputs", E.fixture("small"), "--out", work + "/packs"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("exists and is a file, not a folder"), "\(r.stderr)")
    }

    @Test("Exit 3 when the output folder cannot be written")
    func ioFailure() throws {
        let r = try E.run(["build", "--inputs", E.fixture("small"), "--out", "/dev/null/packs"])
        #expect(r.status == 3)
    }

    @Test("--commissioner builds only that pack and the index")
    func onDemand() throws {
        let out = try E.temporary() + "/packs"
        let r = try E.run(["build", "--inputs", E.fixture("small"), "--out", out, "--commissioner", "00b"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            Set(Self.snapshot(out).keys.filter { !$0.contains("/charts/") }) == [
                "00B/board-pack.html", "00B/board-pack.md", "00B/figures.json", "00B/contract-detail.csv", "index.html",
                "index.md", "diagnostics.csv",
                ".boardpack-output",
            ])
        let unknown = try E.run(["build", "--inputs", E.fixture("small"), "--out", out, "--commissioner", "99Z"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--commissioner 99Z"))
    }

    @Test("--log-format json writes one JSON object per line; --quiet prints nothing on success")
    func logging() throws {
        let out = try E.temporary() + "/packs"
        let json = try E.run(["build", "--inputs", E.fixture("small"), "--out", out, "--log-format", "json"])
        #expect(json.status == 0)
        let lines = json.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count >= 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil && object?["message"] != nil)
        }
        let quiet = try E.run(["build", "--inputs", E.fixture("small"), "--out", out, "--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)
    }

    @Test("init scaffolds a folder that builds; a bad configuration exits 2 with its location")
    func initAndConfig() throws {
        let work = try E.temporary() + "/work"
        let created = try E.run(["init", work])
        #expect(created.status == 0, "\(created.stderr)")
        let built = try E.run(["build", "-q"], in: work)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/outputs/00X/board-pack.html"))
        #expect(try E.run(["init", work]).status == 2)
        try Data("[rag]\ngreen_at_percent = 95\nshiny = true\n".utf8).write(
            to: URL(fileURLWithPath: work + "/boardpack.toml"))
        let bad = try E.run(["build"], in: work)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("boardpack.toml:3:1: error: rag.shiny: unknown setting"))
    }
}
