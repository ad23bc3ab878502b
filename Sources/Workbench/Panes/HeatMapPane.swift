import AssureModel
import TerminalUI

extension Pane {
    public static let heatMap = Pane(8)
}

/// Pane 8, beside the risks: the 5 x 5 heat map under a header row of impacts, one row per
/// likelihood (5 at the top) and one cell per impact (1 to 5, left to right), each cell the number
/// of risks there, coloured by the band of its score. Enter on a row shows its highest risk in the
/// Risks pane.
extension PaneDefinition {
    static let heatMapPane = PaneDefinition(
        pane: .heatMap, title: "Heat map", set: .programme,
        rebuild: { state in
            // Row 0 is the header of impacts; the others are likelihoods.
            state.extraRows[.heatMap] = [0, 5, 4, 3, 2, 1]
            state.clamp(.heatMap)
        },
        rowCount: { $0.rows(.heatMap).count },
        rowKey: { state, row in
            guard state.rows(.heatMap).indices.contains(row) else { return nil }
            let likelihood = state.rows(.heatMap)[row]
            return likelihood == 0 ? "impact" : "L\(likelihood)"
        },
        drawRow: { screen, state, row, line, styles, glyphs in
            guard state.rows(.heatMap).indices.contains(row) else { return }
            drawHeatMapRow(&screen, state, likelihood: state.rows(.heatMap)[row], line, styles, glyphs)
        },
        titleSuffix: { state, glyphs in " \(glyphs.dot) \(state.riskResidual ? "residual" : "inherent")" },
        emptyText: { _ in "" },
        detail: heatMapDetail,
        bindings: [
            Command(
                id: CommandID("focusHeatMap"), title: "Focus the risk heat map", keys: [.char("8")], hint: nil, section: "Panes",
                handler: { setFocus(&$0, .heatMap) }),
            Command(
                id: CommandID("heatMapRisks"), title: "Show the row's highest risk in the Risks pane", keys: [.enter],
                hint: "risks", section: "Risks", panes: [.heatMap],
                handler: { state in
                    let rows = state.rows(.heatMap)
                    let i = state.pane(.heatMap).selection
                    guard rows.indices.contains(i) else { return [] }
                    let likelihood = rows[i]
                    guard likelihood > 0 else { return [] }
                    state.panes[.risks]!.filter = ""
                    state.rebuildAllRows()
                    let residual = state.riskResidual
                    guard
                        let row = (0..<state.rowCount(.risks)).first(where: { state.risk(at: $0)?.cell(residual: residual).likelihood == likelihood })
                    else {
                        state.toast = Toast(text: "no risk has likelihood \(likelihood)", isError: false, ticksLeft: 12)
                        return []
                    }
                    state.panes[.risks]!.selection = row
                    return setFocus(&state, .risks)
                }),
        ])
}

/// Risks in each cell of the map being shown, by likelihood then impact.
func heatMapCells(_ state: AppState) -> [Int: [Int: [RiskLoad]]] {
    var cells: [Int: [Int: [RiskLoad]]] = [:]
    for risk in state.snapshot.risks {
        let cell = risk.cell(residual: state.riskResidual)
        cells[cell.likelihood, default: [:]][cell.impact, default: []].append(risk)
    }
    return cells
}

private func drawHeatMapRow(_ screen: inout ScreenBuffer, _ state: AppState, likelihood: Int, _ line: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    let row = heatMapCells(state)[likelihood] ?? [:]
    var x = line.x + 1
    x += screen.write(likelihood == 0 ? "   " : "L\(likelihood) ", x: x, y: line.y, style: styles("text.dim"), maxWidth: line.maxX - x)
    let width = max(3, min(6, (line.maxX - x - 1) / 5))
    if likelihood == 0 {
        for impact in 1...5 where x + width <= line.maxX {
            screen.write(TextWidth.pad("I\(impact)", to: width - 1, alignRight: true), x: x, y: line.y, style: styles("text.dim"))
            x += width
        }
        return
    }
    for impact in 1...5 where x + width <= line.maxX {
        let count = row[impact]?.count ?? 0
        // An empty cell is a faint point ("." in ASCII, where the dot glyph is a bar).
        let text = count == 0 ? (glyphs.unicode ? "·" : ".") : "\(count)"
        let style = count == 0 ? styles("text.dim") : styles(riskToken(likelihood * impact))
        screen.write(TextWidth.pad(text, to: width - 1, alignRight: true), x: x, y: line.y, style: style)
        x += width
    }
}

private func heatMapDetail(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let rows = state.rows(.heatMap)
    let i = state.pane(.heatMap).selection
    guard rows.indices.contains(i) else { return [] }
    let likelihood = rows[i]
    let kind = state.riskResidual ? "residual" : "inherent"
    if likelihood == 0 {
        return [
            "Heat map of \(count(state.snapshot.risks.count, "open risk")) by \(kind) likelihood (L1-L5, rows) and impact (I1-I5, columns)",
            "Bands by score: " + RiskRating.legend + "; r switches inherent and residual scores",
        ]
    }
    let cells = heatMapCells(state)[likelihood] ?? [:]
    guard !cells.isEmpty else { return ["Likelihood \(likelihood) (\(kind)): no risks", "r switches inherent and residual scores"] }
    let parts = (1...5).compactMap { impact -> String? in
        guard let risks = cells[impact], !risks.isEmpty else { return nil }
        let score = likelihood * impact
        return "impact \(impact) = \(score) \(RiskRating(score: score).rawValue): " + risks.map(\.ref).joined(separator: ", ")
    }
    return [
        "Likelihood \(likelihood) (\(kind)) \(glyphs.dot) " + parts.joined(separator: " \(glyphs.dot) "),
        "Enter shows the row's highest risk; r switches inherent and residual scores",
    ]
}
