/// Text from a workspace or an imported file may hold control characters (an escape sequence
/// in a control title could rewrite the user's terminal). Everything printed to a terminal
/// goes through here first.
public enum Sanitize {
    /// One line: every control character (C0, DEL, C1), tabs and line breaks included, becomes a space.
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
