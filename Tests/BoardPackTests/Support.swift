import BoardPackCore
import Foundation

/// Paths and helpers shared by the tests.
enum TestSupport {
    /// The package root, found from this file's path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func fixture(_ name: String) -> String { root + "/Tests/BoardPackTests/Fixtures/" + name }
    static var templates: String { root + "/templates" }
    static var goldenRoot: String { root + "/Tests/BoardPackTests/Golden" }

    /// A fresh empty temporary folder.
    static func temporaryFolder(_ label: String = "boardpack") throws -> String {
        let path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `contents` to `name` in a new temporary folder and returns the file's path.
    static func write(_ contents: String, as name: String, in folder: String? = nil) throws -> String {
        let dir = try folder ?? temporaryFolder()
        let path = dir + "/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func writeBytes(_ bytes: [UInt8], as name: String) throws -> String {
        let path = try temporaryFolder() + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every regular file under `folder`, as relative paths, sorted.
    static func files(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var result: [String] = []
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { result.append(path) }
        }
        return result.sorted()
    }

    static func read(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
}

extension DiagnosticLog {
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}
