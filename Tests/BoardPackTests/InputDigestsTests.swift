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
        let digests = InputDigests(folder: folder)
        // Let the work hash something first, so that there are digests to check below.
        for _ in 0..<400 where digests.peek().isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        let first = digests.stop()
        #expect(!first.isEmpty)
        // Stopped: a while later nothing more has been added (peek does not wait for the work).
        Thread.sleep(forTimeInterval: 0.3)
        #expect(digests.peek() == first)
        for (path, digest) in first { #expect(digest.sha256 == (try SHA256.hex(file: folder + "/" + path))) }
        #expect(!first.keys.contains("notes.txt"))
    }

    @Test("Given time, every CSV and XML input is hashed, in the folder and in activity/")
    func coversTheInputs() throws {
        let folder = try Self.folder(files: 3, bytes: 1000)
        let digests = InputDigests(folder: folder)
        var seen: [String: SHA256.FileDigest] = [:]
        for _ in 0..<400 where seen.count < 4 {  // up to 20 s: the work runs at low priority
            Thread.sleep(forTimeInterval: 0.05)
            seen = digests.peek()
        }
        #expect(Set(seen.keys) == ["organisations.csv", "activity/R0.csv", "activity/R1.csv", "activity/R2.csv"])
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
        let inputs = try Manifest.inputs(folder: folder + "/in", dataset: dataset)
        #expect(inputs.map(\.path) == dataset.files.map(\.path))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/in/activity/RXX-M01.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n".utf8))
        try handle.close()
        #expect(throws: Manifest.InputChanged.self) { try Manifest.inputs(folder: folder + "/in", dataset: dataset) }
    }
}
