import AssureModel
import TerminalUI

/// Pane 1: the framework's requirements as a tree (categories, series, criteria), with each
/// criterion's coverage and state; Enter on a criterion shows its controls.
extension PaneDefinition {
    static let criteriaPane = PaneDefinition(
        pane: .criteria, title: "Criteria", set: .readiness,
        rebuild: { $0.rebuildCriteriaRows() },
        rowCount: { $0.criteriaRows.count },
        rowKey: { state, row in state.criteriaRows.indices.contains(row) ? state.criteriaRows[row].ref : nil },
        drawRow: { screen, state, row, line, styles, glyphs in drawCriteriaRow(&screen, state, state.criteriaRows[row], line, styles, glyphs) },
        titleSuffix: { state, glyphs in state.framework == Framework.soc2ID ? "" : " \(glyphs.dot) \(state.framework)" },
        emptyText: { _ in "no criteria" },
        detail: criteriaDetail,
        bindings: [
            Command(
                id: .open, title: "Fold or unfold; on a criterion, show its controls", keys: [.enter, .char(" ")], hint: "fold/open",
                section: "Criteria", panes: [.criteria], handler: openCriterion),
            Command(
                id: CommandID("switchFramework"), title: "Show the next framework's requirements", keys: [.char("f")],
                hint: nil, section: "Criteria", panes: [.criteria], handler: { nextFramework(&$0) },
                disabledReason: { state in
                    state.snapshot.views.count > 1
                        ? nil : "only one framework here; add one with assure framework add ID or assure import catalog FILE"
                }),
            Command(
                id: .collapse, title: "Fold the category or series", keys: [.char("h"), .left], hint: nil, section: "Criteria",
                panes: [.criteria], handler: { fold(&$0, expand: false) }),
            Command(
                id: .expand, title: "Unfold the category or series", keys: [.char("l"), .right], hint: nil, section: "Criteria",
                panes: [.criteria], handler: { fold(&$0, expand: true) }),
        ])
}

private func criteriaDetail(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    guard let row = state.selectedCriteriaRow, let requirement = state.index.requirementByRef[row.ref] else { return [] }
    if requirement.kind != .criterion {
        let criteria = state.index.criteria(under: requirement.ref)
        let addressed = criteria.filter { state.index.readiness.states[$0] == .addressed }.count
        let scope = state.index.isInScope(requirement) ? "in scope" : "out of scope"
        return [
            "\(requirement.ref) \(requirement.title)",
            "\(criteria.count) criteria\(dot)\(addressed) addressed\(dot)\(scope)", requirement.summary,
        ]
    }
    let coverage = state.index.coverage(of: requirement.ref)
    let readiness = state.index.readiness.states[requirement.ref]?.label ?? ""
    let controls = (state.index.controlsByCriterion[requirement.ref] ?? []).map { state.snapshot.controls[$0].ref }
    let points = state.index.view.details[requirement.ref]?.count ?? 0
    let gaps = state.index.openGapsByCriterion[requirement.ref] ?? 0
    return [
        "\(requirement.ref) \(requirement.title)",
        "\(readiness)\(dot)\(coverage.implemented)/\(coverage.mapped) controls implemented\(dot)\(count(gaps, "open gap"))\(dot)\(count(points, "point of focus", plural: "points of focus"))\(dot)controls \(controls.isEmpty ? "none" : controls.joined(separator: " "))",
        requirement.summary,
    ]
}

/// Shows another framework in pane 1: its tree, scope, coverage and readiness.
func showFramework(_ state: inout AppState, _ id: String) -> [Effect] {
    state.framework = id
    state.index = WorkspaceIndex(state.snapshot, framework: id)
    state.framework = state.index.framework
    state.expanded = []
    for root in state.index.roots where state.index.isInScope(root) {
        state.expanded.insert(root.ref)
        for child in state.index.children[root.ref] ?? [] where child.kind == .series { state.expanded.insert(child.ref) }
    }
    state.panes[.criteria] = PaneState()
    state.rebuildAllRows()
    let title = state.snapshot.frameworks.first { $0.id == state.framework }?.title ?? state.framework
    state.toast = Toast(text: "requirements of \(title)", isError: false, ticksLeft: 16)
    return setFocus(&state, .criteria)
}

private func nextFramework(_ state: inout AppState) -> [Effect] {
    let ids = state.snapshot.frameworks.map(\.id).filter { state.snapshot.views[$0] != nil }
    guard let i = ids.firstIndex(of: state.framework) else { return [] }
    return showFramework(&state, ids[(i + 1) % ids.count])
}

private func openCriterion(_ state: inout AppState) -> [Effect] {
    guard let row = state.selectedCriteriaRow else { return [] }
    if row.foldable { return fold(&state, expand: !row.expanded) }
    state.criteriaDrivesControls = true
    state.rebuildControlRows()
    return setFocus(&state, .controls)
}

private func fold(_ state: inout AppState, expand: Bool) -> [Effect] {
    guard state.focus == .criteria, let row = state.selectedCriteriaRow else { return [] }
    if !row.foldable {
        // Folding from a criterion folds its series and moves there, as in a file tree.
        guard !expand, let parent = state.index.requirementByRef[row.ref]?.parentRef else { return [] }
        state.expanded.remove(parent)
        state.rebuildCriteriaRows()
        if let i = state.criteriaRows.firstIndex(where: { $0.ref == parent }) { state.panes[.criteria]!.selection = i }
        selectionChanged(&state, .criteria)
        return detailEffect(state)
    }
    if expand { state.expanded.insert(row.ref) } else { state.expanded.remove(row.ref) }
    state.rebuildCriteriaRows()
    if let i = state.criteriaRows.firstIndex(where: { $0.ref == row.ref }) { state.panes[.criteria]!.selection = i }
    ensureVisible(&state, .criteria)
    return []
}

func drawCriteriaRow(_ screen: inout ScreenBuffer, _ state: AppState, _ row: CriteriaRow, _ line: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    guard let requirement = state.index.requirementByRef[row.ref] else { return }
    let inScope = state.index.isInScope(requirement)
    let base = inScope ? styles("text") : styles("category.out-of-scope")
    var x = line.x + row.depth * 2
    let right = line.maxX
    if row.foldable || requirement.kind != .criterion {
        x += screen.write(glyphs.fold(expanded: row.expanded) + " ", x: x, y: line.y, style: base, maxWidth: right - x)
        let share =
            requirement.kind == .category
            ? state.index.readiness.byCategory[requirement.category]
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
    // Up to half the row for the reference: a long one (HIPAA's) is never cut to "164.3…".
    let refText = TextWidth.pad(requirement.ref, to: min(state.index.refWidth, max(6, (right - x) / 2)))
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
        // At least one blank after the bar, also for "89/169" in a large workspace.
        let counts = "\(coverage.implemented)/\(coverage.mapped)"
        let count = TextWidth.pad(counts, to: max(6, TextWidth.of(counts) + 1), alignRight: true)
        x += screen.write(count + " ", x: x, y: line.y, style: base, maxWidth: right - x)
    }
    screen.write(
        TextWidth.truncate(listTitle(requirement.title), to: max(0, right - x)), x: x, y: line.y,
        style: inScope ? styles("text.dim") : base, maxWidth: right - x)
}

/// A criterion title for a narrow row: "COSO Principle 1: The entity..." loses its prefix
/// (the detail strip shows the exact title).
func listTitle(_ title: String) -> String {
    guard title.hasPrefix("COSO Principle "), let colon = title.firstIndex(of: ":") else { return title }
    // Spaces and tabs around what follows the colon, trimmed in Swift: Foundation's
    // `trimmingCharacters(in:)` was a quarter of drawing a criteria row, on every frame.
    let isBlank = { (c: Character) in c.isWhitespace && !c.isNewline }
    let rest = title[title.index(after: colon)...].drop(while: isBlank)
    return String(rest[..<(rest.lastIndex { !isBlank($0) }.map(rest.index(after:)) ?? rest.startIndex)])
}
