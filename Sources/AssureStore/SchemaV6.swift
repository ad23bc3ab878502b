import GRDB

/// Schema v6: the people who sign exports. Each row is one Ed25519 public key (64 lowercase hex
/// digits) recorded the first time its holder signed something from this workspace; the private
/// key never enters the workspace (it lives in the signer's own config folder). A person may
/// record several keys (one per machine); a key belongs to one name. Shipped as one migration;
/// never edit it.
enum SchemaV6 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE signer (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    public_key TEXT NOT NULL UNIQUE,
                    recorded_at TEXT NOT NULL
                );
                CREATE INDEX signer_name ON signer(name);
                """)
    }
}
