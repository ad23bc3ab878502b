import AssureModel
import TerminalUI

/// Popups of the editing flows: owner picker, status menu, text prompt, form, agenda.
func drawEditing(_ screen: inout ScreenBuffer, _ state: AppState, _ styles: Styles, _ glyphs: Glyphs) {
    switch state.mode {
    case .picker(let picker): drawPicker(&screen, state, picker, styles, glyphs)
    case .menu(let menu): drawMenu(&screen, menu, styles, glyphs)
    case .prompt(let prompt): drawPrompt(&screen, prompt, styles, glyphs)
    case .form(let form): drawForm(&screen, form, styles, glyphs)
    case .agenda(let selection): drawAgenda(&screen, state, selection, styles, glyphs)
    case .dashboard(let scroll): drawDashboard(&screen, state, scroll, styles, glyphs)
    case .confirmDerive(let proposals): drawConfirmDerive(&screen, proposals, styles, glyphs)
    case .drift(let selection, let scroll, let confirming): drawDrift(&screen, state, selection, scroll, confirming, styles, glyphs)
    default: break
    }
}

private func centered(_ screen: ScreenBuffer, width: Int, height: Int) -> Rect {
    let w = min(screen.width - 2, width)
    let h = min(screen.height - 2, height)
    return Rect(x: (screen.width - w) / 2, y: max(1, (screen.height - h) / 3), width: w, height: h)
}

func drawInput(_ screen: inout ScreenBuffer, _ field: TextField, x: Int, y: Int, width: Int, _ styles: Styles, caret: Bool = true) {
    screen.write(TextWidth.pad("", to: width), x: x, y: y, style: styles("prompt"))
    // Long text scrolls inside the box (the caret always visible) instead of being cut.
    let window = field.window(width: max(1, width - 1))
    screen.write(window.visible, x: x, y: y, style: styles("prompt"), maxWidth: width)
    if caret { screen.cursor = (x + window.caretColumn, y) }
}

private func pickerTitle(_ target: EditTarget) -> String {
    switch target {
    case .controlOwner(let refs): return "Owner of \(describe(refs))"
    case .controlBackup(let refs): return "Backup owner of \(describe(refs))"
    case .gapOwner(let refs): return "Owner of \(describe(refs))"
    default: return "Owner"
    }
}

private func drawPicker(_ screen: inout ScreenBuffer, _ state: AppState, _ picker: OwnerPicker, _ styles: Styles, _ glyphs: Glyphs) {
    let entries = pickerEntries(state, picker.field.text, target: picker.target)
    let rect = centered(screen, width: 56, height: min(16, entries.count + 4))
    drawBox(&screen, rect, title: pickerTitle(picker.target) + " · Enter picks · Esc cancels", styles, glyphs)
    let inner = rect.inset(1)
    drawInput(&screen, picker.field, x: inner.x + 1, y: inner.y, width: inner.width - 2, styles)
    if picker.field.text.isEmpty {
        screen.write("type to find someone, or a new name to add them", x: inner.x + 2, y: inner.y, style: styles("text.dim"))
    }
    let rows = inner.height - 1
    let first = max(0, picker.selection - rows + 1)
    for (i, entry) in entries.dropFirst(first).prefix(rows).enumerated() {
        let line = Rect(x: inner.x, y: inner.y + 1 + i, width: inner.width, height: 1)
        screen.write(
            " " + TextWidth.truncate(entry.label, to: inner.width - 2), x: line.x, y: line.y,
            style: entry.isNew || entry.name == nil ? styles("text.dim") : styles("text"))
        if first + i == picker.selection { screen.restyle(line) { _ in styles("row.selected") } }
    }
}

private func drawMenu(_ screen: inout ScreenBuffer, _ menu: ChoiceMenu, _ styles: Styles, _ glyphs: Glyphs) {
    var title = "Status"
    if case .status(let refs) = menu.target { title = "Status of \(describe(refs))" }
    let rect = centered(screen, width: 40, height: menu.choices.count + 2)
    drawBox(&screen, rect, title: title, styles, glyphs)
    for (i, choice) in menu.choices.enumerated() {
        let line = Rect(x: rect.x + 1, y: rect.y + 1 + i, width: rect.width - 2, height: 1)
        let glyph = glyphs.status(ControlStatus.allCases[i])
        screen.write(" \(i + 1) \(glyph) \(choice)", x: line.x, y: line.y, style: styles("text"), maxWidth: line.width)
        if i == menu.selection { screen.restyle(line) { _ in styles("row.selected") } }
    }
}

private func drawPrompt(_ screen: inout ScreenBuffer, _ prompt: TextPrompt, _ styles: Styles, _ glyphs: Glyphs) {
    let rect = centered(screen, width: 72, height: prompt.error == nil ? 4 : 5)
    drawBox(&screen, rect, title: "Enter saves · Esc cancels", styles, glyphs)
    let inner = rect.inset(1)
    screen.write(TextWidth.truncate(prompt.question, to: inner.width - 1), x: inner.x + 1, y: inner.y, style: styles("text"))
    drawInput(&screen, prompt.field, x: inner.x + 1, y: inner.y + 1, width: inner.width - 2, styles)
    if let error = prompt.error {
        screen.write(TextWidth.truncate(error, to: inner.width - 1), x: inner.x + 1, y: inner.y + 2, style: styles("toast.error"))
    }
}

private func drawForm(_ screen: inout ScreenBuffer, _ form: EditForm, _ styles: Styles, _ glyphs: Glyphs) {
    let rect = centered(screen, width: 76, height: form.fields.count + 4 + (form.error == nil ? 0 : 1))
    drawBox(&screen, rect, title: "\(form.title) · Tab next · ←/→ choose · Enter saves · Esc cancels", styles, glyphs)
    let inner = rect.inset(1)
    let labelWidth = 13
    var caret: (Int, Int)?
    for (i, item) in form.fields.enumerated() {
        let y = inner.y + i
        let focused = i == form.focus
        screen.write(
            TextWidth.pad(item.label, to: labelWidth - 1, alignRight: true), x: inner.x, y: y,
            style: focused ? styles("help.key") : styles("text.dim"))
        let width = inner.width - labelWidth - 1
        drawInput(&screen, item.field, x: inner.x + labelWidth, y: y, width: width, styles, caret: focused)
        if focused { caret = screen.cursor.map { ($0.x, $0.y) } }
        if !item.options.isEmpty && !item.field.text.trimmingCharacters(in: .whitespaces).isEmpty {
            let hint = item.completion.map { $0.lowercased() == item.field.text.lowercased() ? "" : "→ \($0) (Tab)" } ?? "no such owner"
            let x = inner.x + labelWidth + max(TextWidth.of(item.field.text) + 2, 12)
            screen.write(TextWidth.truncate(hint, to: max(0, inner.maxX - x)), x: x, y: y, style: styles("text.dim"))
        }
        if !item.choices.isEmpty {
            let hint = item.choices.joined(separator: "/")
            let x = inner.x + labelWidth + max(TextWidth.of(item.field.text) + 2, 12)
            screen.write(TextWidth.truncate(hint, to: max(0, inner.maxX - x)), x: x, y: y, style: styles("text.dim"))
        }
    }
    if form.fields.contains(where: { $0.label == "Due" }) {
        screen.write("dates: 2027-01-31, +10d, +2w, +3m, eoq", x: inner.x + labelWidth, y: inner.y + form.fields.count, style: styles("text.dim"))
    }
    if form.fields.contains(where: { $0.label == "Proves" }) {
        screen.write(
            TextWidth.truncate("a day (2026-03-31) or a period FROM..TO", to: max(0, inner.maxX - inner.x - labelWidth)),
            x: inner.x + labelWidth, y: inner.y + form.fields.count, style: styles("text.dim"))
    }
    if let error = form.error {
        screen.write(TextWidth.truncate(error, to: inner.width - 1), x: inner.x + 1, y: inner.maxY - 1, style: styles("toast.error"))
    }
    screen.cursor = caret.map { (x: $0.0, y: $0.1) }
}

/// Live counters for the title bar while a meeting is open.
func meetingCounters(_ state: AppState, _ glyphs: Glyphs) -> String? {
    guard let meeting = state.snapshot.meeting else { return nil }
    let unowned = state.index.unownedInScope.count
    let uncovered = state.index.uncoveredCriteria.count
    let counts = state.snapshot.gapCounts
    let bySeverity = Severity.allCases.map { s in "\(s.letter)\(counts.openBySeverity[s] ?? 0)" }.joined(separator: " ")
    let overdue = counts.overdue
    // Counters first: on a narrow screen the meeting's name is what gets cut.
    return
        "unowned \(unowned) \(glyphs.dot) uncovered \(uncovered) \(glyphs.dot) open \(bySeverity) \(glyphs.dot) overdue \(overdue) \(glyphs.dot) meeting: \(meeting)"
}
