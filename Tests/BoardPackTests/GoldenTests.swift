import BoardPackCore
import BoardPackPipeline
import BoardPackPublish
import BoardPackRender
import BoardPackSample
import Foundation
import Testing

/// Golden files for the packs rendered from the shipped sample `inputs/`.
/// Re-record on purpose with `RECORD_GOLDEN=1 swift test --filter GoldenTests`.
@Suite("Golden packs and the shipped sample")
struct GoldenTests {
    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" }

    func build(_ inputs: String) throws -> [String: Data] {
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted) \(outcome.failure ?? "")")
        return Dictionary(uniqueKeysWithValues: outcome.files.map { ($0.path, Data($0.contents)) })
    }

    @Test("The sample packs match their golden files, byte for byte")
    func samplePacks() throws {
        let files = try build(TestSupport.root + "/inputs")
        try Self.check(files, against: TestSupport.goldenRoot + "/sample")
    }

    @Test("The sample's Word documents: their document XML matches the golden files")
    func sampleWordDocuments() throws {
        let files = try build(TestSupport.root + "/inputs")
        var documents: [String: Data] = [:]
        for (path, data) in files where path.hasSuffix(".html") && path.contains("/board-pa") {
            let name = String(path.dropLast(".html".count)) + ".document.xml"
            documents[name] = Data(DocxPackage.documentXML(html: Array(data)).utf8)
        }
        #expect(documents.count == 8, "every pack and paper")
        try Self.check(documents, against: TestSupport.goldenRoot + "/sample-docx")
    }

    /// Compares `files` (by path) with the golden folder, or re-records it (and fails) under
    /// RECORD_GOLDEN=1.
    static func check(_ files: [String: Data], against golden: String) throws {
        if recording {
            try? FileManager.default.removeItem(atPath: golden)
            for (path, data) in files {
                _ = try TestSupport.write(String(decoding: data, as: UTF8.self), as: path, in: golden)
            }
            // Recording is never a pass: the run that re-records says so and fails.
            Issue.record(
                "re-recorded \(files.count) golden files; review the diff, then run again without RECORD_GOLDEN")
            return
        }
        let expected = TestSupport.files(under: golden)
        #expect(!expected.isEmpty, "no golden files: record them with RECORD_GOLDEN=1")
        #expect(expected == files.keys.sorted(), "the set of files changed")
        for path in expected {
            let want = TestSupport.read(golden + "/" + path) ?? Data()
            let got = files[path] ?? Data()
            #expect(got == want, "\(path) differs from its golden file: \(firstDifference(got, want))")
        }
    }

    /// The first line where two files differ, with both versions.
    static func firstDifference(_ got: Data, _ want: Data) -> String {
        let a = String(decoding: got, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: want, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) where i >= a.count || i >= b.count || a[i] != b[i] {
            func line(_ l: [Substring]) -> String { i < l.count ? String(l[i].prefix(300)) : "(end of file)" }
            return "line \(i + 1)\n  built:  \(line(a))\n  golden: \(line(b))"
        }
        return "same lines"
    }

    @Test("Building twice gives the same bytes")
    func deterministic() throws {
        #expect(try build(TestSupport.fixture("small")) == build(TestSupport.fixture("small")))
    }

    @Test("The shipped inputs/ is exactly what `boardpack sample` writes at default settings")
    func shippedSample() throws {
        let folder = try TestSupport.temporaryFolder() + "/inputs"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try SampleGenerator.write(SampleOptions(), to: folder)
        let shipped = TestSupport.root + "/inputs"
        let names = TestSupport.files(under: folder)
        // The marker is the publisher's, written by `boardpack sample` around the generator.
        let marker = OutputFolder.Kind.sample.marker
        #expect(names == TestSupport.files(under: shipped).filter { $0 != marker })
        #expect(TestSupport.read(shipped + "/" + marker) == Data(OutputFolder.Kind.sample.markerText.utf8))
        for name in names {
            #expect(TestSupport.read(folder + "/" + name) == TestSupport.read(shipped + "/" + name), "\(name)")
        }
    }

    @Test("The sample generator is deterministic and honours its options")
    func sampleOptions() throws {
        var options = SampleOptions()
        options.commissioners = 5
        options.providers = 3
        options.months = 4
        options.seed = 7
        let a = try TestSupport.temporaryFolder()
        let b = try TestSupport.temporaryFolder()
        let summary = try SampleGenerator.write(options, to: a)
        _ = try SampleGenerator.write(options, to: b)
        for name in TestSupport.files(under: a) {
            #expect(TestSupport.read(a + "/" + name) == TestSupport.read(b + "/" + name))
        }
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: a, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted)")
        #expect(outcome.packs.count == 6)
        #expect(outcome.period?.month == 4)
        #expect(summary.schemes >= 5 * 12)
        // Every gateway stage appears in the sample.
        let stages = Set(outcome.packs.last!.schemes.map(\.scheme.stage))
        #expect(stages == Set(GatewayStage.allCases))
    }
}
