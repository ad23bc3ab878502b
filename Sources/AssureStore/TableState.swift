import Foundation
import GRDB

/// The tables' state as the change log records it: `table=digest` pairs (`TableDigest`),
/// sorted by table name and joined by ";", in the `state` column (schema v13) of the last
/// change-log row of each write that changed a table. The row hash covers `state`, so the
/// record cannot be edited without breaking the chain; `verify` compares each table with the
/// newest digest the log holds for it, so a table edited behind assure's back (the sqlite3
/// shell) shows. An empty digest records that a table no longer exists.
enum TableState {
    static func text(_ digests: [String: String]) -> String {
        digests.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }

    static func parse(_ text: String) -> [(table: String, digest: String)] {
        text.split(separator: ";").compactMap { pair in
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            return (String(pair[..<equals]), String(pair[equals...].dropFirst()))
        }
    }

    /// The newest digest the log records for each of `tables` (those never recorded are left out).
    static func lastRecorded(_ db: Database, tables: Set<String>) throws -> [String: String] {
        var found: [String: String] = [:]
        // `change_log_state` (a partial index) holds only the rows that carry a state.
        let cursor = try String.fetchCursor(db, sql: "SELECT state FROM change_log WHERE state IS NOT NULL ORDER BY id DESC")
        while found.count < tables.count, let text = try cursor.next() {
            for (table, digest) in parse(text) where tables.contains(table) && found[table] == nil { found[table] = digest }
        }
        return found
    }

    /// Called by `Workspace.write` just before its transaction commits: records the new digest
    /// of every table the transaction changed. With change-log rows, on the batch's last row
    /// (not yet committed history, so its hash is simply recomputed); without any (a collector
    /// run, a stored file), on one `workspace` / `state` row of its own, but only when a digest
    /// actually differs from the one recorded, so a write that changed nothing adds nothing.
    /// The first batch of a new workspace records every table: its starting state.
    static func record(_ db: Database, log: inout ChangeRecorder, tracker: TableChangeTracker, firstBatch: Bool) throws {
        let tables = firstBatch ? Set(try TableDigest.tables(db)) : try tracker.candidates(db)
        if tables.isEmpty { return }
        let digests = try TableDigest.digests(db, tables: tables)
        if log.count > 0 {
            try log.attachState(db, state: text(digests))
            return
        }
        let recorded = try lastRecorded(db, tables: tables)
        var changed: [String: String] = [:]
        for (table, digest) in digests {
            // A table the log never recorded was empty when it was made.
            let expected = try recorded[table] ?? TableDigest.digest(db, table: table, rows: false)
            if digest != expected { changed[table] = digest }
        }
        if changed.isEmpty { return }
        try log.recordState(db, ref: "tables", summary: changed.keys.sorted().joined(separator: ", "), state: text(changed))
    }
}

/// Collects the tables a write transaction changed (GRDB tells an observer about each statement
/// before it runs, and about each changed row of an ordinary table). A `WITHOUT ROWID` table
/// gets no row events from SQLite, so one a statement was about to write is a candidate whose
/// digest decides. Once a table is known changed, its further row events are declined, so a
/// bulk write (an import, the synthetic generator) costs one event per table.
final class TableChangeTracker: TransactionObserver {
    private(set) var changed: Set<String> = []
    private(set) var touched: Set<String> = []

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        let table = eventKind.tableName
        guard TableDigest.isDigested(table) else { return false }
        touched.insert(table)
        return !changed.contains(table)
    }

    func databaseDidChange(with event: DatabaseEvent) {
        changed.insert(event.tableName)
    }

    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}

    /// Tables changed for sure, and `WITHOUT ROWID` tables that may have been.
    func candidates(_ db: Database) throws -> Set<String> {
        var tables = changed
        for table in touched.subtracting(changed) where try db.tableExists(table) {
            if try !db.tableHasRowID(table) { tables.insert(table) }
        }
        return tables
    }
}

extension Database {
    /// Whether `table` has a rowid (SQLite sends no row events for a `WITHOUT ROWID` table).
    func tableHasRowID(_ table: String) throws -> Bool {
        let sql = try String.fetchOne(self, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) ?? ""
        return sql.range(of: "WITHOUT ROWID", options: [.caseInsensitive, .backwards]) == nil
    }
}
