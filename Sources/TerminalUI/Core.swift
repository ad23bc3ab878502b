/// Core value types shared by every part of the toolkit and by terminal backends.

/// A colour as written in a theme; reduced to what the terminal can show by `ColorProfile`.
public enum Color: Equatable, Hashable, Sendable {
    /// The terminal's own foreground or background.
    case `default`
    /// One of the 16 ANSI colours (0-7 normal, 8-15 bright).
    case ansi(UInt8)
    /// One of the 256 xterm palette entries.
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

/// Text attributes that survive on a monochrome terminal.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let underline = Attributes(rawValue: 1 << 2)
    public static let reverse = Attributes(rawValue: 1 << 3)
    public static let italic = Attributes(rawValue: 1 << 4)
}

public struct Style: Equatable, Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground; self.background = background; self.attributes = attributes
    }

    public static let plain = Style()
}

/// One screen cell. A wide character occupies its cell plus a following `continuation` cell.
public struct Cell: Equatable, Hashable, Sendable {
    /// The grapheme drawn here; empty for the continuation half of a wide character.
    public var text: String
    public var style: Style

    public init(_ text: String = " ", style: Style = .plain) {
        self.text = text; self.style = style
    }

    public var isContinuation: Bool { text.isEmpty }
    public static let blank = Cell()
    public static let continuation = Cell("")
}

public enum Key: Equatable, Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
}

public enum MouseButton: Equatable, Sendable {
    case left, middle, right, wheelUp, wheelDown
}

public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case mouse(MouseButton, x: Int, y: Int)
    case resize(width: Int, height: Int)
    /// Bracketed or pasted text delivered in one piece.
    case paste(String)
}

/// What the terminal can show; chosen by the backend from TERM, COLORTERM and NO_COLOR.
public enum ColorDepth: Int, Comparable, Sendable {
    case monochrome = 0
    case ansi8 = 8
    case ansi16 = 16
    case palette256 = 256
    case trueColor = 16_777_216
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}

/// A place to draw a `ScreenBuffer` and read input from. `NCursesTerminal` is the real one;
/// `HeadlessTerminal` is used by tests and the benchmark.
public protocol Terminal: AnyObject {
    var size: (width: Int, height: Int) { get }
    var colorDepth: ColorDepth { get }
    /// False when the locale is not UTF-8: widgets then use ASCII borders and glyphs.
    var supportsUnicode: Bool { get }
    /// Draws the buffer, sending only what changed since the last call.
    func present(_ buffer: ScreenBuffer)
    /// Waits at most `timeoutMilliseconds` for an event; nil when none arrived.
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
    /// Forget what is on screen so the next `present` redraws everything (ctrl-l).
    func invalidate()
    /// Leave and re-enter the terminal around a job-control stop (ctrl-z).
    func suspend()
    /// Restore the terminal to the state it was in before. Safe to call twice.
    func shutdown()
}
