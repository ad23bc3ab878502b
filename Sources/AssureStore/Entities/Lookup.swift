import AssureModel
import GRDB

/// Resolves user-typed references to rows, answering unknown ones with the closest matches.
enum Lookup {
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

    /// A framework by id or alias (`soc2-2017` is `soc2`), any case.
    static func framework(_ db: Database, _ id: String) throws -> String {
        let key = Framework.canonicalID(id)
        if let found = try String.fetchOne(db, sql: "SELECT id FROM framework WHERE id = ? COLLATE NOCASE", arguments: [key]) {
            return found
        }
        let all = try String.fetchAll(db, sql: "SELECT id FROM framework ORDER BY sort_order")
        throw WorkspaceError.unknownReference(kind: "framework", name: id, suggestions: Suggestions.closest(to: id, in: all))
    }

    /// A requirement by `framework:ref`, by ref within `framework`, or by a ref that only one
    /// framework uses. A ref two frameworks share is refused as ambiguous, naming both.
    static func requirement(_ db: Database, _ ref: String, framework: String? = nil) throws -> (id: Int64, ref: String, framework: String) {
        var frameworkID = try framework.map { try self.framework(db, $0) }
        var key = ref
        if frameworkID == nil, let colon = ref.firstIndex(of: ":") {
            let prefix = String(ref[..<colon])
            if let found = try? self.framework(db, prefix) { frameworkID = found; key = String(ref[ref.index(after: colon)...]) }
        }
        var sql = "SELECT id, ref, framework_id FROM requirement WHERE ref = ? COLLATE NOCASE"
        var arguments: [DatabaseValueConvertible] = [key]
        if let frameworkID { sql += " AND framework_id = ?"; arguments.append(frameworkID) }
        var rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        if rows.isEmpty {
            // A requirement imported from OSCAL also answers to its OSCAL id (`ac-2.1` for `AC-2(1)`),
            // the form other tools' exports and mapping sheets use.
            var byID = "SELECT id, ref, framework_id FROM requirement WHERE json_extract(attributes, '$.oscal_id') = ? COLLATE NOCASE"
            if frameworkID != nil { byID += " AND framework_id = ?" }
            rows = try Row.fetchAll(db, sql: byID, arguments: StatementArguments(arguments))
        }
        if rows.count == 1 { return (rows[0]["id"], rows[0]["ref"], rows[0]["framework_id"]) }
        if rows.count > 1 {
            throw WorkspaceError.ambiguousReference(
                kind: "requirement", name: ref,
                matches: rows.map { "\($0["framework_id"] as String):\($0["ref"] as String)" } + ["name one as FRAMEWORK:REF or pass --framework"])
        }
        let all = try String.fetchAll(db, sql: "SELECT ref FROM requirement WHERE framework_id = coalesce(?, framework_id)", arguments: [frameworkID])
        throw WorkspaceError.unknownReference(
            kind: frameworkID.map { "\($0) requirement" } ?? "requirement", name: ref,
            suggestions: Suggestions.closest(to: key, in: all))
    }

    /// Owners match by exact name (any case), then by handle, then by a unique name prefix.
    static func owner(_ db: Database, _ name: String) throws -> (id: Int64, name: String, retired: Bool) {
        if let row = try Row.fetchOne(
            db, sql: "SELECT id, name, retired_at FROM owner WHERE name = ? OR handle = ? COLLATE NOCASE", arguments: [name, name])
        {
            return (row["id"], row["name"], row["retired_at"] != nil)
        }
        let all = try Row.fetchAll(db, sql: "SELECT id, name, retired_at FROM owner ORDER BY name")
        let prefixed = all.filter { ($0["name"] as String).lowercased().hasPrefix(name.lowercased()) }
        if prefixed.count == 1 { return (prefixed[0]["id"], prefixed[0]["name"], prefixed[0]["retired_at"] != nil) }
        if prefixed.count > 1 {
            throw WorkspaceError.ambiguousReference(kind: "owner", name: name, matches: prefixed.map { $0["name"] })
        }
        throw WorkspaceError.unknownReference(kind: "owner", name: name, suggestions: Suggestions.closest(to: name, in: all.map { $0["name"] }))
    }

    /// An owner who can take on work now: known and not retired.
    static func activeOwner(_ db: Database, _ name: String) throws -> (id: Int64, name: String) {
        let owner = try owner(db, name)
        if owner.retired { throw WorkspaceError.invalid("\(owner.name) has retired; choose someone current") }
        return (owner.id, owner.name)
    }

    static func ownerName(_ db: Database, _ id: Int64?) throws -> String? {
        guard let id else { return nil }
        return try String.fetchOne(db, sql: "SELECT name FROM owner WHERE id = ?", arguments: [id])
    }
}
