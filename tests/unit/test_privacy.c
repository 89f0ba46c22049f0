/* test_privacy: src/store/privacy.c's rewriting of changesets (a purge on an offline copy rewrites
 * the change log without the erased child's rows). With nothing erased, a changeset comes out byte
 * for byte as SQLite's session extension wrote it, whatever its values (integers, reals, text of
 * every length, blobs, NULLs, updates with columns left out, deletes, several tables); with a row
 * noted in erased_rows, exactly that row's change is left out and the rest stays as it was. And
 * the access log of a child, read in pages. */
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
#include "fixture.h"
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

/* ---- the access log of a child: every audit row about the child, its referrals, their
 * actions, outcomes and follow-ups marked done, its events; none of another child's; read newest
 * first in pages by key without a gap or a repeat. Rows go in with plain SQL through a second
 * connection. ---- */

typedef struct {
    char path[T_DB_PATH];
    store *s;
    sqlite3 *raw;
} access_fixture;

/* Audit rows of child 1 (ids 1..12) and of child 2 (ids 101..103). Rows 5 and 6 share a time. */
static const char *const rows_of_1[] = {
    "(1, '2022-01-01T09:00:00.000Z', 'view', 'children', 1, NULL)",
    "(2, '2022-01-01T09:01:00.000Z', 'insert', 'referrals', 11, NULL)",
    "(3, '2022-01-01T09:02:00.000Z', 'insert', 'actions', 21, NULL)",
    "(4, '2022-01-01T09:03:00.000Z', 'insert', 'outcomes', 31, NULL)",
    "(5, '2022-01-02T10:00:00.000Z', 'insert', 'follow_up_done', 41, NULL)",
    "(6, '2022-01-02T10:00:00.000Z', 'view', 'referrals', 11, 1)",
    "(7, '2022-01-03T10:00:00.000Z', 'insert', 'exclusions', 51, NULL)",
    "(8, '2022-01-03T11:00:00.000Z', 'insert', 'attendance', 61, NULL)",
    "(9, '2022-01-03T12:00:00.000Z', 'insert', 'episodes', 71, NULL)",
    "(10, '2022-01-04T12:00:00.000Z', 'score', 'children', 1, 1)",
    "(11, '2022-01-05T12:00:00.000Z', 'update', 'referrals', 12, NULL)",
    "(12, '2022-01-06T12:00:00.000Z', 'sar', 'children', 1, 1)",
};
enum { NROWS = 12 };

static int access_setup(void **state)
{
    access_fixture *f = calloc(1, sizeof *f);
    t_db_open("test_access", f->path, &f->s, &f->raw);
    t_exec(f->raw, "PRAGMA foreign_keys = ON");
    t_exec(f->raw, "BEGIN");
    t_exec(f->raw, "INSERT INTO officers(id, initials) VALUES (1, 'AB')");
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob, care_status, "
                   "sen) VALUES (1, 'LA1', 'Amy', 'Quill', '2012-01-01', 'cin', 'none'), "
                   "(2, 'LA2', 'Ben', 'Rook', '2012-02-02', 'cin', 'none')");
    t_exec(f->raw, "INSERT INTO referrals(id, ref, child_id, received, source, issue, status, "
                   "care_status, sen) VALUES "
                   "(11, 'R1', 1, '2021-12-01', 'school', 'cme', 'open', 'cin', 'none'), "
                   "(12, 'R2', 1, '2021-12-02', 'school', 'ehe', 'new', 'cin', 'none'), "
                   "(13, 'R3', 2, '2021-12-03', 'school', 'cme', 'open', 'cin', 'none')");
    t_exec(f->raw, "INSERT INTO actions(id, referral_id, date, kind, note, follow_up) VALUES "
                   "(21, 11, '2021-12-05', 'call', 'n', '2021-12-10'), "
                   "(22, 13, '2021-12-05', 'call', 'n', '2021-12-10')");
    t_exec(f->raw, "INSERT INTO outcomes(id, referral_id, date, outcome) VALUES "
                   "(31, 11, '2021-12-20', 'placed_on_roll'), (32, 13, '2021-12-20', "
                   "'placed_on_roll')");
    t_exec(f->raw, "INSERT INTO follow_up_done(id, action_id, date) VALUES (41, 21, '2021-12-09'), "
                   "(42, 22, '2021-12-09')");
    t_exec(f->raw,
           "INSERT INTO exclusions(id, child_id, start, category, days) VALUES "
           "(51, 1, '2021-11-05', 'suspension', 1), (52, 2, '2021-11-05', 'suspension', 1)");
    t_exec(f->raw, "INSERT INTO attendance(id, child_id, from_date, to_date, possible, attended) "
                   "VALUES (61, 1, '2021-09-01', '2021-12-17', 100, 45), "
                   "(62, 2, '2021-09-01', '2021-12-17', 100, 45)");
    t_exec(f->raw, "INSERT INTO episodes(id, child_id, kind, start) VALUES "
                   "(71, 1, 'cme', '2021-10-01'), (72, 2, 'cme', '2021-10-01')");
    char q[512];
    for (int i = 0; i < NROWS; i++) {
        snprintf(q, sizeof q,
                 "INSERT INTO audit(id, at, action, tbl, row_id, child_id, who, officer, os_user) "
                 "VALUES %.*s, 'AB', 'AB', 'someone')",
                 (int)strlen(rows_of_1[i]) - 1, rows_of_1[i]);
        t_exec(f->raw, q);
    }
    /* Another child's rows, and one about no child. */
    t_exec(f->raw, "INSERT INTO audit(id, at, action, tbl, row_id, child_id, who) VALUES "
                   "(101, '2022-01-02T10:00:00.000Z', 'view', 'referrals', 13, 2, 'AB'), "
                   "(102, '2022-01-02T10:00:00.000Z', 'insert', 'follow_up_done', 42, NULL, 'AB'), "
                   "(103, '2022-01-03T10:00:00.000Z', 'insert', 'exclusions', 52, NULL, 'AB'), "
                   "(104, '2022-01-03T10:00:00.000Z', 'import', 'referrals', 0, NULL, 'AB')");
    t_exec(f->raw, "COMMIT");
    *state = f;
    return 0;
}

static int access_teardown(void **state)
{
    access_fixture *f = *state;
    t_db_close(f->path, f->s, f->raw);
    free(f);
    return 0;
}

typedef struct {
    int64_t ids[64];
    privacy_access last;
    int n;
} collected;

static int keep(void *ctx, const privacy_access *a)
{
    collected *c = ctx;
    if (c->n < 64) c->ids[c->n++] = a->id;
    c->last = *a;
    return 0;
}

/* Every row of child 1, and only those, newest first (at, then id). */
static void test_access_log(void **state)
{
    access_fixture *f = *state;
    collected all = {0};
    assert_int_equal(privacy_each_access(f->s, 1, NULL, 0, keep, &all), EXIT_OK);
    assert_int_equal(all.n, NROWS);
    static const int64_t order[NROWS] = {12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    for (int i = 0; i < NROWS; i++)
        assert_int_equal(all.ids[i], order[i]);
    collected other = {0};
    assert_int_equal(privacy_each_access(f->s, 2, NULL, 0, keep, &other), EXIT_OK);
    assert_int_equal(other.n, 3); /* 101, 102, 103: not the import of no child */
    assert_string_equal(all.last.os_user, "someone");
    assert_string_equal(all.last.officer, "AB");
    assert_string_equal(all.last.action, "view");
    assert_string_equal(all.last.tbl, "children");
    assert_int_equal(all.last.row_id, 1);
}

/* Pages of every size, each from the key of the last row before it, give the same rows. */
static void test_access_pages(void **state)
{
    access_fixture *f = *state;
    collected all = {0};
    assert_int_equal(privacy_each_access(f->s, 1, NULL, 0, keep, &all), EXIT_OK);
    for (int size = 1; size <= 5; size++) {
        privacy_access_key key;
        const privacy_access_key *before = NULL;
        int got = 0;
        for (;;) {
            collected page = {0};
            assert_int_equal(privacy_each_access(f->s, 1, before, size, keep, &page), EXIT_OK);
            assert_true(page.n <= size);
            for (int i = 0; i < page.n; i++) {
                assert_true(got < all.n);
                assert_int_equal(page.ids[i], all.ids[got]);
                got++;
            }
            if (page.n < size) break;
            snprintf(key.at, sizeof key.at, "%s", page.last.at);
            key.id = page.last.id;
            before = &key;
        }
        assert_int_equal(got, all.n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erased_row_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_log, access_setup, access_teardown),
        cmocka_unit_test_setup_teardown(test_access_pages, access_setup, access_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
