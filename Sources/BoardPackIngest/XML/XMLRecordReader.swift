import BoardPackCore
// The only file in BoardPack that touches libxml2 or an unsafe pointer.
// It deliberately avoids Foundation (see docs/architecture.md: libxml2's ICU
// and Foundation's ICU must not meet in one Clang module context).
internal import CLibXML2

/// Streams a flat record-oriented XML document with libxml2's `xmlTextReader`:
///
/// ```xml
/// <Root xmlns="NAMESPACE">
///   <Record><field_a>…</field_a><field_b>…</field_b></Record>
///   …
/// </Root>
/// ```
///
/// Each record element becomes a `Row` of its kind's schema; child element
/// names are the schema's canonical column names. The parser is run with
/// `XML_PARSE_NONET` only: no entity substitution, no DTD loading. A DOCTYPE
/// or an entity reference is rejected with a located error, so no file is
/// read and no entity expands behind the analyst's back.
final class XMLRecordReader {
    struct RecordKind {
        let element: String
        let schema: InputSchema
        /// Local element names (folded) to columns, from `boardpack.toml`.
        var mapping: ColumnMapping = [:]
    }

    let source: ByteSource
    let displayPath: String
    let namespace: String
    let root: String
    let kinds: [RecordKind]
    let log: DiagnosticLog
    /// The longest value a field element may hold.
    static let maxFieldBytes = 64 * 1024

    convenience init(
        path: String, displayPath: String, namespace: String, root: String, kinds: [RecordKind], log: DiagnosticLog
    ) {
        self.init(
            source: .file(path), displayPath: displayPath, namespace: namespace, root: root, kinds: kinds, log: log)
    }

    init(
        source: ByteSource, displayPath: String, namespace: String, root: String, kinds: [RecordKind],
        log: DiagnosticLog
    ) {
        self.source = source
        self.displayPath = displayPath
        self.namespace = namespace
        self.root = root
        self.kinds = kinds
        self.log = log
    }

    /// Receives libxml2's structured errors for one reader.
    private final class ErrorSink {
        let log: DiagnosticLog
        let file: String
        var count = 0
        var reported: Set<String> = []
        init(log: DiagnosticLog, file: String) {
            self.log = log
            self.file = file
        }
    }

    private enum NodeType {
        static let element: Int32 = 1
        static let text: Int32 = 3
        static let cdata: Int32 = 4
        static let entityReference: Int32 = 5
        static let documentType: Int32 = 10
        static let endElement: Int32 = 15
    }

    func forEachRecord(_ body: (_ kind: Int, _ row: Row) throws -> Void) throws {
        switch XMLPrescan.check(source) {
        case .empty:
            log.error(
                "xml.empty-document", SourceLocation(file: displayPath, line: 1, column: 0), "the file is empty",
                hint: "it needs at least the root element <\(root) xmlns=\"\(namespace)\"/>")
            return
        case .doctype(let line, let column):
            log.error(
                "xml.doctype", SourceLocation(file: displayPath, line: line, column: column),
                "a DOCTYPE is not allowed in BoardPack XML inputs",
                hint: "remove the <!DOCTYPE …> declaration; inputs are validated against the schema in schemas/")
            return
        case .tooManyAttributes(let line):
            log.error(
                "xml.too-many-attributes", SourceLocation(file: displayPath, line: line, column: 0),
                "an element carries more than \(XMLPrescan.maxAttributes) attributes",
                hint: "BoardPack's XML inputs put values in child elements; see docs/inputs.md for the layout")
            return
        case nil:
            break
        }
        let options = Int32(XML_PARSE_NONET.rawValue)
        let opened: OpaquePointer?
        // libxml2 reads in-memory input while the reader lives: it gets a copy it owns until the end.
        var memoryCopy: UnsafeMutableBufferPointer<CChar>?
        defer { memoryCopy?.deallocate() }
        // A file is opened by BoardPack, as a regular file only, and handed to libxml2 open.
        var file: FileReader?
        defer { withExtendedLifetime(file) {} }
        switch source {
        case .file(let path):
            let input = try FileReader.input(path, displayPath: displayPath)
            file = input
            opened = input.withDescriptor { xmlReaderForFd($0, displayPath, nil, options) }
        case .memory(let bytes):
            let copy = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(bytes.count, 1))
            _ = copy.initialize(from: bytes.map { CChar(bitPattern: $0) })
            memoryCopy = copy
            opened = xmlReaderForMemory(copy.baseAddress, Int32(bytes.count), displayPath, nil, options)
        }
        guard let reader = opened else {
            throw InputError.cannotOpen(displayPath)
        }
        defer { xmlFreeTextReader(reader) }
        let sink = ErrorSink(log: log, file: displayPath)
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        xmlTextReaderSetStructuredErrorHandler(
            reader,
            { context, error in
                guard let context, let error else { return }
                let sink = Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue()
                // libxml2 can repeat one error many times (an entity loop): report it once.
                let key = "\(error.pointee.line):\(error.pointee.int2):\(error.pointee.code)"
                if sink.reported.contains(key) || sink.reported.count >= 20 { return }
                sink.reported.insert(key)
                sink.count += 1
                var message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
                while message.last == "\n" || message.last == " " { message.removeLast() }
                let location = SourceLocation(
                    file: sink.file, line: Int(error.pointee.line), column: Int(error.pointee.int2))
                if error.pointee.level == XML_ERR_WARNING {
                    sink.log.warning("xml.warning", location, "XML: " + message)
                } else {
                    sink.log.error(
                        "xml.malformed", location, "XML is not well formed: " + message,
                        hint: "fix the XML at this point")
                }
            }, unmanaged.toOpaque())

        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        var spans: [FieldSpan] = []
        var kindIndex = -1
        var recordLine = 0
        var field = -1
        var rootSeen = false
        var skipping: Int32 = -1
        // A record with a structural error (already reported) is not passed on.
        var broken = false
        var warnedUnknown: Set<String> = []
        var warnedAttributes: Set<String> = []
        /// Reports the attributes of the element the reader is on, each name once per file: the
        /// inputs carry values in child elements, so an attribute is never read.
        func reportAttributes(of element: String) {
            guard xmlTextReaderHasAttributes(reader) == 1 else { return }
            var more = xmlTextReaderMoveToFirstAttribute(reader)
            while more == 1 {
                let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                if !name.hasPrefix("xmlns"), !name.hasPrefix("xsi:"), warnedAttributes.insert(name).inserted {
                    log.warning(
                        "xml.unknown-attribute", here(), field: element, value: name,
                        "the attribute is not read by BoardPack and is ignored",
                        hint: "values go in child elements; see docs/inputs.md")
                }
                more = xmlTextReaderMoveToNextAttribute(reader)
            }
            xmlTextReaderMoveToElement(reader)
        }
        // libxml2 interns element names, so a name's pointer identifies it.
        var recordNames: [UnsafePointer<xmlChar>: Int] = [:]
        var lastRecordName: UnsafePointer<xmlChar>?
        var lastRecordIndex: Int?
        // Per record kind, (name pointer, column) pairs: a short list compared by pointer.
        var fieldNames: [[(UnsafePointer<xmlChar>, Int)]] = Array(repeating: [], count: kinds.count)

        // The line of the current node. libxml2 keeps a line per node but no
        // column, and its parser runs ahead of the reader, so XML locations
        // carry the element's line only.
        func nodeLine() -> Int {
            if let node = xmlTextReaderCurrentNode(reader) {
                let line = Int(xmlGetLineNo(node))
                if line > 0 { return line }
            }
            return Int(xmlTextReaderGetParserLineNumber(reader))
        }
        func here() -> SourceLocation {
            SourceLocation(file: displayPath, line: nodeLine(), column: 0)
        }
        func localName() -> (UnsafePointer<xmlChar>?, String) {
            guard let name = xmlTextReaderConstLocalName(reader) else { return (nil, "") }
            return (name, String(cString: name))
        }

        func emit() throws {
            let schema = kinds[kindIndex].schema
            try body(kindIndex, Row(schema: schema, file: displayPath, line: recordLine, bytes: bytes, spans: spans))
        }

        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 {
                if sink.count == 0 {
                    log.error(
                        "xml.malformed", here(), "the XML could not be read",
                        hint: "check that the file is complete, well-formed XML")
                }
                return
            }
            let type = xmlTextReaderNodeType(reader)
            let depth = xmlTextReaderDepth(reader)
            if skipping >= 0 {
                if type == NodeType.endElement && depth == skipping { skipping = -1 }
                if type != NodeType.documentType && type != NodeType.entityReference { continue }
            }
            switch type {
            case NodeType.documentType:
                log.error(
                    "xml.doctype", here(), "a DOCTYPE is not allowed in BoardPack XML inputs",
                    hint: "remove the <!DOCTYPE …> declaration; inputs are validated against the schema in schemas/")
                return
            case NodeType.entityReference:
                log.error(
                    "xml.entity", here(), "an entity reference is not allowed in BoardPack XML inputs",
                    hint:
                        "write the character itself; only &amp; &lt; &gt; &quot; &apos; and numeric references are read"
                )
                return
            case NodeType.element:
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                if depth == 0 {
                    let (_, name) = localName()
                    let uri = xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) } ?? ""
                    guard name == root, uri == namespace else {
                        log.error(
                            "xml.root", here(), value: uri.isEmpty ? name : "{\(uri)}\(name)",
                            "the root element is not <\(root)> in namespace \(namespace)",
                            hint: "see docs/inputs.md for the XML layout")
                        return
                    }
                    rootSeen = true
                    reportAttributes(of: root)
                } else if depth == 1 {
                    let pointer = xmlTextReaderConstLocalName(reader)
                    var index = pointer == lastRecordName ? lastRecordIndex : pointer.flatMap { recordNames[$0] }
                    if index == nil {
                        let name = pointer.map { String(cString: $0) } ?? ""
                        index = kinds.firstIndex { $0.element == name } ?? -1
                        if let pointer, recordNames.count < 64 { recordNames[pointer] = index }
                    }
                    lastRecordName = pointer
                    lastRecordIndex = index
                    guard let found = index, found >= 0 else {
                        let name = pointer.map { String(cString: $0) } ?? ""
                        log.error(
                            "xml.unexpected-element", here(), value: name, "unexpected element in <\(root)>",
                            hint: "expected " + kinds.map { "<\($0.element)>" }.joined(separator: " or "))
                        if !empty { skipping = depth }
                        continue
                    }
                    kindIndex = found
                    recordLine = nodeLine()
                    reportAttributes(of: kinds[found].element)
                    bytes.removeAll(keepingCapacity: true)
                    let count = kinds[found].schema.columns.count
                    if spans.count != count {
                        spans = [FieldSpan](repeating: .absent, count: count)
                    } else {
                        for i in spans.indices { spans[i] = .absent }
                    }
                    field = -1
                    broken = false
                    if empty { try emit() }
                } else if depth == 2 {
                    guard kindIndex >= 0 else { continue }
                    let schema = kinds[kindIndex].schema
                    let pointer = xmlTextReaderConstLocalName(reader)
                    var index: Int?
                    if let pointer {
                        for (known, column) in fieldNames[kindIndex] where known == pointer {
                            index = column
                            break
                        }
                    }
                    // The name as text only when it is new (or needed for a message below).
                    func nameText() -> String { pointer.map { String(cString: $0) } ?? "" }
                    if index == nil {
                        let mapping = kinds[kindIndex].mapping
                        index =
                            (mapping.isEmpty ? nil : mapping[InputSchema.fold(nameText())])
                            ?? schema.index(of: nameText()) ?? -1
                        if let pointer, fieldNames[kindIndex].count < 256 {
                            fieldNames[kindIndex].append((pointer, index!))
                        }
                    }
                    let location = here()
                    guard let column = index, column >= 0 else {
                        let name = nameText()
                        if warnedUnknown.insert(name).inserted {
                            log.warning(
                                "xml.unknown-element", location, value: name,
                                "this element is not used by BoardPack and is ignored",
                                hint: "see docs/inputs.md for the elements of \(schema.name)")
                        }
                        field = -1
                        if !empty { skipping = depth }
                        continue
                    }
                    if spans[column].isPresent {
                        log.error(
                            "xml.duplicate-element", location, field: nameText(),
                            "the element appears twice in one record",
                            hint: "keep one")
                        field = -1
                        if !empty { skipping = depth }
                        continue
                    }
                    reportAttributes(of: schema.columns[column].name)
                    spans[column] = FieldSpan(
                        start: bytes.count, end: bytes.count, line: location.line, column: location.column,
                        hasEscapedQuote: false)
                    field = empty ? -1 : column
                } else {
                    let (_, name) = localName()
                    log.error(
                        "xml.nested", here(), value: name, "unexpected element nested inside a field",
                        hint: "a field element holds text only")
                    broken = true
                    if !empty { skipping = depth }
                }
            case NodeType.text, NodeType.cdata:
                guard let value = xmlTextReaderConstValue(reader) else { continue }
                let length = Int(xmlStrlen(value))
                if depth == 3 {
                    // Text of a field (field < 0: a field already reported as too long).
                    guard field >= 0 else { continue }
                    if bytes.count - spans[field].start + length > Self.maxFieldBytes {
                        log.error(
                            "xml.field-too-long", here(), field: kinds[kindIndex].schema.columns[field].name,
                            "the value is longer than \(Self.maxFieldBytes) bytes",
                            hint: "a field holds one short value")
                        spans[field] = .absent
                        field = -1
                        broken = true
                        continue
                    }
                    bytes.append(contentsOf: UnsafeBufferPointer(start: value, count: length))
                } else {
                    let text = UnsafeBufferPointer(start: value, count: length)
                    if text.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) {
                        log.error(
                            "xml.text", here(), "unexpected text outside a field element",
                            hint: "put values inside field elements")
                    }
                }
            case NodeType.endElement:
                if depth == 2 && field >= 0 {
                    spans[field].end = bytes.count
                    field = -1
                } else if depth == 1 && kindIndex >= 0 {
                    if !broken { try emit() }
                    kindIndex = -1
                }
            default:
                continue
            }
        }
        if !rootSeen && sink.count == 0 {
            log.error(
                "xml.empty-document", SourceLocation(file: displayPath, line: 1, column: 0),
                "the file holds no XML document",
                hint: "it needs at least the root element <\(root) xmlns=\"\(namespace)\"/>")
        }
    }
}

/// A streaming SAX2 parse of one XML part (a workbook's parts, inflated as they are read): the
/// consumer names the elements and attributes it watches and is told of each watched element's
/// start and end, with the watched attributes' values and, while it asks for it, the element's text.
/// The parser options are those of `XMLRecordReader` (`XML_PARSE_NONET`, no entity substitution);
/// a DOCTYPE stops the parse with a located error, so no entity is ever declared.
///
/// A consumer with a hot path (a sheet's cells) subclasses it and overrides `attribute`, `start`
/// and `end`: a method call per event, without closures, copies or reference counting. libxml2
/// pulls the part's bytes as it needs them (`parse(pulling:)`).
class XMLEventStream {
    let displayPath: String
    let log: DiagnosticLog
    private let elements: [[UInt8]]
    private let attributeNames: [[UInt8]]
    /// The watched attributes of the element just started, by index in `attributes`: each value's
    /// bytes, and whether it was given (kept by the default `attribute`; buffers are reused).
    @exclusivity(unchecked) private(set) var attributeValues: [[UInt8]]
    @exclusivity(unchecked) private(set) var attributeGiven: [Bool]
    /// Text collected while `capture` is set.
    @exclusivity(unchecked) var text: [UInt8] = []
    @exclusivity(unchecked) var capture = false
    /// Told of each watched attribute `k` (by index in `attributes`) that a watched element carries,
    /// before `start(element)`. The span is valid during the call only. By default it is kept in
    /// `attributeValues`.
    func attribute(_ k: Int, of element: Int, _ value: Span<UInt8>) {
        attributeValues[k].removeAll(keepingCapacity: true)
        attributeValues[k].append(copying: value)
        attributeGiven[k] = true
    }
    /// Told of text (a watched element's or not; libxml2 may split one text in several calls).
    /// By default it is collected in `text` while `capture` is set.
    func characters(_ piece: Span<UInt8>) {
        guard capture else { return }
        if text.count + piece.count > Self.maxTextBytes {
            textTooLong()
            return
        }
        text.append(copying: piece)
    }
    /// Reports a text longer than `maxTextBytes`, and stops.
    func textTooLong() {
        log.error(
            "xlsx.text-too-long", SourceLocation(file: displayPath, line: line),
            "a text in the part is longer than \(Self.maxTextBytes) bytes", hint: "a cell holds one short value")
        stop()
    }
    /// Told of a watched element's start (after its attributes) and end.
    func start(_ element: Int) { onStart(element) }
    func end(_ element: Int) { onEnd(element) }
    /// The longest text collected at once.
    static let maxTextBytes = 1 << 20
    /// Called with the index of a watched element (in `elements`) at its start and at its end.
    var onStart: (Int) -> Void = { _ in }
    var onEnd: (Int) -> Void = { _ in }
    /// Set by the consumer to stop the parse (after reporting why).
    var stopped = false
    private(set) var failed = false
    private var context: xmlParserCtxtPtr?
    /// libxml2 interns names in its dictionary: (pointer, index) pairs seen, compared by pointer,
    /// for element names and for attribute names.
    @exclusivity(unchecked) private var elementNames = NameCache()
    @exclusivity(unchecked) private var attributeNamesSeen = NameCache()
    private var errors = 0
    /// False for a consumer that reads the attributes as they come (overriding `attribute`).
    private let keepsAttributes: Bool

    init(
        displayPath: String, elements: [String], attributes: [String], log: DiagnosticLog,
        keepsAttributes: Bool = true
    ) {
        self.keepsAttributes = keepsAttributes
        self.displayPath = displayPath
        self.log = log
        self.elements = elements.map { Array($0.utf8) }
        self.attributeNames = attributes.map { Array($0.utf8) }
        self.attributeValues = Array(repeating: [], count: attributes.count)
        self.attributeGiven = Array(repeating: false, count: attributes.count)
    }

    /// The watched attribute `k` of the element just started, when given.
    var attributes: [[UInt8]?] {
        attributeValues.indices.map { attributeGiven[$0] ? attributeValues[$0] : nil }
    }

    deinit { if let context { xmlFreeParserCtxt(context) } }

    var line: Int { context.map { Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer($0))) } ?? 0 }

    /// Names seen, by their interned pointer: a direct-mapped table of `NameCache.slots` entries
    /// keyed by the pointer's bits. A name not in it is compared by its bytes, then remembered.
    private struct NameCache {
        static let slots = 64
        /// The slot of a pointer (Fibonacci hashing: libxml2 packs short names a few bytes apart).
        @inline(__always) static func slot(_ name: UnsafePointer<xmlChar>) -> Int {
            Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: name)) &* FibonacciHash.multiplier) >> 58)
        }
        var keys = [UInt](repeating: 0, count: slots)
        var values = [Int](repeating: -1, count: slots)

        mutating func index(of name: UnsafePointer<xmlChar>, in list: [[UInt8]]) -> Int {
            let slot = Self.slot(name)
            if keys[slot] == UInt(bitPattern: name) { return values[slot] }
            let bytes = UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name)))
            let k = list.firstIndex { $0.elementsEqual(bytes) } ?? -1
            keys[slot] = UInt(bitPattern: name)
            values[slot] = k
            return k
        }
    }

    final fileprivate func started(
        _ name: UnsafePointer<xmlChar>, _ count: Int, _ values: UnsafePointer<UnsafePointer<xmlChar>?>?
    ) {
        guard !stopped else { return }
        let e = elementNames.index(of: name, in: elements)
        guard e >= 0 else { return }
        if keepsAttributes {
            for i in attributeGiven.indices { attributeGiven[i] = false }
        }
        if let values, !attributeNames.isEmpty {
            // libxml2 gives five pointers per attribute: local name, prefix, URI, value start, value end.
            for a in 0..<count {
                guard let local = values[a * 5] else { continue }
                let k = attributeNamesSeen.index(of: local, in: attributeNames)
                guard k >= 0, let start = values[a * 5 + 3], let end = values[a * 5 + 4] else { continue }
                attribute(k, of: e, UnsafeBufferPointer(start: start, count: end - start).span)
            }
        }
        start(e)
        if stopped, let context { xmlStopParser(context) }
    }

    final fileprivate func ended(_ name: UnsafePointer<xmlChar>) {
        guard !stopped else { return }
        let e = elementNames.index(of: name, in: elements)
        guard e >= 0 else { return }
        end(e)
        if stopped, let context { xmlStopParser(context) }
    }

    final fileprivate func characters(_ bytes: UnsafePointer<xmlChar>, _ count: Int) {
        guard !stopped else { return }
        characters(UnsafeBufferPointer(start: bytes, count: count).span)
        if stopped, let context { xmlStopParser(context) }
    }

    fileprivate func doctype() {
        log.error(
            "xml.doctype", SourceLocation(file: displayPath, line: line),
            "a DOCTYPE is not allowed in a workbook part", hint: "save the workbook again from the spreadsheet program")
        stop()
    }

    fileprivate func error(_ message: String, line: Int, warning: Bool) {
        // Once stopped (by the consumer, or because the bytes ran out for a reason already
        // reported), what libxml2 says about the rest is not news.
        guard !warning, !stopped else { return }
        errors += 1
        failed = true
        if errors <= 5 {
            log.error(
                "xml.malformed", SourceLocation(file: displayPath, line: line), "XML is not well formed: " + message,
                hint: "the workbook part is damaged; save the workbook again")
        }
    }

    func stop() {
        stopped = true
        failed = true
        if let context { xmlStopParser(context) }
    }

    /// Stops the parse from inside `parse(pulling:)`'s `next`: what libxml2 makes of the bytes
    /// being cut short is ignored. (`xmlStopParser` frees the input buffer that libxml2 is filling
    /// while `next` runs, so it is not called there; the parse runs to the end it now sees.)
    func abandon() {
        stopped = true
        failed = true
    }

    /// Parses the whole part, its bytes given piece by piece by `next` (nil at the end; an empty
    /// piece is skipped). libxml2 asks for bytes as it needs them, which lets it parse from its own
    /// buffer in one pass. False when it was not well-formed or the parse was stopped; `next` may
    /// end the parse, for a reason it reports, by calling `abandon()` and returning nil.
    func parse(pulling next: () -> [UInt8]?) -> Bool {
        withoutActuallyEscaping(next) { next in
            let source = PullSource(next: next)
            open(pulling: source)
            if let context, !stopped { _ = xmlParseDocument(context) }
            // libxml2 never reads again after the document: the source (and `next`) go now.
            pullSource = nil
            return checkWellFormed()
        }
    }

    private func checkWellFormed() -> Bool {
        if !stopped, let context, context.pointee.wellFormed == 0, !failed {
            failed = true
            log.error(
                "xml.malformed", SourceLocation(file: displayPath, line: line), "the part is not well-formed XML",
                hint: "the workbook part is damaged; save the workbook again")
        }
        return !failed
    }

    /// The pieces a pulled parse reads, and the unread rest of the current one.
    private final class PullSource {
        let next: () -> [UInt8]?
        var piece: [UInt8] = []
        var offset = 0
        init(next: @escaping () -> [UInt8]?) { self.next = next }

        /// Copies up to `count` bytes to `out`; 0 at the end.
        func read(into out: UnsafeMutablePointer<CChar>, count: Int) -> Int {
            while offset == piece.count {
                guard let more = next() else { return 0 }
                piece = more
                offset = 0
            }
            let n = min(count, piece.count - offset)
            piece.withUnsafeBufferPointer { buffer in
                UnsafeMutableRawPointer(out).copyMemory(from: buffer.baseAddress! + offset, byteCount: n)
            }
            offset += n
            return n
        }
    }

    /// The pulled parse's source, kept alive with the parser.
    private var pullSource: PullSource?

    private func open(pulling source: PullSource) {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { ctx, localname, _, _, _, _, count, _, values in
            guard let ctx, let localname else { return }
            // The stream lives while its parser does: no reference counting per event.
            Unmanaged<XMLEventStream>.fromOpaque(ctx)._withUnsafeGuaranteedRef { stream in
                if let values {
                    values.withMemoryRebound(to: UnsafePointer<xmlChar>?.self, capacity: Int(count) * 5) {
                        stream.started(localname, Int(count), $0)
                    }
                } else {
                    stream.started(localname, 0, nil)
                }
            }
        }
        handler.endElementNs = { ctx, localname, _, _ in
            guard let ctx, let localname else { return }
            Unmanaged<XMLEventStream>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.ended(localname) }
        }
        handler.characters = { ctx, bytes, count in
            guard let ctx, let bytes else { return }
            Unmanaged<XMLEventStream>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.characters(bytes, Int(count)) }
        }
        handler.cdataBlock = handler.characters
        handler.internalSubset = { ctx, _, _, _ in
            guard let ctx else { return }
            Unmanaged<XMLEventStream>.fromOpaque(ctx).takeUnretainedValue().doctype()
        }
        handler.serror = { ctx, error in
            guard let ctx, let error else { return }
            var message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
            while message.last == "\n" || message.last == " " { message.removeLast() }
            Unmanaged<XMLEventStream>.fromOpaque(ctx).takeUnretainedValue().error(
                message, line: Int(error.pointee.line), warning: error.pointee.level == XML_ERR_WARNING)
        }
        // The stream outlives its parser: `deinit` frees the context first.
        let me = Unmanaged.passUnretained(self).toOpaque()
        pullSource = source
        context = xmlCreateIOParserCtxt(
            &handler, me,
            { io, out, count in
                guard let io, let out else { return -1 }
                let source = Unmanaged<PullSource>.fromOpaque(io).takeUnretainedValue()
                return Int32(source.read(into: out, count: Int(count)))
            },
            nil, Unmanaged.passUnretained(source).toOpaque(), XML_CHAR_ENCODING_NONE)
        if let context {
            _ = xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        } else {
            failed = true
            log.error("xml.malformed", SourceLocation(file: displayPath), "the XML parser could not start")
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends the bytes a span views.
    mutating func append(copying span: Span<UInt8>) {
        span.withUnsafeBufferPointer { append(contentsOf: $0) }
    }
}
