import BoardPackCore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A careless or hostile operator's cases, run against the built binary in temporary folders: no
/// run may delete a user's files, hang, read outside its folders, crash, or leave a staging folder.
@Suite("Never lose a user's files")
struct SafetyTests {
    typealias E = EndToEndTests

    /// A working folder holding `inputs/` (the small fixture), a user's file, and nothing else.
    static func workFolder() throws -> String {
        let work = try E.temporary()
        try FileManager.default.copyItem(atPath: E.fixture("small"), toPath: work + "/inputs")
        try Data("my notes\n".utf8).write(to: URL(fileURLWithPath: work + "/notes.txt"))
        return work
    }

    /// Every file under `folder` with its bytes, so a test can check that nothing changed.
    static func contents(_ folder: String) -> [String: Data] {
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [:] }
        for case let path as String in enumerator {
            if let data = FileManager.default.contents(atPath: folder + "/" + path) { result[path] = data }
        }
        return result
    }

    /// Runs the binary; a run still going after `seconds` is killed and reported as status -1.
    static func run(
        _ arguments: [String], in directory: String, seconds: Double = 120, environment: [String: String] = [:]
    )
        throws -> E.Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: E.binary)
        // The project's templates, unless the test brings its own.
        process.arguments =
            arguments.first == "build" && !arguments.contains("--templates")
            ? arguments + ["--templates", E.root + "/templates"] : arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = try E.temporary() + "/out.txt"
        let err = out + ".err"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        var status = process.terminationStatus
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            status = -1
        }
        return E.Result(
            status: status,
            stdout: String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self))
    }

    @Test(
        "build refuses, with exit 2 and before writing, an --out that would delete the user's files",
        arguments: [
            ("", "is empty"), (".", "working folder"), ("./", "working folder"), ("..", "holds the working folder"),
            ("/", "root folder"), ("inputs", "inputs folder"), ("inputs/", "inputs folder"),
            ("inputs/activity", "activity/"), ("inputs/activity/packs", "activity/"), ("home", "home folder"),
        ])
    func refusedOutputs(out: String, why: String) throws {
        let work = try Self.workFolder()
        try FileManager.default.createDirectory(atPath: work + "/home", withIntermediateDirectories: true)
        let before = Self.contents(work)
        let r = try Self.run(
            ["build", "--inputs", "inputs", "--out", out], in: work, environment: ["HOME": work + "/home"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(why), "\(r.stderr)")
        #expect(Self.contents(work) == before)
    }

    @Test("An --out that holds the inputs (an ancestor) is refused; so is sample --out . or ..")
    func ancestorsRefused() throws {
        let work = try Self.workFolder()
        try FileManager.default.createDirectory(atPath: work + "/sub", withIntermediateDirectories: true)
        let before = Self.contents(work)
        let r = try Self.run(["build", "--inputs", work + "/inputs", "--out", work], in: try E.temporary())
        #expect(r.status == 2 && r.stderr.contains("holds the inputs folder"), "\(r.stderr)")
        for out in [".", "..", ""] {
            let s = try Self.run(["sample", "--out", out], in: work + "/sub")
            #expect(s.status == 2, "\(out): \(s.stderr)")
        }
        #expect(Self.contents(work) == before)
    }

    @Test("A folder of unrelated files is replaced only with --force; a previous output without it")
    func markerOrForce() throws {
        let work = try Self.workFolder()
        let mine = work + "/mine"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: mine + "/report.docx"))
        let refused = try Self.run(["build", "--inputs", "inputs", "--out", "mine"], in: work)
        #expect(refused.status == 2 && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(FileManager.default.contents(atPath: mine + "/report.docx") == Data("keep me".utf8))
        let sample = try Self.run(["sample", "--out", "mine"], in: work)
        #expect(sample.status == 2, "\(sample.stderr)")
        #expect(FileManager.default.contents(atPath: mine + "/report.docx") == Data("keep me".utf8))

        let first = try Self.run(["build", "--inputs", "inputs", "--out", "packs", "-q"], in: work)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/packs/.boardpack-output"))
        let again = try Self.run(["build", "--inputs", "inputs", "--out", "packs", "-q"], in: work)
        #expect(again.status == 0, "\(again.stderr)")

        let forced = try Self.run(["build", "--inputs", "inputs", "--out", "mine", "--force", "-q"], in: work)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(!FileManager.default.fileExists(atPath: mine + "/report.docx"))
        #expect(FileManager.default.fileExists(atPath: mine + "/index.html"))
    }

    @Test("A symlinked --out is published through: the link stays and its target is replaced")
    func symlinkedOutput() throws {
        let work = try Self.workFolder()
        let target = work + "/real-packs"
        try FileManager.default.createSymbolicLink(atPath: work + "/packs", withDestinationPath: target)
        for _ in 0..<2 {
            let r = try Self.run(["build", "--inputs", "inputs", "--out", "packs", "-q"], in: work)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: work + "/packs") == target)
            #expect(FileManager.default.fileExists(atPath: target + "/index.html"))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: work).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }

    @Test("A FIFO, a device link, a link out of the folder and a folder named .csv are located errors; nothing hangs")
    func onlyRegularFiles() throws {
        let work = try Self.workFolder()
        let activity = work + "/inputs/activity"
        #expect(mkfifo(activity + "/RZZ-M01.csv", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: activity + "/RZZ-M02.csv", withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(
            atPath: activity + "/RZZ-M03.csv", withDestinationPath: "/etc/passwd")
        try FileManager.default.createDirectory(atPath: activity + "/RZZ-M04.csv", withIntermediateDirectories: true)
        // A link that stays inside the folder is followed.
        try FileManager.default.createSymbolicLink(
            atPath: activity + "/RYY-M03.csv", withDestinationPath: activity + "/RYY-M02.csv")
        let r = try Self.run(["build", "--inputs", "inputs", "--out", "packs"], in: work, seconds: 60)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("inputs/activity/RZZ-M01.csv: error: is a FIFO (named pipe), not a regular file"))
        #expect(
            r.stderr.contains("inputs/activity/RZZ-M02.csv: error: is a symbolic link to a file outside its folder"))
        #expect(
            r.stderr.contains("inputs/activity/RZZ-M03.csv: error: is a symbolic link to a file outside its folder"))
        #expect(r.stderr.contains("inputs/activity/RZZ-M04.csv: error: is a folder"))
        #expect(!r.stderr.contains("RYY-M03.csv: error"))
        #expect(!r.stderr.contains("root:") && !r.stderr.contains("NSPOSIXErrorDomain"))
        #expect(!FileManager.default.fileExists(atPath: work + "/packs"))
        // The lock was released: the next run is not told another run is busy.
        let again = try Self.run(["validate", "--inputs", "inputs"], in: work, seconds: 60)
        #expect(again.status == 1)
    }

    @Test("A required file that is a FIFO or a folder names the file; hidden and lock files are skipped with a note")
    func requiredAndHidden() throws {
        let work = try Self.workFolder()
        let activity = work + "/inputs/activity"
        for name in ["._RXX-M01.csv", ".~lock.RXX-M01.csv#", "~$RXX.csv"] {
            try Data("garbage,,\n\u{1}".utf8).write(to: URL(fileURLWithPath: activity + "/" + name))
        }
        let r = try Self.run(["build", "--inputs", "inputs", "--out", "packs"], in: work)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("activity/._RXX-M01.csv: warning: a hidden or editor lock file; skipped"))
        // The three are one warning, seen in three files; diagnostics.csv names each.
        #expect(r.stderr.contains("a hidden or editor lock file; skipped"))
        #expect(r.stderr.contains("seen in 3 files, first here"), "\(r.stderr)")
        let listing = try String(contentsOfFile: work + "/packs/diagnostics.csv", encoding: .utf8)
        #expect(
            listing.contains("inputs/activity/.~lock.RXX-M01.csv#") || listing.contains("activity/.~lock.RXX-M01.csv#"))
        let pack = try String(contentsOfFile: work + "/packs/00B/board-pack.html", encoding: .utf8)
        #expect(pack.contains("a hidden or editor lock file; skipped"))

        try FileManager.default.removeItem(atPath: work + "/inputs/qipp_schemes.csv")
        #expect(mkfifo(work + "/inputs/qipp_schemes.csv", 0o644) == 0)
        let fifo = try Self.run(["validate", "--inputs", "inputs"], in: work, seconds: 60)
        #expect(fifo.status == 1)
        #expect(
            fifo.stderr.contains("inputs/qipp_schemes.csv: is a FIFO (named pipe), not a regular file"),
            "\(fifo.stderr)")
    }

    @Test("Input, output and configuration paths of any form work", arguments: ["q", "./q", "q/", "with space", "ABS"])
    func pathForms(name: String) throws {
        let work = try E.temporary()
        let folder = name == "ABS" ? work + "/abs-inputs" : work + "/" + name
        try FileManager.default.copyItem(atPath: E.fixture("small"), toPath: folder)
        let given = name == "ABS" ? folder : name
        let r = try Self.run(["build", "--inputs", given, "--out", given.hasSuffix("/") ? "o/" : "o", "-q"], in: work)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/o/index.html"))
    }

    @Test("Control characters in a name are a located error; bidirectional controls are removed with a warning")
    func controlCharacters() throws {
        let work = try Self.workFolder()
        let schemes = work + "/inputs/qipp_schemes.csv"
        let text = try String(contentsOfFile: schemes, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let nameColumn = lines[0].split(separator: ",").firstIndex { $0 == "scheme_name" }!
        let original = fields[nameColumn]
        fields[nameColumn] = "Bad\u{1B}[2Jname"
        var edited = lines
        edited[1] = fields.joined(separator: ",")
        try edited.joined(separator: "\n").write(toFile: schemes, atomically: true, encoding: .utf8)
        let r = try Self.run(["validate", "--inputs", "inputs"], in: work)
        #expect(r.status == 1)
        #expect(r.stderr.contains("inputs/qipp_schemes.csv:2:"), "\(r.stderr)")
        #expect(r.stderr.contains("[value.control-character]"))
        #expect(!r.stderr.utf8.contains(0x1B), "nothing from the input reaches the terminal raw")

        fields[nameColumn] = "Evil\u{202E}txt.exe" + original
        edited[1] = fields.joined(separator: ",")
        try edited.joined(separator: "\n").write(toFile: schemes, atomically: true, encoding: .utf8)
        let b = try Self.run(["build", "--inputs", "inputs", "--out", "packs"], in: work)
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stderr.contains("[value.bidi-control]") && b.stderr.contains("\\u{202E}"))
        for file in ["00B/board-pack.html", "00B/board-pack.md", "00B/figures.json", "system/board-pack.html"] {
            let bytes = FileManager.default.contents(atPath: work + "/packs/" + file) ?? Data()
            #expect(!String(decoding: bytes, as: UTF8.self).unicodeScalars.contains("\u{202E}"), "\(file)")
        }
    }

    @Test("A file name with control characters or a line break is refused, shown escaped, nowhere raw")
    func escapedFileName() throws {
        for name in ["evil\u{1B}]0;x\u{7}.txt", "RK5-\u{1B}[31m\u{1B}]0;title\u{7}X.csv", "RK5-line\nbreak.csv"] {
            let work = try Self.workFolder()
            let header = try String(contentsOfFile: work + "/inputs/activity/RXX-M01.csv", encoding: .utf8)
            try header.write(toFile: work + "/inputs/activity/" + name, atomically: true, encoding: .utf8)
            let r = try Self.run(["build", "--inputs", "inputs", "--out", "packs"], in: work)
            #expect(r.status == 1, "\(r.stderr)")
            #expect(r.stderr.contains("[file.control-character]"), "\(r.stderr)")
            #expect(r.stderr.contains(TerminalText.escaped(name)), "\(r.stderr)")
            #expect(!r.stderr.utf8.contains(0x1B) && !r.stderr.utf8.contains(0x07))
            #expect(!FileManager.default.fileExists(atPath: work + "/packs"))
        }
    }

    @Test("Templates that include each other in a loop are a located error with exit 2, and nothing is written")
    func includeCycle() throws {
        let work = try Self.workFolder()
        try FileManager.default.copyItem(atPath: E.root + "/templates", toPath: work + "/templates")
        let cover = work + "/templates/html/cover.mustache"
        let text = try String(contentsOfFile: cover, encoding: .utf8)
        try (text + "{{> cover}}\n").write(toFile: cover, atomically: true, encoding: .utf8)
        let r = try Self.run(
            ["build", "--inputs", "inputs", "--templates", "templates", "--out", "packs"], in: work, seconds: 60)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("templates/html/cover.mustache:"), "\(r.stderr)")
        #expect(r.stderr.contains("loop (cover → cover)"))
        #expect(!FileManager.default.fileExists(atPath: work + "/packs"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: work).filter { $0.hasPrefix(".packs") }
        #expect(leftovers.allSatisfy { $0.hasSuffix(".lock") })
    }

    @Test("Configuration oddities are located errors with exit 2; CRLF is read")
    func configuration() throws {
        let work = try Self.workFolder()
        let config = work + "/inputs/boardpack.toml"
        for (text, expected) in [
            ("[business_rules]\nsurplus_percent = 100000000000000000\n", "boardpack.toml:2:"),
            ("[business_rules]\nsurplus_percent = 1.½\n", "boardpack.toml:2:"),
            ("[rag]\ngreen_at_percent = ٩٥\n", "boardpack.toml:2:"),
            ("[rag]\ngreen_at_percent = 95\n[rag]\namber_at_percent = 80\n", "the table is given twice"),
            ("[rag]\ngreen_at_percent = 9\u{1B}5\n", "control character"),
        ] {
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            let r = try Self.run(["build", "--inputs", "inputs", "--out", "packs"], in: work)
            #expect(r.status == 2, "\(text): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(text): \(r.stderr)")
        }
        try "[rag]\r\ngreen_at_percent = 90\r\namber_at_percent = 70\r\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let crlf = try Self.run(["build", "--inputs", "inputs", "--out", "packs", "-q"], in: work)
        #expect(crlf.status == 0, "\(crlf.stderr)")
    }

    @Test("SIGTERM, SIGINT and SIGHUP stop a build cleanly: staging removed, lock released, 128 + N and one line")
    func signals() throws {
        let inputs = try OperationsTests.bigInputs()
        for (number, code, name) in [
            (SIGTERM, Int32(143), "SIGTERM"), (SIGINT, 130, "SIGINT"), (SIGHUP, 129, "SIGHUP"),
        ] {
            let work = try E.temporary()
            let first = try Self.run(["build", "--inputs", inputs, "--out", work + "/packs", "-q"], in: work)
            #expect(first.status == 0, "\(first.stderr)")
            let before = Self.contents(work + "/packs")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: E.binary)
            process.arguments = [
                "build", "--inputs", inputs, "--out", work + "/packs", "-q", "--templates", E.root + "/templates",
            ]
            let err = Pipe()
            process.standardError = err
            try process.run()
            // Signalled once the run has begun writing its staging folder.
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []
                if names.contains(where: { $0.hasPrefix(".packs.staging-") }) { break }
                usleep(2_000)
            }
            kill(process.processIdentifier, number)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == code, "\(stderr)")
            #expect(stderr.contains("stopped by \(name)"), "\(stderr)")
            #expect(!stderr.contains("cannot publish"), "\(stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: work)
            #expect(names.filter { $0.contains("staging") || $0.contains("previous") }.isEmpty, "\(names)")
            #expect(Self.contents(work + "/packs") == before)
            let next = try Self.run(
                ["build", "--inputs", inputs, "--out", work + "/packs", "-q", "--wait", "0"], in: work)
            #expect(next.status == 0, "\(next.stderr)")
        }
    }

    @Test("The manifest lists every file read, the ledger and Quality Premium included")
    func manifestLists() throws {
        let work = try E.temporary()
        try FileManager.default.copyItem(atPath: E.root + "/inputs", toPath: work + "/inputs")
        let r = try Self.run(["build", "--inputs", "inputs", "--out", "packs", "-q"], in: work)
        #expect(r.status == 0, "\(r.stderr)")
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: work + "/packs/manifest.json")))
            as! [String: Any]
        let entries = manifest["inputs"] as! [[String: Any]]
        let listed = Set(entries.filter { $0["role"] as? String == "data" }.map { $0["path"] as! String })
        // The configuration in force and the templates are in the same list.
        #expect(
            entries.contains { $0["role"] as? String == "configuration" && $0["path"] as? String == "boardpack.toml" })
        #expect(entries.contains { $0["role"] as? String == "template" })
        var expected: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: work + "/inputs")
        where name.hasSuffix(".csv") || name.hasSuffix(".xml") || name.hasSuffix(".xlsx") {
            expected.insert(name)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: work + "/inputs/activity") {
            expected.insert("activity/" + name)
        }
        #expect(listed == expected)
        #expect(listed.contains("finance_ledger.csv") && listed.contains("quality_premium.csv"))
    }
}
