import AssureModel
import Foundation
import GRDB

/// What `assure dsr open` asks for. `subjectRef` is an opaque reference (a ticket id), never
/// the person's details: `PrivacyRules.checkSubjectRef` refuses what looks like them.
public struct DSRDraft: Equatable, Sendable {
    public var kind: DSRKind
    public var receivedOn: String
    public var subjectRef: String

    public init(kind: DSRKind, receivedOn: String, subjectRef: String = "") {
        self.kind = kind; self.receivedOn = receivedOn; self.subjectRef = subjectRef
    }
}

/// How `assure dsr close` ends a request. `closedOn` nil means the actor's day; `evidence` is
/// a file (the reply sent, an export) stored in the workspace by its SHA-256.
public struct DSRClosing: Equatable, Sendable {
    public var status: DSRStatus
    public var note: String
    public var closedOn: String?
    public var evidence: String?

    public init(status: DSRStatus, note: String, closedOn: String? = nil, evidence: String? = nil) {
        self.status = status; self.note = note; self.closedOn = closedOn; self.evidence = evidence
    }
}

extension WorkspaceReader {
    /// Every request by reference, with its effective due date and days left as of `today`.
    public func dsrs(today: String) throws -> [DSRSummary] {
        try DSRRows.fetch(db, id: nil).map { DSRSummary($0, today: today) }
    }

    /// One request by `DSR-4`, `dsr-4` or `4`.
    public func dsr(_ ref: String, today: String) throws -> DSRSummary {
        let found = try Lookup.dsr(db, ref)
        guard let dsr = try DSRRows.fetch(db, id: found.id).first else {
            throw WorkspaceError.unknownReference(kind: "DSR", name: ref, suggestions: [])
        }
        return DSRSummary(dsr, today: today)
    }

    /// Streams a closed request's evidence file, its SHA-256 checked; returns its name.
    @discardableResult
    public func readDSREvidence(_ ref: String, _ consume: (Data) throws -> Void) throws -> String {
        let found = try Lookup.dsr(db, ref)
        guard let row = try Row.fetchOne(db, sql: "SELECT sha256, file_name FROM dsr WHERE id = ?", arguments: [found.id]),
            let sha256 = row[0] as String?, let name = row[1] as String?
        else {
            throw WorkspaceError.invalid("\(found.ref) has no evidence file")
        }
        try BlobStore.read(db, sha256: sha256, consume)
        return name
    }
}

extension WorkspaceWriter {
    /// Opens a request received on `draft.receivedOn` with its legal due date (one calendar
    /// month later); returns its reference (`DSR-4`).
    @discardableResult
    public func openDSR(_ draft: DSRDraft) throws -> String {
        let today = Timestamps.day(actor.now)
        let received = draft.receivedOn.trimmingCharacters(in: .whitespaces)
        guard DueDate.parseDay(received) != nil, let due = PrivacyRules.dueDate(received: received) else {
            throw WorkspaceError.invalid("--received: '\(received)' is not a date (YYYY-MM-DD)")
        }
        guard received <= today else { throw WorkspaceError.invalid("--received: a request cannot be received after today (\(today))") }
        let subjectRef = draft.subjectRef.trimmingCharacters(in: .whitespaces)
        try PrivacyRules.checkSubjectRef(subjectRef)
        let number = try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM dsr") ?? 1
        let ref = "DSR-\(number)"
        try db.execute(
            sql: """
                INSERT INTO dsr (number, ref, kind, received_on, subject_ref, due_on, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [number, ref, draft.kind.rawValue, received, subjectRef, due, actor.name, log.at])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "dsr", ref: ref, id: id, field: "created", before: nil, after: draft.kind.rawValue)
        try log.record(db, entity: "dsr", ref: ref, id: id, field: "received_on", before: nil, after: received)
        try log.record(db, entity: "dsr", ref: ref, id: id, field: "due_on", before: nil, after: due)
        if !subjectRef.isEmpty { try log.record(db, entity: "dsr", ref: ref, id: id, field: "subject_ref", before: nil, after: subjectRef) }
        return ref
    }

    /// Extends an open request once, by one or two months beyond its original due date, with
    /// the reason; decided on `day` (default: today), no later than the original due date.
    /// Returns the new due date.
    @discardableResult
    public func extendDSR(_ ref: String, months: Int, reason: String, on day: String? = nil) throws -> String {
        let found = try Lookup.dsr(db, ref)
        let dsr = try DSRRows.fetch(db, id: found.id)[0]
        let today = Timestamps.day(actor.now)
        let day = day ?? today
        if day > today { throw WorkspaceError.invalid("\(dsr.ref): an extension cannot be dated after today (\(today))") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let due = try PrivacyRules.extendedDue(dsr, months: months, reason: reason, on: day)
        try db.execute(sql: "UPDATE dsr SET extended_to = ?, extension_reason = ? WHERE id = ?", arguments: [due, reason, found.id])
        try log.record(db, entity: "dsr", ref: dsr.ref, id: found.id, field: "extended_to", before: nil, after: due)
        try log.record(db, entity: "dsr", ref: dsr.ref, id: found.id, field: "extension_reason", before: nil, after: reason)
        return due
    }

    /// Closes an open request as completed or refused, with a note, on a day between its
    /// receipt and today, optionally with a file kept as evidence. Returns the closing day.
    @discardableResult
    public func closeDSR(_ ref: String, _ closing: DSRClosing) throws -> String {
        let found = try Lookup.dsr(db, ref)
        let dsr = try DSRRows.fetch(db, id: found.id)[0]
        guard dsr.status == .open else {
            throw WorkspaceError.invalid("\(dsr.ref) was already closed (\(dsr.status.rawValue) on \(dsr.closedOn ?? "?"))")
        }
        guard closing.status != .open else { throw WorkspaceError.invalid("\(dsr.ref): close it as completed or refused (--status)") }
        let note = closing.note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else {
            throw WorkspaceError.invalid("\(dsr.ref): closing needs a note (--note TEXT): what was done, or why it was refused")
        }
        if let problem = StoredText.firstProblem(in: note, multiline: true) {
            throw WorkspaceError.invalid("\(dsr.ref) note: \(problem.description)")
        }
        let today = Timestamps.day(actor.now)
        let day = closing.closedOn ?? today
        guard DueDate.parseDay(day) != nil else { throw WorkspaceError.invalid("--date: '\(day)' is not a date (YYYY-MM-DD)") }
        guard day <= today else { throw WorkspaceError.invalid("\(dsr.ref): it cannot be closed after today (\(today))") }
        guard day >= dsr.receivedOn else {
            throw WorkspaceError.invalid("\(dsr.ref) was received on \(dsr.receivedOn); it cannot be closed on \(day)")
        }
        var stored: (sha256: String, name: String)?
        if let path = closing.evidence {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw WorkspaceError.invalid("\(path): no such file")
            }
            guard !isDirectory.boolValue else { throw WorkspaceError.invalid("\(path): is a folder; name one file") }
            stored = (try BlobStore.put(db, path: path).sha256, URL(fileURLWithPath: path).lastPathComponent)
        }
        try db.execute(
            sql: "UPDATE dsr SET status = ?, closed_on = ?, closing_note = ?, sha256 = ?, file_name = ? WHERE id = ?",
            arguments: [closing.status.rawValue, day, note, stored?.sha256, stored?.name, found.id])
        try log.record(db, entity: "dsr", ref: dsr.ref, id: found.id, field: "status", before: dsr.status.rawValue, after: closing.status.rawValue)
        try log.record(db, entity: "dsr", ref: dsr.ref, id: found.id, field: "closed_on", before: nil, after: day)
        try log.record(db, entity: "dsr", ref: dsr.ref, id: found.id, field: "closing_note", before: nil, after: note)
        if let stored {
            try log.record(db, entity: "dsr", ref: dsr.ref, id: found.id, field: "file", before: nil, after: "\(stored.name) sha256:\(stored.sha256)")
        }
        return day
    }
}

/// Reading request rows into values.
enum DSRRows {
    static func fetch(_ db: Database, id: Int64?) throws -> [DSR] {
        var sql = """
            SELECT ref, kind, received_on, subject_ref, due_on, extended_to, extension_reason, status, closed_on, closing_note,
                   file_name, sha256, opened_by
            FROM dsr
            """
        var arguments: StatementArguments = []
        if let id { sql += " WHERE id = ?"; arguments = [id] }
        sql += " ORDER BY number"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let kindText: String = row[1]
            let statusText: String = row[7]
            return DSR(
                ref: row[0], kind: DSRKind(rawValue: kindText) ?? .access, receivedOn: row[2], subjectRef: row[3], dueOn: row[4],
                extendedTo: row[5], extensionReason: row[6], status: DSRStatus(rawValue: statusText) ?? .open, closedOn: row[8],
                closingNote: row[9], fileName: row[10], sha256: row[11], openedBy: row[12])
        }
    }
}

extension Lookup {
    /// A request by `DSR-4` (any case) or its number alone.
    static func dsr(_ db: Database, _ ref: String) throws -> (id: Int64, ref: String) {
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        let key = Int(trimmed) != nil ? "DSR-\(trimmed)" : trimmed
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref FROM dsr WHERE ref = ?", arguments: [key]) { return (row[0], row[1]) }
        let all = try String.fetchAll(db, sql: "SELECT ref FROM dsr ORDER BY number")
        throw WorkspaceError.unknownReference(kind: "DSR", name: ref, suggestions: Suggestions.closest(to: key.uppercased(), in: all))
    }
}
