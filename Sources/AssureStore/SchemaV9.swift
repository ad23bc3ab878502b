import GRDB

/// Schema v9: an evidence item may name the occurrence period it answers (`--for FROM..TO`),
/// for when its date alone is ambiguous (March's review, held in April). Shipped as one
/// migration; never edit it.
enum SchemaV9 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE evidence ADD COLUMN answers_from TEXT;
                ALTER TABLE evidence ADD COLUMN answers_to TEXT;
                """)
    }
}
