import BoardPackIngest

/// libFuzzer entry: one contract-monitoring XML file, start to finish.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = IngestFuzzing.activityXML(bytes)
    return 0
}
