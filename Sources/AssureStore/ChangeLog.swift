import AssureModel
import Crypto
import Foundation
import GRDB

/// The digest behind the change-log chain: SHA-256 (swift-crypto) of the text's UTF-8 bytes, as
/// 64 lowercase hex digits. Every stored `hash` and `prev_hash` is in exactly this form, so it
/// must never change: workspaces written by any release verify with it.
enum ChainHash {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex(_ text: String) -> String { hex(bytes: Array(text.utf8)) }

    static func hex(bytes: [UInt8]) -> String {
        let digest = bytes.withUnsafeBytes { SHA256.hash(data: $0) }
        var out = [UInt8]()
        out.reserveCapacity(2 * SHA256.byteCount)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

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
    /// The newest row this recorder wrote and the hash before it: the row the batch's table
    /// state goes on at commit (`attachState`).
    private var last: (record: ChangeRecord, previous: String)?

    static func start(_ db: Database, actor: String, at: String, baseline: Int64? = nil) throws -> ChangeRecorder {
        let last = try Row.fetchOne(db, sql: "SELECT id, hash, batch FROM change_log ORDER BY id DESC LIMIT 1")
        let meeting = try Meetings.openMeetingID(db)
        return ChangeRecorder(
            actor: actor, at: at, batch: (last?["batch"] as Int64? ?? 0) + 1, meetingID: meeting, baseline: baseline,
            nextID: (last?["id"] as Int64? ?? 0) + 1,
            previousHash: last?["hash"] as String? ?? genesisHash)
    }

    /// Records one field change. Unchanged values are not recorded. `id` is the entity's row id.
    mutating func record(
        _ db: Database, entity: String, ref: String, id entityID: Int64? = nil, field: String, before: String?, after: String?
    ) throws {
        try append(
            db, entity: entity, ref: ref, entityID: entityID, field: field, before: before, after: after,
            beforeID: nil, afterID: nil)
    }

    /// Records a change to a field that names an owner: by id, with the names of the day.
    mutating func recordOwner(
        _ db: Database, entity: String, ref: String, id entityID: Int64?, field: String, before: Int64?, after: Int64?
    ) throws {
        if before == after { return }
        try append(
            db, entity: entity, ref: ref, entityID: entityID, field: field,
            before: try Lookup.ownerName(db, before), after: try Lookup.ownerName(db, after),
            beforeID: before, afterID: after)
    }

    private mutating func append(
        _ db: Database, entity: String, ref: String, entityID: Int64?, field: String, before: String?, after: String?,
        beforeID: Int64?, afterID: Int64?
    ) throws {
        if before == after && beforeID == afterID { return }
        // The last guard for every write path (the workbench's forms included): nothing stored
        // holds a control character other than tabs and line breaks. Imports and the command
        // line refuse earlier, naming the file, row and column or the argument.
        if let after, let problem = StoredText.firstProblem(in: after, multiline: true) {
            throw WorkspaceError.invalid("\(ref) \(field.replacingOccurrences(of: "_", with: " ")): \(problem.description); nothing was written")
        }
        if let baseline,
            let newer = try Row.fetchOne(
                db,
                sql: """
                    SELECT actor, at, after, after_id FROM change_log
                    WHERE entity = ? AND field = ? AND id > ? AND (ref = ? OR (entity_id IS NOT NULL AND entity_id = ?))
                    ORDER BY id DESC LIMIT 1
                    """, arguments: [entity, field, baseline, ref, entityID])
        {
            let when = (newer["at"] as String).prefix(16).replacingOccurrences(of: "T", with: " ")
            let value = try (newer["after_id"] as Int64?).flatMap { try Lookup.ownerName(db, $0) } ?? (newer["after"] as String?) ?? "none"
            throw WorkspaceError.conflict(
                "\(ref) \(field.replacingOccurrences(of: "_", with: " ")) was changed by \(newer["actor"] as String) at \(when) (now \(value)); nothing was written"
            )
        }
        let row = ChangeRecord(
            id: nextID, at: at, actor: actor, entity: entity, ref: ref, field: field,
            before: before, after: after, batch: batch, meeting: meetingID.map(String.init),
            entityID: entityID, beforeID: beforeID, afterID: afterID)
        try insert(db, row, state: nil)
    }

    /// Records the tables' state on a row of its own (entity `workspace`, field `state`), for a
    /// write that changed tables without logging any field (see `TableState.record`).
    mutating func recordState(_ db: Database, ref: String, summary: String, state: String) throws {
        let row = ChangeRecord(
            id: nextID, at: at, actor: actor, entity: "workspace", ref: ref, field: "state",
            before: nil, after: summary, batch: batch, meeting: meetingID.map(String.init))
        try insert(db, row, state: state)
    }

    /// Puts the tables' state on this batch's newest row, before the transaction commits: that
    /// row is not history yet, so its hash is recomputed to cover the state.
    mutating func attachState(_ db: Database, state: String) throws {
        guard let last else { return }
        let hash = ChangeRecorder.hash(last.record, state: state, previous: last.previous)
        try db.execute(sql: "UPDATE change_log SET state = ?, hash = ? WHERE id = ?", arguments: [state, hash, last.record.id])
        previousHash = hash
        self.last = nil
    }

    private mutating func insert(_ db: Database, _ row: ChangeRecord, state: String?) throws {
        let hash = ChangeRecorder.hash(row, state: state, previous: previousHash)
        try db.execute(
            sql: """
                INSERT INTO change_log (id, at, actor, entity, ref, field, before, after, batch, meeting_id, prev_hash, hash,
                                        entity_id, before_id, after_id, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                row.id, row.at, row.actor, row.entity, row.ref, row.field, row.before, row.after, row.batch, meetingID,
                previousHash, hash, row.entityID, row.beforeID, row.afterID, state,
            ])
        last = (row, previousHash)
        previousHash = hash
        nextID += 1
        count += 1
    }

    /// The hash of a row without a table state (every row written before schema v13, and most since).
    static func hash(_ row: ChangeRecord, previous: String) -> String {
        hash(row, state: nil, previous: previous)
    }

    /// The hash of a row: SHA-256 of its canonical text (`ChainText`).
    static func hash(_ row: ChangeRecord, state: String?, previous: String) -> String {
        var text = ChainText()
        text.append(row, state: state, previous: previous)
        return ChainHash.hex(bytes: text.bytes)
    }
}

/// The canonical text hashed for a change-log row: fields joined by the ASCII unit separator,
/// with a NUL marking an absent value so that nil and "" hash differently. The ids added in
/// schema v5 are appended only when a row has one, so rows written before keep their hash, and
/// clearing or setting an id on any row still breaks it. The table state added in schema v13
/// is appended only when present, after all three ids (NUL-marked when absent): a row with a
/// state always has 15 fields, so it cannot read as a row without one, and rows written
/// before keep their hash. Built as bytes in one buffer: `verify` reuses it for every row.
struct ChainText {
    static let separator: UInt8 = 0x1F
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(512) }

    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    mutating func append(_ row: ChangeRecord, state: String?, previous: String) {
        text(previous); separator(); integer(row.id); separator()
        text(row.at); separator(); text(row.actor); separator(); text(row.entity); separator()
        text(row.ref); separator(); text(row.field); separator()
        optional(row.before); separator(); optional(row.after); separator()
        integer(row.batch); separator(); optional(row.meeting)
        if state != nil || row.entityID != nil || row.beforeID != nil || row.afterID != nil {
            for id in [row.entityID, row.beforeID, row.afterID] {
                separator()
                if let id { integer(id) } else { absent() }
            }
        }
        if let state { separator(); text(state) }
    }

    @inline(__always) mutating func separator() { bytes.append(ChainText.separator) }
    @inline(__always) mutating func absent() { bytes.append(0) }
    mutating func text(_ value: String) { bytes.append(contentsOf: value.utf8) }
    mutating func optional(_ value: String?) { if let value { text(value) } else { absent() } }

    @inline(__always) mutating func raw<Bytes: Sequence>(_ value: Bytes) where Bytes.Element == UInt8 { bytes.append(contentsOf: value) }

    /// Decimal, as `String(Int64)` spells it (a small string: no allocation).
    mutating func integer(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }
}

/// Where the change log stood when something was read: how many rows it had and the newest
/// row's hash. Printed on minutes, reports and Markdown exports so that a later
/// `assure verify --expect HEAD --expect-count ROWS` shows the log still holds what they were
/// made from (the chain alone cannot show that its newest rows were deleted).
public struct ChainAnchor: Equatable, Sendable {
    public var rows: Int
    public var head: String
    public init(rows: Int, head: String) { self.rows = rows; self.head = head }

    /// "Change log: 266 rows, head 6d9b42…" (the full hash).
    public var line: String { "Change log: \(rows) \(rows == 1 ? "row" : "rows"), head \(head)" }
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
    /// The columns as stored: what the hash covers.
    static let rawColumns = "id, at, actor, entity, ref, field, before, after, batch, meeting_id, hash, entity_id, before_id, after_id"

    /// The columns as people read them: owners by today's name (a renamed person is shown by
    /// their new name in every change that names them), the rest as stored.
    static let resolvedColumns = """
        l.id, l.at, l.actor, l.entity,
        CASE WHEN l.entity = 'owner' AND l.entity_id IS NOT NULL
             THEN coalesce((SELECT name FROM owner WHERE id = l.entity_id), l.ref) ELSE l.ref END AS ref,
        l.field,
        CASE WHEN l.before_id IS NOT NULL THEN coalesce((SELECT name FROM owner WHERE id = l.before_id), l.before) ELSE l.before END AS before,
        CASE WHEN l.after_id IS NOT NULL THEN coalesce((SELECT name FROM owner WHERE id = l.after_id), l.after) ELSE l.after END AS after,
        l.batch, l.meeting_id, l.hash, l.entity_id, l.before_id, l.after_id
        """

    /// The query behind `assure log`: the rows `filter` selects, in id order, in `resolvedColumns`.
    static func listing(_ filter: LogFilter) -> (sql: String, arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let since = filter.since { clauses.append("l.at >= ?"); arguments.append(since) }
        if let actor = filter.actor { clauses.append("l.actor = ? COLLATE NOCASE"); arguments.append(actor) }
        if let entity = filter.entity { clauses.append("l.entity = ? COLLATE NOCASE"); arguments.append(entity) }
        if let ref = filter.ref {
            clauses.append("(l.ref = ? COLLATE NOCASE OR (l.entity = 'owner' AND l.entity_id = (SELECT id FROM owner WHERE name = ?)))")
            arguments += [ref, ref]
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        var sql = "SELECT \(resolvedColumns) FROM change_log l \(whereSQL) ORDER BY l.id"
        if let limit = filter.limit {
            sql = "SELECT * FROM (SELECT \(resolvedColumns) FROM change_log l \(whereSQL) ORDER BY l.id DESC LIMIT \(limit)) ORDER BY id"
        }
        return (sql, StatementArguments(arguments))
    }

    /// One row of `rawColumns` or `resolvedColumns` (the same order), read by position: a
    /// lookup by name lowercases the name each time, which `assure log` did 14 million times.
    static func record(_ row: Row) -> ChangeRecord {
        ChangeRecord(
            id: row[0], at: row[1], actor: row[2], entity: row[3], ref: row[4],
            field: row[5], before: row[6], after: row[7], batch: row[8],
            meeting: (row[9] as Int64?).map(String.init), hash: row[10],
            entityID: row[11], beforeID: row[12], afterID: row[13])
    }
}

/// The change log: reading, verifying.
extension WorkspaceReader {
    /// The hash of the newest change-log row.
    public func chainHead() throws -> String {
        try String.fetchOne(db, sql: "SELECT hash FROM change_log ORDER BY id DESC LIMIT 1") ?? ChangeRecorder.genesisHash
    }

    /// The change log's row count and head, in the caller's transaction: read it in the same
    /// `read { }` as the data it vouches for.
    public func chainAnchor() throws -> ChainAnchor {
        let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log") ?? 0
        return ChainAnchor(rows: rows, head: try chainHead())
    }

    /// The id of the change-log row with this hash, if any (to say what an expected head is).
    public func changeID(withHash hash: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM change_log WHERE hash = ? ORDER BY id LIMIT 1", arguments: [hash])
    }

    /// The newest change-log id: every write adds rows, whichever process made it.
    public func changeCounter() throws -> Int64 {
        // Asked on every idle tick of the workbench: kept prepared.
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) FROM change_log")) ?? 0
    }

    /// Change-log rows, oldest first, filtered, owners named as they are called today. `since`
    /// is a date or timestamp prefix; `ref` matches an owner by any name they have had.
    public func log(_ filter: LogFilter = LogFilter()) throws -> [ChangeRecord] {
        var records: [ChangeRecord] = []
        try forEachLogRecord(filter) { records.append($0) }
        return records
    }

    /// The same rows one at a time, in id order, none kept: `assure log` writes each as it is
    /// read, so a million rows need no more memory than one.
    public func forEachLogRecord(_ filter: LogFilter = LogFilter(), _ body: (ChangeRecord) throws -> Void) throws {
        let (sql, arguments) = ChangeLogQueries.listing(filter)
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() { try body(ChangeLogQueries.record(row)) }
    }

    /// The id of the row `lastChange` shows, from the item index alone (LastChangeTests reads
    /// its plan).
    static let lastChangeSQL = """
        SELECT id FROM change_log INDEXED BY change_log_item
        WHERE entity = ?1 AND ref = ?2
          AND batch = (SELECT max(batch) FROM change_log INDEXED BY change_log_item WHERE entity = ?1 AND ref = ?2)
        ORDER BY CASE field WHEN 'created' THEN 2 WHEN 'deleted' THEN 2 WHEN 'status' THEN 1 ELSE 0 END DESC, id
        LIMIT 1
        """

    /// The newest change to an entity, for the detail strip ("last change by").
    public func lastChange(entity: String, ref: String) throws -> ChangeRecord? {
        // The newest batch's row that says what happened: its "created" or "deleted" row, else
        // its status change (an undone remediation writes the fields back in reverse,
        // "remediated_at" first, but what a meeting asks about is "status remediated -> open"),
        // else its first row rather than its bookkeeping. The item index holds each row's
        // batch and field (schema v14), so the newest batch and the weight of each of its rows
        // for the item come from the index alone, however many rows that batch wrote (an
        // import, or a synthetic log of one million-row batch); only the chosen row is read.
        let chosen = try Int64.fetchOne(db.cachedStatement(sql: Self.lastChangeSQL), arguments: [entity, ref])
        guard let chosen else { return nil }
        return try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(ChangeLogQueries.resolvedColumns) FROM change_log l WHERE l.id = ?"), arguments: [chosen]
        ).map(ChangeLogQueries.record)
    }

    /// Change-log rows recorded during a meeting, owners named as today.
    public func changes(inMeeting id: Int64) throws -> [ChangeRecord] {
        try Row.fetchAll(
            db, sql: "SELECT \(ChangeLogQueries.resolvedColumns) FROM change_log l WHERE l.meeting_id = ? ORDER BY l.id",
            arguments: [id]
        ).map(ChangeLogQueries.record)
    }
}
