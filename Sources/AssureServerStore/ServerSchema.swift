import AssureStore
import Foundation
import PostgresNIO

/// A workspace's tables on the server: one PostgreSQL schema, `assure`, holding a table for
/// each of the file's tables with the same name, columns and primary key, and `assure.meta`
/// saying which of assure's migrations the tables follow. One database holds one workspace.
package enum ServerSchema {
    static let name = "assure"
    /// The layout of what `assure copy` writes on the server; raised when that layout changes.
    static let format = "1"

    /// `assure.table` with the identifier quoted.
    static func qualified(_ table: String) -> String { "\(name).\(Workspace.quoted(table))" }

    /// The PostgreSQL type that holds what SQLite's declared type holds.
    static func serverType(_ declared: String) -> String {
        switch declared {
        case "INTEGER": "bigint"
        case "REAL": "double precision"
        case "BLOB": "bytea"
        default: "text"
        }
    }

    /// The statements that create the schema and its tables (columns, NOT NULL and the primary
    /// key; the file's other constraints are checked where the rows are written).
    static func createStatements(_ shapes: [TableShape], database: String) -> [String] {
        var statements = [
            "CREATE SCHEMA \(name)",
            "CREATE TABLE \(name).meta (key text PRIMARY KEY, value text NOT NULL)",
        ]
        for shape in shapes {
            var lines = shape.columns.map { column in
                "\(Workspace.quoted(column.name)) \(serverType(column.declaredType))\(column.notNull ? " NOT NULL" : "")"
            }
            lines.append("PRIMARY KEY (\(shape.primaryKey.map(Workspace.quoted).joined(separator: ", ")))")
            statements.append("CREATE TABLE \(qualified(shape.name)) (\n  \(lines.joined(separator: ",\n  "))\n)")
        }
        return statements + ServerFunctions.statements + ServerRoles.statements(database: database, shapes: shapes)
    }

    /// Whether the database already holds a workspace.
    package static func exists(_ session: ServerSession) async throws -> Bool {
        try await !session.rows("SELECT 1 FROM pg_namespace WHERE nspname = $1", [.text(name)]).isEmpty
    }

    package static func meta(_ session: ServerSession) async throws -> [String: String] {
        var meta: [String: String] = [:]
        for row in try await session.rows("SELECT key, value FROM \(name).meta") {
            let (key, value) = try row.decode((String, String).self)
            meta[key] = value
        }
        return meta
    }

    /// The server table's columns and their types, in column order.
    static func columns(_ session: ServerSession, table: String) async throws -> [(name: String, type: String)] {
        try await session.rows(
            """
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position
            """, [.text(name), .text(table)]
        ).map { try $0.decode((String, String).self) }
    }
}
