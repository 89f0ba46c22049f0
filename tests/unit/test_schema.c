/* test_schema.c: data/schema.sql is today's whole schema (issue 8 item 3). A database made from it
 * and one brought up from migration 0001 hold the same tables, indexes, views and triggers, to
 * the letter, and the same settings of the search index; store_open makes new files from it and
 * upgrades old ones through the migrations, to the same schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "testdb.h"

#include "caseload/browse.h"
#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const char *const store_migration_sql[];
extern const size_t store_migration_count;
extern const char *const store_schema_sql;
extern const size_t store_schema_sql_version;

/* Every object of the schema with its text, then the search indexes' settings, one a line. */
static void describe(sqlite3 *db, buf *out)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                                        "ORDER BY type, name",
                                        -1, &st, NULL),
                     SQLITE_OK);
    buf vt = BUF_INIT;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *sql = (const char *)sqlite3_column_text(st, 3);
        buf_printf(out, "%s %s on %s: %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                   sqlite3_column_text(st, 2), sql ? sql : "(none)");
        if (sql && strncmp(sql, "CREATE VIRTUAL TABLE", 20) == 0)
            buf_printf(&vt, "SELECT '%s', k, v FROM \"%s_config\" UNION ALL ",
                       sqlite3_column_text(st, 1), sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    buf_puts(&vt, "SELECT '', '', '' ORDER BY 1, 2");
    assert_int_equal(sqlite3_prepare_v2(db, buf_str(&vt), -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        buf_printf(out, "config %s %s = %s\n", sqlite3_column_text(st, 0),
                   sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
    buf_free(&vt);
}

/* Fails naming the first line where the two descriptions differ. */
static void assert_same(const char *a, const char *b, const char *what)
{
    if (strcmp(a, b) == 0) return;
    size_t i = 0, line = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '\n') line = i + 1;
        i++;
    }
    fail_msg("%s: the schemas differ (run data/make_schema.sh after a new migration):\n"
             "  migrations: %.200s\n  schema.sql: %.200s",
             what, a + line, b + line);
}

static void test_schema_sql_is_every_migration(void **state)
{
    (void)state;
    assert_true(store_schema_sql_version >= 1 && store_schema_sql_version <= store_migration_count);
    /* schema.sql stands for the newest migration: nothing is left for new databases to apply. */
    if (store_schema_sql_version != store_migration_count)
        fail_msg("data/schema.sql stands for migration %zu, the newest is %zu: run "
                 "data/make_schema.sh (and commit data/schema.sql)",
                 store_schema_sql_version, store_migration_count);
    sqlite3 *a, *b;
    assert_int_equal(sqlite3_open(":memory:", &a), SQLITE_OK);
    assert_int_equal(sqlite3_open(":memory:", &b), SQLITE_OK);
    for (size_t v = 0; v < store_migration_count; v++)
        t_exec(a, store_migration_sql[v]);
    t_exec(b, store_schema_sql);
    for (size_t v = store_schema_sql_version; v < store_migration_count; v++)
        t_exec(b, store_migration_sql[v]);
    buf da = BUF_INIT, db = BUF_INIT;
    describe(a, &da);
    describe(b, &db);
    assert_true(strstr(buf_str(&da), "table referrals on referrals") != NULL);
    assert_true(strstr(buf_str(&da), "config referral_search") != NULL);
    assert_same(buf_str(&da), buf_str(&db), "migrations 0001.. against schema.sql");
    buf_free(&da);
    buf_free(&db);
    sqlite3_close(a);
    sqlite3_close(b);
}

/* A file store_open makes new and one it upgrades from schema version 1 end up alike. */
static void test_new_and_upgraded_files_alike(void **state)
{
    (void)state;
    char made[64], old[64], err[512];
    snprintf(made, sizeof made, "/tmp/test_schema_new.%d.db", (int)getpid());
    snprintf(old, sizeof old, "/tmp/test_schema_old.%d.db", (int)getpid());
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(old, &raw), SQLITE_OK);
    t_exec(raw, store_migration_sql[0]);
    t_exec(raw, "PRAGMA user_version = 1; INSERT INTO meta VALUES ('device_id', '7'), "
                "('counter', '0')");
    sqlite3_close(raw);
    const char *paths[] = {made, old};
    buf d[2] = {BUF_INIT, BUF_INIT};
    for (int i = 0; i < 2; i++) {
        store *s = NULL;
        assert_int_equal(store_open(paths[i], 0, &s, err, sizeof err), EXIT_OK);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        store_close(s);
        assert_int_equal(sqlite3_open(paths[i], &raw), SQLITE_OK);
        describe(raw, &d[i]);
        assert_int_equal(t_long(raw, "SELECT count(*) FROM meta WHERE key IN ('device_id', "
                                     "'counter')"),
                         2);
        sqlite3_close(raw);
    }
    assert_same(buf_str(&d[1]), buf_str(&d[0]), "upgraded from 1 against made new");
    for (int i = 0; i < 2; i++) {
        buf_free(&d[i]);
        t_db_remove(paths[i]);
    }
}

/* Opens path as a store after writing it at schema version `version` (the migrations up to it)
 * with the rows of sql, as a file of that version would be. */
static store *open_file_of_version(const char *path, size_t version, const char *sql)
{
    char err[512], pragma[64];
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    for (size_t v = 0; v < version; v++)
        t_exec(raw, store_migration_sql[v]);
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %zu;", version);
    t_exec(raw, pragma);
    t_exec(raw, sql);
    sqlite3_close(raw);
    store *s = NULL;
    assert_int_equal(store_open(path, 0, &s, err, sizeof err), EXIT_OK);
    assert_int_equal(store_schema_version(s), 20);
    return s;
}

/* Migration 0017: a file whose child_names were folded before name_key (the ' kept, as 0010 to
 * 0016 stored them) has them keyed again, so the child finder's "OBrien" finds O'Brien. */
static void test_child_names_keyed_again(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/test_schema_names.%d.db", (int)getpid());
    store *s = open_file_of_version(
        path, 16,
        "INSERT INTO children(id, la_child_id, first_name, last_name, dob) "
        "VALUES (1, 'LA1', 'Siobhan', 'O''Brien', '2013-03-03');"
        "DELETE FROM child_names_stale;"
        "INSERT INTO child_names(id, first, last) VALUES (1, 'siobhan', 'o''brien')");
    browse_child c[4];
    int n = 0;
    assert_int_equal(browse_child_search(s, "OBrien", c, 4, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].last_name, "O'Brien");
    assert_int_equal(browse_child_search(s, "siobhan o'bri", c, 4, &n), EXIT_OK);
    assert_int_equal(n, 1);
    store_close(s);
    t_db_remove(path);
}

/* Migration 0019: a file of version 18, its names folded (none noted), has the words of its
 * names after their first derived, so the child finder's "berg" finds Tom van der Berg. */
static void test_child_name_words_derived(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/test_schema_words.%d.db", (int)getpid());
    store *s = open_file_of_version(
        path, 18,
        "INSERT INTO children(id, la_child_id, first_name, last_name, dob) "
        "VALUES (1, 'LA1', 'Tom', 'van der Berg', '2013-03-03');"
        "DELETE FROM child_names_stale;"
        "INSERT INTO child_names(id, first, last) VALUES (1, 'tom', 'vanderberg')");
    browse_child c[4];
    int n = 0;
    assert_int_equal(browse_child_search(s, "berg", c, 4, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].last_name, "van der Berg");
    store_close(s);
    t_db_remove(path);
}

/* Migration 0020: a file of version 19, its names folded (none noted), has its children flagged
 * as their names say (child_names.words): Tom van der Berg, not Amy Smith. */
static void test_child_names_flagged(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/test_schema_flag.%d.db", (int)getpid());
    store *s = open_file_of_version(
        path, 19,
        "INSERT INTO children(id, la_child_id, first_name, last_name, dob) VALUES "
        "(1, 'LA1', 'Tom', 'van der Berg', '2013-03-03'), "
        "(2, 'LA2', 'Amy', 'Smith', '2013-03-04');"
        "DELETE FROM child_names_stale;"
        "INSERT INTO child_names(id, first, last) VALUES (1, 'tom', 'vanderberg'), "
        "(2, 'amy', 'smith');"
        "INSERT INTO child_name_words VALUES "
        "('berg', 'vanderberg', 'tom', 1, 'tom', 'van der berg'), "
        "('derberg', 'vanderberg', 'tom', 1, 'tom', 'van der berg')");
    browse_child c[4];
    int n = 0;
    assert_int_equal(browse_child_search(s, "berg", c, 4, &n), EXIT_OK); /* folds the notes */
    assert_int_equal(n, 1);
    store_close(s);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(t_long(raw, "SELECT group_concat(id) FROM child_names WHERE words"), 1);
    sqlite3_close(raw);
    t_db_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_sql_is_every_migration),
        cmocka_unit_test(test_new_and_upgraded_files_alike),
        cmocka_unit_test(test_child_names_keyed_again),
        cmocka_unit_test(test_child_name_words_derived),
        cmocka_unit_test(test_child_names_flagged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
