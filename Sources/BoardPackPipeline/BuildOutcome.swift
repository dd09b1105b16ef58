import BoardPackAnalysis
import BoardPackCore
import BoardPackPublish
import BoardPackRender

/// What a build produced, or why it stopped.
public struct BuildOutcome: Sendable {
    public var status: ExitStatus
    /// A failure that is not an input diagnostic (missing file, bad template, I/O).
    public var failure: String?
    public var period: FinancialMonth?
    public var packs: [PackFigures] = []
    /// The rendered files, when not published (`publish: false`); a published build writes each
    /// pack's files as it renders them and keeps only what the manifest records of them.
    public var files: [Publisher.File] = []
    public var timings: [Manifest.Timing] = []
}
