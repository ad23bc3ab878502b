import AssureModel
import TerminalUI

/// Pane 4: gaps, open first by severity and due date, with the backlog score in the detail.
extension PaneDefinition {
    static let gapsPane = PaneDefinition(
        pane: .gaps, title: "Gaps", set: .readiness,
        rebuild: { $0.rebuildGapRows() },
        rowCount: { $0.gapKeys.count },
        rowKey: { state, row in state.gapKeys.indices.contains(row) ? state.gapKeys[row].ref : nil },
        columns: [
            PaneColumn("severity", .fixed(1)), PaneColumn("ref", .measured { $0.gapRefWidth }), PaneColumn("title", .flexible(1)),
            PaneColumn("owner", .fixed(10), from: 60), PaneColumn("due", .fixed(5), alignment: .right, from: 40), PaneColumn("status", .fixed(1)),
        ],
        cells: gapCells,
        titleSuffix: { state, glyphs in " \(glyphs.dot) open \(state.openGapRowCount)" },
        emptyText: { _ in "no gaps" },
        detail: gapDetail,
        detailEntity: { state in state.selectedGap.map { ("gap", $0.ref) } },
        readAhead: { state in state.snapshot.gapRows.readAhead(state.gapKeys, state.pane(.gaps).selection) })
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

/// A gap's cells; a row deleted since the snapshot was read says so until the reload drops it.
private func gapCells(_ state: AppState, _ row: Int, _ glyphs: Glyphs) -> [PaneCell] {
    guard let gap = state.gap(at: row) else {
        let ref = state.gapKeys.indices.contains(row) ? state.gapKeys[row].ref : ""
        return [PaneCell(""), PaneCell(ref, "text.dim"), PaneCell("(changed, reloading)", "text.dim")]
    }
    let text = gap.status.isOpen ? "text" : "gap.closed"
    return [
        PaneCell(gap.severity.letter, gap.status.isOpen ? "gap.\(gap.severity.rawValue)" : text),
        PaneCell(gap.ref, text),
        PaneCell(gap.title, text),
        PaneCell(gap.owner.map { state.index.shortNames[$0] ?? shortName($0) } ?? glyphs.dash, text),
        PaneCell(gap.due.map { String($0.dropFirst(5)) } ?? glyphs.dash, gap.isOverdue(today: state.snapshot.today) ? "gap.overdue" : text),
        PaneCell(glyphs.gapStatus(gap.status), text),
    ]
}
