import AssureModel
import TerminalUI

extension Pane {
    public static let risks = Pane(7)
}

/// Pane 7, the programme set: the risk register, highest score first (inherent or residual,
/// `r` switches), with the controls that treat each risk and when it is next reviewed.
extension PaneDefinition {
    static let risksPane = PaneDefinition(
        pane: .risks, title: "Risks", set: .programme,
        rebuild: { state in
            let filter = state.pane(.risks).filter
            let risks = state.snapshot.risks
            let residual = state.riskResidual
            let shown = risks.indices.filter { i in
                let risk = risks[i]
                return AppState.matches(filter, [risk.ref, risk.title, risk.owner, risk.treatment] + risk.controls)
            }
            state.extraRows[.risks] = shown.sorted { a, b in
                let sa = residual ? risks[a].residualScore : risks[a].inherentScore
                let sb = residual ? risks[b].residualScore : risks[b].inherentScore
                return sa != sb ? sa > sb : a < b
            }
            state.clamp(.risks)
        },
        rowCount: { $0.rows(.risks).count },
        rowKey: { state, row in state.risk(at: row)?.ref },
        columns: [
            PaneColumn("ref", .fixed(7)), PaneColumn("score", .fixed(3), alignment: .right), PaneColumn("treatment", .fixed(8), from: 56),
            PaneColumn("title", .flexible(1)), PaneColumn("review", .fit),
        ],
        cells: { state, row, _ in state.risk(at: row).map { riskCells(state, $0) } ?? [] },
        titleSuffix: { state, glyphs in
            let overdue = state.snapshot.risks.filter(\.overdue).count
            return " \(glyphs.dot) \(state.riskResidual ? "residual" : "inherent")"
                + (overdue > 0 ? " \(glyphs.dot) \(overdue) review\(overdue == 1 ? "" : "s") overdue" : "")
        },
        emptyText: { state in
            state.snapshot.risks.isEmpty ? "no risks yet: assure risk add TITLE --likelihood 3 --impact 4" : "no risk matches the filter"
        },
        detail: riskDetail,
        detailEntity: { state in state.selectedRisk.map { ("risk", $0.ref) } },
        bindings: [
            Command(
                id: CommandID("focusRisks"), title: "Focus Risks (the programme set)", keys: [.char("7")], hint: nil, section: "Panes",
                handler: { setFocus(&$0, .risks) }),
            Command(
                id: .reviewRisk, title: "Record that the risk was reviewed today (its next review follows from its cadence)",
                keys: [.char("v")], hint: "reviewed", section: "Risks", panes: [.risks],
                handler: { state in
                    guard let risk = state.selectedRisk else { return [] }
                    return [.apply(.reviewRisk(ref: risk.ref), .normal, baseline: state.baseline, reopen: nil)]
                }),
            Command(
                id: CommandID("riskResidual"), title: "Show residual scores (after treatment) or inherent ones", keys: [.char("r")],
                hint: "residual", section: "Risks", panes: [.risks, .heatMap],
                handler: { state in
                    state.riskResidual.toggle()
                    state.rebuildAllRows()
                    state.toast = Toast(
                        text: state.riskResidual ? "residual scores: after treatment" : "inherent scores: before treatment",
                        isError: false, ticksLeft: 12)
                    return []
                }),
            Command(
                id: CommandID("riskControl"), title: "Show the first control that treats the risk", keys: [.enter],
                hint: "control", section: "Risks", panes: [.risks],
                handler: { state in
                    guard let risk = state.selectedRisk else { return [] }
                    guard let control = risk.controls.first, state.index.controlByRef[control] != nil else {
                        state.toast = Toast(
                            text: "\(risk.ref) has no treating control: assure risk edit \(risk.ref) --add-control REF",
                            isError: true, ticksLeft: 20)
                        return []
                    }
                    let effects = select(&state, .control(control))
                    state.toast = Toast(text: "\(control) treats \(risk.ref) · 7 goes back to Risks", isError: false, ticksLeft: 16)
                    return effects
                }),
        ])
}

extension CommandID {
    public static let reviewRisk = CommandID("reviewRisk")
}

extension AppState {
    func risk(at row: Int) -> RiskLoad? {
        let rows = self.rows(.risks)
        guard rows.indices.contains(row), snapshot.risks.indices.contains(rows[row]) else { return nil }
        return snapshot.risks[rows[row]]
    }

    public var selectedRisk: RiskLoad? { risk(at: pane(.risks).selection) }
}

/// The theme token of a score's band (the gap severities' colours).
func riskToken(_ score: Int) -> String { "gap." + RiskRating(score: score).rawValue }

/// The score shown is inherent or residual as `r` last chose.
private func riskCells(_ state: AppState, _ risk: RiskLoad) -> [PaneCell] {
    let score = state.riskResidual ? risk.residualScore : risk.inherentScore
    return [
        PaneCell(risk.ref), PaneCell("\(score)", riskToken(score)), PaneCell(risk.treatment, "text.dim"), PaneCell(risk.title),
        PaneCell(risk.overdue ? "review overdue" : "", "gap.overdue"),
    ]
}

private func riskDetail(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    guard let risk = state.selectedRisk else {
        return ["\(count(state.snapshot.risks.count, "risk")) in the register; assure risks lists them, assure risk add records one"]
    }
    func score(_ l: Int, _ i: Int) -> String { "L\(l) \(glyphs.times) I\(i) = \(l * i) \(RiskRating(score: l * i).rawValue)" }
    var head = "\(risk.ref) \(risk.title)\(dot)owner \(risk.owner ?? "none")\(dot)\(risk.treatment)"
    if !risk.cia.isEmpty { head += "\(dot)CIA " + risk.cia.joined(separator: ",") }
    let scores = "inherent \(score(risk.likelihood, risk.impact)) \(glyphs.arrow) residual \(score(risk.residualLikelihood, risk.residualImpact))"
    var review = "review \(risk.reviewCadence)"
    if let last = risk.reviewedOn { review += ", last \(last)" }
    if let next = risk.nextReview { review += ", next \(next)" + (risk.overdue ? " (overdue)" : "") }
    let treated = risk.controls.isEmpty ? "no treating control" : "treated by " + risk.controls.joined(separator: ", ")
    var lines = [head, scores + dot + treated + dot + review]
    if risk.treatment == "accept" { lines.append("accepted by \(risk.approver): \(risk.justification)") }
    if !risk.description.isEmpty { lines.append(risk.description) }
    return lines
}
