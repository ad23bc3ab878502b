import AssureModel
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

extension WorkspaceReader {
    /// `Listings.log(log(filter)).csv()`, the same bytes, handed to `write` in pieces of about
    /// 64 KiB as the rows are read: each cell is copied from SQLite's row, with no change
    /// record, table row or string made for it (a million rows: the listing's own cost was
    /// several times the sqlite3 shell's for the same query).
    public func logCSV(_ filter: LogFilter = LogFilter(), write: ([UInt8]) -> Void) throws {
        let (sql, arguments) = ChangeLogQueries.listing(filter)
        let statement = try db.makeStatement(sql: sql)
        var out = CSVBytes(capacity: 1 << 17)
        out.header(Listings.logColumns.map(\.header))
        let sqlite = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while try cursor.next() != nil {
            // id, at, actor, entity, ref, field, before, after, batch, meeting, hash: the first
            // eleven of `resolvedColumns`. SQLite writes an integer's text in decimal, as
            // `Value.int` does, and a NULL meeting is an empty cell, as `Value.text(nil)` is.
            for index: Int32 in 0...10 { out.column(sqlite, index) }
            out.endRow()
            if out.count >= 1 << 16 { write(out.take()) }
        }
        write(out.take())
    }
}
