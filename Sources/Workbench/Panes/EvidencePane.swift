import AssureModel
import Foundation
import TerminalUI

extension Pane {
    public static let evidence = Pane(6)
}

/// Pane 6, the Type II set: every control that owes occurrences in the SOC 2 audit window, with
/// a timeline of them (evidenced, late, missing, not yet due) and its share on time; the detail
/// strip lists the control's evidence items and which of them answer each occurrence.
extension PaneDefinition {
    static let evidencePane = PaneDefinition(
        pane: .evidence, title: "Evidence", set: .typeII,
        rebuild: { state in
            let filter = state.pane(.evidence).filter
            let controls = state.snapshot.typeII?.controls ?? []
            state.extraRows[.evidence] = controls.indices.filter { i in
                let row = controls[i]
                guard !row.occurrences.isEmpty else { return false }
                let title = state.index.controlByRef[row.control].map { state.snapshot.controls[$0].title }
                return AppState.matches(filter, [row.control, title])
            }
            state.clamp(.evidence)
        },
        rowCount: { $0.rows(.evidence).count },
        rowKey: { state, row in state.ledgerRow(at: row)?.control },
        drawRow: { screen, state, row, line, styles, glyphs in
            if let ledger = state.ledgerRow(at: row) { drawEvidenceRow(&screen, state, ledger, line, styles, glyphs) }
        },
        titleSuffix: { state, glyphs in
            guard let window = state.snapshot.typeII else { return " \(glyphs.dot) no window" }
            let overall = window.overall
            return
                " \(glyphs.dot) \(window.windowStart)..\(window.windowEnd) \(glyphs.dot) on time \(overall.due == 0 ? glyphs.dash : "\(overall.percent)%")"
        },
        emptyText: { state in
            guard let window = state.snapshot.typeII else { return windowHint }
            return "no control owes evidence in \(window.windowStart)..\(window.windowEnd)"
                + (window.eventDriven.isEmpty ? "" : " (\(count(window.eventDriven.count, "event-driven control")) with no sample yet)")
        },
        detail: evidenceDetail,
        bindings: [
            Command(
                id: .addEvidence, title: "Add evidence for the control: a file and the date or period (FROM..TO) it proves",
                keys: [.char("a")], hint: "add evidence", section: "Evidence", panes: [.evidence],
                handler: startAddEvidence, disabledReason: needsWindow),
            Command(
                id: .acceptEvidence, title: "Accept the control's newest pending evidence (with a note)", keys: [.char("y")],
                hint: "accept", section: "Evidence", panes: [.evidence],
                handler: { startReview(&$0, accept: true) }, disabledReason: needsWindow),
            Command(
                id: .rejectEvidence, title: "Reject the control's newest pending evidence (with the reason)", keys: [.char("x")],
                hint: "reject", section: "Evidence", panes: [.evidence],
                handler: { startReview(&$0, accept: false) }, disabledReason: needsWindow),
            Command(
                id: .runCollectors, title: "Run the control's collectors now (each run recorded, passed or failed)", keys: [.char("c")],
                hint: "collect", section: "Evidence", panes: [.evidence],
                handler: { state in
                    guard let row = state.selectedLedgerRow else { return [] }
                    guard state.snapshot.collectors.contains(where: { $0.control == row.control }) else {
                        state.toast = Toast(
                            text: "\(row.control) has no collector: assure collector add NAME --control \(row.control) --run \"COMMAND\"",
                            isError: true, ticksLeft: 20)
                        return []
                    }
                    return [.apply(.runCollectors(control: row.control), .normal, baseline: state.baseline, reopen: nil)]
                }),
            Command(
                id: .openDrift, title: "Drift: open configuration drift events with their diffs; approve a new baseline there",
                keys: [.char("d")], hint: nil, section: "Evidence", handler: { openDrift(&$0) }),
            Command(
                id: CommandID("evidenceControl"), title: "Show this control in the Controls pane", keys: [.enter],
                hint: "control", section: "Evidence", panes: [.evidence],
                handler: { state in
                    guard let row = state.selectedLedgerRow else { return [] }
                    let effects = select(&state, .control(row.control))
                    state.toast = Toast(text: "\(row.control) in the Controls pane · 6 goes back to Evidence", isError: false, ticksLeft: 16)
                    return effects
                }),
        ])
}

extension AppState {
    /// The ledger row shown at a row of the Evidence pane.
    func ledgerRow(at row: Int) -> LedgerControlLoad? {
        let rows = self.rows(.evidence)
        guard rows.indices.contains(row), let controls = snapshot.typeII?.controls, controls.indices.contains(rows[row]) else { return nil }
        return controls[rows[row]]
    }

    /// The control selected in the Evidence pane, with its occurrences.
    public var selectedLedgerRow: LedgerControlLoad? { ledgerRow(at: pane(.evidence).selection) }

    /// A control's evidence items, newest proved first, read on first use for this snapshot.
    func evidence(of control: String) -> [EvidenceLoad] { snapshot.evidenceRows.items(of: control) }

    /// The item `y` and `x` review: the control's most recently added item still pending.
    func newestPendingEvidence(of control: String) -> EvidenceLoad? {
        evidence(of: control).filter { $0.review == .pending }.max { $0.number < $1.number }
    }
}

private let windowHint = "no Type II window: set one with :target 2 2026-01-01 6m"

private func needsWindow(_ state: AppState) -> String? { state.snapshot.typeII == nil ? windowHint : nil }

private func startAddEvidence(_ state: inout AppState) -> [Effect] {
    guard let row = state.selectedLedgerRow else {
        state.toast = Toast(text: "select a control to add evidence for", isError: false, ticksLeft: 16)
        return []
    }
    state.mode = .form(
        EditForm(
            target: .addEvidence(control: row.control), baseline: state.baseline, title: "Evidence for \(row.control)",
            fields: [
                .init(label: "File", field: TextField(text: "")),
                .init(label: "Proves", field: TextField(text: state.snapshot.today)),
            ]))
    return []
}

private func startReview(_ state: inout AppState, accept: Bool) -> [Effect] {
    guard let row = state.selectedLedgerRow else {
        state.toast = Toast(text: "select a control to review its evidence", isError: false, ticksLeft: 16)
        return []
    }
    guard let item = state.newestPendingEvidence(of: row.control) else {
        state.toast = Toast(text: "\(row.control) has no evidence pending review; a adds some", isError: true, ticksLeft: 20)
        return []
    }
    let about = "\(item.ref) (\(row.control), proves \(item.proves))"
    let question = accept ? "Accept \(about)? What was checked:" : "Reject \(about)? Why it does not prove the control:"
    state.mode = .prompt(TextPrompt(target: .reviewEvidence(ref: item.ref, accept: accept), baseline: state.baseline, question: question))
    return []
}

/// What the "Proves" field may hold: a day, a period FROM..TO, or nothing for today.
func parseProves(_ text: String, today: String) -> (from: String, to: String)? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty || trimmed.lowercased() == "today" { return (today, today) }
    let parts = trimmed.components(separatedBy: "..").map { $0.trimmingCharacters(in: .whitespaces) }
    guard parts.count <= 2, parts.allSatisfy({ DueDate.parseDay($0) != nil }) else { return nil }
    let from = parts[0]
    let to = parts.count == 2 ? parts[1] : parts[0]
    return from <= to ? (from, to) : nil
}

/// Checks the add-evidence form; a bad value keeps it open with a message and writes nothing.
func submitEvidence(_ state: inout AppState, _ form: EditForm, control: String) -> [Effect] {
    var form = form
    func fail(_ message: String, field: String) -> [Effect] {
        form.error = message
        form.focus = form.fields.firstIndex { $0.label == field } ?? form.focus
        state.mode = .form(form)
        return []
    }
    let file = form.value("File")
    if file.isEmpty { return fail("name the file to store (a path on this computer)", field: "File") }
    guard let proves = parseProves(form.value("Proves"), today: state.snapshot.today) else {
        return fail("proves: a date (2026-03-31) or a period FROM..TO (2026-01-01..2026-03-31), ending after it starts", field: "Proves")
    }
    state.mode = .normal
    return [
        .apply(
            .addEvidence(control: control, file: file, from: proves.from, to: proves.to), .normal, baseline: form.baseline,
            reopen: .form(form))
    ]
}

// MARK: - Drawing

/// The occurrences as timeline cells: one per occurrence, or, when they do not fit, runs of
/// consecutive occurrences shown by the most pressing state among them.
func timelineCells(_ occurrences: [Occurrence], width: Int) -> [OccurrenceState] {
    guard width > 0, !occurrences.isEmpty else { return [] }
    if occurrences.count <= width { return occurrences.map(\.state) }
    let per = (occurrences.count + width - 1) / width
    let order: [OccurrenceState] = [.missing, .late, .evidenced, .notDue]
    return stride(from: 0, to: occurrences.count, by: per).map { start in
        let states = Set(occurrences[start..<min(start + per, occurrences.count)].map(\.state))
        return order.first(where: states.contains) ?? .notDue
    }
}

/// Width of the timeline column: the longest timeline, up to a quarter of the row (so titles
/// keep room at 80 columns).
func timelineWidth(_ state: AppState, rowWidth: Int) -> Int {
    max(1, min(state.index.longestTimeline, max(6, min(26, rowWidth / 4))))
}

func drawEvidenceRow(_ screen: inout ScreenBuffer, _ state: AppState, _ row: LedgerControlLoad, _ line: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    let text = styles("text")
    var x = line.x + 1
    x += screen.write(TextWidth.pad(row.control, to: 7) + " ", x: x, y: line.y, style: text, maxWidth: line.maxX - x)
    if line.width >= 60 {
        x += screen.write(TextWidth.pad(row.frequency.label, to: 12), x: x, y: line.y, style: styles("text.dim"), maxWidth: line.maxX - x)
    }
    let width = timelineWidth(state, rowWidth: line.width)
    let start = x
    for cell in timelineCells(row.occurrences, width: width) where x < line.maxX {
        x += screen.write(glyphs.occurrence(cell), x: x, y: line.y, style: styles("evidence.\(cell.rawValue)"))
    }
    x = start + width + 1
    let coverage = row.coverage
    let percent = coverage.due == 0 ? glyphs.dash : "\(coverage.percent)%"
    let token =
        coverage.due == 0 ? "text.dim" : (coverage.percent >= 80 ? "readiness.good" : (coverage.percent >= 50 ? "readiness.mid" : "readiness.bad"))
    if x < line.maxX {
        x += screen.write(TextWidth.pad(percent, to: 4, alignRight: true) + "  ", x: x, y: line.y, style: styles(token), maxWidth: line.maxX - x)
    }
    if x < line.maxX - 1, let i = state.index.controlByRef[row.control] {
        screen.write(TextWidth.truncate(state.snapshot.controls[i].title, to: line.maxX - x - 1), x: x, y: line.y, style: text)
    }
}

private func evidenceDetail(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    guard let window = state.snapshot.typeII else {
        return [
            "No Type II observation window is set",
            "Set one with :target 2 2026-01-01 6m (report type 2, window start, length in months); each control's frequency then tiles it into occurrences",
        ]
    }
    guard let row = state.selectedLedgerRow else {
        return ["Type II window \(window.windowStart)..\(window.windowEnd) (\(window.length), grace \(window.graceDays) days)"]
    }
    let control = state.index.controlByRef[row.control].map { state.snapshot.controls[$0] }
    let c = row.coverage
    var header = "\(row.control) \(control?.title ?? "")\(dot)\(row.frequency.label)\(dot)on time \(c.evidenced) of \(c.due) due"
    if c.due > 0 { header += " (\(c.percent)%)" }
    for (n, label) in [(c.late, "late"), (c.missing, "missing"), (c.notDue, "not yet due")] where n > 0 { header += "\(dot)\(n) \(label)" }
    header += "\(dot)owner \(control?.owner ?? "none")"
    let items = state.evidence(of: row.control)
    var lines = [header, occurrenceLine(row, glyphs)]
    if let collectors = collectorLine(state, control: row.control, glyphs) { lines.append(collectors) }
    if items.isEmpty {
        lines.append("evidence: none yet; a adds a file with the date or period it proves")
    } else if layout(state).detail.height >= 5 {
        lines += items.map { evidenceLine($0, glyphs, full: true) }
    } else {
        lines.append("evidence (\(items.count)): " + items.map { evidenceLine($0, glyphs, full: false) }.joined(separator: dot))
    }
    return lines
}

/// "collectors: password-policy daily, last passed 2026-11-20 09:00 · drift DRIFT-1", or nil.
private func collectorLine(_ state: AppState, control: String, _ glyphs: Glyphs) -> String? {
    let collectors = state.snapshot.collectors.filter { $0.control == control }
    guard !collectors.isEmpty else { return nil }
    let dot = " \(glyphs.dot) "
    return "collectors (c runs them): "
        + collectors.map { c in
            var text = c.name + (c.every.map { " \($0)" } ?? "")
            if let outcome = c.lastOutcome, let at = c.lastRunAt {
                text += ", last \(outcome) \(at.prefix(16).replacingOccurrences(of: "T", with: " "))"
                if outcome != "passed" && !c.lastReason.isEmpty { text += " (\(c.lastReason))" }
            } else {
                text += ", never run"
            }
            if c.due { text += ", due" }
            let drift = state.snapshot.drift.filter { $0.collector == c.name }.map(\.ref)
            if !drift.isEmpty { text += dot + "drift " + drift.joined(separator: ", ") + " (d shows it)" }
            return text
        }.joined(separator: dot)
}

/// "occurrences: 01-31 ● EV-2 · 02-28 ● EV-3 · 03-31 ◐ EV-4 · 04-30 ✗ · ...", or, for many,
/// the count and the problems.
private func occurrenceLine(_ row: LedgerControlLoad, _ glyphs: Glyphs) -> String {
    // An event-driven control's occurrences are sampled items, all due at the window's end:
    // name the items, which is what the mock audit tests.
    let sampled = row.occurrences.filter { $0.item != nil }
    if !sampled.isEmpty {
        let due = sampled[0].due
        return "sampled items (due \(due)): "
            + sampled.prefix(12).map { "\($0.item!) \(glyphs.occurrence($0.state))" }.joined(separator: " \(glyphs.dot) ")
            + (sampled.count > 12 ? " \(glyphs.dot) +\(sampled.count - 12)" : "")
    }
    func day(_ o: Occurrence) -> String { String(o.due.dropFirst(5)) }
    func entry(_ o: Occurrence) -> String {
        "\(day(o)) \(glyphs.occurrence(o.state))" + (o.evidence.isEmpty ? "" : " " + o.evidence.joined(separator: ","))
    }
    if row.occurrences.count <= 12 {
        return "occurrences (due): " + row.occurrences.map(entry).joined(separator: " \(glyphs.dot) ")
    }
    let missing = row.occurrences.filter { $0.state == .missing }
    let late = row.occurrences.filter { $0.state == .late }
    var text = "\(row.occurrences.count) occurrences"
    if !missing.isEmpty { text += "; missing (due): " + missing.prefix(8).map(day).joined(separator: ", ") + (missing.count > 8 ? ", ..." : "") }
    if !late.isEmpty { text += "; late: " + late.prefix(6).map(entry).joined(separator: ", ") + (late.count > 6 ? ", ..." : "") }
    if missing.isEmpty && late.isEmpty { text += "; none missing or late" }
    return text
}

/// One evidence item: id, what it proves, review, version, files.
private func evidenceLine(_ item: EvidenceLoad, _ glyphs: Glyphs, full: Bool) -> String {
    var review = item.review.rawValue
    if full, let by = item.reviewedBy, item.review != .pending { review += " by \(by)" }
    if full, !item.reviewNote.isEmpty { review += ": \(item.reviewNote)" }
    let stale = item.stale ? (full ? " \(glyphs.dot) stale (expired \(item.expires ?? ""))" : " stale") : ""
    if full {
        return
            "\(item.ref) \(glyphs.dot) proves \(item.proves) \(glyphs.dot) \(review) \(glyphs.dot) v\(item.version) \(item.files.joined(separator: ", "))\(stale)"
    }
    return "\(item.ref) \(item.proves) \(review) v\(item.version) \(item.files.joined(separator: ", "))\(stale)"
}
