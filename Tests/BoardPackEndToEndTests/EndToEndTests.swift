import Foundation
import Testing

/// Runs the built `boardpack` binary as a user would and checks its exit
/// status, standard output, standard error and the files it writes.
@Suite("boardpack end to end")
struct EndToEndTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The binary beside the test bundle (`swift build` puts both in one folder).
    static let binary: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "boardpack"
            ).path,
            Bundle.main.bundleURL.appendingPathComponent("boardpack").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("boardpack").path,
            root + "/.build/debug/boardpack",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], in directory: String = root, environment: [String: String] = [:]) throws
        -> Result
    {
        let process = Process()
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporary() throws -> String {
        let path = NSTemporaryDirectory() + "boardpack-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func fixture(_ name: String) -> String { root + "/Tests/BoardPackTests/Fixtures/" + name }

    @Test("build writes every pack, the system pack and the index; exit 0")
    func build() throws {
        let out = try Self.temporary() + "/packs"
        let result = try Self.run(["build", "--inputs", Self.fixture("small"), "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Built 3 packs for 2026/27 M2 (May 2026)"))
        for folder in ["00A", "00B", "system"] {
            for file in ["board-pack.html", "board-pack.md", "figures.json"] {
                #expect(FileManager.default.fileExists(atPath: "\(out)/\(folder)/\(file)"), "\(folder)/\(file)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: out + "/index.html"))
        #expect(FileManager.default.fileExists(atPath: out + "/index.md"))
        // Warnings are printed compiler-style and the run still succeeds.
        #expect(result.stderr.contains("RYY-M02.csv:2:18: warning:"))
        #expect(result.stderr.contains("0 errors, 1 warning"))
    }

    @Test("build is the default subcommand and honours --period")
    func periodOption() throws {
        let out = try Self.temporary() + "/packs"
        let result = try Self.run(["--inputs", Self.fixture("small"), "--out", out, "--period", "2026-04"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Built 3 packs for 2026/27 M1 (April 2026)"))
    }

    @Test("Input errors exit 1, name file, line, column and field, and publish nothing")
    func inputErrors() throws {
        let inputs = try Self.temporary()
        let fm = FileManager.default
        try fm.createDirectory(atPath: inputs + "/activity", withIntermediateDirectories: true)
        for name in ["organisations.csv", "qipp_schemes.csv", "qipp_monthly.csv"] {
            try fm.copyItem(atPath: Self.fixture("small/" + name), toPath: inputs + "/" + name)
        }
        try Data(
            "financial_year,financial_month,commissioner_code,provider_code,pod,tfc,planned_activity,actual_activity,planned_price,actual_price\n202627,1,00A,RXX,EL,100,1,2,#REF!,1\n"
                .utf8
        ).write(to: URL(fileURLWithPath: inputs + "/activity/RXX-M01.csv"))
        let out = try Self.temporary() + "/packs"
        let result = try Self.run(["build", "--inputs", inputs, "--out", out])
        #expect(result.status == 1)
        #expect(result.stderr.contains("activity/RXX-M01.csv:2:29: error: contract_monitoring_planned_price:"))
        #expect(result.stderr.contains("nothing was published"))
        #expect(!fm.fileExists(atPath: out))
    }

    @Test(
        "Usage errors exit 2",
        arguments: [
            ["build", "--period", "October"], ["build", "--no-such-option"], ["frobnicate"],
            ["build", "--format", "html,odt"],
        ])
    func usage(arguments: [String]) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test("--format pdf without Chromium names the package to install and writes nothing")
    func pdfWithoutChromium() throws {
        let out = try Self.temporary() + "/packs"
        let result = try Self.run(
            ["build", "--inputs", Self.fixture("small"), "--out", out, "--format", "html,pdf"],
            environment: ["BOARDPACK_CHROMIUM": "/nonexistent/chromium"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("install the Debian package 'chromium'"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("--format md writes the Markdown pack, its chart files and no HTML")
    func markdownOnly() throws {
        let out = try Self.temporary() + "/packs"
        let result = try Self.run(["build", "--inputs", Self.fixture("small"), "--out", out, "--format", "md", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let fm = FileManager.default
        #expect(!fm.fileExists(atPath: out + "/00A/board-pack.html") && !fm.fileExists(atPath: out + "/index.html"))
        let markdown = try String(contentsOfFile: out + "/00A/board-pack.md", encoding: .utf8)
        // Every chart the pack links is a file beside it.
        var linked = 0
        for part in markdown.components(separatedBy: "](charts/").dropFirst() {
            let name = String(part.prefix { $0 != ")" })
            #expect(fm.fileExists(atPath: out + "/00A/charts/" + name), "\(name)")
            linked += 1
        }
        #expect(linked >= 3)
    }

    @Test("A missing template exits 2 and names it")
    func missingTemplate() throws {
        let templates = try Self.temporary()
        let result = try Self.run([
            "build", "--inputs", Self.fixture("small"), "--templates", templates, "--out", try Self.temporary() + "/x",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("board-pack.mustache: required template is missing"))
    }

    @Test("A missing input folder or file exits 1 and names it")
    func missingInputs() throws {
        let empty = try Self.temporary()
        let result = try Self.run(["validate", "--inputs", empty])
        #expect(result.status == 1)
        #expect(result.stderr.contains("organisations.csv: required file is missing"))
    }

    @Test("validate reads and checks only")
    func validate() throws {
        let result = try Self.run(["validate", "--inputs", Self.fixture("small-xml")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OK: 2 commissioners, 4 schemes, 4 submissions (12 rows, 3 superseded"))
    }

    @Test("sample then build: the README's path from nothing to packs")
    func sampleThenBuild() throws {
        let work = try Self.temporary()
        try FileManager.default.createSymbolicLink(
            atPath: work + "/templates", withDestinationPath: Self.root + "/templates")
        let sample = try Self.run(["sample", "--commissioners", "2", "--providers", "2", "--months", "3"], in: work)
        #expect(sample.status == 0, "\(sample.stderr)")
        #expect(sample.stdout.hasPrefix("Wrote "))
        let build = try Self.run(["build"], in: work)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("M3 (June 2026)"))
        #expect(FileManager.default.fileExists(atPath: work + "/outputs/system/board-pack.html"))
    }
}
