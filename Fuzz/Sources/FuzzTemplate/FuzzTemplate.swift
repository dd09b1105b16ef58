import BoardPackRender
import Foundation

/// libFuzzer entry: one template, loaded as a build loads a templates folder (as the HTML and the
/// Markdown index, beside the shipped pack templates' names) and, when it loads, rendered. Any input
/// loads or gives a `RenderError`, never a crash or a hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let folder = FuzzFolder.shared
    for output in ["html", "markdown"] {
        try? bytes.write(to: URL(fileURLWithPath: folder + "/\(output)/index.mustache"))
    }
    if let renderer = try? PackRenderer(templatesFolder: folder) {
        _ = renderer.render(index: ViewBuilder.index([]), as: .html)
        _ = renderer.render(index: ViewBuilder.index([]), as: .markdown)
    }
    return 0
}

enum FuzzFolder {
    /// A templates folder whose pack templates are minimal and whose index is the fuzzed input.
    static let shared: String = {
        let folder = NSTemporaryDirectory() + "boardpack-fuzz-templates-\(getpid())"
        for output in ["html", "markdown"] {
            try? FileManager.default.createDirectory(atPath: folder + "/" + output, withIntermediateDirectories: true)
            let pragma = output == "markdown" ? "{{% CONTENT_TYPE: MARKDOWN }}\n" : ""
            try? Data((pragma + "{{name}}\n").utf8).write(
                to: URL(fileURLWithPath: folder + "/\(output)/board-pack.mustache"))
        }
        return folder
    }()
}
