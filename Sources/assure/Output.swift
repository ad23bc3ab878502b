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
        let indices =
            keys.map { keys in keys.compactMap { key in table.columns.firstIndex { $0.key == key } } }
            ?? Array(table.columns.indices)
        if table.rows.isEmpty { return "(none)\n" }
        let cells = table.rows.map { row in indices.map { TextWidth.truncate(Sanitize.line(row[$0].plain), to: maxCell) } }
        let headers = indices.map { table.columns[$0].header }
        var widths = headers.map(TextWidth.of)
        for row in cells { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TextWidth.of(cell)) } }
        func line(_ values: [String]) -> String {
            var parts: [String] = []
            for (i, value) in values.enumerated() {
                let last = i == values.count - 1
                let right = table.columns[indices[i]].alignRight
                parts.append(last && !right ? value : TextWidth.pad(value, to: widths[i], alignRight: right))
            }
            return parts.joined(separator: "  ")
        }
        var out = line(headers) + "\n"
        for row in cells { out += line(row) + "\n" }
        return out
    }
}
