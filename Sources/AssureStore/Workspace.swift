import AssureModel
import Foundation
import GRDB

/// One open workspace file. Every public write method is a single transaction that checks its
/// invariants and records each field it changes in the hash-chained change log; callers never
/// write the log themselves.
public final class Workspace {
    public let path: String
    /// Who is making changes: `--as`, else `ASSURE_USER`, else the login name.
    public var actor: String
    /// Injected so tests and goldens are deterministic.
    public var clock: () -> Date
    public let isReadOnly: Bool
    let writer: any DatabaseWriter
    /// The change-log id the caller's view of the workspace was read at. When set, writes to a
    /// field someone changed after it are refused (see `ChangeRecorder.baseline`).
    public var conflictBaseline: Int64?
    /// The change-log batch of the last write that changed anything (for undo), else nil.
    public private(set) var lastBatch: Int64?
    /// Set when opening an older workspace made a backup before migrating.
    public private(set) var backupPath: String?

    init(path: String, writer: any DatabaseWriter, actor: String, readOnly: Bool, clock: @escaping () -> Date) {
        self.path = path; self.writer = writer; self.actor = actor; self.isReadOnly = readOnly
        self.clock = clock
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

    /// Opens an existing workspace. Refuses foreign or truncated files before writing anything,
    /// refuses files from a newer assure, and migrates older ones after a dated backup.
    public static func open(
        path: String, actor: String, readOnly: Bool = false, clock: @escaping () -> Date = Date.init
    ) throws -> Workspace {
        try WorkspaceFile.validateHeader(path: path)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration(readOnly: readOnly))
        } catch {
            throw WorkspaceError.cannotOpen(path: path, reason: describe(error))
        }
        let applied: [String]
        do {
            applied = try pool.read { db in try Schema.migrator.appliedIdentifiers(db) }.sorted()
            _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM workspace") }
        } catch {
            throw WorkspaceError.notAWorkspace(path: path, reason: describe(error))
        }
        let known = Schema.knownMigrations
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw WorkspaceError.newerVersion(path: path, unknown: unknown) }
        let workspace = Workspace(path: path, writer: pool, actor: actor, readOnly: readOnly, clock: clock)
        if applied.count < known.count {
            if readOnly {
                throw WorkspaceError.cannotOpen(path: path, reason: "written by an older assure; open it once without --readonly to upgrade it")
            }
            workspace.backupPath = try backup(pool, path: path, now: clock())
            try Schema.migrator.migrate(pool)
        }
        return workspace
    }

    /// Creates a new, empty workspace file (mode 0600) with the built-in SOC 2 catalog.
    public static func create(
        path: String, scope: Scope, actor: String, clock: @escaping () -> Date = Date.init
    ) throws -> Workspace {
        try WorkspaceFile.createPrivate(path: path)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration())
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
            }
            try Schema.migrator.migrate(pool)
            let workspace = Workspace(path: path, writer: pool, actor: actor, readOnly: false, clock: clock)
            try workspace.initialize(scope: scope)
            return workspace
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: path + "-wal")
            try? FileManager.default.removeItem(atPath: path + "-shm")
            throw error
        }
    }

    /// An in-memory workspace for tests and the workbench's screen tests.
    public static func inMemory(
        scope: Scope, actor: String = "test", clock: @escaping () -> Date = Date.init
    ) throws -> Workspace {
        let queue = try DatabaseQueue(configuration: configuration())
        try Schema.migrator.migrate(queue)
        let workspace = Workspace(path: ":memory:", writer: queue, actor: actor, readOnly: false, clock: clock)
        try workspace.initialize(scope: scope)
        return workspace
    }

    private func initialize(scope: Scope) throws {
        let catalog = try BuiltIn.soc2Catalog()
        try perform { db, log in
            try db.execute(
                sql: "INSERT INTO workspace (id, company, system, report_type, created_at) VALUES (1, ?, ?, ?, ?)",
                arguments: [scope.company, scope.system, scope.reportType.rawValue, log.at])
            try log.record(db, entity: "workspace", ref: scope.company, field: "created", before: nil, after: scope.company)
            for category in TSCCategory.allCases {
                let inScope = scope.categories.contains(category)
                try db.execute(sql: "INSERT INTO scope (category, in_scope) VALUES (?, ?)", arguments: [category.rawValue, inScope])
            }
            try log.record(db, entity: "scope", ref: "scope", field: "categories", before: nil,
                           after: scope.orderedCategories.map(\.rawValue).joined(separator: ","))
            try CatalogWriter.insert(catalog, db: db, log: &log)
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
        if let pool = writer as? DatabasePool { try pool.close() }
        if let queue = writer as? DatabaseQueue { try queue.close() }
    }

    // MARK: - Transactions

    /// Runs one user intent as one IMMEDIATE transaction with a change-log batch. Any thrown
    /// error rolls back every change, the log rows included.
    @discardableResult
    func perform<T>(_ body: (Database, inout ChangeRecorder) throws -> T) throws -> T {
        if isReadOnly { throw WorkspaceError.readOnly }
        let at = Timestamps.iso(clock())
        var batch: Int64?
        let value: T = try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                var log = try ChangeRecorder.start(db, actor: actor, at: at, baseline: conflictBaseline)
                result = try body(db, &log)
                batch = log.count > 0 ? log.batch : nil
                return .commit
            }
            return result!
        }
        lastBatch = batch
        return value
    }

    /// One transaction with its change-log batch, for tests inside this module's test target.
    func performWrite(_ body: (Database, inout ChangeRecorder) throws -> Void) throws { try perform(body) }

    /// Runs a read on a consistent snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    /// `PRAGMA data_version`: changes when another connection (or process) commits. The
    /// workbench polls it on its idle tick to pick up other people's edits.
    public func dataVersion() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// A number that changes whenever anything is written, by this or another process.
    public func changeCounter() throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM change_log") ?? 0 }
    }
}

/// Timestamps in the change log and on gaps: ISO 8601 in UTC to the second.
public enum Timestamps {
    public static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `YYYY-MM-DD` in UTC.
    public static func day(_ date: Date) -> String { String(iso(date).prefix(10)) }
}
