import AssureModel
import Foundation
import GRDB

/// A security training course: how often it is retaken, who must take it, and how long a new
/// hire (or everyone, when the course is new) has before it is due.
public struct TrainingCourse: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var cadence: ReviewCadence
    public var audience: TrainingAudience
    public var graceDays: Int
    /// The day it was added (`YYYY-MM-DD`): nobody owes it before then.
    public var createdOn: String
    public var createdBy: String
    public var terms: TrainingTerms { TrainingTerms(cadence: cadence, audience: audience, graceDays: graceDays, createdOn: createdOn) }
}

/// One completion of a course by one person, with its certificate when one was kept.
public struct TrainingCompletion: Equatable, Sendable {
    public var course: String
    public var person: String
    public var completedOn: String
    public var evidenceName: String?
    public var evidenceSHA256: String?
    public var recordedBy: String
    public var recordedAt: String
}

/// One person owing one course, and where they stand (the agenda and dashboard list the overdue).
public struct TrainingDue: Equatable, Sendable {
    public var courseRef: String
    public var course: String
    public var person: String
    public var team: String
    public var lastCompleted: String?
    /// The (next) due date; nil once a one-off course is done.
    public var due: String?
    public var state: TrainingState
    /// The file kept with the latest completion, if any.
    public var evidence: String?
}

/// What `training add` asks for. `createdOn` (`YYYY-MM-DD`) backdates the course (the sample
/// loader); by default it is the day of the write.
public struct TrainingCourseDraft: Sendable {
    public var title: String
    public var cadence: ReviewCadence
    public var audience: TrainingAudience
    public var graceDays: Int
    public var createdOn: String?
    public init(
        title: String, cadence: ReviewCadence = .annual, audience: TrainingAudience = .everyone, graceDays: Int = 30, createdOn: String? = nil
    ) {
        self.title = title; self.cadence = cadence; self.audience = audience; self.graceDays = graceDays; self.createdOn = createdOn
    }
}

extension Lookup {
    /// A course by reference (`TRN-2`, or just `2`), by title (any case), or by a unique prefix of its title.
    static func course(_ db: Database, _ name: String) throws -> (id: Int64, ref: String, title: String) {
        let key = name.trimmingCharacters(in: .whitespaces)
        let ref = Int(key) != nil ? "TRN-\(key)" : key
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref, title FROM training_course WHERE ref = ? OR title = ?", arguments: [ref, key]) {
            return (row[0], row[1], row[2])
        }
        let all = try Row.fetchAll(db, sql: "SELECT id, ref, title FROM training_course ORDER BY id")
        let prefixed = all.filter { ($0[2] as String).lowercased().hasPrefix(key.lowercased()) }
        if !key.isEmpty && prefixed.count == 1 { return (prefixed[0][0], prefixed[0][1], prefixed[0][2]) }
        if prefixed.count > 1 && !key.isEmpty {
            throw WorkspaceError.ambiguousReference(kind: "course", name: name, matches: prefixed.map { "\($0[1] as String) \($0[2] as String)" })
        }
        let candidates = all.map { $0[2] as String } + all.map { $0[1] as String }
        throw WorkspaceError.unknownReference(kind: "course", name: name, suggestions: Suggestions.closest(to: key, in: candidates))
    }
}

enum TrainingRows {
    static func course(_ row: Row) -> TrainingCourse {
        let cadence: String = row[3]
        let audience: String = row[4]
        let createdAt: String = row[6]
        return TrainingCourse(
            ref: row[1], title: row[2], cadence: ReviewCadence(rawValue: cadence) ?? .annual,
            audience: (try? TrainingAudience(parsing: audience)) ?? .everyone, graceDays: row[5],
            createdOn: String(createdAt.prefix(10)), createdBy: row[7])
    }

    static let courseColumns = "id, ref, title, cadence, audience, grace_days, created_at, created_by"
}

extension WorkspaceReader {
    /// Every course, in the order they were added.
    public func trainingCourses() throws -> [TrainingCourse] {
        try Row.fetchAll(db, sql: "SELECT \(TrainingRows.courseColumns) FROM training_course ORDER BY id").map(TrainingRows.course)
    }

    /// One course, named by reference or title (see `Lookup.course`).
    public func trainingCourse(_ name: String) throws -> TrainingCourse {
        let id = try Lookup.course(db, name).id
        let row = try Row.fetchOne(db, sql: "SELECT \(TrainingRows.courseColumns) FROM training_course WHERE id = ?", arguments: [id])!
        return TrainingRows.course(row)
    }

    /// Completions, oldest first (one course's when named).
    public func trainingRecords(course: String? = nil) throws -> [TrainingCompletion] {
        var sql = """
            SELECT c.ref, r.person, r.completed_on, r.evidence_name, r.evidence_sha256, r.recorded_by, r.recorded_at
            FROM training_record r JOIN training_course c ON c.id = r.course_id
            """
        var arguments: [DatabaseValueConvertible] = []
        if let course { sql += " WHERE r.course_id = ?"; arguments.append(try Lookup.course(db, course).id) }
        sql += " ORDER BY c.id, r.completed_on, r.id"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            TrainingCompletion(
                course: row[0], person: row[1], completedOn: row[2], evidenceName: row[3], evidenceSHA256: row[4],
                recordedBy: row[5], recordedAt: row[6])
        }
    }

    /// One row per course and person owing it on `today` (in its audience and employed that
    /// day), with their latest completion, due date and state. Courses in the order added,
    /// people by name.
    public func trainingStatus(today: String) throws -> [TrainingDue] {
        try trainingStatus(course: nil, today: today)
    }

    /// As `trainingStatus(today:)`, for one course when named.
    public func trainingStatus(course: String?, today: String) throws -> [TrainingDue] {
        var courses = try trainingCourses()
        if let course {
            let ref = try Lookup.course(db, course).ref
            courses = courses.filter { $0.ref == ref }
        }
        // The latest completion per course and person (names compared without case, as stored).
        var latest: [String: (day: String, evidence: String?)] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT c.ref, r.person, r.completed_on, r.evidence_name FROM training_record r
                JOIN training_course c ON c.id = r.course_id ORDER BY r.completed_on, r.id
                """)
        {
            let ref: String = row[0]
            let person: String = row[1]
            latest["\(ref)\u{1F}\(person.lowercased())"] = (row[2], row[3])
        }
        let people = try people()
        var out: [TrainingDue] = []
        for course in courses {
            let terms = course.terms
            for person in people
            where TrainingRules.owes(terms, team: person.team, startedOn: person.startedOn, endedOn: person.endedOn, today: today) {
                let last = latest["\(course.ref)\u{1F}\(person.name.lowercased())"]
                let standing = TrainingRules.standing(terms, startedOn: person.startedOn, lastCompleted: last?.day, today: today)
                out.append(
                    TrainingDue(
                        courseRef: course.ref, course: course.title, person: person.name, team: person.team,
                        lastCompleted: last?.day, due: standing.due, state: standing.state, evidence: last?.evidence ?? nil))
            }
        }
        return out
    }
}

extension WorkspaceWriter {
    /// Adds a course as the next `TRN-n`.
    @discardableResult
    public func addTrainingCourse(_ draft: TrainingCourseDraft) throws -> String {
        let title = try TrainingInput.title(draft.title)
        try TrainingInput.check(graceDays: draft.graceDays)
        if let existing = try Row.fetchOne(db, sql: "SELECT ref, title FROM training_course WHERE title = ?", arguments: [title]) {
            throw WorkspaceError.invalid("a course titled '\(existing[1] as String)' already exists (\(existing[0] as String))")
        }
        var createdAt = Timestamps.iso(actor.now)
        if let day = draft.createdOn {
            guard PersonFields.isDay(day) else { throw WorkspaceError.invalid("'\(day)' is not a date: use YYYY-MM-DD") }
            createdAt = "\(day)T00:00:00Z"
        }
        let number = try Int.fetchOne(db, sql: "SELECT coalesce(max(CAST(substr(ref, 5) AS INTEGER)), 0) + 1 FROM training_course") ?? 1
        let ref = "TRN-\(number)"
        try db.execute(
            sql: """
                INSERT INTO training_course (ref, title, cadence, audience, grace_days, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [ref, title, draft.cadence.rawValue, draft.audience.text, draft.graceDays, createdAt, actor.name])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "training", ref: ref, id: id, field: "created", before: nil, after: title)
        try log.record(db, entity: "training", ref: ref, id: id, field: "cadence", before: nil, after: draft.cadence.rawValue)
        try log.record(db, entity: "training", ref: ref, id: id, field: "audience", before: nil, after: draft.audience.text)
        try log.record(db, entity: "training", ref: ref, id: id, field: "grace_days", before: nil, after: String(draft.graceDays))
        return ref
    }

    /// Changes a course's title, cadence, audience or grace period; returns the fields changed.
    /// Completions stay: a new cadence counts from the latest of them.
    @discardableResult
    public func editTrainingCourse(
        _ name: String, title: String? = nil, cadence: ReviewCadence? = nil, audience: TrainingAudience? = nil,
        graceDays: Int? = nil
    ) throws -> [String] {
        let found = try Lookup.course(db, name)
        let row = try Row.fetchOne(db, sql: "SELECT \(TrainingRows.courseColumns) FROM training_course WHERE id = ?", arguments: [found.id])!
        let current = TrainingRows.course(row)
        var changed: [String] = []
        func set(_ column: String, _ before: String, _ after: String?, stored: DatabaseValueConvertible?) throws {
            guard let after, after != before else { return }
            try db.execute(sql: "UPDATE training_course SET \(column) = ? WHERE id = ?", arguments: [stored, found.id])
            try log.record(db, entity: "training", ref: found.ref, id: found.id, field: column, before: before, after: after)
            changed.append(column)
        }
        if let title {
            let cleaned = try TrainingInput.title(title)
            if let other = try Row.fetchOne(
                db, sql: "SELECT ref, title FROM training_course WHERE title = ? AND id <> ?", arguments: [cleaned, found.id])
            {
                throw WorkspaceError.invalid("\(other[0] as String) already has the title '\(other[1] as String)'")
            }
            try set("title", current.title, cleaned, stored: cleaned)
        }
        try set("cadence", current.cadence.rawValue, cadence?.rawValue, stored: cadence?.rawValue)
        try set("audience", current.audience.text, audience?.text, stored: audience?.text)
        if let graceDays {
            try TrainingInput.check(graceDays: graceDays)
            try set("grace_days", String(current.graceDays), String(graceDays), stored: graceDays)
        }
        return changed
    }

    /// Records that `person` completed `course` on `completedOn` (not in the future), keeping
    /// the certificate (`evidence`, a file path) by its SHA-256 in the workspace.
    @discardableResult
    public func recordTraining(course: String, person: String, completedOn: String, evidence: String? = nil) throws -> TrainingCompletion {
        let found = try Lookup.course(db, course)
        let name = try Lookup.person(db, person)
        guard PersonFields.isDay(completedOn) else { throw WorkspaceError.invalid("--date: '\(completedOn)' is not a date: use YYYY-MM-DD") }
        let today = Timestamps.day(actor.now)
        guard completedOn <= today else {
            throw WorkspaceError.invalid("--date: \(completedOn) is in the future (today is \(today)); record a completion once it has happened")
        }
        if try Bool.fetchOne(
            db, sql: "SELECT 1 FROM training_record WHERE course_id = ? AND person = ? AND completed_on = ?",
            arguments: [found.id, name, completedOn]) == true
        {
            throw WorkspaceError.invalid("\(name) already has \(found.ref) recorded on \(completedOn)")
        }
        var stored: (sha256: String, name: String)?
        if let evidence {
            // BlobStore's own refusal speaks of workspace files; this one names the option.
            guard FileManager.default.fileExists(atPath: evidence) else { throw WorkspaceError.invalid("--evidence: \(evidence): no such file") }
            let blob = try BlobStore.put(db, path: evidence)
            stored = (blob.sha256, URL(fileURLWithPath: evidence).lastPathComponent)
        }
        let at = Timestamps.iso(actor.now)
        try db.execute(
            sql: """
                INSERT INTO training_record (course_id, person, completed_on, evidence_sha256, evidence_name, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [found.id, name, completedOn, stored?.sha256, stored?.name, actor.name, at])
        // Logged under the course's reference; the row's own id is left out, as it would read
        // as the course's id in the log's entity column.
        let proof = stored.map { " (\($0.name), sha256 \($0.sha256))" } ?? ""
        try log.record(db, entity: "training", ref: found.ref, field: "completed", before: nil, after: "\(name) on \(completedOn)\(proof)")
        return TrainingCompletion(
            course: found.ref, person: name, completedOn: completedOn, evidenceName: stored?.name,
            evidenceSHA256: stored?.sha256, recordedBy: actor.name, recordedAt: at)
    }
}

/// Checks on what a course is given.
enum TrainingInput {
    static func title(_ text: String) throws -> String {
        let title = text.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else { throw WorkspaceError.invalid("a course needs a title") }
        if let problem = StoredText.firstProblem(in: title, multiline: false) { throw WorkspaceError.invalid("course title: \(problem.description)") }
        // A title that reads as a reference would be found as that reference instead.
        if title.uppercased().hasPrefix("TRN-") || Int(title) != nil {
            throw WorkspaceError.invalid("'\(title)' reads as a course reference; choose a title in words")
        }
        return title
    }

    static func check(graceDays: Int) throws {
        guard (0...365).contains(graceDays) else { throw WorkspaceError.invalid("--grace-days must be 0 to 365") }
    }
}
