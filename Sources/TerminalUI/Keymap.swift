/// How keys are written in help, hints and tests ("ctrl-p", "F1", "S-Tab", "Space").
public enum KeyNames {
    public static func label(_ key: Key) -> String {
        switch key {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "ctrl-\(c)"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let n): return "F\(n)"
        }
    }

    /// Parses "ctrl-p", "F1", "shift-tab", "enter", "esc", "space", "pgdn" or a single character.
    public static func parse(_ text: String) -> Key? {
        let lower = text.lowercased()
        switch lower {
        case "enter", "return": return .enter
        case "esc", "escape": return .escape
        case "tab": return .tab
        case "shift-tab", "s-tab", "backtab": return .backTab
        case "space": return .char(" ")
        case "backspace": return .backspace
        case "del", "delete": return .delete
        case "up": return .up
        case "down": return .down
        case "left": return .left
        case "right": return .right
        case "home": return .home
        case "end": return .end
        case "pgup", "pageup": return .pageUp
        case "pgdn", "pagedown": return .pageDown
        default: break
        }
        if lower.hasPrefix("ctrl-"), lower.count == 6 { return .ctrl(lower.last!) }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { return .function(n) }
        if text.count == 1 { return .char(text.first!) }
        return nil
    }
}
