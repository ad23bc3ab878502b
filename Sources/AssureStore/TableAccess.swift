import Foundation
import GRDB

/// A table of the workspace as SQLite declares it: what a copy to or from a server carries.
package struct TableShape: Sendable, Equatable {
    package struct Column: Sendable, Equatable {
        package let name: String
        /// INTEGER, TEXT, BLOB or REAL (upper-cased as declared).
        package let declaredType: String
        package let notNull: Bool
    }

    package let name: String
    package let columns: [Column]
    /// The primary key's columns in key order (every workspace table has one).
    package let primaryKey: [String]
}

/// What the server store reaches inside a workspace: the tables as data, not as entities. Kept
/// to the copy between a file and a server, which moves every row whatever it means.
extension Workspace {
    /// The database handle itself, for the copy's keyset reads and bulk inserts.
    package var database: any DatabaseWriter { writer }

    /// The migrations this build knows that shape the tables, oldest first: a server workspace
    /// records them so that a copy back to a file lands on the same schema. Migrations that only
    /// touch SQLite's indexes are left out: a server holds none, and a store copied there by a
    /// build without one is still the same tables.
    package static var schemaMigrations: [String] { tableMigrations(Schema.knownMigrations) }

    /// `applied` (a file's migrations) as a server records them: without the index-only ones.
    package static func tableMigrations(_ applied: [String]) -> [String] { applied.filter { !Schema.indexOnlyMigrations.contains($0) } }

    /// Every table a copy carries (GRDB's bookkeeping excluded), in the order they were created,
    /// which is also an order where a row's parents come before it.
    package static func tableShapes(_ db: Database) throws -> [TableShape] {
        let names = try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                ORDER BY rowid
                """)
        return try names.map { name in
            let rows = try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
            let columns = rows.map { TableShape.Column(name: $0["name"], declaredType: ($0["type"] as String).uppercased(), notNull: $0["notnull"]) }
            let key = rows.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }.map { $0["name"] as String }
            return TableShape(name: name, columns: columns, primaryKey: key)
        }
    }

    /// A new workspace file holding this build's schema and no rows at all, for a copy to fill.
    /// Foreign keys are checked once the copy is complete (`PRAGMA foreign_key_check`), since
    /// tables arrive one at a time.
    package static func createEmptyForCopy(path: String) throws -> DatabaseQueue {
        try WorkspaceFile.createPrivate(path: path)
        var config = configuration()
        config.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        try Schema.migrator.migrate(queue)
        try queue.write { db in
            for table in try tableShapes(db).reversed() { try db.execute(sql: "DELETE FROM \(quoted(table.name))") }
        }
        return queue
    }

    /// An identifier in double quotes, for table and column names read from the schema.
    package static func quoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
