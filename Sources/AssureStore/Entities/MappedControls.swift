import AssureModel
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// The controls mapped directly to each requirement of one framework, as (reference, status)
/// in `ORDER BY c.ref` order (the column's NOCASE order), for `readSummaries`; and whether
/// every reference is ASCII (then two of them are equal strings only if they are equal bytes).
enum MappedControls {
    static func read(_ db: Database, framework: String) throws -> (direct: [Int64: [(String, String)]], asciiRefs: Bool) {
        // The mappings as bare id pairs: a walk of one index, no join.
        var pairs: [(requirement: Int64, control: Int64)] = []
        let statement = try db.makeStatement(
            sql: """
                SELECT cr.requirement_id, cr.control_id FROM control_requirement cr
                JOIN requirement r ON r.id = cr.requirement_id WHERE r.framework_id = ?
                """)
        let pair = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement, arguments: [framework])
        while try cursor.next() != nil { pairs.append((sqlite3_column_int64(pair, 0), sqlite3_column_int64(pair, 1))) }
        if pairs.isEmpty { return ([:], true) }
        let controlCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM control") ?? 0
        // Few mappings: join the few controls they name. Many (10,000 at 5,000 controls):
        // joining each and sorting them all in SQL cost more than reading every control once
        // in reference order and placing each mapping by its control's place in that order.
        if pairs.count * 2 < controlCount { return try joined(db, framework: framework) }
        // Each control's place in reference order by id, and its reference and status by place.
        var ranks = RowIDTable<Int>(largestID: try Int64.fetchOne(db, sql: "SELECT max(id) FROM control") ?? 0, count: controlCount)
        var refs: [(ref: String, status: String)] = []
        refs.reserveCapacity(controlCount)
        var rank = 0
        var ascii = true
        let controlStatement = try db.makeStatement(sql: "SELECT id, ref, status FROM control ORDER BY ref")
        let control = controlStatement.sqliteStatement
        let controlCursor = try Row.fetchCursor(controlStatement)
        while try controlCursor.next() != nil {
            let ref = StatementColumns.string(control, 1)
            if ascii && !ref.utf8.allSatisfy({ $0 < 0x80 }) { ascii = false }
            ranks[sqlite3_column_int64(control, 0)] = rank
            refs.append((ref, StatementColumns.string(control, 2)))
            rank += 1
        }
        // A mapping to a control that is not there is left out, as the join leaves it out.
        var placed: [(rank: Int, requirement: Int64)] = []
        placed.reserveCapacity(pairs.count)
        for pair in pairs { if let rank = ranks[pair.control] { placed.append((rank, pair.requirement)) } }
        // A control maps to a requirement once (the primary key), so ranks never tie within
        // one requirement's list.
        placed.sort { $0.rank < $1.rank }
        var direct: [Int64: [(String, String)]] = [:]
        for entry in placed { direct[entry.requirement, default: []].append(refs[entry.rank]) }
        return (direct, ascii)
    }

    /// The same by a join, ordered in SQL.
    static func joined(_ db: Database, framework: String) throws -> (direct: [Int64: [(String, String)]], asciiRefs: Bool) {
        var direct: [Int64: [(String, String)]] = [:]
        var ascii = true
        let mappings = try Row.fetchCursor(
            db,
            sql: """
                SELECT cr.requirement_id, c.ref, c.status FROM control_requirement cr
                JOIN control c ON c.id = cr.control_id JOIN requirement r ON r.id = cr.requirement_id
                WHERE r.framework_id = ? ORDER BY c.ref
                """, arguments: [framework])
        while let row = try mappings.next() {
            let requirement: Int64 = row[0]
            let ref: String = row[1]
            if ascii && !ref.utf8.allSatisfy({ $0 < 0x80 }) { ascii = false }
            direct[requirement, default: []].append((ref, row[2]))
        }
        return (direct, ascii)
    }

    /// The same from every control's line, already read in reference order (`controlLines`):
    /// the workbench reads the lines anyway, and inverting their mappings here costs far less
    /// than reading the mappings and the controls a second time.
    static func from(_ lines: [ControlLine], framework: String, rows: [(id: Int64, parentID: Int64?, requirement: Requirement)]) -> (
        direct: [Int64: [(String, String)]], asciiRefs: Bool
    ) {
        var ids: [String: Int64] = [:]
        for row in rows { ids[framework + ":" + row.requirement.ref] = row.id }
        let prefix = framework + ":"
        var direct: [Int64: [(String, String)]] = [:]
        var ascii = true
        for index in lines.indices {
            if ascii && !lines[index].ref.utf8.allSatisfy({ $0 < 0x80 }) { ascii = false }
            for qualified in lines[index].requirements where qualified.hasPrefix(prefix) {
                // A mapping to a requirement that is not there is left out, as the join leaves it out.
                if let id = ids[qualified] { direct[id, default: []].append((lines[index].ref, lines[index].status.rawValue)) }
            }
        }
        return (direct, ascii)
    }
}
