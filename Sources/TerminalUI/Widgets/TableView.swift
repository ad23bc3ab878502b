/// Rows of cells under a header, in columns sized by rule. Cells are cut by display width with
/// an ellipsis so a long or wide (CJK, emoji) value never pushes the next column out of line.
public struct TableView: Sendable {
    /// How a column claims width: `fixed` cells, or a `flexible` share of what fixed columns
    /// leave (shares 2 and 1 split the rest two to one).
    public enum Width: Equatable, Sendable {
        case fixed(Int)
        case flexible(Int)
    }

    public enum Alignment: Equatable, Sendable {
        case left, right
    }

    public struct Column: Equatable, Sendable {
        public var header: String
        public var width: Width
        public var alignment: Alignment
        public init(_ header: String, width: Width, alignment: Alignment = .left) {
            self.header = header; self.width = width; self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// One array of cell strings per row; missing cells are blank, extra ones are ignored.
    public var rows: [[String]]
    public var placeholder: String
    /// "…", or "..." on a terminal without UTF-8.
    public var ellipsis: String
    /// Blank columns between cells.
    public var spacing: Int
    public var style: Style
    public var headerStyle: Style
    public var selectedStyle: Style
    public var placeholderStyle: Style
    public var indicatorStyle: Style
    public var indicator: ListView.Indicator
    public var showsSelection: Bool

    public init(
        columns: [Column], rows: [[String]], placeholder: String = "", ellipsis: String = "…", spacing: Int = 1,
        style: Style = .plain, headerStyle: Style = Style(attributes: [.bold]),
        selectedStyle: Style = Style(attributes: [.reverse]), placeholderStyle: Style = Style(attributes: [.dim]),
        indicatorStyle: Style = .plain, indicator: ListView.Indicator = .unicode, showsSelection: Bool = true
    ) {
        self.columns = columns; self.rows = rows; self.placeholder = placeholder; self.ellipsis = ellipsis
        self.spacing = max(0, spacing); self.style = style; self.headerStyle = headerStyle
        self.selectedStyle = selectedStyle; self.placeholderStyle = placeholderStyle
        self.indicatorStyle = indicatorStyle; self.indicator = indicator; self.showsSelection = showsSelection
    }

    /// Column widths for a table `width` cells wide. Fixed columns are served first, left to
    /// right, while room lasts; flexible ones split the rest by share, the leftover cells of the
    /// division going to the leftmost. The widths plus spacing never exceed `width`.
    public static func widths(_ columns: [Column], width: Int, spacing: Int = 1) -> [Int] {
        guard !columns.isEmpty else { return [] }
        var room = max(0, width - spacing * (columns.count - 1))
        var result = Array(repeating: 0, count: columns.count)
        for (i, column) in columns.enumerated() {
            if case .fixed(let n) = column.width {
                result[i] = min(max(0, n), room)
                room -= result[i]
            }
        }
        let shares = columns.map { column -> Int in
            if case .flexible(let share) = column.width { return max(0, share) }
            return 0
        }
        let totalShares = shares.reduce(0, +)
        guard totalShares > 0 else { return result }
        var given = 0
        for i in columns.indices where shares[i] > 0 {
            result[i] = room * shares[i] / totalShares
            given += result[i]
        }
        for i in columns.indices where shares[i] > 0 && given < room {
            result[i] += 1
            given += 1
        }
        return result
    }

    /// One cell cut to `width` with the ellipsis and padded on the side its alignment asks.
    public static func cell(_ text: String, width: Int, alignment: Alignment, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let cut = TextWidth.truncate(text, to: width, ellipsis: ellipsis)
        let fill = String(repeating: " ", count: max(0, width - TextWidth.of(cut)))
        return alignment == .right ? fill + cut : cut + fill
    }

    /// A whole line of cells laid out in `widths`.
    func line(_ cells: [String], widths: [Int]) -> String {
        let separator = String(repeating: " ", count: spacing)
        var parts: [String] = []
        for (i, column) in columns.enumerated() {
            let text = i < cells.count ? cells[i] : ""
            parts.append(TableView.cell(text, width: widths[i], alignment: column.alignment, ellipsis: ellipsis))
        }
        return parts.joined(separator: separator)
    }

    /// Draws the header on the first line of `rect` and the rows under it. The scroll state
    /// counts body rows only; the normalised state is returned.
    @discardableResult
    public func render(into buffer: inout ScreenBuffer, rect: Rect, scroll: ScrollState) -> ScrollState {
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        // The scroll bar takes the last column of the body; the header gives it up too so
        // headers stay above their cells.
        let overflow = rows.count > body.height
        let widths = TableView.widths(columns, width: rect.width - (overflow ? 1 : 0), spacing: spacing)
        if !rect.isEmpty {
            buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), with: Cell(" ", style: headerStyle))
            buffer.write(line(columns.map(\.header), widths: widths), x: rect.x, y: rect.y, style: headerStyle, maxWidth: rect.width)
        }
        let list = ListView(
            rows: rows.map { ListView.Row(line($0, widths: widths)) }, placeholder: placeholder, style: style,
            selectedStyle: selectedStyle, placeholderStyle: placeholderStyle, indicatorStyle: indicatorStyle,
            indicator: indicator, showsSelection: showsSelection)
        return list.render(into: &buffer, rect: body, scroll: scroll)
    }
}
