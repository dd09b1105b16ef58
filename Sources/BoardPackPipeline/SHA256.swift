// The only file that touches OpenSSL (libcrypto): SHA-256 digests for the manifest.
import BoardPackCore
internal import COpenSSL
import Foundation

/// SHA-256 of files and bytes, as lower-case hex.
public enum SHA256 {
    public enum Failure: Error { case unreadable(String), digest }

    /// Of bytes in memory (`[UInt8]`, `Data`).
    public static func hex(_ bytes: some ContiguousBytes) throws -> String {
        let context = try Context()
        bytes.withUnsafeBytes { context.update($0) }
        return try context.finish()
    }

    /// Streams a file in 4 MiB chunks, one read each.
    public static func hex(file path: String) throws -> String { try digest(file: path).sha256 }

    /// Releases libcrypto's state for the calling thread. A thread of BoardPack's own that has
    /// hashed calls it before it ends: libcrypto would otherwise release it as the thread exits,
    /// which can still be under way when the process exits and libcrypto's exit handler runs.
    static func releaseThread() { OPENSSL_thread_stop() }

    /// A file's digest, the bytes it covers, and the file's status when it was opened and once it
    /// was read: equal statuses, and a size equal to `bytes`, mean the digest is of the file as it
    /// stood throughout.
    public struct FileDigest: Sendable, Equatable {
        public var sha256: String
        public var bytes: Int64
        public var opened: FileStatus
        public var finished: FileStatus

        /// True when the digest covers the file exactly as it was when `status` was taken.
        public func matches(_ status: FileStatus) -> Bool {
            opened == status && finished == status && bytes == status.size
        }
    }

    public static func digest(file path: String) throws -> FileDigest {
        guard let file = try? FileReader(path: path) else { throw Failure.unreadable(path) }
        let context = try Context()
        var chunk = [UInt8](repeating: 0, count: min(4 << 20, max(1, Int(file.status.size))))
        var offset = 0
        while true {
            let count = try file.read(into: &chunk, at: 0, count: chunk.count, offset: offset)
            if count == 0 { break }
            chunk.withUnsafeBytes { context.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            offset += count
        }
        return FileDigest(
            sha256: try context.finish(), bytes: Int64(offset), opened: file.status, finished: FileStatus.of(path))
    }

    /// An OpenSSL digest context, freed with its owner.
    private final class Context {
        let pointer: OpaquePointer

        init() throws {
            guard let pointer = EVP_MD_CTX_new() else { throw Failure.digest }
            self.pointer = pointer
            guard EVP_DigestInit_ex(pointer, EVP_sha256(), nil) == 1 else { throw Failure.digest }
        }

        deinit { EVP_MD_CTX_free(pointer) }

        func update(_ bytes: UnsafeRawBufferPointer) {
            if let base = bytes.baseAddress, bytes.count > 0 { EVP_DigestUpdate(pointer, base, bytes.count) }
        }

        func finish() throws -> String {
            var digest = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 0
            guard EVP_DigestFinal_ex(pointer, &digest, &length) == 1, length == 32 else { throw Failure.digest }
            let digits = Array("0123456789abcdef".utf8)
            var text = [UInt8]()
            text.reserveCapacity(64)
            for byte in digest {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 15)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
