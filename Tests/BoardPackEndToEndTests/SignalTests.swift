import BoardPackSample
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Signals at the worst moments: around the swap of the staging folder into place, and while
/// Chromium prints. Whatever the moment, the output folder is one complete set (the old one or the
/// new one, exactly as its own manifest lists it), nothing is left beside it, and the exit code and
/// the one line printed say which.
@Suite("Signals around the publish", .serialized)
struct SignalTests {
    typealias E = EndToEndTests

    /// The files a published folder's manifest lists, each with its size; nil when unreadable.
    static func manifestFiles(_ folder: String) -> [String: Int]? {
        guard let data = FileManager.default.contents(atPath: folder + "/manifest.json"),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let outputs = object["outputs"] as? [[String: Any]]
        else { return nil }
        var files: [String: Int] = [:]
        for output in outputs {
            guard let path = output["path"] as? String, let bytes = output["bytes"] as? Int else { return nil }
            files[path] = bytes
        }
        return files
    }

    /// Every regular file below `folder` with its size, but the manifest and the marker.
    static func listing(_ folder: String) -> [String: Int] {
        var files: [String: Int] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [:] }
        for case let path as String in enumerator where path != "manifest.json" && path != ".boardpack-output" {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + path)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                files[path] = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            }
        }
        return files
    }

    @Test("SIGTERM, SIGINT or SIGHUP at seeded moments around the swap: one complete set, its manifest whole")
    func aroundTheSwap() throws {
        let inputs = try OperationsTests.bigInputs()
        let work = try E.temporary()
        let out = work + "/packs"
        let old = try E.run(["build", "--inputs", inputs, "--out", out, "--period", "2026-11", "-q"])
        #expect(old.status == 0, "\(old.stderr)")
        let oldSet = OperationsTests.snapshot(out)
        let newRef = work + "/new"
        #expect(try E.run(["build", "--inputs", inputs, "--out", newRef, "--period", "2026-12", "-q"]).status == 0)
        let newSet = OperationsTests.snapshot(newRef)
        #expect(oldSet != newSet)

        let seed = ProcessInfo.processInfo.environment["BOARDPACK_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_204
        print("signals around the swap: seed \(seed)")
        var generator = SplitMix64(seed: seed)
        let signals: [(Int32, String)] = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGHUP, "SIGHUP")]
        var outcomes: [String: Int] = [:]
        var current = oldSet
        // How long a build runs on after its staging manifest appears (the flush, the swap, the old
        // folder's deletion) on this machine: the signals are sent from 0 to twice that.
        var window: UInt32 = 5_000
        for period in ["2026-12", "2026-11"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: E.binary)
            process.arguments = ["build", "--inputs", inputs, "--out", out, "--period", period, "-q"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let staging = work + "/.packs.staging-\(process.processIdentifier)/manifest.json"
            while process.isRunning, !FileManager.default.fileExists(atPath: staging) { usleep(200) }
            let seen = Date()
            process.waitUntilExit()
            window = max(window, UInt32(min(2.0, Date().timeIntervalSince(seen)) * 2_000_000))
        }
        print("signals around the swap: signalled 0 to \(window) µs after the staging manifest")
        for round in 0..<24 {
            let (number, name) = signals[round % 3]
            let period = current == oldSet ? "2026-12" : "2026-11"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: E.binary)
            process.arguments = ["build", "--inputs", inputs, "--out", out, "--period", period, "-q", "--wait", "30"]
            process.currentDirectoryURL = URL(fileURLWithPath: work)
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // Mostly from the moment the staging manifest is written (the flush and the swap follow
            // at once) to twice the time the rest of a build takes: before, during and after the
            // swap. Every fourth round earlier, while the packs are written, where nothing may be
            // published.
            let early = round % 4 == 3
            let staging =
                work + "/.packs.staging-\(process.processIdentifier)"
                + (early ? "/.boardpack-output" : "/manifest.json")
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline, !FileManager.default.fileExists(atPath: staging) {
                usleep(200)
            }
            let delay = UInt32.random(in: 0...(early ? 2_000 : window), using: &generator)
            usleep(delay)
            let signalled = process.isRunning
            if signalled { kill(process.processIdentifier, number) }
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let status = process.terminationStatus
            let now = OperationsTests.snapshot(out)
            let context = "seed \(seed), round \(round), \(name) after \(delay) µs: exit \(status), \(stderr)"
            #expect(now == oldSet || now == newSet, "neither complete set: \(context)")
            // The published folder holds exactly what its own manifest lists.
            #expect(Self.manifestFiles(out) == Self.listing(out), "manifest and folder differ: \(context)")
            let names = try FileManager.default.contentsOfDirectory(atPath: work)
            #expect(
                names.filter { $0.contains(".staging-") || $0.contains(".previous-") }.isEmpty,
                "left beside the output: \(names) — \(context)")
            #expect(!stderr.contains("cannot publish"), "a spurious error line: \(context)")
            let published = now != current
            switch status {
            case 0:
                #expect(published, "exit 0 without publishing: \(context)")
                outcomes["0 published", default: 0] += 1
            case 128 + number:
                if published {
                    #expect(stderr.contains("stopped by \(name) after the new output was published"), "\(context)")
                    outcomes["\(128 + number) published", default: 0] += 1
                } else {
                    #expect(stderr.contains("stopped by \(name); nothing was published"), "\(context)")
                    outcomes["\(128 + number) unchanged", default: 0] += 1
                }
            default:
                Issue.record("unexpected exit: \(context)")
            }
            current = now
        }
        print("signals around the swap: \(outcomes.sorted { $0.key < $1.key })")
        // Both sides of the swap were reached: some runs stopped before it, some published.
        #expect(outcomes.keys.contains { $0.hasSuffix("unchanged") })
        #expect(outcomes.keys.contains { $0.hasSuffix("published") })
    }

    /// A stand-in for Chromium: a shell script that starts a child and then sleeps, as a hung
    /// browser would; it records its process id and its children's.
    static func hungBrowser(in folder: String) throws -> String {
        let script = folder + "/hung-chromium"
        let text = """
            #!/bin/sh
            sleep 300 &
            echo $! >> "\(folder)/pids"
            echo $$ >> "\(folder)/pids"
            sleep 300
            """
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        return script
    }

    static func running(_ pidsFile: String) -> [Int32] {
        let text = (try? String(contentsOfFile: pidsFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int32($0) }.filter { pid in
            // A zombie is not running: read its state.
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
        }
    }

    static func temporaryPDFFolders(_ tmp: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []).filter { $0.hasPrefix("boardpack-pdf-") }
    }

    @Test("A hung Chromium is stopped after --pdf-timeout: exit 3, its processes ended, its folder deleted")
    func pdfTimeout() throws {
        let work = try E.temporary()
        let tmp = work + "/tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let browser = try Self.hungBrowser(in: work)
        let started = Date()
        let r = try SafetyTests.run(
            [
                "build", "--inputs", E.fixture("small"), "--out", work + "/packs", "--format", "html,pdf",
                "--pdf-timeout", "2", "--threads", "1",
            ], in: work, seconds: 60, environment: ["BOARDPACK_CHROMIUM": browser, "TMPDIR": tmp])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("did not finish within 2 s"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        usleep(200_000)
        #expect(Self.running(work + "/pids").isEmpty, "Chromium's processes outlive the build")
        #expect(Self.temporaryPDFFolders(tmp).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: work + "/packs"))
    }

    @Test("SIGTERM while Chromium prints: its processes ended, its private folder deleted, 143")
    func signalWhilePrinting() throws {
        let work = try E.temporary()
        let tmp = work + "/tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let browser = try Self.hungBrowser(in: work)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: E.binary)
        process.arguments = [
            "build", "--inputs", E.fixture("small"), "--out", work + "/packs", "--format", "pdf", "-q",
            "--templates", E.root + "/templates",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["BOARDPACK_CHROMIUM": browser, "TMPDIR": tmp]) { $1 }
        // Standard error to a file, not a pipe: a process left holding a pipe would hang the test
        // rather than fail it.
        let errPath = work + "/stderr.txt"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let errFile = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardError = errFile
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Self.running(work + "/pids").count < 2, Date() < deadline { usleep(10_000) }
        // The folder Chromium works in is the owner's alone while it runs.
        for folder in Self.temporaryPDFFolders(tmp) {
            let mode =
                (try FileManager.default.attributesOfItem(atPath: tmp + "/" + folder)[.posixPermissions]
                as? NSNumber)?.intValue
            #expect(mode == 0o700, "\(folder): \(String(mode ?? 0, radix: 8))")
        }
        kill(process.processIdentifier, SIGTERM)
        let stopDeadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < stopDeadline { usleep(10_000) }
        if process.isRunning {
            Issue.record("the build did not stop within 60 s of SIGTERM")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        try errFile.close()
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 143, "\(stderr)")
        usleep(200_000)
        #expect(Self.running(work + "/pids").isEmpty, "Chromium's processes outlive the build")
        #expect(Self.temporaryPDFFolders(tmp).isEmpty)
    }
}
