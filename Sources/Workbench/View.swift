import AssureModel
import Foundation
import TerminalUI

/// The whole screen as a pure function of the state. Only visible rows are drawn, so a frame
/// costs the same on a workspace of 50 controls or 5,000.
public func view(_ state: AppState, theme: Theme, depth: ColorDepth) -> ScreenBuffer {
    let styles = Styles(theme: theme, depth: depth)
    let glyphs = Glyphs(unicode: state.unicode)
    var screen = ScreenBuffer(width: state.size.width, height: state.size.height, fill: Cell(" ", style: styles("text")))
    let layout = ScreenLayout.compute(width: state.size.width, height: state.size.height, focus: state.focus, set: state.paneSet)
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
    let lines = [
        "Terminal too small", "assure needs at least \(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight)",
        "now \(screen.width)x\(screen.height) · q quits",
    ]
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
    var left =
        " assure \(glyphs.dot) \(scope.company) \(glyphs.dot) SOC 2 \(scope.reportType.label): "
        + scope.orderedCategories.map(\.title).joined(separator: ", ")
    if state.framework != Framework.soc2ID {
        left =
            " assure \(glyphs.dot) \(scope.company) \(glyphs.dot) "
            + (state.snapshot.frameworks.first { $0.id == state.framework }?.title ?? state.framework)
    }
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
    let panes = state.visiblePanes
    let full = panes.map { " \($0.key) \($0.title) " }.map(TextWidth.of).reduce(0, +) + 3 <= rect.width
    for pane in panes {
        let label = " \(pane.key) \(full ? pane.title : String(pane.title.prefix(3))) "
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
        let empty = paneState.filter.isEmpty ? pane.definition.emptyText(state) : "no match for \"\(paneState.filter)\""
        screen.write(empty, x: inner.x + 1, y: inner.y, style: styles("text.dim"), maxWidth: inner.width - 1)
        return
    }
    let definition = pane.definition
    let first = paneState.offset
    let last = min(count, first + inner.height)
    for row in first..<last {
        let y = inner.y + row - first
        let line = Rect(x: inner.x, y: y, width: inner.width, height: 1)
        if let draw = definition.drawRow {
            draw(&screen, state, row, line, styles, glyphs)
        } else {
            drawColumns(&screen, state, definition, row, line, styles, glyphs)
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

private func paneTitle(_ state: AppState, _ pane: Pane, _ glyphs: Glyphs) -> String {
    var title = "\(pane.key) \(pane.title)" + pane.definition.titleSuffix(state, glyphs)
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
