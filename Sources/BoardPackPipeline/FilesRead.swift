import BoardPackCore
import BoardPackRender
import Foundation

/// Every file a build read, as one list: the input data the loader admitted, the configuration in
/// force, and each template file the renderer read — each with its identity when it was read. The
/// manifest records exactly these, and the background digests hash exactly these.
public struct FileRead: Sendable, Hashable {
    public enum Role: String, Sendable { case data, configuration, template }
    public let role: Role
    /// As the manifest names it: data relative to the input folder, a template relative to the
    /// templates folder (`html/summary.mustache`), the configuration as given (or relative to the
    /// input folder when it is there).
    public let path: String
    /// Where it is on disk.
    public let location: String
    public let status: FileStatus

    /// The list for a build.
    static func all(options: BuildOptions, dataset: Dataset, templates: [InputFileRecord], configuration: FileStatus?)
        -> [FileRead]
    {
        var files = dataset.files.map {
            FileRead(role: .data, path: $0.path, location: options.inputs + "/" + $0.path, status: $0.status)
        }
        if let config = options.configPath, let status = configuration {
            let inside = options.inputs.withoutTrailingSlashes + "/"
            let name = config.hasPrefix(inside) ? String(config.dropFirst(inside.count)) : config
            files.append(FileRead(role: .configuration, path: name, location: config, status: status))
        }
        files += templates.map {
            FileRead(
                role: .template, path: $0.path, location: options.templates + "/" + $0.path, status: $0.status)
        }
        return files
    }
}
