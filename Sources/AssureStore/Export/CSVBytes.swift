import Foundation
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// CSV written as bytes, straight from SQLite's text, for listings too large to build as
/// `Table` values first (`assure gaps --format csv` at 20,000 gaps). The output is byte for
/// byte what `Table.csv()` writes: a cell that `CSV.field` would change (a quote, a comma, a
/// line break, a formula trigger first, or any byte outside ASCII) goes through `CSV.field`
/// itself; only plain ASCII cells, which it returns unchanged, skip it.
struct CSVBytes {
    private(set) var bytes: [UInt8] = []
    private var rowStarted = false

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    /// The header row, as `Table.csv()` writes it.
    mutating func header(_ headers: [String]) {
        for header in headers { text(header) }
        endRow()
    }

    /// A cell from any text.
    mutating func text(_ value: String) {
        separate()
        bytes.append(contentsOf: CSV.field(value).utf8)
    }

    /// A cell whose text is known to need no quoting or prefix (an enumeration's raw value).
    mutating func plain(_ value: String) {
        separate()
        bytes.append(contentsOf: value.utf8)
    }

    /// A cell from column `index` of the current row: NULL and "" are both an empty cell, as
    /// `Value.text(nil).plain` is. The text ends at its first NUL byte and invalid UTF-8 is
    /// repaired, as GRDB's `String(cString:)` decoding does.
    mutating func column(_ statement: OpaquePointer, _ index: Int32) {
        separate()
        guard let pointer = sqlite3_column_text(statement, index) else { return }
        let length = strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        let cell = UnsafeBufferPointer(start: pointer, count: length)
        if Self.isPlain(cell) {
            bytes.append(contentsOf: cell)
        } else {
            bytes.append(contentsOf: CSV.field(String(decoding: cell, as: UTF8.self)).utf8)
        }
    }

    /// The bytes written so far, handed over and cleared (a listing written in pieces).
    mutating func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    mutating func endRow() {
        bytes.append(0x0D)
        bytes.append(0x0A)
        rowStarted = false
    }

    private mutating func separate() {
        if rowStarted { bytes.append(0x2C) } else { rowStarted = true }
    }

    /// ASCII with no comma, quote, CR or LF, and not starting with a formula trigger
    /// (=, +, -, @, tab, CR): text `CSV.field` returns as it is.
    @inline(__always)
    static func isPlain(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        if let first = cell.first, first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D {
            return false
        }
        for byte in cell where byte >= 0x80 || byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return false }
        return true
    }
}
