import AssureModel
import TerminalUI

/// One actionable line of the agenda a meeting walks: a control nobody owns, an overdue gap,
/// an in-scope criterion with no implemented control.
public enum AgendaItem: Equatable, Sendable {
    case control(String)
    case gap(String)
    case criterion(String)

    var pane: Pane {
        switch self {
        case .control: return .controls
        case .gap: return .gaps
        case .criterion: return .criteria
        }
    }

    var ref: String {
        switch self {
        case .control(let ref), .gap(let ref), .criterion(let ref): return ref
        }
    }
}

/// A line of the agenda: a section heading or an item.
struct AgendaLine: Equatable {
    var text: String
    var item: AgendaItem?
}

/// The agenda, built from the same rules as the meeting counters. Controls whose every mapped
/// criterion is out of scope are left out: nobody audits them.
func agenda(_ state: AppState) -> [AgendaLine] {
    var lines: [AgendaLine] = []
    let unowned = state.index.unownedInScope.map { state.snapshot.controls[$0] }
    lines.append(AgendaLine(text: "1. Unowned controls (\(unowned.count))", item: nil))
    lines += unowned.map { AgendaLine(text: "   \($0.ref)  \($0.title)", item: .control($0.ref)) }
    let overdue = state.index.gapOrder.map { state.snapshot.gaps[$0] }.filter { $0.isOverdue(today: state.snapshot.today) }
    lines.append(AgendaLine(text: "", item: nil))
    lines.append(AgendaLine(text: "2. Overdue gaps (\(overdue.count))", item: nil))
    lines += overdue.map {
        AgendaLine(text: "   \($0.ref)  \($0.severity.rawValue)  due \($0.due ?? "")  \($0.owner ?? "unassigned")  \($0.title)", item: .gap($0.ref))
    }
    let uncovered = state.index.uncoveredCriteria
    lines.append(AgendaLine(text: "", item: nil))
    lines.append(AgendaLine(text: "3. In-scope criteria with no implemented control (\(uncovered.count))", item: nil))
    lines += uncovered.map { AgendaLine(text: "   \($0.ref)  \($0.title)", item: .criterion($0.ref)) }
    return lines
}

/// Keys in the agenda: move between items, jump to one, or act on it without leaving the meeting's
/// list (a assigns, s sets a status, r remediates, n opens a gap); after the edit the agenda is back.
func handleAgendaKey(_ state: inout AppState, _ key: Key, selection: Int) -> [Effect] {
    let lines = agenda(state)
    let items = lines.indices.filter { lines[$0].item != nil }
    let current = items.firstIndex(of: selection) ?? 0
    switch key {
    case .escape, .char("q"):
        state.agendaReturn = nil
        state.mode = .normal
    case .char("j"), .down:
        if let next = items.dropFirst(current + 1).first { state.mode = .agenda(selection: next) }
    case .char("k"), .up:
        if current > 0 { state.mode = .agenda(selection: items[current - 1]) }
    case .char("g"), .home:
        if let first = items.first { state.mode = .agenda(selection: first) }
    case .char("G"), .end:
        if let last = items.last { state.mode = .agenda(selection: last) }
    case .char("z"), .char("Z"):
        // Undo and redo from the agenda, and stay on it.
        state.agendaReturn = selection
        state.mode = .normal
        let effects = run(&state, key == .char("z") ? .undo : .redo)
        if effects.isEmpty { state.mode = .agenda(selection: selection) }
        return effects
    case .enter, .char("a"), .char("s"), .char("r"), .char("n"), .char("e"):
        guard lines.indices.contains(selection), let item = lines[selection].item else { return [] }
        state.mode = .normal
        let effects = select(&state, item)
        if key == .enter {
            state.agendaReturn = nil
            return effects
        }
        // Act on the item; closing or applying the edit returns here.
        state.agendaReturn = selection
        let command = CommandRegistry.command(for: key, in: item.pane)
        guard let command else { state.mode = .agenda(selection: selection); return effects }
        let edit = run(&state, command.id)
        if state.mode == .normal && edit.isEmpty { state.mode = .agenda(selection: selection) }
        return effects + edit
    default:
        break
    }
    return []
}

/// Focuses the pane of an agenda item and selects it there (clearing filters that hide it).
private func select(_ state: inout AppState, _ item: AgendaItem) -> [Effect] {
    state.panes[item.pane]!.filter = ""
    state.ownerLimit = nil
    if case .criterion(let ref) = item, let requirement = state.index.requirementByRef[ref], let parent = requirement.parentRef {
        state.expanded.insert(parent)
        if let root = state.index.requirementByRef[parent]?.parentRef { state.expanded.insert(root) }
    }
    state.rebuildAllRows()
    state.focus = item.pane
    let row: Int?
    switch item {
    case .control(let ref):
        if state.criteriaDrivesControls && state.controlRows.first(where: { state.snapshot.controls[$0].ref == ref }) == nil {
            state.criteriaDrivesControls = false
            state.rebuildControlRows()
        }
        row = state.controlRows.firstIndex { state.snapshot.controls[$0].ref == ref }
    case .gap(let ref): row = state.gapRows.firstIndex { state.snapshot.gaps[$0].ref == ref }
    case .criterion(let ref): row = state.criteriaRows.firstIndex { $0.ref == ref }
    }
    if let row { state.panes[item.pane]!.selection = row }
    ensureVisible(&state, item.pane)
    return detailEffect(state)
}

/// Leaves a picker, menu, prompt or form: back to the agenda when the edit began there.
func closeModal(_ state: inout AppState) {
    state.mode = state.agendaReturn.map { .agenda(selection: $0) } ?? .normal
}

func drawAgenda(_ screen: inout ScreenBuffer, _ state: AppState, _ selection: Int, _ styles: Styles, _ glyphs: Glyphs) {
    let rect = Rect(x: 2, y: 2, width: screen.width - 4, height: screen.height - 4)
    guard rect.width > 20, rect.height > 4 else { return }
    drawBox(&screen, rect, title: "Agenda · j/k move · Enter go · a assign · s status · r remediate · n gap · z undo · Esc", styles, glyphs)
    let inner = rect.inset(1)
    let lines = agenda(state)
    // Scroll so the selected item stays in view, with its heading when there is room.
    let first = ScrollState(selection: selection, offset: max(0, selection - inner.height + 2), count: lines.count)
        .ensureVisible(height: inner.height).offset
    for (i, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
        let y = inner.y + i
        screen.write(" " + TextWidth.truncate(line.text, to: inner.width - 2), x: inner.x, y: y,
                     style: line.item == nil ? styles("pane.title") : styles("text"))
        if first + i == selection { screen.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { _ in styles("row.selected") } }
    }
}
