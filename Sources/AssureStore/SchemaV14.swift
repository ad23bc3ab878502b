import GRDB

/// Schema v14: indexes that answer the hottest reads from the index alone, without visiting
/// the tables' rows (each a scattered read of a page, and a cold one from disk on a large log).
/// - `change_log_item` on (entity, ref, batch, field) replaces `change_log_entity` on (entity,
///   ref): the same lookups by item, and the detail strip's "last change" of an item (its
///   newest batch, and which field each of that batch's rows changed) comes from the index.
///   On a million-row log the old index sent the strip to up to 24 rows of the table.
/// - `control_facts` on (ref, status, owner_id, justification): what readiness and `status` read
///   of every control, in reference order, so each framework's mapped controls and the status
///   facts need neither the rows nor a sort.
/// - `gap_open_facts` on (status, severity, due, control_id, requirement_id): what `status`
///   counts of the open gaps; through `gap_status` each of them was a look-up of its row.
///
/// It changes no table's rows or shape (no state row is owed, see SchemaV13's rule) and a
/// PostgreSQL team store keeps no SQLite indexes, so it is one of `Schema.indexOnlyMigrations`.
/// Shipped as one migration; never edit it.
enum SchemaV14 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE INDEX change_log_item ON change_log(entity, ref, batch, field);
                DROP INDEX change_log_entity;
                CREATE INDEX control_facts ON control(ref, status, owner_id, justification);
                CREATE INDEX gap_open_facts ON gap(status, severity, due, control_id, requirement_id);
                """)
    }
}
