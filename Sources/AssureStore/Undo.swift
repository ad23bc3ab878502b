import AssureModel
import Foundation
import GRDB

/// Undo and redo by change-log batch. An undo is a new batch that writes the old values back,
/// so history only ever grows; redo is the undo of an undo. An undo is refused when someone
/// has changed one of the fields since, naming who and when.
extension Workspace {
    /// Reverses batch `batch`; returns the new batch and a summary such as "AC-03 owner: Dana Kim".
    @discardableResult
    public func undo(batch: Int64) throws -> (batch: Int64, summary: String) {
        let summary: String = try perform { db, log in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM change_log WHERE batch = ? ORDER BY id", arguments: [batch])
                .map(ChangeLogQueries.record)
            guard !rows.isEmpty else { throw WorkspaceError.invalid("nothing to undo: change batch \(batch) does not exist") }
            for row in rows where !Reversible.entities.contains(row.entity) {
                throw WorkspaceError.invalid("a \(row.entity) change (\(row.field)) cannot be undone")
            }
            // Entities created in the batch are deleted whole; recreated ones come back first.
            let created = Set(rows.filter { $0.field == "created" }.map { "\($0.entity)/\($0.ref)" })
            let deleted = Set(rows.filter { $0.field == "deleted" }.map { "\($0.entity)/\($0.ref)" })
            for row in rows.reversed() {
                let key = "\(row.entity)/\(row.ref)"
                // Only the existence of an entity the batch created or deleted needs checking.
                if (created.contains(key) && row.field != "created") || (deleted.contains(key) && row.field != "deleted") { continue }
                try Reversible.checkUnchanged(db, row)
            }
            // Everything else goes back per entity in one UPDATE, so table rules that tie fields
            // together (a remediated gap needs a note) hold before and after.
            var groups: [(entity: String, ref: String, rows: [ChangeRecord])] = []
            for row in rows.reversed() where !created.contains("\(row.entity)/\(row.ref)") {
                if let i = groups.firstIndex(where: { $0.entity == row.entity && $0.ref == row.ref }) { groups[i].rows.append(row) }
                else { groups.append((row.entity, row.ref, [row])) }
            }
            for group in groups {
                if let deleted = group.rows.first(where: { $0.field == "deleted" }) {
                    try Reversible.recreate(db, entity: group.entity, ref: group.ref, title: deleted.before ?? group.ref, log: log)
                    try log.record(db, entity: group.entity, ref: group.ref, field: "created", before: nil, after: deleted.before)
                }
                let fields = group.rows.filter { $0.field != "deleted" }
                try Reversible.set(db, entity: group.entity, ref: group.ref, fields: fields.map { ($0.field, $0.before) })
                for row in fields {
                    try log.record(db, entity: row.entity, ref: row.ref, field: row.field, before: row.after, after: row.before)
                }
            }
            // Entities the batch created go last, once nothing points at them any more.
            for entity in created {
                let parts = entity.split(separator: "/", maxSplits: 1).map(String.init)
                for row in rows.reversed() where row.entity == parts[0] && row.ref == parts[1] && row.field != "created" {
                    try log.record(db, entity: row.entity, ref: row.ref, field: row.field, before: row.after, after: nil)
                }
                try Reversible.delete(db, entity: parts[0], ref: parts[1])
                try log.record(db, entity: parts[0], ref: parts[1], field: "deleted",
                               before: rows.first { "\($0.entity)/\($0.ref)" == entity && $0.field == "created" }?.after, after: nil)
            }
            return Reversible.summary(rows, reversed: true)
        }
        guard let newBatch = lastBatch else { throw WorkspaceError.invalid("nothing changed") }
        return (newBatch, summary)
    }
}

enum Reversible {
    static let entities: Set<String> = ["control", "gap", "owner"]

    /// Column and value conversion for each field the log records.
    static func column(entity: String, field: String) -> String? {
        switch (entity, field) {
        case ("control", "owner"): return "owner_id"
        case ("control", "backup_owner"): return "backup_owner_id"
        case ("control", "evidence"), ("control", "evidence_hint"): return "evidence_hint"
        case ("control", let f) where ["status", "justification", "title", "description", "frequency"].contains(f): return f
        case ("gap", "owner"): return "owner_id"
        case ("gap", "control"): return "control_id"
        case ("gap", "criterion"): return "requirement_id"
        case ("gap", let f) where ["status", "remediation_note", "justification", "remediated_by", "remediated_at", "severity",
                                     "effort", "due", "title", "description"].contains(f): return f
        case ("owner", let f) where ["handle", "role", "kind"].contains(f): return f
        default: return nil
        }
    }

    static func table(_ entity: String) -> String { entity }
    static func keyColumn(_ entity: String) -> String { entity == "owner" ? "name" : "ref" }

    /// The field's current value, in the log's text form.
    static func current(_ db: Database, entity: String, ref: String, field: String) throws -> String?? {
        guard let column = column(entity: entity, field: field) else { return .none }
        let sql: String
        switch column {
        case "owner_id", "backup_owner_id":
            sql = "SELECT (SELECT name FROM owner WHERE id = t.\(column)) FROM \(table(entity)) t WHERE t.\(keyColumn(entity)) = ?"
        case "control_id": sql = "SELECT (SELECT ref FROM control WHERE id = t.control_id) FROM gap t WHERE t.ref = ?"
        case "requirement_id": sql = "SELECT (SELECT ref FROM requirement WHERE id = t.requirement_id) FROM gap t WHERE t.ref = ?"
        default: sql = "SELECT \(column) FROM \(table(entity)) WHERE \(keyColumn(entity)) = ?"
        }
        guard let row = try Row.fetchOne(db, sql: sql, arguments: [ref]) else { return .none }
        return .some(row[0] as String?)
    }

    static func exists(_ db: Database, entity: String, ref: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM \(table(entity)) WHERE \(keyColumn(entity)) = ?", arguments: [ref]) ?? false
    }

    /// Refuses when the field no longer holds the value the batch left there.
    static func checkUnchanged(_ db: Database, _ row: ChangeRecord) throws {
        let stillThere: Bool
        switch row.field {
        case "created": stillThere = try exists(db, entity: row.entity, ref: row.ref)
        case "deleted": stillThere = try !exists(db, entity: row.entity, ref: row.ref)
        default:
            guard column(entity: row.entity, field: row.field) != nil else {
                throw WorkspaceError.invalid("a change to \(row.entity) \(row.field) cannot be undone")
            }
            let value = try current(db, entity: row.entity, ref: row.ref, field: row.field)
            if case .some(let v) = value { stillThere = v == row.after } else { stillThere = false }
        }
        if stillThere { return }
        let newer = try Row.fetchOne(db, sql: """
            SELECT actor, at FROM change_log WHERE entity = ? AND ref = ? AND (field = ? OR field IN ('created', 'deleted')) AND id > ?
            ORDER BY id DESC LIMIT 1
            """, arguments: [row.entity, row.ref, row.field, row.id])
        let who = newer.map { "\($0["actor"] as String) at \(($0["at"] as String).prefix(16).replacingOccurrences(of: "T", with: " "))" } ?? "someone"
        throw WorkspaceError.conflict("cannot undo: \(row.ref) \(row.field.replacingOccurrences(of: "_", with: " ")) was changed since by \(who)")
    }

    /// Sets several fields of one row in a single UPDATE.
    static func set(_ db: Database, entity: String, ref: String, fields: [(field: String, value: String?)]) throws {
        var assignments: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        for (field, value) in fields {
            guard let column = column(entity: entity, field: field) else { continue }
            let stored: DatabaseValueConvertible?
            switch column {
            case "owner_id", "backup_owner_id": stored = try value.map { try Lookup.owner(db, $0).id }
            case "control_id": stored = try value.map { try Lookup.control(db, $0).id }
            case "requirement_id": stored = try value.map { try Lookup.requirement(db, $0).id }
            case "justification", "remediation_note", "description", "evidence_hint", "handle", "role": stored = value ?? ""
            default: stored = value
            }
            assignments.append("\(column) = ?")
            arguments.append(stored)
        }
        guard !assignments.isEmpty else { return }
        arguments.append(ref)
        try db.execute(sql: "UPDATE \(table(entity)) SET \(assignments.joined(separator: ", ")) WHERE \(keyColumn(entity)) = ?",
                       arguments: StatementArguments(arguments))
    }

    static func delete(_ db: Database, entity: String, ref: String) throws {
        do {
            try db.execute(sql: "DELETE FROM \(table(entity)) WHERE \(keyColumn(entity)) = ?", arguments: [ref])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw WorkspaceError.conflict("cannot undo: \(ref) is now in use elsewhere")
        }
    }

    /// Brings back a deleted gap or owner with defaults; the batch's field rows then restore the rest.
    static func recreate(_ db: Database, entity: String, ref: String, title: String, log: ChangeRecorder) throws {
        switch entity {
        case "gap":
            let number = Int(ref.split(separator: "-").last ?? "") ?? 0
            try db.execute(sql: """
                INSERT INTO gap (number, ref, title, severity, effort, status, created_at, created_by)
                VALUES (?, ?, ?, 'medium', 'M', 'open', ?, ?)
                """, arguments: [number, ref, title, log.at, log.actor])
        case "owner":
            try db.execute(sql: "INSERT INTO owner (name) VALUES (?)", arguments: [ref])
        default:
            throw WorkspaceError.invalid("a \(entity) cannot be recreated")
        }
    }

    /// "AC-03 owner: Dana Kim" for one row, or "3 changes to AC-03, AC-04" for a batch.
    static func summary(_ rows: [ChangeRecord], reversed: Bool) -> String {
        let meaningful = rows.filter { !["remediation_note", "remediated_by", "remediated_at", "justification"].contains($0.field) || rows.count == 1 }
        if meaningful.count == 1 || Set(rows.map(\.ref)).count == 1 {
            let row = rows.first { $0.field == "created" || $0.field == "deleted" } ?? meaningful.first ?? rows[0]
            let value = reversed ? row.before : row.after
            if row.field == "created" { return reversed ? "\(row.ref) removed" : "\(row.ref) created" }
            if row.field == "deleted" { return reversed ? "\(row.ref) restored" : "\(row.ref) removed" }
            return "\(row.ref) \(row.field.replacingOccurrences(of: "_", with: " ")): \(value ?? "none")"
        }
        let refs = Array(Set(rows.map(\.ref))).sorted()
        return "\(refs.count) items (\(refs.prefix(4).joined(separator: ", "))\(refs.count > 4 ? ", ..." : ""))"
    }
}
