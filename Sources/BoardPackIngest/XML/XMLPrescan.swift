import BoardPackCore
import Foundation

/// Looks at the start of an XML input before libxml2 parses anything, so that
/// a DOCTYPE (with its entity declarations) never reaches the parser, and an
/// empty file gets a plain message. libxml2 still rejects a DOCTYPE found later.
enum XMLPrescan {
    static let window = 64 * 1024

    enum Finding: Equatable {
        case empty
        /// 1-based line and column of `<!DOCTYPE`.
        case doctype(line: Int, column: Int)
    }

    static func check(_ source: ByteSource) -> Finding? {
        let head: [UInt8]
        switch source {
        case .memory(let bytes):
            head = Array(bytes.prefix(window))
        case .file(let path):
            // Regular files only: a FIFO would block here.
            guard let file = try? FileReader(path: path) else { return nil }
            var bytes = [UInt8](repeating: 0, count: window)
            guard let count = try? file.read(into: &bytes, at: 0, count: window, offset: 0) else { return nil }
            head = Array(bytes.prefix(count))
        }
        if head.isEmpty { return .empty }
        let marker = Array("<!DOCTYPE".utf8)
        var line = 1
        var lineStart = 0
        var i = 0
        while i + marker.count <= head.count {
            if head[i] == 0x0A {
                line += 1
                lineStart = i + 1
            } else if head[i] == 0x3C, head[i..<(i + marker.count)].elementsEqual(marker) {
                return .doctype(line: line, column: i - lineStart + 1)
            }
            i += 1
        }
        return nil
    }
}
