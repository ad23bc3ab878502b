import AssureModel
import TerminalUI

/// Pane 4: gaps, open first by severity and due date, with the backlog score in the detail.
extension PaneDefinition {
    static let gapsPane = PaneDefinition(
        pane: .gaps, title: "Gaps", set: .readiness,
        rebuild: { $0.rebuildGapRows() },
        rowCount: { $0.gapRows.count },
        rowKey: { state, row in state.gapRows.indices.contains(row) ? state.snapshot.gaps[state.gapRows[row]].ref : nil },
        drawRow: { screen, state, row, line, styles, glyphs in
            drawGapRow(&screen, state, state.snapshot.gaps[state.gapRows[row]], line, styles, glyphs)
        },
        titleSuffix: { state, glyphs in " \(glyphs.dot) open \(state.openGapRowCount)" },
        emptyText: { _ in "no gaps" },
        detail: gapDetail,
        detailEntity: { state in state.selectedGap.map { ("gap", $0.ref) } })
}

private func gapDetail(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    let last = lastChangeLine(state, glyphs)
    guard let g = state.selectedGap else { return [] }
    var due = g.due.map { "due \($0)" } ?? "no due date"
    if g.isOverdue(today: state.snapshot.today) { due += " (overdue)" }
    var links: [String] = []
    if let control = g.control { links.append("control \(control)") }
    if let criterion = g.criterion { links.append("criterion \(criterion)") }
    var outcome = ""
    if g.status == .remediated { outcome = "remediated by \(g.remediatedBy ?? "?") \(g.remediatedAt?.prefix(10) ?? ""): \(g.remediationNote)" }
    if g.status == .riskAccepted { outcome = "risk accepted: \(g.justification)" }
    // A closed gap has no place in the backlog: say so rather than show a zero score.
    let score =
        g.status.isOpen
        ? state.snapshot.ranking.map { "score \($0.score(g, today: state.snapshot.today).explanation)\(dot)" } ?? "" : "closed, not ranked\(dot)"
    return [
        "\(g.ref) \(g.title)\(dot)\(g.severity.rawValue)\(dot)effort \(g.effort.rawValue)\(dot)owner \(g.owner ?? "none")\(dot)\(due)\(dot)\(g.status.label)",
        score + (links.isEmpty ? "not linked" : links.joined(separator: dot)) + (outcome.isEmpty ? "" : "\(dot)\(outcome)"),
        last ?? "",
        g.description,
    ]
}

func drawGapRow(_ screen: inout ScreenBuffer, _ state: AppState, _ gap: Gap, _ line: Rect, _ styles: Styles, _ glyphs: Glyphs) {
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
