import AssureModel
import Foundation
import GRDB

/// Undo and redo by change-log batch. An undo is a new batch that writes the old values back,
/// so history only ever grows; redo is the undo of an undo. An undo is refused when someone
/// has changed one of the fields since, naming who and when. Rows written since schema v5 name
/// their entity and any owner by id, so an undo after a rename finds the same rows and names
/// people as they are called now; older rows are matched by reference and name.
///
/// Every undo also records one marker row in its own batch (entity "batch", ref the undone
/// batch's number, field "undone" or "redone", after the summary), so the log and the minutes
/// say what an undo did rather than showing bare field changes. Marker rows are not field
/// changes: undoing a batch skips them.
extension WorkspaceWriter {
    /// Reverses batch `batch`; returns a summary such as "AC-03 owner: Dana Kim".
    @discardableResult
    public func undo(batch: Int64) throws -> String {
        let logged = try Row.fetchAll(
            db, sql: "SELECT \(ChangeLogQueries.rawColumns) FROM change_log WHERE batch = ? ORDER BY id", arguments: [batch]
        )
        .map(ChangeLogQueries.record)
        guard !logged.isEmpty else { throw WorkspaceError.invalid("nothing to undo: change batch \(batch) does not exist") }
        let markers = logged.filter(Reversible.isMarker)
        let undo = Reversible(db: db)
        let rows = try undo.withPriorReviewNotes(logged.filter { !Reversible.isMarker($0) })
        guard !rows.isEmpty else { throw WorkspaceError.invalid("nothing to undo: change batch \(batch) changed no fields") }
        for row in rows where !Reversible.entities.contains(row.entity) {
            throw WorkspaceError.invalid("a \(row.entity) change (\(row.field)) cannot be undone")
        }
        // Entities created in the batch are deleted whole; recreated ones come back first.
        let created = Set(rows.filter { $0.field == "created" }.map(Reversible.key))
        let deleted = Set(rows.filter { $0.field == "deleted" }.map(Reversible.key))
        for row in rows.reversed() {
            let key = Reversible.key(row)
            // Only the existence of an entity the batch created or deleted needs checking.
            if (created.contains(key) && row.field != "created") || (deleted.contains(key) && row.field != "deleted") { continue }
            try undo.checkUnchanged(row)
            if row.entity == "evidence" && row.field == "created" { try undo.checkEvidenceRemovable(row) }
        }
        // Everything else goes back per entity in one UPDATE, so table rules that tie fields
        // together (a remediated gap needs a note) hold before and after.
        var groups: [(key: String, rows: [ChangeRecord])] = []
        for row in rows.reversed() where !created.contains(Reversible.key(row)) {
            if let i = groups.firstIndex(where: { $0.key == Reversible.key(row) }) {
                groups[i].rows.append(row)
            } else {
                groups.append((Reversible.key(row), [row]))
            }
        }
        for group in groups {
            let first = group.rows[0]
            if let deletedRow = group.rows.first(where: { $0.field == "deleted" }) {
                let id = try undo.recreate(deletedRow, fields: group.rows, actor: log.actor, at: log.at)
                try log.record(db, entity: first.entity, ref: first.ref, id: id, field: "created", before: nil, after: deletedRow.before)
            }
            let fields = group.rows.filter { $0.field != "deleted" }
            let id = try undo.rowID(first)
            try undo.set(first, id: id, fields: fields)
            for row in fields {
                if Reversible.isOwnerField(row) && row.entityID != nil {
                    try log.recordOwner(db, entity: row.entity, ref: row.ref, id: id, field: row.field, before: row.afterID, after: row.beforeID)
                } else {
                    try log.record(db, entity: row.entity, ref: row.ref, id: id, field: row.field, before: row.after, after: row.before)
                }
            }
        }
        // Entities the batch created go last, once nothing points at them any more.
        for key in created {
            let entityRows = rows.filter { Reversible.key($0) == key }
            let first = entityRows[0]
            let id = try undo.rowID(first)
            for row in entityRows.reversed() where row.field != "created" {
                if Reversible.isOwnerField(row) && row.entityID != nil {
                    try log.recordOwner(db, entity: row.entity, ref: row.ref, id: id, field: row.field, before: row.afterID, after: nil)
                } else {
                    try log.record(db, entity: row.entity, ref: row.ref, id: id, field: row.field, before: row.after, after: nil)
                }
            }
            // What an evidence item's creation did not log goes on the log now, so a redo can put it back.
            if first.entity == "evidence", let id {
                for field in Reversible.evidenceKeptOnRemoval where !entityRows.contains(where: { $0.field == field }) {
                    let value = try String.fetchOne(db, sql: "SELECT \(field) FROM evidence WHERE id = ?", arguments: [id]) ?? ""
                    if !value.isEmpty { try log.record(db, entity: first.entity, ref: first.ref, id: id, field: field, before: value, after: nil) }
                }
            }
            try undo.delete(first, id: id)
            try log.record(
                db, entity: first.entity, ref: first.ref, id: id, field: "deleted",
                before: entityRows.first { $0.field == "created" }?.after, after: nil)
        }
        // Summarised with people named as they are called now.
        let resolved = try Row.fetchAll(
            db, sql: "SELECT \(ChangeLogQueries.resolvedColumns) FROM change_log l WHERE l.batch = ? ORDER BY l.id",
            arguments: [batch]
        ).map(ChangeLogQueries.record).filter { !Reversible.isMarker($0) }
        let summary = Reversible.summary(resolved, reversed: true)
        // Undoing an undo is a redo; undoing a redo undoes the original change again.
        let field = markers.contains { $0.field == Reversible.undone } ? Reversible.redone : Reversible.undone
        try log.record(db, entity: Reversible.markerEntity, ref: String(batch), field: field, before: nil, after: summary)
        return summary
    }
}

/// How each logged field maps back to a column, and how to find, set, delete and recreate rows.
struct Reversible {
    static let entities: Set<String> = ["control", "gap", "owner", "evidence", "risk", "vendor", "framework"]
    /// A risk's fields that undo puts back in place (its treating controls are links, not
    /// columns: a batch that changed them is refused).
    static let riskFields = [
        "title", "description", "likelihood", "impact", "cia", "treatment", "residual_likelihood", "residual_impact",
        "justification", "approver", "review_cadence", "reviewed_on", "status",
    ]
    /// Columns of an evidence item that its creation does not log; removing it by undo logs
    /// them (when set), so that redoing the add restores them.
    static let evidenceKeptOnRemoval = ["source", "note", "added_by", "added_at"]
    /// What a review sets.
    static let reviewFields = ["review", "review_note", "reviewed_by", "reviewed_at"]
    /// The entity of the row an undo records about itself; its ref is the undone batch.
    static let markerEntity = "batch"
    static let undone = "undone"
    static let redone = "redone"
    let db: Database

    /// An undo's own label row: not a field change, so never reverted.
    static func isMarker(_ row: ChangeRecord) -> Bool { row.entity == markerEntity }

    /// Groups a batch's rows by entity: by row id when logged (v5), else by reference.
    static func key(_ row: ChangeRecord) -> String {
        row.entityID.map { "\(row.entity)#\($0)" } ?? "\(row.entity)/\(row.ref)"
    }

    static func isOwnerField(_ row: ChangeRecord) -> Bool {
        ["owner_id", "backup_owner_id"].contains(column(entity: row.entity, field: row.field) ?? "")
    }

    /// Column for each field the log records.
    static func column(entity: String, field: String) -> String? {
        switch (entity, field) {
        case ("control", "owner"): return "owner_id"
        case ("control", "backup_owner"): return "backup_owner_id"
        case ("control", "evidence"), ("control", "evidence_hint"): return "evidence_hint"
        case ("control", let f) where ["status", "justification", "title", "description", "frequency"].contains(f): return f
        case ("gap", "owner"): return "owner_id"
        case ("gap", "control"): return "control_id"
        case ("gap", "criterion"): return "requirement_id"
        case ("gap", let f)
        where [
            "status", "remediation_note", "justification", "remediated_by", "remediated_at", "severity",
            "effort", "due", "title", "description",
        ].contains(f): return f
        case ("owner", let f) where ["handle", "role", "kind", "name", "retired_at"].contains(f): return f
        // An item's files ("file") and dates ("proves") come back only with the item (recreate);
        // a new version of its files is not undone.
        case ("evidence", let f)
        where [
            "review", "review_note", "reviewed_by", "reviewed_at", "source", "note",
            "added_by", "added_at",
        ].contains(f): return f
        case ("risk", "owner"): return "owner_id"
        case ("risk", let f) where riskFields.contains(f): return f
        // A vendor's own fields; its reports, CUECs and agreements are rows of their own, not undone.
        case ("vendor", "owner"): return "owner_id"
        case ("vendor", let f) where ["name", "criticality", "data", "service", "reviewed_on"].contains(f): return f
        // A framework's target audit (`setAuditTarget`, a meeting decision); taking a framework
        // in or out of scope is not undone here.
        case ("framework", "window"): return "window_length"
        case ("framework", let f) where ["audit_kind", "window_start"].contains(f): return f
        default: return nil
        }
    }

    static func keyColumn(_ entity: String) -> String {
        switch entity {
        case "owner": return "name"
        case "framework": return "id"
        default: return "ref"
        }
    }

    /// The integer that finds the row: `id`, or SQLite's `rowid` for a framework, whose key is
    /// its text id.
    static func idColumn(_ entity: String) -> String { entity == "framework" ? "rowid" : "id" }

    /// The row's id now: the logged id, or the row found by its reference.
    func rowID(_ row: ChangeRecord) throws -> Int64? {
        if let id = row.entityID { return id }
        return try Int64.fetchOne(
            db, sql: "SELECT \(Self.idColumn(row.entity)) FROM \(row.entity) WHERE \(Self.keyColumn(row.entity)) = ?", arguments: [row.ref])
    }

    /// A gap's requirement as the log names it: SOC 2's plainly, others as framework:ref.
    static let requirementText =
        "(SELECT CASE framework_id WHEN 'soc2' THEN ref ELSE framework_id || ':' || ref END FROM requirement WHERE id = t.requirement_id)"

    /// The field's current value in the log's form: owner ids for v5 owner fields, else text.
    func current(_ row: ChangeRecord) throws -> (exists: Bool, text: String?, id: Int64?) {
        guard let column = Self.column(entity: row.entity, field: row.field), let id = try rowID(row) else { return (false, nil, nil) }
        let expression: String
        switch column {
        case "owner_id", "backup_owner_id": expression = "t.\(column), (SELECT name FROM owner WHERE id = t.\(column))"
        case "control_id": expression = "NULL, (SELECT ref FROM control WHERE id = t.control_id)"
        case "requirement_id": expression = "NULL, \(Self.requirementText)"
        // A risk logs its scores as text, and a risk, a vendor or a framework an empty text as nothing.
        case _ where ["risk", "vendor", "framework"].contains(row.entity): expression = "NULL, NULLIF(CAST(t.\(column) AS TEXT), '')"
        default: expression = "NULL, t.\(column)"
        }
        guard
            let found = try Row.fetchOne(
                db, sql: "SELECT \(expression) FROM \(row.entity) t WHERE t.\(Self.idColumn(row.entity)) = ?", arguments: [id])
        else {
            return (false, nil, nil)
        }
        return (true, found[1], found[0])
    }

    func exists(_ row: ChangeRecord) throws -> Bool {
        guard let id = try rowID(row) else { return false }
        return try Bool.fetchOne(db, sql: "SELECT 1 FROM \(row.entity) WHERE \(Self.idColumn(row.entity)) = ?", arguments: [id]) ?? false
    }

    /// Refuses when the field no longer holds the value the batch left there.
    func checkUnchanged(_ row: ChangeRecord) throws {
        let stillThere: Bool
        switch row.field {
        case "created": stillThere = try exists(row)
        case "deleted": stillThere = try !exists(row)
        default:
            guard Self.column(entity: row.entity, field: row.field) != nil else {
                throw WorkspaceError.invalid("a change to \(row.entity) \(row.field) cannot be undone")
            }
            let value = try current(row)
            if !value.exists {
                stillThere = false
            } else if Self.isOwnerField(row) && row.entityID != nil {
                stillThere = value.id == row.afterID
            } else {
                stillThere = value.text == row.after
            }
        }
        if stillThere { return }
        // A review's four fields change together, though not every writer logs all of them.
        let isReview = row.entity == "evidence" && Self.reviewFields.contains(row.field)
        let fields = isReview ? Self.reviewFields : [row.field]
        let newer = try Row.fetchOne(
            db,
            sql: """
                SELECT actor, at FROM change_log WHERE entity = ? AND (ref = ? OR entity_id = ?)
                AND (field IN (\(fields.map { _ in "?" }.joined(separator: ", "))) OR field IN ('created', 'deleted')) AND id > ?
                ORDER BY id DESC LIMIT 1
                """, arguments: StatementArguments([row.entity, row.ref, row.entityID] as [DatabaseValueConvertible?] + fields + [row.id]))
        let who = newer.map { "\($0["actor"] as String) at \(($0["at"] as String).prefix(16).replacingOccurrences(of: "T", with: " "))" } ?? "someone"
        if row.entity == "evidence" && row.field == "deleted" {
            throw WorkspaceError.conflict("cannot redo: \(row.ref) exists again (added since by \(who)); add the file anew instead")
        }
        let field = isReview ? "review" : row.field.replacingOccurrences(of: "_", with: " ")
        throw WorkspaceError.conflict("cannot undo: \(row.ref) \(field) was changed since by \(who)")
    }

    /// Sets several fields of one row in a single UPDATE.
    func set(_ first: ChangeRecord, id: Int64?, fields: [ChangeRecord]) throws {
        guard let id else { throw WorkspaceError.conflict("cannot undo: \(first.ref) no longer exists") }
        var assignments: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        for row in fields {
            guard let column = Self.column(entity: row.entity, field: row.field) else { continue }
            let value = row.before
            let stored: DatabaseValueConvertible?
            switch column {
            case "owner_id", "backup_owner_id":
                stored = row.entityID != nil ? row.beforeID : try value.map { try Lookup.owner(db, $0).id }
            case "control_id": stored = try value.map { try Lookup.control(db, $0).id }
            case "requirement_id": stored = try value.map { try Lookup.requirement(db, $0, framework: $0.contains(":") ? nil : Framework.soc2ID).id }
            case "justification", "remediation_note", "description", "evidence_hint", "handle", "role", "review_note", "source", "note",
                "added_by", "added_at", "cia", "approver", "service", "audit_kind":
                stored = value ?? ""
            default: stored = value
            }
            assignments.append("\(column) = ?")
            arguments.append(stored)
        }
        guard !assignments.isEmpty else { return }
        arguments.append(id)
        try db.execute(
            sql: "UPDATE \(first.entity) SET \(assignments.joined(separator: ", ")) WHERE \(Self.idColumn(first.entity)) = ?",
            arguments: StatementArguments(arguments))
    }

    func delete(_ row: ChangeRecord, id: Int64?) throws {
        guard let id else { return }
        do {
            // An evidence item goes with its file rows; the stored bytes stay (content-addressed,
            // possibly shared, and needed by a redo).
            if row.entity == "evidence" { try db.execute(sql: "DELETE FROM evidence_file WHERE evidence_id = ?", arguments: [id]) }
            try db.execute(sql: "DELETE FROM \(row.entity) WHERE id = ?", arguments: [id])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw WorkspaceError.conflict("cannot undo: \(row.ref) is now in use elsewhere")
        }
    }

    /// Brings back a deleted gap, owner or evidence item (with its old id when known) with
    /// defaults; the batch's field rows (`fields`) then restore the rest. An evidence item needs
    /// its control, dates and files to exist at all: they come from the rows its removal logged.
    func recreate(_ row: ChangeRecord, fields: [ChangeRecord], actor: String, at: String) throws -> Int64 {
        switch row.entity {
        case "evidence":
            return try recreateEvidence(row, fields: fields, actor: actor, at: at)
        case "gap":
            let number = Int(row.ref.split(separator: "-").last ?? "") ?? 0
            try db.execute(
                sql: """
                    INSERT INTO gap (id, number, ref, title, severity, effort, status, created_at, created_by)
                    VALUES (?, ?, ?, ?, 'medium', 'M', 'open', ?, ?)
                    """, arguments: [row.entityID, number, row.ref, row.before ?? row.ref, at, actor])
        case "owner":
            try db.execute(sql: "INSERT INTO owner (id, name) VALUES (?, ?)", arguments: [row.entityID, row.before ?? row.ref])
        default:
            throw WorkspaceError.invalid("a \(row.entity) cannot be recreated")
        }
        return db.lastInsertedRowID
    }

    /// Reviews logged before `reviewEvidence` recorded the note it replaced (this release's first
    /// builds) have no prior note. For an undo of one, the note before the batch is worked out:
    /// none when the item was pending (a pending item has no note), else the note the log last gave it.
    func withPriorReviewNotes(_ rows: [ChangeRecord]) throws -> [ChangeRecord] {
        try rows.map { row in
            guard row.entity == "evidence", row.field == "review_note", row.before == nil else { return row }
            var row = row
            let review = rows.first { $0.entity == "evidence" && $0.field == "review" && Self.key($0) == Self.key(row) }
            if let review, (review.before ?? EvidenceReview.pending.rawValue) == EvidenceReview.pending.rawValue {
                row.before = ""
            } else {
                row.before =
                    try String.fetchOne(
                        db,
                        sql: """
                            SELECT coalesce(after, '') FROM change_log WHERE entity = 'evidence' AND entity_id = ? AND field = 'review_note' AND id < ?
                            ORDER BY id DESC LIMIT 1
                            """, arguments: [row.entityID, row.id]) ?? ""
            }
            return row
        }
    }

    /// Undoing an evidence add removes the item whole, so it must still be as it was added:
    /// pending review, one version of files, answering no request and no sample item. Otherwise
    /// the undo is refused, saying what changed (and who did it) rather than losing that work.
    func checkEvidenceRemovable(_ row: ChangeRecord) throws {
        guard let id = try rowID(row),
            let state = try Row.fetchOne(
                db,
                sql: """
                    SELECT e.review,
                           (SELECT max(version) FROM evidence_file WHERE evidence_id = e.id) AS version,
                           (SELECT group_concat(r.ref, ', ') FROM audit_request_evidence x JOIN audit_request r ON r.id = x.request_id
                             WHERE x.evidence_id = e.id) AS requests,
                           (SELECT group_concat(DISTINCT s.ref) FROM sample_item i JOIN sample s ON s.id = i.sample_id WHERE i.evidence_id = e.id) AS samples
                    FROM evidence e WHERE e.id = ?
                    """, arguments: [id])
        else { return }
        func since(_ field: String) throws -> String {
            let newer = try Row.fetchOne(
                db,
                sql: """
                    SELECT actor, at FROM change_log WHERE entity = 'evidence' AND entity_id = ? AND field = ? AND id > ? ORDER BY id DESC LIMIT 1
                    """, arguments: [id, field, row.id])
            return newer.map { " by \($0["actor"] as String) at \(($0["at"] as String).prefix(16).replacingOccurrences(of: "T", with: " "))" } ?? ""
        }
        let review: String = state["review"]
        if review != EvidenceReview.pending.rawValue {
            throw WorkspaceError.conflict(
                "cannot undo: \(row.ref) was \(review) since\(try since("review")); undo that review first, or keep the item")
        }
        if let version = state["version"] as Int?, version > 1 {
            throw WorkspaceError.conflict(
                "cannot undo: \(row.ref) has version \(version) since\(try since("file")); removing it would lose those files")
        }
        if let requests = state["requests"] as String? {
            throw WorkspaceError.conflict("cannot undo: \(row.ref) now answers the auditor's request \(requests)")
        }
        if let samples = state["samples"] as String? {
            throw WorkspaceError.conflict("cannot undo: \(row.ref) is now the evidence of results in sample \(samples)")
        }
    }

    /// An evidence item back from the rows its removal logged: `deleted`'s "CONTROL: title",
    /// `proves`, `answers` when given, each `file` ("v1 name sha256:..."), whose bytes are still stored.
    private func recreateEvidence(_ row: ChangeRecord, fields: [ChangeRecord], actor: String, at: String) throws -> Int64 {
        func before(_ field: String) -> String? { fields.first { $0.field == field }?.before }
        let label = row.before ?? ""
        let colon = label.range(of: ": ")
        let controlRef = colon.map { String(label[..<$0.lowerBound]) } ?? label
        let title = colon.map { String(label[$0.upperBound...]) } ?? row.ref
        guard let proves = before("proves") else { throw WorkspaceError.conflict("cannot redo: the log does not say what \(row.ref) proved") }
        let days = proves.components(separatedBy: "..")
        let (from, to) = (days[0], days.count > 1 ? days[1] : days[0])
        let control = try Lookup.control(db, controlRef)
        let addedBy = before("added_by") ?? actor
        let addedAt = before("added_at") ?? at
        let number = Int(row.ref.split(separator: "-").last ?? "") ?? 0
        try db.execute(
            sql: """
                INSERT INTO evidence (id, number, ref, control_id, title, proved_from, proved_to, added_by, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [row.entityID, number, row.ref, control.id, title, from, to, addedBy, addedAt])
        let id = db.lastInsertedRowID
        // The occurrence period it says it answers (schema v9), when its add named one.
        if let answers = before("answers") {
            let days = answers.components(separatedBy: "..")
            try db.execute(
                sql: "UPDATE evidence SET answers_from = ?, answers_to = ? WHERE id = ?",
                arguments: [days[0], days.count > 1 ? days[1] : days[0], id])
        }
        for file in fields where file.field == "file" {
            // "v1 name with spaces.csv sha256:<64 hex>"
            guard let text = file.before, let hash = text.range(of: " sha256:", options: .backwards), let space = text.firstIndex(of: " "),
                let version = Int(text.dropFirst().prefix(upTo: space))
            else { continue }
            let name = String(text[text.index(after: space)..<hash.lowerBound])
            let sha256 = String(text[hash.upperBound...])
            guard let size = try Int64.fetchOne(db, sql: "SELECT size FROM blob WHERE sha256 = ?", arguments: [sha256]) else {
                throw WorkspaceError.conflict("cannot redo: the stored bytes of \(row.ref)'s \(name) are gone")
            }
            try db.execute(
                sql: """
                    INSERT INTO evidence_file (evidence_id, version, name, sha256, size, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, version, name, sha256, size, addedBy, addedAt])
        }
        return id
    }

    /// "AC-03 owner: Dana Kim" for one row, or "3 items (AC-03, AC-04, ...)" for a batch.
    static func summary(_ rows: [ChangeRecord], reversed: Bool) -> String {
        let meaningful = rows.filter {
            ![
                "remediation_note", "remediated_by", "remediated_at", "justification",
                "review_note", "reviewed_by", "reviewed_at",
            ].contains($0.field) || rows.count == 1
        }
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
