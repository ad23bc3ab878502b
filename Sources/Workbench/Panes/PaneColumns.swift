import AssureModel
import TerminalUI

/// A column of a pane whose rows are a table. The pane declares its columns and what each row
/// holds in them; `drawColumns` lays every such pane out by the same rules, and help lists the
/// columns. Trees, timelines, grids and bars (requirements, evidence, the heat map, frameworks)
/// draw their own rows.
public struct PaneColumn: Sendable {
    public enum Width: Sendable {
        /// Exactly this many cells.
        case fixed(Int)
        /// A share of what the other columns leave (the title, usually).
        case flexible(Int)
        /// As wide as this row's text: a right-hand flag ("review overdue", "3/12").
        case fit
        /// Worked out from the state (the longest reference in the workspace).
        case measured(@Sendable (AppState) -> Int)
    }

    public var header: String
    public var width: Width
    public var alignment: TableView.Alignment
    /// The narrowest row that shows it: a narrow pane drops its least needed columns first.
    public var minimumWidth: Int

    public init(_ header: String, _ width: Width, alignment: TableView.Alignment = .left, from minimumWidth: Int = 0) {
        self.header = header; self.width = width; self.alignment = alignment; self.minimumWidth = minimumWidth
    }
}

/// One cell of a row: its text and the theme token it is drawn in.
public struct PaneCell: Equatable, Sendable {
    public var text: String
    public var style: String
    public init(_ text: String, _ style: String = "text") { self.text = text; self.style = style }
}

/// Draws row `row` of a pane that declares columns: the mark slot (Space marks rows for a bulk
/// edit), then the columns the row's width allows, one blank between them, each cell cut with
/// an ellipsis and padded on its alignment's side.
func drawColumns(
    _ screen: inout ScreenBuffer, _ state: AppState, _ definition: PaneDefinition, _ row: Int, _ line: Rect, _ styles: Styles,
    _ glyphs: Glyphs
) {
    guard let cellsOf = definition.cells else { return }
    let marked = definition.rowKey(state, row).map { state.marked[definition.pane]?.contains($0) == true } ?? false
    if marked { screen.write(glyphs.unicode ? "▌" : ">", x: line.x, y: line.y, style: styles("row.marked")) }
    let cells = cellsOf(state, row, glyphs)
    let shown = definition.columns.indices.filter { line.width >= definition.columns[$0].minimumWidth }
    let layout = shown.map { i -> TableView.Column in
        let column = definition.columns[i]
        switch column.width {
        case .fixed(let n): return TableView.Column(column.header, width: .fixed(n), alignment: column.alignment)
        case .flexible(let share): return TableView.Column(column.header, width: .flexible(share), alignment: column.alignment)
        case .fit:
            let text = cells.indices.contains(i) ? cells[i].text : ""
            return TableView.Column(column.header, width: .fixed(TextWidth.of(text)), alignment: column.alignment)
        case .measured(let measure): return TableView.Column(column.header, width: .fixed(measure(state)), alignment: column.alignment)
        }
    }
    let widths = TableView.widths(layout, width: max(0, line.width - 1), spacing: 1)
    let ellipsis = glyphs.unicode ? "…" : "..."
    var x = line.x + 1
    for (n, i) in shown.enumerated() where widths[n] > 0 {
        let cell = cells.indices.contains(i) ? cells[i] : PaneCell("")
        let text = TableView.cell(cell.text, width: widths[n], alignment: layout[n].alignment, ellipsis: ellipsis)
        screen.write(text, x: x, y: line.y, style: styles(cell.style), maxWidth: line.maxX - x)
        x += widths[n] + 1
    }
}

extension PaneRegistry {
    /// The README's column table, from the same declarations the panes draw with.
    public static func markdownColumnTable() -> String {
        var out = "| pane | columns (narrow panes drop those shown from a width) |\n| --- | --- |\n"
        for definition in all where !definition.columns.isEmpty {
            out += "| \(definition.pane.key) \(definition.title) | \(definition.columnSummary) |\n"
        }
        return out
    }
}

extension PaneDefinition {
    /// "ref, title, owner (from 60 wide)": the columns as help lists them.
    var columnSummary: String {
        columns.map { $0.minimumWidth > 0 ? "\($0.header) (from \($0.minimumWidth) wide)" : $0.header }.joined(separator: ", ")
    }
}
