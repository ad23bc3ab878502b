/// A scrolling list of one-line rows: the base every other widget draws its rows through, so
/// clipping, selection and the scroll bar behave the same everywhere.
public struct ListView: Sendable {
    /// A run of text in one style; nil means the list's own style, so callers only style what
    /// stands out (a match, a key, a dimmed reason).
    public struct Span: Equatable, Sendable {
        public var text: String
        public var style: Style?
        public init(_ text: String, style: Style? = nil) { self.text = text; self.style = style }
    }

    public struct Row: Equatable, Sendable {
        public var spans: [Span]
        public init(spans: [Span]) { self.spans = spans }
        public init(_ text: String, style: Style? = nil) { spans = [Span(text, style: style)] }
        /// The row's text without styles (what a golden shows).
        public var text: String { spans.map(\.text).joined() }
    }

    /// The one-column scroll bar drawn on the right edge when rows overflow.
    public struct Indicator: Equatable, Sendable {
        public var track: String
        public var thumb: String
        public init(track: String, thumb: String) { self.track = track; self.thumb = thumb }
        public static let unicode = Indicator(track: "│", thumb: "█")
        public static let ascii = Indicator(track: "|", thumb: "#")
    }

    public var rows: [Row]
    /// Shown, dimmed, on the first line when there are no rows, so an empty pane says why.
    public var placeholder: String
    public var style: Style
    public var selectedStyle: Style
    public var placeholderStyle: Style
    public var indicatorStyle: Style
    public var indicator: Indicator
    /// False for a list that is on screen but not focused and should not show a cursor.
    public var showsSelection: Bool

    public init(
        rows: [Row], placeholder: String = "", style: Style = .plain,
        selectedStyle: Style = Style(attributes: [.reverse]), placeholderStyle: Style = Style(attributes: [.dim]),
        indicatorStyle: Style = .plain, indicator: Indicator = .unicode, showsSelection: Bool = true
    ) {
        self.rows = rows; self.placeholder = placeholder; self.style = style; self.selectedStyle = selectedStyle
        self.placeholderStyle = placeholderStyle; self.indicatorStyle = indicatorStyle; self.indicator = indicator
        self.showsSelection = showsSelection
    }

    /// A list of plain lines.
    public init(
        lines: [String], placeholder: String = "", style: Style = .plain,
        selectedStyle: Style = Style(attributes: [.reverse]), placeholderStyle: Style = Style(attributes: [.dim]),
        indicatorStyle: Style = .plain, indicator: Indicator = .unicode, showsSelection: Bool = true
    ) {
        self.init(
            rows: lines.map { Row($0) }, placeholder: placeholder, style: style, selectedStyle: selectedStyle,
            placeholderStyle: placeholderStyle, indicatorStyle: indicatorStyle, indicator: indicator,
            showsSelection: showsSelection)
    }

    /// Whether `height` rows are too few, i.e. whether the scroll bar takes the last column.
    public func overflows(height: Int) -> Bool { rows.count > height }

    /// Clears `rect` and draws the visible rows. The scroll state is normalised against the rows
    /// actually given (its `count` is ignored) and returned, so a caller can store what was shown.
    @discardableResult
    public func render(into buffer: inout ScreenBuffer, rect: Rect, scroll: ScrollState) -> ScrollState {
        let shown = ScrollState(selection: scroll.selection, offset: scroll.offset, count: rows.count)
            .ensureVisible(height: rect.height)
        guard !rect.isEmpty else { return shown }
        buffer.fill(rect, with: Cell(" ", style: style))
        if rows.isEmpty {
            buffer.write(placeholder, x: rect.x, y: rect.y, style: placeholderStyle, maxWidth: rect.width)
            return shown
        }
        let overflow = overflows(height: rect.height)
        let contentWidth = rect.width - (overflow ? 1 : 0)
        for (line, index) in shown.visibleRange(height: rect.height).enumerated() {
            let selected = showsSelection && index == shown.selection
            drawRow(rows[index], into: &buffer, x: rect.x, y: rect.y + line, width: contentWidth, selected: selected)
        }
        if overflow {
            let thumb = ListView.thumb(count: rows.count, height: rect.height, offset: shown.offset)
            for line in 0..<rect.height {
                let glyph = thumb.contains(line) ? indicator.thumb : indicator.track
                buffer.write(glyph, x: rect.maxX - 1, y: rect.y + line, style: indicatorStyle, maxWidth: 1)
            }
        }
        return shown
    }

    /// Writes the spans left to right; `write` clips by display width, so a wide character that
    /// would straddle the edge becomes a space instead of spilling into the next pane.
    private func drawRow(_ row: Row, into buffer: inout ScreenBuffer, x: Int, y: Int, width: Int, selected: Bool) {
        guard width > 0 else { return }
        if selected { buffer.fill(Rect(x: x, y: y, width: width, height: 1), with: Cell(" ", style: selectedStyle)) }
        var column = x
        var remaining = width
        for span in row.spans where remaining > 0 {
            var spanStyle = span.style ?? style
            if selected {
                // The bar's colours win, but a span's attributes (an underlined match) survive.
                let attributes = span.style?.attributes ?? []
                spanStyle = selectedStyle
                spanStyle.attributes.formUnion(attributes)
            }
            let written = buffer.write(span.text, x: column, y: y, style: spanStyle, maxWidth: remaining)
            column += written
            remaining -= written
        }
    }

    /// The rows (0..<height) the thumb covers: its size shows how much is visible, and it touches
    /// the top only when the first row is on screen and the bottom only when the last one is, so
    /// the bar never claims "at the end" while rows are still hidden.
    static func thumb(count: Int, height: Int, offset: Int) -> Range<Int> {
        guard count > height, height > 0 else { return 0..<height }
        let size = max(1, height * height / count)
        let travel = height - size
        let hidden = count - height
        let start: Int
        if offset <= 0 || travel == 0 {
            start = 0
        } else if offset >= hidden {
            start = travel
        } else {
            let rounded = (offset * travel + hidden / 2) / hidden
            start = travel >= 2 ? min(travel - 1, max(1, rounded)) : 0
        }
        return start..<start + size
    }
}
