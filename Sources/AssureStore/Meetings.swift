import GRDB

enum Meetings {
    /// The meeting in progress, if any: every change recorded meanwhile belongs to it.
    static func openMeetingID(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM meeting WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1")
    }
}
