import AssureModel
import GRDB

/// Resolves user-typed references to rows, answering unknown ones with the closest matches.
enum Lookup {
    static func criterionIDs(_ db: Database) throws -> [String: Int64] {
        // SOC 2 refs win when two frameworks share a ref: the first framework imported owns it.
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.ref, r.id FROM requirement r JOIN framework f ON f.id = r.framework_id
            ORDER BY f.sort_order DESC
            """)
        var map: [String: Int64] = [:]
        for row in rows { map[(row["ref"] as String).uppercased()] = row["id"] }
        return map
    }

    static func control(_ db: Database, _ ref: String) throws -> (id: Int64, ref: String) {
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref FROM control WHERE ref = ?", arguments: [ref]) {
            return (row["id"], row["ref"])
        }
        let all = try String.fetchAll(db, sql: "SELECT ref FROM control")
        throw WorkspaceError.unknownReference(kind: "control", name: ref, suggestions: Suggestions.closest(to: ref, in: all))
    }

    static func gap(_ db: Database, _ ref: String) throws -> (id: Int64, ref: String) {
        var key = ref
        if Int(ref) != nil { key = "GAP-\(ref)" }  // `assure gap remediate 12` means GAP-12
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref FROM gap WHERE ref = ?", arguments: [key]) {
            return (row["id"], row["ref"])
        }
        let all = try String.fetchAll(db, sql: "SELECT ref FROM gap")
        throw WorkspaceError.unknownReference(kind: "gap", name: ref, suggestions: Suggestions.closest(to: key, in: all))
    }

    static func requirement(_ db: Database, _ ref: String) throws -> (id: Int64, ref: String) {
        let ids = try criterionIDs(db)
        if let id = ids[ref.uppercased()] {
            let canonical = try String.fetchOne(db, sql: "SELECT ref FROM requirement WHERE id = ?", arguments: [id]) ?? ref
            return (id, canonical)
        }
        throw WorkspaceError.unknownReference(kind: "criterion", name: ref, suggestions: Suggestions.closest(to: ref, in: Array(ids.keys)))
    }

    /// Owners match by exact name (any case), then by handle, then by a unique name prefix.
    static func owner(_ db: Database, _ name: String) throws -> (id: Int64, name: String) {
        if let row = try Row.fetchOne(db, sql: "SELECT id, name FROM owner WHERE name = ? OR handle = ? COLLATE NOCASE", arguments: [name, name]) {
            return (row["id"], row["name"])
        }
        let all = try Row.fetchAll(db, sql: "SELECT id, name FROM owner ORDER BY name")
        let prefixed = all.filter { ($0["name"] as String).lowercased().hasPrefix(name.lowercased()) }
        if prefixed.count == 1 { return (prefixed[0]["id"], prefixed[0]["name"]) }
        if prefixed.count > 1 {
            throw WorkspaceError.ambiguousReference(kind: "owner", name: name, matches: prefixed.map { $0["name"] })
        }
        throw WorkspaceError.unknownReference(kind: "owner", name: name, suggestions: Suggestions.closest(to: name, in: all.map { $0["name"] }))
    }

    static func ownerName(_ db: Database, _ id: Int64?) throws -> String? {
        guard let id else { return nil }
        return try String.fetchOne(db, sql: "SELECT name FROM owner WHERE id = ?", arguments: [id])
    }
}
