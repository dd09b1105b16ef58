import BoardPackIngest

/// libFuzzer entry: one contract-monitoring CSV file, start to finish.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = IngestFuzzing.activityCSV(bytes)
    return 0
}
