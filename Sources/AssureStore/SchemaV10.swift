import GRDB

/// Schema v10: the programme around the controls.
/// - `risk` / `risk_control`: the risk register, each risk with its inherent and residual
///   scores and the controls that treat it. An accepted risk carries a justification and an
///   approver (a table rule, so no write path can skip it).
/// - `policy` / `policy_version` / `policy_ack`: policies with a working draft (a Markdown
///   template with front matter) and approved versions, frozen with their hash. Triggers refuse
///   any change to an approved version: the text an auditor sampled can never move.
/// - `person`: people beyond the owners (a personnel list), with start and end dates.
/// - `training_course` / `training_record`: courses with a cadence and an audience, and who
///   completed them when.
/// Shipped as one migration; never edit it.
enum SchemaV10 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE risk (
                    id INTEGER PRIMARY KEY,
                    number INTEGER NOT NULL UNIQUE,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    title TEXT NOT NULL,
                    description TEXT NOT NULL DEFAULT '',
                    likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
                    impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
                    cia TEXT NOT NULL DEFAULT '',
                    treatment TEXT NOT NULL DEFAULT 'mitigate' CHECK (treatment IN ('mitigate', 'accept', 'transfer', 'avoid')),
                    residual_likelihood INTEGER CHECK (residual_likelihood BETWEEN 1 AND 5),
                    residual_impact INTEGER CHECK (residual_impact BETWEEN 1 AND 5),
                    owner_id INTEGER REFERENCES owner(id),
                    justification TEXT NOT NULL DEFAULT '',
                    approver TEXT NOT NULL DEFAULT '',
                    review_cadence TEXT NOT NULL DEFAULT 'annual' CHECK (review_cadence IN ('quarterly', 'semi-annual', 'annual')),
                    reviewed_on TEXT,
                    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
                    created_on TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    CHECK (treatment <> 'accept' OR (justification <> '' AND approver <> ''))
                );
                CREATE INDEX risk_owner ON risk(owner_id);
                CREATE TABLE risk_control (
                    risk_id INTEGER NOT NULL REFERENCES risk(id) ON DELETE CASCADE,
                    control_id INTEGER NOT NULL REFERENCES control(id) ON DELETE CASCADE,
                    PRIMARY KEY (risk_id, control_id)
                ) WITHOUT ROWID;
                CREATE INDEX risk_control_by_control ON risk_control(control_id);

                CREATE TABLE policy (
                    id INTEGER PRIMARY KEY,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    title TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    owner_id INTEGER REFERENCES owner(id),
                    approver_id INTEGER REFERENCES owner(id),
                    cadence TEXT NOT NULL DEFAULT 'annual' CHECK (cadence IN ('annual', 'semi-annual')),
                    draft TEXT NOT NULL,
                    source TEXT NOT NULL DEFAULT 'built-in',
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL
                );
                CREATE TABLE policy_version (
                    policy_id INTEGER NOT NULL REFERENCES policy(id),
                    version INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    approved_by TEXT NOT NULL,
                    approved_on TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    PRIMARY KEY (policy_id, version)
                ) WITHOUT ROWID;
                CREATE INDEX policy_version_by_date ON policy_version(policy_id, approved_on);
                CREATE TRIGGER policy_version_frozen BEFORE UPDATE ON policy_version
                BEGIN SELECT RAISE(ABORT, 'an approved policy version never changes'); END;
                CREATE TRIGGER policy_version_kept BEFORE DELETE ON policy_version
                BEGIN SELECT RAISE(ABORT, 'an approved policy version is never deleted'); END;
                CREATE TABLE policy_ack (
                    policy_id INTEGER NOT NULL REFERENCES policy(id),
                    version INTEGER NOT NULL,
                    person TEXT NOT NULL COLLATE NOCASE,
                    acked_on TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    PRIMARY KEY (policy_id, version, person),
                    FOREIGN KEY (policy_id, version) REFERENCES policy_version(policy_id, version)
                ) WITHOUT ROWID;

                CREATE TABLE person (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    email TEXT NOT NULL DEFAULT '',
                    team TEXT NOT NULL DEFAULT '',
                    started_on TEXT,
                    ended_on TEXT,
                    source TEXT NOT NULL DEFAULT '',
                    CHECK (started_on IS NULL OR ended_on IS NULL OR started_on <= ended_on)
                );

                CREATE TABLE training_course (
                    id INTEGER PRIMARY KEY,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    title TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    cadence TEXT NOT NULL DEFAULT 'annual' CHECK (cadence IN ('once', 'quarterly', 'semi-annual', 'annual')),
                    audience TEXT NOT NULL DEFAULT 'all',
                    grace_days INTEGER NOT NULL DEFAULT 30 CHECK (grace_days >= 0),
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL
                );
                CREATE TABLE training_record (
                    id INTEGER PRIMARY KEY,
                    course_id INTEGER NOT NULL REFERENCES training_course(id),
                    person TEXT NOT NULL COLLATE NOCASE,
                    completed_on TEXT NOT NULL,
                    evidence_sha256 TEXT REFERENCES blob(sha256),
                    evidence_name TEXT,
                    recorded_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                );
                CREATE INDEX training_record_by_course ON training_record(course_id, person, completed_on);
                """)
    }
}
