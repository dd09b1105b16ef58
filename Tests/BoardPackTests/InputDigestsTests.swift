import BoardPackCore
import BoardPackIngest
import Foundation
import Testing

@testable import BoardPackPipeline

@Suite("Input digests worked out in the background")
struct InputDigestsTests {
    static func folder(files: Int, bytes: Int) throws -> String {
        let folder = try TestSupport.temporaryFolder("digests")
        try FileManager.default.createDirectory(atPath: folder + "/activity", withIntermediateDirectories: true)
        let block = [UInt8]((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        for k in 0..<files {
            try Data(block + [UInt8(k)]).write(to: URL(fileURLWithPath: folder + "/activity/R\(k).csv"))
        }
        try Data("code,name\n".utf8).write(to: URL(fileURLWithPath: folder + "/organisations.csv"))
        try Data("not an input".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        return folder
    }

    @Test("A file's digest read in chunks is the digest of its bytes, across chunk boundaries")
    func chunkedFileDigest() throws {
        let folder = try TestSupport.temporaryFolder("digest-chunks")
        for size in [0, 1, (4 << 20) - 1, 4 << 20, (9 << 20) + 3] {
            let bytes = [UInt8]((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 12) })
            let path = folder + "/f\(size)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try SHA256.hex(file: path) == (try SHA256.hex(bytes)), "\(size) bytes")
        }
        #expect(try SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("Once stopped, the work hashes nothing more; what it gave is each file's SHA-256")
    func stopsAndIsRight() throws {
        let folder = try Self.folder(files: 60, bytes: 1 << 20)
        let digests = InputDigests(files: Self.files(folder))
        // Let the work hash something first, so that there are digests to check below.
        for _ in 0..<400 where digests.peek().isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        let first = digests.stop()
        #expect(!first.isEmpty)
        // Stopped: a while later nothing more has been added (peek does not wait for the work).
        Thread.sleep(forTimeInterval: 0.3)
        #expect(digests.peek() == first)
        for (path, digest) in first { #expect(digest.sha256 == (try SHA256.hex(file: path))) }
    }

    /// The folder's files as a build's list of files read.
    static func files(_ folder: String) -> [FileRead] {
        let activity = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/activity")) ?? []
        let names = ["organisations.csv"] + activity.sorted().map { "activity/" + $0 }
        return names.map {
            FileRead(role: .data, path: $0, location: folder + "/" + $0, status: FileStatus.of(folder + "/" + $0))
        }
    }

    @Test("Given time, every file it is given is hashed, and nothing else")
    func coversTheInputs() throws {
        let folder = try Self.folder(files: 3, bytes: 1000)
        let digests = InputDigests(files: Self.files(folder))
        var seen: [String: SHA256.FileDigest] = [:]
        for _ in 0..<400 where seen.count < 4 {  // up to 20 s: the work runs at low priority
            Thread.sleep(forTimeInterval: 0.05)
            seen = digests.peek()
        }
        let want = ["organisations.csv", "activity/R0.csv", "activity/R1.csv", "activity/R2.csv"].map {
            folder + "/" + $0
        }
        #expect(Set(seen.keys) == Set(want))
        #expect(digests.stop() == seen)
    }
}

@Suite("The manifest's inputs")
struct ManifestInputTests {
    @Test("A file changed after it was read is refused, never hashed as if it had been parsed")
    func changedFile() throws {
        let folder = try TestSupport.temporaryFolder("manifest-inputs")
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: folder + "/in")
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: folder + "/in", log: log)
        #expect(dataset.files.map(\.path).contains("activity/RXX-M01.csv"))
        let read = dataset.files.map {
            FileRead(role: .data, path: $0.path, location: folder + "/in/" + $0.path, status: $0.status)
        }
        let inputs = try Manifest.inputs(read, dataset: dataset)
        #expect(inputs.map(\.path) == dataset.files.map(\.path))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/in/activity/RXX-M01.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n".utf8))
        try handle.close()
        #expect(throws: Manifest.InputChanged.self) { try Manifest.inputs(read, dataset: dataset) }
    }

    @Test("The manifest lists exactly the files the build read: data, configuration and every template")
    func exactSet() throws {
        let folder = try TestSupport.temporaryFolder("manifest-set")
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: folder + "/in")
        try "[rag]\ngreen_at_percent = 95\n".write(
            toFile: folder + "/in/boardpack.toml", atomically: true, encoding: .utf8)
        try "not an input".write(toFile: folder + "/in/notes.txt", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: folder + "/in", output: folder + "/out", templates: TestSupport.templates), log: log)
        #expect(outcome.status == .success, "\(log.sorted)")
        let data = try #require(FileManager.default.contents(atPath: folder + "/out/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let inputs = try #require(manifest["inputs"] as? [[String: Any]])
        let listed = Set(inputs.map { "\($0["role"] as? String ?? "?") \($0["path"] as? String ?? "?")" })
        let templates = TestSupport.files(under: TestSupport.templates).filter { $0.hasSuffix(".mustache") }
        let want = Set(
            [
                "organisations.csv", "qipp_schemes.csv", "qipp_monthly.csv", "activity/RXX-202526-M12.csv",
                "activity/RXX-M01.csv", "activity/RXX-M02.csv", "activity/RYY-M02.csv",
            ].map { "data " + $0 }
                + ["configuration boardpack.toml"] + templates.map { "template " + $0 })
        #expect(listed == want, "\(listed.symmetricDifference(want).sorted())")
        #expect(inputs.count == want.count)
    }
}
