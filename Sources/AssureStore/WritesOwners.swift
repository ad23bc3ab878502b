import AssureModel
import GRDB

extension Workspace {
    /// Adds a person or team who can own controls and gaps.
    public func addOwner(_ owner: Owner) throws {
        let name = owner.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw WorkspaceError.invalid("an owner needs a name") }
        try perform { db, log in
            if try String.fetchOne(db, sql: "SELECT name FROM owner WHERE name = ?", arguments: [name]) != nil {
                throw WorkspaceError.duplicate(kind: "owner", name: name)
            }
            try db.execute(
                sql: "INSERT INTO owner (name, handle, role, kind) VALUES (?, ?, ?, ?)",
                arguments: [name, owner.handle, owner.role, owner.kind.rawValue])
            try log.record(db, entity: "owner", ref: name, field: "created", before: nil, after: name)
            if !owner.handle.isEmpty { try log.record(db, entity: "owner", ref: name, field: "handle", before: nil, after: owner.handle) }
            if !owner.role.isEmpty { try log.record(db, entity: "owner", ref: name, field: "role", before: nil, after: owner.role) }
            try log.record(db, entity: "owner", ref: name, field: "kind", before: nil, after: owner.kind.rawValue)
        }
    }
}
