import AssureStore
import Foundation
import TerminalUI

/// Writes a listing as its rows are read, so a listing of any length (a million change-log
/// rows) needs the memory of a few thousand rows, not of all of them. CSV and JSON come out in
/// exactly the bytes `Table.csv()` and `Table.json()` make. A text table needs its column
/// widths before its first line: they are taken from the first `widthWindow` rows, so a
/// listing of up to that many rows prints exactly as `Output.text` prints it; in a longer
/// one, a later cell wider than its column is cut to the column with an ellipsis (a
/// right-aligned number never is: its column can be widened in advance, `minimumWidths`).
final class ListingStream {
    static let widthWindow = 2_000

    private let format: OutputFormat
    private let columns: [Table.Column]
    private let layout: TextLayout
    /// Text rows held until the window is full and the widths are known.
    private var held: [[String]] = []
    private var widths: [Int]?
    private var rows = 0
    private var buffer = ""
    /// Text columns at least this wide, by key, whatever the first rows hold.
    private let minimumWidths: [String: Int]

    init(
        format: OutputFormat, columns: [Table.Column], tableColumns: [String]? = nil, maxCell: Int = 60,
        minimumWidths: [String: Int] = [:]
    ) {
        self.format = format
        self.columns = columns
        self.minimumWidths = minimumWidths
        layout = TextLayout(columns, keys: tableColumns, maxCell: maxCell)
        if format == .csv { emit(Table.csvHeader(columns)) }
    }

    func add(_ row: [Value]) {
        defer { rows += 1 }
        switch format {
        case .csv: emit(Table.csvLine(row))
        case .json: emit(Table.jsonRow(columns, row, first: rows == 0))
        case .table:
            let cells = layout.cells(row)
            guard let widths else {
                held.append(cells)
                if held.count == Self.widthWindow { release(more: true) }
                return
            }
            emit(layout.line(fitted(cells, widths), widths: widths) + "\n")
        }
    }

    /// Writes what is held and the end of the listing, then flushes.
    func finish() {
        switch format {
        case .csv: break
        case .json: emit(Table.jsonEnd(empty: rows == 0))
        case .table: if rows == 0 { emit("(none)\n") } else if widths == nil { release(more: false) }
        }
        flush()
    }

    /// The widths from the rows held; the header and those rows written. `more`: rows may
    /// follow, so the minimum widths apply; a listing that ended within the window is printed
    /// exactly as `Output.text` prints it.
    private func release(more: Bool) {
        let widths =
            more
            ? zip(layout.widths(held), layout.indices).map { width, index in max(width, minimumWidths[columns[index].key] ?? 0) }
            : layout.widths(held)
        self.widths = widths
        emit(layout.line(layout.headers, widths: widths) + "\n")
        for cells in held { emit(layout.line(cells, widths: widths) + "\n") }
        held = []
    }

    /// A later row's padded cells cut to their columns.
    private func fitted(_ cells: [String], _ widths: [Int]) -> [String] {
        cells.enumerated().map { i, cell in
            layout.isPadded(i) && !columns[layout.indices[i]].alignRight ? TextWidth.truncate(cell, to: widths[i]) : cell
        }
    }

    private func emit(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    private func flush() {
        if buffer.isEmpty { return }
        Output.write(Array(buffer.utf8))
        buffer = ""
    }
}
