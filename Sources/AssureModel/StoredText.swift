/// The one rule for text that may be stored in a workspace: no control characters. A NUL or
/// an escape sequence in a title would break the change log's hash chain (SQLite's C strings
/// end at a NUL) or a terminal that shows it, so every entry point (CSV import, YAML catalogs,
/// samples and libraries, command-line arguments) refuses such text and says where it is.
/// Tab and line breaks are allowed where a text may span lines (files, descriptions, notes).
public enum StoredText {
    /// Where the first forbidden character is: 1-based line and column (in characters of the
    /// line), and its 1-based position in the whole text.
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public let scalar: Unicode.Scalar
        public let line: Int
        public let column: Int
        public let position: Int
        public let multiline: Bool

        /// "U+0000"
        public var code: String {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }

        /// What is wrong, without saying where (callers name the file, row or argument).
        public var description: String {
            multiline
                ? "control character \(code) is not allowed (text may hold tabs and line breaks, no other control characters)"
                : "control character \(code) is not allowed (one line of text, without tabs or control characters)"
        }
    }

    /// Whether `scalar` may be stored: anything but the C0 controls and DEL; tab, line feed
    /// and carriage return only in text that may span lines.
    public static func isAllowed(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return multiline
        case 0x00...0x1F, 0x7F: return false
        default: return true
        }
    }

    /// The first character `text` may not hold, or nil when it is fine.
    public static func firstProblem(in text: String, multiline: Bool = true) -> Problem? {
        // Fast path: most text has nothing below U+0020 and no DEL.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return nil }
        var line = 1
        var column = 0
        var position = 0
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            position += 1
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue  // CRLF is one line break
            }
            column += 1
            if !isAllowed(scalar, multiline: multiline) {
                return Problem(scalar: scalar, line: line, column: column, position: position, multiline: multiline)
            }
            previousWasCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" { line += 1; column = 0 }
        }
        return nil
    }

    /// Throws `problem` when `text` holds a character it may not.
    public static func check(_ text: String, multiline: Bool = true) throws {
        if let problem = firstProblem(in: text, multiline: multiline) { throw problem }
    }
}

extension StoredText.Problem: Error {}
