import CPlatform

/// What a path is, and the facts that change whenever its bytes do (size, inode, modification and
/// change times). Two statuses of one path that are equal mean the file was not rewritten between
/// them.
public struct FileStatus: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case missing
        case regular
        case directory = "folder"
        case symbolicLink = "symbolic link"
        case fifo = "FIFO (named pipe)"
        case device
        case socket
        case other = "special file"
    }

    public var kind: Kind
    public var size: Int64
    public var device: Int64
    public var inode: Int64
    public var modifiedNanoseconds: Int64
    public var changedNanoseconds: Int64

    init(_ info: boardpack_file_info) {
        kind =
            switch info.kind {
            case 0: .missing
            case 1: .regular
            case 2: .directory
            case 3: .symbolicLink
            case 4: .fifo
            case 5: .device
            case 6: .socket
            default: .other
            }
        size = info.size
        device = info.device
        inode = info.inode
        modifiedNanoseconds = info.modified_ns
        changedNanoseconds = info.changed_ns
    }

    /// The status of `path`; with `followLinks` false a symbolic link is described itself.
    public static func of(_ path: String, followLinks: Bool = true) -> FileStatus {
        var info = boardpack_file_info()
        _ = boardpack_file_info_at(path, followLinks ? 1 : 0, &info)
        return FileStatus(info)
    }
}
