import Foundation

public enum PublishError: Error, CustomStringConvertible, Sendable {
    case notADirectory(String)
    case failed(String, String)

    public var description: String {
        switch self {
        case .notADirectory(let path): "\(path): exists and is not a folder"
        case .failed(let path, let why): "\(path): cannot publish: \(why)"
        }
    }
}

/// Publishes a complete output folder or nothing.
///
/// Files are written to a staging folder beside the destination
/// (`.NAME.staging-PID`); only when every file is written is the previous
/// folder moved aside and the staging folder renamed into its place, then
/// the previous folder removed. A failure before the swap leaves the previous
/// packs untouched.
public enum Publisher {
    private struct FillError: Error { let underlying: any Error }

    public struct File: Sendable {
        public let path: String
        public let contents: Data
        public init(path: String, contents: String) {
            self.path = path
            self.contents = Data(contents.utf8)
        }
    }

    public static func publish(_ files: [File], to destination: String) throws {
        try publishFolder(to: destination) { staging in
            let fm = FileManager.default
            let root = URL(fileURLWithPath: staging)
            for file in files {
                let target = root.appendingPathComponent(file.path)
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: target)
            }
        }
    }

    /// Lets `fill` write a complete folder into a fresh staging folder, then
    /// swaps it into place at `destination`.
    public static func publishFolder<T>(to destination: String, _ fill: (String) throws -> T) throws -> T {
        let fm = FileManager.default
        var dest = destination
        while dest.count > 1 && dest.hasSuffix("/") { dest.removeLast() }
        let url = URL(fileURLWithPath: dest)
        let parent = url.deletingLastPathComponent()
        let base = url.lastPathComponent
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw PublishError.notADirectory(destination)
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(base).staging-\(pid)")
        let previous = parent.appendingPathComponent(".\(base).previous-\(pid)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            let result: T
            do {
                result = try fill(staging.path)
            } catch {
                try? fm.removeItem(at: staging)
                throw FillError(underlying: error)
            }
            if fm.fileExists(atPath: url.path) {
                try fm.moveItem(at: url, to: previous)
                do {
                    try fm.moveItem(at: staging, to: url)
                } catch {
                    try? fm.moveItem(at: previous, to: url)
                    throw error
                }
                try? fm.removeItem(at: previous)
            } else {
                try fm.moveItem(at: staging, to: url)
            }
            return result
        } catch let error as FillError {
            throw error.underlying
        } catch {
            try? fm.removeItem(at: staging)
            throw PublishError.failed(destination, String(describing: error))
        }
    }
}
