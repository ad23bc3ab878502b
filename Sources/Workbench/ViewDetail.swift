import AssureModel
import TerminalUI

/// The strip under the panes: everything about the selected item.
func detailLines(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    let last = state.detailChange.map { change in
        "last change: \(change.field) \(change.before ?? glyphs.dash) → \(change.after ?? glyphs.dash) by \(change.actor), \(change.at.prefix(16).replacingOccurrences(of: "T", with: " "))"
    }
    switch state.focus {
    case .criteria:
        guard let row = state.selectedCriteriaRow, let requirement = state.index.requirementByRef[row.ref] else { return [] }
        if requirement.kind != .criterion {
            let criteria = state.index.criteria(under: requirement.ref)
            let addressed = criteria.filter { state.index.readiness.states[$0] == .addressed }.count
            let scope = state.index.isInScope(requirement) ? "in scope" : "out of scope"
            return ["\(requirement.ref) \(requirement.title)",
                    "\(criteria.count) criteria\(dot)\(addressed) addressed\(dot)\(scope)", requirement.summary]
        }
        let coverage = state.index.coverage(of: requirement.ref)
        let readiness = state.index.readiness.states[requirement.ref]?.label ?? ""
        let controls = (state.index.controlsByCriterion[requirement.ref] ?? []).map { state.snapshot.controls[$0].ref }
        let points = state.snapshot.pointsOfFocus[requirement.ref]?.count ?? 0
        let gaps = state.index.openGapsByCriterion[requirement.ref] ?? 0
        return [
            "\(requirement.ref) \(requirement.title)",
            "\(readiness)\(dot)\(coverage.implemented)/\(coverage.mapped) controls implemented\(dot)\(count(gaps, "open gap"))\(dot)\(count(points, "point of focus", plural: "points of focus"))\(dot)controls \(controls.isEmpty ? "none" : controls.joined(separator: " "))",
            requirement.summary,
        ]
    case .controls:
        guard let c = state.selectedControl else { return [] }
        var owner = "owner \(c.owner ?? "none")"
        if let backup = c.backupOwner { owner += " (backup \(backup))" }
        var status = c.status.label
        if c.status == .notApplicable { status += ": \(c.justification)" }
        let gaps = state.index.openGapsByControl[c.ref] ?? 0
        // The last change first (what a meeting asks about), then the description, each once.
        return [
            "\(c.ref) \(c.title)\(dot)\(owner)\(dot)\(status)\(dot)\(c.frequency.label)",
            "maps \(c.criteria.joined(separator: " "))\(dot)\(count(gaps, "open gap"))\(dot)evidence: \(c.evidenceHint.isEmpty ? "none given" : c.evidenceHint)",
            last ?? "",
            c.description,
        ]
    case .gaps:
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
        let score = g.status.isOpen ? state.snapshot.gapScores[g.ref].map { "score \($0)\(dot)" } ?? "" : "closed, not ranked\(dot)"
        return [
            "\(g.ref) \(g.title)\(dot)\(g.severity.rawValue)\(dot)effort \(g.effort.rawValue)\(dot)owner \(g.owner ?? "none")\(dot)\(due)\(dot)\(g.status.label)",
            score + (links.isEmpty ? "not linked" : links.joined(separator: dot)) + (outcome.isEmpty ? "" : "\(dot)\(outcome)"),
            last ?? "",
            g.description,
        ]
    case .owners:
        guard let row = state.selectedOwnerRow else { return [] }
        switch row {
        case .unassigned:
            let controls = state.snapshot.controls.filter(Rules.isUnowned).count
            let gaps = state.snapshot.gaps.filter { $0.owner == nil && $0.status.isOpen }.count
            return ["(unassigned)", "\(count(controls, "control")) and \(count(gaps, "open gap")) have no owner\(dot)Enter shows them"]
        case .owner(let i):
            let load = state.snapshot.owners[i]
            let o = load.owner
            let backups = state.snapshot.controls.filter { $0.backupOwner == o.name }.count
            return [
                "\(o.name)\(o.role.isEmpty ? "" : dot + o.role)\(o.handle.isEmpty ? "" : dot + o.handle)\(dot)\(o.kind.rawValue)",
                "owns \(count(load.controls, "control"))\(dot)backup for \(backups)\(dot)\(count(load.openGaps, "open gap")) (\(load.overdueGaps) overdue)\(dot)Enter limits Controls and Gaps",
                last ?? "",
            ]
        }
    }
}

/// "1 open gap", "3 open gaps".
func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
}

func drawDetail(_ screen: inout ScreenBuffer, _ state: AppState, _ rect: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    guard !rect.isEmpty else { return }
    screen.fill(rect, with: Cell(" ", style: styles("detail")))
    // Empty lines (no description, no change loaded yet) give their room to the next ones.
    for (i, line) in detailLines(state, glyphs).filter({ !$0.isEmpty }).prefix(rect.height).enumerated() {
        let style = i == 0 ? { var s = styles("detail"); s.attributes.insert(.bold); return s }() : styles("detail")
        screen.write(" " + TextWidth.truncate(line, to: rect.width - 2), x: rect.x, y: rect.y + i, style: style, maxWidth: rect.width)
    }
}

func drawHintBar(_ screen: inout ScreenBuffer, _ state: AppState, _ rect: Rect, _ styles: Styles) {
    guard !rect.isEmpty else { return }
    screen.fill(rect, with: Cell(" ", style: styles("hint.bar")))
    if let toast = state.toast {
        screen.write(" " + TextWidth.truncate(toast.text, to: rect.width - 2), x: rect.x, y: rect.y,
                     style: styles(toast.isError ? "toast.error" : "toast"), maxWidth: rect.width)
        return
    }
    var x = rect.x + 1
    for (key, label) in hints(for: state) {
        let width = TextWidth.of(key) + TextWidth.of(label) + 3
        if x + width > rect.maxX { break }
        x += screen.write(key, x: x, y: rect.y, style: styles("hint.key"))
        x += screen.write(" " + label + "  ", x: x, y: rect.y, style: styles("hint.bar"))
    }
}

/// The keys that apply now, from the command registry.
func hints(for state: AppState) -> [(String, String)] {
    switch state.mode {
    case .help: return [("j/k", "scroll"), ("Esc", "close help")]
    case .palette: return [("↑/↓", "choose"), ("Enter", "run"), ("Esc", "close"), ("theme NAME", "switch theme")]
    case .filter: return [("type", "to filter"), ("Enter", "keep filter"), ("Esc", "clear"), ("↑/↓", "move")]
    case .picker: return [("type", "to find or add"), ("↑/↓", "choose"), ("Enter", "assign"), ("Esc", "cancel")]
    case .menu: return [("↑/↓ 1-4", "choose"), ("Enter", "set"), ("Esc", "cancel")]
    case .prompt: return [("Enter", "save"), ("Esc", "cancel")]
    case .form: return [("Tab", "next field"), ("←/→", "choose"), ("Enter", "next/save"), ("ctrl-s", "save"), ("Esc", "cancel")]
    case .agenda: return [("j/k", "move"), ("Enter", "go to it"), ("a/s/r/n", "act on it"), ("Esc", "close")]
    case .dashboard: return [("j/k", "scroll"), ("Esc", "close")]
    case .confirmDerive: return [("Enter", "create them"), ("Esc", "cancel")]
    case .normal:
        var list = [("?", "help")]
        let filtering = !state.pane(state.focus).filter.isEmpty
        for command in CommandRegistry.hints(for: state.focus) where command.id != .help {
            // While filtering, n steps through matches: the new-gap hint would lie.
            if filtering && command.id == .newGap { continue }
            // A read-only screen advertises no edit keys.
            if state.readOnly && command.id.isEdit { continue }
            list.append((KeyNames.label(command.keys[0]), command.hint!))
        }
        if !state.pane(state.focus).filter.isEmpty { list.insert(("n/N", "next/prev"), at: 1); list.insert(("Esc", "clear filter"), at: 1) }
        if state.ownerLimit != nil && state.pane(state.focus).filter.isEmpty { list.insert(("Esc", "all owners"), at: 1) }
        if let marked = state.marked[state.focus], !marked.isEmpty { list.insert(("\(marked.count) marked", "a/s/r apply to all"), at: 1) }
        list.insert(("1-4", "panes"), at: 1)
        return list
    }
}
