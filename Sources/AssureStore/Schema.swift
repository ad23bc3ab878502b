import GRDB

/// The workspace schema. A migration that has shipped is never edited: add a new one.
enum Schema {
    /// `PRAGMA application_id` of every assure workspace: "ASUR" in ASCII.
    static let applicationID: Int32 = 0x4153_5552
    /// The highest `PRAGMA user_version` this build understands. No release has set it yet;
    /// a file with a higher one was written by a newer assure and is refused.
    static let userVersion: Int32 = 0

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE workspace (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        company TEXT NOT NULL,
                        system TEXT NOT NULL DEFAULT '',
                        report_type TEXT NOT NULL CHECK (report_type IN ('1', '2')),
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE scope (
                        category TEXT PRIMARY KEY,
                        in_scope INTEGER NOT NULL CHECK (in_scope IN (0, 1))
                    );
                    CREATE TABLE framework (
                        id TEXT PRIMARY KEY,
                        title TEXT NOT NULL,
                        version TEXT NOT NULL,
                        sort_order INTEGER NOT NULL
                    );
                    CREATE TABLE requirement (
                        id INTEGER PRIMARY KEY,
                        framework_id TEXT NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
                        ref TEXT NOT NULL,
                        parent_ref TEXT,
                        kind TEXT NOT NULL CHECK (kind IN ('category', 'series', 'criterion', 'point')),
                        category TEXT NOT NULL,
                        title TEXT NOT NULL,
                        summary TEXT NOT NULL DEFAULT '',
                        sort_order INTEGER NOT NULL,
                        UNIQUE (framework_id, ref)
                    );
                    CREATE INDEX requirement_ref ON requirement(ref);
                    CREATE TABLE owner (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        handle TEXT NOT NULL DEFAULT '',
                        role TEXT NOT NULL DEFAULT '',
                        kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'team'))
                    );
                    CREATE TABLE control (
                        id INTEGER PRIMARY KEY,
                        ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        title TEXT NOT NULL,
                        description TEXT NOT NULL DEFAULT '',
                        status TEXT NOT NULL DEFAULT 'not-started'
                            CHECK (status IN ('not-started', 'in-progress', 'implemented', 'not-applicable')),
                        justification TEXT NOT NULL DEFAULT '',
                        frequency TEXT NOT NULL,
                        owner_id INTEGER REFERENCES owner(id),
                        backup_owner_id INTEGER REFERENCES owner(id),
                        evidence_hint TEXT NOT NULL DEFAULT '',
                        tags TEXT NOT NULL DEFAULT '',
                        CHECK (status <> 'not-applicable' OR justification <> '')
                    );
                    CREATE INDEX control_owner ON control(owner_id);
                    CREATE INDEX control_backup ON control(backup_owner_id);
                    CREATE INDEX control_status ON control(status);
                    CREATE TABLE control_requirement (
                        control_id INTEGER NOT NULL REFERENCES control(id) ON DELETE CASCADE,
                        requirement_id INTEGER NOT NULL REFERENCES requirement(id) ON DELETE CASCADE,
                        PRIMARY KEY (control_id, requirement_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX control_requirement_by_requirement ON control_requirement(requirement_id);
                    CREATE TABLE gap (
                        id INTEGER PRIMARY KEY,
                        number INTEGER NOT NULL UNIQUE,
                        ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        title TEXT NOT NULL,
                        description TEXT NOT NULL DEFAULT '',
                        severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
                        effort TEXT NOT NULL CHECK (effort IN ('XS', 'S', 'M', 'L', 'XL')),
                        control_id INTEGER REFERENCES control(id),
                        requirement_id INTEGER REFERENCES requirement(id),
                        owner_id INTEGER REFERENCES owner(id),
                        due TEXT,
                        status TEXT NOT NULL DEFAULT 'open'
                            CHECK (status IN ('open', 'in-progress', 'remediated', 'risk-accepted')),
                        justification TEXT NOT NULL DEFAULT '',
                        remediation_note TEXT NOT NULL DEFAULT '',
                        remediated_by TEXT,
                        remediated_at TEXT,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        CHECK (status <> 'risk-accepted' OR justification <> ''),
                        CHECK (status <> 'remediated' OR remediation_note <> '')
                    );
                    CREATE INDEX gap_status ON gap(status);
                    CREATE INDEX gap_owner ON gap(owner_id);
                    CREATE INDEX gap_control ON gap(control_id);
                    CREATE INDEX gap_requirement ON gap(requirement_id);
                    CREATE TABLE change_log (
                        id INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        entity TEXT NOT NULL,
                        ref TEXT NOT NULL,
                        field TEXT NOT NULL,
                        before TEXT,
                        after TEXT,
                        batch INTEGER NOT NULL,
                        meeting_id INTEGER,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX change_log_entity ON change_log(entity, ref);
                    CREATE INDEX change_log_batch ON change_log(batch);
                    CREATE INDEX change_log_actor ON change_log(actor);
                    CREATE INDEX change_log_at ON change_log(at);
                    """)
        }
        migrator.registerMigration("v2-meetings") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meeting (
                        id INTEGER PRIMARY KEY,
                        title TEXT NOT NULL,
                        attendees TEXT NOT NULL DEFAULT '',
                        started_at TEXT NOT NULL,
                        started_by TEXT NOT NULL,
                        ended_at TEXT
                    );
                    CREATE INDEX change_log_meeting ON change_log(meeting_id);
                    """)
        }
        migrator.registerMigration("v3-snapshots") { db in
            try db.execute(
                sql: """
                    CREATE TABLE snapshot (
                        id INTEGER PRIMARY KEY,
                        title TEXT NOT NULL,
                        taken_at TEXT NOT NULL,
                        taken_by TEXT NOT NULL,
                        change_id INTEGER NOT NULL
                    );
                    CREATE TABLE snapshot_control (
                        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                        ref TEXT NOT NULL, status TEXT NOT NULL, owner TEXT,
                        PRIMARY KEY (snapshot_id, ref)
                    ) WITHOUT ROWID;
                    CREATE TABLE snapshot_gap (
                        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                        ref TEXT NOT NULL, title TEXT NOT NULL, status TEXT NOT NULL, severity TEXT NOT NULL,
                        PRIMARY KEY (snapshot_id, ref)
                    ) WITHOUT ROWID;
                    CREATE TABLE snapshot_readiness (
                        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                        category TEXT NOT NULL, addressed INTEGER NOT NULL, total INTEGER NOT NULL,
                        PRIMARY KEY (snapshot_id, category)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v4-analysis") { db in
            try db.execute(
                sql: """
                    ALTER TABLE gap ADD COLUMN derived_key TEXT;
                    CREATE UNIQUE INDEX gap_derived_key ON gap(derived_key) WHERE derived_key IS NOT NULL;
                    CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("v5-frameworks") { db in try SchemaV5.migrate(db) }
        migrator.registerMigration("v6-signers") { db in try SchemaV6.migrate(db) }
        migrator.registerMigration("v7-decisions") { db in try SchemaV7.migrate(db) }
        migrator.registerMigration("v8-evidence") { db in try SchemaV8.migrate(db) }
        migrator.registerMigration("v9-evidence-answers") { db in try SchemaV9.migrate(db) }
        migrator.registerMigration("v10-programme") { db in try SchemaV10.migrate(db) }
        migrator.registerMigration("v11-vendors-privacy") { db in try SchemaV11.migrate(db) }
        migrator.registerMigration("v12-collectors") { db in try SchemaV12.migrate(db) }
        migrator.registerMigration("v13-table-state") { db in try SchemaV13.migrate(db) }
        migrator.registerMigration("v14-read-indexes") { db in try SchemaV14.migrate(db) }
        return migrator
    }

    /// Identifiers of every migration this build knows, in order.
    static var knownMigrations: [String] { migrator.migrations }

    /// Migrations that only add or drop SQLite indexes: the tables' rows and shapes are the
    /// same before and after, so a PostgreSQL team store (which keeps none of these indexes)
    /// made before one of them still matches this build.
    static let indexOnlyMigrations: Set<String> = ["v14-read-indexes"]
}
