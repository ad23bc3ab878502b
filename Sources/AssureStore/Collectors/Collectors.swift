import AssureModel
import Foundation
import GRDB

/// A collector: a command the company trusts, run for one control, whose output becomes evidence.
public struct CollectorDraft: Sendable, Equatable {
    public var name: String
    public var control: String
    public var command: String
    public var every: CollectorEvery?
    public var timeoutSeconds: Int
    public var format: CollectorFormat
    public var acceptOnSuccess: Bool
    public init(
        name: String, control: String, command: String, every: CollectorEvery? = nil, timeoutSeconds: Int = 60,
        format: CollectorFormat = .text, acceptOnSuccess: Bool = false
    ) {
        self.name = name; self.control = control; self.command = command; self.every = every
        self.timeoutSeconds = timeoutSeconds; self.format = format; self.acceptOnSuccess = acceptOnSuccess
    }
}

/// What `collector edit` changes; nil leaves a field as it is (`every: .some(nil)` clears the schedule).
public struct CollectorEdit: Sendable, Equatable {
    public var control: String?
    public var command: String?
    public var every: CollectorEvery??
    public var timeoutSeconds: Int?
    public var format: CollectorFormat?
    public var acceptOnSuccess: Bool?
    public init() {}
}

/// One run of a collector, passed or not.
public struct CollectorRunSummary: Sendable {
    public var id: Int64
    public var collector: String
    public var command: String
    public var started: String
    public var ended: String
    public var exitStatus: Int?
    public var outcome: CollectorOutcome
    public var reason: String
    public var host: String
    public var user: String
    public var stdoutSHA256: String?
    public var stdoutSize: Int64
    public var stderrSHA256: String?
    /// The evidence item made of its output (passed runs only).
    public var evidence: String?
    /// Set only on the result of `runCollector`: whether the item was accepted automatically,
    /// and the drift event the run opened, if any.
    public var accepted: Bool = false
    public var drift: Int64?
}

public struct CollectorSummary: Sendable {
    public var id: Int64
    public var name: String
    public var control: String
    public var command: String
    public var every: CollectorEvery?
    public var timeoutSeconds: Int
    public var format: CollectorFormat
    public var acceptOnSuccess: Bool
    /// `active` or `removed` (a removed collector keeps its runs).
    public var status: String
    public var createdBy: String
    public var createdAt: String
    public var lastRun: CollectorRunSummary?
    /// The day of its last passed run.
    public var lastPassed: String?
    /// The day `--due` runs it next; nil when it has no schedule.
    public var nextDue: String?
    /// Whether `assure collect --due` would run it now.
    public var due: Bool
}

extension WorkspaceReader {
    /// Collectors by name, each with its last run and when it is next due.
    public func collectors(today: String, now: Date = Date(), includeRemoved: Bool = false) throws -> [CollectorSummary] {
        let sql = """
            SELECT k.id, k.name, c.ref, k.command, k.every, k.timeout_seconds, k.format, k.accept_on_success, k.status,
                   k.created_by, k.created_at
            FROM collector k JOIN control c ON c.id = k.control_id
            """ + (includeRemoved ? "" : " WHERE k.status = 'active'") + " ORDER BY k.name COLLATE NOCASE"
        var result: [CollectorSummary] = []
        for row in try Row.fetchAll(db, sql: sql) {
            let id: Int64 = row[0]
            let every: String? = row[4]
            let format: String = row[6]
            let accept: Int = row[7]
            var summary = CollectorSummary(
                id: id, name: row[1], control: row[2], command: row[3], every: every.flatMap(CollectorEvery.init(rawValue:)),
                timeoutSeconds: row[5], format: CollectorFormat(rawValue: format) ?? .text, acceptOnSuccess: accept == 1,
                status: row[8], createdBy: row[9], createdAt: row[10], lastRun: nil, lastPassed: nil, nextDue: nil, due: false)
            summary.lastRun = try CollectorRows.runs(db, collectorID: id, limit: 1).first
            let passed = try String.fetchOne(
                db, sql: "SELECT max(started_at) FROM collector_run WHERE collector_id = ? AND outcome = 'passed'",
                arguments: [id])
            summary.lastPassed = passed.map { String($0.prefix(10)) }
            summary.nextDue = CollectorSchedule.nextDue(every: summary.every, lastPassedDay: summary.lastPassed, today: today)
            var lastFailed: Date?
            if let last = summary.lastRun, last.outcome != .passed { lastFailed = CollectorRows.date(last.ended) }
            summary.due =
                summary.status == "active"
                && CollectorSchedule.isDue(every: summary.every, lastPassedDay: summary.lastPassed, lastFailedAt: lastFailed, today: today, now: now)
            result.append(summary)
        }
        return result
    }

    /// One collector by name (removed ones too).
    public func collector(_ name: String, today: String, now: Date = Date()) throws -> CollectorSummary {
        let found = try Lookup.collector(db, name)
        guard let summary = try collectors(today: today, now: now, includeRemoved: true).first(where: { $0.id == found.id }) else {
            throw WorkspaceError.unknownReference(kind: "collector", name: name, suggestions: [])
        }
        return summary
    }

    /// Runs newest first, of one collector or of all.
    public func collectorRuns(collector: String?, limit: Int) throws -> [CollectorRunSummary] {
        let id = try collector.map { try Lookup.collector(db, $0).id }
        return try CollectorRows.runs(db, collectorID: id, limit: limit)
    }
}

enum CollectorRows {
    static func runs(_ db: Database, collectorID: Int64?, limit: Int) throws -> [CollectorRunSummary] {
        var sql = """
            SELECT r.id, k.name, r.command, r.started_at, r.ended_at, r.exit_status, r.outcome, r.reason, r.host, r.user,
                   r.stdout_sha256, r.stdout_size, r.stderr_sha256, e.ref
            FROM collector_run r JOIN collector k ON k.id = r.collector_id LEFT JOIN evidence e ON e.id = r.evidence_id
            """
        var arguments: [DatabaseValueConvertible] = []
        if let collectorID { sql += " WHERE r.collector_id = ?"; arguments.append(collectorID) }
        sql += " ORDER BY r.started_at DESC, r.id DESC LIMIT ?"
        arguments.append(max(0, limit))
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(run)
    }

    static func run(_ row: Row) -> CollectorRunSummary {
        let outcome: String = row[6]
        return CollectorRunSummary(
            id: row[0], collector: row[1], command: row[2], started: row[3], ended: row[4], exitStatus: row[5],
            outcome: CollectorOutcome(rawValue: outcome) ?? .failed, reason: row[7], host: row[8], user: row[9],
            stdoutSHA256: row[10], stdoutSize: row[11], stderrSHA256: row[12], evidence: row[13])
    }

    static func date(_ iso: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: iso)
    }

    /// Names are typed on command lines and used in file names: letters, digits, `.`, `_`, `-`.
    static func checkName(_ name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }),
            name.first != "-", name.first != "."
        else {
            throw WorkspaceError.invalid("'\(name)' is not a collector name: use up to 64 letters, digits, '.', '_' or '-', e.g. okta-admins")
        }
    }

    static func checkCommand(_ command: String) throws {
        guard !command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw WorkspaceError.invalid("a collector needs a command (--run \"COMMAND\")")
        }
    }

    static func checkTimeout(_ seconds: Int) throws {
        guard (1...86_400).contains(seconds) else { throw WorkspaceError.invalid("a timeout is 1 second to a day, not \(seconds) seconds") }
    }
}

extension WorkspaceWriter {
    /// Adds a collector (or brings back a removed one of the same name, its history kept).
    @discardableResult
    public func addCollector(_ draft: CollectorDraft) throws -> Int64 {
        try CollectorRows.checkName(draft.name)
        try CollectorRows.checkCommand(draft.command)
        try CollectorRows.checkTimeout(draft.timeoutSeconds)
        let control = try Lookup.control(db, draft.control)
        let at = Timestamps.iso(actor.now)
        let id: Int64
        if let existing = try Row.fetchOne(db, sql: "SELECT id, name, status FROM collector WHERE name = ?", arguments: [draft.name]) {
            let status: String = existing[2]
            guard status == "removed" else { throw WorkspaceError.duplicate(kind: "collector", name: existing[1]) }
            id = existing[0]
            try db.execute(
                sql: """
                    UPDATE collector SET name = ?, control_id = ?, command = ?, every = ?, timeout_seconds = ?, format = ?, accept_on_success = ?,
                           status = 'active' WHERE id = ?
                    """,
                arguments: [
                    draft.name, control.id, draft.command, draft.every?.rawValue, draft.timeoutSeconds, draft.format.rawValue,
                    draft.acceptOnSuccess ? 1 : 0, id,
                ])
            try log.record(db, entity: "collector", ref: draft.name, id: id, field: "status", before: "removed", after: "active")
        } else {
            try db.execute(
                sql: """
                    INSERT INTO collector (name, control_id, command, every, timeout_seconds, format, accept_on_success, created_by, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    draft.name, control.id, draft.command, draft.every?.rawValue, draft.timeoutSeconds, draft.format.rawValue,
                    draft.acceptOnSuccess ? 1 : 0, actor.name, at,
                ])
            id = db.lastInsertedRowID
            try log.record(db, entity: "collector", ref: draft.name, id: id, field: "created", before: nil, after: control.ref)
        }
        try log.record(db, entity: "collector", ref: draft.name, id: id, field: "control", before: nil, after: control.ref)
        try log.record(db, entity: "collector", ref: draft.name, id: id, field: "command", before: nil, after: draft.command)
        try log.record(db, entity: "collector", ref: draft.name, id: id, field: "every", before: nil, after: draft.every?.rawValue)
        try log.record(db, entity: "collector", ref: draft.name, id: id, field: "timeout_seconds", before: nil, after: String(draft.timeoutSeconds))
        try log.record(db, entity: "collector", ref: draft.name, id: id, field: "format", before: nil, after: draft.format.rawValue)
        try log.record(
            db, entity: "collector", ref: draft.name, id: id, field: "accept_on_success", before: nil, after: draft.acceptOnSuccess ? "yes" : "no")
        return id
    }

    /// Changes a collector's fields; returns how many changed.
    @discardableResult
    public func editCollector(_ name: String, _ edit: CollectorEdit) throws -> Int {
        let found = try Lookup.collector(db, name)
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT k.name, c.ref, k.command, k.every, k.timeout_seconds, k.format, k.accept_on_success, k.status
                    FROM collector k JOIN control c ON c.id = k.control_id WHERE k.id = ?
                    """, arguments: [found.id])
        else { throw WorkspaceError.unknownReference(kind: "collector", name: name, suggestions: []) }
        let ref: String = row[0]
        let status: String = row[7]
        guard status == "active" else { throw WorkspaceError.invalid("\(ref) was removed; add it again with `assure collector add \(ref) ...`") }
        var changes = 0
        func set(_ column: String, _ field: String, before: String?, after: String?, value: DatabaseValueConvertible?) throws {
            guard before != after else { return }
            try db.execute(sql: "UPDATE collector SET \(column) = ? WHERE id = ?", arguments: [value, found.id])
            try log.record(db, entity: "collector", ref: ref, id: found.id, field: field, before: before, after: after)
            changes += 1
        }
        if let control = edit.control {
            let target = try Lookup.control(db, control)
            try set("control_id", "control", before: row[1], after: target.ref, value: target.id)
        }
        if let command = edit.command {
            try CollectorRows.checkCommand(command)
            try set("command", "command", before: row[2], after: command, value: command)
        }
        if let every = edit.every { try set("every", "every", before: row[3], after: every?.rawValue, value: every?.rawValue) }
        if let timeout = edit.timeoutSeconds {
            try CollectorRows.checkTimeout(timeout)
            let before: Int = row[4]
            try set("timeout_seconds", "timeout_seconds", before: String(before), after: String(timeout), value: timeout)
        }
        if let format = edit.format { try set("format", "format", before: row[5], after: format.rawValue, value: format.rawValue) }
        if let accept = edit.acceptOnSuccess {
            let before: Int = row[6]
            try set("accept_on_success", "accept_on_success", before: before == 1 ? "yes" : "no", after: accept ? "yes" : "no", value: accept ? 1 : 0)
        }
        return changes
    }

    /// Stops a collector from running; its runs and their evidence stay.
    public func removeCollector(_ name: String) throws {
        let found = try Lookup.collector(db, name)
        guard let status = try String.fetchOne(db, sql: "SELECT status FROM collector WHERE id = ?", arguments: [found.id]), status == "active" else {
            throw WorkspaceError.invalid("\(found.name) is already removed")
        }
        try db.execute(sql: "UPDATE collector SET status = 'removed' WHERE id = ?", arguments: [found.id])
        try log.record(db, entity: "collector", ref: found.name, id: found.id, field: "status", before: "active", after: "removed")
    }
}

/// Records one run inside the write transaction: its row, its output in the blob store, and
/// for a passed run an evidence item of its output (accepted when the collector says so), then
/// the drift check.
struct CollectorRunRecorder {
    let writer: WorkspaceWriter
    let collectorID: Int64
    let command: String
    let execution: CollectorExecution
    let host: String
    let user: String

    func record() throws -> CollectorRunSummary {
        let db = writer.db
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT k.name, c.ref, k.accept_on_success FROM collector k JOIN control c ON c.id = k.control_id WHERE k.id = ?
                    """, arguments: [collectorID])
        else { throw WorkspaceError.invalid("the collector was deleted while it ran") }
        let name: String = row[0]
        let control: String = row[1]
        let acceptOnSuccess: Int = row[2]
        let started = Timestamps.iso(execution.started)
        let ended = Timestamps.iso(execution.ended)
        var evidenceID: Int64?
        var evidenceRef: String?
        var stdoutSHA: String?
        var accepted = false
        if execution.outcome == .passed {
            let day = Timestamps.day(execution.started)
            let note = "Collected by `\(command)`: exit \(execution.exitStatus ?? 0), \(started) to \(ended) on \(host) as \(user)."
            let ref = try writer.addEvidence(
                EvidenceDraft(
                    control: control, files: [execution.stdoutPath], provedFrom: day, provedTo: day,
                    source: name, note: note))
            let found = try Lookup.evidence(db, ref)
            evidenceID = found.id
            evidenceRef = ref
            stdoutSHA = try String.fetchOne(
                db, sql: "SELECT sha256 FROM evidence_file WHERE evidence_id = ? ORDER BY version DESC LIMIT 1",
                arguments: [found.id])
            if acceptOnSuccess == 1 {
                // Independent review may forbid this actor; the item then stays pending for a person.
                do {
                    try writer.reviewEvidence(ref, accept: true, note: "accepted automatically: collector exited 0")
                    accepted = true
                } catch WorkspaceError.invalid { accepted = false }
            }
        } else if execution.outcome != .tooLarge, execution.stdoutSize > 0 {
            // What a failed run printed helps find out why; output past the limit is not kept.
            stdoutSHA = try BlobStore.put(db, path: execution.stdoutPath).sha256
        }
        let stderrSHA = execution.stderrSize > 0 ? try BlobStore.put(db, path: execution.stderrPath).sha256 : nil
        try db.execute(
            sql: """
                INSERT INTO collector_run (collector_id, command, started_at, ended_at, exit_status, outcome, reason, host, user,
                                           stdout_sha256, stdout_size, stderr_sha256, evidence_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                collectorID, command, started, ended, execution.exitStatus, execution.outcome.rawValue, execution.reason,
                host, user, stdoutSHA, execution.stdoutSize, stderrSHA, evidenceID,
            ])
        let runID = db.lastInsertedRowID
        var summary = execution.outcome.rawValue + (execution.reason.isEmpty ? "" : ": \(execution.reason)")
        if let evidenceRef { summary += " (\(evidenceRef))" }
        try writer.log.record(db, entity: "collector", ref: name, id: collectorID, field: "run", before: nil, after: "run \(runID) \(summary)")
        var result = CollectorRunSummary(
            id: runID, collector: name, command: command, started: started, ended: ended, exitStatus: execution.exitStatus,
            outcome: execution.outcome, reason: execution.reason, host: host, user: user, stdoutSHA256: stdoutSHA,
            stdoutSize: execution.stdoutSize, stderrSHA256: stderrSHA, evidence: evidenceRef)
        result.accepted = accepted
        if execution.outcome == .passed { result.drift = try writer.checkDrift(collectorID: collectorID, runID: runID) }
        return result
    }
}

extension Lookup {
    static func collector(_ db: Database, _ name: String) throws -> (id: Int64, name: String) {
        if let row = try Row.fetchOne(db, sql: "SELECT id, name FROM collector WHERE name = ?", arguments: [name]) { return (row[0], row[1]) }
        let all = try String.fetchAll(db, sql: "SELECT name FROM collector WHERE status = 'active'")
        throw WorkspaceError.unknownReference(kind: "collector", name: name, suggestions: Suggestions.closest(to: name, in: all))
    }
}
