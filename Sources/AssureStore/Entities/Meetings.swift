import AssureModel
import GRDB

public struct Meeting: Equatable, Sendable {
    public var id: Int64
    public var title: String
    public var attendees: [String]
    public var startedAt: String
    public var startedBy: String
    public var endedAt: String?
}

enum Meetings {
    /// The meeting in progress, if any: every change recorded meanwhile belongs to it.
    static func openMeetingID(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM meeting WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1")
    }

    static func meeting(_ row: Row) -> Meeting {
        Meeting(
            id: row["id"], title: row["title"],
            attendees: (row["attendees"] as String).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            startedAt: row["started_at"], startedBy: row["started_by"], endedAt: row["ended_at"])
    }
}

extension WorkspaceReader {
    public func meetings() throws -> [Meeting] {
        try Row.fetchAll(db, sql: "SELECT * FROM meeting ORDER BY id").map(Meetings.meeting)
    }

    public func openMeeting() throws -> Meeting? {
        try Row.fetchOne(db, sql: "SELECT * FROM meeting WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1").map(Meetings.meeting)
    }

    /// A meeting by number or by (case-insensitive) title.
    public func meeting(_ reference: String) throws -> Meeting {
        let all = try meetings()
        if let id = Int64(reference), let found = all.first(where: { $0.id == id }) { return found }
        if let found = all.last(where: { $0.title.lowercased() == reference.lowercased() }) { return found }
        throw WorkspaceError.unknownReference(kind: "meeting", name: reference, suggestions: Suggestions.closest(to: reference, in: all.map(\.title)))
    }
}

extension WorkspaceWriter {
    /// Opens a meeting; every change until `endMeeting` belongs to it.
    @discardableResult
    public func startMeeting(title: String, attendees: [String]) throws -> Meeting {
        let title = title.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else { throw WorkspaceError.invalid("a meeting needs a title") }
        if let open = try Row.fetchOne(db, sql: "SELECT title FROM meeting WHERE ended_at IS NULL") {
            throw WorkspaceError.conflict("meeting '\(open["title"] as String)' is still open; end it first (assure meeting end)")
        }
        let list = attendees.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: ", ")
        try db.execute(
            sql: "INSERT INTO meeting (title, attendees, started_at, started_by) VALUES (?, ?, ?, ?)",
            arguments: [title, list, log.at, log.actor])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "meeting", ref: String(id), id: id, field: "started", before: nil, after: title)
        if !list.isEmpty { try log.record(db, entity: "meeting", ref: String(id), id: id, field: "attendees", before: nil, after: list) }
        return Meeting(id: id, title: title, attendees: attendees, startedAt: log.at, startedBy: log.actor, endedAt: nil)
    }

    /// Ends the open meeting.
    @discardableResult
    public func endMeeting() throws -> Meeting {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM meeting WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1") else {
            throw WorkspaceError.invalid("no meeting is open")
        }
        var meeting = Meetings.meeting(row)
        // Recorded before the end time is set, so the closing row still belongs to it.
        try log.record(db, entity: "meeting", ref: String(meeting.id), id: meeting.id, field: "ended", before: nil, after: log.at)
        try db.execute(sql: "UPDATE meeting SET ended_at = ? WHERE id = ?", arguments: [log.at, meeting.id])
        meeting.endedAt = log.at
        return meeting
    }
}
