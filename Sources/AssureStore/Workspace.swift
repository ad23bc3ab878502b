import AssureModel
import Foundation
import GRDB

/// Who makes a change and when, passed into every write (the handle keeps no such state).
public struct Actor: Sendable, Equatable {
    /// A free name: an auditor or a guest need not own anything (`--as`, `ASSURE_USER`).
    public var name: String
    public var now: Date
    /// The change-log id of what the person was looking at when they began the edit (a form
    /// opened, a picker shown). A field someone else changed after it is a conflict, refused.
    public var baseline: Int64?
    public init(_ name: String, now: Date = Date(), baseline: Int64? = nil) {
        self.name = name; self.now = now; self.baseline = baseline
    }
}

/// What a write produced, and the change-log batch it recorded (nil when nothing changed):
/// the batch is what undo reverses.
public struct Written<Value> {
    public let value: Value
    public let batch: Int64?
}

/// One open workspace file: a thin handle. Reads run in one read transaction through a
/// `WorkspaceReader`; every write is one IMMEDIATE transaction through a `WorkspaceWriter`
/// that records each field it changes in the hash-chained change log. The entity readers and
/// writers live in `Entities/`, one file each.
/// Sendable: every stored property is an immutable `let` of a Sendable type (GRDB's writers
/// serialise their own access), so one handle may be read from several threads at once.
public final class Workspace: Sendable {
    public let path: String
    public let isReadOnly: Bool
    let writer: any DatabaseWriter
    /// Set when opening an older workspace made a backup before migrating.
    public let backupPath: String?
    /// Set on a server workspace's local copy: every write goes to the server before it commits.
    let publisher: (any WritePublisher)?

    init(path: String, writer: any DatabaseWriter, readOnly: Bool, backupPath: String? = nil, publisher: (any WritePublisher)? = nil) {
        self.path = path; self.writer = writer; self.isReadOnly = readOnly; self.backupPath = backupPath
        self.publisher = publisher
    }

    /// A server workspace's local copy, opened so that each write is published first.
    /// Read-only, it still keeps the publisher, which keeps the copy up to date (and is closed with it).
    package static func openReplica(path: String, readOnly: Bool = false, publisher: any WritePublisher) throws -> Workspace {
        let opened = try open(path: path)
        return Workspace(path: path, writer: opened.writer, readOnly: readOnly, publisher: publisher)
    }

    static func configuration(readOnly: Bool = false) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.readonly = readOnly
        config.label = "assure"
        return config
    }

    // MARK: - Opening and creating

    /// Opens an existing workspace. Refuses what is not a regular file (a directory, a named
    /// pipe), foreign or truncated files before writing anything, refuses files from a newer
    /// assure, and migrates older ones after a dated backup. A symbolic link opens its target.
    /// Read-only opens never write to the file: an older workspace is refused (open it once
    /// writable to upgrade it), and one in a folder we cannot write to is opened `immutable`
    /// (SQLite could not create the `-shm` file a WAL reader needs there).
    public static func open(path: String, readOnly: Bool = false, now: Date = Date()) throws -> Workspace {
        let file = try WorkspaceFile.resolve(path: path)
        try WorkspaceFile.validateHeader(path: path, file: file)
        let writer: any DatabaseWriter
        do {
            writer =
                try readOnly && !WorkspaceFile.folderIsWritable(file)
                ? openInReadOnlyFolder(path: path, file: file)
                : DatabasePool(path: file, configuration: configuration(readOnly: readOnly))
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw WorkspaceError.cannotOpen(path: path, reason: describe(error))
        }
        let applied: [String]
        do {
            applied = try writer.read { db in try Schema.migrator.appliedIdentifiers(db) }.sorted()
            _ = try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM workspace") }
        } catch {
            throw WorkspaceError.notAWorkspace(path: path, reason: describe(error))
        }
        let known = Schema.knownMigrations
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw WorkspaceError.newerVersion(path: path, unknown: unknown) }
        var backupPath: String?
        if applied.count < known.count {
            guard !readOnly, let pool = writer as? DatabasePool else {
                throw WorkspaceError.cannotOpen(
                    path: path,
                    reason: "written by an older assure; open it once writable (without --readonly, e.g. `assure open \(path)`) to upgrade it")
            }
            backupPath = try backup(pool, path: file, now: now)
            do { try Schema.migrator.migrate(pool) } catch {
                throw WorkspaceError.cannotOpen(
                    path: path, reason: "upgrading failed (\(describe(error))); the file is unchanged and a copy is at \(backupPath!)")
            }
        }
        return Workspace(path: path, writer: writer, readOnly: readOnly, backupPath: backupPath)
    }

    /// A read-only open where the folder is not writable. A plain read-only connection works
    /// when the `-shm` and `-wal` files are there already; otherwise the file is opened
    /// `immutable`, which is exact only when no `-wal` file holds changes not yet in the file.
    private static func openInReadOnlyFolder(path: String, file: String) throws -> any DatabaseWriter {
        let wal = file + "-wal"
        let walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? nil
        if let walSize {
            if FileManager.default.fileExists(atPath: file + "-shm"),
                let pool = try? DatabasePool(path: file, configuration: configuration(readOnly: true)),
                (try? pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }) != nil
            {
                return pool
            }
            if walSize > 0 {
                throw WorkspaceError.cannotOpen(
                    path: path,
                    reason: "its folder is read-only and \(wal) holds changes not yet in the file; open it once where the folder is writable")
            }
        }
        return try openImmutable(file)
    }

    /// Opens `file` with SQLite's `immutable` flag: no locks, no `-shm`, nothing written.
    static func openImmutable(_ file: String) throws -> DatabaseQueue {
        var escaped = ""
        for character in file {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.append(character)
            }
        }
        return try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: configuration(readOnly: true))
    }

    /// Creates a new, empty workspace file (mode 0600) with the built-in catalogs of
    /// `frameworks` (SOC 2 is always there, out of scope when not named).
    public static func create(path: String, scope: Scope, frameworks: [String] = [Framework.soc2ID], by actor: Actor) throws -> Workspace {
        try WorkspaceFile.createPrivate(path: path)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration())
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
            }
            try Schema.migrator.migrate(pool)
            let workspace = Workspace(path: path, writer: pool, readOnly: false)
            try workspace.initialize(scope: scope, frameworks: frameworks, by: actor)
            // The new pages, the header that marks the file as ours among them, are in the
            // write-ahead log until a checkpoint. Copied into the file now, so another process
            // can tell the file is a workspace while this one keeps it open.
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            return workspace
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: path + "-wal")
            try? FileManager.default.removeItem(atPath: path + "-shm")
            throw error
        }
    }

    /// An in-memory workspace for tests and the workbench's screen tests.
    public static func inMemory(scope: Scope, frameworks: [String] = [Framework.soc2ID], by actor: Actor = Actor("test")) throws -> Workspace {
        let queue = try DatabaseQueue(configuration: configuration())
        try Schema.migrator.migrate(queue)
        let workspace = Workspace(path: ":memory:", writer: queue, readOnly: false)
        try workspace.initialize(scope: scope, frameworks: frameworks, by: actor)
        return workspace
    }

    /// A separate in-memory workspace holding this one's rows, copied page by page with SQLite's
    /// backup: the test fixtures build each sample once and hand every test its own copy.
    package func inMemoryCopy() throws -> Workspace {
        let queue = try DatabaseQueue(configuration: Self.configuration())
        try writer.backup(to: queue)
        return Workspace(path: ":memory:", writer: queue, readOnly: false)
    }

    private func initialize(scope: Scope, frameworks: [String], by actor: Actor) throws {
        let wanted = try BuiltInFrameworks.checked(frameworks)
        let catalogs = try BuiltIn.frameworkIDs.filter { $0 == Framework.soc2ID || wanted.contains($0) }.map(BuiltIn.catalog)
        try write(actor) { w in
            try w.db.execute(
                sql: "INSERT INTO workspace (id, company, system, created_at) VALUES (1, ?, ?, ?)",
                arguments: [scope.company, scope.system, w.log.at])
            try w.log.record(w.db, entity: "workspace", ref: scope.company, field: "created", before: nil, after: scope.company)
            for catalog in catalogs { try CatalogWriter.insert(catalog, source: "built-in", db: w.db, log: &w.log) }
            try w.setSOC2Scope(scope)
            if !wanted.contains(Framework.soc2ID) { try w.setFrameworkInScope(Framework.soc2ID, false) }
            // Every programme starts from the six core policies (drafts to adopt) and the starter
            // risks (linked to the starter controls once those are loaded).
            _ = try w.installBuiltInPolicies()
            _ = try w.installStarterRisks()
        }
    }

    private static func backup(_ pool: DatabasePool, path: String, now: Date) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let target = "\(path).bak-\(formatter.string(from: now))"
        try WorkspaceFile.createPrivate(path: target)
        let copy = try DatabaseQueue(path: target)
        try pool.backup(to: copy)
        try copy.close()
        return target
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error)" }
        return "\(error)"
    }

    /// Closes the file; further calls fail.
    public func close() throws {
        publisher?.close()
        if let pool = writer as? DatabasePool { try pool.close() }
        if let queue = writer as? DatabaseQueue { try queue.close() }
    }

    // MARK: - Transactions

    /// Runs `body` in one read transaction: everything it reads belongs to one state of the file.
    public func read<T>(_ body: (WorkspaceReader) throws -> T) throws -> T {
        try writer.read { db in try body(WorkspaceReader(db: db)) }
    }

    /// Runs one user intent as one IMMEDIATE transaction with a change-log batch. Any thrown
    /// error rolls back every change, the log rows included. Just before commit, the new digest
    /// of every table the transaction changed is recorded in the chain (`TableState.record`),
    /// so `verify` can tell these changes from edits made behind assure's back.
    @discardableResult
    public func write<T>(_ actor: Actor, _ body: (WorkspaceWriter) throws -> T) throws -> Written<T> {
        if isReadOnly { throw WorkspaceError.readOnly }
        guard let publisher else { return try writeOnce(actor, body) }
        do { return try writeOnce(actor, body) } catch is ReplicaBehind {}
        // Someone else's write reached the server first: take it in, holding the server's append
        // lock, and make this one again on top of it (its conflict checks then see that write).
        try publisher.catchUp(exclusive: true)
        defer { publisher.endExclusive() }
        return try writeOnce(actor, body)
    }

    private func writeOnce<T>(_ actor: Actor, _ body: (WorkspaceWriter) throws -> T) throws -> Written<T> {
        let at = Timestamps.iso(actor.now)
        var batch: Int64?
        let value: T = try writer.writeWithoutTransaction { db in
            var result: T?
            let tracker = TableChangeTracker()
            db.add(transactionObserver: tracker, extent: .observerLifetime)
            defer { db.remove(transactionObserver: tracker) }
            try db.inTransaction(.immediate) {
                let publishing = try publisher?.begin(db)
                defer { publishing?.end() }
                let log = try ChangeRecorder.start(db, actor: actor.name, at: at, baseline: actor.baseline)
                let base = log.nextID - 1
                let firstBatch = log.nextID == 1
                let writer = WorkspaceWriter(db: db, log: log, actor: actor)
                do { result = try body(writer) } catch let violation as RuleViolation {
                    throw WorkspaceError.invalid(violation.description)
                }
                // A row that only records the tables' state is no change to undo: the batch
                // stays nil when the body logged nothing.
                batch = writer.log.count > 0 ? writer.log.batch : nil
                try TableState.record(db, log: &writer.log, tracker: tracker, firstBatch: firstBatch)
                try publishing?.publish(db, base: base)
                return .commit
            }
            return result!
        }
        return Written(value: value, batch: batch)
    }

    /// `PRAGMA data_version`: changes when another connection (or process) commits. The
    /// workbench polls it on its idle tick to pick up other people's edits.
    public func dataVersion() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }
}

/// Reads inside one read transaction. The entity files add what each entity offers.
public struct WorkspaceReader {
    let db: Database
    /// What this transaction has already read and may read again (every framework's summaries,
    /// all controls, all gaps): one state of the file, so it cannot go stale within it.
    let cache = ReadCache()
}

/// Memo of one read transaction's whole-table reads.
final class ReadCache {
    var summaries: [String: [RequirementSummary]] = [:]
    var controls: [Control]?
    /// Every control's line: once read, each framework's summaries take their mapped controls
    /// from it rather than reading the mappings and controls again.
    var controlLines: [ControlLine]?
    var gaps: [Gap]?
}

/// Writes inside one write transaction, each recorded in the change log with the same batch.
public final class WorkspaceWriter {
    let db: Database
    var log: ChangeRecorder
    public let actor: Actor
    init(db: Database, log: ChangeRecorder, actor: Actor) { self.db = db; self.log = log; self.actor = actor }
    /// Reads that see this transaction's own writes.
    public var reader: WorkspaceReader { WorkspaceReader(db: db) }
}

/// Timestamps in the change log and on gaps: ISO 8601 in UTC to the second.
public enum Timestamps {
    public static func iso(_ date: Date) -> String { utcISO(date) ?? formatterISO(date) }

    /// What `iso` and `utcISO` must agree with: Foundation's own formatter.
    static func formatterISO(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `YYYY-MM-DD` in UTC.
    public static func day(_ date: Date) -> String { String(iso(date).prefix(10)) }
}
