import BoardPackCore
import Foundation

/// Decides whether a run may replace an output folder, before anything is written.
///
/// A build or `sample` replaces its `--out` folder as a whole, so a wrong `--out` would delete
/// whatever was there. Refused outright: an empty path (an unset variable), `/`, the working
/// folder, the home folder, any folder that holds the working folder or the inputs, the inputs
/// folder itself and any folder in its `activity/`. A folder that already holds files is replaced
/// only when it is a previous output of the same kind, recognised by the marker file the publisher
/// writes (or, for packs written before the marker, a BoardPack `manifest.json`), unless `force`.
/// A symbolic link is published through: the link stays and its target is replaced.
public enum OutputFolder {
    public enum Kind: Sendable {
        /// Board packs (`build`): marker `.boardpack-output`.
        case packs
        /// A sample input folder (`sample`): marker `.boardpack-sample`.
        case sample

        public var marker: String { self == .packs ? ".boardpack-output" : ".boardpack-sample" }

        public var markerText: String {
            "This folder is written by BoardPack (\(self == .packs ? "boardpack build" : "boardpack sample")) "
                + "and replaced as a whole by each run: keep no other files here.\n"
        }
    }

    /// Why an output folder was refused (exit 2).
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// The folder to publish at: `out` as a canonical absolute path, a symbolic link's target when
    /// `out` is one. Throws `Refusal` when the folder may not be replaced.
    public static func resolve(_ out: String, kind: Kind, inputs: String? = nil, force: Bool = false) throws
        -> String
    {
        guard !out.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Refusal(message: "--out is empty (is a variable unset?); name the output folder")
        }
        let absolute = URL(fileURLWithPath: out).standardizedFileURL.path
        var real = canonical(absolute)
        // A link to a folder not made yet: published at the link's target, which is made.
        if FileStatus.of(absolute, followLinks: false).kind == .symbolicLink, FileRules.realPath(absolute) == nil {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: absolute) else {
                throw Refusal(message: "--out \(out): is a symbolic link that cannot be followed; point it at a folder")
            }
            let base = URL(fileURLWithPath: absolute).deletingLastPathComponent()
            real = canonical(URL(fileURLWithPath: target, relativeTo: base).standardizedFileURL.path)
            if FileStatus.of(real, followLinks: false).kind == .symbolicLink {
                throw Refusal(message: "--out \(out): is a symbolic link that cannot be followed; point it at a folder")
            }
        }
        let name = "--out \(out)"
        if real == "/" { throw Refusal(message: "\(name): is the root folder; choose a folder of its own") }
        if let cwd = FileRules.realPath(FileManager.default.currentDirectoryPath) {
            if real == cwd {
                throw Refusal(
                    message: "\(name): is the working folder, which would be replaced; choose a folder of its own")
            }
            if FileRules.isInside(cwd, real) {
                throw Refusal(
                    message: "\(name): holds the working folder, which would be deleted; choose a folder of its own")
            }
        }
        let home = ProcessInfo.processInfo.environment["HOME"].flatMap(FileRules.realPath)
        if let home, real == home {
            throw Refusal(message: "\(name): is the home folder; choose a folder of its own")
        }
        if let inputs, let input = FileRules.realPath(inputs) {
            if real == input {
                throw Refusal(message: "\(name): is the inputs folder, which would be deleted; choose another folder")
            }
            if FileRules.isInside(input, real) {
                throw Refusal(
                    message: "\(name): holds the inputs folder, which would be deleted; choose another folder")
            }
            if FileRules.isInside(real, canonical(input + "/activity"), orEqual: true) {
                throw Refusal(message: "\(name): is inside the inputs' activity/ folder; choose another folder")
            }
        }
        let status = FileStatus.of(real)
        switch status.kind {
        case .missing: return real
        case .directory: break
        case .regular: throw Refusal(message: "\(name): exists and is a file, not a folder; name a folder")
        default: throw Refusal(message: "\(name): exists and is a \(status.kind.rawValue), not a folder; name a folder")
        }
        if isMountPoint(real) {
            throw Refusal(
                message: "\(name): is a mount point, which cannot be replaced as a whole; name a folder inside it")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: real)) ?? []
        if names.isEmpty || force || isPreviousOutput(real, kind: kind, names: names) { return real }
        throw Refusal(
            message:
                "\(name): the folder holds files that are not a previous BoardPack \(kind == .packs ? "output" : "sample") "
                + "and would be deleted; choose an empty or new folder, or pass --force to replace it")
    }

    /// True when `folder` is the root of a mounted filesystem (its device differs from its parent's).
    static func isMountPoint(_ folder: String) -> Bool {
        let parent = (folder as NSString).deletingLastPathComponent
        let own = FileStatus.of(folder)
        let above = FileStatus.of(parent.isEmpty ? "/" : parent)
        return own.kind == .directory && above.kind == .directory && own.device != above.device
    }

    static func isPreviousOutput(_ folder: String, kind: Kind, names: [String]) -> Bool {
        if names.contains(kind.marker) { return true }
        // Packs published before the marker existed: their manifest says what wrote them.
        guard kind == .packs, names.contains("manifest.json"),
            let manifest = try? FileRules.readText(folder + "/manifest.json", within: folder, limit: 1 << 24)
        else { return false }
        return manifest.contains("\"schema\": \"boardpack-manifest\"")
    }

    /// `path` (absolute) with every symbolic link in its existing part resolved.
    static func canonical(_ path: String) -> String {
        var head = URL(fileURLWithPath: path)
        var tail: [String] = []
        while FileRules.realPath(head.path) == nil, head.path != "/" {
            tail.insert(head.lastPathComponent, at: 0)
            head.deleteLastPathComponent()
        }
        var result = FileRules.realPath(head.path) ?? head.path
        for part in tail { result = result == "/" ? "/" + part : result + "/" + part }
        return result
    }
}
