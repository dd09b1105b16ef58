/// The version, written once: `boardpack --version`, the packs' generator line and the manifest.
public enum BoardPackVersion {
    public static let current = "0.1.0"
}
