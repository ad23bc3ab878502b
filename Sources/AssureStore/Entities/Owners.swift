import AssureModel
import GRDB

/// An owner with the size of their load.
public struct OwnerSummary: Equatable, Sendable {
    public var owner: Owner
    public var controls: Int
    public var backupFor: Int
    public var openGaps: Int
    public var overdueGaps: Int
}

/// What a retired owner still held: each needs someone new.
public struct Handover: Equatable, Sendable {
    public var owner: String
    public var controls: [String]
    public var backupFor: [String]
    public var gaps: [String]
    /// Who took them over, when the retirement moved them in the same step.
    public var reassignedTo: String?
    public var isEmpty: Bool { controls.isEmpty && backupFor.isEmpty && gaps.isEmpty }
}

extension WorkspaceReader {
    /// Owners by name with their load; `today` (`YYYY-MM-DD`) decides what is overdue.
    public func owners(today: String) throws -> [OwnerSummary] {
        // Each count in one grouped pass over its table, not a subquery per owner: 200 owners
        // of 20,000 gaps were 40,000 row lookups.
        var openGaps: [Int64: Int] = [:]
        var overdue: [Int64: Int] = [:]
        let gapCounts = try Row.fetchCursor(
            db,
            sql: """
                SELECT owner_id, count(*), coalesce(sum(due < ?), 0) FROM gap
                WHERE owner_id IS NOT NULL AND status IN ('open', 'in-progress') GROUP BY owner_id
                """, arguments: [today])
        while let row = try gapCounts.next() {
            openGaps[row[0]] = row[1]
            overdue[row[0]] = row[2]
        }
        return try ownerRoster { id, _ in (openGaps[id] ?? 0, overdue[id] ?? 0) }
    }

    /// The same loads with the open and overdue gaps taken from counts already made in one
    /// pass over the gaps (`gapOverview`, for the workbench's Owners pane). `GapWindowTests`
    /// checks them against `owners(today:)`.
    public func owners(counts: GapCounts) throws -> [OwnerSummary] {
        try ownerRoster { _, name in (counts.openByOwner[name] ?? 0, counts.overdueByOwner[name] ?? 0) }
    }

    /// Every owner by name with the controls they own and back up; `gaps` gives each one's
    /// open and overdue gaps, by id and name.
    private func ownerRoster(gaps: (Int64, String) -> (open: Int, overdue: Int)) throws -> [OwnerSummary] {
        var controls: [Int64: Int] = [:]
        var backups: [Int64: Int] = [:]
        let controlCounts = try Row.fetchCursor(db, sql: "SELECT owner_id, count(*) FROM control WHERE owner_id IS NOT NULL GROUP BY owner_id")
        while let row = try controlCounts.next() { controls[row[0]] = row[1] }
        let backupCounts = try Row.fetchCursor(
            db, sql: "SELECT backup_owner_id, count(*) FROM control WHERE backup_owner_id IS NOT NULL GROUP BY backup_owner_id")
        while let row = try backupCounts.next() { backups[row[0]] = row[1] }
        var result: [OwnerSummary] = []
        // Explicit columns read by position: a lookup by name lowercases the name every time.
        let cursor = try Row.fetchCursor(db, sql: "SELECT o.id, o.name, o.handle, o.role, o.kind, o.retired_at FROM owner o ORDER BY o.name")
        while let row = try cursor.next() {
            let id: Int64 = row[0]
            let kind: String = row[4]
            let owner = Owner(name: row[1], handle: row[2], role: row[3], kind: OwnerKind(rawValue: kind) ?? .person, retiredAt: row[5])
            let load = gaps(id, owner.name)
            result.append(
                OwnerSummary(
                    owner: owner, controls: controls[id] ?? 0, backupFor: backups[id] ?? 0, openGaps: load.open, overdueGaps: load.overdue))
        }
        return result
    }

    /// What an owner holds now: controls they own or back up, and their open gaps.
    public func holdings(of name: String) throws -> Handover {
        let owner = try Lookup.owner(db, name)
        return Handover(
            owner: owner.name,
            controls: try String.fetchAll(db, sql: "SELECT ref FROM control WHERE owner_id = ? ORDER BY ref", arguments: [owner.id]),
            backupFor: try String.fetchAll(db, sql: "SELECT ref FROM control WHERE backup_owner_id = ? ORDER BY ref", arguments: [owner.id]),
            gaps: try String.fetchAll(
                db, sql: "SELECT ref FROM gap WHERE owner_id = ? AND status IN ('open', 'in-progress') ORDER BY number",
                arguments: [owner.id]))
    }
}

extension WorkspaceWriter {
    /// Adds a person or team who can own controls and gaps.
    public func addOwner(_ owner: Owner) throws {
        let name = owner.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw WorkspaceError.invalid("an owner needs a name") }
        if try String.fetchOne(db, sql: "SELECT name FROM owner WHERE name = ?", arguments: [name]) != nil {
            throw WorkspaceError.duplicate(kind: "owner", name: name)
        }
        try db.execute(
            sql: "INSERT INTO owner (name, handle, role, kind) VALUES (?, ?, ?, ?)",
            arguments: [name, owner.handle, owner.role, owner.kind.rawValue])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "owner", ref: name, id: id, field: "created", before: nil, after: name)
        try log.record(db, entity: "owner", ref: name, id: id, field: "handle", before: nil, after: owner.handle.isEmpty ? nil : owner.handle)
        try log.record(db, entity: "owner", ref: name, id: id, field: "role", before: nil, after: owner.role.isEmpty ? nil : owner.role)
        try log.record(db, entity: "owner", ref: name, id: id, field: "kind", before: nil, after: owner.kind.rawValue)
    }

    /// Renames an owner or changes their role or handle. History keeps them: every change that
    /// names them refers to their id and reads with the new name.
    public func editOwner(_ name: String, newName: String? = nil, role: String? = nil, handle: String? = nil) throws {
        let owner = try Lookup.owner(db, name)
        let row = try Row.fetchOne(db, sql: "SELECT name, role, handle FROM owner WHERE id = ?", arguments: [owner.id])!
        if let newName {
            let trimmed = newName.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw WorkspaceError.invalid("an owner needs a name") }
            if let clash = try String.fetchOne(db, sql: "SELECT name FROM owner WHERE name = ? AND id <> ?", arguments: [trimmed, owner.id]) {
                throw WorkspaceError.duplicate(kind: "owner", name: clash)
            }
            try db.execute(sql: "UPDATE owner SET name = ? WHERE id = ?", arguments: [trimmed, owner.id])
            try log.record(db, entity: "owner", ref: owner.name, id: owner.id, field: "name", before: row["name"], after: trimmed)
        }
        for (column, value) in [("role", role), ("handle", handle)] {
            guard let value else { continue }
            try db.execute(sql: "UPDATE owner SET \(column) = ? WHERE id = ?", arguments: [value, owner.id])
            try log.record(db, entity: "owner", ref: owner.name, id: owner.id, field: column, before: row[column], after: value)
        }
    }

    /// Retires a leaver. With `reassignTo`, their controls, backups and open gaps move to that
    /// person in the same step; without it they stay listed (and count as unowned) until
    /// someone takes them over. Returns what they held.
    @discardableResult
    public func retireOwner(_ name: String, reassignTo: String? = nil) throws -> Handover {
        let owner = try Lookup.owner(db, name)
        if owner.retired { throw WorkspaceError.invalid("\(owner.name) has already retired") }
        var handover = try reader.holdings(of: owner.name)
        if let reassignTo {
            let heir = try Lookup.activeOwner(db, reassignTo)
            if heir.id == owner.id { throw WorkspaceError.invalid("\(owner.name) cannot take over their own work") }
            handover.reassignedTo = heir.name
            let controls = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, ref, owner_id, backup_owner_id FROM control WHERE owner_id = ? OR backup_owner_id = ? ORDER BY ref
                    """, arguments: [owner.id, owner.id])
            for row in controls {
                let currentOwner: Int64? = row["owner_id"]
                let currentBackup: Int64? = row["backup_owner_id"]
                let newOwner = currentOwner == owner.id ? heir.id : currentOwner
                // The heir may already back the control up: then the backup seat empties.
                var newBackup = currentBackup == owner.id ? heir.id : currentBackup
                if newBackup == newOwner { newBackup = nil }
                try setOwners(
                    control: (row["id"], row["ref"]), owner: newOwner, backup: newBackup,
                    currentOwner: currentOwner, currentBackup: currentBackup)
            }
            for ref in handover.gaps { try assignGap(try Lookup.gap(db, ref), ownerID: heir.id) }
        }
        try db.execute(sql: "UPDATE owner SET retired_at = ? WHERE id = ?", arguments: [log.at, owner.id])
        try log.record(db, entity: "owner", ref: owner.name, id: owner.id, field: "retired_at", before: nil, after: log.at)
        return handover
    }

    /// Assigns controls or gaps to `owner`, first creating the owner when missing: both in one
    /// transaction, so one undo step removes both.
    public func assignCreatingOwner(_ name: String, controls: [String] = [], backupFor: [String] = [], gaps: [String] = []) throws {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw WorkspaceError.invalid("an owner needs a name") }
        if try String.fetchOne(db, sql: "SELECT name FROM owner WHERE name = ?", arguments: [name]) == nil {
            try addOwner(Owner(name: name))
        }
        if !controls.isEmpty { try assign(controls: controls, owner: .some(name)) }
        if !backupFor.isEmpty { try assign(controls: backupFor, backup: .some(name)) }
        if !gaps.isEmpty { try assignGaps(gaps, owner: name) }
    }
}
