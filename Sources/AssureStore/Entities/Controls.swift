import AssureModel
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

public struct ControlFilter: Sendable {
    public var owner: String?
    public var status: ControlStatus?
    /// A requirement ref (or a group such as CC6, which selects everything under it).
    public var criterion: String?
    public var framework: String?
    /// Only controls that need an owner (`Rules.isUnowned`).
    public var unowned = false
    public init(owner: String? = nil, status: ControlStatus? = nil, criterion: String? = nil, framework: String? = nil, unowned: Bool = false) {
        self.owner = owner; self.status = status; self.criterion = criterion; self.framework = framework; self.unowned = unowned
    }
}

/// The fields the workbench's `e` form edits. Only fields given (non-nil) change.
public struct ControlEdit: Equatable, Sendable {
    public var title: String?
    public var description: String?
    public var evidenceHint: String?
    public var frequency: Frequency?
    public init(title: String? = nil, description: String? = nil, evidenceHint: String? = nil, frequency: Frequency? = nil) {
        self.title = title; self.description = description; self.evidenceHint = evidenceHint; self.frequency = frequency
    }
}

enum ControlRows {
    /// Explicit columns read by position (a lookup by name lowercases the name every time).
    static let select = """
        SELECT c.id, c.ref, c.title, c.description, c.status, c.justification, c.frequency, o.name, b.name,
               c.evidence_hint, c.tags, o.retired_at IS NOT NULL
        FROM control c LEFT JOIN owner o ON o.id = c.owner_id LEFT JOIN owner b ON b.id = c.backup_owner_id
        """

    /// A control's mappings, ready for `Control`: SOC 2 refs and every `framework:ref`.
    struct Mapped {
        var criteria: [String] = []
        var requirements: [String] = []
    }

    /// Every mapping by control id, in framework and document order: one pass over the links
    /// instead of a subquery per control.
    static func mappings(_ db: Database) throws -> [Int64: Mapped] {
        try mappings(db, sql: mappingsSQL(where: ""), arguments: [])
    }

    /// The mappings of some controls only (the few shown in full).
    static func mappings(_ db: Database, controls ids: [Int64]) throws -> [Int64: Mapped] {
        guard !ids.isEmpty else { return [:] }
        let list = InList.padded(ids)
        return try mappings(db, sql: mappingsSQL(where: "WHERE cr.control_id IN (\(list.marks))"), arguments: StatementArguments(list.values))
    }

    /// Control id, framework id and requirement ref of each mapping, in framework and
    /// document order.
    static func mappingsSQL(where clause: String) -> String {
        """
        SELECT cr.control_id, r.framework_id, r.ref FROM control_requirement cr
        JOIN requirement r ON r.id = cr.requirement_id JOIN framework f ON f.id = r.framework_id \(clause)
        ORDER BY f.sort_order, r.sort_order
        """
    }

    /// Columns read straight from the statement (`StatementColumns`): GRDB's `Row` copied
    /// every value and looked up its type's metadata per column, most of reading a page of
    /// controls for the detail strip.
    private static func mappings(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Int64: Mapped] {
        var result: [Int64: Mapped] = [:]
        let statement = try db.cachedStatement(sql: sql)
        let row = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while try cursor.next() != nil {
            let id = sqlite3_column_int64(row, 0)
            let framework = StatementColumns.string(row, 1)
            let ref = StatementColumns.string(row, 2)
            if framework == Framework.soc2ID { result[id, default: Mapped()].criteria.append(ref) }
            result[id, default: Mapped()].requirements.append(framework + ":" + ref)
        }
        return result
    }

    /// The controls of `select` with a clause, in the order the clause gives, with their
    /// mappings (all of them, or only those of the controls read when `allMappings` is false).
    static func controls(_ db: Database, clause: String, arguments: StatementArguments, allMappings: Bool) throws -> [Control] {
        var read: [(id: Int64, control: Control)] = []
        let statement = try db.cachedStatement(sql: "\(select) \(clause)")
        let row = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while try cursor.next() != nil {
            let control = Control(
                ref: StatementColumns.string(row, 1), title: StatementColumns.string(row, 2), description: StatementColumns.string(row, 3),
                status: ControlStatus(rawValue: StatementColumns.string(row, 4)) ?? .notStarted, justification: StatementColumns.string(row, 5),
                frequency: Frequency(rawValue: StatementColumns.string(row, 6)) ?? .annual, owner: StatementColumns.optionalString(row, 7),
                backupOwner: StatementColumns.optionalString(row, 8), evidenceHint: StatementColumns.string(row, 9),
                tags: StatementColumns.string(row, 10).split(separator: ",").map(String.init),
                ownerRetired: sqlite3_column_int64(row, 11) != 0)
            read.append((sqlite3_column_int64(row, 0), control))
        }
        let mappings = allMappings ? try Self.mappings(db) : try Self.mappings(db, controls: read.map(\.id))
        return read.map { entry in
            var control = entry.control
            if let mapped = mappings[entry.id] { (control.criteria, control.requirements) = (mapped.criteria, mapped.requirements) }
            return control
        }
    }
}

extension WorkspaceReader {
    /// Controls in reference order, with owners and mappings.
    public func controls(_ filter: ControlFilter = ControlFilter()) throws -> [Control] {
        let unfiltered = filter.owner == nil && filter.status == nil && filter.criterion == nil
        if unfiltered, let cached = cache.controls { return filter.unowned ? cached.filter(Rules.isUnowned) : cached }
        var clauses: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let owner = filter.owner {
            let id = try Lookup.owner(db, owner).id
            clauses.append("(c.owner_id = ? OR c.backup_owner_id = ?)"); arguments += [id, id]
        }
        if let status = filter.status { clauses.append("c.status = ?"); arguments.append(status.rawValue) }
        if let criterion = filter.criterion {
            let requirement = try Lookup.requirement(db, criterion, framework: filter.framework)
            // A group selects every requirement below it, at any depth.
            clauses.append(
                """
                c.id IN (WITH RECURSIVE below(id) AS (SELECT ? UNION ALL SELECT r.id FROM requirement r JOIN below ON r.parent_id = below.id)
                         SELECT cr.control_id FROM control_requirement cr JOIN below ON below.id = cr.requirement_id)
                """)
            arguments.append(requirement.id)
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let controls = try ControlRows.controls(db, clause: "\(whereSQL) ORDER BY c.ref", arguments: StatementArguments(arguments), allMappings: true)
        if unfiltered { cache.controls = controls }
        return filter.unowned ? controls.filter(Rules.isUnowned) : controls
    }
}

extension WorkspaceWriter {
    /// Sets the owner and/or the backup owner of one or more controls.
    /// `owner`/`backup`: nil leaves the field as it is; `.some(nil)` clears it.
    public func assign(controls refs: [String], owner: String?? = nil, backup: String?? = nil) throws {
        guard !refs.isEmpty else { throw WorkspaceError.invalid("no control given") }
        let ownerID = try owner.map { name in try name.map { try Lookup.activeOwner(db, $0).id } }
        let backupID = try backup.map { name in try name.map { try Lookup.activeOwner(db, $0).id } }
        for ref in refs {
            let control = try Lookup.control(db, ref)
            let row = try Row.fetchOne(db, sql: "SELECT owner_id, backup_owner_id FROM control WHERE id = ?", arguments: [control.id])!
            let currentOwner: Int64? = row["owner_id"]
            let currentBackup: Int64? = row["backup_owner_id"]
            try setOwners(
                control: control, owner: ownerID.map { $0 } ?? currentOwner, backup: backupID.map { $0 } ?? currentBackup,
                currentOwner: currentOwner, currentBackup: currentBackup)
        }
    }

    /// The one place a control's owner and backup change: the backup rule holds on every path.
    func setOwners(control: (id: Int64, ref: String), owner: Int64?, backup: Int64?, currentOwner: Int64?, currentBackup: Int64?) throws {
        try Rules.checkBackup(control: control.ref, ownerID: owner, backupID: backup)
        if owner != currentOwner {
            try db.execute(sql: "UPDATE control SET owner_id = ? WHERE id = ?", arguments: [owner, control.id])
            try log.recordOwner(db, entity: "control", ref: control.ref, id: control.id, field: "owner", before: currentOwner, after: owner)
        }
        if backup != currentBackup {
            try db.execute(sql: "UPDATE control SET backup_owner_id = ? WHERE id = ?", arguments: [backup, control.id])
            try log.recordOwner(db, entity: "control", ref: control.ref, id: control.id, field: "backup_owner", before: currentBackup, after: backup)
        }
    }

    /// Sets the status of one or more controls. "Not applicable" needs a justification.
    public func setStatus(controls refs: [String], to status: ControlStatus, justification: String = "") throws {
        guard !refs.isEmpty else { throw WorkspaceError.invalid("no control given") }
        for ref in refs {
            let control = try Lookup.control(db, ref)
            try setStatus(control: control, status, justification: justification)
        }
    }

    /// The one place a control's status changes.
    func setStatus(control: (id: Int64, ref: String), _ status: ControlStatus, justification: String) throws {
        let reason = try Rules.justification(for: status, justification, control: control.ref)
        let row = try Row.fetchOne(db, sql: "SELECT status, justification FROM control WHERE id = ?", arguments: [control.id])!
        try db.execute(sql: "UPDATE control SET status = ?, justification = ? WHERE id = ?", arguments: [status.rawValue, reason, control.id])
        try log.record(db, entity: "control", ref: control.ref, id: control.id, field: "status", before: row["status"], after: status.rawValue)
        try log.record(db, entity: "control", ref: control.ref, id: control.id, field: "justification", before: row["justification"], after: reason)
    }

    public func editControl(_ ref: String, _ edit: ControlEdit) throws {
        if let title = edit.title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw WorkspaceError.invalid("a control needs a title")
        }
        let control = try Lookup.control(db, ref)
        let row = try Row.fetchOne(db, sql: "SELECT title, description, evidence_hint, frequency FROM control WHERE id = ?", arguments: [control.id])!
        let changes: [(String, String?)] = [
            ("title", edit.title?.trimmingCharacters(in: .whitespaces)), ("description", edit.description),
            ("evidence_hint", edit.evidenceHint), ("frequency", edit.frequency?.rawValue),
        ]
        for (column, value) in changes {
            guard let value else { continue }
            try db.execute(sql: "UPDATE control SET \(column) = ? WHERE id = ?", arguments: [value, control.id])
            try log.record(db, entity: "control", ref: control.ref, id: control.id, field: column, before: row[column], after: value)
        }
    }

    /// Links a control to a requirement of any framework (`assure map`); returns the requirement
    /// as found, `FRAMEWORK:REF` (the name typed may be an OSCAL id or differ in case).
    @discardableResult
    public func map(
        control ref: String, to requirement: String, framework: String?, relationship: Relationship = .intersects,
        source: String = "user"
    ) throws -> String {
        let control = try Lookup.control(db, ref)
        let target = try Lookup.requirement(db, requirement, framework: framework)
        let existing = try String.fetchOne(
            db, sql: "SELECT relationship FROM control_requirement WHERE control_id = ? AND requirement_id = ?",
            arguments: [control.id, target.id])
        if existing == relationship.rawValue {
            throw WorkspaceError.invalid("\(control.ref) is already mapped to \(target.framework):\(target.ref) (\(relationship.rawValue))")
        }
        try db.execute(
            sql: """
                INSERT INTO control_requirement (control_id, requirement_id, relationship, source) VALUES (?, ?, ?, ?)
                ON CONFLICT(control_id, requirement_id) DO UPDATE SET relationship = excluded.relationship, source = excluded.source
                """, arguments: [control.id, target.id, relationship.rawValue, source])
        try log.record(
            db, entity: "control", ref: control.ref, id: control.id, field: "mapping",
            before: existing.map { "\(target.framework):\(target.ref) (\($0))" },
            after: "\(target.framework):\(target.ref) (\(relationship.rawValue))")
        return "\(target.framework):\(target.ref)"
    }

    public func unmap(control ref: String, from requirement: String, framework: String?) throws {
        let control = try Lookup.control(db, ref)
        let target = try Lookup.requirement(db, requirement, framework: framework)
        guard
            let existing = try String.fetchOne(
                db, sql: "SELECT relationship FROM control_requirement WHERE control_id = ? AND requirement_id = ?",
                arguments: [control.id, target.id])
        else {
            throw WorkspaceError.invalid("\(control.ref) is not mapped to \(target.framework):\(target.ref)")
        }
        try db.execute(sql: "DELETE FROM control_requirement WHERE control_id = ? AND requirement_id = ?", arguments: [control.id, target.id])
        try log.record(
            db, entity: "control", ref: control.ref, id: control.id, field: "mapping",
            before: "\(target.framework):\(target.ref) (\(existing))", after: nil)
    }
}
