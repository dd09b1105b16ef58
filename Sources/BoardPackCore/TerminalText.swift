/// Text from the inputs made safe to print on a terminal: control characters (C0 other than tab,
/// DEL, C1) and the bidirectional controls that can reorder what a reader sees are written as
/// `\u{1B}`-style escapes, so no input can move the cursor, clear the screen or disguise a line.
public enum TerminalText {
    /// True for the bidirectional embedding, override and isolate controls (and the marks), which
    /// make text display in an order other than the one it is stored in.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// True for a character no printed line should carry raw.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x09) || (0x7F...0x9F).contains(v) || isBidiControl(scalar)
    }

    /// `text` with every unsafe character escaped (a line break included: one value, one line).
    public static func escaped<S: StringProtocol>(_ text: S) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return String(text) }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
