import AssureStore
import CSQLiteSession
import Foundation
import GRDB

/// SQLite's result, operation and type codes (sqlite3.h), as the session wrappers return them.
private enum SQLiteCode {
    static let ok: Int32 = 0
    static let row: Int32 = 100
    static let done: Int32 = 101
    static let insert: Int32 = 18
    static let delete: Int32 = 9
    static let integer: Int32 = 1
    static let float: Int32 = 2
    static let text: Int32 = 3
    static let blob: Int32 = 4
}

/// Records the rows one write transaction changes, with SQLite's session extension, and reads
/// them back as `RowChange`s when the write is about to commit.
final class ChangeCapture {
    private var session: UnsafeMutableRawPointer?

    init(_ db: Database) throws {
        var created: UnsafeMutableRawPointer?
        let status = assure_session_begin(UnsafeMutableRawPointer(db.sqliteConnection), &created)
        guard status == SQLiteCode.ok, let created else { throw ServerError.server("cannot record the write's changes (SQLite session: \(status))") }
        session = created
    }

    /// Every row changed so far, table by table, each row once with its net change.
    func changes(shapes: [String: TableShape]) throws -> [RowChange] {
        guard let session else { return [] }
        var size: Int32 = 0
        var buffer: UnsafeMutableRawPointer?
        let status = assure_session_changeset(session, &size, &buffer)
        guard status == SQLiteCode.ok else { throw ServerError.server("cannot read the write's changes (SQLite session: \(status))") }
        defer { assure_free(buffer) }
        guard size > 0, let buffer else { return [] }
        var iterator: UnsafeMutableRawPointer?
        guard assure_changeset_start(&iterator, size, buffer) == SQLiteCode.ok, let iterator else {
            throw ServerError.server("cannot walk the write's changes")
        }
        defer { assure_changeset_finalize(iterator) }
        var changes: [RowChange] = []
        while true {
            let step = assure_changeset_next(iterator)
            if step == SQLiteCode.done { break }
            guard step == SQLiteCode.row else { throw ServerError.server("cannot walk the write's changes (SQLite: \(step))") }
            var tableName: UnsafePointer<CChar>?
            var columnCount: Int32 = 0
            var code: Int32 = 0
            assure_changeset_op(iterator, &tableName, &columnCount, &code)
            let table = tableName.map { String(cString: $0) } ?? ""
            guard let shape = shapes[table] else { continue }
            let operation: RowChange.Operation =
                switch code {
                case SQLiteCode.insert: .insert
                case SQLiteCode.delete: .delete
                default: .update
                }
            var change = RowChange(table: table, operation: operation, old: [:], new: [:])
            for column in 0..<Int(columnCount) {
                let name = shape.columns[column].name
                if operation != .insert, let value = try value(iterator, new: false, column: column) { change.old[name] = value }
                if operation != .delete, let value = try value(iterator, new: true, column: column) { change.new[name] = value }
            }
            changes.append(change)
        }
        return changes
    }

    func end() {
        if let session { assure_session_end(session) }
        session = nil
    }

    deinit { end() }

    /// A column's value in the changeset, nil when the changeset does not carry it.
    private func value(_ iterator: UnsafeMutableRawPointer, new: Bool, column: Int) throws -> DatabaseValue? {
        var pointer: UnsafeMutableRawPointer?
        guard assure_changeset_value(iterator, new ? 1 : 0, Int32(column), &pointer) == SQLiteCode.ok else {
            throw ServerError.server("cannot read a changed value")
        }
        guard let pointer else { return nil }
        switch assure_value_type(pointer) {
        case SQLiteCode.integer: return assure_value_int64(pointer).databaseValue
        case SQLiteCode.float: return assure_value_double(pointer).databaseValue
        case SQLiteCode.text:
            let count = Int(assure_value_bytes(pointer))
            guard let text = assure_value_text(pointer) else { return "".databaseValue }
            return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self).databaseValue
        case SQLiteCode.blob:
            let count = Int(assure_value_bytes(pointer))
            guard count > 0, let blob = assure_value_blob(pointer) else { return Data().databaseValue }
            return Data(bytes: blob, count: count).databaseValue
        default: return .null
        }
    }
}
