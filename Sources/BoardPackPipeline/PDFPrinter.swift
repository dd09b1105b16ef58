import BoardPackCore
import BoardPackPublish
import CPlatform
import Foundation

/// The pack formats `--format` accepts.
public enum PackFormat: String, CaseIterable, Sendable {
    case html
    case md
    case pdf
    case docx

    /// `html,md` → [.html, .md]; nil with the offending name when one is unknown.
    public static func parseList(_ text: String) -> Result<[PackFormat], FormatListError> {
        var formats: [PackFormat] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = PackFormat(rawValue: name) else { return .failure(FormatListError(name: name)) }
            if !formats.contains(format) { formats.append(format) }
        }
        return formats.isEmpty ? .failure(FormatListError(name: "")) : .success(formats)
    }
}

public struct FormatListError: Error, CustomStringConvertible {
    public let name: String
    public var description: String {
        "--format: unknown format '\(name)'; give a comma-separated list of html, md, pdf and docx (e.g. html,md,pdf)"
    }
}

public enum PDFError: Error, CustomStringConvertible {
    case noBrowser
    case failed(pack: String, detail: String)

    public var description: String {
        switch self {
        case .noBrowser:
            "--format pdf prints the HTML pack with headless Chromium, which is not installed: install the Debian "
                + "package 'chromium' (apt-get install chromium), or leave pdf out of --format"
        case .failed(let pack, let detail): "drawing \(pack) with Chromium failed: \(detail)"
        }
    }
}

/// Prints HTML packs to PDF with headless Chromium (A4 landscape comes from the pack's print stylesheet).
///
/// Each pack is printed by a Chromium of its own, in a process group of its own, working in a
/// temporary folder only the owner can read (`mkdtemp`, 0700). Chromium gets `timeout` seconds;
/// then its whole group is killed and the build fails. On every way out (success, failure, time
/// out, or a signal stopping the build) the group is ended and the folder deleted.
public struct PDFPrinter: Sendable {
    public let executable: String
    /// Seconds one pack may take to print.
    public var timeout: Int = 120

    public init(executable: String, timeout: Int = 120) {
        self.executable = executable
        self.timeout = timeout
    }

    /// Chromium on PATH (`chromium`, `chromium-browser`, `google-chrome`), or `BOARDPACK_CHROMIUM`.
    public static func find() -> PDFPrinter? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["BOARDPACK_CHROMIUM"], !explicit.isEmpty {
            return FileManager.default.isExecutableFile(atPath: explicit) ? PDFPrinter(executable: explicit) : nil
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return PDFPrinter(executable: candidate) }
            }
        }
        return nil
    }

    /// One Chromium at work: its folder and process group, made under the job's lock and ended
    /// once, by whichever of the printing thread and a signal gets there first. A signal's
    /// clean-up waits for a folder or process being made, and once the job has ended nothing more
    /// is made, so nothing is left behind whatever the moment.
    final class Job: @unchecked Sendable {
        private let lock = NSLock()
        private var pid: Int32 = 0
        private var folder: String?
        private var ended = false

        struct Ended: Error {}

        /// Runs `make` (which makes the folder or starts the process) unless the job has ended.
        func make<T>(_ make: () throws -> T) throws -> T {
            try lock.withLock {
                if ended { throw Ended() }
                return try make()
            }
        }

        /// Called inside `make`.
        func record(pid: Int32) { self.pid = pid }
        func record(folder: String) { self.folder = folder }

        /// Kills the group (if started) and deletes the folder (if made); nothing is made after.
        func end(reap: Bool) {
            let (pid, folder) = lock.withLock { () -> (Int32, String?) in
                ended = true
                defer {
                    self.pid = 0
                    self.folder = nil
                }
                return (self.pid, self.folder)
            }
            if pid > 0 {
                boardpack_end_group(pid)
                if reap { boardpack_reap(pid) }
            }
            if let folder { try? FileManager.default.removeItem(atPath: folder) }
        }
    }

    /// Writes the HTML document to a private temporary folder, prints it, and returns the PDF bytes.
    public func print(html: String, name: String) throws -> Data {
        try run(html: Self.withPageNumbers(html), name: name, output: "board-pack.pdf", magic: Array("%PDF".utf8)) {
            ["--no-pdf-header-footer", "--generate-pdf-document-outline", "--print-to-pdf=\($0)"]
        }
    }

    /// A screenshot of the HTML document at `width` × `height` CSS pixels, drawn at twice that
    /// resolution, as PNG bytes (the Word packs' chart pictures).
    public func screenshot(html: String, name: String, width: Int, height: Int) throws -> Data {
        try run(html: html, name: name, output: "screenshot.png", magic: [0x89, 0x50, 0x4E, 0x47]) {
            [
                "--hide-scrollbars", "--force-device-scale-factor=2", "--window-size=\(width),\(height)",
                "--screenshot=\($0)",
            ]
        }
    }

    /// Runs one Chromium on `html` with the arguments `work` gives for the output file, and returns
    /// the file, which must start with `magic`.
    func run(html: String, name: String, output outputName: String, magic: [UInt8], work: (String) -> [String])
        throws -> Data
    {
        let job = Job()
        guard let token = Interruption.shared.addCleanup({ job.end(reap: false) }) else {
            throw PDFError.failed(pack: name, detail: "the build was stopped")
        }
        defer {
            job.end(reap: true)
            Interruption.shared.removeCleanup(token)
        }
        do {
            let folder = try job.make { () throws -> String in
                var template = Array((NSTemporaryDirectory() + "boardpack-pdf-XXXXXX").utf8CString)
                guard let made = mkdtemp(&template) else {
                    throw PDFError.failed(
                        pack: name, detail: "cannot make a temporary folder: \(Publisher.errnoText(errno))")
                }
                let folder = String(cString: made)
                job.record(folder: folder)
                return folder
            }
            let page = folder + "/board-pack.html"
            let pdf = folder + "/" + outputName
            let output = folder + "/chromium.log"
            let bytes = Array(html.utf8)
            let written = boardpack_write_file(page, bytes, bytes.count)
            if written != 0 {
                throw PDFError.failed(
                    pack: name, detail: "cannot write the page to print: \(Publisher.errnoText(written))")
            }
            let arguments =
                [
                    executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-extensions", "--user-data-dir=\(folder)/profile",
                ] + work(pdf) + [URL(fileURLWithPath: page).absoluteString]
            let pid = try job.make { () throws -> Int32 in
                var pid: Int32 = 0
                let started = Self.withCStrings(arguments) { argv in
                    boardpack_spawn_group(executable, argv, output, &pid)
                }
                if started != 0 {
                    throw PDFError.failed(
                        pack: name, detail: "cannot start \(executable): \(Publisher.errnoText(started))")
                }
                job.record(pid: pid)
                return pid
            }
            var status: Int32 = 0
            switch boardpack_wait_child(pid, timeout * 1000, &status) {
            case 0: break
            case 1:
                throw PDFError.failed(
                    pack: name,
                    detail: "Chromium did not finish within \(timeout) s and was stopped (raise --pdf-timeout)")
            default:
                throw PDFError.failed(pack: name, detail: "cannot wait for Chromium: \(Publisher.errnoText(errno))")
            }
            guard status == 0, let data = FileManager.default.contents(atPath: pdf), data.starts(with: magic) else {
                let log = FileManager.default.contents(atPath: output) ?? Data()
                let detail = TerminalText.escaped(String(decoding: log.suffix(600), as: UTF8.self))
                throw PDFError.failed(pack: name, detail: "exit \(status); \(detail)")
            }
            return data
        } catch is Job.Ended {
            throw PDFError.failed(pack: name, detail: "the build was stopped")
        }
    }

    /// The footer every printed page carries, "Page N of M", as a CSS page-margin box. It is added
    /// to the page only when it is printed: the HTML checkers do not read margin boxes yet.
    static let pageNumbers =
        "<style>@page { @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); "
        + "font-family: Arial, Helvetica, sans-serif; font-size: 8pt; color: #425563; } }</style>\n"

    /// `html` with the page-number footer before its `</head>` (at the start when it has none).
    static func withPageNumbers(_ html: String) -> String {
        guard let head = html.range(of: "</head>") else { return pageNumbers + html }
        return html.replacingCharacters(in: head.lowerBound..<head.lowerBound, with: pageNumbers)
    }

    /// Calls `body` with `strings` as a NULL-terminated C array of C strings.
    static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
