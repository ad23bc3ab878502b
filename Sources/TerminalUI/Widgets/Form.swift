/// A small typed form: labelled fields, one focused at a time, validated as a whole on submit.
/// Pure state plus a render function, so a dialog is tested key by key without a terminal.
public struct FormModel: Equatable, Sendable {
    /// A caller's check on a non-empty value: an error message, or nil when it is fine.
    /// Compared by `name` (closures cannot be), which is what keeps the form `Equatable`.
    public struct Validator: Equatable, Sendable {
        public let name: String
        public let check: @Sendable (String) -> String?
        public init(_ name: String, _ check: @escaping @Sendable (String) -> String?) { self.name = name; self.check = check }
        public static func == (a: Validator, b: Validator) -> Bool { a.name == b.name }
    }

    public enum Kind: Equatable, Sendable {
        case text
        /// Free text checked by the validator (the toolkit does not know date formats).
        case date(Validator)
        /// One of the options, cycled with ←/→.
        case choice([String])
        /// Typed text with fuzzy suggestions from the options. `unknown` is the error for a value
        /// that is not an option; nil lets new values through.
        case picker([String], unknown: String?)
    }

    public struct Field: Equatable, Sendable {
        /// Names the field in `values()` and `validate()`.
        public var key: String
        public var label: String
        public var kind: Kind
        /// What is typed (text, date, picker).
        public var input: TextField
        /// The chosen option (choice).
        public var choice: Int
        /// The highlighted suggestion (picker).
        public var suggestion: ScrollState
        /// The error for an empty value; nil makes the field optional.
        public var requiredMessage: String?

        public init(key: String, label: String, kind: Kind = .text, value: String = "", required: String? = nil) {
            self.key = key; self.label = label; self.kind = kind; requiredMessage = required
            input = TextField(text: value)
            suggestion = ScrollState()
            if case .choice(let options) = kind { choice = options.firstIndex(of: value) ?? 0 } else { choice = 0 }
        }

        /// The value as submitted: the chosen option, or the typed text without outer blanks.
        public var value: String {
            if case .choice(let options) = kind { return options.indices.contains(choice) ? options[choice] : "" }
            return trimmed(input.text)
        }

        /// Picker options matching the input, best first; none once the input names an option,
        /// so an accepted value stops offering itself.
        public var suggestions: [String] {
            guard case .picker(let options, _) = kind, !options.contains(value) else { return [] }
            return Picker.matches(input.text, in: options).map { options[$0.index] }
        }

        /// This field's error, or nil.
        public func error() -> String? {
            let value = self.value
            if value.isEmpty { return requiredMessage }
            switch kind {
            case .text, .choice: return nil
            case .date(let validator): return validator.check(value)
            case .picker(let options, let unknown): return options.contains(value) ? nil : unknown
            }
        }
    }

    public enum Outcome: Equatable, Sendable {
        case handled, ignored, cancelled
        /// Submit was asked for but some field is wrong: `errors` says which, focus is on the first.
        case rejected
        /// Every field is valid: the values by key.
        case submitted([String: String])
    }

    public var title: String
    public var fields: [Field]
    public var focus: Int
    /// Errors shown under their fields, by key; set on submit, cleared as a field is edited.
    public var errors: [String: String]
    /// How many picker suggestions show under a focused picker field.
    public var suggestionLimit: Int

    public init(title: String, fields: [Field], focus: Int = 0, suggestionLimit: Int = 5) {
        self.title = title; self.fields = fields; self.focus = max(0, min(focus, fields.count - 1))
        errors = [:]; self.suggestionLimit = max(1, suggestionLimit)
    }

    public func values() -> [String: String] {
        Dictionary(fields.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every field's error, by key; empty when the form can be submitted.
    public func validate() -> [String: String] {
        var result: [String: String] = [:]
        for field in fields { if result[field.key] == nil, let error = field.error() { result[field.key] = error } }
        return result
    }

    /// Validates, shows the errors and focuses the first wrong field; the values when all pass.
    public mutating func submit() -> [String: String]? {
        errors = validate()
        if let first = fields.firstIndex(where: { errors[$0.key] != nil }) {
            focus = first
            return nil
        }
        return values()
    }

    /// Tab/S-Tab cycle focus, ↑/↓ move it (or the suggestion in a picker), ←/→ cycle a choice,
    /// Enter takes the highlighted suggestion (Tab keeps the typed text instead) and moves on,
    /// submitting from the last field; ctrl-s submits from anywhere, Esc cancels, and other keys
    /// edit the focused text.
    @discardableResult
    public mutating func handle(_ key: Key) -> Outcome {
        guard !fields.isEmpty else { return key == .escape ? .cancelled : .ignored }
        // `focus` is public; a caller's out-of-range value must not crash a key press.
        focus = min(max(0, focus), fields.count - 1)
        let suggestions = fields[focus].suggestions
        switch key {
        case .escape: return .cancelled
        case .ctrl("s"): return finish()
        case .tab: focus = (focus + 1) % fields.count
        case .backTab: focus = (focus + fields.count - 1) % fields.count
        case .up where !suggestions.isEmpty: moveSuggestion(by: -1, count: suggestions.count)
        case .down where !suggestions.isEmpty: moveSuggestion(by: 1, count: suggestions.count)
        case .up: focus = max(0, focus - 1)
        case .down: focus = min(fields.count - 1, focus + 1)
        case .enter:
            if !suggestions.isEmpty {
                let index = ScrollState(selection: fields[focus].suggestion.selection, count: suggestions.count).clamped().selection
                edit { $0.input = TextField(text: suggestions[index]) }
            }
            if focus == fields.count - 1 { return finish() }
            focus += 1
        case .left, .right:
            if case .choice(let options) = fields[focus].kind {
                guard !options.isEmpty else { return .handled }
                let step = key == .right ? 1 : options.count - 1
                edit { $0.choice = ($0.choice + step) % options.count }
            } else {
                edit { _ = $0.input.handle(key) }
            }
        default:
            if case .choice = fields[focus].kind { return .ignored }
            var handled = false
            edit { handled = $0.input.handle(key) }
            if !handled { return .ignored }
        }
        return .handled
    }

    /// Pasted text goes into the focused text field (a choice ignores it).
    public mutating func paste(_ text: String) {
        guard fields.indices.contains(focus) else { return }
        if case .choice = fields[focus].kind { return }
        edit { $0.input.insert(text) }
    }

    private mutating func finish() -> Outcome {
        submit().map { .submitted($0) } ?? .rejected
    }

    /// Changes the focused field. When its text or choice changed, its error goes (it may be
    /// fixed now) and the suggestion cursor returns to the best match for the new text.
    private mutating func edit(_ change: (inout Field) -> Void) {
        let before = (fields[focus].input.text, fields[focus].choice)
        change(&fields[focus])
        guard (fields[focus].input.text, fields[focus].choice) != before else { return }
        errors[fields[focus].key] = nil
        fields[focus].suggestion = ScrollState()
    }

    private mutating func moveSuggestion(by delta: Int, count: Int) {
        var state = fields[focus].suggestion
        state.count = count
        fields[focus].suggestion = state.move(by: delta, height: suggestionLimit)
    }
}

// MARK: - Drawing

extension FormModel {
    /// Border, glyphs and styles of the popup; `ascii` for terminals without UTF-8.
    public struct Glyphs: Equatable, Sendable {
        public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: String
        /// Around a choice's value, hinting that ←/→ change it.
        public var previous, next: String
        public var ellipsis: String
        public static let unicode = Glyphs(
            horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
            previous: "‹", next: "›", ellipsis: "…")
        public static let ascii = Glyphs(
            horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
            previous: "<", next: ">", ellipsis: "...")
    }

    public struct Appearance: Equatable, Sendable {
        public var border: Style
        public var title: Style
        public var label: Style
        public var focusedLabel: Style
        /// The input area, styled even when empty so the user sees where to type.
        public var value: Style
        public var focusedValue: Style
        public var error: Style
        public var suggestion: Style
        public var selectedSuggestion: Style
        public var glyphs: Glyphs

        public init(
            border: Style = .plain, title: Style = Style(attributes: [.bold]), label: Style = .plain,
            focusedLabel: Style = Style(attributes: [.bold]), value: Style = Style(attributes: [.underline]),
            focusedValue: Style = Style(attributes: [.reverse]), error: Style = Style(attributes: [.bold]),
            suggestion: Style = Style(attributes: [.dim]), selectedSuggestion: Style = Style(attributes: [.reverse]),
            glyphs: Glyphs = .unicode
        ) {
            self.border = border; self.title = title; self.label = label; self.focusedLabel = focusedLabel
            self.value = value; self.focusedValue = focusedValue; self.error = error; self.suggestion = suggestion
            self.selectedSuggestion = selectedSuggestion; self.glyphs = glyphs
        }
    }

    /// A line inside the popup.
    enum Line: Equatable {
        case field(Int)
        case error(Int, String)
        /// The suggestion at this index of the focused field's `suggestions`.
        case suggestion(Int, Int)

        var field: Int {
            switch self {
            case .field(let i), .error(let i, _), .suggestion(let i, _): return i
            }
        }
    }

    /// Each field's line, its error under it, and under the focused picker its suggestions.
    func lines() -> [Line] {
        var result: [Line] = []
        for (i, field) in fields.enumerated() {
            result.append(.field(i))
            if let error = errors[field.key] { result.append(.error(i, error)) }
            let suggestions = field.suggestions
            if i == focus, !suggestions.isEmpty {
                let state = ScrollState(selection: field.suggestion.selection, offset: field.suggestion.offset, count: suggestions.count)
                    .ensureVisible(height: suggestionLimit)
                result += state.visibleRange(height: suggestionLimit).map { .suggestion(i, $0) }
            }
        }
        return result
    }

    /// Rows the popup needs to show every line: the lines plus the border.
    public var preferredHeight: Int { lines().count + 2 }

    /// Draws the form as a bordered popup filling `rect`: title on the top border, labels in a
    /// column, values beside them. When the fields do not fit, the lines scroll to keep the
    /// focused field (and its suggestions) in view. The terminal cursor goes to the caret.
    public func render(into buffer: inout ScreenBuffer, rect: Rect, appearance: Appearance = Appearance()) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        let glyphs = appearance.glyphs
        buffer.fill(rect, with: Cell(" ", style: appearance.label))
        drawFrame(into: &buffer, rect, appearance)
        let inner = rect.inset(1)
        // One blank column inside each side of the border.
        let contentX = inner.x + 1
        let contentWidth = inner.width - 2
        guard contentWidth >= 3 else { return }
        let labelWidth = min(fields.map { TextWidth.of($0.label) }.max() ?? 0, contentWidth / 3)
        let valueX = contentX + labelWidth + 1
        let valueWidth = contentX + contentWidth - valueX

        let all = lines()
        var window = ScrollState(selection: all.lastIndex { $0.field == focus } ?? 0, count: all.count).ensureVisible(height: inner.height)
        window.selection = all.firstIndex(of: .field(focus)) ?? 0
        window = window.ensureVisible(height: inner.height)
        for (row, index) in window.visibleRange(height: inner.height).enumerated() {
            let y = inner.y + row
            switch all[index] {
            case .field(let i):
                let field = fields[i]
                let focused = i == focus
                let label = TextWidth.truncate(field.label, to: labelWidth, ellipsis: glyphs.ellipsis)
                buffer.write(label, x: contentX, y: y, style: focused ? appearance.focusedLabel : appearance.label, maxWidth: labelWidth)
                let style = focused ? appearance.focusedValue : appearance.value
                buffer.fill(Rect(x: valueX, y: y, width: valueWidth, height: 1), with: Cell(" ", style: style))
                if case .choice = field.kind {
                    let shown = TextWidth.truncate(field.value, to: valueWidth - 2 * TextWidth.of(glyphs.previous + " "), ellipsis: glyphs.ellipsis)
                    buffer.write(glyphs.previous + " " + shown + " " + glyphs.next, x: valueX, y: y, style: style, maxWidth: valueWidth)
                } else if focused {
                    // Long input scrolls around the caret rather than being cut.
                    let shown = field.input.window(width: valueWidth)
                    buffer.write(shown.visible, x: valueX, y: y, style: style, maxWidth: valueWidth)
                    buffer.cursor = (valueX + shown.caretColumn, y)
                } else {
                    // At rest a value reads best from its start, marked when there is more.
                    let shown = TextWidth.truncate(field.input.text, to: valueWidth, ellipsis: glyphs.ellipsis)
                    buffer.write(shown, x: valueX, y: y, style: style, maxWidth: valueWidth)
                }
            case .error(_, let message):
                let text = TextWidth.truncate(message, to: valueWidth, ellipsis: glyphs.ellipsis)
                buffer.write(text, x: valueX, y: y, style: appearance.error, maxWidth: valueWidth)
            case .suggestion(let i, let k):
                let selected = k == ScrollState(selection: fields[i].suggestion.selection, count: fields[i].suggestions.count).clamped().selection
                let style = selected ? appearance.selectedSuggestion : appearance.suggestion
                let text = TextWidth.truncate(fields[i].suggestions[k], to: valueWidth, ellipsis: glyphs.ellipsis)
                buffer.fill(Rect(x: valueX, y: y, width: valueWidth, height: 1), with: Cell(" ", style: style))
                buffer.write(text, x: valueX, y: y, style: style, maxWidth: valueWidth)
            }
        }
    }

    private func drawFrame(into buffer: inout ScreenBuffer, _ rect: Rect, _ appearance: Appearance) {
        let g = appearance.glyphs
        let horizontal = String(repeating: g.horizontal, count: rect.width - 2)
        buffer.write(g.topLeft + horizontal + g.topRight, x: rect.x, y: rect.y, style: appearance.border)
        buffer.write(g.bottomLeft + horizontal + g.bottomRight, x: rect.x, y: rect.maxY - 1, style: appearance.border)
        for y in rect.y + 1..<rect.maxY - 1 {
            buffer.write(g.vertical, x: rect.x, y: y, style: appearance.border)
            buffer.write(g.vertical, x: rect.maxX - 1, y: y, style: appearance.border)
        }
        guard !title.isEmpty, rect.width > 6 else { return }
        let text = " " + TextWidth.truncate(title, to: rect.width - 6, ellipsis: g.ellipsis) + " "
        buffer.write(text, x: rect.x + 2, y: rect.y, style: appearance.title, maxWidth: rect.width - 4)
    }
}

extension TextField {
    /// The part of the text shown in a box `width` columns wide, and the caret's column in it.
    /// Long text scrolls by half a box at a time, so the caret always stays inside and the text
    /// does not jump on every key.
    public func window(width: Int) -> (visible: String, caretColumn: Int) {
        guard width > 0 else { return ("", 0) }
        let characters = Array(text)
        let caretColumn = TextWidth.of(String(characters.prefix(caret)))
        var skip = 0
        if caretColumn >= width {
            let step = max(1, width / 2)
            skip = ((caretColumn - width) / step + 1) * step
        }
        // Whole characters are dropped, so a wide one straddling the left edge goes entirely.
        var start = 0
        var dropped = 0
        while start < characters.count, dropped < skip {
            dropped += TextWidth.of(characters[start])
            start += 1
        }
        var visible = ""
        var used = 0
        for character in characters[start...] {
            let w = TextWidth.of(character)
            if used + w > width { break }
            visible.append(character)
            used += w
        }
        return (visible, caretColumn - dropped)
    }
}
