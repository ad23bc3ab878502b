import AssureModel
import Foundation
import TerminalUI

/// The editing half of the reducer: the flows a readiness meeting runs through.
extension AppState {
    /// Marked rows of the focused pane, else the selected row.
    var editTargets: [String] {
        let marked = self.marked[focus] ?? []
        switch focus {
        case .controls:
            if !marked.isEmpty { return controlRows.map { snapshot.controls[$0].ref }.filter(marked.contains) }
            return selectedControlLine.map { [$0.ref] } ?? []
        case .gaps:
            if !marked.isEmpty { return gapKeys.map(\.ref).filter(marked.contains) }
            return selectedGap.map { [$0.ref] } ?? []
        default:
            return []
        }
    }
}

func refuseReadOnly(_ state: inout AppState) -> Bool {
    guard state.readOnly else { return false }
    state.toast = Toast(text: CommandID.readOnlyReason, isError: true, ticksLeft: 20)
    return true
}

private func toast(_ state: inout AppState, _ text: String, error: Bool = false) -> [Effect] {
    state.toast = Toast(text: text, isError: error, ticksLeft: error ? 24 : 16)
    return []
}

/// Starts an edit command from the registry.
func startEdit(_ state: inout AppState, _ id: CommandID) -> [Effect] {
    if id != .agenda && refuseReadOnly(&state) { return [] }
    let targets = state.editTargets
    switch id {
    case .assign, .assignBackup:
        switch state.focus {
        case .controls where !targets.isEmpty:
            state.mode = .picker(OwnerPicker(target: id == .assign ? .controlOwner(targets) : .controlBackup(targets), baseline: state.baseline))
        case .gaps where !targets.isEmpty && id == .assign:
            state.mode = .picker(OwnerPicker(target: .gapOwner(targets), baseline: state.baseline))
        default:
            return toast(&state, id == .assign ? "select a control or a gap to assign" : "select a control to give a backup owner")
        }
    case .setStatus:
        guard state.focus == .controls, !targets.isEmpty else { return toast(&state, "select a control to set its status") }
        let current = state.selectedControlLine?.status ?? .notStarted
        state.mode = .menu(
            ChoiceMenu(
                target: .status(targets), baseline: state.baseline, choices: ControlStatus.allCases.map(\.label),
                selection: ControlStatus.allCases.firstIndex(of: current) ?? 0))
    case .newGap:
        var control: String?
        var criterion: String?
        if state.focus == .controls { control = state.selectedControlLine?.ref }
        if state.focus == .criteria, let row = state.selectedCriteriaRow, state.index.requirementByRef[row.ref]?.kind == .criterion {
            // Another framework's requirement is named with its framework: refs may repeat across frameworks.
            criterion = state.framework == Framework.soc2ID ? row.ref : "\(state.framework):\(row.ref)"
        }
        let about = control ?? criterion
        state.mode = .form(
            EditForm(
                target: .newGap(control: control, criterion: criterion), baseline: state.baseline,
                title: "New gap" + (about.map { " on \($0)" } ?? ""),
                fields: [
                    .init(label: "Title", field: TextField(text: "")),
                    .init(label: "Severity", field: TextField(text: "medium"), choices: Severity.allCases.map(\.rawValue)),
                    .init(label: "Effort", field: TextField(text: "M"), choices: Effort.allCases.map(\.rawValue)),
                    .init(
                        label: "Owner", field: TextField(text: control.flatMap { c in state.snapshot.controls.first { $0.ref == c }?.owner } ?? ""),
                        options: state.snapshot.owners.filter { !$0.owner.isRetired }.map(\.owner.name)),
                    .init(label: "Due", field: TextField(text: "+30d")),
                ]))
    case .edit:
        if state.focus == .gaps, let gap = state.selectedGap {
            state.mode = .form(
                EditForm(
                    target: .editGap(gap.ref), baseline: state.baseline, title: "Edit \(gap.ref)",
                    fields: [
                        .init(label: "Title", field: TextField(text: gap.title)),
                        .init(label: "Description", field: TextField(text: gap.description)),
                        .init(label: "Severity", field: TextField(text: gap.severity.rawValue), choices: Severity.allCases.map(\.rawValue)),
                        .init(label: "Effort", field: TextField(text: gap.effort.rawValue), choices: Effort.allCases.map(\.rawValue)),
                        .init(label: "Due", field: TextField(text: gap.due ?? "")),
                    ]))
        } else if state.focus == .controls, let control = state.selectedControl {
            state.mode = .form(
                EditForm(
                    target: .editControl(control.ref), baseline: state.baseline, title: "Edit \(control.ref)",
                    fields: [
                        .init(label: "Title", field: TextField(text: control.title)),
                        .init(label: "Description", field: TextField(text: control.description)),
                        .init(label: "Evidence", field: TextField(text: control.evidenceHint)),
                        .init(label: "Frequency", field: TextField(text: control.frequency.rawValue), choices: Frequency.allCases.map(\.rawValue)),
                    ]))
        } else {
            return toast(&state, "select a control or a gap to edit")
        }
    case .remediate:
        guard state.focus == .gaps, !targets.isEmpty else { return toast(&state, "select a gap to remediate") }
        // The keys say whether each row is open: no need to read the gaps themselves.
        let chosen = Set(targets)
        if state.gapKeys.filter({ chosen.contains($0.ref) }).allSatisfy({ !$0.isOpen }) {
            return [.apply(.reopen(gaps: targets), .normal, baseline: state.baseline)]
        }
        state.mode = .prompt(
            TextPrompt(target: .remediate(targets), baseline: state.baseline, question: "What was done to remediate \(describe(targets))?"))
    case .acceptRisk:
        guard state.focus == .gaps, !targets.isEmpty else { return toast(&state, "select a gap to accept its risk") }
        state.mode = .prompt(
            TextPrompt(target: .accept(targets), baseline: state.baseline, question: "Why is the risk of \(describe(targets)) acceptable?"))
    case .mark:
        guard state.focus == .controls || state.focus == .gaps else { return [] }
        let ref = state.focus == .controls ? state.selectedControlLine?.ref : state.selectedGap?.ref
        guard let ref else { return [] }
        var set = state.marked[state.focus] ?? []
        if set.contains(ref) { set.remove(ref) } else { set.insert(ref) }
        state.marked[state.focus] = set
        return run(&state, .down)
    case .undo:
        guard let batch = state.history.undo.last else { return toast(&state, "nothing to undo in this session") }
        return [.apply(.undo(batch: batch), .undo, baseline: state.baseline)]
    case .redo:
        guard let batch = state.history.redo.last else { return toast(&state, "nothing to redo") }
        return [.apply(.undo(batch: batch), .redo, baseline: state.baseline)]
    case .meetingStart:
        if let meeting = state.snapshot.meeting { return toast(&state, "meeting '\(meeting)' is already open", error: true) }
        state.mode = .prompt(
            TextPrompt(
                target: .meetingTitle, baseline: state.baseline, question: "Meeting title (attendees after a '|': Review 3 | Dana Kim, Omar Haddad)"))
    case .meetingEnd:
        guard state.snapshot.meeting != nil else { return toast(&state, "no meeting is open") }
        return [.apply(.endMeeting, .untracked, baseline: state.baseline)]
    case .agenda:
        let lines = agenda(state)
        state.mode = .agenda(selection: lines.firstIndex { $0.item != nil } ?? 0)
    case .derive:
        return [.loadProposals]
    case .target:
        state.mode = .prompt(
            TextPrompt(
                target: .target, baseline: state.baseline, question: "Target audit: report type, window start and length, e.g. 2 2027-03-01 6m"))
    default:
        break
    }
    return []
}

struct Refusal: Error, Equatable { var message: String }

/// What a prompt's answer asks for; the palette's inline commands ("target 2 2027-03-01 6m")
/// go through the same checks.
func promptEdit(_ target: EditTarget, _ text: String) -> Result<(Edit, EditKind), Refusal> {
    switch target {
    case .notApplicable(let refs): return .success((.setStatus(controls: refs, status: .notApplicable, justification: text), .normal))
    case .remediate(let refs): return .success((.remediate(gaps: refs, note: text), .normal))
    case .accept(let refs): return .success((.accept(gaps: refs, justification: text), .normal))
    case .reviewEvidence(let ref, let accept): return .success((.reviewEvidence(ref: ref, accept: accept, note: text), .normal))
    case .target:
        let parts = text.split(separator: " ").map(String.init)
        guard parts.count == 3, parts[0] == "1" || parts[0] == "2", DueDate.parseDay(parts[1]) != nil, parts[2].hasSuffix("m") else {
            return .failure(Refusal(message: "write the target as TYPE START LENGTH, e.g. 2 2027-03-01 6m"))
        }
        return .success((.setTarget(type: parts[0], windowStart: parts[1], window: parts[2]), .normal))
    case .meetingTitle:
        let parts = text.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let title = parts.first, !title.isEmpty else { return .failure(Refusal(message: "a meeting needs a title")) }
        let attendees = parts.count > 1 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
        return .success((.startMeeting(title: title, attendees: attendees), .untracked))
    default:
        return .failure(Refusal(message: "nothing to save"))
    }
}

func describe(_ refs: [String]) -> String { refs.count == 1 ? refs[0] : "\(refs.count) items" }

/// Keys while a picker, menu, prompt, form or the agenda is open.
func handleEditKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    switch state.mode {
    case .picker(var picker):
        let entries = pickerEntries(state, picker.field.text, target: picker.target)
        switch key {
        case .escape: closeModal(&state)
        case .down, .ctrl("n"): picker.selection = min(picker.selection + 1, max(0, entries.count - 1)); state.mode = .picker(picker)
        case .up, .ctrl("p"): picker.selection = max(0, picker.selection - 1); state.mode = .picker(picker)
        case .enter:
            guard entries.indices.contains(picker.selection) else { return [] }
            let entry = entries[picker.selection]
            state.mode = .normal
            return [
                .apply(
                    assignEdit(picker.target, owner: entry.name, create: entry.isNew), .normal, baseline: picker.baseline,
                    reopen: .picker(picker))
            ]
        default:
            if picker.field.handle(key) { picker.selection = 0; state.mode = .picker(picker) }
        }
    case .menu(var menu):
        switch key {
        case .escape: closeModal(&state)
        case .down, .char("j"): menu.selection = min(menu.selection + 1, menu.choices.count - 1); state.mode = .menu(menu)
        case .up, .char("k"): menu.selection = max(0, menu.selection - 1); state.mode = .menu(menu)
        case .char(let c) where c.isNumber:
            if let n = Int(String(c)), (1...menu.choices.count).contains(n) { menu.selection = n - 1; state.mode = .menu(menu) }
        case .enter:
            guard case .status(let refs) = menu.target else { state.mode = .normal; return [] }
            let status = ControlStatus.allCases[menu.selection]
            if status == .notApplicable {
                state.mode = .prompt(
                    TextPrompt(target: .notApplicable(refs), baseline: menu.baseline, question: "Why does \(describe(refs)) not apply? (required)"))
                return []
            }
            state.mode = .normal
            return [.apply(.setStatus(controls: refs, status: status, justification: ""), .normal, baseline: menu.baseline, reopen: .menu(menu))]
        default: break
        }
    case .prompt(var prompt):
        switch key {
        case .escape: closeModal(&state)
        case .enter:
            let text = prompt.field.text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                prompt.error = "an answer is required; Esc cancels"
                state.mode = .prompt(prompt)
                return []
            }
            switch promptEdit(prompt.target, text) {
            case .failure(let refusal):
                prompt.error = refusal.message
                state.mode = .prompt(prompt)
                return []
            case .success(let (edit, kind)):
                state.mode = .normal
                return [.apply(edit, kind, baseline: prompt.baseline, reopen: .prompt(prompt))]
            }
        default:
            if prompt.field.handle(key) { prompt.error = nil; state.mode = .prompt(prompt) }
        }
    case .form(var form):
        switch key {
        case .escape: closeModal(&state)
        case .tab, .down:
            form.complete(form.focus)
            form.focus = (form.focus + 1) % form.fields.count
            state.mode = .form(form)
        case .backTab, .up:
            form.complete(form.focus)
            form.focus = (form.focus + form.fields.count - 1) % form.fields.count
            state.mode = .form(form)
        case .left,
            .right where !form.fields[form.focus].choices.isEmpty:
            let choices = form.fields[form.focus].choices
            let current = choices.firstIndex { $0.lowercased() == form.fields[form.focus].field.text.lowercased() } ?? 0
            let next = (current + (key == .right ? 1 : choices.count - 1)) % choices.count
            form.fields[form.focus].field = TextField(text: choices[next])
            state.mode = .form(form)
        case .enter where form.focus < form.fields.count - 1:
            form.complete(form.focus)
            form.focus += 1
            state.mode = .form(form)
        case .enter, .ctrl("s"):
            form.complete(form.focus)
            return submit(&state, form)
        case .char(let c) where !form.fields[form.focus].choices.isEmpty:
            // A choice field takes only its values: a letter picks the next one starting with it.
            let choices = form.fields[form.focus].choices
            let current = choices.firstIndex { $0.lowercased() == form.fields[form.focus].field.text.lowercased() } ?? -1
            let order = choices.indices.map { (current + 1 + $0) % choices.count }
            if let next = order.first(where: { choices[$0].lowercased().hasPrefix(String(c).lowercased()) }) {
                form.fields[form.focus].field = TextField(text: choices[next])
                form.error = nil
                state.mode = .form(form)
            }
        case .backspace where !form.fields[form.focus].choices.isEmpty, .delete where !form.fields[form.focus].choices.isEmpty:
            break
        default:
            if form.fields[form.focus].field.handle(key) { form.error = nil; state.mode = .form(form) }
        }
    case .dashboard(let scroll):
        switch key {
        case .escape, .char("q"), .char("D"), .enter: state.mode = .normal
        case .char("j"), .down: state.mode = .dashboard(scroll: scroll + 1)
        case .char("k"), .up: state.mode = .dashboard(scroll: max(0, scroll - 1))
        default: break
        }
    case .confirmDerive:
        switch key {
        case .enter, .char("y"):
            state.mode = .normal
            return [.apply(.deriveGaps, .normal, baseline: state.baseline)]
        case .escape, .char("n"), .char("q"):
            state.mode = .normal
            state.toast = Toast(text: "nothing was created", isError: false, ticksLeft: 12)
        default: break
        }
    case .agenda(let selection):
        return handleAgendaKey(&state, key, selection: selection)
    default:
        break
    }
    return []
}

/// Checks a form; a bad value keeps it open with a message and writes nothing.
private func submit(_ state: inout AppState, _ form: EditForm) -> [Effect] {
    var form = form
    func fail(_ message: String, field: String) -> [Effect] {
        form.error = message
        form.focus = form.fields.firstIndex { $0.label == field } ?? form.focus
        state.mode = .form(form)
        return []
    }
    if case .addEvidence(let control) = form.target { return submitEvidence(&state, form, control: control) }
    let title = form.value("Title")
    if title.isEmpty { return fail("a title is required", field: "Title") }
    let today = DueDate.parseDay(state.snapshot.today) ?? Date()
    var due = form.value("Due")
    if form.fields.contains(where: { $0.label == "Due" }) && !due.isEmpty {
        do { due = try DueDate.parse(due, today: today) } catch { return fail("\(error)", field: "Due") }
    }
    let severity = parseLoose(form.value("Severity"), as: Severity.self)
    let effort = Effort(loose: form.value("Effort"))
    let edit: Edit
    switch form.target {
    case .newGap(let control, let criterion):
        guard let severity else { return fail("severity: critical, high, medium or low", field: "Severity") }
        guard let effort else { return fail("effort: XS, S, M, L or XL", field: "Effort") }
        let owner = form.value("Owner")
        if !owner.isEmpty && !state.snapshot.owners.contains(where: { $0.owner.name.lowercased() == owner.lowercased() }) {
            return fail("unknown owner '\(owner)'; assign a new person with a after creating the gap", field: "Owner")
        }
        edit = .openGap(
            GapDraftFields(
                title: title, severity: severity, effort: effort, owner: owner.isEmpty ? nil : owner,
                due: due.isEmpty ? nil : due, control: control, criterion: criterion))
    case .editGap(let ref):
        guard let severity else { return fail("severity: critical, high, medium or low", field: "Severity") }
        guard let effort else { return fail("effort: XS, S, M, L or XL", field: "Effort") }
        edit = .editGap(ref: ref, title: title, description: form.value("Description"), severity: severity, effort: effort, due: due)
    case .editControl(let ref):
        guard let frequency = parseLoose(form.value("Frequency"), as: Frequency.self) else {
            return fail("frequency: \(Frequency.allCases.map(\.rawValue).joined(separator: ", "))", field: "Frequency")
        }
        edit = .editControl(ref: ref, title: title, description: form.value("Description"), evidence: form.value("Evidence"), frequency: frequency)
    default:
        state.mode = .normal
        return []
    }
    state.mode = .normal
    return [.apply(edit, .normal, baseline: form.baseline, reopen: .form(form))]
}

struct PickerEntry: Equatable {
    var name: String?
    var label: String
    var isNew: Bool
}

/// Owners matching what was typed, "(none)" to clear, and "create" when the name is new.
func pickerEntries(_ state: AppState, _ text: String, target: EditTarget) -> [PickerEntry] {
    let query = text.trimmingCharacters(in: .whitespaces)
    // People who have left take on no new work.
    var entries = state.snapshot.owners.filter { !$0.owner.isRetired }.compactMap { load -> (PickerEntry, Int)? in
        let name = load.owner.name
        if query.isEmpty { return (PickerEntry(name: name, label: name + (load.owner.role.isEmpty ? "" : " · \(load.owner.role)"), isNew: false), 0) }
        guard let match = Fuzzy.match(query, in: name) else { return nil }
        return (PickerEntry(name: name, label: name + (load.owner.role.isEmpty ? "" : " · \(load.owner.role)"), isNew: false), match.score)
    }.sorted { $0.1 > $1.1 }.map(\.0)
    if !query.isEmpty && !state.snapshot.owners.contains(where: { $0.owner.name.lowercased() == query.lowercased() }) {
        entries.append(PickerEntry(name: query, label: "+ create owner \"\(query)\"", isNew: true))
    }
    if query.isEmpty {
        let seat = { if case .controlBackup = target { return "backup" } else { return "owner" } }()
        entries.append(PickerEntry(name: nil, label: "(none) remove the \(seat)", isNew: false))
    }
    return entries
}

private func assignEdit(_ target: EditTarget, owner: String?, create: Bool) -> Edit {
    switch target {
    case .controlBackup(let refs): return .assignBackup(controls: refs, owner: owner, create: create)
    case .gapOwner(let refs): return .assignGapOwner(gaps: refs, owner: owner, create: create)
    case .controlOwner(let refs): return .assignOwner(controls: refs, owner: owner, create: create)
    default: return .assignOwner(controls: [], owner: owner, create: create)
    }
}

/// A refused write brings back the picker, menu, prompt or form with what was typed and why it
/// was refused; its baseline moves to what is on screen now (just reloaded), so applying it again
/// is a choice made knowing the other person's change.
func editRefused(_ state: inout AppState, _ message: String, reopen: Mode?) -> [Effect] {
    state.toast = Toast(text: message, isError: true, ticksLeft: 40)
    guard let reopen else { return [] }
    switch reopen {
    case .picker(var picker): picker.baseline = state.baseline; state.mode = .picker(picker)
    case .menu(var menu): menu.baseline = state.baseline; state.mode = .menu(menu)
    case .prompt(var prompt): prompt.baseline = state.baseline; prompt.error = message; state.mode = .prompt(prompt)
    case .form(var form): form.baseline = state.baseline; form.error = message; state.mode = .form(form)
    default: break
    }
    return []
}

/// After a write: toast, undo stacks, marks cleared.
func editApplied(_ state: inout AppState, _ edit: Edit, _ kind: EditKind, _ result: EditResult) -> [Effect] {
    switch kind {
    case .normal:
        if let batch = result.batch { state.history.undo.append(batch) }
        state.history.redo.removeAll()
        state.toast = Toast(text: "\(result.summary) · z to undo", isError: false, ticksLeft: 20)
    case .undo:
        state.history.undo.removeLast()
        if let batch = result.batch { state.history.redo.append(batch) }
        state.toast = Toast(text: "undone: \(result.summary) · Z to redo", isError: false, ticksLeft: 20)
    case .redo:
        state.history.redo.removeLast()
        if let batch = result.batch { state.history.undo.append(batch) }
        state.toast = Toast(text: "redone: \(result.summary) · z to undo", isError: false, ticksLeft: 20)
    case .untracked:
        state.toast = Toast(text: result.summary, isError: false, ticksLeft: 20)
    }
    state.marked = [:]
    // An edit begun from the agenda returns there, so a meeting walks the list without losing its place.
    if let line = state.agendaReturn, state.mode == .normal { state.mode = .agenda(selection: line) }
    return [.reload]
}
