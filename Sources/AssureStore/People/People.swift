import AssureModel
import GRDB

/// Someone who owes acknowledgements and training: every owner who is a person (not a team),
/// plus everyone on an imported personnel list. A `person` row with an owner's name adds their
/// email, team and dates to that owner rather than making a second person.
public struct Person: Equatable, Sendable {
    public var name: String
    public var email: String
    public var team: String
    /// First and last working day (`YYYY-MM-DD`), when known.
    public var startedOn: String?
    public var endedOn: String?
    /// Whether they are also a (current) owner in the workspace.
    public var isOwner: Bool
    /// Where the record came from: "owner", or the personnel file's name.
    public var source: String

    public init(
        name: String, email: String = "", team: String = "", startedOn: String? = nil, endedOn: String? = nil,
        isOwner: Bool = false, source: String = ""
    ) {
        self.name = name; self.email = email; self.team = team; self.startedOn = startedOn; self.endedOn = endedOn
        self.isOwner = isOwner; self.source = source
    }

    /// Employed on `day`: started by then (or start unknown) and not yet left.
    public func isActive(on day: String) -> Bool {
        if let startedOn, startedOn > day { return false }
        if let endedOn, endedOn < day { return false }
        return true
    }
}

extension WorkspaceReader {
    /// Everyone, by name: person rows, then owners (persons, not retired) without a row.
    public func people() throws -> [Person] {
        var byName: [String: Person] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT p.name, p.email, p.team, p.started_on, p.ended_on, p.source,
                       EXISTS (SELECT 1 FROM owner o WHERE o.name = p.name AND o.kind = 'person' AND o.retired_at IS NULL) AS is_owner
                FROM person p
                """)
        {
            let person = Person(
                name: row[0], email: row[1], team: row[2], startedOn: row[3], endedOn: row[4],
                isOwner: row[6], source: row[5])
            byName[person.name.lowercased()] = person
        }
        for row in try Row.fetchAll(db, sql: "SELECT name, handle FROM owner WHERE kind = 'person' AND retired_at IS NULL") {
            let name: String = row[0]
            if byName[name.lowercased()] == nil { byName[name.lowercased()] = Person(name: name, isOwner: true, source: "owner") }
        }
        // By the lower-cased names already kept as keys: lower-casing inside the comparison
        // made two strings per comparison (a millisecond at 200 owners, on every snapshot).
        return byName.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The people employed on `day`.
    public func people(activeOn day: String) throws -> [Person] {
        try people().filter { $0.isActive(on: day) }
    }
}

extension Lookup {
    /// A person by exact name (any case), an owner's handle, or a unique name prefix; answers
    /// with their name as the workspace spells it.
    static func person(_ db: Database, _ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if let found = try String.fetchOne(db, sql: "SELECT name FROM person WHERE name = ?", arguments: [trimmed]) { return found }
        if let found = try String.fetchOne(
            db,
            sql: """
                SELECT name FROM owner WHERE kind = 'person' AND (name = ? OR handle = ? COLLATE NOCASE)
                """, arguments: [trimmed, trimmed])
        {
            return found
        }
        let all = try WorkspaceReader(db: db).people().map(\.name)
        let prefixed = all.filter { $0.lowercased().hasPrefix(trimmed.lowercased()) }
        if prefixed.count == 1 { return prefixed[0] }
        if prefixed.count > 1 { throw WorkspaceError.ambiguousReference(kind: "person", name: name, matches: prefixed) }
        throw WorkspaceError.unknownReference(kind: "person", name: name, suggestions: Suggestions.closest(to: trimmed, in: all))
    }
}

extension WorkspaceWriter {
    /// Adds someone by hand (`people add`). A name an owner has gives that owner a person row
    /// (their email, team and dates); a name already on the list is refused.
    @discardableResult
    public func addPerson(_ row: PersonRow, source: String = "manual") throws -> PersonChange {
        let name = row.name.trimmingCharacters(in: .whitespaces)
        if let found = try String.fetchOne(db, sql: "SELECT name FROM person WHERE name = ?", arguments: [name]) {
            throw WorkspaceError.invalid("\(found) is already on the people list; change them with `assure people edit`")
        }
        return try applyOne(row, source: source)
    }

    /// Changes someone's email, team or dates (`people edit`); an empty value clears it. `name`
    /// is resolved like any person (exact name, an owner's handle, a unique prefix); an owner
    /// without a row gets one.
    @discardableResult
    public func editPerson(_ name: String, email: String? = nil, team: String? = nil, startedOn: String? = nil, endedOn: String? = nil) throws
        -> PersonChange
    {
        let found = try Lookup.person(db, name)
        return try applyOne(PersonRow(name: found, email: email, team: team, startedOn: startedOn, endedOn: endedOn), source: "manual")
    }

    private func applyOne(_ row: PersonRow, source: String) throws -> PersonChange {
        let planner = PeoplePlanner(db: db)
        do {
            let (steps, _) = try planner.plan([row], matchByEmail: false)
            try planner.apply(steps, source: source, log: &log)
            return steps[0].change
        } catch let error as PersonRowError {
            throw PeopleCSV.describe(error, source: source)
        }
    }
}
