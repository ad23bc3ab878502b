import GRDB

/// Schema v14: the change log's item index carries each row's batch and field, so the detail
/// strip's "last change" of an item is read from the index alone.
/// - `change_log_item` on (entity, ref, batch, field) replaces `change_log_entity` on (entity,
///   ref): the same lookups by item, and the newest batch's rows for an item and which field
///   each changed come without reading a row of the log. On a million-row log the old index
///   sent the strip to up to 24 scattered rows of the table, each a read from disk when cold.
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
                """)
    }
}
