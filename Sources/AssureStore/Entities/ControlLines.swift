import AssureModel
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// The reads behind the workbench's Controls pane: every control's line (what rows and rules
/// need) for the whole workspace, and whole controls only for the ones shown in full.
/// `ControlWindowTests` checks both against `controls()`.
extension WorkspaceReader {
    /// Every control's line, in reference order. Justifications are read only for controls
    /// not applicable (the only ones whose text counts), descriptions never. At 5,000 controls
    /// and 10,000 mappings, joining owners, sorting by reference and ordering the mappings in
    /// SQL cost more than all the rest: owners and requirements are read once by id, and the
    /// sorting is done here, in the orders SQL gives (`NOCASE` for references).
    public func controlLines() throws -> [ControlLine] {
        if let cached = cache.controlLines { return cached }
        let lines = try readControlLines()
        cache.controlLines = lines
        return lines
    }

    private func readControlLines() throws -> [ControlLine] {
        let ownerRows = try Row.fetchAll(db, sql: "SELECT id, name, retired_at IS NOT NULL FROM owner")
        var owners = RowIDTable<(name: String, retired: Bool)>(largestID: ownerRows.lazy.map { $0[0] as Int64 }.max() ?? 0, count: ownerRows.count)
        for row in ownerRows { owners[row[0]] = (row[1], row[2]) }
        let requirements = try Self.requirementsByControl(db)
        let statement = try db.makeStatement(
            sql: "SELECT id, ref, title, status, justification, frequency, owner_id, backup_owner_id FROM control")
        let row = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement)
        var lines: [ControlLine] = []
        while try cursor.next() != nil {
            let status = ControlStatus(rawValue: StatementColumns.string(row, 3)) ?? .notStarted
            let justification = status == .notApplicable ? StatementColumns.string(row, 4) : ""
            let owner = StatementColumns.int64(row, 6).flatMap { owners[$0] }
            let ref = StatementColumns.string(row, 1)
            let line = ControlLine(
                ref: ref, title: StatementColumns.string(row, 2), status: status,
                justified: ControlLine.isJustified(status: status, justification: justification),
                frequency: Frequency(rawValue: StatementColumns.string(row, 5)) ?? .annual, owner: owner?.name,
                backupOwner: StatementColumns.int64(row, 7).flatMap { owners[$0]?.name }, ownerRetired: owner?.retired ?? false,
                requirements: requirements[sqlite3_column_int64(row, 0)] ?? [])
            lines.append(line)
        }
        return Self.inNocaseOrder(lines)
    }

    /// The lines in their references' `NOCASE` order. References are unique under NOCASE, so
    /// the order has no ties. Positions are sorted, not the lines, so no line is copied on
    /// every swap; references of up to 16 bytes (nearly all) compare as two integers, and
    /// lines already in order (controls are mostly added in reference order) are not sorted.
    static func inNocaseOrder(_ lines: [ControlLine]) -> [ControlLine] {
        if let keys = packedNocaseKeys(lines) {
            if zip(keys, keys.dropFirst()).allSatisfy({ $0 < $1 }) { return lines }
            return keys.indices.sorted { keys[$0] < keys[$1] }.map { lines[$0] }
        }
        let keys = lines.map { nocaseKey($0.ref) }
        return keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }.map { lines[$0] }
    }

    /// Each reference's `nocaseKey` as two big-endian integers, zero-padded (a shorter text
    /// that is a prefix sorts first, as no reference holds a NUL); nil when one is longer
    /// than 16 bytes or holds a NUL.
    static func packedNocaseKeys(_ lines: [ControlLine]) -> [(UInt64, UInt64)]? {
        var keys: [(UInt64, UInt64)] = []
        keys.reserveCapacity(lines.count)
        for line in lines {
            var words: (UInt64, UInt64) = (0, 0)
            var count = 0
            for byte in line.ref.utf8 {
                guard count < 16, byte != 0 else { return nil }
                let folded = UInt64(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
                if count < 8 { words.0 |= folded << (56 - 8 * UInt64(count)) } else { words.1 |= folded << (56 - 8 * UInt64(count - 8)) }
                count += 1
            }
            keys.append(words)
        }
        return keys
    }

    /// SQLite's `NOCASE` order as bytes: ASCII upper case folded to lower, the rest as it is,
    /// then compared byte by byte, a prefix first.
    static func nocaseKey(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    }

    /// Whole controls by reference, in reference order; references no longer in the workspace
    /// are left out.
    public func controls(refs: [String]) throws -> [Control] {
        guard !refs.isEmpty else { return [] }
        let list = InList.padded(refs)
        return try ControlRows.controls(
            db, clause: "WHERE c.ref IN (\(list.marks)) ORDER BY c.ref", arguments: StatementArguments(list.values), allMappings: false)
    }

    /// Every mapping as `framework:ref` by control id, in framework and document order (the
    /// order `ControlRows.mappings` gives `Control.requirements`): the links as bare id pairs
    /// (one index walk), each requirement's name and place read once.
    private static func requirementsByControl(_ db: Database) throws -> RowIDTable<[String]> {
        // Every requirement's `framework:ref` in framework and document order, and each id's
        // place in that order.
        var named: [(key: String, order: (Int64, Int64), id: Int64)] = []
        let requirements = try db.makeStatement(
            sql: "SELECT r.id, r.framework_id, r.ref, f.sort_order, r.sort_order FROM requirement r JOIN framework f ON f.id = r.framework_id")
        let requirement = requirements.sqliteStatement
        let requirementCursor = try Row.fetchCursor(requirements)
        while try requirementCursor.next() != nil {
            named.append(
                (
                    StatementColumns.string(requirement, 1) + ":" + StatementColumns.string(requirement, 2),
                    (sqlite3_column_int64(requirement, 3), sqlite3_column_int64(requirement, 4)), sqlite3_column_int64(requirement, 0)
                ))
        }
        let order = named.indices.sorted { named[$0].order < named[$1].order }
        var place = RowIDTable<Int>(largestID: named.lazy.map(\.id).max() ?? 0, count: named.count)
        for (rank, i) in order.enumerated() { place[named[i].id] = rank }
        // The links as (place, control) pairs sorted by place: appended in that order, each
        // control's list is already in order.
        var links: [(place: Int, control: Int64)] = []
        let statement = try db.makeStatement(sql: "SELECT control_id, requirement_id FROM control_requirement")
        let link = statement.sqliteStatement
        let linkCursor = try Row.fetchCursor(statement)
        while try linkCursor.next() != nil {
            // A link to a requirement that is not there is left out, as the join leaves it out.
            if let rank = place[sqlite3_column_int64(link, 1)] { links.append((rank, sqlite3_column_int64(link, 0))) }
        }
        links.sort { $0.place < $1.place }
        var mapped = RowIDTable<[String]>(largestID: links.lazy.map(\.control).max() ?? 0, count: links.count)
        for entry in links { mapped.modify(entry.control, initial: []) { $0.append(named[order[entry.place]].key) } }
        return mapped
    }
}
