import BoardPackCore
import CPlatform
import Foundation
import ZIPFoundation

/// The documented limits of a workbook input (docs/inputs.md, "Excel workbooks"). A part past any
/// of them is refused before, or as soon as, its bytes show it.
public enum XLSXLimits {
    /// The most one part (a sheet, the shared strings) may expand to: 2 GiB, about 4 million rows of
    /// a contract-monitoring sheet.
    public static let maxPartBytes: UInt64 = 2 << 30
    /// A part that expands past `ratioFloor` may do so at most this many times its stored size.
    /// Real sheets compress 5 to 40 times; a ZIP bomb, thousands.
    public static let maxRatio: UInt64 = 250
    public static let ratioFloor: UInt64 = 16 << 20
    /// The shared strings are held in memory while a sheet is read: at most 256 MiB of text.
    public static let maxSharedStringBytes = 256 << 20
    /// The parts a workbook may hold.
    public static let maxEntries = 10_000
}

/// A workbook's shared strings (`xl/sharedStrings.xml`) in one buffer: string `i` is
/// `bytes[starts[i]..<starts[i + 1]]`, its runs joined and its phonetic guides left out.
struct XLSXSharedStrings {
    var bytes: [UInt8] = []
    var starts: [Int] = [0]
    var count: Int { starts.count - 1 }

    /// Starts a string: text outside any string is dropped.
    mutating func beginString() { bytes.removeSubrange(starts[starts.count - 1]...) }
    /// Ends the string being collected.
    mutating func endString() { starts.append(bytes.count) }

    subscript(_ i: Int) -> ArraySlice<UInt8> { bytes[starts[i]..<starts[i + 1]] }
}

/// An .xlsx workbook opened for reading: its sheets, date system, cell styles and shared strings.
/// The container is read by ZIPFoundation, each XML part by libxml2 (`XMLEventStream`) as it is
/// inflated. Nothing outside the file is read on its behalf: external relationships are ignored.
final class XLSXWorkbook {
    struct Sheet {
        let name: String
        /// The part, e.g. `xl/worksheets/sheet1.xml`.
        let part: String
        let hidden: Bool
    }

    let path: String
    let displayPath: String
    let log: DiagnosticLog
    private let archive: Archive
    private(set) var sheets: [Sheet] = []
    private(set) var date1904 = false
    /// What each cell style (`s`) shows.
    private(set) var styles: [XLSXValues.Shown] = []
    private var stringsPart: String?
    private var strings: XLSXSharedStrings?

    private init(path: String, displayPath: String, log: DiagnosticLog, archive: Archive) {
        self.path = path
        self.displayPath = displayPath
        self.log = log
        self.archive = archive
    }

    private var here: SourceLocation { SourceLocation(file: displayPath) }

    /// Opens and indexes the workbook; nil after reporting why it cannot be read.
    static func open(path: String, displayPath: String, log: DiagnosticLog) -> XLSXWorkbook? {
        let location = SourceLocation(file: displayPath)
        guard let file = try? FileReader(path: path) else {
            log.error("file.unreadable", location, "the workbook cannot be opened")
            return nil
        }
        var head = [UInt8](repeating: 0, count: 8)
        let count = (try? file.read(into: &head, at: 0, count: 8, offset: 0)) ?? 0
        if count >= 8, head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            if compoundFileHoldsEncryptedPackage(file) {
                log.error(
                    "xlsx.encrypted", location, "the workbook is password-protected (encrypted), so it cannot be read",
                    hint: "save a copy without a password (File > Info > Protect Workbook), or save the sheet as CSV")
            } else {
                log.error(
                    "xlsx.legacy-xls", location, "this is a legacy Excel 97-2003 (.xls) workbook, not .xlsx",
                    hint: "open it and save it as Excel Workbook (.xlsx), or save the sheet as CSV UTF-8")
            }
            return nil
        }
        guard count >= 4, head[0] == 0x50, head[1] == 0x4B, head[2] == 0x03 || head[2] == 0x05 else {
            log.error(
                "xlsx.not-a-workbook", location, "the file is not an .xlsx workbook (not a ZIP container)",
                hint: "save it from the spreadsheet program as Excel Workbook (.xlsx)")
            return nil
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            log.error(
                "xlsx.corrupt", location, "the workbook's ZIP container cannot be read (\(error))",
                hint: "the file is damaged or incomplete; save it again")
            return nil
        }
        let workbook = XLSXWorkbook(path: path, displayPath: displayPath, log: log, archive: archive)
        guard workbook.index() else { return nil }
        return workbook
    }

    /// A legacy compound file is encrypted OOXML when its directory names an `EncryptedPackage`
    /// stream (UTF-16LE); the directory sits in the first few sectors of the small files involved.
    private static func compoundFileHoldsEncryptedPackage(_ file: FileReader) -> Bool {
        let window = 4 << 20
        var bytes = [UInt8](repeating: 0, count: window)
        let n = (try? file.read(into: &bytes, at: 0, count: window, offset: 0)) ?? 0
        let marker = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        guard n >= marker.count else { return false }
        var i = 0
        while i + marker.count <= n {
            if bytes[i] == marker[0], bytes[i..<(i + marker.count)].elementsEqual(marker) { return true }
            i += 1
        }
        return false
    }

    // MARK: Parts

    /// Inflates `part` into `stream` within the limits; false (after reporting) when it is missing,
    /// too large, damaged or not well-formed.
    func read(part: String, into stream: XMLEventStream, required: Bool = true) -> Bool {
        // The handlers capture the stream (and the caller's state): released once the part is read.
        defer {
            stream.onStart = { _ in }
            stream.onEnd = { _ in }
        }
        guard let entry = archive[part] else {
            if required {
                log.error(
                    "xlsx.missing-part", here, value: part, "the workbook has no part \(part)",
                    hint: "the file is damaged or was not written by a spreadsheet program; save it again")
            }
            return false
        }
        if PartInflater.tooLarge(entry.uncompressedSize, stored: entry.compressedSize) {
            refuse(part, declared: entry.uncompressedSize, stored: entry.compressedSize)
            return false
        }
        // Inflated on a thread of its own while libxml2 parses it here.
        let inflater = PartInflater(path: path, part: part, storedSize: entry.compressedSize)
        var outcome: PartInflater.Outcome?
        let parsed = stream.parse {
            if let piece = inflater.next() { return piece }
            outcome = inflater.finished()
            // The bytes stopped short for a reason told below, not a malformed part.
            if outcome != .complete(checksumMatches: true) { stream.abandon() }
            return nil
        }
        switch outcome ?? inflater.finished() {
        case .complete(checksumMatches: true), .cancelled:
            return parsed
        case .complete(checksumMatches: false):
            log.error(
                "xlsx.corrupt", here, value: part,
                "the workbook part \(part) is damaged (its checksum does not match its bytes)",
                hint: "the file is damaged or incomplete; save it again")
        case .tooLarge(let expanded):
            refuse(part, declared: expanded, stored: entry.compressedSize)
        case .damaged(let why):
            log.error(
                "xlsx.corrupt", here, value: part, "the workbook part \(part) is damaged (\(why))",
                hint: "the file is damaged or incomplete; save it again")
        }
        return false
    }

    private func refuse(_ part: String, declared: UInt64, stored: UInt64) {
        log.error(
            "xlsx.too-large", here, value: part,
            "the part \(part) expands past the limit (\(declared) bytes from \(stored) stored; at most "
                + "\(XLSXLimits.maxPartBytes) bytes, and above \(XLSXLimits.ratioFloor) bytes at most "
                + "\(XLSXLimits.maxRatio) times its stored size)",
            hint: "a sheet this size is not a workbook BoardPack reads: save it as CSV")
    }

    /// `target` of a relationship of `source` (a part), as a part name.
    static func resolve(_ target: String, from source: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = source.split(separator: "/").dropLast().map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." {
                if !parts.isEmpty { parts.removeLast() }
            } else if piece != "." {
                parts.append(String(piece))
            }
        }
        return parts.joined(separator: "/")
    }

    /// The relationships of `part` (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`): id to target part.
    private func relationships(of part: String) -> [String: (type: String, part: String)]? {
        let folder = part.split(separator: "/").dropLast().joined(separator: "/")
        let name = part.split(separator: "/").last.map(String.init) ?? part
        let relsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
        let stream = XMLEventStream(
            displayPath: displayPath + "/" + relsPart, elements: ["Relationship"],
            attributes: ["Id", "Target", "Type", "TargetMode"], log: log)
        var result: [String: (type: String, part: String)] = [:]
        stream.onStart = { _ in
            let a = stream.attributes
            guard let id = a[0], let target = a[1] else { return }
            // An external target is never followed.
            if let mode = a[3], String(decoding: mode, as: UTF8.self) == "External" { return }
            result[String(decoding: id, as: UTF8.self)] = (
                String(decoding: a[2] ?? [], as: UTF8.self),
                Self.resolve(String(decoding: target, as: UTF8.self), from: part)
            )
        }
        guard read(part: relsPart, into: stream) else { return nil }
        return result
    }

    /// Reads the package and workbook relationships, the sheet list, the date system and the styles.
    private func index() -> Bool {
        var entries = 0
        for _ in archive {
            entries += 1
            if entries > XLSXLimits.maxEntries {
                log.error(
                    "xlsx.too-large", here, "the workbook holds more than \(XLSXLimits.maxEntries) parts",
                    hint: "save it again from the spreadsheet program")
                return false
            }
        }
        guard let package = relationships(of: "") else { return false }
        let main =
            package.values.first { $0.type.hasSuffix("/officeDocument") }?.part ?? "xl/workbook.xml"
        guard let rels = relationships(of: main) else { return false }
        let stream = XMLEventStream(
            displayPath: displayPath + "/" + main, elements: ["sheet", "workbookPr"],
            attributes: ["name", "state", "id", "date1904"], log: log)
        var listed: [(String, String, Bool)] = []
        stream.onStart = { element in
            let a = stream.attributes
            if element == 1 {
                let value = a[3].map { String(decoding: $0, as: UTF8.self) } ?? "0"
                self.date1904 = value == "1" || value == "true"
                return
            }
            guard let name = a[0], let id = a[2] else { return }
            let state = a[1].map { String(decoding: $0, as: UTF8.self) } ?? "visible"
            listed.append(
                (String(decoding: name, as: UTF8.self), String(decoding: id, as: UTF8.self), state != "visible"))
        }
        guard read(part: main, into: stream) else { return false }
        for (name, id, hidden) in listed {
            guard let target = rels[id] else {
                log.error(
                    "xlsx.missing-part", here, value: name, "the sheet \(name) has no part in the workbook",
                    hint: "the file is damaged; save it again")
                return false
            }
            sheets.append(Sheet(name: name, part: target.part, hidden: hidden))
        }
        stringsPart = rels.values.first { $0.type.hasSuffix("/sharedStrings") }?.part
        if let stylesPart = rels.values.first(where: { $0.type.hasSuffix("/styles") })?.part {
            guard readStyles(stylesPart) else { return false }
        }
        return true
    }

    private func readStyles(_ part: String) -> Bool {
        let stream = XMLEventStream(
            displayPath: displayPath + "/" + part, elements: ["numFmt", "cellXfs", "xf"],
            attributes: ["numFmtId", "formatCode"], log: log)
        var codes: [Int: String] = [:]
        var inCellXfs = false
        var ids: [Int] = []
        stream.onStart = { element in
            let a = stream.attributes
            let id = a[0].flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
            switch element {
            case 0: codes[id] = a[1].map { String(decoding: $0, as: UTF8.self) }
            case 1: inCellXfs = true
            default: if inCellXfs { ids.append(id) }
            }
        }
        stream.onEnd = { element in if element == 1 { inCellXfs = false } }
        guard read(part: part, into: stream) else { return false }
        styles = ids.map { XLSXValues.shown(id: $0, code: codes[$0]) }
        return true
    }

    /// The shared strings, read once.
    func sharedStrings() -> XLSXSharedStrings? {
        if let strings { return strings }
        guard let part = stringsPart else {
            strings = XLSXSharedStrings()
            return strings
        }
        let stream = XMLEventStream(
            displayPath: displayPath + "/" + part, elements: ["si", "t", "rPh"], attributes: [], log: log)
        var list = XLSXSharedStrings()
        var phonetic = 0
        stream.onStart = { element in
            switch element {
            case 0: list.beginString()
            case 1:
                stream.text.removeAll(keepingCapacity: true)
                stream.capture = phonetic == 0
            default: phonetic += 1
            }
        }
        stream.onEnd = { element in
            switch element {
            case 0:
                list.endString()
            case 1:
                if stream.capture { list.bytes += stream.text }
                stream.capture = false
                if list.bytes.count > XLSXLimits.maxSharedStringBytes {
                    self.log.error(
                        "xlsx.too-large", self.here, value: part,
                        "the shared strings hold more than \(XLSXLimits.maxSharedStringBytes) bytes of text",
                        hint: "save the sheet as CSV")
                    stream.stop()
                    return
                }
            default: phonetic -= 1
            }
        }
        guard read(part: part, into: stream) else { return nil }
        strings = list
        return list
    }

    /// The sheet named `name`, or the first visible one; nil after reporting.
    func sheet(named name: String?) -> Sheet? {
        if let name {
            if let found = sheets.first(where: { $0.name == name }) { return found }
            log.error(
                "xlsx.no-sheet", here, value: name, "the workbook has no sheet named \(name)",
                hint: "its sheets are: " + sheets.map(\.name).joined(separator: ", "))
            return nil
        }
        if let first = sheets.first(where: { !$0.hidden }) { return first }
        log.error("xlsx.no-sheet", here, "the workbook has no visible sheet", hint: "unhide the sheet to read")
        return nil
    }
}
