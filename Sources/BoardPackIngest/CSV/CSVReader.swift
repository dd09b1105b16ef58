import BoardPackCore
import Foundation

/// One field of a CSV record: a byte range in the reader's buffer.
struct CSVField {
    /// Content range, quotes excluded.
    var start: Int
    var end: Int
    /// 1-based byte column where the field starts on its line.
    var column: Int
    var quoted: Bool
    /// Quoted and contains `""` that must be folded to `"`.
    var hasEscapedQuote: Bool
}

/// The documented limits of a CSV input (docs/inputs.md, "Limits").
public enum CSVLimits {
    /// The longest record, in bytes, its line end included: 1 MiB. A longer one is refused as soon
    /// as the reader has this many bytes of it, so memory stays bounded whatever the file holds.
    public static let maxRecordBytes = 1 << 20
}

/// A record handed to the caller. Valid only during the callback.
struct CSVRecord {
    let bytes: [UInt8]
    let fields: [CSVField]
    /// Physical line the record starts on (1-based).
    let line: Int
}

/// A byte-level RFC 4180 reader that streams a file in fixed-size chunks.
///
/// It never builds a `String` for the whole file or an array of strings per
/// row: fields are byte ranges into a reusable buffer, so memory stays at
/// about one chunk whatever the file size. Accepted beyond RFC 4180: a UTF-8
/// byte-order mark, LF and lone CR line ends (mixed), blank lines (skipped).
/// Structural problems (an unterminated quote, text after a closing quote,
/// a quote inside an unquoted field) are reported to the log with the line and
/// column, and the record is skipped.
final class CSVReader {
    let displayPath: String
    private let file: FileReader?
    /// Where the next read starts in the file, and the reused array it reads into.
    private var fileOffset = 0
    private var chunk: [UInt8] = []
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEOF = false
    private var line = 1
    private var fields: [CSVField] = []
    private let chunkSize: Int
    private let maxRecordBytes: Int
    private let log: DiagnosticLog
    /// The file could not be read as CSV at all (the reason is logged).
    private(set) var failed = false
    /// Records are read while they start before this offset (a part of a file: see `init`).
    private let stopOffset: Int
    /// Whether the reader starts at the file's first byte (and so looks for a byte order mark).
    private let atFileStart: Bool

    convenience init(
        path: String, displayPath: String, log: DiagnosticLog, chunkSize: Int = 1 << 20,
        maxRecordBytes: Int = CSVLimits.maxRecordBytes
    ) throws {
        try self.init(
            source: .file(path), displayPath: displayPath, log: log, chunkSize: chunkSize,
            maxRecordBytes: maxRecordBytes)
    }

    /// - Parameter range: read only the records that start in this byte range of the source (the
    ///   last may run past its end, to its own end); `nextOffset` then says where the next record
    ///   starts. Lines are numbered from 1 at the range's start. A range that does not start at 0
    ///   must start at the beginning of a record for the records to be what the file holds; the
    ///   caller checks that (`ActivityLoader` reads large files in parts this way).
    init(
        source: ByteSource, displayPath: String, log: DiagnosticLog, chunkSize: Int = 1 << 20,
        maxRecordBytes: Int = CSVLimits.maxRecordBytes, range: Range<Int>? = nil, firstLine: Int = 1
    ) throws {
        let start = range?.lowerBound ?? 0
        switch source {
        case .file(let path):
            let file = try FileReader.input(path, displayPath: displayPath)
            self.file = file
            let size = FileReader.size(path) ?? chunkSize
            chunk = [UInt8](repeating: 0, count: max(1, min(chunkSize, max(0, size - start) + 1)))
            fileOffset = start
        case .memory(let bytes):
            self.file = nil
            buffer = bytes
            position = min(start, bytes.count)
            fileOffset = bytes.count
            atEOF = true
        }
        stopOffset = range?.upperBound ?? .max
        line = firstLine
        self.firstLine = firstLine
        atFileStart = start == 0
        self.displayPath = displayPath
        self.log = log
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
        buffer.reserveCapacity(min(chunkSize, chunk.count) * 2)
    }

    private func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: displayPath, line: line, column: column)
    }

    /// Appends the next chunk, keeping at most `maxPending` unread bytes; false at end of file.
    private func fill(maxPending: Int = .max) throws -> Bool {
        guard !atEOF, let file else {
            atEOF = true
            return false
        }
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let count: Int
        do {
            let room = max(1, min(chunk.count, maxPending - buffer.count))
            count = try file.read(into: &chunk, at: 0, count: room, offset: fileOffset)
        } catch {
            throw InputError.readFailed(displayPath, String(describing: error))
        }
        guard count > 0 else {
            atEOF = true
            return false
        }
        fileOffset += count
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Reads the byte-order mark, if any. Returns false (after logging) when the
    /// file is in an encoding BoardPack does not read.
    private func checkEncoding() throws -> Bool {
        while buffer.count < 3, try fill() {}
        if buffer.count >= 2, (buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF) {
            log.error(
                "csv.encoding", location(1, 1), "the file is UTF-16 encoded",
                hint: "save it as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)')")
            failed = true
            return false
        }
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            position = 3
        }
        return true
    }

    /// The offset in the source of the byte at `index` of the buffer.
    private func offset(_ index: Int) -> Int { fileOffset - buffer.count + index }

    /// Where the record after the last one read starts, in the source.
    var nextOffset: Int { offset(position) }

    private let firstLine: Int

    /// The lines read so far (a record's quoted line breaks included).
    var linesRead: Int { line - firstLine }

    /// Calls `body` for every non-blank record in the file, in order.
    func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        try readRecords(while: { record in
            try body(record)
            return true
        })
    }

    /// The same, stopping after a record for which `body` returns false.
    func readRecords(while body: (CSVRecord) throws -> Bool) throws {
        if atFileStart {
            guard try checkEncoding() else { return }
        }
        while true {
            if position >= buffer.count {
                if try !fill() { return }
            }
            if offset(position) >= stopOffset { return }
            switch parseRecord() {
            case .incomplete:
                if buffer.count - position > maxRecordBytes {
                    recordTooLong()
                    return
                }
                // At end of file `fill` sets `atEOF`, and the next parse completes the record.
                // Never more than the limit allows: a record past it is refused, not buffered.
                _ = try fill(maxPending: maxRecordBytes + 1)
            case .complete(let next, let lineBreaks, let ok):
                if next - position > maxRecordBytes {
                    recordTooLong()
                    return
                }
                let isBlank = fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted
                var more = true
                if ok && !isBlank {
                    more = try body(CSVRecord(bytes: buffer, fields: fields, line: line))
                }
                line += lineBreaks
                position = next
                if !more { return }
            }
        }
    }

    private func recordTooLong() {
        log.error(
            "csv.record-too-long", location(line, 0),
            "a record is longer than \(maxRecordBytes) bytes, the limit (is a quote left open?); the rest of the file is not read",
            hint: "check the quoting of the record that starts on this line")
    }

    private enum Step {
        case incomplete
        /// `ok` is false when the record had a structural problem (already logged).
        case complete(next: Int, lineBreaks: Int, ok: Bool)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    private func parseRecord() -> Step {
        // Work on local copies (no copy is made: the arrays are only retained) so the
        // byte loop pays no class-property access checks; `fields` is handed back at the end.
        let buffer = self.buffer
        var fields = self.fields
        self.fields = []
        fields.removeAll(keepingCapacity: true)
        defer { self.fields = fields }
        let end = buffer.count
        var i = position
        var lineBreaks = 0
        var lineStart = position
        var ok = true
        var problem: (code: String, column: Int, message: String, hint: String)?
        while true {
            let fieldStart = i
            let column = fieldStart - lineStart + 1
            var field = CSVField(start: i, end: i, column: column, quoted: false, hasEscapedQuote: false)
            if i < end && buffer[i] == Self.quote {
                field.quoted = true
                i += 1
                field.start = i
                var closed = false
                while i < end {
                    let byte = buffer[i]
                    if byte == Self.quote {
                        if i + 1 < end {
                            if buffer[i + 1] == Self.quote {
                                field.hasEscapedQuote = true
                                i += 2
                                continue
                            }
                        } else if !atEOF {
                            return .incomplete
                        }
                        field.end = i
                        i += 1
                        closed = true
                        break
                    }
                    if byte == Self.lf || (byte == Self.cr && (i + 1 >= end || buffer[i + 1] != Self.lf)) {
                        lineBreaks += 1
                        lineStart = i + 1
                    }
                    i += 1
                }
                if !closed {
                    if !atEOF { return .incomplete }
                    log.error(
                        "csv.unterminated-quote", location(line, column), "a quoted field is never closed",
                        hint: "add the missing closing quote (\") or remove the opening one")
                    return .complete(next: end, lineBreaks: lineBreaks, ok: false)
                }
                // After the closing quote only a delimiter or a line end may follow.
                if i < end, buffer[i] != Self.comma, buffer[i] != Self.cr, buffer[i] != Self.lf {
                    if problem == nil {
                        problem = (
                            "csv.text-after-quote", i - lineStart + 1,
                            "text follows the closing quote of a quoted field",
                            "quote the whole field and double any quote inside it (\"\")"
                        )
                    }
                    while i < end, buffer[i] != Self.comma, buffer[i] != Self.cr, buffer[i] != Self.lf { i += 1 }
                    if i == end && !atEOF { return .incomplete }
                }
            } else {
                while i < end {
                    let byte = buffer[i]
                    if byte == Self.comma || byte == Self.lf || byte == Self.cr { break }
                    if byte == Self.quote, problem == nil {
                        problem = (
                            "csv.quote-in-field", i - lineStart + 1, "a quote inside an unquoted field",
                            "quote the whole field and double the quote inside it (\"\")"
                        )
                    }
                    i += 1
                }
                if i == end && !atEOF { return .incomplete }
                field.end = i
            }
            fields.append(field)
            if i >= end {
                // End of file ends the record.
                break
            }
            let byte = buffer[i]
            if byte == Self.comma {
                i += 1
                continue
            }
            if byte == Self.cr {
                if i + 1 >= end && !atEOF { return .incomplete }
                i += (i + 1 < end && buffer[i + 1] == Self.lf) ? 2 : 1
            } else {
                i += 1
            }
            lineBreaks += 1
            break
        }
        if let problem {
            ok = false
            log.error(problem.code, location(line, problem.column), problem.message, hint: problem.hint)
        }
        return .complete(next: i, lineBreaks: max(lineBreaks, 1), ok: ok)
    }
}

/// Where a reader's bytes come from: a file (streamed), or memory (tests and fuzzing).
enum ByteSource {
    case file(String)
    case memory([UInt8])
}

extension FileReader {
    /// Opens an input file for a reader, its failures as `InputError`s that name `displayPath`.
    static func input(_ path: String, displayPath: String) throws -> FileReader {
        do {
            return try FileReader(path: path)
        } catch FileReader.Failure.notRegular(_, let kind) {
            throw InputError.notReadable(displayPath, .notRegular(kind))
        } catch {
            throw InputError.cannotOpen(displayPath)
        }
    }
}

/// A failure to read a file at all (as opposed to a problem in its content).
public enum InputError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(String)
    case readFailed(String, String)
    case missingFile(String)
    /// A required file that is not a regular file inside the input folder.
    case notReadable(String, FileRules.Problem)
    /// A folder with more files than BoardPack reads (`InputLoader.activityFileLimit`).
    case tooManyFiles(String, count: Int, limit: Int)

    public var description: String {
        switch self {
        case .cannotOpen(let path): "\(path): cannot open the file"
        case .readFailed(let path, let why): "\(path): cannot read the file: \(why)"
        case .missingFile(let path): "\(path): required file is missing"
        case .notReadable(let path, let problem): "\(path): \(problem.message)"
        case .tooManyFiles(let path, let count, let limit):
            "\(path): holds \(count) files, more than the \(limit) BoardPack reads in one build; "
                + "remove superseded submissions, or split the inputs into several builds"
        }
    }
}
