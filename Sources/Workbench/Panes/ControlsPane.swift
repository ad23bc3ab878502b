import AssureModel
import TerminalUI

/// Pane 2: controls, following the selected criterion (or all of them), with status and owner.
extension PaneDefinition {
    static let controlsPane = PaneDefinition(
        pane: .controls, title: "Controls", set: .readiness,
        rebuild: { $0.rebuildControlRows() },
        rowCount: { $0.controlRows.count },
        rowKey: { state, row in state.controlRows.indices.contains(row) ? state.snapshot.controls[state.controlRows[row]].ref : nil },
        columns: [
            PaneColumn("status", .fixed(1)), PaneColumn("ref", .measured { $0.index.controlRefWidth }), PaneColumn("title", .flexible(1)),
            PaneColumn("owner", .fixed(12), from: 50),
        ],
        cells: { state, row, glyphs in
            let control = state.snapshot.controls[state.controlRows[row]]
            return [
                PaneCell(glyphs.status(control.status), "status.\(control.status.rawValue)"), PaneCell(control.ref), PaneCell(control.title),
                control.owner.map { PaneCell(state.index.shortNames[$0] ?? shortName($0)) } ?? PaneCell(glyphs.dash, "text.dim"),
            ]
        },
        titleSuffix: { state, glyphs in
            var title = ""
            if let row = state.selectedCriteriaRow, state.criteriaDrivesControls {
                title += " \(glyphs.dot) \(row.ref)"
            } else {
                title += " \(glyphs.dot) all"
            }
            title += " (\(state.controlRows.count))"
            if state.controlSort != .ref { title += " by \(state.controlSort.rawValue)" }
            return title
        },
        emptyText: { state in state.ownerLimit != nil ? "no controls for this owner here" : "no controls mapped here" },
        detail: controlDetail,
        detailEntity: { state in state.selectedControlLine.map { ("control", $0.ref) } },
        bindings: [
            Command(
                id: .toggleCriterionLink, title: "Show all controls / only the selected criterion's", keys: [.char("t")], hint: "all/linked",
                section: "Controls", panes: [.criteria, .controls], handler: toggleCriterionLink),
            Command(
                id: .sortControls, title: "Sort controls by reference, status or owner", keys: [.char("o")], hint: "sort",
                section: "Controls", panes: [.controls], handler: sortControls),
        ],
        readAhead: { state in
            let rows = state.controlRows
            state.snapshot.controlRows.readAhead(state.pane(.controls).selection, count: rows.count) { state.snapshot.controls[rows[$0]].ref }
        })
}

private func toggleCriterionLink(_ state: inout AppState) -> [Effect] {
    state.criteriaDrivesControls.toggle()
    state.rebuildControlRows()
    ensureVisible(&state, .controls)
    state.toast = Toast(
        text: state.criteriaDrivesControls ? "Controls follow the selected criterion" : "Controls: all controls",
        isError: false, ticksLeft: 12)
    return []
}

private func sortControls(_ state: inout AppState) -> [Effect] {
    let all = ControlSort.allCases
    state.controlSort = all[(all.firstIndex(of: state.controlSort)! + 1) % all.count]
    state.rebuildControlRows()
    state.toast = Toast(text: "controls sorted by \(state.controlSort.rawValue)", isError: false, ticksLeft: 12)
    ensureVisible(&state, .controls)
    return detailEffect(state)
}

private func controlDetail(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    let last = lastChangeLine(state, glyphs)
    guard let c = state.selectedControl else { return [] }
    var owner = "owner \(c.owner ?? "none")"
    if let backup = c.backupOwner { owner += " (backup \(backup))" }
    var status = c.status.label
    if c.status == .notApplicable { status += ": \(c.justification)" }
    let gaps = state.index.openGapsByControl[c.ref] ?? 0
    // What it serves and what its failure would cost, the last change (what a meeting asks
    // about), then the description and the evidence, each once.
    return [
        "\(c.ref) \(c.title)\(dot)\(owner)\(dot)\(status)\(dot)\(c.frequency.label)\(dot)\(count(gaps, "open gap"))",
        blastRadius(c, state, dot),
        last ?? "",
        c.description,
        "evidence: \(c.evidenceHint.isEmpty ? "none given" : c.evidenceHint)",
    ]
}

/// "serves soc2 CC6.1 CC6.6 · hipaa 164.312(d) · if it failed: 1 stops (hipaa 164.312(d))": what
/// `assure impact` says, from the readiness input every framework's view already holds.
func blastRadius(_ c: Control, _ state: AppState, _ dot: String) -> String {
    let order = state.index.frameworkInputs.map(\.id)
    // Drawn on every keystroke: the requirements this control reaches come from the index, and
    // the rule runs on the facts gathered once per snapshot, never on the whole workspace.
    let criteria = state.index.criteriaReached(by: c.ref)
    let impact = ControlImpact.compute(control: c.ref, criteria: criteria, facts: state.index.readinessFacts)
    guard !impact.consequences.isEmpty else { return "serves no requirement in any framework" }
    var parts: [String] = []
    for id in order {
        let refs = impact.consequences.filter { $0.framework == id }.map(\.ref)
        if !refs.isEmpty { parts.append("\(id) \(refs.joined(separator: " "))") }
    }
    let stopping = impact.wouldStop.filter(\.inScope)
    let failed =
        stopping.isEmpty
        ? "if it failed: nothing stops being addressed"
        : "if it failed: \(stopping.count) stop\(stopping.count == 1 ? "s" : "") (\(stopping.map { "\($0.framework) \($0.ref)" }.joined(separator: ", ")))"
    return "serves " + parts.joined(separator: dot) + dot + failed
}

/// "Dana Kim" -> "D. Kim"; names without a space are kept.
func shortName(_ name: String) -> String {
    let parts = name.split(separator: " ")
    guard parts.count >= 2, let initial = parts.first?.first, !(initial.unicodeScalars.first.map { $0.value >= 0x2E80 } ?? false) else { return name }
    return "\(initial). \(parts.dropFirst().joined(separator: " "))"
}
