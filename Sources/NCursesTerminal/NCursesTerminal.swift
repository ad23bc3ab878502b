import CNCursesW
import Foundation
import TerminalUI

public struct TerminalUnavailable: Error, CustomStringConvertible {
    public let description: String
}

/// The real terminal: `Terminal` over ncursesw. The only type in assure that touches curses.
/// It draws only cells that changed since the last frame and restores the terminal on every
/// way out (quit, error, SIGINT/SIGTERM/SIGHUP, ctrl-z).
public final class NCursesTerminal: Terminal {
    public private(set) var colorDepth: ColorDepth
    public let supportsUnicode: Bool
    /// True once the terminal went away (hang-up) or a quit signal arrived: the caller stops.
    public private(set) var isDisconnected = false
    private var screen: OpaquePointer?
    private var previous: ScreenBuffer?
    private var pairs = ColorPairs()
    private var readErrors = 0
    private var active = false

    public init(useMouse: Bool, forceMonochrome: Bool) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalUnavailable(
                description: "not attached to a terminal: the workbench needs an interactive terminal (use the command line for scripts)")
        }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !term.isEmpty else { throw TerminalUnavailable(description: "TERM is not set, so the terminal type is unknown") }
        setlocale(LC_ALL, "")
        supportsUnicode = assure_is_utf8_locale() != 0
        assure_unblock_signals()
        // newterm, unlike initscr, reports an unknown TERM instead of exiting the process.
        guard let created = newterm(nil, assure_stdout(), assure_stdin()) else {
            throw TerminalUnavailable(description: "unknown terminal type '\(term)' (check TERM)")
        }
        screen = created
        set_term(created)
        active = true
        let monochrome = forceMonochrome || term == "dumb" || ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } == true
        if !monochrome && has_colors() {
            start_color()
            use_default_colors()
            colorDepth = assure_colors() >= 256 ? .palette256 : (assure_colors() >= 16 ? .ansi16 : .ansi8)
        } else {
            colorDepth = .monochrome
        }
        raw()
        noecho()
        nonl()
        keypad(assure_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if useMouse {
            mouseinterval(0)
            mousemask(assure_button1_pressed() | assure_button3_pressed() | assure_button4_pressed() | assure_button5_pressed(), nil)
        }
        assure_install_quit_handlers()
        NCursesTerminal.current = self
        atexit { NCursesTerminal.current?.shutdown() }
    }

    /// The terminal the atexit handler restores. Unchecked because curses itself is
    /// single-threaded: it is set once, on the one thread that drives the screen, before any
    /// exit path can read it.
    nonisolated(unsafe) static weak var current: NCursesTerminal?

    public var size: (width: Int, height: Int) {
        var y: Int32 = 0
        var x: Int32 = 0
        assure_getmaxyx(assure_stdscr(), &y, &x)
        return (Int(x), Int(y))
    }

    public func present(_ buffer: ScreenBuffer) {
        guard active else { return }
        let full = previous.map { $0.width != buffer.width || $0.height != buffer.height } ?? true
        if full { werase(assure_stdscr()) }
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                if !full, let old = previous, old[x, y] == cell,
                    x + 1 >= buffer.width || old[x + 1, y] == buffer[x + 1, y]
                {
                    continue
                }
                // The bottom-right cell cannot be written without scrolling on some terminals.
                if y == buffer.height - 1 && x == buffer.width - 1 { continue }
                draw(cell, x: x, y: y)
            }
        }
        previous = buffer
        if let cursor = buffer.cursor {
            curs_set(1)
            wmove(assure_stdscr(), Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(assure_stdscr())
        doupdate()
    }

    private func draw(_ cell: Cell, x: Int, y: Int) {
        var attrs = assure_a_normal()
        let a = cell.style.attributes
        if a.contains(.bold) { attrs |= assure_a_bold() }
        if a.contains(.dim) { attrs |= assure_a_dim() }
        if a.contains(.underline) { attrs |= assure_a_underline() }
        if a.contains(.reverse) { attrs |= assure_a_reverse() }
        if a.contains(.italic) { attrs |= assure_a_italic() }
        let pair = colorDepth == .monochrome ? 0 : pairs.pair(for: cell.style, depth: colorDepth)
        var text = cell.text
        if !supportsUnicode && text.unicodeScalars.contains(where: { $0.value > 0x7E }) { text = "?" }
        var scalars = text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        scalars.append(0)
        _ = assure_put_grapheme(assure_stdscr(), Int32(y), Int32(x), scalars, attrs, Int32(pair))
    }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard active else { return nil }
        if assure_peek_signal() != 0 { isDisconnected = true; return nil }
        wtimeout(assure_stdscr(), Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let result = wget_wch(assure_stdscr(), &ch)
        if result == ERR {
            if assure_peek_signal() != 0 { isDisconnected = true; return nil }
            // A timeout is normal; a terminal that hung up returns errors at once, forever.
            if isatty(STDIN_FILENO) != 1 { isDisconnected = true }
            return nil
        }
        readErrors = 0
        if result == KEY_CODE_YES { return decodeKey(Int32(ch)) }
        return decodeCharacter(UInt32(ch))
    }

    private func decodeCharacter(_ value: UInt32) -> InputEvent? {
        switch value {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(UnicodeScalar(value + 96)!)))
        default:
            guard let scalar = UnicodeScalar(value) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    private func decodeKey(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_BTAB: return .key(.backTab)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_ENTER: return .key(.enter)
        case KEY_RESIZE:
            previous = nil
            let size = self.size
            return .resize(width: size.width, height: size.height)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let state = event.bstate
            let x = Int(event.x)
            let y = Int(event.y)
            if state & assure_button4_pressed() != 0 { return .mouse(.wheelUp, x: x, y: y) }
            if assure_button5_pressed() != 0 && state & assure_button5_pressed() != 0 { return .mouse(.wheelDown, x: x, y: y) }
            if state & assure_button1_pressed() != 0 { return .mouse(.left, x: x, y: y) }
            if state & assure_button3_pressed() != 0 { return .mouse(.right, x: x, y: y) }
            return nil
        default:
            for n in 1...12 where code == assure_key_f(Int32(n)) { return .key(.function(n)) }
            return nil
        }
    }

    public func invalidate() {
        previous = nil
        clearok(assure_stdscr(), true)
    }

    public func suspend() {
        guard active else { return }
        endwin()
        assure_stop_self()
        // Back from the shell's `fg`: redraw everything.
        refresh()
        previous = nil
        clearok(assure_stdscr(), true)
    }

    public func shutdown() {
        guard active else { return }
        active = false
        curs_set(1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
    }

    /// The signal that asked us to stop, if any (SIGINT, SIGTERM, SIGHUP).
    public var pendingSignal: Int32? {
        let s = assure_peek_signal()
        return s == 0 ? nil : Int32(s)
    }

    deinit { shutdown() }
}

/// Allocates colour pairs on demand: one per (foreground, background) seen.
struct ColorPairs {
    private var cache: [Int64: Int] = [:]
    private var next = 1

    mutating func pair(for style: Style, depth: ColorDepth) -> Int {
        let fg = number(ColorProfile.reduce(style.foreground, to: depth))
        let bg = number(ColorProfile.reduce(style.background, to: depth))
        if fg == -1 && bg == -1 { return 0 }
        let key = Int64(fg + 1) << 16 | Int64(bg + 1)
        if let pair = cache[key] { return pair }
        guard next < Int(assure_color_pairs()) else { return 0 }
        let pair = next
        next += 1
        init_extended_pair(Int32(pair), Int32(fg), Int32(bg))
        cache[key] = pair
        return pair
    }

    private func number(_ color: Color) -> Int {
        switch color {
        case .default: return -1
        case .ansi(let n): return Int(n)
        case .indexed(let n): return Int(n)
        case .rgb(let r, let g, let b): return Int(ColorProfile.nearest256(Int(r), Int(g), Int(b)))
        }
    }
}
