import BoardPackCore
import BoardPackRender
import Foundation

extension BuildOptions {
    /// The configuration file in force: `config`; else `boardpack.toml` in the
    /// input folder; else `boardpack.toml` beside the input folder; else none (defaults).
    public var configPath: String? {
        if let config { return config }
        let folder = URL(fileURLWithPath: inputs.isEmpty ? "." : inputs, isDirectory: true).standardizedFileURL
        let inside = folder.appendingPathComponent(Configuration.fileName)
        let beside = folder.deletingLastPathComponent().appendingPathComponent(Configuration.fileName)
        for url in [inside, beside] where FileStatus.of(url.path, followLinks: false).kind != .missing {
            // Named as the user would write it when it is the one in the input folder.
            return url == inside ? (inputs as NSString).appendingPathComponent(Configuration.fileName) : url.path
        }
        return nil
    }
}

public struct BuildOptions: Sendable {
    public var inputs: String
    public var output: String
    public var templates: String
    public var period: FinancialMonth?
    /// Build only these commissioners' packs (and the index); empty for all, plus the system pack.
    public var commissioners: [String]
    /// Seconds to wait for another run's lock on the output folder.
    public var wait: Int
    /// The configuration file; nil for `boardpack.toml` in the input folder when present.
    public var config: String?
    /// Which files each pack gets: board-pack.html, board-pack.md (with charts/), board-pack.pdf,
    /// board-pack.docx.
    public var formats: [PackFormat] = [.html, .md]
    /// Worker threads for reading and rendering; nil for every core. The output does not depend on it.
    public var threads: Int?
    /// Replace a non-empty output folder even when it is not a previous BoardPack output.
    public var force = false
    /// Seconds headless Chromium may take to print one pack (`--format pdf`) before the build fails.
    public var pdfTimeout = 120
    /// A Word document whose styles the .docx packs take (`--docx-reference`); nil for BoardPack's.
    public var docxReference: String?

    public init(
        inputs: String, output: String, templates: String, period: FinancialMonth? = nil,
        commissioners: [String] = [], wait: Int = 30, config: String? = nil
    ) {
        self.config = config
        self.inputs = inputs
        self.output = output
        self.templates = templates
        self.period = period
        self.commissioners = commissioners
        self.wait = wait
    }
}
