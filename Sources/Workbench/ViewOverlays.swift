import Foundation
import TerminalUI

/// The centred box used by help and the palette: cleared, bordered, titled.
func drawBox(_ screen: inout ScreenBuffer, _ rect: Rect, title: String, _ styles: Styles, _ glyphs: Glyphs) {
    screen.fill(rect, with: Cell(" ", style: styles("text")))
    drawBorder(&screen, rect, title: title, focused: true, styles: styles, unicode: glyphs.unicode)
}

/// Every key, generated from the command registry so help can never drift from the bindings.
func helpLines() -> [(key: String, text: String, isSection: Bool)] {
    var lines: [(String, String, Bool)] = []
    for section in CommandRegistry.sections {
        let commands = CommandRegistry.all.filter { $0.section == section }
        guard !commands.isEmpty else { continue }
        if !lines.isEmpty { lines.append(("", "", false)) }
        lines.append((section, "", true))
        for command in commands {
            lines.append((command.keys.isEmpty ? ":" : command.keyLabel, command.title, false))
        }
    }
    lines.append(("", "", false))
    lines.append(("Columns", "", true))
    for definition in PaneRegistry.all where !definition.columns.isEmpty {
        lines.append((definition.title, definition.columnSummary, false))
    }
    lines.append(("", "", false))
    lines.append(("Palette", "", true))
    lines.append((": theme NAME", "Switch to a theme by name (yours in $XDG_CONFIG_HOME/assure/themes)", false))
    return lines
}

func drawHelp(_ screen: inout ScreenBuffer, _ state: AppState, scroll: Int, _ styles: Styles, _ glyphs: Glyphs) {
    let width = min(screen.width - 4, 84)
    let height = screen.height - 4
    guard width > 20, height > 4 else { return }
    let rect = Rect(x: (screen.width - width) / 2, y: 2, width: width, height: height)
    drawBox(&screen, rect, title: "Help · Esc closes · j/k scroll", styles, glyphs)
    let inner = rect.inset(1)
    let keyWidth = min(16, inner.width / 3)
    let lines = wrappedHelpLines(textWidth: inner.width - keyWidth - 3)
    let first = min(scroll, max(0, lines.count - inner.height))
    for (i, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
        let y = inner.y + i
        if line.isSection {
            screen.write(" " + line.key, x: inner.x, y: y, style: styles("pane.title"))
        } else {
            screen.write(" " + TextWidth.pad(line.key, to: keyWidth), x: inner.x, y: y, style: styles("help.key"), maxWidth: inner.width)
            screen.write(line.text, x: inner.x + keyWidth + 2, y: y, style: styles("text"), maxWidth: inner.width - keyWidth - 2)
        }
    }
}

/// Help lines with long descriptions wrapped at word boundaries (never cut mid-word).
func wrappedHelpLines(textWidth: Int) -> [(key: String, text: String, isSection: Bool)] {
    helpLines().flatMap { line -> [(key: String, text: String, isSection: Bool)] in
        guard !line.isSection, TextWidth.of(line.text) > textWidth else { return [line] }
        return wrap(line.text, width: textWidth).enumerated().map { i, text in (i == 0 ? line.key : "", text, false) }
    }
}

/// Splits text into lines of at most `width` columns at spaces; a word longer than a whole line
/// (a path) is broken across lines rather than cut, so nothing is lost.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [text] }
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
        let candidate = current.isEmpty ? word : current + " " + word
        if TextWidth.of(candidate) <= width { current = candidate; continue }
        if !current.isEmpty { lines.append(current) }
        current = ""
        for character in word {
            if TextWidth.of(current + String(character)) > width { lines.append(current); current = "" }
            current.append(character)
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines.isEmpty ? [""] : lines
}

func drawPalette(_ screen: inout ScreenBuffer, _ state: AppState, _ field: TextField, _ selection: Int, _ styles: Styles, _ glyphs: Glyphs) {
    let width = min(screen.width - 4, 72)
    let entries = paletteMatches(field.text)
    let height = min(screen.height - 4, max(4, min(entries.count, 14) + 3))
    guard width > 20 else { return }
    let rect = Rect(x: (screen.width - width) / 2, y: 2, width: width, height: height)
    drawBox(&screen, rect, title: "Commands", styles, glyphs)
    let inner = rect.inset(1)
    screen.write(": ", x: inner.x, y: inner.y, style: styles("prompt"))
    drawInput(&screen, field, x: inner.x + 2, y: inner.y, width: inner.width - 2, styles)
    if let inline = inlineCommand(field.text) {
        screen.write("Enter: \(inline.title)", x: inner.x + 1, y: inner.y + 1, style: styles("text.dim"), maxWidth: inner.width - 1)
        return
    }
    if entries.isEmpty {
        let text = themeArgument(field.text) != nil ? "Enter switches the theme" : "no command matches"
        screen.write(text, x: inner.x + 1, y: inner.y + 1, style: styles("text.dim"), maxWidth: inner.width - 1)
        return
    }
    let rows = inner.height - 1
    let first = ScrollState(selection: selection, count: entries.count).ensureVisible(height: rows).offset
    for (i, command) in entries.dropFirst(first).prefix(rows).enumerated() {
        let y = inner.y + 1 + i
        let line = Rect(x: inner.x, y: y, width: inner.width, height: 1)
        let key = command.keys.isEmpty ? "" : command.keyLabel
        screen.write(" " + TextWidth.truncate(command.title, to: inner.width - TextWidth.of(key) - 3), x: inner.x, y: y, style: styles("text"))
        screen.write(key, x: inner.maxX - TextWidth.of(key) - 1, y: y, style: styles("help.key"))
        if first + i == selection { screen.restyle(line) { _ in styles("row.selected") } }
    }
}

func placeFilterCaret(_ screen: inout ScreenBuffer, _ state: AppState, _ field: TextField, _ layout: ScreenLayout) {
    guard let rect = layout.panes[state.focus] else { return }
    // The filter is shown in the pane title as "/text"; put the caret at its end.
    let line = screen.line(rect.y)
    if let range = line.range(of: "/" + field.text + " ", options: .backwards) {
        let column = TextWidth.of(String(line[..<range.lowerBound])) + 1 + TextWidth.of(String(field.text.prefix(field.caret)))
        screen.cursor = (column, rect.y)
    }
}
