import BoardPackIngest
import Foundation

/// libFuzzer entry: one worksheet's XML inside an otherwise well-formed workbook, read as an
/// activity submission.
let path = NSTemporaryDirectory() + "/boardpack-fuzz-\(getpid()).xlsx"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = IngestFuzzing.activitySheet(Array(UnsafeBufferPointer(start: data, count: size)), path: path)
    return 0
}
