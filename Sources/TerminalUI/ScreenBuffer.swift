/// A grid of cells: what a view draws and what a terminal presents. Every write is clipped to
/// the buffer (and to an optional clip width), and wide characters take two cells, so nothing
/// can spill into a neighbouring pane.
public struct ScreenBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where to show the text cursor (a prompt's caret), or nil to hide it.
    public var cursor: (x: Int, y: Int)? {
        get { cursorX.map { ($0, cursorY) } }
        set { cursorX = newValue?.x; cursorY = newValue?.y ?? 0 }
    }
    private var cursorX: Int?
    private var cursorY = 0

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// Replaces a grapheme wherever it was drawn: an ASCII screen swaps what it cannot show.
    public mutating func replace(_ text: String, with replacement: String) {
        for i in cells.indices where cells[i].text == text { cells[i].text = replacement }
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` at (x, y) in `style`, stopping at the buffer edge or after `maxWidth`
    /// columns. A wide character that would not fit whole is replaced by a space. Returns the
    /// number of columns written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        if let written = writePrintableASCII(text, x: x, y: y, style: style, limit: limit) { return written }
        // Text whose every scalar is a grapheme of its own (`TextWidth.standsAlone`: rules,
        // bars, dots, accented names) is placed scalar by scalar, without the grapheme walk.
        if text.unicodeScalars.allSatisfy({ TextWidth.standsAlone($0.value) }) {
            return place(
                text.unicodeScalars.lazy.map { (String(Character($0)), TextWidth.scalarWidth($0.value)) }, x: x, y: y, style: style, limit: limit)
        }
        return place(text.lazy.map { (String($0), TextWidth.of($0)) }, x: x, y: y, style: style, limit: limit)
    }

    /// Places graphemes (their text and width) from column x, clipped at `limit`.
    private mutating func place<Graphemes: Sequence<(String, Int)>>(_ graphemes: Graphemes, x: Int, y: Int, style: Style, limit: Int) -> Int {
        var column = x
        for (grapheme, w) in graphemes {
            if w == 0 { continue }
            if column + w > limit {
                if w == 2 && column < limit && column >= 0 { self[column, y] = Cell(" ", style: style); column += 1 }
                break
            }
            // A grapheme starting left of the buffer is skipped, its columns still counted.
            if column >= 0 {
                self[column, y] = Cell(grapheme, style: style)
                if w == 2 { self[column + 1, y] = Cell("", style: style) }
            }
            column += w
        }
        return max(0, column - x)
    }

    /// `write` for text of printable ASCII only, as most of a frame is (references, numbers,
    /// titles): each byte is one grapheme one column wide, so the bytes are copied without
    /// breaking the text into graphemes or looking up widths, which was most of drawing a frame.
    /// Nil for any other text.
    private mutating func writePrintableASCII(_ text: String, x: Int, y: Int, style: Style, limit: Int) -> Int? {
        guard text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        var column = x
        for byte in text.utf8 {
            if column >= limit { break }
            if column >= 0 { cells[y * width + column] = Cell(Self.asciiText[Int(byte)], style: style) }
            column += 1
        }
        return max(0, column - x)
    }

    /// Each ASCII byte's cell text, made once rather than for every cell of every frame.
    private static let asciiText: [String] = (0..<128).map { String(Character(Unicode.Scalar(UInt8($0)))) }

    /// Fills a rectangle with a character in a style.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        for y in max(0, rect.y)..<min(height, rect.y + rect.height) {
            for x in max(0, rect.x)..<min(width, rect.x + rect.width) { self[x, y] = cell }
        }
    }

    /// Changes the style of cells in a rectangle, keeping their text (used for selection bars).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        for y in max(0, rect.y)..<min(height, rect.y + rect.height) {
            for x in max(0, rect.x)..<min(width, rect.x + rect.width) {
                cells[y * width + x].style = transform(cells[y * width + x].style)
            }
        }
    }

    /// The screen as plain text: one line per row, trailing spaces removed. Used by goldens.
    public func text() -> String {
        var lines: [String] = []
        for y in 0..<height {
            var line = ""
            for x in 0..<width { line += cells[y * width + x].text }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    public func line(_ y: Int) -> String {
        var line = ""
        for x in 0..<width { line += cells[y * width + x].text }
        return line
    }

    public static func == (a: ScreenBuffer, b: ScreenBuffer) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells
            && a.cursorX == b.cursorX && a.cursorY == b.cursorY
    }
}

public struct Rect: Equatable, Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
    /// The rectangle shrunk by `n` on every side (inside a border).
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
}
