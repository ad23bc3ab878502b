import AssureModel
import TerminalUI

/// The one place state changes. Pure: no I/O, only returned effects.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .key(let key):
        return handleKey(&state, key)
    case .paste(let text):
        if case .filter(var field) = state.mode {
            field.insert(text)
            state.mode = .filter(field)
            return applyFilter(&state, field.text)
        }
        return []
    case .mouse(let button, let x, let y):
        return handleMouse(&state, button, x: x, y: y)
    case .resize(let width, let height):
        state.size = ScreenSize(width: width, height: height)
        for pane in Pane.allCases { ensureVisible(&state, pane) }
        return [.redraw]
    case .tick:
        if var toast = state.toast {
            toast.ticksLeft -= 1
            state.toast = toast.ticksLeft > 0 ? toast : nil
        }
        return []
    case .snapshotLoaded(let snapshot):
        replaceSnapshot(&state, snapshot)
        return detailEffect(state)
    case .detailLoaded(let change):
        state.detailChange = change
        return []
    case .failed(let message):
        state.toast = Toast(text: message, isError: true, ticksLeft: 20)
        return []
    case .refused(let message, let reopen):
        return editRefused(&state, message, reopen: reopen)
    case .run(let id):
        return run(&state, id)
    case .applied(let edit, let kind, let result):
        return editApplied(&state, edit, kind, result)
    case .trendLoaded(let trend):
        state.trend = trend
        return []
    case .proposalsLoaded(let proposals):
        if proposals.isEmpty {
            state.toast = Toast(text: "nothing to derive: every proposal already exists", isError: false, ticksLeft: 16)
        } else {
            state.mode = .confirmDerive(proposals)
        }
        return []
    }
}

/// Keeps selections on the same items (by reference) across a reload.
func replaceSnapshot(_ state: inout AppState, _ snapshot: WorkspaceSnapshot) {
    let kept = Dictionary(uniqueKeysWithValues: Pane.allCases.map { ($0, selectedKey(state, $0)) })
    state.index = WorkspaceIndex(snapshot, framework: state.framework)
    state.framework = state.index.framework
    state.baseline = snapshot.changeToken
    // Marks of rows that no longer exist are dropped.
    if state.marked[.controls]?.isEmpty == false {
        let controlRefs = Set(snapshot.controls.map(\.ref))
        state.marked[.controls] = state.marked[.controls]?.filter(controlRefs.contains)
    }
    if state.marked[.gaps]?.isEmpty == false {
        let gapRefs = Set(snapshot.gapKeys.map(\.ref))
        state.marked[.gaps] = state.marked[.gaps]?.filter(gapRefs.contains)
    }
    state.readOnly = state.readOnly || snapshot.readOnly
    // In registry order, so the Controls rows follow the Criteria selection just restored.
    for pane in Pane.allCases {
        pane.definition.rebuild(&state)
        if let key = kept[pane] ?? nil, let row = (0..<state.rowCount(pane)).first(where: { rowKey(state, pane, $0) == key }) {
            state.panes[pane]!.selection = row
        }
    }
    for pane in Pane.allCases { ensureVisible(&state, pane) }
}

private func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    // Nobody can see what a key would do on a screen that says "too small": only quitting and
    // redrawing work there.
    if layout(state).kind == .tooSmall {
        switch key {
        case .char("q"), .ctrl("c"), .function(10): return run(&state, .quit)
        case .ctrl("l"): return [.redraw]
        default: return []
        }
    }
    switch state.mode {
    case .help(let scroll):
        switch key {
        case .escape, .char("q"), .char("?"), .function(1), .enter: state.mode = .normal
        case .char("j"), .down: state.mode = .help(scroll: scroll + 1)
        case .char("k"), .up: state.mode = .help(scroll: max(0, scroll - 1))
        case .pageDown, .char(" "): state.mode = .help(scroll: scroll + 10)
        case .pageUp: state.mode = .help(scroll: max(0, scroll - 10))
        case .char("g"), .home: state.mode = .help(scroll: 0)
        default: break
        }
        return []
    case .palette(var field, let selection):
        let entries = paletteMatches(field.text)
        switch key {
        case .escape: state.mode = .normal
        case .down, .ctrl("n"): state.mode = .palette(field, selection: min(selection + 1, max(0, entries.count - 1)))
        case .up, .ctrl("p"): state.mode = .palette(field, selection: max(0, selection - 1))
        case .enter:
            state.mode = .normal
            if let inline = inlineCommand(field.text) { return runInline(&state, inline) }
            guard entries.indices.contains(selection) else {
                state.toast = Toast(text: "no command matches '\(field.text)'; ? lists every key", isError: true, ticksLeft: 20)
                return []
            }
            return run(&state, entries[selection])
        default:
            if field.handle(key) { state.mode = .palette(field, selection: 0) }
        }
        return []
    case .filter(var field):
        switch key {
        case .enter:
            state.mode = .normal
            return []
        case .escape:
            state.mode = .normal
            return applyFilter(&state, "")
        case .up, .down, .pageUp, .pageDown:
            return handleNormalKey(&state, key)
        default:
            guard field.handle(key) else { return [] }
            state.mode = .filter(field)
            return applyFilter(&state, field.text)
        }
    case .normal:
        state.toast = nil
        return handleNormalKey(&state, key)
    case .agenda, .picker, .menu, .prompt, .form, .dashboard, .confirmDerive:
        return handleEditKey(&state, key)
    case .drift(let selection, let scroll, let confirming):
        return handleDriftKey(&state, key, selection: selection, scroll: scroll, confirming: confirming)
    }
}

private func handleNormalKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    let filtering = !state.pane(state.focus).filter.isEmpty
    guard let command = CommandRegistry.command(for: key, in: state.focus, filtering: filtering) else { return [] }
    return run(&state, command)
}

/// Runs a command: a disabled one explains itself; a pane's own runs its handler.
func run(_ state: inout AppState, _ command: Command) -> [Effect] {
    if let reason = command.whyDisabled(state) {
        state.toast = Toast(text: reason, isError: true, ticksLeft: 20)
        return []
    }
    if let handler = command.handler { return handler(&state) }
    return run(&state, command.id)
}

/// Palette entries matching what was typed, best first.
func paletteMatches(_ text: String) -> [Command] {
    let query = text.trimmingCharacters(in: .whitespaces)
    let entries = CommandRegistry.paletteEntries
    if query.isEmpty { return entries }
    return entries.compactMap { command -> (Command, Int)? in
        guard let match = Fuzzy.match(query, in: command.title) else { return nil }
        return (command, match.score)
    }.sorted { $0.1 > $1.1 }.map(\.0)
}

/// A palette command typed with its argument.
struct InlineCommand: Equatable {
    var verb: String
    var argument: String
    var title: String
}

/// "meeting start Review 3 | Dana Kim", "target 2 2027-03-01 6m", "theme light": commands
/// that take their argument on the same line.
func inlineCommand(_ text: String) -> InlineCommand? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let verbs = [("meeting start", "start the meeting"), ("target", "set the target audit"), ("theme", "switch the theme")]
    for (verb, title) in verbs where trimmed.lowercased().hasPrefix(verb + " ") {
        let argument = String(trimmed.dropFirst(verb.count)).trimmingCharacters(in: .whitespaces)
        // "target audit" is the palette's own title; a target's argument starts with its type.
        if verb == "target" && !(argument.first?.isNumber ?? false) { continue }
        if !argument.isEmpty { return InlineCommand(verb: verb, argument: argument, title: "\(title): \(argument)") }
    }
    return nil
}

private func runInline(_ state: inout AppState, _ inline: InlineCommand) -> [Effect] {
    func refuse(_ message: String) -> [Effect] {
        state.toast = Toast(text: message, isError: true, ticksLeft: 24)
        return []
    }
    switch inline.verb {
    case "theme":
        let known = ThemeCatalog.availableNames
        guard known.contains(inline.argument) else {
            return refuse("unknown theme '\(inline.argument)'; themes: \(known.joined(separator: ", "))")
        }
        return [.switchTheme(inline.argument)]
    default:
        if refuseReadOnly(&state) { return [] }
        if inline.verb == "meeting start", let meeting = state.snapshot.meeting { return refuse("meeting '\(meeting)' is already open") }
        switch promptEdit(inline.verb == "target" ? .target : .meetingTitle, inline.argument) {
        case .failure(let refusal): return refuse(refusal.message)
        case .success(let (edit, kind)): return [.apply(edit, kind, baseline: state.baseline)]
        }
    }
}

/// `theme NAME` typed into the palette switches to any installed theme by name.
func themeArgument(_ text: String) -> String? {
    let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0] == "theme" else { return nil }
    return String(parts[1]).trimmingCharacters(in: .whitespaces)
}

func run(_ state: inout AppState, _ id: CommandID) -> [Effect] {
    let focus = state.focus
    switch id {
    case .down: return move(&state, by: 1)
    case .up: return move(&state, by: -1)
    case .top: return move(&state, to: 0)
    case .bottom: return move(&state, to: state.rowCount(focus) - 1)
    case .pageDown: return move(&state, by: layout(state).visibleRows(focus))
    case .pageUp: return move(&state, by: -layout(state).visibleRows(focus))
    case .nextPane, .previousPane:
        // Tab cycles the panes of the set on screen.
        let panes = state.visiblePanes
        let i = panes.firstIndex(of: focus) ?? 0
        return setFocus(&state, panes[(i + (id == .nextPane ? 1 : panes.count - 1)) % panes.count])
    case .nextSet, .previousSet:
        let sets = PaneSetID.allCases
        let i = sets.firstIndex(of: state.paneSet) ?? 0
        let next = sets[(i + (id == .nextSet ? 1 : sets.count - 1)) % sets.count]
        return setFocus(&state, PaneRegistry.panes(in: next)[0])
    case .focusCriteria: return setFocus(&state, .criteria)
    case .focusControls: return setFocus(&state, .controls)
    case .focusOwners: return setFocus(&state, .owners)
    case .focusGaps: return setFocus(&state, .gaps)
    case .focusFrameworks: return setFocus(&state, .frameworks)
    case .focusEvidence: return setFocus(&state, .evidence)
    case .filter:
        state.mode = .filter(TextField(text: state.pane(focus).filter))
        return []
    case .nextMatch, .previousMatch:
        guard !state.pane(focus).filter.isEmpty else {
            state.toast = Toast(text: "no filter: press / to filter this pane", isError: false, ticksLeft: 12)
            return []
        }
        return move(&state, by: id == .nextMatch ? 1 : -1, wrap: true)
    case .back:
        if !state.pane(focus).filter.isEmpty { return applyFilter(&state, "") }
        if state.ownerLimit != nil { return limitOwner(&state, nil) }
        return []
    case .palette:
        state.mode = .palette(TextField(text: ""), selection: 0)
        return []
    case .help:
        state.mode = .help(scroll: 0)
        return []
    case .redraw: return [.redraw]
    case .suspend: return [.suspend]
    case .quit:
        state.shouldQuit = true
        return [.quit]
    case .themeDefault: return [.switchTheme("default")]
    case .themeLight: return [.switchTheme("light")]
    case .themeHighContrast: return [.switchTheme("high-contrast")]
    case .themeColorblind: return [.switchTheme("colorblind")]
    case .assign, .assignBackup, .setStatus, .newGap, .edit, .remediate, .acceptRisk, .mark, .undo, .redo,
        .meetingStart, .meetingEnd, .agenda, .derive, .target:
        return startEdit(&state, id)
    case .dashboard:
        state.mode = .dashboard(scroll: 0)
        return [.loadTrend]
    default:
        // A pane's own command, run from the palette: find its declaration.
        if let command = CommandRegistry.all.first(where: { $0.id == id && $0.handler != nil && ($0.panes?.contains(focus) ?? true) }) {
            return run(&state, command)
        }
        return []
    }
}

func layout(_ state: AppState) -> ScreenLayout {
    ScreenLayout.compute(width: state.size.width, height: state.size.height, focus: state.focus, set: state.paneSet)
}

func setFocus(_ state: inout AppState, _ pane: Pane) -> [Effect] {
    state.focus = pane
    state.paneSet = pane.definition.set
    for shown in PaneRegistry.panes(in: state.paneSet) { ensureVisible(&state, shown) }
    return detailEffect(state)
}

private func move(_ state: inout AppState, by delta: Int, wrap: Bool = false) -> [Effect] {
    let count = state.rowCount(state.focus)
    guard count > 0 else { return [] }
    var target = state.pane(state.focus).selection + delta
    if wrap { target = ((target % count) + count) % count }
    return move(&state, to: target)
}

private func move(_ state: inout AppState, to row: Int) -> [Effect] {
    let pane = state.focus
    let count = state.rowCount(pane)
    guard count > 0 else { return [] }
    let target = max(0, min(row, count - 1))
    guard target != state.pane(pane).selection else { return [] }
    state.panes[pane]!.selection = target
    selectionChanged(&state, pane)
    return detailEffect(state)
}

/// Follow-on work when a pane's selection moves: the Controls pane follows the criterion.
func selectionChanged(_ state: inout AppState, _ pane: Pane) {
    ensureVisible(&state, pane)
    if pane == .criteria && state.criteriaDrivesControls {
        state.panes[.controls]!.selection = 0
        state.panes[.controls]!.offset = 0
        state.rebuildControlRows()
    }
}

/// Scrolls a pane just enough to keep its selection on screen (TerminalUI's `ScrollState`).
func ensureVisible(_ state: inout AppState, _ pane: Pane) {
    var paneState = state.pane(pane)
    // A pane of another set has no height on this screen: only its selection is kept in range,
    // and it is scrolled when its set is shown (`setFocus`). Scrolling it here for a height of
    // one row (a resize in another set) left its selection at the top when it came back.
    guard layout(state).panes[pane] != nil else {
        let count = state.rowCount(pane)
        if count > 0 { paneState.selection = min(max(0, paneState.selection), count - 1) }
        state.panes[pane] = paneState
        return
    }
    let scroll = ScrollState(selection: paneState.selection, offset: paneState.offset, count: state.rowCount(pane))
        .ensureVisible(height: layout(state).visibleRows(pane))
    paneState.offset = scroll.offset
    if state.rowCount(pane) > 0 { paneState.selection = scroll.selection }
    state.panes[pane] = paneState
}

func limitOwner(_ state: inout AppState, _ owner: String?) -> [Effect] {
    state.ownerLimit = owner
    state.rebuildControlRows()
    state.rebuildGapRows()
    ensureVisible(&state, .controls)
    ensureVisible(&state, .gaps)
    let text =
        owner.map { $0.isEmpty ? "Showing unassigned controls and gaps (Esc clears)" : "Showing \($0)'s controls and gaps (Esc clears)" }
        ?? "Showing everyone's controls and gaps"
    state.toast = Toast(text: text, isError: false, ticksLeft: 16)
    return detailEffect(state)
}

private func applyFilter(_ state: inout AppState, _ text: String) -> [Effect] {
    let pane = state.focus
    // Clearing a filter keeps the row the person was on (found by its reference).
    let kept = text.isEmpty ? selectedKey(state, pane) : nil
    state.panes[pane]!.filter = text
    state.panes[pane]!.selection = 0
    state.panes[pane]!.offset = 0
    pane.definition.rebuild(&state)
    if pane == .criteria && state.criteriaDrivesControls { state.rebuildControlRows() }
    if let kept, let row = (0..<state.rowCount(pane)).first(where: { rowKey(state, pane, $0) == kept }) {
        state.panes[pane]!.selection = row
        selectionChanged(&state, pane)
    }
    ensureVisible(&state, pane)
    return detailEffect(state)
}

/// A stable key for a pane's row: the reference of what it shows.
private func rowKey(_ state: AppState, _ pane: Pane, _ row: Int) -> String? { pane.definition.rowKey(state, row) }

private func selectedKey(_ state: AppState, _ pane: Pane) -> String? { rowKey(state, pane, state.pane(pane).selection) }

private func handleMouse(_ state: inout AppState, _ button: MouseButton, x: Int, y: Int) -> [Effect] {
    guard state.mode == .normal, layout(state).kind != .tooSmall else { return [] }
    let screen = layout(state)
    guard let (pane, rect) = screen.panes.first(where: { $0.value.contains(x: x, y: y) }) else { return [] }
    switch button {
    case .wheelDown, .wheelUp:
        // The wheel scrolls the pane under the pointer, which takes the focus, as a click would.
        let focusEffects = state.focus == pane ? [] : setFocus(&state, pane)
        return move(&state, by: button == .wheelDown ? 3 : -3) + focusEffects
    case .left:
        var effects = state.focus == pane ? [] : setFocus(&state, pane)
        let row = y - rect.y - 1 + state.pane(pane).offset
        if y > rect.y && y < rect.maxY - 1 && row < state.rowCount(pane) { effects = move(&state, to: row) + effects }
        return effects
    default:
        return []
    }
}

/// Asks for the last change of whatever the detail strip now shows.
func detailEffect(_ state: AppState) -> [Effect] {
    state.focus.definition.detailEntity(state).map { [.loadDetail(entity: $0.entity, ref: $0.ref)] } ?? []
}
