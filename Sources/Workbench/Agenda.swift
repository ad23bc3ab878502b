import AssureModel
import TerminalUI

/// One actionable line of the agenda a meeting walks: a control nobody owns, an overdue gap,
/// an in-scope criterion with no implemented control, a control whose Type II evidence is
/// missing, late or stale (shown in the Evidence pane).
public enum AgendaItem: Equatable, Sendable {
    case control(String)
    case gap(String)
    case criterion(String)
    /// A control, in the Evidence pane.
    case evidence(String)
    case risk(String)
    case policy(String)
    case vendor(String)

    var pane: Pane {
        switch self {
        case .control: return .controls
        case .gap: return .gaps
        case .criterion: return .criteria
        case .evidence: return .evidence
        case .risk: return .risks
        case .policy: return .policies
        case .vendor: return .vendors
        }
    }

    var ref: String {
        switch self {
        case .control(let ref), .gap(let ref), .criterion(let ref), .evidence(let ref), .risk(let ref), .policy(let ref), .vendor(let ref): return ref
        }
    }
}

/// A line of the agenda: a section heading or an item.
struct AgendaLine: Equatable {
    var text: String
    var item: AgendaItem?
    /// A line that informs without an item to act on (overdue training): not a heading.
    var isNote = false
}

/// The agenda, built from the same rules as the meeting counters. Controls whose every mapped
/// criterion is out of scope are left out: nobody audits them.
func agenda(_ state: AppState) -> [AgendaLine] {
    var lines: [AgendaLine] = []
    let unowned = state.index.unownedInScope.map { state.snapshot.controls[$0] }
    lines.append(AgendaLine(text: "1. Unowned controls (\(unowned.count))", item: nil))
    lines += unowned.map { AgendaLine(text: "   \($0.ref)  \($0.title)", item: .control($0.ref)) }
    let overdue = state.snapshot.gapRows.overdueGaps(today: state.snapshot.today)
    lines.append(AgendaLine(text: "", item: nil))
    lines.append(AgendaLine(text: "2. Overdue gaps (\(overdue.count))", item: nil))
    lines += overdue.map {
        AgendaLine(text: "   \($0.ref)  \($0.severity.rawValue)  due \($0.due ?? "")  \($0.owner ?? "unassigned")  \($0.title)", item: .gap($0.ref))
    }
    let uncovered = state.index.uncoveredCriteria
    lines.append(AgendaLine(text: "", item: nil))
    lines.append(AgendaLine(text: "3. In-scope criteria with no implemented control (\(uncovered.count))", item: nil))
    lines += uncovered.map { AgendaLine(text: "   \($0.ref)  \($0.title)", item: .criterion($0.ref)) }
    lines.append(AgendaLine(text: "", item: nil))
    lines += typeIIAgenda(state)
    lines.append(AgendaLine(text: "", item: nil))
    lines += programmeAgenda(state)
    lines.append(AgendaLine(text: "", item: nil))
    lines += vendorAgenda(state)
    lines.append(AgendaLine(text: "", item: nil))
    lines += driftAgenda(state)
    return lines
}

/// Section 8: open configuration drift, one line per event, shown at its control (in the
/// Evidence pane when the control owes occurrences); `d` there opens the diffs.
private func driftAgenda(_ state: AppState) -> [AgendaLine] {
    let drift = state.snapshot.drift
    var lines = [AgendaLine(text: "8. Configuration drift (\(drift.count))", item: nil)]
    let owing = Set((state.snapshot.typeII?.controls ?? []).filter { !$0.occurrences.isEmpty }.map(\.control))
    lines += drift.map { event in
        AgendaLine(
            text:
                "   \(event.control)  \(event.ref) \(event.collector): \(count(event.changed, "change")) since the baseline, detected \(event.detectedAt.prefix(10))",
            item: owing.contains(event.control) ? .evidence(event.control) : .control(event.control))
    }
    return lines
}

/// Section 7: vendors past their review or with findings, and every open data subject request
/// with its legal due date (a note: they are answered with `assure dsr close`).
private func vendorAgenda(_ state: AppState) -> [AgendaLine] {
    let vendors = state.snapshot.vendors.filter { $0.overdue || !$0.findings.isEmpty }
    let requests = state.snapshot.openRequests
    var lines = [AgendaLine(text: "7. Vendors and privacy requests (\(vendors.count + requests.count))", item: nil)]
    lines += vendors.map { vendor in
        let why = vendor.findings.isEmpty ? "review due \(vendor.nextReview ?? "")" : vendor.findings.joined(separator: "; ")
        return AgendaLine(text: "   \(vendor.ref)  \(vendor.criticality)  \(vendor.name): \(why)", item: .vendor(vendor.ref))
    }
    lines += requests.map { request in
        let when =
            request.daysLeft < 0 ? "overdue by \(count(-request.daysLeft, "day"))" : "due \(request.due) (\(count(request.daysLeft, "day")) left)"
        return AgendaLine(text: "   \(request.ref)  \(request.kind) request  \(when)", item: nil, isNote: true)
    }
    return lines
}

/// Section 6: what the programme owes by date: risks past their review, policies never approved
/// or past their review, and training past due (a note: it is settled with `assure training record`).
private func programmeAgenda(_ state: AppState) -> [AgendaLine] {
    let today = state.snapshot.today
    let risks = state.snapshot.risks.filter(\.overdue)
    let policies = state.snapshot.policies.filter { $0.overdue || $0.liveVersion == nil }
    let training = state.snapshot.trainingOverdue
    var lines = [AgendaLine(text: "6. Reviews due: risks, policies, training (\(risks.count + policies.count + training.count))", item: nil)]
    lines += risks.map {
        AgendaLine(text: "   \($0.ref)  review due \($0.nextReview ?? today)  \($0.owner ?? "unassigned")  \($0.title)", item: .risk($0.ref))
    }
    lines += policies.map { policy in
        let why = policy.liveVersion == nil ? "never approved" : "review due \(policy.nextReview ?? today)"
        return AgendaLine(text: "   \(policy.ref)  \(why)  \(policy.owner ?? "unassigned")  \(policy.title)", item: .policy(policy.ref))
    }
    lines += training.prefix(20).map {
        AgendaLine(text: "   training  \($0.person): \($0.course), due \($0.due)", item: nil, isNote: true)
    }
    if training.count > 20 {
        lines.append(AgendaLine(text: "   training  and \(training.count - 20) more: assure training --overdue", item: nil, isNote: true))
    }
    return lines
}

/// Sections 4 and 5: the window's missing and late occurrences, one line per control (its due
/// dates, and the late ones' evidence), and evidence that has gone stale.
private func typeIIAgenda(_ state: AppState) -> [AgendaLine] {
    var lines: [AgendaLine] = []
    if let window = state.snapshot.typeII {
        let behind = window.controls.filter { $0.coverage.missing + $0.coverage.late > 0 }
        let count = behind.reduce(0) { $0 + $1.coverage.missing + $1.coverage.late }
        lines.append(AgendaLine(text: "4. Type II: missing and late evidence (\(count) in \(window.windowStart)..\(window.windowEnd))", item: nil))
        lines += behind.map { row in
            func days(_ s: OccurrenceState) -> [String] { row.occurrences.filter { $0.state == s }.map(\.due) }
            var parts: [String] = []
            let missing = days(.missing)
            let sampled = row.occurrences.filter { $0.state == .missing }.compactMap(\.item)
            if !sampled.isEmpty {
                // An event-driven control's occurrences are sampled items: name them, not one due date each.
                parts.append(
                    "missing: sampled " + sampled.prefix(4).joined(separator: ", ") + (sampled.count > 4 ? " +\(sampled.count - 4)" : "")
                        + " (due \(missing.first ?? window.windowEnd))")
            } else if !missing.isEmpty {
                parts.append("missing: due " + missing.prefix(4).joined(separator: ", ") + (missing.count > 4 ? " +\(missing.count - 4)" : ""))
            }
            let late = row.occurrences.filter { $0.state == .late }
            if !late.isEmpty {
                parts.append(
                    "late: " + late.prefix(3).map { "due \($0.due) (\($0.evidence.joined(separator: ",")))" }.joined(separator: ", ")
                        + (late.count > 3 ? " +\(late.count - 3)" : ""))
            }
            let owner = state.index.controlByRef[row.control].flatMap { state.snapshot.controls[$0].owner } ?? "unassigned"
            return AgendaLine(text: "   \(row.control)  \(parts.joined(separator: "; "))  \(owner)", item: .evidence(row.control))
        }
    } else {
        lines.append(AgendaLine(text: "4. Type II: missing and late evidence (no window: :target 2 2026-01-01 6m)", item: nil))
    }
    let stale = state.snapshot.staleEvidence
    lines.append(AgendaLine(text: "", item: nil))
    lines.append(AgendaLine(text: "5. Stale evidence (\(stale.count))", item: nil))
    // A stale item's control is shown in the Evidence pane when it owes occurrences, else in Controls.
    let owing = Set((state.snapshot.typeII?.controls ?? []).filter { !$0.occurrences.isEmpty }.map(\.control))
    lines += stale.map {
        AgendaLine(
            text: "   \($0.control)  \($0.ref) proves \($0.proves), expired \($0.expires ?? "")  \($0.files.joined(separator: ", "))",
            item: owing.contains($0.control) ? .evidence($0.control) : .control($0.control))
    }
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
    case .enter, .char("a"), .char("s"), .char("r"), .char("n"), .char("e"), .char("v"):
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
func select(_ state: inout AppState, _ item: AgendaItem) -> [Effect] {
    state.panes[item.pane]!.filter = ""
    state.ownerLimit = nil
    state.paneSet = item.pane.definition.set
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
    case .gap(let ref): row = state.gapKeys.firstIndex { $0.ref == ref }
    case .criterion(let ref): row = state.criteriaRows.firstIndex { $0.ref == ref }
    case .evidence(let ref): row = (0..<state.rowCount(.evidence)).first { state.ledgerRow(at: $0)?.control == ref }
    case .risk(let ref): row = (0..<state.rowCount(.risks)).first { state.risk(at: $0)?.ref == ref }
    case .policy(let ref): row = (0..<state.rowCount(.policies)).first { state.policy(at: $0)?.ref == ref }
    case .vendor(let ref): row = (0..<state.rowCount(.vendors)).first { state.vendor(at: $0)?.ref == ref }
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
        screen.write(
            " " + TextWidth.truncate(line.text, to: inner.width - 2), x: inner.x, y: y,
            style: line.item == nil && !line.isNote ? styles("pane.title") : styles(line.isNote ? "text.dim" : "text"))
        if first + i == selection { screen.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { _ in styles("row.selected") } }
    }
}
