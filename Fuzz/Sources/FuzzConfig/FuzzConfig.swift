import BoardPackCore

/// libFuzzer entry: one `boardpack.toml`, parsed as a build would (Configuration.swift is linked
/// in from the main package). Any input gives rules or located errors, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    let log = DiagnosticLog(maxErrors: 1_000)
    let rules = Configuration.parse(text, file: "boardpack.toml", log: log)
    precondition((rules == nil) == log.hasErrors, "rules are given exactly when there is no error")
    for diagnostic in log.diagnostics { precondition(diagnostic.location.line >= 1, "every error has its line") }
    return 0
}
