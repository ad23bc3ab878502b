import AssureModel
import TerminalUI

/// The drift view: the open drift events (a collector's output that differs from its approved
/// baseline) over the panes, the selected one's diff scrolling below them. `b` approves the
/// event's run as the new baseline, after a y/n: the one decision here that is not undone by `z`.
func openDrift(_ state: inout AppState) -> [Effect] {
    guard !state.snapshot.drift.isEmpty else {
        state.toast = Toast(text: "no open drift: every collector matches its baseline", isError: false, ticksLeft: 16)
        return []
    }
    state.mode = .drift(selection: 0, scroll: 0, confirming: false)
    return []
}

func handleDriftKey(_ state: inout AppState, _ key: Key, selection: Int, scroll: Int, confirming: Bool) -> [Effect] {
    let events = state.snapshot.drift
    guard events.indices.contains(selection) else { state.mode = .normal; return [] }
    let event = events[selection]
    if confirming {
        switch key {
        case .char("y"), .char("Y"):
            state.mode = .normal
            return [.apply(.approveBaseline(collector: event.collector, run: event.runID), .normal, baseline: state.baseline)]
        default:
            state.mode = .drift(selection: selection, scroll: scroll, confirming: false)
            state.toast = Toast(text: "the baseline is unchanged", isError: false, ticksLeft: 12)
        }
        return []
    }
    let lines = event.diff.split(separator: "\n", omittingEmptySubsequences: false).count
    let page = max(1, layout(state).detail.height * 3)
    switch key {
    case .escape, .char("q"):
        state.mode = .normal
    case .char("j"), .down:
        state.mode = .drift(selection: min(events.count - 1, selection + 1), scroll: 0, confirming: false)
    case .char("k"), .up:
        state.mode = .drift(selection: max(0, selection - 1), scroll: 0, confirming: false)
    case .char("J"), .pageDown, .char(" "):
        state.mode = .drift(selection: selection, scroll: min(max(0, lines - 1), scroll + (key == .char("J") ? 1 : page)), confirming: false)
    case .char("K"), .pageUp:
        state.mode = .drift(selection: selection, scroll: max(0, scroll - (key == .char("K") ? 1 : page)), confirming: false)
    case .char("b"):
        if state.readOnly {
            state.toast = Toast(text: CommandID.readOnlyReason, isError: true, ticksLeft: 20)
            return []
        }
        state.mode = .drift(selection: selection, scroll: scroll, confirming: true)
    case .enter:
        state.mode = .normal
        let owes = state.snapshot.typeII?.controls.contains { $0.control == event.control && !$0.occurrences.isEmpty } ?? false
        return select(&state, owes ? .evidence(event.control) : .control(event.control))
    default:
        break
    }
    return []
}

func drawDrift(
    _ screen: inout ScreenBuffer, _ state: AppState, _ selection: Int, _ scroll: Int, _ confirming: Bool,
    _ styles: Styles, _ glyphs: Glyphs
) {
    let rect = Rect(x: 2, y: 1, width: screen.width - 4, height: screen.height - 3)
    guard rect.width > 30, rect.height > 6 else { return }
    let events = state.snapshot.drift
    drawBox(&screen, rect, title: "Drift \(glyphs.dot) \(count(events.count, "open event")) \(glyphs.dot) Esc closes", styles, glyphs)
    let inner = rect.inset(1)
    let listHeight = min(events.count, max(1, inner.height / 3))
    let first = max(0, min(selection - listHeight + 1, events.count - listHeight))
    for (i, event) in events.dropFirst(first).prefix(listHeight).enumerated() {
        let y = inner.y + i
        let line =
            " \(event.ref)  \(event.collector)  \(event.control)  detected \(event.detectedAt.prefix(16).replacingOccurrences(of: "T", with: " "))  \(count(event.changed, "change"))"
        screen.write(TextWidth.truncate(line, to: inner.width - 1), x: inner.x, y: y, style: styles("text"))
        if first + i == selection { screen.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { _ in styles("row.selected") } }
    }
    guard events.indices.contains(selection) else { return }
    let event = events[selection]
    let header = inner.y + listHeight + 1
    let footer = confirming ? 1 : 0
    let height = max(0, inner.maxY - (header + 1) - footer)
    screen.write(
        TextWidth.truncate(" \(event.ref) against the approved baseline (- baseline, + this run, ~ changed):", to: inner.width - 1),
        x: inner.x, y: header, style: styles("pane.title"))
    let lines = event.diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for (i, line) in lines.dropFirst(scroll).prefix(height).enumerated() {
        // Every difference is a departure from what was approved, whichever way it goes (a setting
        // removed is as suspect as one added), so all changed lines share one colour.
        let token = line.hasPrefix("+") || line.hasPrefix("-") || line.hasPrefix("~") ? "readiness.mid" : "text"
        // Text from a collector's output: control characters never reach the terminal.
        screen.write(TextWidth.truncate(" " + Sanitize.line(line), to: inner.width - 1), x: inner.x, y: header + 1 + i, style: styles(token))
    }
    if confirming {
        screen.write(
            TextWidth.truncate(
                " Approve run \(event.runID) of \(event.collector) as its new baseline? y approves, any other key cancels",
                to: inner.width - 1), x: inner.x, y: inner.maxY - 1, style: styles("prompt"))
    }
}

extension CommandID {
    public static let runCollectors = CommandID("runCollectors"), openDrift = CommandID("openDrift")
}
