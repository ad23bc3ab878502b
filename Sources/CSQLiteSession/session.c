#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include "CSQLiteSession.h"

int assure_session_begin(void *db, void **session) {
    sqlite3_session *created = 0;
    int status = sqlite3session_create((sqlite3 *)db, "main", &created);
    if (status != SQLITE_OK) return status;
    status = sqlite3session_attach(created, 0);
    if (status != SQLITE_OK) { sqlite3session_delete(created); return status; }
    *session = created;
    return SQLITE_OK;
}

int assure_session_changeset(void *session, int *size, void **changeset) {
    return sqlite3session_changeset((sqlite3_session *)session, size, changeset);
}

void assure_session_end(void *session) { sqlite3session_delete((sqlite3_session *)session); }

void assure_free(void *memory) { sqlite3_free(memory); }

int assure_changeset_start(void **iterator, int size, void *changeset) {
    return sqlite3changeset_start((sqlite3_changeset_iter **)iterator, size, changeset);
}

int assure_changeset_next(void *iterator) { return sqlite3changeset_next((sqlite3_changeset_iter *)iterator); }

int assure_changeset_op(void *iterator, const char **table, int *columns, int *operation) {
    int indirect = 0;
    return sqlite3changeset_op((sqlite3_changeset_iter *)iterator, table, columns, operation, &indirect);
}

int assure_changeset_value(void *iterator, int isNew, int column, void **value) {
    sqlite3_value *found = 0;
    int status = isNew ? sqlite3changeset_new((sqlite3_changeset_iter *)iterator, column, &found)
                       : sqlite3changeset_old((sqlite3_changeset_iter *)iterator, column, &found);
    *value = found;
    return status;
}

int assure_changeset_finalize(void *iterator) { return sqlite3changeset_finalize((sqlite3_changeset_iter *)iterator); }

int assure_value_type(void *value) { return sqlite3_value_type((sqlite3_value *)value); }
long long assure_value_int64(void *value) { return sqlite3_value_int64((sqlite3_value *)value); }
double assure_value_double(void *value) { return sqlite3_value_double((sqlite3_value *)value); }
const unsigned char *assure_value_text(void *value) { return sqlite3_value_text((sqlite3_value *)value); }
const void *assure_value_blob(void *value) { return sqlite3_value_blob((sqlite3_value *)value); }
int assure_value_bytes(void *value) { return sqlite3_value_bytes((sqlite3_value *)value); }
