#ifndef ASSURE_CSQLITESESSION_H
#define ASSURE_CSQLITESESSION_H

/* SQLite's session extension (built into Debian's libsqlite3), wrapped behind opaque pointers
   so this module does not declare sqlite3.h a second time beside GRDB's. A session records the
   rows one transaction changed; its changeset lists them, table by table, with their old and
   new values. */

/* Starts recording every table of "main" on the connection `db` (a sqlite3 *). */
int assure_session_begin(void *db, void **session);
/* The changeset so far: `*changeset` is freed with assure_free. */
int assure_session_changeset(void *session, int *size, void **changeset);
void assure_session_end(void *session);
void assure_free(void *memory);

/* Walking a changeset: next returns 100 for a row, 101 when done, anything else is an error. */
int assure_changeset_start(void **iterator, int size, void *changeset);
int assure_changeset_next(void *iterator);
/* The row's table, its column count and the operation (18 insert, 9 delete, 23 update). */
int assure_changeset_op(void *iterator, const char **table, int *columns, int *operation);
/* The old (isNew 0) or new (isNew 1) value of a column; `*value` is NULL when the changeset
   does not carry it (an update's unchanged columns). */
int assure_changeset_value(void *iterator, int isNew, int column, void **value);
int assure_changeset_finalize(void *iterator);

/* A value's type (1 integer, 2 real, 3 text, 4 blob, 5 null) and contents. */
int assure_value_type(void *value);
long long assure_value_int64(void *value);
double assure_value_double(void *value);
const unsigned char *assure_value_text(void *value);
const void *assure_value_blob(void *value);
int assure_value_bytes(void *value);

#endif
