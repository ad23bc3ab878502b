import AssureModel
import Foundation
import GRDB

/// What `gap open` is given. `due` may be relative (`+10d`, `eoq`): it is resolved against
/// the workspace clock.
public struct GapDraft: Sendable {
    public var title: String
    public var description: String
    public var severity: Severity
    public var effort: Effort
    public var owner: String?
    public var due: String?
    public var control: String?
    public var criterion: String?

    public init(
        title: String, description: String = "", severity: Severity = .medium, effort: Effort = .m,
        owner: String? = nil, due: String? = nil, control: String? = nil, criterion: String? = nil
    ) {
        self.title = title; self.description = description; self.severity = severity
        self.effort = effort; self.owner = owner; self.due = due; self.control = control
        self.criterion = criterion
    }
}

extension Workspace {
    /// Opens a new gap and returns its reference (`GAP-26`).
    @discardableResult
    public func openGap(_ draft: GapDraft) throws -> String {
        try perform { db, log in try GapWriter.insert(draft, status: .open, db: db, log: &log, today: clock()) }
    }

    /// Marks gaps remediated with a note saying what was done; records who and when.
    public func remediateGaps(_ refs: [String], note: String) throws {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw WorkspaceError.invalid("remediating a gap needs a note saying what was done (--note TEXT)") }
        try perform { db, log in
            for ref in refs {
                try GapWriter.update(db, log: &log, ref: ref, status: .remediated, note: note,
                                     justification: "", remediatedBy: actor, remediatedAt: log.at)
            }
        }
    }

    /// Reopens remediated or accepted gaps.
    public func reopenGaps(_ refs: [String]) throws {
        try perform { db, log in
            for ref in refs {
                try GapWriter.update(db, log: &log, ref: ref, status: .open, note: "", justification: "",
                                     remediatedBy: nil, remediatedAt: nil)
            }
        }
    }

    /// Marks gaps as being worked on.
    public func startGaps(_ refs: [String]) throws {
        try perform { db, log in
            for ref in refs {
                try GapWriter.update(db, log: &log, ref: ref, status: .inProgress, note: "", justification: "",
                                     remediatedBy: nil, remediatedAt: nil)
            }
        }
    }

    /// Accepts the risk of gaps instead of fixing them; the justification is required.
    public func acceptGaps(_ refs: [String], justification: String) throws {
        let reason = justification.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw WorkspaceError.invalid("accepting a risk needs a justification (--justification TEXT)") }
        try perform { db, log in
            for ref in refs {
                try GapWriter.update(db, log: &log, ref: ref, status: .riskAccepted, note: "", justification: reason,
                                     remediatedBy: nil, remediatedAt: nil)
            }
        }
    }

    /// Sets (or with nil clears) the owner of gaps.
    public func assignGaps(_ refs: [String], owner: String?) throws {
        try perform { db, log in
            let newOwner = try owner.map { try Lookup.owner(db, $0) }
            for ref in refs {
                let gap = try Lookup.gap(db, ref)
                let current = try Int64.fetchOne(db, sql: "SELECT owner_id FROM gap WHERE id = ?", arguments: [gap.id])
                try db.execute(sql: "UPDATE gap SET owner_id = ? WHERE id = ?", arguments: [newOwner?.id, gap.id])
                try log.record(db, entity: "gap", ref: gap.ref, field: "owner",
                               before: try Lookup.ownerName(db, current), after: newOwner?.name)
            }
        }
    }
}

enum GapWriter {
    static func insert(_ draft: GapDraft, status: GapStatus, db: Database, log: inout ChangeRecorder, today: Date) throws -> String {
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw WorkspaceError.invalid("a gap needs a title (--title TEXT)") }
        let due = try draft.due.map { text -> String in
            do { return try DueDate.parse(text, today: today) } catch { throw WorkspaceError.invalid("\(error)") }
        }
        let owner = try draft.owner.map { try Lookup.owner(db, $0) }
        let control = try draft.control.map { try Lookup.control(db, $0) }
        let requirement = try draft.criterion.map { try Lookup.requirement(db, $0) }
        let number = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM gap") ?? 1)
        let ref = "GAP-\(number)"
        try db.execute(
            sql: """
                INSERT INTO gap (number, ref, title, description, severity, effort, control_id, requirement_id,
                                 owner_id, due, status, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [number, ref, title, draft.description, draft.severity.rawValue, draft.effort.rawValue,
                        control?.id, requirement?.id, owner?.id, due, status.rawValue, log.at, log.actor])
        try log.record(db, entity: "gap", ref: ref, field: "created", before: nil, after: title)
        try log.record(db, entity: "gap", ref: ref, field: "severity", before: nil, after: draft.severity.rawValue)
        try log.record(db, entity: "gap", ref: ref, field: "effort", before: nil, after: draft.effort.rawValue)
        try log.record(db, entity: "gap", ref: ref, field: "status", before: nil, after: status.rawValue)
        if !draft.description.isEmpty { try log.record(db, entity: "gap", ref: ref, field: "description", before: nil, after: draft.description) }
        try log.record(db, entity: "gap", ref: ref, field: "owner", before: nil, after: owner?.name)
        try log.record(db, entity: "gap", ref: ref, field: "due", before: nil, after: due)
        try log.record(db, entity: "gap", ref: ref, field: "control", before: nil, after: control?.ref)
        try log.record(db, entity: "gap", ref: ref, field: "criterion", before: nil, after: requirement?.ref)
        return ref
    }

    /// Moves a gap to `status`, recording each field that changes.
    static func update(
        _ db: Database, log: inout ChangeRecorder, ref: String, status: GapStatus, note: String,
        justification: String, remediatedBy: String?, remediatedAt: String?
    ) throws {
        let gap = try Lookup.gap(db, ref)
        let row = try Row.fetchOne(db, sql: "SELECT status, remediation_note, justification, remediated_by, remediated_at FROM gap WHERE id = ?", arguments: [gap.id])!
        try db.execute(
            sql: "UPDATE gap SET status = ?, remediation_note = ?, justification = ?, remediated_by = ?, remediated_at = ? WHERE id = ?",
            arguments: [status.rawValue, note, justification, remediatedBy, remediatedAt, gap.id])
        try log.record(db, entity: "gap", ref: gap.ref, field: "status", before: row["status"], after: status.rawValue)
        try log.record(db, entity: "gap", ref: gap.ref, field: "remediation_note", before: row["remediation_note"], after: note)
        try log.record(db, entity: "gap", ref: gap.ref, field: "justification", before: row["justification"], after: justification)
        try log.record(db, entity: "gap", ref: gap.ref, field: "remediated_by", before: row["remediated_by"], after: remediatedBy)
        try log.record(db, entity: "gap", ref: gap.ref, field: "remediated_at", before: row["remediated_at"], after: remediatedAt)
    }
}
