import GRDB

/// Schema v8: evidence and the Type II work around it.
/// - `blob` / `blob_chunk`: file bytes, content-addressed by SHA-256 and kept in 1 MiB chunks so
///   a large file is streamed in and out, never held whole. The same bytes are stored once.
/// - `evidence`: an item proving that a control operated on a date or through a period (which
///   differs from when it was added); `evidence_file`: its files, by version (a new file for the
///   same item is a new version; old versions stay).
/// - `population` / `population_row`: a frozen population (new hires, changes...) with the hash
///   of its canonical rows; a changed file is a new version.
/// - `sample` / `sample_item`: a reproducible selection from a population version and a seed,
///   and each item's test result.
/// - `audit_request` and its links: the auditor's request list.
/// Shipped as one migration; never edit it.
enum SchemaV8 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE blob (
                    sha256 TEXT PRIMARY KEY,
                    size INTEGER NOT NULL,
                    chunks INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE blob_chunk (
                    sha256 TEXT NOT NULL REFERENCES blob(sha256),
                    seq INTEGER NOT NULL,
                    data BLOB NOT NULL,
                    PRIMARY KEY (sha256, seq)
                ) WITHOUT ROWID;

                CREATE TABLE evidence (
                    id INTEGER PRIMARY KEY,
                    number INTEGER NOT NULL UNIQUE,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    control_id INTEGER NOT NULL REFERENCES control(id),
                    title TEXT NOT NULL,
                    source TEXT NOT NULL DEFAULT '',
                    note TEXT NOT NULL DEFAULT '',
                    proved_from TEXT NOT NULL,
                    proved_to TEXT NOT NULL,
                    review TEXT NOT NULL DEFAULT 'pending' CHECK (review IN ('pending', 'accepted', 'rejected')),
                    review_note TEXT NOT NULL DEFAULT '',
                    reviewed_by TEXT,
                    reviewed_at TEXT,
                    added_by TEXT NOT NULL,
                    added_at TEXT NOT NULL,
                    CHECK (proved_from <= proved_to)
                );
                CREATE INDEX evidence_by_control ON evidence(control_id, proved_to);
                CREATE TABLE evidence_file (
                    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
                    version INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    sha256 TEXT NOT NULL REFERENCES blob(sha256),
                    size INTEGER NOT NULL,
                    added_by TEXT NOT NULL,
                    added_at TEXT NOT NULL,
                    PRIMARY KEY (evidence_id, version, name)
                ) WITHOUT ROWID;
                CREATE INDEX evidence_file_by_blob ON evidence_file(sha256);

                CREATE TABLE population (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL COLLATE NOCASE,
                    version INTEGER NOT NULL,
                    control_id INTEGER REFERENCES control(id),
                    key_column TEXT NOT NULL,
                    columns TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    row_count INTEGER NOT NULL,
                    source TEXT NOT NULL DEFAULT '',
                    added_by TEXT NOT NULL,
                    added_at TEXT NOT NULL,
                    UNIQUE (name, version)
                );
                CREATE TABLE population_row (
                    population_id INTEGER NOT NULL REFERENCES population(id),
                    position INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    fields TEXT NOT NULL,
                    PRIMARY KEY (population_id, position)
                ) WITHOUT ROWID;

                CREATE TABLE sample (
                    id INTEGER PRIMARY KEY,
                    number INTEGER NOT NULL UNIQUE,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    population_id INTEGER NOT NULL REFERENCES population(id),
                    seed INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    sizing TEXT NOT NULL DEFAULT '',
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    UNIQUE (population_id, seed, size)
                );
                CREATE TABLE sample_item (
                    sample_id INTEGER NOT NULL REFERENCES sample(id),
                    position INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    result TEXT NOT NULL DEFAULT 'untested' CHECK (result IN ('untested', 'pass', 'exception', 'not-tested')),
                    note TEXT NOT NULL DEFAULT '',
                    evidence_id INTEGER REFERENCES evidence(id),
                    tested_by TEXT,
                    tested_at TEXT,
                    PRIMARY KEY (sample_id, position)
                ) WITHOUT ROWID;

                CREATE TABLE audit_request (
                    id INTEGER PRIMARY KEY,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    text TEXT NOT NULL,
                    due TEXT,
                    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'provided', 'accepted', 'rejected')),
                    sort_order INTEGER NOT NULL
                );
                CREATE TABLE audit_request_control (
                    request_id INTEGER NOT NULL REFERENCES audit_request(id),
                    control_id INTEGER NOT NULL REFERENCES control(id),
                    PRIMARY KEY (request_id, control_id)
                ) WITHOUT ROWID;
                CREATE TABLE audit_request_requirement (
                    request_id INTEGER NOT NULL REFERENCES audit_request(id),
                    requirement_id INTEGER NOT NULL REFERENCES requirement(id),
                    PRIMARY KEY (request_id, requirement_id)
                ) WITHOUT ROWID;
                CREATE TABLE audit_request_evidence (
                    request_id INTEGER NOT NULL REFERENCES audit_request(id),
                    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
                    PRIMARY KEY (request_id, evidence_id)
                ) WITHOUT ROWID;
                """)
    }
}
