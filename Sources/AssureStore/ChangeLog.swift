import AssureModel
import Foundation
import GRDB

/// Writes change-log rows for one transaction. Each row's hash covers its own content and the
/// previous row's hash, so editing or deleting any past row breaks the chain (`verify`).
struct ChangeRecorder {
    static let genesisHash = String(repeating: "0", count: 64)

    let actor: String
    let at: String
    let batch: Int64
    let meetingID: Int64?
    /// When set, a field changed by anyone after this change-log id is a conflict: the caller
    /// was looking at an older value and must not silently overwrite the newer one.
    let baseline: Int64?
    private(set) var nextID: Int64
    private(set) var previousHash: String
    private(set) var count = 0

    static func start(_ db: Database, actor: String, at: String, baseline: Int64? = nil) throws -> ChangeRecorder {
        let last = try Row.fetchOne(db, sql: "SELECT id, hash, batch FROM change_log ORDER BY id DESC LIMIT 1")
        let meeting = try Meetings.openMeetingID(db)
        return ChangeRecorder(
            actor: actor, at: at, batch: (last?["batch"] as Int64? ?? 0) + 1, meetingID: meeting, baseline: baseline,
            nextID: (last?["id"] as Int64? ?? 0) + 1,
            previousHash: last?["hash"] as String? ?? genesisHash)
    }

    /// Records one field change. Unchanged values are not recorded.
    mutating func record(
        _ db: Database, entity: String, ref: String, field: String, before: String?, after: String?
    ) throws {
        if before == after { return }
        if let baseline, let newer = try Row.fetchOne(db, sql: """
            SELECT actor, at, after FROM change_log WHERE entity = ? AND ref = ? AND field = ? AND id > ?
            ORDER BY id DESC LIMIT 1
            """, arguments: [entity, ref, field, baseline]) {
            let when = (newer["at"] as String).prefix(16).replacingOccurrences(of: "T", with: " ")
            let value = (newer["after"] as String?) ?? "none"
            throw WorkspaceError.conflict("\(ref) \(field.replacingOccurrences(of: "_", with: " ")) was changed by \(newer["actor"] as String) at \(when) (now \(value)); nothing was written")
        }
        let row = ChangeRecord(
            id: nextID, at: at, actor: actor, entity: entity, ref: ref, field: field,
            before: before, after: after, batch: batch, meeting: meetingID.map(String.init))
        let hash = ChangeRecorder.hash(row, previous: previousHash)
        try db.execute(
            sql: """
                INSERT INTO change_log (id, at, actor, entity, ref, field, before, after, batch, meeting_id, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [nextID, at, actor, entity, ref, field, before, after, batch, meetingID, previousHash, hash])
        previousHash = hash
        nextID += 1
        count += 1
    }

    /// The canonical text hashed for a row: fields joined by the ASCII unit separator, with
    /// a NUL marking an absent value so that nil and "" hash differently.
    static func hash(_ row: ChangeRecord, previous: String) -> String {
        func field(_ value: String?) -> String { value ?? "\u{0}" }
        let text = [
            previous, String(row.id), row.at, row.actor, row.entity, row.ref, row.field,
            field(row.before), field(row.after), String(row.batch), field(row.meeting),
        ].joined(separator: "\u{1F}")
        return SHA256.hex(text)
    }
}

/// The result of checking the change-log chain.
public struct ChainVerification: Equatable, Sendable {
    public var rows: Int
    public var head: String
    /// The id of the first row whose hash or link does not match, and why.
    public var firstBadRow: Int64?
    public var problem: String?
    public var isIntact: Bool { firstBadRow == nil }
}

extension Workspace {
    /// Walks the whole chain in id order, recomputing every hash.
    public func verifyChain() throws -> ChainVerification {
        try read { db in
            var previous = ChangeRecorder.genesisHash
            var expectedID: Int64 = 1
            var rows = 0
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT id, at, actor, entity, ref, field, before, after, batch, meeting_id, prev_hash, hash
                FROM change_log ORDER BY id
                """)
            while let row = try cursor.next() {
                let record = ChangeLogQueries.record(row)
                if record.id != expectedID {
                    return ChainVerification(rows: rows, head: previous, firstBadRow: expectedID,
                                             problem: "row \(expectedID) is missing (next row is \(record.id))")
                }
                let storedPrev: String = row["prev_hash"]
                if storedPrev != previous {
                    return ChainVerification(rows: rows, head: previous, firstBadRow: record.id,
                                             problem: "row \(record.id) does not link to row \(record.id - 1)")
                }
                if ChangeRecorder.hash(record, previous: previous) != record.hash {
                    return ChainVerification(rows: rows, head: previous, firstBadRow: record.id,
                                             problem: "row \(record.id) was altered: its content does not match its hash")
                }
                previous = record.hash
                expectedID += 1
                rows += 1
            }
            return ChainVerification(rows: rows, head: previous, firstBadRow: nil, problem: nil)
        }
    }

    /// The hash of the newest change-log row.
    public func chainHead() throws -> String {
        try read { db in
            try String.fetchOne(db, sql: "SELECT hash FROM change_log ORDER BY id DESC LIMIT 1") ?? ChangeRecorder.genesisHash
        }
    }
}

public struct LogFilter: Sendable {
    public var since: String?
    public var actor: String?
    public var entity: String?
    public var ref: String?
    public var limit: Int?
    public init(since: String? = nil, actor: String? = nil, entity: String? = nil, ref: String? = nil, limit: Int? = nil) {
        self.since = since; self.actor = actor; self.entity = entity; self.ref = ref; self.limit = limit
    }
}

enum ChangeLogQueries {
    static func record(_ row: Row) -> ChangeRecord {
        ChangeRecord(
            id: row["id"], at: row["at"], actor: row["actor"], entity: row["entity"], ref: row["ref"],
            field: row["field"], before: row["before"], after: row["after"], batch: row["batch"],
            meeting: (row["meeting_id"] as Int64?).map(String.init), hash: row["hash"])
    }
}

extension Workspace {
    /// Change-log rows, oldest first, filtered. `since` is a date or timestamp prefix.
    public func log(_ filter: LogFilter = LogFilter()) throws -> [ChangeRecord] {
        try read { db in
            var clauses: [String] = []
            var arguments: [DatabaseValueConvertible?] = []
            if let since = filter.since { clauses.append("at >= ?"); arguments.append(since) }
            if let actor = filter.actor { clauses.append("actor = ? COLLATE NOCASE"); arguments.append(actor) }
            if let entity = filter.entity { clauses.append("entity = ? COLLATE NOCASE"); arguments.append(entity) }
            if let ref = filter.ref { clauses.append("ref = ? COLLATE NOCASE"); arguments.append(ref) }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            var sql = "SELECT * FROM change_log \(whereSQL) ORDER BY id"
            if let limit = filter.limit {
                sql = "SELECT * FROM (SELECT * FROM change_log \(whereSQL) ORDER BY id DESC LIMIT \(limit)) ORDER BY id"
            }
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(ChangeLogQueries.record)
        }
    }

    /// The newest change to one field of one entity, for the detail strip ("last change by").
    public func lastChange(entity: String, ref: String) throws -> ChangeRecord? {
        try read { db in
            // The first row of the newest batch: "status open -> remediated" rather than its bookkeeping.
            try Row.fetchOne(db, sql: "SELECT * FROM change_log WHERE entity = ? AND ref = ? ORDER BY batch DESC, id ASC LIMIT 1",
                             arguments: [entity, ref]).map(ChangeLogQueries.record)
        }
    }
}
