import Foundation
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// Columns of a statement's current row, decoded as GRDB decodes them but without a `Row`
/// or a `String` where none is kept: for the few reads that walk tens of thousands of rows
/// (`statusFacts`, `gapsCSV`, `MappedControls`), where GRDB's generic decoding and
/// `init(rawValue:)` on each status were a large part of the time.
enum StatementColumns {
    /// Text as GRDB's `String` reads it (`String(cString:)`: up to a NUL byte, invalid UTF-8
    /// repaired); NULL as "".
    @inline(__always)
    static func string(_ statement: OpaquePointer, _ index: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, index) else { return "" }
        return String(cString: pointer)
    }

    /// Text's bytes up to its first NUL (as `string` reads it), valid until the next step;
    /// nil for NULL.
    @inline(__always)
    static func bytes(_ statement: OpaquePointer, _ index: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer = sqlite3_column_text(statement, index) else { return nil }
        return UnsafeBufferPointer(start: pointer, count: strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)))
    }

    /// Text as `string` reads it, NULL as nil.
    @inline(__always)
    static func optionalString(_ statement: OpaquePointer, _ index: Int32) -> String? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : string(statement, index)
    }

    @inline(__always)
    static func int64(_ statement: OpaquePointer, _ index: Int32) -> Int64? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, index)
    }

    /// The raw values of an enumeration's cases, as bytes, in `allCases` order.
    static func rawBytes<E: CaseIterable & RawRepresentable>(_: E.Type) -> [[UInt8]] where E.RawValue == String {
        E.allCases.map { Array($0.rawValue.utf8) }
    }

    /// The position in `E.allCases` of the case `E(rawValue:)` gives for the column's text (NULL
    /// read as ""), or nil when it gives none. ASCII text equals a raw value only byte for
    /// byte, so it is compared as bytes; other text goes through `init(rawValue:)` itself.
    @inline(__always)
    static func caseIndex<E: CaseIterable & RawRepresentable & Equatable>(
        _ statement: OpaquePointer, _ index: Int32, _ type: E.Type, rawBytes: [[UInt8]]
    ) -> Int? where E.RawValue == String {
        guard let pointer = sqlite3_column_text(statement, index) else { return E(rawValue: "").flatMap { Array(E.allCases).firstIndex(of: $0) } }
        let text = UnsafeBufferPointer(start: pointer, count: strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)))
        if text.contains(where: { $0 >= 0x80 }) {
            return E(rawValue: String(decoding: text, as: UTF8.self)).flatMap { Array(E.allCases).firstIndex(of: $0) }
        }
        // Lengths first: most raw values differ in length, and equal lengths compare by memcmp.
        return rawBytes.firstIndex { raw in
            raw.count == text.count && (text.isEmpty || raw.withUnsafeBufferPointer { memcmp($0.baseAddress!, text.baseAddress!, text.count) == 0 })
        }
    }
}
