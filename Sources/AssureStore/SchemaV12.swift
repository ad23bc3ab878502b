import GRDB

/// Schema v12: evidence that collects itself, and drift from approved baselines.
/// - `collector`: a command the company trusts, run on a schedule for one control; its output
///   becomes an evidence item. `collector_run`: every run, passed or failed, with its command,
///   exit status, times, host and user, and its stdout and stderr in the blob store.
/// - `baseline`: an approved output of a collector (by version), with the JSON paths ignored
///   when comparing; `drift`: a run whose output differs from the baseline, until resolved (the
///   next run matches, or a new baseline is approved).
/// Shipped as one migration; never edit it.
enum SchemaV12 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE collector (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    control_id INTEGER NOT NULL REFERENCES control(id),
                    command TEXT NOT NULL,
                    every TEXT CHECK (every IS NULL OR every IN ('daily', 'weekly', 'monthly', 'quarterly')),
                    timeout_seconds INTEGER NOT NULL DEFAULT 60 CHECK (timeout_seconds > 0),
                    format TEXT NOT NULL DEFAULT 'text' CHECK (format IN ('text', 'json')),
                    accept_on_success INTEGER NOT NULL DEFAULT 0 CHECK (accept_on_success IN (0, 1)),
                    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE collector_run (
                    id INTEGER PRIMARY KEY,
                    collector_id INTEGER NOT NULL REFERENCES collector(id),
                    command TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    ended_at TEXT NOT NULL,
                    exit_status INTEGER,
                    outcome TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'timed-out', 'too-large')),
                    reason TEXT NOT NULL DEFAULT '',
                    host TEXT NOT NULL,
                    user TEXT NOT NULL,
                    stdout_sha256 TEXT REFERENCES blob(sha256),
                    stdout_size INTEGER NOT NULL DEFAULT 0,
                    stderr_sha256 TEXT REFERENCES blob(sha256),
                    evidence_id INTEGER REFERENCES evidence(id),
                    CHECK (outcome = 'passed' OR evidence_id IS NULL)
                );
                CREATE INDEX collector_run_by_collector ON collector_run(collector_id, started_at);
                CREATE TABLE baseline (
                    id INTEGER PRIMARY KEY,
                    collector_id INTEGER NOT NULL REFERENCES collector(id),
                    version INTEGER NOT NULL,
                    sha256 TEXT NOT NULL REFERENCES blob(sha256),
                    ignore TEXT NOT NULL DEFAULT '[]',
                    source TEXT NOT NULL,
                    approved_by TEXT NOT NULL,
                    approved_at TEXT NOT NULL,
                    UNIQUE (collector_id, version)
                );
                CREATE TABLE drift (
                    id INTEGER PRIMARY KEY,
                    collector_id INTEGER NOT NULL REFERENCES collector(id),
                    run_id INTEGER NOT NULL REFERENCES collector_run(id),
                    baseline_id INTEGER NOT NULL REFERENCES baseline(id),
                    diff TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
                    resolution TEXT CHECK (resolution IS NULL OR resolution IN ('matched', 'new-baseline')),
                    resolved_by TEXT,
                    resolved_at TEXT,
                    CHECK ((status = 'open') = (resolution IS NULL))
                );
                CREATE INDEX drift_by_collector ON drift(collector_id, status);
                """)
    }
}
