import GRDB

/// Schema v7: decisions a framework asks the company to record about one of its requirements.
/// The HIPAA Security Rule lets a covered entity or business associate decide, for each
/// addressable implementation specification, to implement it, to implement an equivalent
/// alternative, or that it is not reasonable and appropriate, and asks for the reason to be
/// documented (45 CFR 164.306(d)(3)). One row per requirement; history is in the change log.
/// Shipped as one migration; never edit it.
enum SchemaV7 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE requirement_decision (
                    requirement_id INTEGER PRIMARY KEY REFERENCES requirement(id) ON DELETE CASCADE,
                    decision TEXT NOT NULL CHECK (decision IN ('implemented', 'alternative', 'not-reasonable')),
                    reason TEXT NOT NULL DEFAULT '',
                    decided_by TEXT NOT NULL,
                    decided_at TEXT NOT NULL
                );
                """)
    }
}
