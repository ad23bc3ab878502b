import AssureModel
import Foundation
import GRDB

/// Schema v13: the change log records the state of the tables, so `verify` can tell a table
/// edited behind assure's back (the sqlite3 shell) from one changed by a logged write.
/// - `change_log.state`: on the last row of each write that changed tables, the new digest of
///   each of them (`TableState`, `TableDigest`); the row hash covers it when present.
/// - `change_log_state`: a partial index of the rows that carry a state, so a write finds the
///   newest recorded digest of a table without reading the whole log.
/// - The starting state: a workspace that already has history gets one `workspace` / `state`
///   row recording the digest of every table as it is now. A new workspace (no history yet)
///   gets it from its first write, which records every table (`Workspace.write`).
///
/// RULE for every later migration: one that changes what a table holds or how it is shaped
/// (adds, drops or renames a column or a table, rewrites rows) must end by recording a new
/// state row for the tables it touched (`SchemaV13.recordState(db, tables:, reason:)`; a
/// dropped table is recorded with an empty digest). Otherwise `verify` reports those tables as
/// changed without a change-log row.
/// Shipped as one migration; never edit it.
enum SchemaV13 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE change_log ADD COLUMN state TEXT;
                CREATE INDEX change_log_state ON change_log(id) WHERE state IS NOT NULL;
                """)
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM change_log)") == true {
            try recordState(db, tables: try TableDigest.tables(db), reason: "starting state")
        }
    }

    /// Appends one `workspace` / `state` row (actor `assure`, now, no meeting) recording the
    /// digests of `tables` (an empty digest for a table that no longer exists).
    static func recordState(_ db: Database, tables: [String], reason: String) throws {
        var digests: [String: String] = [:]
        for table in tables {
            digests[table] = try db.tableExists(table) ? TableDigest.digest(db, table: table) : ""
        }
        let last = try Row.fetchOne(db, sql: "SELECT id, hash, batch FROM change_log ORDER BY id DESC LIMIT 1")
        let id = (last?[0] as Int64? ?? 0) + 1
        let previous = last?[1] as String? ?? ChangeRecorder.genesisHash
        let batch = (last?[2] as Int64? ?? 0) + 1
        let state = TableState.text(digests)
        let summary = "\(reason): \(tables.count) tables"
        let row = ChangeRecord(
            id: id, at: Timestamps.iso(Date()), actor: "assure", entity: "workspace", ref: "tables",
            field: "state", before: nil, after: summary, batch: batch)
        let hash = ChangeRecorder.hash(row, state: state, previous: previous)
        try db.execute(
            sql: """
                INSERT INTO change_log (id, at, actor, entity, ref, field, before, after, batch, meeting_id, prev_hash, hash, state)
                VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, ?, ?, ?)
                """, arguments: [id, row.at, row.actor, row.entity, row.ref, row.field, summary, batch, previous, hash, state])
    }
}
