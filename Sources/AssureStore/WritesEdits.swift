import AssureModel
import GRDB

/// Field edits from the workbench's `e` form. Only fields given (non-nil) change.
public struct ControlEdit: Equatable, Sendable {
    public var title: String?
    public var description: String?
    public var evidenceHint: String?
    public var frequency: Frequency?
    public init(title: String? = nil, description: String? = nil, evidenceHint: String? = nil, frequency: Frequency? = nil) {
        self.title = title; self.description = description; self.evidenceHint = evidenceHint; self.frequency = frequency
    }
}

public struct GapEdit: Equatable, Sendable {
    public var title: String?
    public var description: String?
    public var severity: Severity?
    public var effort: Effort?
    /// A date as typed (`2027-01-31`, `+10d`, `eoq`), or "" to clear the due date.
    public var due: String?
    public init(title: String? = nil, description: String? = nil, severity: Severity? = nil, effort: Effort? = nil, due: String? = nil) {
        self.title = title; self.description = description; self.severity = severity; self.effort = effort; self.due = due
    }
}

extension Workspace {
    public func editControl(_ ref: String, _ edit: ControlEdit) throws {
        if let title = edit.title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw WorkspaceError.invalid("a control needs a title")
        }
        try perform { db, log in
            let control = try Lookup.control(db, ref)
            let row = try Row.fetchOne(db, sql: "SELECT title, description, evidence_hint, frequency FROM control WHERE id = ?", arguments: [control.id])!
            let changes: [(String, String, String?)] = [
                ("title", "title", edit.title?.trimmingCharacters(in: .whitespaces)), ("description", "description", edit.description),
                ("evidence_hint", "evidence_hint", edit.evidenceHint), ("frequency", "frequency", edit.frequency?.rawValue),
            ]
            for (column, field, value) in changes {
                guard let value else { continue }
                try db.execute(sql: "UPDATE control SET \(column) = ? WHERE id = ?", arguments: [value, control.id])
                try log.record(db, entity: "control", ref: control.ref, field: field, before: row[column], after: value)
            }
        }
    }

    public func editGap(_ ref: String, _ edit: GapEdit) throws {
        if let title = edit.title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw WorkspaceError.invalid("a gap needs a title")
        }
        let due: String?? = try edit.due.map { text -> String? in
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            do { return try DueDate.parse(text, today: clock()) } catch { throw WorkspaceError.invalid("\(error)") }
        }
        try perform { db, log in
            let gap = try Lookup.gap(db, ref)
            let row = try Row.fetchOne(db, sql: "SELECT title, description, severity, effort, due FROM gap WHERE id = ?", arguments: [gap.id])!
            let changes: [(String, String?)] = [
                ("title", edit.title?.trimmingCharacters(in: .whitespaces)), ("description", edit.description),
                ("severity", edit.severity?.rawValue), ("effort", edit.effort?.rawValue),
            ]
            for (column, value) in changes {
                guard let value else { continue }
                try db.execute(sql: "UPDATE gap SET \(column) = ? WHERE id = ?", arguments: [value, gap.id])
                try log.record(db, entity: "gap", ref: gap.ref, field: column, before: row[column], after: value)
            }
            if let due {
                try db.execute(sql: "UPDATE gap SET due = ? WHERE id = ?", arguments: [due, gap.id])
                try log.record(db, entity: "gap", ref: gap.ref, field: "due", before: row["due"], after: due)
            }
        }
    }

    /// Assigns controls or gaps to `owner`, first creating the owner when asked to: both in
    /// one transaction, so one undo step removes both.
    public func assignCreatingOwner(_ name: String, controls: [String] = [], backupFor: [String] = [], gaps: [String] = []) throws {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw WorkspaceError.invalid("an owner needs a name") }
        try perform { db, log in
            if try String.fetchOne(db, sql: "SELECT name FROM owner WHERE name = ?", arguments: [name]) == nil {
                try db.execute(sql: "INSERT INTO owner (name) VALUES (?)", arguments: [name])
                try log.record(db, entity: "owner", ref: name, field: "created", before: nil, after: name)
                try log.record(db, entity: "owner", ref: name, field: "kind", before: nil, after: OwnerKind.person.rawValue)
            }
            if !controls.isEmpty { try ControlWriter.assign(db, log: &log, refs: controls, owner: .some(name), backup: nil) }
            if !backupFor.isEmpty { try ControlWriter.assign(db, log: &log, refs: backupFor, owner: nil, backup: .some(name)) }
            let owner = try Lookup.owner(db, name)
            for ref in gaps {
                let gap = try Lookup.gap(db, ref)
                let current = try Int64.fetchOne(db, sql: "SELECT owner_id FROM gap WHERE id = ?", arguments: [gap.id])
                try db.execute(sql: "UPDATE gap SET owner_id = ? WHERE id = ?", arguments: [owner.id, gap.id])
                try log.record(db, entity: "gap", ref: gap.ref, field: "owner", before: try Lookup.ownerName(db, current), after: owner.name)
            }
        }
    }
}
