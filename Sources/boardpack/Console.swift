import ArgumentParser
import BoardPackCore
import BoardPackIngest
import BoardPackRender
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Log lines on standard error: `boardpack: info: message key=value …` for a
/// terminal, or one JSON object per line for cron and log collectors.
struct ConsoleLogHandler: LogHandler {
    let format: LogFormat
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(format: LogFormat, level: Logger.Level) {
        self.format = format
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        for (key, value) in event.metadata ?? [:] { all[key] = value }
        let keys = all.keys.sorted()
        let line: String
        switch format {
        case .text:
            line =
                TerminalText.escaped(
                    "boardpack: \(event.level): \(event.message)" + keys.map { " \($0)=\(all[$0]!)" }.joined()) + "\n"
        case .json:
            var members: [(String, JSONValue)] = [
                ("time", .string(ISO8601DateFormatter().string(from: Date()))),
                ("level", .string(event.level.rawValue)),
                ("message", .string(event.message.description)),
            ]
            for key in keys { members.append((key, .string(all[key]!.description))) }
            line = JSONValue.object(members).compact() + "\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// A one-line progress display on standard error while the activity files
/// are read: only when standard error is a terminal, never in cron or CI.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(_ p: InputLoader.Progress) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.2 || p.files == p.totalFiles else { return }
        lastDraw = now
        let seconds = max(now.timeIntervalSince(start), 0.001)
        let percent = p.totalBytes > 0 ? Int(p.bytes * 100 / p.totalBytes) : 100
        let rate = Int(Double(p.rows) / seconds)
        let text = "reading activity: \(p.files)/\(p.totalFiles) files, \(p.rows) rows, \(rate) rows/s, \(percent)%"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
