import Foundation

/// One person's access to a server workspace.
public struct AccessEntry: Sendable, Equatable {
    public var person: String
    public var role: String
    /// For an owner: the owner record (by name) whose controls, gaps and evidence they change.
    public var owner: String?
}

/// `assure access`: who may do what on a server workspace (`ServerRoles`). Changes go through
/// `assure.set_access`, which only an admin may call and which writes the change-log row.
public enum ServerAccess {
    public static let roles = ServerRoles.roles

    public static func list(_ address: ServerAddress) throws -> [AccessEntry] {
        try ServerSession.with(address) { session in
            try await session.rows("SELECT person, role, owner_name FROM assure.access ORDER BY person").map { row in
                let (person, role, owner) = try row.decode((String, String, String?).self)
                return AccessEntry(person: person, role: role, owner: owner)
            }
        }
    }

    /// Grants `role` (creating the login role if the server has none of that name: its password
    /// or other authentication is then set by the database's administrator, as for any login).
    public static func grant(_ address: ServerAddress, person: String, role: String, owner: String?) throws {
        guard roles.contains(role) else {
            throw ServerError.refused("\(role) is not a role; the roles are \(roles.joined(separator: ", "))")
        }
        if role == "owner" && owner == nil {
            throw ServerError.refused("an owner is granted with the owner record they are: --owner NAME (as in assure owners)")
        }
        try call(address, person: person, role: role, owner: role == "owner" ? owner : nil)
    }

    public static func revoke(_ address: ServerAddress, person: String) throws {
        try call(address, person: person, role: nil, owner: nil)
    }

    private static func call(_ address: ServerAddress, person: String, role: String?, owner: String?) throws {
        do {
            try ServerSession.with(address) { session in
                try await session.execute(
                    "SELECT assure.set_access($1, $2, $3)",
                    [.text(person), role.map(ServerValue.text) ?? .null, owner.map(ServerValue.text) ?? .null])
            }
        } catch ServerError.statement(let state, let message) where state == "AS004" || state == "AS005" {
            throw ServerError.refused("\(message); nothing was changed")
        }
    }
}
