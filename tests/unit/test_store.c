/* test_store: src/store/store.c — opening (a new file 0600 in a new 0700 folder), migrations in
 * one transaction, a newer schema refused with the file untouched, read-only, busy, row keys,
 * meta and the audit trail. A second raw SQLite connection looks at the file from outside. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/store/store_internal.h"
#include "caseload/exitcode.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char *const store_migration_sql[];

typedef struct {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_store.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/sub/folder/caseload.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) return -1;
    free(f);
    return 0;
}

static store *open_ok(const char *path, int flags)
{
    store *s = NULL;
    char err[512];
    int rc = store_open(path, flags, &s, err, sizeof err);
    if (rc) fail_msg("store_open: %d %s", rc, err);
    return s;
}

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    return db;
}

static long raw_long(sqlite3 *db, const char *q)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) fail_msg("%s", sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void raw_exec(sqlite3 *db, const char *q)
{
    char *err = NULL;
    if (sqlite3_exec(db, q, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", q, err);
}

/* The bytes of a file, for checking that it was left untouched. */
static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    assert_int_equal(fread(b, 1, (size_t)len, fp), (size_t)len);
    fclose(fp);
    *n = (size_t)len;
    return b;
}

static void test_create_mode_and_schema(void **state)
{
    fixture *f = *state;
    mode_t old = umask(0);
    store *s = open_ok(f->path, 0);
    umask(old);
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char folder[128];
    snprintf(folder, sizeof folder, "%s/sub/folder", f->dir);
    assert_int_equal(stat(folder, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    assert_true(store_schema_latest() >= 1);
    char dev[32];
    assert_true(store_meta_get(s, "device_id", dev, sizeof dev));
    assert_true(atoll(dev) > 0);
    assert_string_equal(store_error(s), "");
    store_close(s);

    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_long(db, "PRAGMA user_version"), store_schema_latest());
    assert_int_equal(raw_long(db, "PRAGMA page_size"), 16384); /* a new database */
    assert_int_equal(raw_long(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('children', "
                                  "'referrals', 'actions', 'outcomes', 'exclusions', "
                                  "'attendance', 'episodes', 'officers', 'schools', 'audit')"),
                     10);
    sqlite3_close(db);
}

static void test_reopen_keeps_device(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->path, 0);
    char a[32], b[32];
    assert_true(store_meta_get(s, "device_id", a, sizeof a));
    store_close(s);
    s = open_ok(f->path, 0);
    assert_true(store_meta_get(s, "device_id", b, sizeof b));
    assert_string_equal(a, b);
    store_close(s);
}

/* A database at schema 1 is brought up to date at open, keeping its rows. */
static void test_migrates_old_schema(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/old.db", f->dir);
    sqlite3 *db = raw_open(f->path);
    raw_exec(db, store_migration_sql[0]);
    raw_exec(db, "PRAGMA user_version = 1; INSERT INTO meta VALUES ('device_id', '7'), "
                 "('counter', '41'); INSERT INTO officers(id, initials) VALUES (1, 'AB');");
    sqlite3_close(db);
    store *s = open_ok(f->path, 0);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    assert_int_equal(store_begin(s), EXIT_OK);
    int64_t id = store_new_id(s);
    assert_int_equal(id, (7LL << 32) | 42);
    store_rollback(s);
    store_close(s);
    db = raw_open(f->path);
    assert_int_equal(raw_long(db, "SELECT count(*) FROM officers WHERE initials = 'AB'"), 1);
    assert_int_equal(raw_long(db, "PRAGMA page_size"), 4096); /* an existing one keeps its own */
    sqlite3_close(db);
}

/* The matches of a trigram search for text, as "id,id,...": at schema 3 (upgraded = false) as the
 * index of 0002 matched it, later folded as the app searches (text_fold: migration 0010). */
static char *search_ids_at(sqlite3 *db, bool upgraded, const char *text)
{
    static char out[1024];
    buf b = BUF_INIT;
    if (upgraded)
        text_fold(&b, text);
    else
        buf_puts(&b, text);
    char *q = sqlite3_mprintf("SELECT coalesce(group_concat(rowid), '') FROM (SELECT rowid FROM "
                              "referral_search WHERE referral_search MATCH '\"' || %Q || '\"' "
                              "ORDER BY rowid)",
                              buf_str(&b));
    buf_free(&b);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) fail_msg("%s", sqlite3_errmsg(db));
    sqlite3_free(q);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* What another program changed (here the raw connection) is folded by the next caseload that
 * writes: opens path, makes an empty change and closes. */
static void caseload_writes(const char *path)
{
    store *s = open_ok(path, 0);
    assert_int_equal(store_begin(s), EXIT_OK);
    assert_int_equal(store_commit(s), EXIT_OK);
    store_close(s);
}

#define search_ids(db, text) (caseload_writes(f->path), search_ids_at((db), true, (text)))

/* The search index agrees with the text it holds (FTS5 integrity-check, rank 1). */
static void search_index_ok(sqlite3 *db)
{
    raw_exec(db,
             "INSERT INTO referral_search(referral_search, rank) VALUES ('integrity-check', 1)");
}

/* A database at schema 3 (search index of 0002, which stored each text) upgrades to a search
 * index that gives the same matches and stays right as rows change; counts are kept. */
static void test_upgrade_keeps_search(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/v3.db", f->dir);
    sqlite3 *db = raw_open(f->path);
    for (int i = 0; i < 3; i++)
        raw_exec(db, store_migration_sql[i]);
    raw_exec(db,
             "PRAGMA user_version = 3; INSERT INTO meta VALUES ('device_id', '7'), "
             "('counter', '100');"
             "INSERT INTO schools(id, urn, name) VALUES (1, '100001', 'Oakfield Primary'), "
             "(2, NULL, 'Brook PRU');"
             "INSERT INTO children(id, upn, la_child_id, first_name, last_name, dob, school_id) "
             "VALUES (1, 'B801200005001', NULL, 'Zoë', 'O''Brien', '2012-05-01', 1), "
             "(2, NULL, 'LA-2', 'Siobhán', 'Nowak', '2011-01-01', 2), "
             "(3, NULL, 'LA-3', 'Amy', 'Lee', '2011-02-01', NULL);"
             "INSERT INTO referrals(id, ref, child_id, received, source, issue, status, "
             "care_status, sen, summary) VALUES "
             "(10, 'R-0001', 1, '2023-10-01', 'school', 'cme', 'new', 'cp', 'none', "
             "'late most days'), "
             "(11, 'R-0002', 2, '2023-10-02', 'school', 'cme', 'open', 'cp', 'none', "
             "'worried about a managed move'), "
             "(12, 'R-0003', 3, '2023-10-03', 'parent_carer', 'sen', 'new', 'cin', 'none', ''), "
             "(13, 'R-0004', 1, '2023-10-04', 'school', 'attendance', 'new', 'cp', 'none', "
             "'ZOË again');");
    static const char *const terms[] = {
        "R-000", "0002",       "b8012",   "zoë",  "O'Bri", "ián Now", "Oakfield",    "field prim",
        "PRU",   "k PRU late", "managed", "Lee ", "e  ",   "again",   "nothing here"};
    enum { NTERMS = sizeof terms / sizeof terms[0] };
    char before[NTERMS][1024];
    for (int i = 0; i < NTERMS; i++)
        snprintf(before[i], sizeof before[i], "%s", search_ids_at(db, false, terms[i]));
    assert_string_equal(before[3], "10,13");
    sqlite3_close(db);

    store *s = open_ok(f->path, 0);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    store_close(s);
    db = raw_open(f->path);
    search_index_ok(db);
    for (int i = 0; i < NTERMS; i++)
        assert_string_equal(search_ids(db, terms[i]), before[i]);
    assert_int_equal(raw_long(db, "SELECT n FROM referral_counts WHERE issue = 'cme' AND "
                                  "status = 'new'"),
                     1);
    assert_int_equal(raw_long(db, "SELECT sum(n) FROM referral_counts"), 4);
    /* Every change of a searched column keeps the index right. */
    raw_exec(db,
             "PRAGMA foreign_keys = ON; UPDATE children SET first_name = 'Zebedee' WHERE id = 1");
    assert_string_equal(search_ids(db, "zoë"), "13"); /* the summary says ZOË */
    assert_string_equal(search_ids(db, "zebedee"), "10,13");
    raw_exec(db, "UPDATE children SET school_id = 2, upn = NULL, la_child_id = 'LA-1' "
                 "WHERE id = 1");
    assert_string_equal(search_ids(db, "b8012"), "");
    assert_string_equal(search_ids(db, "Brook"), "10,11,13");
    raw_exec(db, "UPDATE schools SET name = 'Willow PRU' WHERE id = 2");
    assert_string_equal(search_ids(db, "Brook"), "");
    assert_string_equal(search_ids(db, "willow"), "10,11,13");
    raw_exec(db, "UPDATE referrals SET summary = 'quokka', ref = 'R-9' WHERE id = 12");
    assert_string_equal(search_ids(db, "R-000"), "10,11,13");
    assert_string_equal(search_ids(db, "quokka"), "12");
    raw_exec(db, "UPDATE referrals SET child_id = 2 WHERE id = 13");
    assert_string_equal(search_ids(db, "Siobhán"), "11,13");
    raw_exec(db, "UPDATE referrals SET status = 'open' WHERE id = 13");
    raw_exec(db, "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, "
                 "sen) VALUES (14, 'R-0005', 3, '2023-11-01', 'school', 'cme', 'cin', 'none')");
    assert_string_equal(search_ids(db, "R-0005  LA-3 Amy Lee"), "14");
    /* The LA child id and the school's URN are searched too (0010). */
    assert_string_equal(search_ids(db, "LA-1 Zebedee"), "10");
    raw_exec(db, "UPDATE schools SET urn = '100777' WHERE id = 2");
    assert_string_equal(search_ids(db, "100777"), "10,11,13");
    raw_exec(db, "DELETE FROM referrals WHERE id = 10");
    assert_string_equal(search_ids(db, "zebedee"), "");
    search_index_ok(db);
    assert_int_equal(raw_long(db, "SELECT count(*) FROM (SELECT issue, status, count(*) AS n "
                                  "FROM referrals GROUP BY 1, 2 EXCEPT SELECT issue, status, n "
                                  "FROM referral_counts WHERE n > 0)"),
                     0);
    assert_int_equal(raw_long(db, "SELECT count(*) FROM sqlite_master WHERE name = "
                                  "'referrals_received'"),
                     0);
    sqlite3_close(db);
}

static void test_newer_schema_refused_untouched(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->path, 0);
    store_close(s);
    sqlite3 *db = raw_open(f->path);
    char q[64];
    snprintf(q, sizeof q, "PRAGMA user_version = %d", store_schema_latest() + 1);
    raw_exec(db, q);
    raw_exec(db, "PRAGMA journal_mode = DELETE");
    sqlite3_close(db);
    size_t n1, n2;
    char *before = slurp(f->path, &n1);
    char err[512];
    s = NULL;
    assert_int_equal(store_open(f->path, 0, &s, err, sizeof err), EXIT_IO);
    assert_null(s);
    assert_non_null(strstr(err, "newer version of caseload"));
    assert_non_null(strstr(err, f->path));
    char *after = slurp(f->path, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before);
    free(after);
}

static void test_not_a_database(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/junk.db", f->dir);
    FILE *fp = fopen(f->path, "w");
    fputs("this is not a database, it is a text file that is long enough to have a header\n", fp);
    fclose(fp);
    store *s = NULL;
    char err[512];
    assert_int_equal(store_open(f->path, 0, &s, err, sizeof err), EXIT_IO);
    assert_null(s);
    assert_non_null(strstr(err, f->path));
}

static void test_readonly(void **state)
{
    fixture *f = *state;
    store *s = NULL;
    char err[512];
    /* A missing file is not created when opened read-only. */
    assert_int_equal(store_open(f->path, STORE_READONLY, &s, err, sizeof err), EXIT_IO);
    assert_null(s);
    struct stat st;
    assert_int_not_equal(stat(f->path, &st), 0);
    s = open_ok(f->path, 0);
    store_close(s);
    s = open_ok(f->path, STORE_READONLY);
    assert_int_equal(store_begin(s), EXIT_IO);
    assert_non_null(strstr(store_error(s), "read-only"));
    assert_int_equal(store_schema_version(s), store_schema_latest());
    store_close(s);
}

static void test_busy(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->path, 0);
    sqlite3 *db = raw_open(f->path);
    raw_exec(db, "BEGIN IMMEDIATE");
    setenv("CASELOAD_BUSY_TIMEOUT_MS", "50", 1);
    store *s2 = open_ok(f->path, 0); /* opening needs no write lock */
    assert_int_equal(store_begin(s2), EXIT_BUSY);
    assert_non_null(strstr(store_error(s2), "locked by another program"));
    raw_exec(db, "ROLLBACK");
    assert_int_equal(store_begin(s2), EXIT_OK);
    assert_int_equal(store_commit(s2), EXIT_OK);
    unsetenv("CASELOAD_BUSY_TIMEOUT_MS");
    store_close(s2);
    sqlite3_close(db);
    store_close(s);
}

static void test_row_keys(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->path, 0);
    char dev[32];
    assert_true(store_meta_get(s, "device_id", dev, sizeof dev));
    int64_t device = atoll(dev);
    assert_true(device > 0 && device < (1LL << 31));
    assert_int_equal(store_begin(s), EXIT_OK);
    int64_t a = store_new_id(s), b = store_new_id(s);
    assert_int_equal(a >> 32, device);
    assert_int_equal(b, a + 1);
    assert_int_equal(store_commit(s), EXIT_OK);
    store_close(s);
    /* The counter is saved by the commit: a new process goes on from it. */
    s = open_ok(f->path, 0);
    assert_int_equal(store_begin(s), EXIT_OK);
    int64_t c = store_new_id(s);
    assert_int_equal(c, b + 1);
    store_rollback(s);
    /* A rolled-back transaction saves nothing: the next one hands out the same key again. */
    assert_int_equal(store_begin(s), EXIT_OK);
    assert_int_equal(store_new_id(s), c);
    assert_int_equal(store_commit(s), EXIT_OK);
    store_close(s);
}

static void test_two_copies_never_collide(void **state)
{
    fixture *f = *state;
    char other[160];
    snprintf(other, sizeof other, "%s/copy.db", f->dir);
    store *a = open_ok(f->path, 0), *b = open_ok(other, 0);
    assert_int_equal(store_begin(a), EXIT_OK);
    assert_int_equal(store_begin(b), EXIT_OK);
    int64_t ka = store_new_id(a), kb = store_new_id(b);
    assert_true(ka != kb); /* different device ids (random; equal with odds 1 in 2^31) */
    assert_int_equal(ka & 0xffffffff, kb & 0xffffffff);
    store_rollback(a);
    store_rollback(b);
    store_close(a);
    store_close(b);
}

static void test_meta_and_audit(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->path, 0);
    char v[32];
    assert_false(store_meta_get(s, "nothing", v, sizeof v));
    assert_string_equal(v, "");
    assert_int_equal(store_begin(s), EXIT_OK);
    assert_int_equal(store_meta_set(s, "k", "one"), EXIT_OK);
    assert_int_equal(store_meta_set(s, "k", "two"), EXIT_OK);
    setenv("CASELOAD_OFFICER", "XY", 1);
    assert_string_equal(store_actor(), "XY");
    assert_int_equal(store_audit(s, "import", "referrals", 0, "referrals: 1 added"), EXIT_OK);
    assert_int_equal(store_commit(s), EXIT_OK);
    assert_true(store_meta_get(s, "k", v, sizeof v));
    assert_string_equal(v, "two");
    /* A value longer than the buffer is cut, still NUL-terminated. */
    assert_true(store_meta_get(s, "k", v, 3));
    assert_string_equal(v, "tw");
    store_close(s);
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_long(db, "SELECT count(*) FROM audit WHERE who = 'XY' AND action = "
                                  "'import' AND tbl = 'referrals' AND row_id IS NULL AND "
                                  "detail = 'referrals: 1 added'"),
                     1);
    sqlite3_close(db);
    unsetenv("CASELOAD_OFFICER");
}

/* A bind that fails (here: a parameter the statement does not have) is never ignored: the next
 * step reports it, with SQLite's message, instead of running the statement with a value missing;
 * the statement after it runs as usual. */
static void test_failed_bind_is_reported(void **state)
{
    fixture *f = *state;
    store *s;
    char err[256];
    assert_int_equal(store_open(f->path, 0, &s, err, sizeof err), EXIT_OK);
    sqlite3_stmt *st = store_stmt(s, "SELECT ?1");
    assert_non_null(st);
    assert_int_equal(store_bind_int64(s, st, 2, 7), SQLITE_RANGE);
    int64_t v = -1;
    assert_int_equal(store_step_int(s, st, &v, "reading a number"), EXIT_IO);
    assert_non_null(strstr(store_error(s), "reading a number: "));
    assert_non_null(strstr(store_error(s), "out of range"));
    assert_int_equal(store_bind_opt_text(s, st, 1, "42"), SQLITE_OK);
    assert_int_equal(store_step_int(s, st, &v, "reading a number"), EXIT_OK);
    assert_int_equal(v, 42);
    /* Through store_step directly, and for text too. */
    assert_int_equal(store_bind_text(s, st, 3, "x", -1, SQLITE_STATIC), SQLITE_RANGE);
    assert_int_equal(store_step(s, st), SQLITE_RANGE);
    sqlite3_reset(st);
    assert_int_equal(store_step(s, st), SQLITE_ROW);
    sqlite3_reset(st);
    store_close(s);
}

static void test_rollback_discards(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->path, 0);
    assert_int_equal(store_begin(s), EXIT_OK);
    assert_int_equal(store_meta_set(s, "gone", "1"), EXIT_OK);
    store_rollback(s);
    char v[8];
    assert_false(store_meta_get(s, "gone", v, sizeof v));
    store_rollback(s); /* nothing open: harmless */
    store_close(s);
    store_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_mode_and_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrates_old_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_keeps_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_copies_never_collide, setup, teardown),
        cmocka_unit_test_setup_teardown(test_meta_and_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_discards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_bind_is_reported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
