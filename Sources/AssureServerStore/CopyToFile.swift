import AssureStore
import Foundation
import GRDB
import PostgresNIO

/// `assure copy postgres://… FILE`: a new workspace file holding every row the server holds,
/// read in one repeatable-read transaction (one state of the server, however busy it is). The
/// file is built beside its destination and appears only when complete.
public enum CopyToFile {
    static let pageSize = 2000

    public static func run(
        from address: ServerAddress, to file: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> CopySummary {
        if FileManager.default.fileExists(atPath: file) { throw WorkspaceError.alreadyExists(file) }
        let partial = file + ".partial-\(getpid())-\(UUID().uuidString.prefix(8))"
        let queue = try Workspace.createEmptyForCopy(path: partial)
        var closed = false
        defer {
            if !closed { try? queue.close() }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
        }
        let shapes = try queue.read { db in try Workspace.tableShapes(db) }
        let summary = try ServerSession.transaction(address, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", environment: environment) {
            session in try await copy(shapes, from: session, into: queue)
        }
        let broken = try queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        if let first = broken.first {
            throw ServerError.refused(
                "the server's \(first["table"] as String) has \(broken.count) row(s) whose parent row is missing (first: rowid \(first["rowid"] as Int64? ?? 0) needs \(first["parent"] as String)); no file was written"
            )
        }
        try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try queue.close()
        closed = true
        // link() will not replace a file that appeared meanwhile, as rename() would.
        guard link(partial, file) == 0 else {
            if errno == EEXIST { throw WorkspaceError.alreadyExists(file) }
            throw WorkspaceError.cannotOpen(path: file, reason: String(cString: strerror(errno)))
        }
        return summary
    }

    private static func copy(_ shapes: [TableShape], from session: ServerSession, into queue: DatabaseQueue) async throws -> CopySummary {
        guard try await ServerSchema.exists(session) else {
            throw ServerError.refused("\(session.address) holds no workspace (copy one there first: assure copy FILE \(session.address))")
        }
        let meta = try await ServerSchema.meta(session)
        let ours = Workspace.schemaMigrations.joined(separator: ",")
        guard meta["migrations"] == ours else {
            let theirs = (meta["migrations"] ?? "").split(separator: ",").map(String.init)
            let newer = theirs.filter { !Workspace.schemaMigrations.contains($0) }
            throw ServerError.refused(
                newer.isEmpty
                    ? "\(session.address) holds a workspace from an older assure (\(theirs.last ?? "none")); no file was written"
                    : "\(session.address) holds a workspace from a newer assure (\(newer.joined(separator: ", "))); upgrade assure to copy it")
        }
        var summary = CopySummary()
        for shape in shapes {
            let columns = try await ServerSchema.columns(session, table: shape.name)
            guard columns.map(\.name) == shape.columns.map(\.name) else {
                throw ServerError.refused("\(session.address): table \(shape.name) does not have this assure's columns; no file was written")
            }
            let rows = try await copy(shape, from: session, into: queue)
            summary.tables += 1
            summary.rows += rows
            if shape.name == "change_log" { summary.logRows = rows }
        }
        summary.head = try await session.rows("SELECT hash FROM \(ServerSchema.qualified("change_log")) ORDER BY id DESC LIMIT 1")
            .first.map { try $0.decode(String.self) }
        return summary
    }

    /// One table through a server-side cursor, a page at a time, each page one insert transaction.
    private static func copy(_ shape: TableShape, from session: ServerSession, into queue: DatabaseQueue) async throws -> Int {
        let names = shape.columns.map { Workspace.quoted($0.name) }.joined(separator: ", ")
        try await session.execute(
            "DECLARE page NO SCROLL CURSOR FOR SELECT \(names) FROM \(ServerSchema.qualified(shape.name)) ORDER BY \(shape.primaryKey.map(Workspace.quoted).joined(separator: ", "))"
        )
        let insert = "INSERT INTO \(Workspace.quoted(shape.name)) (\(names)) VALUES (\(shape.columns.map { _ in "?" }.joined(separator: ", ")))"
        var total = 0
        while true {
            let rows = try await session.rows("FETCH FORWARD \(pageSize) FROM page")
            let values = try rows.map { row in try row.map { try CopyToFile.value($0, table: shape.name) } }
            try insertPage(values, sql: insert, into: queue)
            total += rows.count
            if rows.count < pageSize { break }
        }
        try await session.execute("CLOSE page")
        return total
    }

    /// Synchronous, so GRDB's blocking write runs here between two awaits.
    private static func insertPage(_ rows: [[DatabaseValue]], sql: String, into queue: DatabaseQueue) throws {
        try queue.write { db in
            let statement = try db.cachedStatement(sql: sql)
            for row in rows { try statement.execute(arguments: StatementArguments(row)) }
        }
    }

    /// A server cell as the file stores it.
    static func value(_ cell: PostgresCell, table: String) throws -> DatabaseValue {
        guard var bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .int8: return try cell.decode(Int64.self).databaseValue
        case .float8: return try cell.decode(Double.self).databaseValue
        case .text, .varchar: return try cell.decode(String.self).databaseValue
        case .bytea: return Data(bytes.readBytes(length: bytes.readableBytes) ?? []).databaseValue
        default: throw ServerError.refused("\(table).\(cell.columnName) has the server type \(cell.dataType), which a workspace does not use")
        }
    }
}
