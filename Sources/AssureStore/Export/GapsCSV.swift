import AssureModel
import Foundation
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// `assure gaps --format csv` without building a `Gap` and a `Table` row per gap: the cells
/// are copied from SQLite's text into one byte buffer. Each cell is what `Listings.gaps`
/// puts there (GapsCSVTests compares the two byte for byte).
enum GapsCSV {
    /// The listing's columns that come from the row, by position; `overdue` is worked out.
    static let select = """
        SELECT g.ref, g.title, g.severity, g.effort, g.status, o.name, g.due, c.ref, r.ref,
               g.remediation_note, g.justification, g.remediated_by, g.remediated_at
        FROM gap g LEFT JOIN owner o ON o.id = g.owner_id LEFT JOIN control c ON c.id = g.control_id
        LEFT JOIN requirement r ON r.id = g.requirement_id
        """
}

extension WorkspaceReader {
    /// The bytes of `Listings.gaps(try gaps(filter), today: today).csv()`.
    public func gapsCSV(_ filter: GapFilter = GapFilter(), today: String) throws -> [UInt8] {
        let (whereSQL, arguments) = try GapRows.filter(db, filter)
        let statement = try db.makeStatement(sql: "\(GapsCSV.select) \(whereSQL) ORDER BY g.number")
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM gap") ?? 0
        // About a hundred bytes a gap: one allocation for most workspaces.
        var out = CSVBytes(capacity: 4096 + count * 128)
        out.header(Listings.gaps([], today: today).columns.map(\.header))
        let sqlite = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while try cursor.next() != nil {
            out.column(sqlite, 0)
            out.column(sqlite, 1)
            // Severity, effort and status as `Gap` reads them: an unknown value is read as
            // medium, M and open. Their raw values need no quoting.
            out.plain(Self.severities[StatementColumns.caseIndex(sqlite, 2, Severity.self, rawBytes: Self.severityBytes) ?? Self.medium])
            out.plain(Self.efforts[StatementColumns.caseIndex(sqlite, 3, Effort.self, rawBytes: Self.effortBytes) ?? Self.m])
            let status = GapStatus.allCases[StatementColumns.caseIndex(sqlite, 4, GapStatus.self, rawBytes: Self.statusBytes) ?? Self.open]
            out.plain(status.rawValue)
            out.column(sqlite, 5)
            out.column(sqlite, 6)
            // `Gap.isOverdue`: open, with a due date before today.
            let overdue = status.isOpen && sqlite3_column_type(sqlite, 6) != SQLITE_NULL && StatementColumns.string(sqlite, 6) < today
            out.plain(overdue ? "yes" : "no")
            for index in Int32(7)...12 { out.column(sqlite, index) }
            out.endRow()
        }
        return out.bytes
    }

    // Each enumeration's raw values as text and as bytes, and the position of the case an
    // unknown value is read as.
    private static let severities = Severity.allCases.map(\.rawValue)
    private static let severityBytes = StatementColumns.rawBytes(Severity.self)
    private static let medium = Severity.allCases.firstIndex(of: .medium)!
    private static let efforts = Effort.allCases.map(\.rawValue)
    private static let effortBytes = StatementColumns.rawBytes(Effort.self)
    private static let m = Effort.allCases.firstIndex(of: .m)!
    private static let statusBytes = StatementColumns.rawBytes(GapStatus.self)
    private static let open = GapStatus.allCases.firstIndex(of: .open)!
}
