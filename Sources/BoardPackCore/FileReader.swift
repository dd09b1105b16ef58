import CPlatform
import Foundation

/// A file read in large chunks at chosen offsets: one `pread` per chunk, straight into an array the
/// caller keeps and reuses. (`FileHandle.read(upToCount:)` on Linux reads 4 KiB per system call
/// into new `Data`: a national extract took some 400,000 calls.)
public final class FileReader {
    public let path: String
    private let descriptor: Int32

    public init(path: String) throws {
        let descriptor = boardpack_open_read(path)
        guard descriptor >= 0 else { throw FileReader.error() }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes from byte `offset` of the file into `buffer[at..<at + count]`, which
    /// must exist; returns how many were read: fewer than `count` only at the end of the file.
    public func read(into buffer: inout [UInt8], at: Int, count: Int, offset: Int) throws -> Int {
        precondition(at >= 0 && count >= 0 && at + count <= buffer.count && offset >= 0)
        let read = boardpack_read_at(descriptor, &buffer, at, count, offset)
        guard read >= 0 else { throw FileReader.error() }
        return read
    }

    /// The size of the file at `path` in bytes, or nil when it cannot be read. (A plain `stat`:
    /// `FileManager.attributesOfItem` also looks up the owner's name, reading /etc/passwd.)
    public static func size(_ path: String) -> Int? {
        let size = boardpack_file_size(path)
        return size >= 0 ? Int(size) : nil
    }

    private static func error() -> POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}
