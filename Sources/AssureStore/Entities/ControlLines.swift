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
        var owners: [Int64: (name: String, retired: Bool)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name, retired_at IS NOT NULL FROM owner") { owners[row[0]] = (row[1], row[2]) }
        let requirements = try Self.requirementsByControl(db)
        let statement = try db.makeStatement(
            sql: "SELECT id, ref, title, status, justification, frequency, owner_id, backup_owner_id FROM control")
        let row = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement)
        var lines: [(key: [UInt8], line: ControlLine)] = []
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
            lines.append((Self.nocaseKey(ref), line))
        }
        // References are unique under NOCASE, so the order has no ties.
        lines.sort { $0.key.lexicographicallyPrecedes($1.key) }
        return lines.map(\.line)
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
        let marks = Array(repeating: "?", count: refs.count).joined(separator: ",")
        let rows = try Row.fetchAll(
            db, sql: "\(ControlRows.select) WHERE c.ref IN (\(marks)) ORDER BY c.ref", arguments: StatementArguments(refs))
        let ids: [Int64] = rows.map { $0[0] }
        let mappings = try ControlRows.mappings(db, controls: ids)
        return rows.map { row in ControlRows.control(row, mappings: mappings[row[0]] ?? ControlRows.Mapped()) }
    }

    private static func optionalText(_ statement: OpaquePointer, _ index: Int32) -> String? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : StatementColumns.string(statement, index)
    }

    /// Every mapping as `framework:ref` by control id, in framework and document order (the
    /// order `ControlRows.mappings` gives `Control.requirements`): the links as bare id pairs
    /// (one index walk), each requirement's name and place read once.
    private static func requirementsByControl(_ db: Database) throws -> [Int64: [String]] {
        var requirements: [Int64: (key: String, order: (Int64, Int64))] = [:]
        let named = try db.makeStatement(
            sql: "SELECT r.id, r.framework_id, r.ref, f.sort_order, r.sort_order FROM requirement r JOIN framework f ON f.id = r.framework_id")
        let requirement = named.sqliteStatement
        let requirementCursor = try Row.fetchCursor(named)
        while try requirementCursor.next() != nil {
            requirements[sqlite3_column_int64(requirement, 0)] = (
                StatementColumns.string(requirement, 1) + ":" + StatementColumns.string(requirement, 2),
                (sqlite3_column_int64(requirement, 3), sqlite3_column_int64(requirement, 4))
            )
        }
        var mapped: [Int64: [(key: String, order: (Int64, Int64))]] = [:]
        let links = try db.makeStatement(sql: "SELECT control_id, requirement_id FROM control_requirement")
        let link = links.sqliteStatement
        let linkCursor = try Row.fetchCursor(links)
        while try linkCursor.next() != nil {
            // A link to a requirement that is not there is left out, as the join leaves it out.
            if let target = requirements[sqlite3_column_int64(link, 1)] { mapped[sqlite3_column_int64(link, 0), default: []].append(target) }
        }
        return mapped.mapValues { list in list.sorted { $0.order < $1.order }.map(\.key) }
    }
}
