import AssureStore
import TerminalUI

/// Prints a listing in the chosen format. Tables align by display width (CJK-safe) and cut
/// long cells with an ellipsis so each row stays on one line.
enum Output {
    static func print(_ table: Table, format: OutputFormat, tableColumns: [String]? = nil, maxCell: Int = 60) {
        switch format {
        case .csv: Swift.print(table.csv(), terminator: "")
        case .json: Swift.print(table.json(), terminator: "")
        case .table: Swift.print(text(table, columns: tableColumns, maxCell: maxCell), terminator: "")
        }
    }

    static func text(_ table: Table, columns keys: [String]?, maxCell: Int) -> String {
        if table.rows.isEmpty { return "(none)\n" }
        let layout = TextLayout(table.columns, keys: keys, maxCell: maxCell)
        let cells = table.rows.map(layout.cells)
        let widths = layout.widths(cells)
        var out = layout.line(layout.headers, widths: widths) + "\n"
        for row in cells { out += layout.line(row, widths: widths) + "\n" }
        return out
    }
}

/// How a table is laid out as text: which columns, each cell made printable and cut to
/// `maxCell`, columns padded to their widest cell by display width.
struct TextLayout {
    let columns: [Table.Column]
    let indices: [Int]
    let maxCell: Int

    init(_ columns: [Table.Column], keys: [String]?, maxCell: Int) {
        self.columns = columns
        self.maxCell = maxCell
        indices = keys.map { keys in keys.compactMap { key in columns.firstIndex { $0.key == key } } } ?? Array(columns.indices)
    }

    var headers: [String] { indices.map { columns[$0].header } }

    func cells(_ row: [Value]) -> [String] { indices.map { TextWidth.truncate(Sanitize.line(row[$0].plain), to: maxCell) } }

    /// The widest of the headers and `rows`, column by column.
    func widths(_ rows: [[String]]) -> [Int] {
        var widths = headers.map(TextWidth.of)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TextWidth.of(cell)) } }
        return widths
    }

    /// Whether column `i` (of those shown) is padded: all but a last, left-aligned one.
    func isPadded(_ i: Int) -> Bool { i < indices.count - 1 || columns[indices[i]].alignRight }

    func line(_ values: [String], widths: [Int]) -> String {
        var parts: [String] = []
        for (i, value) in values.enumerated() {
            parts.append(isPadded(i) ? TextWidth.pad(value, to: widths[i], alignRight: columns[indices[i]].alignRight) : value)
        }
        return parts.joined(separator: "  ")
    }
}
