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
    /// not applicable (the only ones whose text counts), descriptions never.
    public func controlLines() throws -> [ControlLine] {
        let requirements = try Self.requirementsByControl(db)
        let statement = try db.makeStatement(
            sql: """
                SELECT c.id, c.ref, c.title, c.status, c.justification, c.frequency, o.name, b.name, o.retired_at IS NOT NULL
                FROM control c LEFT JOIN owner o ON o.id = c.owner_id LEFT JOIN owner b ON b.id = c.backup_owner_id
                ORDER BY c.ref
                """)
        let row = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement)
        var lines: [ControlLine] = []
        while try cursor.next() != nil {
            let status = ControlStatus(rawValue: StatementColumns.string(row, 3)) ?? .notStarted
            let justification = status == .notApplicable ? StatementColumns.string(row, 4) : ""
            lines.append(
                ControlLine(
                    ref: StatementColumns.string(row, 1), title: StatementColumns.string(row, 2), status: status,
                    justified: ControlLine.isJustified(status: status, justification: justification),
                    frequency: Frequency(rawValue: StatementColumns.string(row, 5)) ?? .annual,
                    owner: Self.optionalText(row, 6), backupOwner: Self.optionalText(row, 7), ownerRetired: sqlite3_column_int64(row, 8) != 0,
                    requirements: requirements[sqlite3_column_int64(row, 0)] ?? []))
        }
        return lines
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
    /// order `ControlRows.mappings` gives `Control.requirements`).
    private static func requirementsByControl(_ db: Database) throws -> [Int64: [String]] {
        var result: [Int64: [String]] = [:]
        let statement = try db.makeStatement(sql: ControlRows.mappingsSQL(where: ""))
        let row = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement)
        while try cursor.next() != nil {
            result[sqlite3_column_int64(row, 0), default: []]
                .append(StatementColumns.string(row, 1) + ":" + StatementColumns.string(row, 2))
        }
        return result
    }
}
