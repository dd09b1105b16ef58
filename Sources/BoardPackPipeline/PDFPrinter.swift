import Foundation

/// The pack formats `--format` accepts.
public enum PackFormat: String, CaseIterable, Sendable {
    case html
    case md
    case pdf

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
        "--format: unknown format '\(name)'; give a comma-separated list of html, md and pdf (e.g. html,md,pdf)"
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
        case .failed(let pack, let detail): "printing \(pack) to PDF with Chromium failed: \(detail)"
        }
    }
}

/// Prints HTML packs to PDF with headless Chromium (A4 landscape comes from the pack's print stylesheet).
public struct PDFPrinter: Sendable {
    public let executable: String

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

    /// Writes each HTML document to a private temporary folder, prints it, and returns the PDF bytes.
    public func print(html: String, name: String) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "boardpack-pdf-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("board-pack.html")
        let pdf = folder.appendingPathComponent("board-pack.pdf")
        try Data(html.utf8).write(to: page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--user-data-dir=\(folder.path)/profile", "--no-pdf-header-footer",
            "--print-to-pdf=\(pdf.path)", page.absoluteString,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: pdf.path),
            data.starts(with: Array("%PDF".utf8))
        else {
            let detail = String(decoding: stderr.suffix(600), as: UTF8.self)
            throw PDFError.failed(pack: name, detail: "exit \(process.terminationStatus); \(detail)")
        }
        return data
    }
}
