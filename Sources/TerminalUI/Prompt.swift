/// A single-line text field: the text and a caret, edited by keys. A pure value, so prompts,
/// filters and forms are tested without a terminal.
public struct TextField: Equatable, Sendable {
    public private(set) var text: String
    /// Caret position in characters (grapheme clusters) from the start.
    public private(set) var caret: Int

    public init(text: String) {
        self.text = text
        caret = text.count
    }

    /// Inserts text at the caret (typing or a paste).
    public mutating func insert(_ string: String) {
        let clean = string.filter { !$0.isNewline }
        let index = text.index(text.startIndex, offsetBy: caret)
        text.insert(contentsOf: clean, at: index)
        caret += clean.count
    }

    /// Applies an editing key; returns false when the key is not an editing key.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c):
            insert(String(c))
        case .backspace, .ctrl("h"):
            guard caret > 0 else { return true }
            let index = text.index(text.startIndex, offsetBy: caret - 1)
            text.remove(at: index)
            caret -= 1
        case .delete, .ctrl("d"):
            guard caret < text.count else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: caret))
        case .left, .ctrl("b"): caret = max(0, caret - 1)
        case .right, .ctrl("f"): caret = min(text.count, caret + 1)
        case .home, .ctrl("a"): caret = 0
        case .end, .ctrl("e"): caret = text.count
        case .ctrl("u"):
            text.removeSubrange(text.startIndex..<text.index(text.startIndex, offsetBy: caret))
            caret = 0
        case .ctrl("k"):
            text.removeSubrange(text.index(text.startIndex, offsetBy: caret)...)
        case .ctrl("w"):
            // Delete the word before the caret, and the spaces after it.
            var chars = Array(text.prefix(caret))
            while chars.last == " " { chars.removeLast() }
            while let last = chars.last, last != " " { chars.removeLast() }
            let removed = caret - chars.count
            text = String(chars) + text.dropFirst(caret)
            caret -= removed
        default:
            return false
        }
        return true
    }
}
