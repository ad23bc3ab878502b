import Crypto
import Foundation
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// A table whose content is not what the change log last recorded for it.
public struct TableMismatch: Equatable, Sendable {
    public var table: String
    /// The change-log row that last recorded the table's state (nil: it never did).
    public var recordedAt: Int64?
    public var problem: String
}

/// The result of `verify`: the chain, then the tables against the state the chain records.
public struct WorkspaceVerification: Equatable, Sendable {
    public var chain: ChainVerification
    /// Empty when every table matches; not checked (empty) when the chain itself is broken,
    /// since the recorded states cannot be trusted then.
    public var tables: [TableMismatch]
    /// How many tables were compared.
    public var tablesChecked: Int
    public var isIntact: Bool { chain.isIntact && tables.isEmpty }
}

/// The newest state the log records for one table, and the row that recorded it.
struct RecordedTableState: Equatable {
    var digest: String
    var row: Int64
}

extension WorkspaceReader {
    /// Walks the whole chain in id order, recomputing every hash.
    public func verifyChain() throws -> ChainVerification {
        try walkChain().verification
    }

    /// Walks the chain, then compares every table with the newest digest the log records for it.
    /// With `parallelOn` (the workspace this reader belongs to), a long log is walked in two
    /// halves at once, the newer half on a second connection (`ChainWalk.split`).
    public func verifyWorkspace(parallelOn workspace: Workspace? = nil, splitFrom: Int = ChainWalk.splitFrom) throws
        -> WorkspaceVerification
    {
        let walk = try workspace.map { try ChainWalk.split(self, workspace: $0, minimumRows: splitFrom) } ?? walkChain()
        guard walk.verification.isIntact else { return WorkspaceVerification(chain: walk.verification, tables: [], tablesChecked: 0) }
        let current = try TableDigest.tables(db)
        var mismatches: [TableMismatch] = []
        for table in current {
            let name = printable(table)
            let digest = try TableDigest.digest(db, table: table)
            if let recorded = walk.recorded[table], !recorded.digest.isEmpty {
                if digest != recorded.digest {
                    mismatches.append(
                        TableMismatch(
                            table: table, recordedAt: recorded.row,
                            problem:
                                "table \(name) does not match the change log (last recorded at row \(recorded.row)): it was changed without a change-log row"
                        ))
                }
            } else if digest != (try TableDigest.digest(db, table: table, rows: false)) {
                mismatches.append(
                    TableMismatch(
                        table: table, recordedAt: nil,
                        problem:
                            "table \(name) holds rows the change log never recorded: they were added without a change-log row"))
            }
        }
        let existing = Set(current)
        for (table, recorded) in walk.recorded.sorted(by: { $0.key < $1.key }) where !recorded.digest.isEmpty && !existing.contains(table) {
            mismatches.append(
                TableMismatch(
                    table: table, recordedAt: recorded.row,
                    problem:
                        "table \(printable(table)) no longer exists (last recorded at row \(recorded.row)): it was dropped without a change-log row"))
        }
        return WorkspaceVerification(chain: walk.verification, tables: mismatches, tablesChecked: current.count)
    }

    /// A table name as it may be printed: someone who adds a table by hand chooses its name,
    /// so control characters become "?" before it can reach a terminal.
    private func printable(_ name: String) -> String {
        String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { scalar in
                    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "?" : scalar
                }))
    }

    /// One pass over the log: every row's link and hash, and the newest recorded state of each
    /// table. Columns are read by position straight from the statement and each row's canonical
    /// text is built in one reused buffer (`ChainText`, the same bytes writers hash), so a
    /// million rows take well under a second; Strings are made only for states and problems.
    /// `after` and `through` bound the walk to the rows after one id up to another, starting
    /// from the hash of row `after` (`previous`); `rows` then counts the rows of the range.
    func walkChain(after: Int64 = 0, through: Int64 = .max, previous start: String = ChangeRecorder.genesisHash) throws
        -> ChainWalk.Part
    {
        let statement = try db.makeStatement(
            sql: """
                SELECT id, at, actor, entity, ref, field, before, after, batch, meeting_id, hash,
                       entity_id, before_id, after_id, prev_hash, state
                FROM change_log WHERE id > ? AND id <= ? ORDER BY id
                """)
        statement.arguments = [after, through]
        let sqlite = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement)
        var previous = Array(start.utf8)
        var text = ChainText()
        var expectedID: Int64 = after + 1
        var rows = 0
        var recorded: [String: RecordedTableState] = [:]
        func result(_ bad: Int64?, _ problem: String?) -> ChainWalk.Part {
            ChainWalk.Part(
                verification: ChainVerification(rows: rows, head: String(decoding: previous, as: UTF8.self), firstBadRow: bad, problem: problem),
                recorded: recorded)
        }
        var hex = [UInt8](repeating: 0, count: 2 * SHA256.byteCount)
        while try cursor.next() != nil {
            let id = sqlite3_column_int64(sqlite, 0)
            if id != expectedID {
                return result(expectedID, "row \(expectedID) is missing (next row is \(id))")
            }
            if !Column.equals(sqlite, 14, previous) {
                return result(id, "row \(id) does not link to row \(id - 1)")
            }
            text.reset()
            text.raw(previous); text.separator()
            text.integer(id)
            for index: Int32 in 1...7 { text.separator(); Column.text(sqlite, index, into: &text) }
            text.separator(); text.integer(sqlite3_column_int64(sqlite, 8))
            text.separator(); Column.integer(sqlite, 9, into: &text)
            let state = sqlite3_column_text(sqlite, 15)
            if state != nil || (11...13).contains(where: { sqlite3_column_type(sqlite, $0) != SQLITE_NULL }) {
                for index: Int32 in 11...13 { text.separator(); Column.integer(sqlite, index, into: &text) }
            }
            if state != nil { text.separator(); Column.text(sqlite, 15, into: &text) }
            let digest = text.bytes.withUnsafeBytes { SHA256.hash(data: $0) }
            Column.hex(digest, into: &hex)
            if !Column.equals(sqlite, 10, hex) {
                return result(id, "row \(id) was altered: its content does not match its hash")
            }
            // The stored hash is the one just computed: the next row must link to it.
            swap(&previous, &hex)
            if state != nil {
                let text = String(decoding: Column.bytes(sqlite, 15), as: UTF8.self)
                for (table, digest) in TableState.parse(text) { recorded[table] = RecordedTableState(digest: digest, row: id) }
            }
            expectedID += 1
            rows += 1
        }
        return result(nil, nil)
    }
}

/// Positional reads from the current row of a stepped statement, without Swift values.
private enum Column {
    /// A text column's bytes, valid until the statement steps again.
    @inline(__always)
    static func bytes(_ statement: OpaquePointer, _ index: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let pointer = sqlite3_column_text(statement, index) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, index)))
    }

    /// Text as stored, or NUL for NULL (as `ChainText.optional`). SQLite gives a NULL pointer
    /// only for a NULL value (an empty text is an empty, terminated string).
    @inline(__always)
    static func text(_ statement: OpaquePointer, _ index: Int32, into text: inout ChainText) {
        guard let pointer = sqlite3_column_text(statement, index) else { return text.absent() }
        text.raw(UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, index))))
    }

    /// An integer in decimal, or NUL for NULL.
    @inline(__always)
    static func integer(_ statement: OpaquePointer, _ index: Int32, into text: inout ChainText) {
        if sqlite3_column_type(statement, index) == SQLITE_NULL { text.absent() } else { text.integer(sqlite3_column_int64(statement, index)) }
    }

    /// Whether a text column holds exactly `expected`'s bytes.
    @inline(__always)
    static func equals(_ statement: OpaquePointer, _ index: Int32, _ expected: [UInt8]) -> Bool {
        let stored = bytes(statement, index)
        guard stored.count == expected.count, let base = stored.baseAddress else { return stored.count == expected.count && stored.isEmpty }
        return expected.withUnsafeBufferPointer { memcmp($0.baseAddress!, base, expected.count) } == 0
    }

    /// `digest` in lowercase hex, into a 64-byte buffer.
    @inline(__always)
    static func hex(_ digest: SHA256.Digest, into out: inout [UInt8]) {
        out.withUnsafeMutableBufferPointer { out in
            digest.withUnsafeBytes { bytes in
                for (i, byte) in bytes.enumerated() {
                    let high = byte >> 4
                    let low = byte & 0x0F
                    out[2 * i] = high < 10 ? 0x30 + high : 0x57 + high
                    out[2 * i + 1] = low < 10 ? 0x30 + low : 0x57 + low
                }
            }
        }
    }
}
