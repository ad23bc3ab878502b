/// Choose one value from a list by typing part of it: a query line over the options that match
/// it fuzzily, best first. Optionally the last row offers to create the typed value, so a
/// caller can accept new values without a separate prompt.
public struct Picker: Equatable, Sendable {
    /// A row of the filtered list.
    public enum Entry: Equatable, Sendable {
        /// `options[index]`.
        case option(Int)
        /// The trimmed query, to be created by the caller.
        case create(String)
    }

    public enum Outcome: Equatable, Sendable {
        case handled, ignored, cancelled
        case chosen(Entry)
    }

    public var options: [String]
    public var query: TextField
    /// Indexes `entries`.
    public var scroll: ScrollState
    /// Text in front of the query on the create row (e.g. "create new: "); nil offers no row.
    public var createLabel: String?

    public init(options: [String], query: String = "", createLabel: String? = nil) {
        self.options = options; self.query = TextField(text: query); self.createLabel = createLabel
        scroll = ScrollState()
    }

    /// Options matching `query`, best first, with the matched character offsets. An empty query
    /// keeps the caller's order (fuzzy scores would otherwise sort by length).
    public static func matches(_ query: String, in options: [String]) -> [(index: Int, positions: [Int])] {
        if trimmed(query).isEmpty { return options.indices.map { ($0, []) } }
        return Fuzzy.rank(query, options).map { ($0.index, $0.match.positions) }
    }

    /// The matching options, then the create row when the query names no option exactly
    /// (ignoring case, so "dana" does not offer a second "Dana").
    public var entries: [Entry] {
        var result = Picker.matches(query.text, in: options).map { Entry.option($0.index) }
        let typed = trimmed(query.text)
        if createLabel != nil, !typed.isEmpty, !options.contains(where: { $0.lowercased() == typed.lowercased() }) {
            result.append(.create(typed))
        }
        return result
    }

    public var selected: Entry? {
        let all = entries
        let state = ScrollState(selection: scroll.selection, count: all.count).clamped()
        return all.isEmpty ? nil : all[state.selection]
    }

    /// The text a row shows.
    public func label(_ entry: Entry) -> String {
        switch entry {
        case .option(let index): return options[index]
        case .create(let text): return (createLabel ?? "") + text
        }
    }

    /// Keys for a list `height` rows tall: arrows (or ctrl-p/ctrl-n) move, Enter chooses, Esc
    /// cancels, everything else edits the query and sends the cursor back to the best match.
    @discardableResult
    public mutating func handle(_ key: Key, height: Int) -> Outcome {
        let count = entries.count
        var state = scroll
        state.count = count
        switch key {
        case .up, .ctrl("p"): scroll = state.move(by: -1, height: height)
        case .down, .ctrl("n"): scroll = state.move(by: 1, height: height)
        case .pageUp: scroll = state.pageUp(height: height)
        case .pageDown: scroll = state.pageDown(height: height)
        case .enter: return selected.map { .chosen($0) } ?? .handled
        case .escape: return .cancelled
        default:
            let before = query.text
            guard query.handle(key) else { return .ignored }
            if query.text != before { scroll = ScrollState(count: entries.count) }
        }
        return .handled
    }

    public mutating func paste(_ text: String) {
        query.insert(text)
        scroll = ScrollState(count: entries.count)
    }

    /// Draws `prompt` and the query on the first line of `rect` (placing the terminal cursor at
    /// the caret) and the entries under it through `list`, which supplies the styles and the
    /// placeholder for "nothing matches". Matched characters get `matchStyle`.
    @discardableResult
    public func render(
        into buffer: inout ScreenBuffer, rect: Rect, prompt: String = "> ", promptStyle: Style = .plain,
        matchStyle: Style = Style(attributes: [.underline]), list: ListView = ListView(rows: [])
    ) -> ScrollState {
        guard !rect.isEmpty else { return scroll }
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), with: Cell(" ", style: promptStyle))
        let promptWidth = buffer.write(prompt, x: rect.x, y: rect.y, style: promptStyle, maxWidth: rect.width)
        let window = query.window(width: rect.width - promptWidth)
        buffer.write(window.visible, x: rect.x + promptWidth, y: rect.y, style: promptStyle, maxWidth: rect.width - promptWidth)
        if rect.width - promptWidth > 0 { buffer.cursor = (rect.x + promptWidth + window.caretColumn, rect.y) }

        var positions: [Int: [Int]] = [:]
        for match in Picker.matches(query.text, in: options) { positions[match.index] = match.positions }
        var view = list
        view.rows = entries.map { entry in
            switch entry {
            case .option(let index): return Picker.highlighted(options[index], positions[index] ?? [], matchStyle)
            case .create: return ListView.Row(label(entry))
            }
        }
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        return view.render(into: &buffer, rect: body, scroll: scroll)
    }

    /// Splits `text` into spans so the characters at `positions` stand out.
    static func highlighted(_ text: String, _ positions: [Int], _ matchStyle: Style) -> ListView.Row {
        let marked = Set(positions)
        var spans: [ListView.Span] = []
        for (offset, character) in text.enumerated() {
            let style: Style? = marked.contains(offset) ? matchStyle : nil
            if let last = spans.last, last.style == style {
                spans[spans.count - 1].text.append(character)
            } else {
                spans.append(ListView.Span(String(character), style: style))
            }
        }
        return ListView.Row(spans: spans)
    }
}

/// `text` without leading and trailing whitespace; pure Swift so the toolkit needs no Foundation.
func trimmed(_ text: String) -> String {
    guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
    return String(text[first...last])
}
