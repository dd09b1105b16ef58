import Foundation

/// Buffered file output for generated inputs: memory stays at one buffer
/// whatever the size of the file.
final class TextSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let limit = 1 << 20

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw SampleError.cannotWrite(path)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw SampleError.cannotWrite(path) }
        self.handle = handle
        buffer.reserveCapacity(limit + 4096)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= limit { try flush() }
    }

    func flush() throws {
        if buffer.isEmpty { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}

public enum SampleError: Error, CustomStringConvertible, Sendable {
    case cannotWrite(String)
    case badOption(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): "\(path): cannot write"
        case .badOption(let why): why
        }
    }
}
