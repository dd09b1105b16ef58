/// The documented exit codes of `boardpack` (README, "Exit codes").
public enum ExitStatus: Int32, Sendable {
    /// Success; warnings allowed.
    case success = 0
    /// The inputs have errors; nothing was published.
    case inputErrors = 1
    /// A usage or configuration error (bad option, missing or broken template).
    case usage = 2
    /// An I/O or internal failure.
    case failure = 3
    /// Another run held the output folder's lock for longer than `--wait`.
    case busy = 4
}
