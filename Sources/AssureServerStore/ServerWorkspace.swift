import AssureStore
import Foundation
import GRDB

/// A workspace on a PostgreSQL server, used through a local copy: a workspace file in the
/// user's cache folder holding what the server holds. Reads run on the copy, at SQLite's speed,
/// after it has taken in every write the server has that it lacks. Each write is made on the
/// copy, sent to the server inside the copy's own transaction (`ServerLink`), and committed
/// locally only once the server has taken it; if someone else wrote first, the copy catches up
/// and the write is made again on the newer state, where its conflict checks see that write.
public enum ServerWorkspace {
    /// Opens the workspace at `address`: fetches a whole copy the first time, else catches up.
    /// With `live`, the copy also takes in every write the moment the server announces it
    /// (LISTEN), for the workbench, which shows the copy's changes as they land.
    public static func open(
        _ address: ServerAddress, readOnly: Bool, live: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Workspace {
        try open(address, readOnly: readOnly, live: live, environment: environment, applied: nil)
    }

    /// `applied` is called with each batch of other people's changes as the copy takes it in
    /// (AssureBench times how soon a write is seen).
    package static func open(
        _ address: ServerAddress, readOnly: Bool, live: Bool, environment: [String: String],
        applied: (@Sendable (_ changes: [RowChange]) -> Void)?
    ) throws -> Workspace {
        var link = try ServerLink.connect(address, environment: environment, applied: applied)
        do { try link.catchUp() } catch is ReplicaDrifted {
            // Edited by hand, or the server was restored from a backup: fetched again whole.
            link.close()
            link.discardCopy()
            link = try ServerLink.connect(address, environment: environment, applied: applied)
            try link.catchUp()
        }
        if live { try link.listen() }
        if readOnly && !live {
            link.close()
            return try Workspace.open(path: link.replicaPath, readOnly: true)
        }
        return try Workspace.openReplica(path: link.replicaPath, readOnly: readOnly, publisher: link)
    }

    /// Where the local copies live: `$XDG_CACHE_HOME/assure/servers`, else `~/.cache/assure/servers`.
    static func cacheFolder(_ environment: [String: String]) throws -> String {
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.cache")
        let folder = base + "/assure/servers"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder
    }
}

/// The connection between a local copy and its server: sends this process's writes, fetches
/// everyone else's.
final class ServerLink: WritePublisher {
    let address: ServerAddress
    let session: ServerSession
    let replicaPath: String
    /// The workspace's tables, to read and apply row changes by column name.
    let shapes: [String: TableShape]
    /// The copy, for taking in other people's writes (foreign keys off: see `ReplicaApply`).
    private let replica: DatabasePool
    private let catchingUp = NSLock()
    private let applied: (@Sendable (_ changes: [RowChange]) -> Void)?

    private init(
        address: ServerAddress, session: ServerSession, replicaPath: String, shapes: [String: TableShape], replica: DatabasePool,
        applied: (@Sendable (_ changes: [RowChange]) -> Void)?
    ) {
        self.applied = applied
        self.address = address
        self.session = session
        self.replicaPath = replicaPath
        self.shapes = shapes
        self.replica = replica
    }

    static func connect(
        _ address: ServerAddress, environment: [String: String], applied: (@Sendable (_ changes: [RowChange]) -> Void)? = nil
    ) throws -> ServerLink {
        let session = try Blocking.run { try await ServerSession.connect(address, environment: environment) }
        do {
            let meta = try Blocking.run { () -> [String: String] in
                guard try await ServerSchema.exists(session) else {
                    throw ServerError.refused("\(address) holds no workspace (put one there with: assure copy FILE \(address))")
                }
                return try await ServerSchema.meta(session)
            }
            guard let id = meta["workspace_id"], id.allSatisfy({ $0.isHexDigit || $0 == "-" }), !id.isEmpty else {
                throw ServerError.refused("\(address) holds a workspace without an id; copy it there again with this assure")
            }
            let path = try ServerWorkspace.cacheFolder(environment) + "/\(id).assure"
            if !FileManager.default.fileExists(atPath: path) {
                // Two processes opening the workspace for the first time at once both fetch it;
                // the one that finishes second finds the other's copy in place and uses it.
                do { _ = try CopyToFile.run(from: address, to: path, environment: environment) } catch WorkspaceError.alreadyExists(path) {}
            }
            var configuration = Configuration()
            configuration.foreignKeysEnabled = false
            configuration.busyMode = .timeout(10)
            let replica = try DatabasePool(path: path, configuration: configuration)
            let shapes = try replica.read { db in try Workspace.tableShapes(db) }
            return ServerLink(
                address: address, session: session, replicaPath: path,
                shapes: Dictionary(uniqueKeysWithValues: shapes.map { ($0.name, $0) }), replica: replica, applied: applied)
        } catch {
            Blocking.close(session)
            throw error
        }
    }

    func close() {
        Blocking.close(session)
        try? replica.close()
    }

    /// Catches up whenever the server announces a write (one at a time, on a queue of its own).
    func listen() throws {
        let queue = DispatchQueue(label: "assure.server.catch-up")
        try Blocking.run { [session, self] in
            try await session.listen("assure_changes") { queue.async { try? self.catchUp() } }
        }
    }

    func begin(_ db: Database) throws -> any PublishingWrite { ServerWrite(link: self, capture: try ChangeCapture(db)) }

    /// Takes in every batch the server has after the copy's newest change-log row, in one
    /// local transaction, after checking that the server holds that same row.
    func catchUp(exclusive: Bool) throws {
        if exclusive {
            // Session-level: held past this call, until endExclusive; apply_batch's own
            // transaction lock on the same key is then granted to this session at once.
            try Blocking.run { [session] in try await session.execute("SELECT pg_advisory_lock(\(ServerFunctions.chainLock))") }
        }
        do { try catchUp() } catch {
            if exclusive { endExclusive() }
            throw error
        }
    }

    func endExclusive() {
        _ = try? Blocking.run { [session] in try await session.execute("SELECT pg_advisory_unlock(\(ServerFunctions.chainLock))") }
    }

    func catchUp() throws {
        // A write's retry and the listener may both catch up: one at a time, each from the
        // copy's head as it is then.
        catchingUp.lock()
        defer { catchingUp.unlock() }
        let local = try localHead()
        let batches = try Blocking.run { [session] in
            if local.id > 0 {
                let hash = try await session.rows("SELECT hash FROM assure.change_log WHERE id = $1", [.integer(local.id)]).first
                    .map { try $0.decode(String.self) }
                guard hash == local.hash else { throw ReplicaDrifted(table: "change_log") }
            }
            return try await session.rows("SELECT head, changes::text FROM assure.sync_batch WHERE head > $1 ORDER BY head", [.integer(local.id)])
                .map { try $0.decode((Int64, String).self) }
        }
        guard !batches.isEmpty else { return }
        let decoded = try batches.map { (head: $0.0, changes: try RowChangeJSON.decode($0.1, shapes: shapes)) }
        let taken = try replica.write { db -> [[RowChange]] in
            // Another process sharing this copy (the workbench beside a command) may have taken
            // some of these in since the head was read: only what is still newer goes on.
            let current = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM change_log") ?? 0
            let newer = decoded.filter { $0.head > current }
            for batch in newer { try ReplicaApply.apply(batch.changes, shapes: shapes, db: db) }
            return newer.map(\.changes)
        }
        if let applied { for changes in taken { applied(changes) } }
    }

    /// Forgets the local copy (it no longer matches the server); the next open fetches it whole.
    func discardCopy() {
        try? replica.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: replicaPath + suffix) }
    }

    /// The copy's newest change-log row.
    private func localHead() throws -> (id: Int64, hash: String) {
        try replica.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1")
            return (row?["id"] ?? 0, row?["hash"] ?? "")
        }
    }
}

/// One write on its way to the server: the rows it changed, sent as one `apply_batch` call.
final class ServerWrite: PublishingWrite {
    let link: ServerLink
    let capture: ChangeCapture

    init(link: ServerLink, capture: ChangeCapture) {
        self.link = link
        self.capture = capture
    }

    func publish(_ db: Database, base: Int64) throws {
        let changes = try capture.changes(shapes: link.shapes)
        guard !changes.isEmpty else { return }
        let json = RowChangeJSON.encode(changes)
        let session = link.session
        do {
            _ = try Blocking.run { try await session.rows("SELECT assure.apply_batch($1, $2::jsonb)", [.integer(base), .text(json)]) }
        } catch ServerError.statement(let state, _) where state == "AS001" {
            throw ReplicaBehind(serverHead: base)
        } catch ServerError.statement(let state, let message) where state == "AS002" {
            throw WorkspaceError.conflict("\(message); nothing was written")
        } catch ServerError.statement(let state, let message) where state == "AS004" {
            throw ServerError.refused("\(message); nothing was written")
        }
    }

    func end() { capture.end() }
}

extension Blocking {
    /// Closes a session from synchronous code.
    static func close(_ session: ServerSession) {
        _ = try? run { await session.close() }
    }
}
