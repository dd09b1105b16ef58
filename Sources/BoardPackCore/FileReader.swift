import CPlatform
import Foundation

/// A regular file read in large chunks at chosen offsets: one `pread` per chunk, straight into an
/// array the caller keeps and reuses. (`FileHandle.read(upToCount:)` on Linux reads 4 KiB per
/// system call into new `Data`: a national extract took some 400,000 calls.)
///
/// Only a regular file opens: a folder, FIFO, device or socket is refused without blocking
/// (`FileReader.Failure.notRegular`), so no read can hang on a pipe or grow without end on
/// `/dev/zero`.
public final class FileReader {
    public let path: String
    /// The file as it was when opened.
    public let status: FileStatus
    private let descriptor: Int32

    public enum Failure: Error, CustomStringConvertible, Sendable {
        case notRegular(String, FileStatus.Kind)
        case system(String, String)

        public var description: String {
            switch self {
            case .notRegular(let path, let kind): "\(path): is a \(kind.rawValue), not a regular file"
            case .system(let path, let why): "\(path): \(why)"
            }
        }
    }

    public init(path: String) throws {
        var info = boardpack_file_info()
        let descriptor = boardpack_open_regular(path, &info)
        guard descriptor >= 0 else {
            let code = errno
            if code == EISDIR || code == EINVAL {
                let kind = FileStatus.of(path).kind
                throw Failure.notRegular(path, kind == .regular ? .other : kind)
            }
            throw Failure.system(path, String(cString: strerror(code)))
        }
        self.path = path
        self.descriptor = descriptor
        self.status = FileStatus(info)
    }

    deinit { close(descriptor) }

    /// Lends the open descriptor to a C reader (libxml2) for the duration of `body`; it stays owned
    /// (and is closed) by this reader.
    public func withDescriptor<T>(_ body: (Int32) throws -> T) rethrows -> T { try body(descriptor) }

    /// Reads up to `count` bytes from byte `offset` of the file into `buffer[at..<at + count]`, which
    /// must exist; returns how many were read: fewer than `count` only at the end of the file.
    public func read(into buffer: inout [UInt8], at: Int, count: Int, offset: Int) throws -> Int {
        precondition(at >= 0 && count >= 0 && at + count <= buffer.count && offset >= 0)
        let read = boardpack_read_at(descriptor, &buffer, at, count, offset)
        guard read >= 0 else { throw Failure.system(path, String(cString: strerror(errno))) }
        return read
    }

    /// Reads the whole file, refusing one larger than `limit` bytes (nil when it is).
    public func readAll(limit: Int) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: min(Int(max(status.size, 0)), limit) + 1)
        var filled = 0
        while true {
            if filled == bytes.count {
                if bytes.count > limit { return nil }
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit + 1 - bytes.count)))
            }
            let n = try read(into: &bytes, at: filled, count: bytes.count - filled, offset: filled)
            if n == 0 { break }
            filled += n
        }
        if filled > limit { return nil }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// The size of the file at `path` in bytes, or nil when it cannot be read. (A plain `stat`:
    /// `FileManager.attributesOfItem` also looks up the owner's name, reading /etc/passwd.)
    public static func size(_ path: String) -> Int? {
        let size = boardpack_file_size(path)
        return size >= 0 ? Int(size) : nil
    }
}
