import GRDB

/// Schema v5: a workspace for many frameworks. Shipped as one migration; never edit it.
///
/// - Frameworks carry publisher, source, notice, the level readiness is assessed at, whether
///   the company pursues them, and their own audit target (SOC 2 Type 1/2 and its window).
/// - Requirements point to their parent by id, carry the framework's own level label and
///   attributes, and no framework's vocabulary is in a CHECK constraint. Ids are kept, so
///   mappings, gaps and snapshots still point to the same rows.
/// - Scope is per requirement (`framework_scope`: SOC 2 categories, ISO's Statement of
///   Applicability); the framework as a whole is in or out (`framework.in_scope`).
/// - Control-to-requirement links and crosswalks carry an OLIR relationship and a source.
/// - Owners can retire; change-log rows name entities and owners by stable id as well as by
///   the text of the day. Old rows are left exactly as written, hashes included.
/// - The first release's SOC 2 id `soc2-2017` becomes `soc2` (still accepted as an alias).
enum SchemaV5 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE framework ADD COLUMN publisher TEXT NOT NULL DEFAULT '';
                ALTER TABLE framework ADD COLUMN source TEXT NOT NULL DEFAULT '';
                ALTER TABLE framework ADD COLUMN notice TEXT NOT NULL DEFAULT '';
                ALTER TABLE framework ADD COLUMN assessable_level TEXT NOT NULL DEFAULT 'criterion';
                ALTER TABLE framework ADD COLUMN in_scope INTEGER NOT NULL DEFAULT 1 CHECK (in_scope IN (0, 1));
                ALTER TABLE framework ADD COLUMN audit_kind TEXT NOT NULL DEFAULT '';
                ALTER TABLE framework ADD COLUMN window_start TEXT;
                ALTER TABLE framework ADD COLUMN window_length TEXT;
                UPDATE framework SET id = 'soc2' WHERE id = 'soc2-2017';

                CREATE TABLE requirement_v5 (
                    id INTEGER PRIMARY KEY,
                    framework_id TEXT NOT NULL REFERENCES framework(id) ON DELETE CASCADE ON UPDATE CASCADE,
                    ref TEXT NOT NULL,
                    parent_id INTEGER REFERENCES requirement(id) ON DELETE CASCADE,
                    level TEXT NOT NULL,
                    role TEXT NOT NULL,
                    title TEXT NOT NULL,
                    statement TEXT NOT NULL DEFAULT '',
                    summary TEXT NOT NULL DEFAULT '',
                    sort_order INTEGER NOT NULL,
                    attributes TEXT NOT NULL DEFAULT '{}',
                    UNIQUE (framework_id, ref)
                );
                INSERT INTO requirement_v5 (id, framework_id, ref, parent_id, level, role, title, statement, summary, sort_order, attributes)
                SELECT r.id,
                       CASE r.framework_id WHEN 'soc2-2017' THEN 'soc2' ELSE r.framework_id END,
                       r.ref,
                       (SELECT p.id FROM requirement p WHERE p.framework_id = r.framework_id AND p.ref = r.parent_ref),
                       CASE r.kind WHEN 'point' THEN 'point of focus' ELSE r.kind END,
                       r.kind, r.title, '', r.summary, r.sort_order,
                       CASE r.kind WHEN 'category' THEN json_object('key', r.category) ELSE '{}' END
                FROM requirement r;
                DROP TABLE requirement;
                ALTER TABLE requirement_v5 RENAME TO requirement;
                CREATE INDEX requirement_ref ON requirement(ref);
                CREATE INDEX requirement_parent ON requirement(parent_id);
                CREATE INDEX requirement_framework_role ON requirement(framework_id, role);

                CREATE TABLE framework_scope (
                    requirement_id INTEGER PRIMARY KEY REFERENCES requirement(id) ON DELETE CASCADE,
                    framework_id TEXT NOT NULL REFERENCES framework(id) ON DELETE CASCADE ON UPDATE CASCADE,
                    applicable INTEGER NOT NULL CHECK (applicable IN (0, 1)),
                    justification TEXT NOT NULL DEFAULT ''
                );
                INSERT INTO framework_scope (requirement_id, framework_id, applicable, justification)
                SELECT r.id, r.framework_id, s.in_scope, ''
                FROM scope s JOIN requirement r
                  ON r.framework_id = 'soc2' AND r.role = 'category' AND json_extract(r.attributes, '$.key') = s.category;
                DROP TABLE scope;

                UPDATE framework SET audit_kind = 'type' || (SELECT report_type FROM workspace WHERE id = 1) WHERE id = 'soc2';
                UPDATE framework SET
                    window_start = (SELECT value FROM setting WHERE key = 'target.window_start'),
                    window_length = (SELECT value FROM setting WHERE key = 'target.window')
                WHERE id = 'soc2' AND EXISTS (SELECT 1 FROM setting WHERE key = 'target.window_start');
                UPDATE framework SET audit_kind = 'type' || (SELECT value FROM setting WHERE key = 'target.type')
                WHERE id = 'soc2' AND EXISTS (SELECT 1 FROM setting WHERE key = 'target.type');
                DELETE FROM setting WHERE key IN ('target.type', 'target.window_start', 'target.window');
                ALTER TABLE workspace DROP COLUMN report_type;

                ALTER TABLE control_requirement ADD COLUMN relationship TEXT NOT NULL DEFAULT 'intersects'
                    CHECK (relationship IN ('equal', 'subset', 'superset', 'intersects'));
                ALTER TABLE control_requirement ADD COLUMN source TEXT NOT NULL DEFAULT 'migrated';

                CREATE TABLE requirement_mapping (
                    from_id INTEGER NOT NULL REFERENCES requirement(id) ON DELETE CASCADE,
                    to_id INTEGER NOT NULL REFERENCES requirement(id) ON DELETE CASCADE,
                    relationship TEXT NOT NULL CHECK (relationship IN ('equal', 'subset', 'superset', 'intersects')),
                    source TEXT NOT NULL,
                    PRIMARY KEY (from_id, to_id)
                ) WITHOUT ROWID;
                CREATE INDEX requirement_mapping_to ON requirement_mapping(to_id);

                ALTER TABLE owner ADD COLUMN retired_at TEXT;

                ALTER TABLE change_log ADD COLUMN entity_id INTEGER;
                ALTER TABLE change_log ADD COLUMN before_id INTEGER;
                ALTER TABLE change_log ADD COLUMN after_id INTEGER;
                CREATE INDEX change_log_entity_id ON change_log(entity, entity_id);
                """)
    }
}
