import AssureModel
import TerminalUI

/// The strip under the panes: everything about the selected item.
/// The strip under the panes: everything about the selected item, from the focused pane.
func detailLines(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    state.focus.definition.detail(state, glyphs)
}

/// "last change: owner Dana Kim → Omar Haddad by dana, 2026-11-20 09:00", once it has loaded.
func lastChangeLine(_ state: AppState, _ glyphs: Glyphs) -> String? {
    state.detailChange.map { change in
        "last change: \(change.field) \(change.before ?? glyphs.dash) → \(change.after ?? glyphs.dash) by \(change.actor), \(change.at.prefix(16).replacingOccurrences(of: "T", with: " "))"
    }
}

/// "1 open gap", "3 open gaps".
func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
}

func drawDetail(_ screen: inout ScreenBuffer, _ state: AppState, _ rect: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    guard !rect.isEmpty else { return }
    screen.fill(rect, with: Cell(" ", style: styles("detail")))
    // Empty lines (no description, no change loaded yet) give their room to the next ones.
    for (i, line) in detailLines(state, glyphs).filter({ !$0.isEmpty }).prefix(rect.height).enumerated() {
        let style =
            i == 0
            ? {
                var s = styles("detail"); s.attributes.insert(.bold); return s
            }() : styles("detail")
        screen.write(" " + TextWidth.truncate(line, to: rect.width - 2), x: rect.x, y: rect.y + i, style: style, maxWidth: rect.width)
    }
}

func drawHintBar(_ screen: inout ScreenBuffer, _ state: AppState, _ rect: Rect, _ styles: Styles) {
    guard !rect.isEmpty else { return }
    screen.fill(rect, with: Cell(" ", style: styles("hint.bar")))
    if let toast = state.toast {
        screen.write(
            " " + TextWidth.truncate(toast.text, to: rect.width - 2), x: rect.x, y: rect.y,
            style: styles(toast.isError ? "toast.error" : "toast"), maxWidth: rect.width)
        return
    }
    var x = rect.x + 1
    for (key, label) in hints(for: state) {
        let width = TextWidth.of(key) + TextWidth.of(label) + 3
        if x + width > rect.maxX { break }
        x += screen.write(key, x: x, y: rect.y, style: styles("hint.key"))
        x += screen.write(" " + label + "  ", x: x, y: rect.y, style: styles("hint.bar"))
    }
}

/// The keys that apply now, from the command registry.
func hints(for state: AppState) -> [(String, String)] {
    switch state.mode {
    case .help: return [("j/k", "scroll"), ("Esc", "close help")]
    case .palette: return [("↑/↓", "choose"), ("Enter", "run"), ("Esc", "close"), ("theme NAME", "switch theme")]
    case .filter: return [("type", "to filter"), ("Enter", "keep filter"), ("Esc", "clear"), ("↑/↓", "move")]
    case .picker: return [("type", "to find or add"), ("↑/↓", "choose"), ("Enter", "assign"), ("Esc", "cancel")]
    case .menu: return [("↑/↓ 1-4", "choose"), ("Enter", "set"), ("Esc", "cancel")]
    case .prompt: return [("Enter", "save"), ("Esc", "cancel")]
    case .form: return [("Tab", "next field"), ("←/→", "choose"), ("Enter", "next/save"), ("ctrl-s", "save"), ("Esc", "cancel")]
    case .agenda: return [("j/k", "move"), ("Enter", "go to it"), ("a/s/r/n", "act on it"), ("z/Z", "undo/redo"), ("Esc", "close")]
    case .dashboard: return [("j/k", "scroll"), ("Esc", "close")]
    case .confirmDerive: return [("Enter", "create them"), ("Esc", "cancel")]
    case .drift(_, _, let confirming):
        return confirming
            ? [("y", "approve as baseline"), ("n/Esc", "cancel")]
            : [("Esc", "close"), ("b", "approve as baseline"), ("j/k", "event"), ("J/K", "scroll diff"), ("Enter", "go to control")]
    case .normal:
        var list = [("?", "help")]
        let filtering = !state.pane(state.focus).filter.isEmpty
        for command in CommandRegistry.hints(for: state.focus) where command.id != .help {
            // While filtering, n steps through matches: the new-gap hint would lie.
            if filtering && command.id == .newGap { continue }
            // A read-only screen advertises no edit keys.
            if state.readOnly && command.id.isEdit { continue }
            // Nor a key that would only say why it is off (no Type II window yet).
            if command.disabledReason?(state) != nil { continue }
            list.append((KeyNames.label(command.keys[0]), command.hint!))
        }
        if !state.pane(state.focus).filter.isEmpty { list.insert(("n/N", "next/prev"), at: 1); list.insert(("Esc", "clear filter"), at: 1) }
        if state.ownerLimit != nil && state.pane(state.focus).filter.isEmpty { list.insert(("Esc", "all owners"), at: 1) }
        if let marked = state.marked[state.focus], !marked.isEmpty { list.insert(("\(marked.count) marked", "a/s/r apply to all"), at: 1) }
        list.insert(state.paneSet == .readiness ? ("1-4", "panes") : ("[ ]", "pane sets"), at: 1)
        return list
    }
}
