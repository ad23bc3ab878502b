import AssureModel
import Foundation
import GRDB

/// One person as a personnel list (or `people add`/`edit`) gives them. For email, team and the
/// dates, nil leaves what the workspace holds and an empty string clears it; an import passes
/// nil for an empty cell, so a sparse file never wipes what another source filled in.
public struct PersonRow: Equatable, Sendable {
    public var name: String
    public var email: String?
    public var team: String?
    public var startedOn: String?
    public var endedOn: String?
    /// Its row in the file (the header is row 1), for messages; 0 when not from a file.
    public var line: Int
    public init(name: String, email: String? = nil, team: String? = nil, startedOn: String? = nil, endedOn: String? = nil, line: Int = 0) {
        self.name = name; self.email = email; self.team = team; self.startedOn = startedOn; self.endedOn = endedOn; self.line = line
    }
}

/// What an import did (or, in a dry run, would do) to one person.
public struct PersonChange: Equatable, Sendable {
    public enum Kind: String, Sendable { case added, updated, unchanged }
    public struct Field: Equatable, Sendable {
        public var field: String
        public var before: String?
        public var after: String?
    }
    public var kind: Kind
    /// The name as the workspace spells it (the file's spelling for someone new).
    public var name: String
    public var line: Int
    /// Set when the row matched an existing person by email rather than by name.
    public var matchedByEmail: Bool
    public var fields: [Field]
}

/// The outcome of a personnel import.
public struct PeopleImportResult: Equatable, Sendable {
    /// The file's name (or the caller's label), also stored as new people's source.
    public var source: String
    public var changes: [PersonChange]
    /// People in the workspace (owners included) that no row named: left as they were.
    public var leftAlone: Int
    /// Columns of the file that map to no field, ignored.
    public var ignoredColumns: [String]
    public var dryRun: Bool

    public var added: [PersonChange] { changes.filter { $0.kind == .added } }
    public var updated: [PersonChange] { changes.filter { $0.kind == .updated } }
    public var unchanged: [PersonChange] { changes.filter { $0.kind == .unchanged } }

    /// `people.csv: 3 added, 2 updated, 9 unchanged; 4 people not in the file were left alone`
    public var summary: String {
        let alone = leftAlone == 1 ? "1 person not in the file was left alone" : "\(leftAlone) people not in the file were left alone"
        return "\(source): \(added.count) added, \(updated.count) updated, \(unchanged.count) unchanged; \(alone)"
    }
}

/// A row refused, with the field at fault; callers turn it into a message naming the file,
/// row and column (an import) or the option (a command).
struct PersonRowError: Error {
    let line: Int
    let field: String
    let message: String
}

/// The fields of a person and what each may hold.
enum PersonFields {
    static let all = ["name", "email", "team", "start", "end"]
    /// Headers understood without a mapping (compared without case).
    static let aliases: [String: String] = [
        "full name": "name", "full_name": "name", "employee": "name", "e-mail": "email", "email address": "email",
        "work email": "email", "department": "team", "dept": "team", "start date": "start", "start_date": "start",
        "started_on": "start", "started": "start", "hire date": "start", "end date": "end", "end_date": "end",
        "ended_on": "end", "ended": "end", "termination date": "end", "leave date": "end",
    ]
    /// The change log's field names (the table's columns).
    static let logName = ["email": "email", "team": "team", "start": "started_on", "end": "ended_on"]

    /// The first problem of a row on its own (before matching), or nil.
    static func problem(_ row: PersonRow) -> PersonRowError? {
        func fail(_ field: String, _ message: String) -> PersonRowError { PersonRowError(line: row.line, field: field, message: message) }
        let name = row.name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { return fail("name", "a person needs a name") }
        let texts: [(String, String?)] = [
            ("name", row.name), ("email", row.email), ("team", row.team), ("start", row.startedOn), ("end", row.endedOn),
        ]
        for (field, value) in texts {
            if let value, let problem = StoredText.firstProblem(in: value, multiline: false) { return fail(field, problem.description) }
        }
        if let email = row.email, !email.isEmpty {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if email.contains(where: \.isWhitespace) || parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty {
                return fail("email", "'\(email)' is not an email address (name@domain)")
            }
        }
        for (field, value) in [("start", row.startedOn), ("end", row.endedOn)] {
            if let value, !value.isEmpty, !isDay(value) { return fail(field, "'\(value)' is not a date: use YYYY-MM-DD") }
        }
        if let start = row.startedOn, let end = row.endedOn, !start.isEmpty, !end.isEmpty, start > end {
            return fail("end", "ends (\(end)) before starting (\(start))")
        }
        return nil
    }

    /// A strict `YYYY-MM-DD` naming a real day.
    static func isDay(_ text: String) -> Bool {
        guard let date = DueDate.parseDay(text) else { return false }
        return DueDate.format(date) == text
    }
}

/// Matching rows to people and applying them: shared by the CSV import, `people add`/`edit` and
/// the sample loader.
struct PeoplePlanner {
    /// Whom a row is about.
    enum Target: Equatable {
        case row(id: Int64)
        case owner(name: String)
        case new
    }

    struct Existing {
        var id: Int64
        var name: String
        var email: String
        var team: String
        var startedOn: String?
        var endedOn: String?
    }

    struct Step {
        var row: PersonRow
        var target: Target
        var change: PersonChange
        /// Values after the row, by field.
        var merged: [String: String?]
    }

    let db: Database

    func existing() throws -> [Existing] {
        try Row.fetchAll(db, sql: "SELECT id, name, email, team, started_on, ended_on FROM person ORDER BY id").map { row in
            Existing(id: row[0], name: row[1], email: row[2], team: row[3], startedOn: row[4], endedOn: row[5])
        }
    }

    /// Current owners who are persons, with their handles (an email handle matches a row's email).
    func owners() throws -> [(name: String, handle: String)] {
        try Row.fetchAll(db, sql: "SELECT name, handle FROM owner WHERE kind = 'person' AND retired_at IS NULL ORDER BY name").map { ($0[0], $0[1]) }
    }

    /// Checks every row and works out its change, writing nothing. Throws at the first bad row.
    /// `matchByEmail: false` (for `people add`) matches by name only.
    func plan(_ rows: [PersonRow], matchByEmail: Bool = true) throws -> (steps: [Step], leftAlone: Int) {
        let people = try existing()
        let owners = try owners()
        var claimed: [String: Int] = [:]  // who (lowercased name) -> the row that named them
        var steps: [Step] = []
        for row in rows {
            if let problem = PersonFields.problem(row) { throw problem }
            let name = row.name.trimmingCharacters(in: .whitespaces)
            func fail(_ field: String, _ message: String) -> PersonRowError { PersonRowError(line: row.line, field: field, message: message) }
            var target = Target.new
            var current: Existing?
            var byEmail = false
            var spelled = name
            if let found = people.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) {
                target = .row(id: found.id); current = found; spelled = found.name
            } else if let owner = owners.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) {
                target = .owner(name: owner.name); spelled = owner.name
            } else if matchByEmail, let email = row.email, !email.isEmpty {
                let matches = people.filter { $0.email.caseInsensitiveCompare(email) == .orderedSame }
                let ownerMatches = owners.filter { owner in
                    owner.handle.caseInsensitiveCompare(email) == .orderedSame
                        && !people.contains(where: { $0.name.caseInsensitiveCompare(owner.name) == .orderedSame })
                }
                if matches.count + ownerMatches.count > 1 {
                    let names = matches.map(\.name) + ownerMatches.map(\.name)
                    throw fail("email", "\(email) belongs to several people (\(names.joined(separator: ", "))); name the person exactly")
                }
                if let found = matches.first { target = .row(id: found.id); current = found; spelled = found.name; byEmail = true }
                if let owner = ownerMatches.first { target = .owner(name: owner.name); spelled = owner.name; byEmail = true }
            }
            if let earlier = claimed[spelled.lowercased()] {
                let how = byEmail ? " (matched by email)" : ""
                throw fail(
                    byEmail ? "email" : "name",
                    "\(spelled)\(how) is already named on \(earlier > 0 ? "row \(earlier)" : "an earlier row"); a person appears once")
            }
            claimed[spelled.lowercased()] = row.line

            // The values after this row: a given value replaces, "" clears, nil keeps.
            let before: [String: String?] = [
                "email": current?.email ?? "", "team": current?.team ?? "", "start": current?.startedOn, "end": current?.endedOn,
            ]
            var merged = before
            func take(_ field: String, _ value: String?, date: Bool) {
                guard let value else { return }
                merged[field] = date && value.isEmpty ? .some(nil) : .some(value)
            }
            // An email that differs only in case is the same address: keep the stored spelling.
            if let email = row.email, let stored = current?.email, email.caseInsensitiveCompare(stored) == .orderedSame {
            } else {
                take("email", row.email, date: false)
            }
            take("team", row.team, date: false)
            take("start", row.startedOn, date: true)
            take("end", row.endedOn, date: true)
            if let start = merged["start"] ?? nil, let end = merged["end"] ?? nil, start > end {
                let field = row.endedOn != nil ? "end" : "start"
                throw fail(field, "\(spelled) would end (\(end)) before starting (\(start))")
            }
            var fields: [PersonChange.Field] = []
            for field in ["email", "team", "start", "end"] {
                let old = before[field] ?? nil
                let new = merged[field] ?? nil
                let shownOld = (old?.isEmpty ?? true) ? nil : old
                let shownNew = (new?.isEmpty ?? true) ? nil : new
                if shownOld != shownNew { fields.append(.init(field: field, before: shownOld, after: shownNew)) }
            }
            let kind: PersonChange.Kind
            switch target {
            case .new: kind = .added
            // An owner gets a row only when the file says something about them.
            case .owner: kind = fields.isEmpty ? .unchanged : .updated
            case .row: kind = fields.isEmpty ? .unchanged : .updated
            }
            steps.append(
                Step(
                    row: row, target: target,
                    change: PersonChange(kind: kind, name: spelled, line: row.line, matchedByEmail: byEmail, fields: fields),
                    merged: merged))
        }
        var everyone = Set(people.map { $0.name.lowercased() })
        for owner in owners { everyone.insert(owner.name.lowercased()) }
        let leftAlone = everyone.subtracting(claimed.keys).count
        return (steps, leftAlone)
    }

    /// Writes the planned steps with their change-log rows.
    func apply(_ steps: [Step], source: String, log: inout ChangeRecorder) throws {
        for step in steps where step.change.kind != .unchanged {
            let name = step.change.name
            let email = (step.merged["email"] ?? nil) ?? ""
            let team = (step.merged["team"] ?? nil) ?? ""
            let start = step.merged["start"] ?? nil
            let end = step.merged["end"] ?? nil
            var id: Int64
            switch step.target {
            case .row(let existing):
                id = existing
                try db.execute(
                    sql: "UPDATE person SET email = ?, team = ?, started_on = ?, ended_on = ? WHERE id = ?",
                    arguments: [email, team, start, end, id])
            case .owner, .new:
                try db.execute(
                    sql: "INSERT INTO person (name, email, team, started_on, ended_on, source) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [name, email, team, start, end, source])
                id = db.lastInsertedRowID
                try log.record(db, entity: "person", ref: name, id: id, field: "created", before: nil, after: name)
                try log.record(db, entity: "person", ref: name, id: id, field: "source", before: nil, after: source)
            }
            for field in step.change.fields {
                try log.record(
                    db, entity: "person", ref: name, id: id, field: PersonFields.logName[field.field] ?? field.field,
                    before: field.before, after: field.after)
            }
        }
    }
}

extension WorkspaceReader {
    /// What importing `rows` would do, writing nothing (a dry run).
    public func planPeopleImport(_ rows: [PersonRow], source: String) throws -> PeopleImportResult {
        do {
            let (steps, leftAlone) = try PeoplePlanner(db: db).plan(rows)
            return PeopleImportResult(source: source, changes: steps.map(\.change), leftAlone: leftAlone, ignoredColumns: [], dryRun: true)
        } catch let error as PersonRowError {
            throw PeopleCSV.describe(error, source: source)
        }
    }
}

extension WorkspaceWriter {
    /// Imports already-parsed rows (the CSV import, the sample loader): rows match people by
    /// name (any case), failing that by email; new people are added, changed fields updated,
    /// every change on the change log (entity `person`); people not named are left alone. One
    /// bad row refuses them all.
    @discardableResult
    public func importPeople(_ rows: [PersonRow], source: String) throws -> PeopleImportResult {
        do { return try applyPeople(rows, source: source) } catch let error as PersonRowError {
            throw PeopleCSV.describe(error, source: source)
        }
    }

    /// As `importPeople`, throwing `PersonRowError` so the CSV import can name the column.
    func applyPeople(_ rows: [PersonRow], source: String) throws -> PeopleImportResult {
        let planner = PeoplePlanner(db: db)
        let (steps, leftAlone) = try planner.plan(rows)
        try planner.apply(steps, source: source, log: &log)
        return PeopleImportResult(source: source, changes: steps.map(\.change), leftAlone: leftAlone, ignoredColumns: [], dryRun: false)
    }
}

/// A personnel CSV read with the project's strict CSV reader: header names matched without
/// case (plus a few common spellings), `--map` for any other header.
enum PeopleCSV {
    struct Parsed {
        var rows: [PersonRow]
        /// The 1-based column of each field, for messages.
        var columns: [String: Int]
        var header: [String]
        var headerLine: Int
        var ignored: [String]
    }

    /// `--map` values: `field=Column` (or `Column=field`, as `assure import` takes it); several
    /// pairs may share one value, separated by commas.
    static func mapping(_ values: [String], header: [String], path: String, headerLine: Int) throws -> [String: String] {
        var byHeader: [String: String] = [:]  // header (lowercased) -> field
        for value in values {
            let pieces = value.split(separator: ",").map(String.init)
            let pairs = pieces.allSatisfy({ $0.contains("=") }) ? pieces : [value]
            for pair in pairs {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                func fail(_ message: String) -> WorkspaceError {
                    .badFile(path: path, line: headerLine, column: 1, message: "--map \(pair): \(message)")
                }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw fail("use field=Column, e.g. name=\"Full Name\"") }
                let (left, right) = (parts[0], parts[1])
                let field: String
                let column: String
                if PersonFields.all.contains(left.lowercased()) {
                    (field, column) = (left.lowercased(), right)
                } else if PersonFields.all.contains(right.lowercased()) {
                    (field, column) = (right.lowercased(), left)
                } else {
                    throw fail("no such field; fields: \(PersonFields.all.joined(separator: ", "))")
                }
                guard header.contains(where: { $0.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(column) == .orderedSame }) else {
                    throw fail("the file has no column \"\(column)\"; its columns: \(header.joined(separator: ", "))")
                }
                byHeader[column.lowercased()] = field
            }
        }
        return byHeader
    }

    static func parse(_ text: String, path: String, map: [String]) throws -> Parsed {
        // Rows keep their number in the file (the header is row 1); blank ones are skipped.
        let numbered = try CSV.records(text, path: path).enumerated().filter {
            !$0.element.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        guard let (headerIndex, header) = numbered.first else {
            throw WorkspaceError.badFile(path: path, line: 1, column: 1, message: "the file is empty")
        }
        let headerLine = headerIndex + 1
        let mapped = try mapping(map, header: header, path: path, headerLine: headerLine)
        var columns: [String: Int] = [:]
        var ignored: [String] = []
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            let key = name.lowercased()
            let field = mapped[key] ?? (PersonFields.all.contains(key) ? key : PersonFields.aliases[key])
            guard let field else { if !name.isEmpty { ignored.append(name) }; continue }
            if let other = columns[field] {
                throw WorkspaceError.badFile(
                    path: path, line: headerLine, column: index + 1,
                    message: "columns \"\(header[other - 1])\" and \"\(name)\" both give the \(field); map one with --map")
            }
            columns[field] = index + 1
        }
        guard columns["name"] != nil else {
            throw WorkspaceError.badFile(
                path: path, line: headerLine, column: 1,
                message: "no column gives the name; its columns: \(header.joined(separator: ", ")) (use --map name=\"Your header\")")
        }
        var rows: [PersonRow] = []
        var seen: [String: Int] = [:]
        for (index, record) in numbered.dropFirst() {
            let line = index + 1
            func cell(_ field: String) -> String? {
                guard let column = columns[field], column <= record.count else { return nil }
                let value = record[column - 1].trimmingCharacters(in: .whitespacesAndNewlines)
                return value.isEmpty ? nil : value
            }
            let row = PersonRow(
                name: cell("name") ?? "", email: cell("email"), team: cell("team"), startedOn: cell("start"),
                endedOn: cell("end"), line: line)
            if let problem = PersonFields.problem(row) {
                throw fail(problem, path: path, header: header, columns: columns)
            }
            if let earlier = seen[row.name.lowercased()] {
                throw fail(
                    PersonRowError(line: line, field: "name", message: "\(row.name) is already on row \(earlier); a person appears once"),
                    path: path, header: header, columns: columns)
            }
            seen[row.name.lowercased()] = line
            rows.append(row)
        }
        return Parsed(rows: rows, columns: columns, header: header, headerLine: headerLine, ignored: ignored)
    }

    static func fail(_ error: PersonRowError, path: String, header: [String], columns: [String: Int]) -> WorkspaceError {
        let column = columns[error.field] ?? 0
        let name = column > 0 && column <= header.count ? "column \"\(header[column - 1])\": " : ""
        return .badFile(path: path, line: error.line, column: column, message: name + error.message)
    }

    /// A row's problem outside a file: the sample loader's rows, `people add`.
    static func describe(_ error: PersonRowError, source: String) -> WorkspaceError {
        if error.line > 0 { return .invalid("\(source): row \(error.line), \(error.field): \(error.message)") }
        // Typed on the command line: name the option (the name is the NAME argument).
        return .invalid("\(error.field == "name" ? "NAME" : "--" + error.field): \(error.message)")
    }
}

extension Workspace {
    /// Imports a personnel CSV (columns name, email, team, start, end) as one transaction: every
    /// row or none, and a bad row is named by file, row and column. A dry run only reads.
    public func importPeopleCSV(_ text: String, path: String, map: [String] = [], dryRun: Bool = false, by actor: Actor) throws -> PeopleImportResult
    {
        let parsed = try PeopleCSV.parse(text, path: path, map: map)
        let source = URL(fileURLWithPath: path).lastPathComponent
        func located(_ body: () throws -> PeopleImportResult) throws -> PeopleImportResult {
            do {
                var result = try body()
                result.ignoredColumns = parsed.ignored
                return result
            } catch let error as PersonRowError {
                throw PeopleCSV.fail(error, path: path, header: parsed.header, columns: parsed.columns)
            }
        }
        if dryRun {
            return try located {
                try read { r in
                    let (steps, leftAlone) = try PeoplePlanner(db: r.db).plan(parsed.rows)
                    return PeopleImportResult(source: source, changes: steps.map(\.change), leftAlone: leftAlone, ignoredColumns: [], dryRun: true)
                }
            }
        }
        return try located { try write(actor) { w in try w.applyPeople(parsed.rows, source: source) }.value }
    }
}
