/* test_privacy: src/store/privacy.c's rewriting of changesets (a purge on an offline copy rewrites
 * the change log without the erased child's rows). With nothing erased, a changeset comes out byte
 * for byte as SQLite's session extension wrote it, whatever its values (integers, reals, text of
 * every length, blobs, NULLs, updates with columns left out, deletes, several tables); with a row
 * noted in erased_rows, exactly that row's change is left out and the rest stays as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include "caseload/store.h"
#include "testdb.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char dir[64], path[128];
    store *s;
    sqlite3 *db;  /* the store's file, from outside (erased_rows) */
    sqlite3 *mem; /* where the changesets are made */
    void *cs;     /* the changeset of the last change() */
    int n;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_privacy.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/c.db", f->dir);
    char err[512];
    if (store_open(f->path, 0, &f->s, err, sizeof err)) fail_msg("store_open: %s", err);
    assert_int_equal(sqlite3_open(f->path, &f->db), SQLITE_OK);
    assert_int_equal(sqlite3_open(":memory:", &f->mem), SQLITE_OK);
    t_exec(f->mem, "CREATE TABLE t1 (id INTEGER PRIMARY KEY, a, b, c, d);"
                   "CREATE TABLE t2 (k1, k2, v, PRIMARY KEY (k1, k2));");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sqlite3_free(f->cs);
    sqlite3_close(f->mem);
    sqlite3_close(f->db);
    store_close(f->s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) return -1;
    free(f);
    return 0;
}

/* The changeset of running sql on the in-memory database. */
static void change(fixture *f, const char *sql)
{
    sqlite3_session *ss;
    assert_int_equal(sqlite3session_create(f->mem, "main", &ss), SQLITE_OK);
    assert_int_equal(sqlite3session_attach(ss, NULL), SQLITE_OK);
    t_exec(f->mem, sql);
    sqlite3_free(f->cs);
    f->cs = NULL;
    assert_int_equal(sqlite3session_changeset(ss, &f->n, &f->cs), SQLITE_OK);
    sqlite3session_delete(ss);
    assert_true(f->n > 0);
}

static int count_changes(const void *p, int n)
{
    sqlite3_changeset_iter *it;
    assert_int_equal(sqlite3changeset_start(&it, n, (void *)p), SQLITE_OK);
    int k = 0;
    while (sqlite3changeset_next(it) == SQLITE_ROW)
        k++;
    assert_int_equal(sqlite3changeset_finalize(it), SQLITE_OK);
    return k;
}

static void same_when_nothing_erased(fixture *f)
{
    buf out = BUF_INIT;
    int64_t dropped = -1;
    assert_int_equal(privacy_changeset_filter(f->s, f->cs, f->n, &out, &dropped), EXIT_OK);
    assert_int_equal(dropped, 0);
    assert_int_equal(out.len, (size_t)f->n);
    assert_memory_equal(out.data, f->cs, (size_t)f->n);
    buf_free(&out);
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    /* Inserts with every kind of value; text and blobs whose lengths take 1, 2 and 3 bytes. */
    change(f, "INSERT INTO t1 VALUES (1, 0, -1, 9223372036854775807, -9223372036854775808);"
              "INSERT INTO t1 VALUES (2, 3.5, -0.0, 1e308, NULL);"
              "INSERT INTO t1 VALUES (3, '', 'Łucja Dąbrowska', x'', x'00ff00');"
              "INSERT INTO t1 VALUES (4, printf('%.200c', 'x'), zeroblob(20000), "
              "printf('%.70000c', 'y'), '007');"
              "INSERT INTO t2 VALUES ('a', 1, 'v'), (x'01', 2.5, NULL);");
    same_when_nothing_erased(f);
    /* Updates (the columns not changed are left out of the record), deletes. */
    change(f, "UPDATE t1 SET b = 'changed', d = NULL WHERE id = 1;"
              "UPDATE t1 SET a = 4.25 WHERE id = 2;"
              "DELETE FROM t1 WHERE id = 3;"
              "UPDATE t2 SET v = 'w' WHERE k1 = 'a';"
              "DELETE FROM t2 WHERE k1 = x'01';");
    same_when_nothing_erased(f);
}

static void test_erased_row_left_out(void **state)
{
    fixture *f = *state;
    change(f, "INSERT INTO t1 VALUES (10, 'kept', 1, 2, 3);"
              "INSERT INTO t1 VALUES (11, 'erased Quackenbush', 1, 2, 3);"
              "INSERT INTO t1 VALUES (12, 'kept too', 1, 2, 3);"
              "INSERT INTO t2 VALUES ('z', 1, 'other table');");
    t_exec(f->db, "INSERT INTO erased_rows(tbl, row_id, child_id) VALUES ('t1', 11, 99)");
    buf out = BUF_INIT;
    int64_t dropped = 0;
    assert_int_equal(privacy_changeset_filter(f->s, f->cs, f->n, &out, &dropped), EXIT_OK);
    assert_int_equal(dropped, 1);
    assert_int_equal(count_changes(out.data, (int)out.len), 3);
    assert_null(memmem(out.data, out.len, "Quackenbush", 11));
    assert_non_null(memmem(out.data, out.len, "kept too", 8));
    assert_non_null(memmem(out.data, out.len, "other table", 11));
    /* Applied to an empty copy, the rewritten changeset makes exactly the rows kept. */
    sqlite3 *copy;
    assert_int_equal(sqlite3_open(":memory:", &copy), SQLITE_OK);
    t_exec(copy, "CREATE TABLE t1 (id INTEGER PRIMARY KEY, a, b, c, d);"
                 "CREATE TABLE t2 (k1, k2, v, PRIMARY KEY (k1, k2));");
    assert_int_equal(sqlite3changeset_apply(copy, (int)out.len, out.data, NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(t_long(copy, "SELECT count(*) FROM t1 WHERE id IN (10, 12)"), 2);
    assert_int_equal(t_long(copy, "SELECT count(*) FROM t1 WHERE id = 11"), 0);
    assert_int_equal(t_long(copy, "SELECT count(*) FROM t2"), 1);
    sqlite3_close(copy);
    /* Every change of the set erased: nothing is left, not even a table's header. */
    t_exec(f->db, "INSERT INTO erased_rows(tbl, row_id, child_id) VALUES ('t1', 10, 99), "
                  "('t1', 12, 99)");
    change(f, "UPDATE t1 SET a = 'again' WHERE id IN (10, 11, 12)");
    assert_int_equal(privacy_changeset_filter(f->s, f->cs, f->n, &out, &dropped), EXIT_OK);
    assert_int_equal(dropped, 3);
    assert_int_equal(out.len, 0);
    buf_free(&out);
}

static void test_damaged(void **state)
{
    fixture *f = *state;
    change(f, "INSERT INTO t1 VALUES (20, 'a', 'b', 'c', 'd')");
    buf out = BUF_INIT;
    int64_t dropped = 0;
    assert_int_equal(privacy_changeset_filter(f->s, f->cs, f->n - 3, &out, &dropped), EXIT_DATA);
    assert_non_null(strstr(store_error(f->s), "damaged"));
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erased_row_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
