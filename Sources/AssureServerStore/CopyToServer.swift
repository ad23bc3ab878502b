import AssureStore
import Foundation
import GRDB
import PostgresNIO

/// What a copy moved, for the command's report.
public struct CopySummary: Sendable, Equatable {
    public var tables = 0
    public var rows = 0
    public var logRows = 0
    /// The newest change-log row's hash on both sides: the same chain, so the same head.
    public var head: String?
}

/// `assure copy FILE postgres://…`: every row of every table, the change log's hashes
/// included, in one server transaction. Nothing is on the server unless all of it is: an
/// error, or the process being killed, leaves the database as it was.
public enum CopyToServer {
    /// Rows read from the file per COPY chunk: bounded memory for a million log rows.
    static let pageSize = 2000

    public static func run(file: String, to address: ServerAddress) throws -> CopySummary {
        let workspace = try Workspace.open(path: file, readOnly: true)
        defer { try? workspace.close() }
        // One state of the file for the whole copy, even if someone writes to it meanwhile.
        let reader: any DatabaseReader =
            if let pool = workspace.database as? DatabasePool { try pool.makeSnapshot() } else { workspace.database }
        let shapes = try reader.read { db in try Workspace.tableShapes(db) }
        let migrations = Workspace.tableMigrations(
            try reader.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") })
        return try ServerSession.transaction(address) { session in
            if try await ServerSchema.exists(session) {
                throw ServerError.refused("\(address) already holds a workspace; copy to an empty database (createdb NAME), nothing was written")
            }
            for statement in ServerSchema.createStatements(shapes, database: address.database) { try await session.execute(statement) }
            let meta = [
                "format": ServerSchema.format, "migrations": migrations.joined(separator: ","),
                "copied_from": (file as NSString).lastPathComponent, "copied_at": Timestamps.iso(Date()),
                // Names this workspace for the local copies (one per workspace, whatever the URL).
                "workspace_id": UUID().uuidString.lowercased(),
            ]
            for (key, value) in meta.sorted(by: { $0.key < $1.key }) {
                try await session.execute("INSERT INTO \(ServerSchema.name).meta (key, value) VALUES ($1, $2)", [.text(key), .text(value)])
            }
            var summary = CopySummary()
            for shape in shapes {
                let rows = try await copy(shape, from: reader, to: session)
                summary.tables += 1
                summary.rows += rows
                if shape.name == "change_log" { summary.logRows = rows }
            }
            summary.head = try Page.head(reader)
            return summary
        }
    }

    /// One table, page by page in key order, each page one COPY chunk.
    private static func copy(_ shape: TableShape, from reader: any DatabaseReader, to session: ServerSession) async throws -> Int {
        var total = 0
        // copyFrom quotes the name it is given as one identifier: the quotes inside make it two.
        try await session.copyIn(table: "\(ServerSchema.name)\".\"\(shape.name)", columns: shape.columns.map(\.name)) { writer in
            var lastKey: [DatabaseValue]?
            while true {
                let page = try Page.read(shape, after: lastKey, from: reader)
                if page.count > 0 { try await writer.write(ByteBuffer(bytes: page.text)) }
                total += page.count
                if page.count < pageSize { break }
                lastKey = page.lastKey
            }
        }
        return total
    }

    /// Rows of one table after a key, as COPY text. Synchronous: GRDB's read runs here on the
    /// copy's own thread, between two awaits.
    struct Page {
        var text: [UInt8]
        var count: Int
        var lastKey: [DatabaseValue]?

        static func read(_ shape: TableShape, after lastKey: [DatabaseValue]?, from reader: any DatabaseReader) throws -> Page {
            let columns = shape.columns.map(\.name)
            let keyIndexes = shape.primaryKey.map { key in columns.firstIndex(of: key)! }
            let key = shape.primaryKey.map(Workspace.quoted).joined(separator: ", ")
            var sql = "SELECT \(columns.map(Workspace.quoted).joined(separator: ", ")) FROM \(Workspace.quoted(shape.name))"
            if lastKey != nil { sql += " WHERE (\(key)) > (\(shape.primaryKey.map { _ in "?" }.joined(separator: ", ")))" }
            sql += " ORDER BY \(key) LIMIT \(pageSize)"
            return try reader.read { db in
                let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(lastKey ?? []))
                var text = CopyText()
                for row in rows {
                    let values = (0..<columns.count).map { row[$0] as DatabaseValue }
                    try text.appendRow(values, shape: shape) { keyIndexes.map { "\(values[$0])" }.joined(separator: ", ") }
                }
                return Page(text: text.bytes, count: rows.count, lastKey: rows.last.map { row in keyIndexes.map { row[$0] as DatabaseValue } })
            }
        }

        /// The newest change-log row's hash.
        static func head(_ reader: any DatabaseReader) throws -> String? {
            try reader.read { db in try String.fetchOne(db, sql: "SELECT hash FROM change_log ORDER BY id DESC LIMIT 1") }
        }
    }
}
