/* fixture: the database a unit test makes fresh for itself, shared by the tests that need one
 * (linked into every unit test; include it after cmocka.h, as testdb.h). Each test keeps its own
 * fixture struct and fills its path, store and raw connection with these. */
#ifndef CASELOAD_TEST_FIXTURE_H
#define CASELOAD_TEST_FIXTURE_H

#include "caseload/store.h"
#include <sqlite3.h>
#include <stddef.h>

enum { T_DB_PATH = 64 }; /* the size of a fixture's path */

/* A new database named after the test ("/tmp/NAME.XXXXXX", made by store_open with its own
 * mode): path[T_DB_PATH] its name, *s the store open on it and, when raw is not NULL, *raw a
 * connection of its own (busy timeout 2 s) to set facts up or read back what the code wrote.
 * The test fails when any of it cannot be done. */
void t_db_open(const char *name, char path[T_DB_PATH], store **s, sqlite3 **raw);
/* Closes what t_db_open opened (raw may be NULL) and removes the file, its -wal and its -shm. */
void t_db_close(const char *path, store *s, sqlite3 *raw);
/* Removes the file at path with its -wal, -shm and -journal. */
void t_db_remove(const char *path);
/* The text of the first column of the first row of q ("" for NULL or no row), in a static
 * buffer (overwritten by the next call); the test fails when q does not prepare. */
const char *t_text(sqlite3 *db, const char *q);

#endif
