/* fixture.c: the fresh database of a unit test (fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"

#include "caseload/exitcode.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void t_db_open(const char *name, char path[T_DB_PATH], store **s, sqlite3 **raw)
{
    snprintf(path, T_DB_PATH, "/tmp/%s.XXXXXX", name);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path); /* store_open creates it with its own mode */
    char err[512];
    if (store_open(path, 0, s, err, sizeof err) != EXIT_OK) fail_msg("store_open: %s", err);
    if (!raw) return;
    assert_int_equal(sqlite3_open(path, raw), SQLITE_OK);
    sqlite3_busy_timeout(*raw, 2000);
}

void t_db_remove(const char *path)
{
    static const char *const ends[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        char p[4096 + 16];
        snprintf(p, sizeof p, "%s%s", path, ends[i]);
        unlink(p);
    }
}

void t_db_close(const char *path, store *s, sqlite3 *raw)
{
    if (raw) sqlite3_close(raw);
    store_close(s);
    t_db_remove(path);
}

const char *t_text(sqlite3 *db, const char *q)
{
    static char out[4096];
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(db));
    out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}
