import Foundation

/// Times the stages of a run.
struct Stopwatch {
    private(set) var timings: [Manifest.Timing] = []
    private var start = DispatchTime.now()

    mutating func lap(_ stage: String) -> Double {
        let now = DispatchTime.now()
        let seconds = Double(now.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        timings.append(Manifest.Timing(stage: stage, seconds: seconds))
        start = now
        return seconds
    }
}
