/* test_records: src/store/schools.c, children.c, referrals.c, events.c, child_events.c and bulk.c
 * (finding and writing rows by natural keys, reading them back in SPEC order) and the checks of
 * src/app/import.c through import_text, on temporary databases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "testdb.h"

#include "../../src/store/store_internal.h"
#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/import.h"
#include "caseload/name.h"
#include "caseload/records.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char path[T_DB_PATH];
    store *s;
    sqlite3 *raw;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    t_db_open("test_records", f->path, &f->s, &f->raw);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    t_db_close(f->path, f->s, f->raw);
    free(f);
    return 0;
}

static char *q_text(fixture *f, const char *q)
{
    static char out[512];
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(f->raw, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s", sqlite3_errmsg(f->raw));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(out, sizeof out, "%s", t ? (const char *)t : "(null)");
    sqlite3_finalize(st);
    return out;
}

static int64_t add_child(fixture *f, const char *upn, const char *lid)
{
    records_child c = {.upn = upn,
                       .la_child_id = lid,
                       .first_name = "Zoë",
                       .last_name = "O'Brien",
                       .dob = "2012-05-01",
                       .youth_justice = -1};
    int64_t id = 0;
    assert_int_equal(records_child_insert(f->s, &c, &id), EXIT_OK);
    assert_true(id != 0);
    return id;
}

/* The search index agrees with the rows (FTS5 integrity-check against the view it is made from)
 * and the sidebar counts with a count of the rows. */
/* The schema as it stands (seen by the raw connection), kept to compare with later. */
static void schema_keep(fixture *f)
{
    assert_int_equal(sqlite3_exec(f->raw,
                                  "DROP TABLE IF EXISTS temp.kept_schema; "
                                  "CREATE TEMP TABLE kept_schema AS "
                                  "SELECT type, name, tbl_name, sql FROM main.sqlite_schema",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
}

/* How many schema objects differ from those kept (added, dropped or changed in text). */
static long schema_changes(fixture *f)
{
    return t_long(f->raw, "SELECT count(*) FROM (SELECT * FROM (SELECT type, name, tbl_name, sql "
                          "FROM main.sqlite_schema EXCEPT SELECT * FROM temp.kept_schema) "
                          "UNION ALL SELECT * FROM (SELECT * FROM temp.kept_schema EXCEPT "
                          "SELECT type, name, tbl_name, sql FROM main.sqlite_schema))");
}

static void search_and_counts_ok(fixture *f)
{
    char *err = NULL;
    if (sqlite3_exec(f->raw,
                     "INSERT INTO referral_search(referral_search, rank) "
                     "VALUES ('integrity-check', 1)",
                     NULL, NULL, &err) != SQLITE_OK)
        fail_msg("search index: %s", err);
    /* Its text is the view's, folded, for every referral and no other row; likewise every
     * child's folded names; nothing is left waiting to be folded. */
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM search_stale"), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM child_names_stale"), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_search"),
                     t_long(f->raw, "SELECT count(*) FROM referrals"));
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM child_names"),
                     t_long(f->raw, "SELECT count(*) FROM children"));
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(f->raw,
                                        "SELECT 0, v.body, '', s.body, '' "
                                        "FROM referral_search_source v "
                                        "LEFT JOIN referral_search s ON s.rowid = v.id "
                                        "UNION ALL SELECT 1, c.first_name, c.last_name, "
                                        "n.first, n.last FROM children c "
                                        "LEFT JOIN child_names n ON n.id = c.id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    /* The search text folded by text_fold, the finder's names keyed by name_key. */
    while (sqlite3_step(st) == SQLITE_ROW) {
        bool names = sqlite3_column_int(st, 0);
        for (int i = 1; i <= 2; i++) {
            buf b = BUF_INIT;
            const char *t = (const char *)sqlite3_column_text(st, i);
            (names ? name_key : text_fold)(&b, t);
            assert_non_null(sqlite3_column_text(st, i + 2));
            assert_string_equal((const char *)sqlite3_column_text(st, i + 2), buf_str(&b));
            buf_free(&b);
        }
    }
    sqlite3_finalize(st);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM (SELECT issue, status, count(*) FROM "
                                    "referrals GROUP BY 1, 2 EXCEPT SELECT issue, status, n FROM "
                                    "referral_counts WHERE n > 0)"),
                     0);
    assert_int_equal(
        t_long(f->raw, "SELECT count(*) FROM referral_counts WHERE n > 0"),
        t_long(f->raw, "SELECT count(DISTINCT issue || '/' || status) FROM referrals"));
    /* The list's sort keys: one row per referral, with its child's score. */
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_list"),
                     t_long(f->raw, "SELECT count(*) FROM referrals"));
    assert_int_equal(t_long(f->raw,
                            "SELECT count(*) FROM referrals r LEFT JOIN child_scores c "
                            "ON c.child_id = r.child_id LEFT JOIN referral_list l ON l.id = r.id "
                            "WHERE l.id IS NULL OR l.child_id IS NOT r.child_id OR "
                            "l.score IS NOT coalesce(c.score, 0) OR l.issue IS NOT r.issue OR "
                            "l.status IS NOT r.status OR l.officer_id IS NOT r.officer_id"),
                     0);
}

static void test_schools_and_officers(void **state)
{
    fixture *f = *state;
    int64_t a, b, c, d;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_school_find(f->s, "123456", NULL, &a), EXIT_OK);
    assert_int_equal(a, 0);
    assert_int_equal(records_school_ensure(f->s, "123456", "Oak", &a), EXIT_OK);
    assert_int_equal(records_school_ensure(f->s, "123456", "Oak Academy", &b), EXIT_OK);
    assert_int_equal(a, b);
    assert_int_equal(records_school_ensure(f->s, NULL, "Ash Primary", &c), EXIT_OK);
    assert_int_equal(records_school_ensure(f->s, "", "Ash Primary", &d), EXIT_OK);
    assert_int_equal(c, d);
    assert_true(a != c);
    assert_int_equal(records_school_ensure(f->s, NULL, NULL, &d), EXIT_OK);
    assert_int_equal(d, 0);
    assert_int_equal(records_officer_ensure(f->s, "AB", &a), EXIT_OK);
    assert_int_equal(records_officer_ensure(f->s, "AB", &b), EXIT_OK);
    assert_int_equal(a, b);
    assert_int_equal(records_officer_find(f->s, "ZZ", &c), EXIT_OK);
    assert_int_equal(c, 0);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_string_equal(q_text(f, "SELECT name FROM schools WHERE urn = '123456'"), "Oak Academy");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM schools"), 2);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM officers"), 1);
}

static void test_children(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    int64_t a = add_child(f, "B801200005001", "LA-1");
    int64_t b = add_child(f, NULL, "LA-2");
    records_child_key k;
    assert_int_equal(records_child_find(f->s, "B801200005001", NULL, &k), EXIT_OK);
    assert_int_equal(k.id, a);
    assert_string_equal(k.la_child_id, "LA-1");
    /* An unknown UPN falls back to the la_child_id (which may belong to a child with no UPN). */
    assert_int_equal(records_child_find(f->s, "P801200005011", "LA-2", &k), EXIT_OK);
    assert_int_equal(k.id, b);
    assert_string_equal(k.upn, "");
    assert_int_equal(records_child_find(f->s, "P801200005011", NULL, &k), EXIT_OK);
    assert_int_equal(k.id, 0);
    assert_int_equal(store_commit(f->s), EXIT_OK);

    /* Update: only known fields, only when something differs. */
    sqlite3_exec(f->raw, "UPDATE children SET updated_at = 'then'", NULL, NULL, NULL);
    bool changed = true;
    records_child same = {.first_name = "Zoë", .youth_justice = -1};
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_child_update(f->s, a, &same, &changed), EXIT_OK);
    assert_false(changed);
    records_child more = {.upn = "P801200005011", .sen = "ehcp", .youth_justice = 1};
    assert_int_equal(records_child_update(f->s, b, &more, &changed), EXIT_OK);
    assert_true(changed);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_string_equal(q_text(f, "SELECT updated_at FROM children WHERE upn = 'B801200005001'"),
                        "then");
    assert_string_equal(q_text(f, "SELECT upn || sen || youth_justice || first_name FROM children "
                                  "WHERE la_child_id = 'LA-2'"),
                        "P801200005011ehcp1Zoë");
    assert_string_not_equal(q_text(f, "SELECT updated_at FROM children WHERE la_child_id = 'LA-2'"),
                            "then");
}

static void test_child_stage(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    int64_t a = add_child(f, "B801200005001", NULL);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    sqlite3_exec(f->raw, "UPDATE children SET updated_at = 'then'", NULL, NULL, NULL);
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_child_stage_begin(f->s), EXIT_OK);
    bool changed = true;
    records_child same = {.first_name = "Zoë", .youth_justice = 0};
    assert_int_equal(records_child_stage_update(f->s, a, &same, &changed), EXIT_OK);
    assert_false(changed);
    records_child one = {.gender = "female", .youth_justice = -1};
    assert_int_equal(records_child_stage_update(f->s, a, &one, &changed), EXIT_OK);
    assert_true(changed);
    /* Compared with what is staged: the same again is no change; more is merged in. */
    assert_int_equal(records_child_stage_update(f->s, a, &one, &changed), EXIT_OK);
    assert_false(changed);
    records_child two = {.la_child_id = "LA-1", .youth_justice = 1};
    assert_int_equal(records_child_stage_update(f->s, a, &two, &changed), EXIT_OK);
    assert_true(changed);
    assert_string_equal(q_text(f, "SELECT coalesce(gender, '-') FROM children"), "-");
    assert_int_equal(records_child_flush(f->s), EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_string_equal(q_text(f, "SELECT gender || la_child_id || youth_justice || first_name "
                                  "FROM children"),
                        "femaleLA-11Zoë");
    assert_string_not_equal(q_text(f, "SELECT updated_at FROM children"), "then");
}

static records_referral referral(const char *ref, const char *received, int64_t child)
{
    records_referral r = {.ref = ref,
                          .received = received,
                          .source = "school",
                          .issue = "attendance",
                          .child_id = child,
                          .care_status = "cp",
                          .sen = "none"};
    return r;
}

static void test_referrals_and_status(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    int64_t c = add_child(f, "B801200005001", NULL);
    records_referral r = referral("R-2", "2023-10-01", c);
    records_result res;
    int64_t id, id2, child;
    assert_int_equal(records_referral_put(f->s, &r, &res, &id), EXIT_OK);
    assert_int_equal(res, RECORDS_ADDED);
    assert_int_equal(records_referral_put(f->s, &r, &res, &id2), EXIT_OK);
    assert_int_equal(res, RECORDS_UNCHANGED);
    assert_int_equal(id, id2);
    r.status = "closed";
    r.closed = "2023-11-01";
    assert_int_equal(records_referral_put(f->s, &r, &res, NULL), EXIT_OK);
    assert_int_equal(res, RECORDS_UPDATED);
    assert_int_equal(records_referral_find(f->s, "R-2", &id2, &child), EXIT_OK);
    assert_int_equal(id2, id);
    assert_int_equal(child, c);
    /* The newest referral sets the child's status; an older one does not. */
    bool changed;
    assert_int_equal(
        records_child_status_if_newest(f->s, c, "R-2", "2023-10-01", "cla", "ehcp", &changed),
        EXIT_OK);
    assert_true(changed);
    records_referral old = referral("R-1", "2022-01-01", c);
    assert_int_equal(records_referral_put(f->s, &old, &res, NULL), EXIT_OK);
    assert_int_equal(
        records_child_status_if_newest(f->s, c, "R-1", "2022-01-01", "cin", "none", &changed),
        EXIT_OK);
    assert_false(changed);
    /* Same day: the greater ref is the newer. */
    records_referral same_day = referral("R-3", "2023-10-01", c);
    assert_int_equal(records_referral_put(f->s, &same_day, &res, NULL), EXIT_OK);
    assert_int_equal(
        records_child_status_if_newest(f->s, c, "R-3", "2023-10-01", "cp", "sen_support", NULL),
        EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_string_equal(q_text(f, "SELECT care_status || ',' || sen FROM children"),
                        "cp,sen_support");
    assert_string_equal(q_text(f, "SELECT status || closed FROM referrals WHERE ref = 'R-2'"),
                        "closed2023-11-01");
}

static void test_stage_and_flush(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    int64_t c = add_child(f, "B801200005001", NULL);
    assert_int_equal(records_referral_stage_begin(f->s), EXIT_OK);
    records_referral a = referral("R-1", "2023-10-01", c), b = referral("R-2", "2023-10-02", c);
    int64_t ia, ib;
    assert_int_equal(records_referral_stage(f->s, &a, &ia), EXIT_OK);
    assert_int_equal(records_referral_stage(f->s, &b, &ib), EXIT_OK);
    assert_int_equal(records_referral_flush(f->s), EXIT_OK);
    int64_t found;
    assert_int_equal(records_referral_find(f->s, "R-2", &found, NULL), EXIT_OK);
    assert_int_equal(found, ib);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referrals"), 2);
    assert_int_equal(t_long(f->raw, "SELECT sum(n) FROM referral_counts"), 2);
    /* Staged changes: only a referral that differs is staged, all applied by the flush. */
    sqlite3_exec(f->raw, "UPDATE referrals SET updated_at = 'then'", NULL, NULL, NULL);
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_referral_stage_begin(f->s), EXIT_OK);
    bool changed = true;
    assert_int_equal(records_referral_stage_update(f->s, ia, &a, &changed), EXIT_OK);
    assert_false(changed);
    b.status = "open";
    b.summary = "moved, again";
    assert_int_equal(records_referral_stage_update(f->s, ib, &b, &changed), EXIT_OK);
    assert_true(changed);
    assert_int_equal(records_referral_flush(f->s), EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_string_equal(
        q_text(f, "SELECT status || ':' || summary FROM referrals WHERE ref = 'R-2'"),
        "open:moved, again");
    assert_string_equal(q_text(f, "SELECT updated_at FROM referrals WHERE ref = 'R-1'"), "then");
    assert_string_not_equal(q_text(f, "SELECT updated_at FROM referrals WHERE ref = 'R-2'"),
                            "then");
    assert_int_equal(t_long(f->raw, "SELECT n FROM referral_counts WHERE status = 'open'"), 1);
    search_and_counts_ok(f);
}

/* Opens a change that stages one new referral of child c and flushes it. */
static void stage_and_flush(fixture *f, const char *ref, int64_t c, const char *summary)
{
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_referral_stage_begin(f->s), EXIT_OK);
    records_referral r = referral(ref, "2023-12-01", c);
    r.summary = summary;
    assert_int_equal(records_referral_stage(f->s, &r, NULL), EXIT_OK);
    assert_int_equal(records_referral_flush(f->s), EXIT_OK);
}

/* A flush of many new referrals (one statement, its indexes built again afterwards) leaves the
 * same search index, list and counts as rows added one by one. */
static void test_flush_indexes_and_counts(void **state)
{
    fixture *f = *state;
    static const char *const issues[] = {"attendance", "cme", "sen"};
    static const char *const statuses[] = {"new", "open"};
    assert_int_equal(store_begin(f->s), EXIT_OK);
    int64_t c = add_child(f, "B801200005001", NULL);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(sqlite3_exec(f->raw, "INSERT INTO child_scores SELECT id, 7 FROM children",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    schema_keep(f);
    assert_int_equal(store_begin(f->s), EXIT_OK);
    records_referral one = referral("R-0", "2023-09-01", c);
    records_result res;
    assert_int_equal(records_referral_put(f->s, &one, &res, NULL), EXIT_OK);
    assert_int_equal(records_referral_stage_begin(f->s), EXIT_OK);
    char refs[50][16];
    for (int i = 0; i < 50; i++) {
        snprintf(refs[i], sizeof refs[i], "R-%d", i + 1);
        records_referral r = referral(refs[i], "2023-10-01", c);
        r.issue = issues[i % 3];
        r.status = statuses[i % 2];
        r.summary = i == 7 ? "quokka" : "";
        assert_int_equal(records_referral_stage(f->s, &r, NULL), EXIT_OK);
    }
    assert_int_equal(records_referral_flush(f->s), EXIT_OK);
    records_referral last = referral("R-99", "2023-11-01", c);
    assert_int_equal(records_referral_put(f->s, &last, &res, NULL), EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM meta WHERE key = 'bulk_insert'"), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_list WHERE score = 7"), 52);
    assert_int_equal(t_long(f->raw, "SELECT n FROM referral_counts WHERE issue = 'cme' AND "
                                    "status = 'open'"),
                     9);
    assert_int_equal(t_long(f->raw, "SELECT sum(n) FROM referral_counts"), 52);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_search WHERE referral_search "
                                    "MATCH '\"quokka\"'"),
                     1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_search WHERE referral_search "
                                    "MATCH '\"o''brien\"'"),
                     52);
    search_and_counts_ok(f);
    /* The indexes it built again (50 new referrals, more than the one stored) are back exactly
     * as they were. */
    assert_int_equal(schema_changes(f), 0);
    /* Fewer new referrals than stored: indexes kept up to date row by row; same end. */
    stage_and_flush(f, "R-100", c, "wombat");
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(schema_changes(f), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_search WHERE referral_search "
                                    "MATCH '\"wombat\"'"),
                     1);
    stage_and_flush(f, "R-101", c, "");
    store_rollback(f->s);
    assert_int_equal(schema_changes(f), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referrals"), 53);
    search_and_counts_ok(f);
    /* A rename reaches every one of them. */
    assert_int_equal(store_begin(f->s), EXIT_OK);
    records_child ch = {.first_name = "Zebedee", .youth_justice = -1};
    bool changed;
    assert_int_equal(records_child_update(f->s, c, &ch, &changed), EXIT_OK);
    assert_true(changed);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_search WHERE referral_search "
                                    "MATCH '\"zebedee o''b\"'"),
                     53);
    search_and_counts_ok(f);
}

/* Indexes set aside for a large change come back as they were, whatever ends the change. */
static void test_defer_indexes(void **state)
{
    fixture *f = *state;
    schema_keep(f);
    /* Adding at least as many rows as stored (none): dropped; a commit without building them
     * again is refused, and rolled back. */
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_defer_indexes(f->s, "children", 1), EXIT_OK);
    int64_t c = add_child(f, "B801200005001", NULL);
    assert_int_equal(store_commit(f->s), EXIT_IO);
    assert_non_null(strstr(store_error(f->s), "indexes"));
    assert_int_equal(schema_changes(f), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), 0);
    /* Built again: committed, with the same schema. */
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_defer_indexes(f->s, "children", 2), EXIT_OK);
    c = add_child(f, "B801200005001", NULL);
    assert_int_equal(records_build_indexes(f->s), EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(schema_changes(f), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children INDEXED BY children_name "
                                    "WHERE last_name = 'O''Brien'"),
                     1);
    /* Fewer rows than stored: nothing dropped, nothing to build. */
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_defer_indexes(f->s, "children", 0), EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    /* A school renamed while they are aside builds them first (the search text of its children's
     * referrals is found through children_school): the change can commit. */
    int64_t school;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_school_ensure(f->s, "100001", "Old Name", &school), EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_defer_indexes(f->s, "children", 5), EXIT_OK);
    int64_t same;
    bool renamed = true;
    assert_int_equal(records_school_put(f->s, "100001", "Old Name", &same, &renamed), EXIT_OK);
    assert_false(renamed);
    assert_int_equal(store_commit(f->s), EXIT_IO); /* an unchanged name builds nothing */
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(records_defer_indexes(f->s, "children", 5), EXIT_OK);
    assert_int_equal(records_school_put(f->s, "100001", "New Name", &same, &renamed), EXIT_OK);
    assert_true(renamed);
    assert_int_equal(same, school);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(schema_changes(f), 0);
    assert_string_equal(q_text(f, "SELECT name FROM schools"), "New Name");
    (void)c;
}

static bool journal_file(fixture *f)
{
    char p[96];
    snprintf(p, sizeof p, "%s-journal", f->path);
    return access(p, F_OK) == 0;
}

/* A change larger than the database goes through a rollback journal when no other connection has
 * the file open, and the database is in WAL again once it ends. */
static void test_begin_large(void **state)
{
    fixture *f = *state;
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), 0); /* raw is on the file */
    /* Another connection: WAL, as always. */
    assert_int_equal(store_begin_large(f->s, (size_t)1 << 30), EXIT_OK);
    add_child(f, "B801200005001", NULL);
    assert_false(journal_file(f));
    assert_int_equal(store_commit(f->s), EXIT_OK);
    sqlite3_close(f->raw);
    /* Alone on the file: smaller than the database, WAL; larger, a rollback journal. */
    assert_int_equal(store_begin_large(f->s, 100), EXIT_OK);
    add_child(f, "A801200005002", NULL);
    assert_false(journal_file(f));
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(store_begin_large(f->s, (size_t)1 << 30), EXIT_OK);
    add_child(f, "C801200005003", NULL);
    assert_true(journal_file(f));
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_false(journal_file(f));
    assert_int_equal(store_begin_large(f->s, (size_t)1 << 30), EXIT_OK);
    add_child(f, "D801200005004", NULL);
    assert_true(journal_file(f));
    store_rollback(f->s);
    assert_false(journal_file(f));
    assert_int_equal(sqlite3_open(f->path, &f->raw), SQLITE_OK);
    assert_string_equal(q_text(f, "PRAGMA journal_mode"), "wal");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), 3);
}

/* The page cache size in force on a store's connection (PRAGMA cache_size). */
static long long cache_size(store *s)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA cache_size", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A bulk change adding many children sets child_names_insert aside (issue 8: each child's INSERT
 * then writes one table and keeps no statement journal): while it is aside an INSERT notes
 * nothing, and the end of the change notes exactly the children added since, in one statement,
 * makes the trigger again and folds their names: the finder finds them, the check agrees. */
static void test_bulk_child_names(void **state)
{
    fixture *f = *state;
    schema_keep(f);
    assert_int_equal(store_bulk_begin(f->s, 100), EXIT_OK);
    int64_t before = add_child(f, "B801200005001", NULL); /* noted by the trigger */
    assert_int_equal(records_defer_child_names(f->s, 2), EXIT_OK);
    assert_int_equal(t_long(f->s->db, "SELECT count(*) FROM sqlite_schema "
                                      "WHERE name = 'child_names_insert'"),
                     0);
    int64_t a = add_child(f, "A801200005002", NULL), b = add_child(f, "C801200005003", NULL);
    assert_int_equal(t_long(f->s->db, "SELECT group_concat(id) FROM child_names_stale"), before);
    assert_int_equal(store_commit(f->s), EXIT_IO); /* never committed without the trigger */
    assert_int_equal(schema_changes(f), 0);
    assert_int_equal(store_bulk_end(f->s, false), EXIT_OK);
    /* Again, ended with a commit. */
    assert_int_equal(store_bulk_begin(f->s, 100), EXIT_OK);
    before = add_child(f, "B801200005001", NULL);
    assert_int_equal(records_defer_child_names(f->s, 2), EXIT_OK);
    a = add_child(f, "A801200005002", NULL);
    b = add_child(f, "C801200005003", NULL);
    assert_int_equal(store_bulk_end(f->s, true), EXIT_OK);
    assert_int_equal(schema_changes(f), 0);
    search_and_counts_ok(f);
    char want[96];
    snprintf(want, sizeof want, "%lld,%lld,%lld", (long long)before, (long long)a, (long long)b);
    assert_string_equal(q_text(f, "SELECT group_concat(id) FROM (SELECT id FROM child_names "
                                  "WHERE last = 'obrien' ORDER BY id)"),
                        want);
    /* Fewer new children than stored: the trigger stays and notes each. */
    assert_int_equal(store_bulk_begin(f->s, 100), EXIT_OK);
    assert_int_equal(records_defer_child_names(f->s, 2), EXIT_OK);
    int64_t c = add_child(f, "D801200005004", NULL);
    assert_int_equal(t_long(f->s->db, "SELECT count(*) FROM child_names_stale"), 1);
    assert_int_equal(store_bulk_end(f->s, true), EXIT_OK);
    search_and_counts_ok(f);
    (void)c;
}

/* Bulk mode is the store's: between store_bulk_begin and store_bulk_end the cache is large, and
 * each store gets back its own size however two stores' bulk changes interleave (it was once a
 * static of the function, which the second store's begin overwrote). Ending it commits or rolls
 * back the change. */
static void test_bulk_begin_end(void **state)
{
    fixture *f = *state;
    char path2[96], err[256];
    snprintf(path2, sizeof path2, "%s.second", f->path);
    store *s2;
    assert_int_equal(store_open(path2, 0, &s2, err, sizeof err), EXIT_OK);
    assert_int_equal(sqlite3_exec(f->s->db, "PRAGMA cache_size = -1234", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(s2->db, "PRAGMA cache_size = -5678", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(store_bulk_begin(f->s, 100), EXIT_OK);
    assert_int_equal(cache_size(f->s), -262144);
    add_child(f, "B801200005001", NULL);
    assert_int_equal(store_bulk_begin(s2, 100), EXIT_OK);
    assert_int_equal(cache_size(s2), -262144);
    assert_int_equal(store_bulk_end(s2, false), EXIT_OK);
    assert_int_equal(cache_size(s2), -5678);
    assert_int_equal(store_bulk_end(f->s, true), EXIT_OK);
    assert_int_equal(cache_size(f->s), -1234);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), 1);
    /* Rolled back: nothing written, the cache as before. */
    assert_int_equal(store_bulk_begin(f->s, 100), EXIT_OK);
    add_child(f, "A801200005002", NULL);
    assert_int_equal(store_bulk_end(f->s, false), EXIT_OK);
    assert_int_equal(cache_size(f->s), -1234);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), 1);
    store_close(s2);
    t_db_remove(path2);
}

static void test_outcomes_and_actions_nth(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    int64_t c = add_child(f, "B801200005001", NULL);
    records_referral r = referral("R-1", "2023-10-01", c);
    records_result res;
    int64_t rid;
    assert_int_equal(records_referral_put(f->s, &r, &res, &rid), EXIT_OK);
    for (int round = 0; round < 2; round++) {
        for (long nth = 0; nth < 2; nth++) {
            assert_int_equal(
                records_outcome_add(f->s, rid, "2023-12-01", "exclusion_avoided", NULL, nth, &res),
                EXIT_OK);
            assert_int_equal(res, round ? RECORDS_UNCHANGED : RECORDS_ADDED);
        }
        assert_int_equal(
            records_action_add(f->s, rid, "2023-10-02", 0, "call", "note", "2023-10-09", 0, &res),
            EXIT_OK);
        assert_int_equal(res, round ? RECORDS_UNCHANGED : RECORDS_ADDED);
    }
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM outcomes"), 2);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM actions"), 1);
    assert_string_equal(q_text(f, "SELECT follow_up FROM referral_follow_up"), "2023-10-09");
}

static void test_events(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    int64_t c = add_child(f, "B801200005001", NULL);
    records_result res;
    assert_int_equal(
        records_exclusion_put(f->s, c, "2023-09-20", "suspension", 2.5, "PP", 0, &res, NULL),
        EXIT_OK);
    assert_int_equal(res, RECORDS_ADDED);
    assert_int_equal(
        records_exclusion_put(f->s, c, "2023-09-20", "suspension", 2.5, "PP", 0, &res, NULL),
        EXIT_OK);
    assert_int_equal(res, RECORDS_UNCHANGED);
    assert_int_equal(
        records_exclusion_put(f->s, c, "2023-09-20", "suspension", 1, "PP", 0, &res, NULL),
        EXIT_OK);
    assert_int_equal(res, RECORDS_UPDATED);
    assert_int_equal(
        records_exclusion_put(f->s, c, "2023-09-20", "permanent", -1, NULL, 0, &res, NULL),
        EXIT_OK);
    assert_int_equal(res, RECORDS_ADDED);
    assert_int_equal(
        records_attendance_put(f->s, c, "2023-09-01", "2023-12-20", 140, 87, &res, NULL), EXIT_OK);
    assert_int_equal(res, RECORDS_ADDED);
    assert_int_equal(
        records_attendance_put(f->s, c, "2023-09-01", "2023-12-20", 140, 90, &res, NULL), EXIT_OK);
    assert_int_equal(res, RECORDS_UPDATED);
    assert_int_equal(records_episode_put(f->s, c, "cme", "2023-11-20", NULL, -1, -1, &res, NULL),
                     EXIT_OK);
    assert_int_equal(res, RECORDS_ADDED);
    assert_int_equal(
        records_episode_put(f->s, c, "cme", "2023-11-20", "2024-01-10", -1, 1, &res, NULL),
        EXIT_OK);
    assert_int_equal(res, RECORDS_UPDATED);
    assert_int_equal(
        records_episode_put(f->s, c, "cme", "2023-11-20", "2024-01-10", -1, 1, &res, NULL),
        EXIT_OK);
    assert_int_equal(res, RECORDS_UNCHANGED);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM exclusions"), 2);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM exclusions WHERE days IS NULL"), 1);
}

/* Collects rows as "a|b|...;" text. */
static int collect(void *ctx, const char *const *fields, size_t n)
{
    buf *b = ctx;
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%s", i ? "|" : "", fields[i] ? fields[i] : "-");
    buf_putc(b, ';');
    return 0;
}

static int stop_at_first(void *ctx, const char *const *fields, size_t n)
{
    (void)fields;
    (void)n;
    (*(int *)ctx)++;
    return 42;
}

static void test_each_order_and_format(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    int64_t b = add_child(f, NULL, "LA-9");
    int64_t a = add_child(f, "P801200005011", NULL);
    int64_t c = add_child(f, "B801200005001", NULL);
    records_result res;
    records_exclusion_put(f->s, b, "2023-01-01", "suspension", 1, NULL, 0, &res, NULL);
    records_exclusion_put(f->s, a, "2023-02-01", "suspension", 0.5, "PP", 0, &res, NULL);
    records_exclusion_put(f->s, c, "2023-03-01", "permanent", -1, NULL, 0, &res, NULL);
    records_episode_put(f->s, c, "ehe", "2023-01-01", NULL, 12.25, 0, &res, NULL);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    buf out = BUF_INIT;
    assert_int_equal(records_each_exclusion(f->s, collect, &out), EXIT_OK);
    assert_string_equal(buf_str(&out), "B801200005001|-|2023-03-01|permanent|-|-|-;"
                                       "P801200005011|-|2023-02-01|suspension|0.5|PP|-;"
                                       "-|LA-9|2023-01-01|suspension|1|-|-;");
    buf_reset(&out);
    assert_int_equal(records_each_episode(f->s, collect, &out), EXIT_OK);
    assert_string_equal(buf_str(&out), "B801200005001|-|ehe|2023-01-01|-|12.25|no;");
    buf_reset(&out);
    assert_int_equal(records_each_child(f->s, collect, &out), EXIT_OK);
    assert_string_equal(buf_str(&out), "B801200005001|-|Zoë|O'Brien|2012-05-01|-|-|-|-|-|-|no|-;"
                                       "P801200005011|-|Zoë|O'Brien|2012-05-01|-|-|-|-|-|-|no|-;"
                                       "-|LA-9|Zoë|O'Brien|2012-05-01|-|-|-|-|-|-|no|-;");
    buf_free(&out);
    int calls = 0;
    assert_int_equal(records_each_child(f->s, stop_at_first, &calls), 42);
    assert_int_equal(calls, 1);
}

static void test_failure_reports_and_rolls_back(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    records_referral r = referral("R-1", "2023-10-01", 12345); /* no such child */
    records_result res;
    assert_int_equal(records_referral_put(f->s, &r, &res, NULL), EXIT_IO);
    assert_non_null(strstr(store_error(f->s), "adding a referral"));
    store_rollback(f->s);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referrals"), 0);
}

/* ---- import_text ---- */

static int import(fixture *f, import_kind k, const char *text, import_stats *st, buf *errors)
{
    import_options o = {.as_of = 19700, .cfg = NULL};
    buf_reset(errors);
    return import_text(f->s, k, "f.csv", text, strlen(text), &o, st, errors);
}

static void test_import_kinds_and_columns(void **state)
{
    (void)state;
    assert_int_equal(import_kind_find("referrals"), KIND_REFERRALS);
    assert_int_equal(import_kind_find("children"), KIND_CHILDREN);
    assert_int_equal(import_kind_find("pupils"), -1);
    assert_string_equal(import_kind_name(KIND_EPISODES), "episodes");
    size_t n;
    const char *const *cols = import_columns(KIND_REFERRALS, &n);
    assert_int_equal(n, 22);
    assert_string_equal(cols[0], "ref");
    assert_string_equal(cols[21], "summary");
    cols = import_columns(KIND_ATTENDANCE, &n);
    assert_int_equal(n, 6);
    assert_string_equal(cols[5], "attended_sessions");
}

static void test_import_idempotent_and_line_numbers(void **state)
{
    fixture *f = *state;
    import_stats st;
    buf e = BUF_INIT;
    const char *kids = "upn,la_child_id,first_name,last_name,dob\n"
                       "b801200005001,,Zoë,\"O'Brien, Smith\",2012-05-01\n"
                       ",LA-2,Tom,Lee,2011-01-01\n";
    assert_int_equal(import(f, KIND_CHILDREN, kids, &st, &e), EXIT_OK);
    assert_int_equal(st.rows, 2);
    assert_int_equal(st.inserted, 2);
    assert_int_equal(import(f, KIND_CHILDREN, kids, &st, &e), EXIT_OK);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(st.inserted + st.updated, 0);
    /* The third record starts on line 4 because the second spans two lines (a line break a name
     * may not hold). */
    const char *bad = "upn,la_child_id,first_name,last_name,dob\n"
                      "B801200005001,,Zoë,\"O'Brien\nSmith\",2012-05-01\n"
                      ",LA-3,Amy,Lee,2011-02-30\n"
                      "B801200005001,,Zoë,X,2012-05-01\n"
                      "B801200005001,,Zoë,Y,2012-05-01\n";
    assert_int_equal(import(f, KIND_CHILDREN, bad, &st, &e), EXIT_DATA);
    assert_string_equal(buf_str(&e),
                        "f.csv:2: last_name: holds a control character (U+000A at character 8): "
                        "line breaks and tabs only in notes and summaries\n"
                        "f.csv:4: dob: '2011-02-30' is not a date (YYYY-MM-DD)\n"
                        "f.csv:6: the same child as line 5\n");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), 2);
    buf_free(&e);
}

static void test_import_unknown_column_and_child(void **state)
{
    fixture *f = *state;
    import_stats st;
    buf e = BUF_INIT;
    assert_int_equal(
        import(f, KIND_ATTENDANCE, "upn,form,to,possible_sessions,attended_sessions\n", &st, &e),
        EXIT_DATA);
    assert_string_equal(buf_str(&e), "f.csv:1: form: unknown column (did you mean 'from'?)\n"
                                     "f.csv:1: from: required column missing from the header\n");
    assert_int_equal(import(f, KIND_ATTENDANCE,
                            "upn,from,to,possible_sessions,attended_sessions\n"
                            "B801200005001,2023-09-01,2023-12-01,10,5\n",
                            &st, &e),
                     EXIT_DATA);
    assert_string_equal(
        buf_str(&e),
        "f.csv:2: upn: no child with UPN 'B801200005001' in the database or earlier in the file\n");
    /* Referrals create children; a later row of the same file may then name them. */
    assert_int_equal(import(f, KIND_REFERRALS,
                            "ref,received,source,issue,upn,first_name,last_name,dob,care_status,"
                            "sen,status,closed\n"
                            "R-1,2023-09-01,school,cme,B801200005001,Zoë,O'Brien,2012-05-01,cp,K,"
                            "closed,2023-10-01\n"
                            "R-2,2023-09-02,self,cme,b801200005001,,,,cla,none,,\n",
                            &st, &e),
                     EXIT_OK);
    assert_int_equal(st.inserted, 2);
    assert_string_equal(q_text(f, "SELECT care_status || sen FROM children"), "clanone");
    assert_string_equal(q_text(f, "SELECT sen FROM referrals WHERE ref = 'R-1'"), "sen_support");
    buf_free(&e);
}

/* The rarer problems, each with its message. */
static void test_import_more_problems(void **state)
{
    fixture *f = *state;
    import_stats st;
    buf e = BUF_INIT;
    assert_int_equal(import(f, KIND_OUTCOMES, "", &st, &e), EXIT_DATA);
    assert_string_equal(buf_str(&e), "f.csv:1: empty file: no header row\n");
    assert_int_equal(import(f, KIND_EPISODES, "kind,start\n", &st, &e), EXIT_DATA);
    assert_string_equal(buf_str(&e),
                        "f.csv:1: upn: the header needs a upn or la_child_id column\n");
    const char *kids = "upn,la_child_id,first_name,last_name,dob\n"
                       "B801200005001,LA-1,Zoë,O'Brien,2012-05-01\n"
                       "P801200005011,LA-2,Tom,Lee,2011-01-01\n";
    assert_int_equal(import(f, KIND_CHILDREN, kids, &st, &e), EXIT_OK);
    /* la_child_id of another child: in the database, and earlier in the file. */
    assert_int_equal(import(f, KIND_CHILDREN,
                            "upn,la_child_id\n"
                            "B801200005001,LA-2\n"
                            "C801200005021,LA-1\n"
                            "Q801200005031,LA-7,Amy,Lee,2012-01-01\n",
                            &st, &e),
                     EXIT_DATA);
    assert_string_equal(buf_str(&e),
                        "f.csv:2: la_child_id: la_child_id 'LA-2' belongs to another child in the "
                        "database\n"
                        "f.csv:3: la_child_id: la_child_id 'LA-1' belongs to a child with another "
                        "UPN\n"
                        "f.csv:4: 5 fields, but the header has 2\n");
    assert_int_equal(import(f, KIND_REFERRALS,
                            "ref,received,source,issue,upn,care_status,sen,status,closed,"
                            "other_issues,youth_justice\n"
                            "R-1,2023-09-01,school,cme,B801200005001,cp,none,open,2023-10-01,"
                            "cme; sne,maybe\n",
                            &st, &e),
                     EXIT_DATA);
    assert_string_equal(
        buf_str(&e), "f.csv:2: other_issues: 'cme; sne' is not an issue (did you mean 'sen'?)\n"
                     "f.csv:2: youth_justice: 'maybe' is not yes or no (also Y/N, true/false)\n"
                     "f.csv:2: closed: a closed date needs status 'closed' (status is 'open')\n");
    assert_int_equal(import(f, KIND_EPISODES,
                            "upn,kind,start,end,hours_per_week\n"
                            "B801200005001,cme,2023-09-01,2023-08-01,-1\n",
                            &st, &e),
                     EXIT_DATA);
    assert_string_equal(buf_str(&e),
                        "f.csv:2: end: '2023-08-01' is before the episode's start (2023-09-01)\n"
                        "f.csv:2: hours_per_week: '-1' is not a number (digits, and a '.' for a "
                        "fraction such as 2.5; no sign, blank, hex or exponent)\n");
    /* The one import that went in: its row and one per child it added; none of the others. */
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'import'"), 1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'import_child'"), 2);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), 3);
    buf_free(&e);
}

/* One process, several imports on the same store (as the demo does): a dry run first (its
 * temporary stage is rolled back with it), then the same file for real, then again. */
/* Import refuses a bad UPN, flag or code in the words of field_value (what `sync resolve ID set`
 * and the conflicts screen say), after the file, line, column and the value quoted. */
static void test_import_words_as_field_value(void **state)
{
    fixture *f = *state;
    const struct {
        const char *table, *column, *value, *csv;
    } cases[] = {
        {"children", "upn", "A801200005001",
         "ref,received,source,issue,upn,first_name,last_name,dob,care_status,sen\n"
         "Q-1,1990-02-01,school,cme,A801200005001,A,B,1990-01-01,cp,none\n"},
        {"referrals", "pex_risk", "maybe",
         "ref,received,source,issue,la_child_id,first_name,last_name,dob,care_status,sen,pex_risk\n"
         "Q-1,1990-02-01,school,cme,L-1,A,B,1990-01-01,cp,none,maybe\n"},
        {"referrals", "issue", "atendance",
         "ref,received,source,issue,la_child_id,first_name,last_name,dob,care_status,sen\n"
         "Q-1,1990-02-01,school,atendance,L-1,A,B,1990-01-01,cp,none\n"},
        {"children", "sen", "nope",
         "ref,received,source,issue,la_child_id,first_name,last_name,dob,care_status,sen\n"
         "Q-1,1990-02-01,school,cme,L-1,A,B,1990-01-01,cp,nope\n"},
        {"referrals", "other_issues", "cme; sne",
         "ref,received,source,issue,la_child_id,first_name,last_name,dob,care_status,sen,"
         "other_issues\n"
         "Q-1,1990-02-01,school,cme,L-1,A,B,1990-01-01,cp,none,cme; sne\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char why[FIELD_WHY], line[400];
        buf out = BUF_INIT, e = BUF_INIT;
        const field_rule *r = field_rule_of(cases[i].table, cases[i].column);
        assert_non_null(r);
        assert_false(field_value(r, cases[i].value, strlen(cases[i].value), 19700, &out, why));
        snprintf(line, sizeof line, "f.csv:2: %s: '%s' %s\n", cases[i].column, cases[i].value, why);
        import_stats st;
        assert_int_equal(import(f, KIND_REFERRALS, cases[i].csv, &st, &e), EXIT_DATA);
        if (!strstr(buf_str(&e), line))
            fail_msg("case %zu: import said\n%sfield_value: %s", i, buf_str(&e), line);
        buf_free(&out);
        buf_free(&e);
    }
}

static void test_import_dry_run_then_real(void **state)
{
    fixture *f = *state;
    import_stats st;
    buf e = BUF_INIT;
    const char *refs = "ref,received,source,issue,upn,first_name,last_name,dob,care_status,sen\n"
                       "R-1,2023-09-01,school,cme,B801200005001,Zoë,O'Brien,2012-05-01,cp,none\n";
    import_options o = {.dry_run = true, .as_of = 19700};
    assert_int_equal(import_text(f->s, KIND_REFERRALS, "f.csv", refs, strlen(refs), &o, &st, &e),
                     EXIT_OK);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referrals"), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), 0);
    assert_int_equal(import(f, KIND_REFERRALS, refs, &st, &e), EXIT_OK);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(import(f, KIND_REFERRALS, refs, &st, &e), EXIT_OK);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referrals"), 1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'import'"), 2);
    buf_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schools_and_officers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_children, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_stage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referrals_and_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stage_and_flush, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush_indexes_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defer_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_begin_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outcomes_and_actions_nth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_order_and_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_reports_and_rolls_back, setup, teardown),
        cmocka_unit_test(test_import_kinds_and_columns),
        cmocka_unit_test_setup_teardown(test_import_idempotent_and_line_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_unknown_column_and_child, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_more_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_words_as_field_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_dry_run_then_real, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_begin_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_child_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
