/* test_sync: the page of open conflicts the app's conflicts screen shows (sync_conflicts_page over
 * syncstore_conflict_page): pages forwards and backwards against a plain ORDER BY (resolved ones
 * left out, ties of `at` ordered by id), each value as a person reads it (labels for codes,
 * dates as dates, an officer's initials, yes/no), what keep/take/set allow per kind, and the
 * query plan: the index conflicts_open, no full scan, no sort. And that applying a pack leaves
 * no statement of the connection open (one left on its row keeps a read transaction alive, and
 * this copy's next write after another program's is refused), that a value the merge cannot
 * bind fails the change, and that an edit merged while the search trigger is set aside is noted
 * for the search as the trigger would have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "testdb.h"

#include "../../src/app/sync_internal.h"
#include "../../src/store/store_internal.h"
#include "caseload/buf.h"
#include "caseload/config.h"
#include "caseload/exitcode.h"
#include "caseload/sync.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { NCONF = 47 };

typedef struct {
    char path[T_DB_PATH];
    store *s;
    sqlite3 *raw;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    t_db_open("test_sync", f->path, &f->s, &f->raw);
    t_exec(f->raw, "BEGIN");
    t_exec(f->raw, "INSERT INTO officers(id, initials) VALUES (1, 'AB'), (2, 'CD')");
    t_exec(f->raw, "INSERT INTO children(id, upn, la_child_id, first_name, last_name, dob, "
                   "care_status, sen) VALUES (1, 'B801200005001', 'LA1', 'Amy', 'Smith', "
                   "'2012-05-01', 'cla', 'none'), (2, NULL, 'LA2', 'Ben', 'Jones', '2013-01-02', "
                   "'cin', 'none')");
    t_exec(f->raw, "INSERT INTO referrals(id, ref, child_id, received, source, issue, "
                   "care_status, sen, officer_id) VALUES (1, 'R-1', 1, '2023-09-12', 'school', "
                   "'cme', 'cla', 'none', 1), (2, 'R-2', 2, '2023-10-01', 'school', 'ehe', "
                   "'cin', 'none', NULL)");
    char q[1024];
    /* Conflicts with many ties of `at`, ids out of order, resolved ones among them. */
    for (int i = 1; i <= NCONF; i++) {
        snprintf(q, sizeof q,
                 "INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, "
                 "laptop_name, at, state) VALUES (%d, 'field', 'referrals', %d, 'summary', 'b%d', "
                 "'h%d', 'l%d', 'L2', '2024-01-%02dT10:00:00.000Z', '%s')",
                 (i * 7919) % 1000 + 100, 1 + i % 2, i, i, i, 1 + i % 9,
                 i % 4 == 0 ? "resolved" : "open");
        t_exec(f->raw, q);
    }
    /* One of each kind, the last ones in the list. */
    t_exec(
        f->raw,
        "INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at) "
        "VALUES (1, 'field', 'referrals', 1, 'issue', 'cme', 'ehe', 'neet', 'L2', "
        "'2024-02-01T09:00:00.000Z'), "
        "(2, 'field', 'referrals', 1, 'officer_id', NULL, 1, 2, 'L2', "
        "'2024-02-01T09:00:00.000Z'), "
        "(3, 'field', 'children', 1, 'dob', '2012-05-01', '2012-05-02', '2012-06-01', 'L3', "
        "'2024-02-01T09:00:00.000Z'), "
        "(4, 'field', 'referrals', 2, 'pex_risk', 0, 1, 0, 'L2', "
        "'2024-02-01T09:00:00.000Z'), "
        "(5, 'delete_vs_edit', 'referrals', 2, NULL, NULL, NULL, NULL, 'L2', "
        "'2024-02-01T09:00:00.000Z'), "
        "(6, 'edit_vs_delete', 'actions', 99, NULL, NULL, NULL, NULL, 'L2', "
        "'2024-02-01T09:00:00.000Z'), "
        "(7, 'duplicate', 'referrals', 2, 'ref', NULL, 'R-2', 'R-2-L2', 'L2', "
        "'2024-02-01T09:00:00.000Z')");
    t_exec(f->raw, "COMMIT");
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

/* The ids of the open conflicts in list order, by plain SQL. */
static int expected_ids(fixture *f, int64_t *ids, int max)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(f->raw,
                                        "SELECT id FROM conflicts WHERE state = 'open' "
                                        "ORDER BY at, id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_pages(void **state)
{
    fixture *f = *state;
    int64_t want[128];
    int total = expected_ids(f, want, 128);
    assert_true(total > 30);
    for (int size = 1; size <= 8; size += 3) {
        /* Forwards from the top, page after page. */
        sync_conflict_row rows[8];
        int n, seen = 0;
        const syncstore_conflict_key *from = NULL;
        syncstore_conflict_key k;
        do {
            assert_int_equal(sync_conflicts_page(f->s, from, false, size, rows, &n), EXIT_OK);
            for (int i = 0; i < n; i++) {
                assert_true(seen < total);
                assert_int_equal(rows[i].id, want[seen]);
                seen++;
            }
            if (n) {
                k = rows[n - 1].key;
                from = &k;
            }
        } while (n == size);
        assert_int_equal(seen, total);
        /* Backwards from the end, each page in list order. */
        from = NULL;
        seen = total;
        do {
            assert_int_equal(sync_conflicts_page(f->s, from, true, size, rows, &n), EXIT_OK);
            for (int i = 0; i < n; i++)
                assert_int_equal(rows[i].id, want[seen - n + i]);
            seen -= n;
            if (n) {
                k = rows[0].key;
                from = &k;
            }
        } while (n == size);
        assert_int_equal(seen, 0);
    }
}

static const sync_conflict_row *find(const sync_conflict_row *rows, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (rows[i].id == id) return &rows[i];
    fail_msg("conflict %lld not on the page", (long long)id);
    return NULL;
}

static void test_shown(void **state)
{
    fixture *f = *state;
    sync_conflict_row rows[7];
    int n;
    assert_int_equal(sync_conflicts_page(f->s, NULL, true, 7, rows, &n), EXIT_OK);
    assert_int_equal(n, 7);
    const sync_conflict_row *r = find(rows, n, 1);
    assert_string_equal(r->label, "Issue");
    assert_string_equal(r->ref, "R-1");
    assert_string_equal(r->child, "B801200005001");
    assert_string_equal(r->base, "Children missing education");
    assert_string_equal(r->hub, "Elective home education");
    assert_string_equal(r->typed, "ehe");
    assert_string_equal(r->at, "2024-02-01 09:00");
    assert_true(r->can_take && r->can_set);
    r = find(rows, n, 2);
    assert_string_equal(r->label, "Officer");
    assert_string_equal(r->base, "(none)");
    assert_string_equal(r->hub, "AB");
    assert_string_equal(r->laptop, "CD");
    assert_string_equal(r->typed, "AB");
    r = find(rows, n, 3);
    assert_string_equal(r->label, "Date of birth");
    assert_string_equal(r->ref, "");
    assert_string_equal(r->child, "B801200005001");
    assert_string_equal(r->hub, "2 May 2012");
    assert_string_equal(r->typed, "2012-05-02");
    assert_string_equal(r->laptop_name, "L3");
    r = find(rows, n, 4);
    assert_string_equal(r->hub, "yes");
    assert_string_equal(r->laptop, "no");
    assert_string_equal(r->child, "LA2");
    r = find(rows, n, 5);
    assert_string_equal(r->label, "Referral");
    assert_string_equal(r->hub, "edited (kept)");
    assert_string_equal(r->laptop, "deleted");
    assert_true(r->can_take && !r->can_set);
    r = find(rows, n, 6);
    assert_string_equal(r->label, "Action");
    assert_string_equal(r->hub, "deleted (the row is kept until decided)");
    assert_true(r->can_take && !r->can_set);
    r = find(rows, n, 7);
    assert_string_equal(r->label, "Ref");
    assert_string_equal(r->hub, "R-2");
    assert_string_equal(r->laptop, "R-2-L2");
    assert_string_equal(r->typed, "R-2-L2");
    assert_true(!r->can_take && r->can_set);
}

typedef struct {
    char sql[4][4096];
    int n;
} traced;

static int trace_cb(unsigned type, void *ctx, void *p, void *x)
{
    (void)type;
    (void)x;
    traced *t = ctx;
    const char *q = sqlite3_sql((sqlite3_stmt *)p);
    if (t->n < 4 && q && strstr(q, "FROM conflicts c")) snprintf(t->sql[t->n++], 4096, "%s", q);
    return 0;
}

static void test_plan(void **state)
{
    fixture *f = *state;
    static traced t;
    t.n = 0;
    sqlite3_trace_v2(f->s->db, SQLITE_TRACE_STMT, trace_cb, &t);
    sync_conflict_row rows[4];
    int n;
    syncstore_conflict_key k = {"2024-01-05T10:00:00.000Z", 500};
    assert_int_equal(sync_conflicts_page(f->s, &k, false, 4, rows, &n), EXIT_OK);
    assert_int_equal(sync_conflicts_page(f->s, &k, true, 4, rows, &n), EXIT_OK);
    sqlite3_trace_v2(f->s->db, 0, NULL, NULL);
    assert_int_equal(t.n, 2);
    for (int i = 0; i < t.n; i++) {
        char eqp[4200], plan[4096] = "";
        snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", t.sql[i]);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(f->s->db, eqp, -1, &st, NULL) != SQLITE_OK)
            fail_msg("%s: %s", eqp, sqlite3_errmsg(f->s->db));
        while (sqlite3_step(st) == SQLITE_ROW) {
            size_t l = strlen(plan);
            snprintf(plan + l, sizeof plan - l, "%s|", (const char *)sqlite3_column_text(st, 3));
        }
        sqlite3_finalize(st);
        if (!strstr(plan, "SEARCH c USING INDEX conflicts_open (state=? AND at"))
            fail_msg("the page does not start from conflicts_open: %s", plan);
        if (strstr(plan, "TEMP B-TREE") || strstr(plan, "SCAN c"))
            fail_msg("the page sorts or scans: %s", plan);
    }
}

/* A laptop copy L2 of the fixture's hub, checked out afresh at lap (its path, made here). */
static store *laptop_open(fixture *f, char *lap, size_t n)
{
    char err[512];
    snprintf(lap, n, "%s-laptop", f->path);
    unlink(lap);
    assert_int_equal(sync_checkout(f->s, lap, "L2", err, sizeof err), EXIT_OK);
    store *l;
    assert_int_equal(store_open(lap, 0, &l, err, sizeof err), EXIT_OK);
    return l;
}

/* The statements of db still stepping (a read transaction stays open while one is). */
static int busy_statements(sqlite3 *db)
{
    int n = 0;
    for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
        n += sqlite3_stmt_busy(st) != 0;
    return n;
}

static void test_apply_leaves_no_read_open(void **state)
{
    fixture *f = *state;
    char err[512], lap[80];
    store *l = laptop_open(f, lap, sizeof lap);
    /* On the laptop, an edit of both referrals (the merge reads each row before it writes). */
    assert_int_equal(store_begin(l), EXIT_OK);
    t_exec(l->db, "UPDATE referrals SET summary = 'seen at school', updated_at = "
                  "'2024-03-01T10:00:00.000Z'");
    assert_int_equal(store_commit(l), EXIT_OK);
    buf pack = BUF_INIT;
    sync_pack_info info;
    assert_int_equal(sync_pack_make(l, NULL, &pack, &info, err, sizeof err), EXIT_OK);
    config cfg;
    config_defaults(&cfg);
    sync_apply_result r;
    if (sync_pack_apply(f->s, &cfg, t_date("2024-06-01"), "the pack", pack.data, pack.len, &r, err,
                        sizeof err) != EXIT_OK)
        fail_msg("apply: %s", err);
    config_free(&cfg);
    assert_int_equal(r.merged, 2);
    assert_int_equal(busy_statements(f->s->db), 0);
    /* Another program writes; this copy writes after it. */
    t_exec(f->raw, "UPDATE officers SET initials = 'AC' WHERE id = 1");
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referrals WHERE summary = "
                                    "'seen at school'"),
                     2);
    buf_free(&pack);
    store_close(l);
    t_db_remove(lap);
}

static int count_cb(unsigned type, void *ctx, void *p, void *x)
{
    (void)type;
    (void)x;
    int *n = ctx;
    const char *q = sqlite3_sql((sqlite3_stmt *)p);
    if (q && strstr(q, "FROM tombstones WHERE tbl = 'children' AND row_key = ?1")) n[0]++;
    if (q && strstr(q, "FROM erased_rows")) n[1]++;
    return 0;
}

/* A copy that never erased a child looks for erased rows once for a pack, not change by change
 * (two queries a change, under the write lock). */
static void test_apply_looks_for_erased_rows_once(void **state)
{
    fixture *f = *state;
    char err[512], lap[80];
    store *l = laptop_open(f, lap, sizeof lap);
    assert_int_equal(store_begin(l), EXIT_OK);
    t_exec(l->db, "UPDATE referrals SET summary = 'seen at school', updated_at = "
                  "'2024-03-01T10:00:00.000Z'");
    t_exec(l->db, "INSERT INTO actions(referral_id, date, officer_id, kind, note) "
                  "SELECT id, '2024-03-01', 1, 'visit', 'a visit' FROM referrals");
    assert_int_equal(store_commit(l), EXIT_OK);
    buf pack = BUF_INIT;
    sync_pack_info info;
    assert_int_equal(sync_pack_make(l, NULL, &pack, &info, err, sizeof err), EXIT_OK);
    config cfg;
    config_defaults(&cfg);
    sync_apply_result r;
    int looked[2] = {0, 0};
    sqlite3_trace_v2(f->s->db, SQLITE_TRACE_STMT, count_cb, looked);
    if (sync_pack_apply(f->s, &cfg, t_date("2024-06-01"), "the pack", pack.data, pack.len, &r, err,
                        sizeof err) != EXIT_OK)
        fail_msg("apply: %s", err);
    sqlite3_trace_v2(f->s->db, 0, NULL, NULL);
    config_free(&cfg);
    assert_int_equal(r.merged, 2);
    assert_int_equal(r.added, 2);
    assert_int_equal(looked[0], 0); /* no child's tombstone looked up */
    assert_int_equal(looked[1], 1); /* one look for erased rows */
    buf_free(&pack);
    store_close(l);
    t_db_remove(lap);
}

/* The values of two images of a change the same (type and content; undefined equal too). */
static void assert_same_image(const merge_value *a, const merge_value *b, int n)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(a[i].type, b[i].type);
        if (a[i].type == MERGE_INT) assert_true(a[i].i == b[i].i);
        if (a[i].type == MERGE_TEXT || a[i].type == MERGE_BLOB) {
            assert_int_equal(a[i].n, b[i].n);
            assert_memory_equal(a[i].p, b[i].p, (size_t)a[i].n);
        }
    }
}

/* A pack's changes read before the write lock (sync_decode) are the changes its changesets hold,
 * their texts their own; a damaged entry keeps the changes before the damage and is said to be. */
static void test_decoded_as_iterated(void **state)
{
    fixture *f = *state;
    char err[512], lap[80];
    store *l = laptop_open(f, lap, sizeof lap);
    assert_int_equal(store_begin(l), EXIT_OK);
    t_exec(l->db, "UPDATE referrals SET summary = 'seen at school'");
    assert_int_equal(store_commit(l), EXIT_OK);
    assert_int_equal(store_begin(l), EXIT_OK);
    t_exec(l->db, "INSERT INTO actions(referral_id, date, officer_id, kind, note) "
                  "SELECT id, '2024-03-01', 1, 'visit', 'a visit to ' || ref FROM referrals");
    t_exec(l->db, "DELETE FROM conflicts WHERE id = 5");
    assert_int_equal(store_commit(l), EXIT_OK);
    buf pack = BUF_INIT;
    sync_pack_info info;
    assert_int_equal(sync_pack_make(l, NULL, &pack, &info, err, sizeof err), EXIT_OK);
    opened_pack o;
    if (sync_pack_open(f->s, "the pack", (const unsigned char *)pack.data, pack.len, &o, err,
                       sizeof err))
        fail_msg("open: %s", err);
    assert_true(o.n >= 2);
    sync_decoded d;
    sync_decode(&o, 0, &d);
    assert_false(d.damaged);
    assert_int_equal(d.nentries, o.n);
    syncstore_change *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    size_t k = 0;
    for (size_t e = 0; e < o.n; e++) {
        size_t first, end;
        bool damaged;
        assert_true(sync_decoded_entry(&d, e, &first, &end, &damaged));
        assert_false(damaged);
        assert_int_equal(first, k);
        syncstore_iter *it;
        assert_int_equal(syncstore_iter_start(o.entries[e].data, (int)o.entries[e].len, &it), 0);
        while (syncstore_iter_next(it, a) > 0) {
            assert_true(k < end);
            sync_decoded_get(&d, k++, b);
            assert_string_equal(a->table, b->table);
            assert_int_equal(a->op, b->op);
            assert_int_equal(a->ncol, b->ncol);
            assert_same_image(a->old, b->old, a->ncol);
            assert_same_image(a->new_, b->new_, a->ncol);
        }
        syncstore_iter_free(it);
        assert_int_equal(k, end);
    }
    assert_int_equal(k, d.n);
    assert_int_equal(k, 5); /* 2 referrals, 2 actions, a conflict */
    sync_decoded_free(&d);
    /* Cut short anywhere, an entry gives the changes wholly before the cut, then its end when the
     * cut falls between two changes, else the damage. (SQLite's own iterator is no yardstick: on
     * some cuts it never returns.) */
    for (size_t e = 0; e < 2; e++) {
        size_t ends[8], nends = 0;
        syncstore_reader r;
        syncstore_reader_start(&r, o.entries[e].data, o.entries[e].len);
        while (syncstore_reader_next(&r, b) > 0 && nends < 8)
            ends[nends++] = (size_t)(r.p - (const unsigned char *)o.entries[e].data);
        assert_int_equal(ends[nends - 1], o.entries[e].len);
        for (size_t cut = 0; cut <= o.entries[e].len; cut++) {
            size_t want = 0, got = 0;
            bool between = cut == 0;
            for (size_t x = 0; x < nends; x++) {
                want += ends[x] <= cut;
                between |= ends[x] == cut;
            }
            int rb;
            syncstore_reader_start(&r, o.entries[e].data, cut);
            while ((rb = syncstore_reader_next(&r, b)) > 0)
                got++;
            if (got != want || (between && rb != 0) ||
                (!between && rb == 0 && cut + 1 == ends[want]))
                fail_msg("entry %zu cut at %zu of %zu: %zu changes then %d, not %zu", e, cut,
                         o.entries[e].len, got, rb, want);
        }
    }
    /* From the second entry on, the second cut short. */
    o.entries[1].len /= 2;
    sync_decode(&o, 1, &d);
    size_t first, end;
    bool damaged;
    assert_false(sync_decoded_entry(&d, 0, &first, &end, &damaged));
    assert_true(sync_decoded_entry(&d, 1, &first, &end, &damaged));
    assert_true(damaged);
    assert_int_equal(first, 0);
    assert_true(d.damaged);
    sync_decoded_free(&d);
    free(a);
    free(b);
    sync_pack_close(&o);
    buf_free(&pack);
    store_close(l);
    t_db_remove(lap);
}

/* The tables of the hub's last log entry's changes, in order, into out ("actions,referrals,"). */
static void last_entry_tables(fixture *f, char *out, size_t n)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(f->raw,
                                        "SELECT changes FROM sync_log ORDER BY seq DESC LIMIT 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    syncstore_iter *it;
    assert_int_equal(
        syncstore_iter_start(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0), &it), 0);
    syncstore_change *c = malloc(sizeof *c);
    out[0] = '\0';
    while (syncstore_iter_next(it, c) > 0) {
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%c %s,", c->op, c->table);
    }
    free(c);
    syncstore_iter_free(it);
    sqlite3_finalize(st);
}

/* Applying a pack, the hub logs the rows it adds whole as the inserts they are and the rows it
 * merges as the updates they are, in the order applied, ahead of what the session captured (which
 * copies each row and reads it back at the commit, under the write lock); once a row was deleted
 * in the transaction, everything through the session again, parents first. */
static void test_hub_logs_added_rows_whole(void **state)
{
    fixture *f = *state;
    char err[512], lap[80], tables[512];
    store *l = laptop_open(f, lap, sizeof lap);
    config cfg;
    config_defaults(&cfg);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(store_begin(l), EXIT_OK);
        t_exec(l->db, round ? "UPDATE referrals SET summary = 'seen again' WHERE id = 1"
                            : "UPDATE referrals SET summary = 'seen' WHERE id = 1");
        t_exec(l->db, "INSERT INTO actions(referral_id, date, officer_id, kind, note) "
                      "VALUES (1, '2024-03-01', 1, 'visit', 'a visit')");
        if (round == 1) t_exec(l->db, "DELETE FROM officers WHERE id = 2");
        assert_int_equal(store_commit(l), EXIT_OK);
        buf pack = BUF_INIT;
        sync_pack_info info;
        assert_int_equal(sync_pack_make(l, NULL, &pack, &info, err, sizeof err), EXIT_OK);
        sync_apply_result r;
        if (sync_pack_apply(f->s, &cfg, t_date("2024-06-01"), "the pack", pack.data, pack.len, &r,
                            err, sizeof err) != EXIT_OK)
            fail_msg("apply: %s", err);
        buf_free(&pack);
        last_entry_tables(f, tables, sizeof tables);
        if (round == 0 && strncmp(tables, "U referrals,I actions,", 22) != 0)
            fail_msg("the merged and added rows are not logged as applied: %s", tables);
        /* The officer deleted first: the action is captured by the session, parents first. */
        if (round == 1 && strncmp(tables, "D officers,U referrals,I actions,", 33) != 0)
            fail_msg("a pack that deletes is logged in another order: %s", tables);
        /* The hub's reply brings the laptop nothing new to change: the two agree. */
        assert_int_equal(sync_pack_make(f->s, "L2", &pack, &info, err, sizeof err), EXIT_OK);
        if (sync_pack_apply(l, &cfg, t_date("2024-06-01"), "the reply", pack.data, pack.len, &r,
                            err, sizeof err) != EXIT_OK)
            fail_msg("reply: %s", err);
        buf_free(&pack);
        assert_int_equal(r.added + r.deleted, 0);
    }
    config_free(&cfg);
    store_close(l);
    t_db_remove(lap);
}

/* While a pack is applied, search_stale_update is set aside (an edit of a referral was a
 * statement of two tables that SQLite journalled page by page) and syncstore_row_update notes the
 * edited referral's search text stale itself: for the same columns as the trigger, and the trigger
 * is back once the triggers are. */
static void test_edits_noted_for_search_as_the_trigger_does(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *column, *sql;
        merge_value v;
    } edits[] = {
        {"summary", "'seen at school'", {MERGE_TEXT, 0, 0, (const unsigned char *)"seen", 4}},
        {"ref", "'R-9'", {MERGE_TEXT, 0, 0, (const unsigned char *)"R-9", 3}},
        {"child_id", "2", {MERGE_INT, 2, 0, NULL, 0}},
        {"issue", "'ehe'", {MERGE_TEXT, 0, 0, (const unsigned char *)"ehe", 3}},
        {"received", "'2023-09-13'", {MERGE_TEXT, 0, 0, (const unsigned char *)"2023-09-13", 10}},
        {"officer_id", "2", {MERGE_INT, 2, 0, NULL, 0}},
    };
    const char *const *names;
    int ncol;
    assert_int_equal(syncstore_columns(f->s, "referrals", &names, &ncol), EXIT_OK);
    const char *trigger = "SELECT count(*) FROM sqlite_master WHERE name = 'search_stale_update'";
    for (size_t e = 0; e < sizeof edits / sizeof edits[0]; e++) {
        char q[256];
        t_exec(f->raw, "BEGIN");
        t_exec(f->raw, "DELETE FROM search_stale");
        snprintf(q, sizeof q, "UPDATE referrals SET %s = %s WHERE id = 1", edits[e].column,
                 edits[e].sql);
        t_exec(f->raw, q);
        long by_trigger = t_long(f->raw, "SELECT count(*) FROM search_stale WHERE id = 1");
        t_exec(f->raw, "ROLLBACK");
        assert_int_equal(store_begin(f->s), EXIT_OK);
        assert_int_equal(syncstore_triggers_aside(f->s), EXIT_OK);
        assert_int_equal(t_long(f->s->db, trigger), 0);
        t_exec(f->s->db, "DELETE FROM search_stale");
        merge_value vals[SYNCSTORE_MAX_COLS] = {{0}};
        bool set[SYNCSTORE_MAX_COLS] = {0};
        int i = sync_column_index(names, ncol, edits[e].column);
        assert_true(i > 0);
        vals[i] = edits[e].v;
        set[i] = true;
        assert_int_equal(syncstore_row_update(f->s, "referrals", 1, vals, set, ncol), EXIT_OK);
        long noted = t_long(f->s->db, "SELECT count(*) FROM search_stale WHERE id = 1");
        if (noted != by_trigger)
            fail_msg("an edit of %s: noted %ld, the trigger %ld", edits[e].column, noted,
                     by_trigger);
        assert_int_equal(syncstore_triggers_back(f->s), EXIT_OK);
        assert_int_equal(t_long(f->s->db, trigger), 1);
        store_rollback(f->s);
        assert_int_equal(by_trigger, e < 3);
    }
}

/* A merged row is logged by the apply itself only while the session has seen no change of its
 * table: after an edit the session captured (its record, read back at the commit, holds the row
 * as it ends), a record of the apply's own would come in the log before the one it follows. */
static void test_merge_logged_after_a_captured_edit(void **state)
{
    fixture *f = *state;
    char lap[80], tables[512];
    store *l = laptop_open(f, lap, sizeof lap); /* f->s is now a hub */
    const char *const *names;
    int ncol;
    assert_int_equal(syncstore_columns(f->s, "referrals", &names, &ncol), EXIT_OK);
    int i = sync_column_index(names, ncol, "summary");
    merge_value vals[SYNCSTORE_MAX_COLS] = {{0}}, mine[SYNCSTORE_MAX_COLS];
    bool set[SYNCSTORE_MAX_COLS] = {0}, found;
    set[i] = true;
    for (int own = 0; own < 2; own++) {
        assert_int_equal(store_begin(f->s), EXIT_OK);
        syncstore_log_added_whole(f->s);
        vals[i] = (merge_value){MERGE_TEXT, 0, 0, (const unsigned char *)"first", 5};
        if (!own) assert_int_equal(syncstore_row_update(f->s, "referrals", 1, vals, set, ncol), 0);
        assert_int_equal(syncstore_row_get(f->s, "referrals", 1, mine, ncol, &found), EXIT_OK);
        vals[i] = (merge_value){MERGE_TEXT, 0, 0, (const unsigned char *)"second", 6};
        assert_int_equal(syncstore_row_update_from(f->s, "referrals", 1, mine, vals, set, ncol), 0);
        assert_int_equal(store_commit(f->s), EXIT_OK);
        last_entry_tables(f, tables, sizeof tables);
        if (strcmp(tables, "U referrals,") != 0) fail_msg("round %d logged %s", own, tables);
    }
    store_close(l);
    t_db_remove(lap);
}

/* With the follow-up triggers set aside, the noted referrals' follow-ups are derived from the view
 * as the triggers keep them: in one statement for a few pending actions, referral by referral
 * when the database holds many more (here 24 for 2 noted): a follow-up added, one moved earlier,
 * one gone (its referral's row deleted). */
static void test_follow_ups_derived_as_the_triggers_do(void **state)
{
    fixture *f = *state;
    const char *differ =
        "SELECT (SELECT count(*) FROM (SELECT id, follow_up FROM referral_follow_up "
        "EXCEPT SELECT id, follow_up FROM referral_follow_up_source)) + "
        "(SELECT count(*) FROM (SELECT id, follow_up FROM referral_follow_up_source "
        "EXCEPT SELECT id, follow_up FROM referral_follow_up))";
    for (int many = 0; many < 2; many++) {
        t_exec(f->raw, "INSERT INTO actions(id, referral_id, date, kind, follow_up) VALUES "
                       "(500, 2, '2024-01-02', 'visit', '2024-03-01')");
        for (int i = 0; many && i < 24; i++) {
            char q[160];
            snprintf(q, sizeof q,
                     "INSERT INTO actions(id, referral_id, date, kind, follow_up) VALUES "
                     "(%d, 2, '2024-01-03', 'call', '2024-04-01')",
                     600 + i);
            t_exec(f->raw, q);
        }
        assert_int_equal(t_long(f->raw, differ), 0);
        assert_int_equal(store_begin(f->s), EXIT_OK);
        assert_int_equal(syncstore_triggers_aside(f->s), EXIT_OK);
        t_exec(f->s->db, "INSERT INTO actions(id, referral_id, date, kind, follow_up) VALUES "
                         "(501, 1, '2024-01-04', 'visit', '2024-02-15'), "
                         "(502, 2, '2024-01-04', 'visit', '2024-02-20')");
        t_exec(f->s->db, "INSERT INTO referral_follow_up(id, follow_up) VALUES (3, '2024-01-01')");
        for (int64_t id = 1; id <= 3; id++)
            assert_int_equal(syncstore_follow_ups_note(f->s, id), EXIT_OK);
        assert_int_equal(syncstore_triggers_back(f->s), EXIT_OK);
        assert_int_equal(store_commit(f->s), EXIT_OK);
        if (t_long(f->raw, differ) != 0)
            fail_msg("%s pending: the follow-ups differ", many ? "many" : "few");
        assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_follow_up"), 2);
        t_exec(f->raw, "DELETE FROM actions WHERE id >= 500");
    }
}

/* A value the merge cannot bind (here: longer than the connection allows) fails the change with
 * SQLite's message, instead of the row being written with that column empty. */
static void test_failed_bind_fails_the_change(void **state)
{
    fixture *f = *state;
    long before = t_long(f->raw, "SELECT count(*) FROM conflicts");
    assert_int_equal(store_begin(f->s), EXIT_OK);
    static char big[201];
    memset(big, 'x', 200);
    merge_value base = {MERGE_TEXT, 0, 0, (const unsigned char *)"b", 1};
    merge_value hub = {MERGE_TEXT, 0, 0, (const unsigned char *)"h", 1};
    merge_value laptop = {MERGE_TEXT, 0, 0, (const unsigned char *)big, 200};
    int was = sqlite3_limit(f->s->db, SQLITE_LIMIT_LENGTH, 150);
    int rc = syncstore_conflict_add(f->s, "field", "referrals", 1, "summary", &base, &hub, &laptop,
                                    "L2");
    sqlite3_limit(f->s->db, SQLITE_LIMIT_LENGTH, was);
    assert_int_equal(rc, EXIT_IO);
    assert_non_null(strstr(store_error(f->s), "recording a conflict: "));
    if (!strstr(store_error(f->s), "too big")) fail_msg("%s", store_error(f->s));
    store_rollback(f->s);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM conflicts"), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_leaves_no_read_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_looks_for_erased_rows_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decoded_as_iterated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hub_logs_added_rows_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_bind_fails_the_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_logged_after_a_captured_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_follow_ups_derived_as_the_triggers_do, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_edits_noted_for_search_as_the_trigger_does, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
