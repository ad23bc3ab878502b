import Foundation
import AssureModel
import TerminalUI

/// The whole screen as a pure function of the state. Only visible rows are drawn, so a frame
/// costs the same on a workspace of 50 controls or 5,000.
public func view(_ state: AppState, theme: Theme, depth: ColorDepth) -> ScreenBuffer {
    let styles = Styles(theme: theme, depth: depth)
    let glyphs = Glyphs(unicode: state.unicode)
    var screen = ScreenBuffer(width: state.size.width, height: state.size.height, fill: Cell(" ", style: styles("text")))
    let layout = ScreenLayout.compute(width: state.size.width, height: state.size.height, focus: state.focus)
    if layout.kind == .tooSmall {
        drawTooSmall(&screen, styles: styles)
        return screen
    }
    drawTitleBar(&screen, state, layout.title, styles, glyphs)
    if let tabs = layout.tabs { drawTabs(&screen, state, tabs, styles) }
    for (pane, rect) in layout.panes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
        drawPane(&screen, state, pane, rect, styles, glyphs)
    }
    drawDetail(&screen, state, layout.detail, styles, glyphs)
    drawHintBar(&screen, state, layout.hints, styles)
    switch state.mode {
    case .help(let scroll): drawHelp(&screen, state, scroll: scroll, styles, glyphs)
    case .palette(let field, let selection): drawPalette(&screen, state, field, selection, styles, glyphs)
    case .filter(let field): placeFilterCaret(&screen, state, field, layout)
    case .normal: break
    default: drawEditing(&screen, state, styles, glyphs)
    }
    // Truncation everywhere ends with "…"; a terminal without UTF-8 gets the ASCII stand-in.
    if !glyphs.unicode { screen.replace("…", with: glyphs.ellipsis) }
    return screen
}

private func drawTooSmall(_ screen: inout ScreenBuffer, styles: Styles) {
    let lines = ["Terminal too small", "assure needs at least \(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight)",
                 "now \(screen.width)x\(screen.height) · q quits"]
    for (i, line) in lines.enumerated() {
        let y = screen.height / 2 - 1 + i
        let x = max(0, (screen.width - TextWidth.of(line)) / 2)
        screen.write(line, x: x, y: y, style: i == 0 ? styles("toast.error") : styles("text"), maxWidth: screen.width - x)
    }
}

private func drawTitleBar(_ screen: inout ScreenBuffer, _ state: AppState, _ rect: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    let scope = state.snapshot.scope
    let style = styles("title.bar")
    screen.fill(rect, with: Cell(" ", style: style))
    let readiness = state.index.readiness.overall
    var right = "readiness \(readiness.percent)% "
    if state.readOnly { right = "READ-ONLY \(glyphs.dot) " + right }
    var left = " assure \(glyphs.dot) \(scope.company) \(glyphs.dot) SOC 2 \(scope.reportType.label): "
        + scope.orderedCategories.map(\.title).joined(separator: ", ")
    if let counters = meetingCounters(state, glyphs) { left = " \(glyphs.unicode ? "●" : "*") \(counters)" }
    let rightWidth = TextWidth.of(right)
    screen.write(TextWidth.truncate(left, to: rect.width - rightWidth - 1), x: rect.x, y: rect.y, style: style)
    let readinessStyle = readiness.percent >= 80 ? "readiness.good" : (readiness.percent >= 50 ? "readiness.mid" : "readiness.bad")
    var rightStyle = styles(readinessStyle)
    rightStyle.background = style.background
    rightStyle.attributes.formUnion(style.attributes.union(.bold))
    screen.write(right, x: rect.maxX - rightWidth, y: rect.y, style: rightStyle)
}

private func drawTabs(_ screen: inout ScreenBuffer, _ state: AppState, _ rect: Rect, _ styles: Styles) {
    var x = rect.x
    // Full names when they fit ("1 Criteria"), else three letters ("1 Cri").
    let full = Pane.allCases.map { " \($0.rawValue) \($0.title) " }.map(TextWidth.of).reduce(0, +) + 3 <= rect.width
    for pane in Pane.allCases {
        let label = " \(pane.rawValue) \(full ? pane.title : String(pane.title.prefix(3))) "
        let style = pane == state.focus ? styles("row.selected") : styles("text.dim")
        x += screen.write(label, x: x, y: rect.y, style: style, maxWidth: rect.maxX - x)
        x += 1
    }
}

// MARK: - Panes

private func drawPane(_ screen: inout ScreenBuffer, _ state: AppState, _ pane: Pane, _ rect: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    let focused = state.focus == pane
    drawBorder(&screen, rect, title: paneTitle(state, pane, glyphs), focused: focused, styles: styles, unicode: glyphs.unicode)
    let inner = rect.inset(1)
    guard !inner.isEmpty else { return }
    let paneState = state.pane(pane)
    let count = state.rowCount(pane)
    if count == 0 {
        let empty = paneState.filter.isEmpty ? emptyText(state, pane) : "no match for \"\(paneState.filter)\""
        screen.write(empty, x: inner.x + 1, y: inner.y, style: styles("text.dim"), maxWidth: inner.width - 1)
        return
    }
    let first = paneState.offset
    let last = min(count, first + inner.height)
    for row in first..<last {
        let y = inner.y + row - first
        let line = Rect(x: inner.x, y: y, width: inner.width, height: 1)
        switch pane {
        case .criteria: drawCriteriaRow(&screen, state, state.criteriaRows[row], line, styles, glyphs)
        case .controls: drawControlRow(&screen, state, state.snapshot.controls[state.controlRows[row]], line, styles, glyphs)
        case .owners: drawOwnerRow(&screen, state, state.ownerRows[row], line, styles)
        case .gaps: drawGapRow(&screen, state, state.snapshot.gaps[state.gapRows[row]], line, styles, glyphs)
        }
        if row == paneState.selection {
            let selected = focused ? styles("row.selected") : styles("row.selected.unfocused")
            screen.restyle(line) { old in
                var style = selected
                if !focused && selected.background == .default && selected.foreground == .default { style.foreground = old.foreground }
                return style
            }
        }
    }
    // A scroll hint on the border when rows are hidden.
    if count > inner.height {
        let position = "\(paneState.selection + 1)/\(count)"
        let x = rect.maxX - TextWidth.of(position) - 2
        if x > rect.x + 2 { screen.write(position, x: x, y: rect.maxY - 1, style: styles(focused ? "pane.border.focused" : "pane.border")) }
    }
}

private func emptyText(_ state: AppState, _ pane: Pane) -> String {
    switch pane {
    case .controls: return state.ownerLimit != nil ? "no controls for this owner here" : "no controls mapped here"
    case .gaps: return "no gaps"
    case .owners: return "no owners yet"
    case .criteria: return "no criteria"
    }
}

private func paneTitle(_ state: AppState, _ pane: Pane, _ glyphs: Glyphs) -> String {
    var title = "\(pane.rawValue) \(pane.title)"
    switch pane {
    case .controls:
        if let row = state.selectedCriteriaRow, state.criteriaDrivesControls { title += " \(glyphs.dot) \(row.ref)" } else { title += " \(glyphs.dot) all" }
        title += " (\(state.controlRows.count))"
        if state.controlSort != .ref { title += " by \(state.controlSort.rawValue)" }
    case .gaps:
        let open = state.gapRows.filter { state.snapshot.gaps[$0].status.isOpen }.count
        title += " \(glyphs.dot) open \(open)"
    case .owners:
        title += " \(glyphs.dot) controls/gaps"
    case .criteria:
        break
    }
    if let owner = state.ownerLimit, pane == .controls || pane == .gaps {
        title += " \(glyphs.dot) \(owner.isEmpty ? "(unassigned)" : owner)"
    }
    let filter = state.pane(pane).filter
    var typing = false
    if case .filter = state.mode, pane == state.focus { typing = true }
    if !filter.isEmpty || typing { title += " /\(filter)" }
    return title
}

func drawBorder(_ screen: inout ScreenBuffer, _ rect: Rect, title: String, focused: Bool, styles: Styles, unicode: Bool) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let style = styles(focused ? "pane.border.focused" : "pane.border")
    let (h, v, tl, tr, bl, br) = unicode ? ("─", "│", "┌", "┐", "└", "┘") : ("-", "|", "+", "+", "+", "+")
    let horizontal = String(repeating: h, count: rect.width - 2)
    screen.write(tl + horizontal + tr, x: rect.x, y: rect.y, style: style)
    screen.write(bl + horizontal + br, x: rect.x, y: rect.maxY - 1, style: style)
    for y in rect.y + 1..<rect.maxY - 1 {
        screen.write(v, x: rect.x, y: y, style: style)
        screen.write(v, x: rect.maxX - 1, y: y, style: style)
    }
    var titleStyle = styles("pane.title")
    if focused { titleStyle = styles("pane.border.focused") }
    screen.write(" " + TextWidth.truncate(title, to: rect.width - 6) + " ", x: rect.x + 1, y: rect.y, style: titleStyle, maxWidth: rect.width - 2)
}

private func drawCriteriaRow(_ screen: inout ScreenBuffer, _ state: AppState, _ row: CriteriaRow, _ line: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    guard let requirement = state.index.requirementByRef[row.ref] else { return }
    let inScope = state.index.isInScope(requirement)
    let base = inScope ? styles("text") : styles("category.out-of-scope")
    var x = line.x + row.depth * 2
    let right = line.maxX
    if row.foldable || requirement.kind != .criterion {
        x += screen.write(glyphs.fold(expanded: row.expanded) + " ", x: x, y: line.y, style: base, maxWidth: right - x)
        let share = requirement.kind == .category ? state.index.readiness.byCategory[requirement.category]
            : state.index.readiness.bySeries[requirement.ref]
        let percent = inScope ? (share.map { " \($0.percent)%" } ?? "") : " out of scope"
        let label = TextWidth.truncate("\(requirement.ref) \(requirement.title)", to: max(0, right - x - TextWidth.of(percent) - 1))
        var style = base
        if requirement.kind == .category { style.attributes.insert(.bold) }
        screen.write(label, x: x, y: line.y, style: style, maxWidth: right - x)
        screen.write(percent, x: right - TextWidth.of(percent), y: line.y, style: inScope ? styles("text.dim") : base)
        return
    }
    x += 2
    let coverage = state.index.coverage(of: row.ref)
    let refText = TextWidth.pad(requirement.ref, to: 6)
    x += screen.write(refText + " ", x: x, y: line.y, style: base, maxWidth: right - x)
    let stateToken: String
    switch state.index.readiness.states[row.ref] ?? .notAddressed {
    case .addressed: stateToken = "readiness.good"
    case .partial: stateToken = "readiness.mid"
    case .notAddressed: stateToken = "readiness.bad"
    }
    if right - x >= 14 {
        let bar = glyphs.bar(coverage.implemented, coverage.mapped, width: 6)
        x += screen.write(bar.filled, x: x, y: line.y, style: inScope ? styles(stateToken) : base)
        x += screen.write(bar.empty, x: x, y: line.y, style: inScope ? styles("bar.empty") : base)
        let count = TextWidth.pad("\(coverage.implemented)/\(coverage.mapped)", to: 6, alignRight: true)
        x += screen.write(count + " ", x: x, y: line.y, style: base, maxWidth: right - x)
    }
    screen.write(TextWidth.truncate(listTitle(requirement.title), to: max(0, right - x)), x: x, y: line.y,
                 style: inScope ? styles("text.dim") : base, maxWidth: right - x)
}

/// A criterion title for a narrow row: "COSO Principle 1: The entity..." loses its prefix
/// (the detail strip shows the exact title).
func listTitle(_ title: String) -> String {
    guard title.hasPrefix("COSO Principle "), let colon = title.firstIndex(of: ":") else { return title }
    return String(title[title.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
}

private func drawControlRow(_ screen: inout ScreenBuffer, _ state: AppState, _ control: Control, _ line: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    var x = line.x
    let marked = state.marked[.controls]?.contains(control.ref) == true
    x += screen.write(marked ? (glyphs.unicode ? "▌" : ">") : " ", x: x, y: line.y, style: styles("row.marked"))
    x += screen.write(glyphs.status(control.status) + " ", x: x, y: line.y, style: styles("status.\(control.status.rawValue)"))
    let ownerWidth = line.width >= 50 ? min(16, line.width / 4) : 0
    x += screen.write(TextWidth.pad(control.ref, to: 6) + " ", x: x, y: line.y, style: styles("text"), maxWidth: line.maxX - x)
    let titleWidth = max(0, line.maxX - x - ownerWidth - (ownerWidth > 0 ? 1 : 0))
    screen.write(TextWidth.truncate(control.title, to: titleWidth), x: x, y: line.y, style: styles("text"), maxWidth: titleWidth)
    if ownerWidth > 0 {
        let owner = control.owner.map(shortName) ?? glyphs.dash
        screen.write(TextWidth.pad(owner, to: ownerWidth), x: line.maxX - ownerWidth, y: line.y,
                     style: control.owner == nil ? styles("text.dim") : styles("text"))
    }
}

/// "Dana Kim" -> "D. Kim"; names without a space are kept.
func shortName(_ name: String) -> String {
    let parts = name.split(separator: " ")
    guard parts.count >= 2, let initial = parts.first?.first, !(initial.unicodeScalars.first.map { $0.value >= 0x2E80 } ?? false) else { return name }
    return "\(initial). \(parts.dropFirst().joined(separator: " "))"
}

private func drawOwnerRow(_ screen: inout ScreenBuffer, _ state: AppState, _ row: OwnerRow, _ line: Rect, _ styles: Styles) {
    let name: String, counts: String, style: Style
    switch row {
    case .owner(let i):
        let load = state.snapshot.owners[i]
        name = load.owner.name + (load.owner.kind == .team ? " (team)" : "")
        counts = "\(load.controls)/\(load.openGaps)" + (load.overdueGaps > 0 ? "!" : " ")
        style = state.ownerLimit == load.owner.name ? styles("row.marked") : styles("text")
    case .unassigned:
        let controls = state.snapshot.controls.filter(Rules.isUnowned).count
        let gaps = state.snapshot.gaps.filter { $0.owner == nil && $0.status.isOpen }.count
        name = "(unassigned)"
        counts = "\(controls)/\(gaps) "
        style = state.ownerLimit == "" ? styles("row.marked") : styles("text.dim")
    }
    let countWidth = TextWidth.of(counts)
    screen.write(TextWidth.truncate(name, to: max(0, line.width - countWidth - 2)), x: line.x + 1, y: line.y, style: style)
    screen.write(counts, x: line.maxX - countWidth, y: line.y, style: counts.hasSuffix("!") ? styles("gap.overdue") : styles("text.dim"))
}

private func drawGapRow(_ screen: inout ScreenBuffer, _ state: AppState, _ gap: Gap, _ line: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    let closed = !gap.status.isOpen
    let text = closed ? styles("gap.closed") : styles("text")
    var x = line.x
    let marked = state.marked[.gaps]?.contains(gap.ref) == true
    x += screen.write(marked ? (glyphs.unicode ? "▌" : ">") : " ", x: x, y: line.y, style: styles("row.marked"))
    x += screen.write(gap.severity.letter + " ", x: x, y: line.y, style: closed ? text : styles("gap.\(gap.severity.rawValue)"))
    x += screen.write(TextWidth.pad(gap.ref, to: 7) + " ", x: x, y: line.y, style: text, maxWidth: line.maxX - x)
    let dueWidth = line.width >= 40 ? 6 : 0
    let ownerWidth = line.width >= 60 ? 10 : 0
    let statusWidth = 2
    let titleWidth = max(0, line.maxX - x - dueWidth - ownerWidth - statusWidth)
    screen.write(TextWidth.truncate(gap.title, to: titleWidth - 1), x: x, y: line.y, style: text)
    var right = line.maxX - statusWidth
    screen.write(glyphs.gapStatus(gap.status), x: right + 1, y: line.y, style: text)
    if dueWidth > 0 {
        right -= dueWidth
        let due = gap.due.map { String($0.dropFirst(5)) } ?? glyphs.dash
        let overdue = gap.isOverdue(today: state.snapshot.today)
        screen.write(TextWidth.pad(due, to: dueWidth - 1, alignRight: true), x: right, y: line.y, style: overdue ? styles("gap.overdue") : text)
    }
    if ownerWidth > 0 {
        right -= ownerWidth
        screen.write(TextWidth.pad(gap.owner.map(shortName) ?? glyphs.dash, to: ownerWidth - 1), x: right, y: line.y, style: text)
    }
}
