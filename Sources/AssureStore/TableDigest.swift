import Crypto
import Foundation
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// A SHA-256 over one table's whole content in a canonical form, so that `verify` can tell
/// whether a table still holds what the change log last recorded for it (`TableState`).
///
/// The form: the table's name and its column names, then every row in primary-key order, each
/// value as a type tag and its bytes (NULL; a 64-bit integer; a double's bit pattern; text or a
/// blob with its length first). Values are self-delimiting and every row has the same columns,
/// so two different tables never render to the same bytes. It is our own encoding rather than
/// SQLite's `quote()` because `quote()`'s spelling of a REAL has changed between SQLite
/// releases, and a digest must not change when the library does. Rows are read from a prepared
/// statement and hashed in a reused buffer: nothing is decoded into Swift values.
enum TableDigest {
    /// Tables that are not entity state: the log itself (the chain protects it), GRDB's list of
    /// applied migrations, SQLite's own tables.
    static func isDigested(_ table: String) -> Bool {
        table != "change_log" && table != "grdb_migrations" && !table.hasPrefix("sqlite_")
    }

    /// Every table whose content is recorded, by name.
    static func tables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").filter(isDigested)
    }

    /// The digests of `tables` (hex), by table name.
    static func digests(_ db: Database, tables: some Sequence<String>) throws -> [String: String] {
        var result: [String: String] = [:]
        for table in tables { result[table] = try digest(db, table: table) }
        return result
    }

    /// The digest of one table (64 lowercase hex digits); with `rows: false`, the digest the
    /// table would have if it were empty (what a table the log never recorded must match).
    static func digest(_ db: Database, table: String, rows: Bool = true) throws -> String {
        let columns = try db.columns(in: table)
        let primaryKey = columns.filter { $0.primaryKeyIndex > 0 }.sorted { $0.primaryKeyIndex < $1.primaryKeyIndex }.map(\.name)
        let selected = columns.map { column -> String in
            // Evidence bytes: a chunk is rendered by its length, not its bytes. Reading every
            // stored file on each write and each verify would cost seconds for a large
            // evidence store, and the bytes are already bound to their blob's SHA-256 (the
            // primary key), which every read of a file checks (`BlobStore.read`): a changed
            // byte is reported there; an added, removed or resized chunk is reported here.
            table == "blob_chunk" && column.name == "data" ? "length(\(quoted(column.name)))" : quoted(column.name)
        }
        let order = primaryKey.isEmpty ? "rowid" : primaryKey.map(quoted).joined(separator: ", ")
        let limit = rows ? "" : " LIMIT 0"
        let statement = try db.makeStatement(sql: "SELECT \(selected.joined(separator: ", ")) FROM \(quoted(table)) ORDER BY \(order)\(limit)")
        var hasher = SHA256()
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 16)
        appendText(table, to: &buffer)
        for column in columns { appendText(column.name, to: &buffer) }
        let count = Int32(columns.count)
        let sqlite = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement)
        while try cursor.next() != nil {
            for index in 0..<count { appendValue(sqlite, index, to: &buffer) }
            if buffer.count >= 1 << 16 {
                buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Hex.encode(hasher.finalize())
    }

    private static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func appendText(_ text: String, to buffer: inout [UInt8]) {
        let bytes = Array(text.utf8)
        buffer.append(3)
        appendInteger(UInt64(bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
    }

    @inline(__always)
    private static func appendInteger(_ value: UInt64, to buffer: inout [UInt8]) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { buffer.append(contentsOf: $0) }
    }

    /// One value: a tag (0 NULL, 1 integer, 2 real, 3 text, 4 blob), then its bytes.
    @inline(__always)
    private static func appendValue(_ statement: OpaquePointer, _ index: Int32, to buffer: inout [UInt8]) {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            buffer.append(1)
            appendInteger(UInt64(bitPattern: sqlite3_column_int64(statement, index)), to: &buffer)
        case SQLITE_FLOAT:
            buffer.append(2)
            appendInteger(sqlite3_column_double(statement, index).bitPattern, to: &buffer)
        case SQLITE_TEXT:
            let bytes = sqlite3_column_text(statement, index)
            let length = Int(sqlite3_column_bytes(statement, index))
            buffer.append(3)
            appendInteger(UInt64(length), to: &buffer)
            if let bytes, length > 0 { buffer.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length)) }
        case SQLITE_BLOB:
            let bytes = sqlite3_column_blob(statement, index)
            let length = Int(sqlite3_column_bytes(statement, index))
            buffer.append(4)
            appendInteger(UInt64(length), to: &buffer)
            if let bytes, length > 0 {
                buffer.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: length))
            }
        default:
            buffer.append(0)
        }
    }
}
