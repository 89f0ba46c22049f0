/* test_browse: the list queries of the app and `caseload list` — keyset pages forwards and
 * backwards against a plain ORDER BY, every filter against plain SQL, counts, the detail, the
 * timeline, child search and duplicates, the search index's triggers — and the query plans: every
 * list query uses an index for its order (no full scan, no temporary b-tree), except the follow-up
 * and text filters, which start from their own index. Rows go in with plain SQL through a second
 * connection; the plans are read through the store's own connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "testdb.h"

#include "../../src/store/store_internal.h"
#include "caseload/browse.h"
#include "caseload/check.h"
#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/score.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { NREF = 240 };

typedef struct {
    char path[T_DB_PATH];
    store *s;
    sqlite3 *raw;
    score_weights w;
    date_t as_of;
} fixture;

static const char *const issues[] = {
    "attendance",        "cme",          "exclusion", "admissions", "sen",
    "reduced_timetable", "managed_move", "ehe",       "neet",       "other"};
static const char *const statuses[] = {"new", "open", "closed"};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    t_db_open("test_browse", f->path, &f->s, &f->raw);
    f->w.red = 20;
    f->w.amber = 10;
    f->as_of = t_date("2022-03-01");
    t_exec(f->raw, "BEGIN");
    t_exec(f->raw, "INSERT INTO officers(id, initials) VALUES (1, 'AB'), (2, 'CD')");
    t_exec(f->raw, "INSERT INTO schools(id, urn, name) VALUES (1, '100001', 'Oakfield Primary'), "
                   "(2, NULL, 'Brook PRU')");
    char q[1024];
    for (int i = 1; i <= 60; i++) {
        static const char *const first[] = {"Amy", "Ben", "Cara", "Dev", "Ella", "Femi"};
        static const char *const last[] = {"Smith", "Jones", "Patel", "Okafor", "Brown"};
        snprintf(q, sizeof q,
                 "INSERT INTO children(id, upn, la_child_id, first_name, last_name, dob, "
                 "school_id, care_status, sen, youth_justice) VALUES (%d, %s, 'LA%03d', '%s', "
                 "'%s', '2012-0%d-1%d', %d, 'cin', 'none', %d)",
                 i, i == 1 ? "'B801200005001'" : "NULL", i, first[i % 6], last[i % 5], 1 + i % 9,
                 i % 10, 1 + i % 2, i % 7 == 0);
        t_exec(f->raw, q);
    }
    t_exec(f->raw,
           "INSERT INTO children(id, la_child_id, first_name, last_name, dob, care_status, sen) "
           "VALUES (61, 'LA061', 'Jon', 'Smyth', '2014-05-05', 'cp', 'none'), "
           "(62, 'LA062', 'John', 'Smith', '2014-05-05', 'cp', 'none'), "
           "(63, 'LA063', 'Mary', 'Jones', '2014-05-05', 'cp', 'none')");
    for (int i = 1; i <= NREF; i++) {
        int score = (i * 37) % 31 - 3; /* many ties, some negative */
        snprintf(q, sizeof q,
                 "INSERT INTO referrals(id, ref, child_id, received, source, issue, status, "
                 "closed, officer_id, care_status, sen, summary) VALUES (%d, 'R%04d', %d, "
                 "'2021-%02d-%02d', 'school', '%s', '%s', %s, %s, 'cin', 'none', '%s'); "
                 /* Each referral a score of its own (not its child's): the list must sort
                  * by the referral's copy. */
                 "UPDATE referral_list SET score = %d WHERE id = %d",
                 i, i, 1 + i % 60, 9 + i % 4, 1 + i % 28, issues[i % 10], statuses[i % 3],
                 i % 3 == 2 ? "'2022-02-01'" : "NULL",
                 i % 4 == 0   ? "NULL"
                 : i % 4 == 1 ? "1"
                              : "2",
                 i % 17 == 0 ? "worried about a managed move" : "late most days", score, i);
        t_exec(f->raw, q);
        if (i % 5 == 0) {
            snprintf(q, sizeof q,
                     "INSERT INTO actions(referral_id, date, kind, note, follow_up) "
                     "VALUES (%d, '2022-01-10', 'call', 'n', '2022-%02d-%02d')",
                     i, 2 + i % 2, 1 + i % 28);
            t_exec(f->raw, q);
        }
    }
    t_exec(f->raw, "INSERT INTO actions(referral_id, date, kind, note, follow_up, officer_id) "
                   "VALUES (3, '2022-02-10', 'visit', 'second', NULL, 1)");
    t_exec(f->raw, "INSERT INTO outcomes(referral_id, date, outcome, note) "
                   "VALUES (3, '2022-02-20', 'attendance_improved', 'better')");
    t_exec(f->raw, "INSERT INTO exclusions(child_id, start, category, days, reason) "
                   "VALUES (4, '2021-11-05', 'suspension', 2, 'PP')");
    t_exec(f->raw, "INSERT INTO attendance(child_id, from_date, to_date, possible, attended) "
                   "VALUES (4, '2021-09-01', '2021-12-17', 100, 45)");
    t_exec(f->raw, "INSERT INTO episodes(child_id, kind, start, end_date) "
                   "VALUES (4, 'cme', '2021-10-01', NULL)");
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

/* The next follow-up of referral r in plain SQL: its actions' earliest follow-up not marked done,
 * when r is not closed. */
#define NEXT_FOLLOW_UP                                                                             \
    "(SELECT min(a.follow_up) FROM actions a WHERE a.referral_id = r.id AND r.status <> 'closed' " \
    "AND NOT EXISTS (SELECT 1 FROM follow_up_done d WHERE d.action_id = a.id))"

/* Ids in list order from plain SQL (order NULL: highest score first). */
static int expected_ids(fixture *f, const char *where, const char *order, int64_t *ids, int max)
{
    char q[2048];
    snprintf(q, sizeof q,
             "SELECT r.id FROM (SELECT referrals.*, k.score FROM referrals "
             "JOIN referral_list k ON k.id = referrals.id) r JOIN children c ON c.id = r.child_id "
             "LEFT JOIN schools sc ON sc.id = c.school_id WHERE %s "
             "ORDER BY %s",
             where, order ? order : "r.score DESC, r.id");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(f->raw, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(f->raw));
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Walks the whole list forwards in pages of size page, and backwards, checking both against
 * where, in order (NULL: highest score first). */
static void check_walk_order(fixture *f, const browse_filter *flt, const char *where,
                             const char *order, int page)
{
    int64_t want[NREF];
    int nwant = expected_ids(f, where, order, want, NREF);
    browse_row rows[64];
    int n = 0, got = 0;
    browse_key key;
    bool first = true;
    for (;;) {
        assert_int_equal(
            browse_page(f->s, flt, &f->w, f->as_of, first ? NULL : &key, page, rows, &n), EXIT_OK);
        for (int i = 0; i < n; i++) {
            assert_true(got < nwant);
            if (rows[i].id != want[got])
                fail_msg("%s: row %d is %lld, expected %lld", where, got, (long long)rows[i].id,
                         (long long)want[got]);
            got++;
        }
        if (n < page) break;
        key = browse_key_of(&rows[n - 1]);
        first = false;
    }
    assert_int_equal(got, nwant);
    /* Backwards from the end. */
    first = true;
    int at = nwant;
    for (;;) {
        assert_int_equal(
            browse_page_before(f->s, flt, &f->w, f->as_of, first ? NULL : &key, page, rows, &n),
            EXIT_OK);
        for (int i = n - 1; i >= 0; i--) {
            at--;
            assert_true(at >= 0);
            assert_int_equal(rows[i].id, want[at]);
        }
        if (n < page) break;
        key = browse_key_of(&rows[0]);
        first = false;
    }
    assert_int_equal(at, 0);
    long count;
    bool more;
    assert_int_equal(browse_count(f->s, flt, &f->w, f->as_of, 100000, &count, &more), EXIT_OK);
    assert_int_equal(count, nwant); /* exact, even out of time (a test's tiny budget) */
    assert_false(more);
}

static void check_walk(fixture *f, const browse_filter *flt, const char *where, int page)
{
    check_walk_order(f, flt, where, NULL, page);
}

/* Due follow-ups, earliest first. */
static void check_follow_walk(fixture *f, const browse_filter *flt, const char *where, int page)
{
    check_walk_order(f, flt, where, NEXT_FOLLOW_UP ", r.id", page);
}

static void test_pages_everything(void **state)
{
    fixture *f = *state;
    browse_filter flt;
    browse_filter_init(&flt);
    check_walk(f, &flt, "1", 7);
    check_walk(f, &flt, "1", 1);
    check_walk(f, &flt, "1", 50);
}

static void test_filters(void **state)
{
    fixture *f = *state;
    browse_filter flt;
    browse_filter_init(&flt);
    flt.issue = ISSUE_CME;
    check_walk(f, &flt, "r.issue = 'cme'", 5);
    flt.statuses = BROWSE_STATUS(STATUS_OPEN);
    check_walk(f, &flt, "r.issue = 'cme' AND r.status = 'open'", 3);
    browse_filter_init(&flt);
    flt.statuses = BROWSE_STATUS(STATUS_CLOSED);
    check_walk(f, &flt, "r.status = 'closed'", 9);
    /* Sets of statuses: the live ones (the default of the app and `list`), alone, with an issue,
     * an officer, a band, a text, due follow-ups. */
    browse_filter_default(&flt);
    check_walk(f, &flt, "r.status IN ('new', 'open')", 9);
    check_walk(f, &flt, "r.status IN ('new', 'open')", 1);
    flt.issue = ISSUE_CME;
    check_walk(f, &flt, "r.status IN ('new', 'open') AND r.issue = 'cme'", 3);
    flt.issue = -1;
    snprintf(flt.officer, sizeof flt.officer, "AB");
    check_walk(f, &flt, "r.status IN ('new', 'open') AND r.officer_id = 1", 4);
    flt.officer[0] = '\0';
    flt.band = BAND_AMBER;
    check_walk(f, &flt, "r.status IN ('new', 'open') AND r.score >= 10 AND r.score < 20", 4);
    flt.band = -1;
    snprintf(flt.text, sizeof flt.text, "late");
    check_walk(f, &flt, "r.status IN ('new', 'open') AND r.summary LIKE '%late%'", 5);
    flt.text[0] = '\0';
    flt.follow_up = BROWSE_FOLLOW_DUE;
    check_follow_walk(f, &flt, NEXT_FOLLOW_UP " <= '2022-03-01'", 2);
    browse_filter_init(&flt);
    flt.statuses = BROWSE_STATUS(STATUS_NEW) | BROWSE_STATUS(STATUS_CLOSED);
    flt.issue = ISSUE_SEN;
    check_walk(f, &flt, "r.status IN ('new', 'closed') AND r.issue = 'sen'", 2);
    browse_filter_init(&flt);
    snprintf(flt.officer, sizeof flt.officer, "CD");
    check_walk(f, &flt, "r.officer_id = 2", 8);
    flt.issue = ISSUE_SEN;
    check_walk(f, &flt, "r.officer_id = 2 AND r.issue = 'sen'", 2);
    browse_filter_init(&flt);
    flt.band = BAND_RED;
    check_walk(f, &flt, "r.score >= 20", 6);
    flt.band = BAND_AMBER;
    check_walk(f, &flt, "r.score >= 10 AND r.score < 20", 6);
    flt.band = BAND_GREEN;
    check_walk(f, &flt, "r.score < 10", 6);
    flt.issue = ISSUE_ATTENDANCE;
    check_walk(f, &flt, "r.score < 10 AND r.issue = 'attendance'", 2);
    browse_filter_init(&flt);
    flt.follow_up = BROWSE_FOLLOW_OVERDUE;
    check_follow_walk(f, &flt, NEXT_FOLLOW_UP " < '2022-03-01'", 4);
    flt.follow_up = BROWSE_FOLLOW_DUE;
    check_follow_walk(f, &flt, NEXT_FOLLOW_UP " <= '2022-03-01'", 4);
    check_follow_walk(f, &flt, NEXT_FOLLOW_UP " <= '2022-03-01'", 1);
    flt.band = BAND_GREEN;
    check_follow_walk(f, &flt, NEXT_FOLLOW_UP " <= '2022-03-01' AND r.score < 10", 2);
    flt.band = -1;
    flt.issue = ISSUE_SEN;
    check_follow_walk(f, &flt, NEXT_FOLLOW_UP " <= '2022-03-01' AND r.issue = 'sen'", 2);
    flt.issue = -1;
    snprintf(flt.text, sizeof flt.text, "late");
    check_follow_walk(f, &flt, NEXT_FOLLOW_UP " <= '2022-03-01' AND r.summary LIKE '%late%'", 3);
    snprintf(flt.text, sizeof flt.text, "la");
    check_follow_walk(f, &flt,
                      NEXT_FOLLOW_UP " <= '2022-03-01' AND (r.ref LIKE '%la%' OR c.first_name "
                                     "LIKE '%la%' OR c.last_name LIKE '%la%' OR sc.name LIKE "
                                     "'%la%' OR r.summary LIKE '%la%' OR c.upn LIKE '%la%')",
                      3);
    browse_filter_init(&flt);
    snprintf(flt.text, sizeof flt.text, "managed");
    check_walk(f, &flt, "r.summary LIKE '%managed%'", 4);
    snprintf(flt.text, sizeof flt.text, "OKAF");
    check_walk(f, &flt, "c.last_name = 'Okafor'", 4);
    snprintf(flt.text, sizeof flt.text, "amy smi");
    check_walk(f, &flt, "c.first_name = 'Amy' AND c.last_name = 'Smith'", 4);
    snprintf(flt.text, sizeof flt.text, "R0012");
    check_walk(f, &flt, "r.ref LIKE 'R0012%'", 4);
    snprintf(flt.text, sizeof flt.text, "b801200005001");
    check_walk(f, &flt, "c.id = 1", 4);
    snprintf(flt.text, sizeof flt.text, "Brook");
    check_walk(f, &flt, "sc.name = 'Brook PRU'", 10);
    /* One or two characters: no trigram, checked row by row. */
    snprintf(flt.text, sizeof flt.text, "ok");
    check_walk(f, &flt,
               "(r.ref LIKE '%ok%' OR c.first_name LIKE '%ok%' OR c.last_name LIKE '%ok%' OR "
               "sc.name LIKE '%ok%' OR r.summary LIKE '%ok%' OR c.upn LIKE '%ok%')",
               6);
    snprintf(flt.text, sizeof flt.text, "%%");
    check_walk(f, &flt, "0", 6); /* LIKE wildcards in the text are literal */
    snprintf(flt.text, sizeof flt.text, "a\"b");
    check_walk(f, &flt, "0", 6); /* a quote in the text cannot break the FTS query */
    flt.issue = ISSUE_EHE;
    snprintf(flt.text, sizeof flt.text, "late");
    check_walk(f, &flt, "r.issue = 'ehe' AND r.summary LIKE '%late%'", 3);
}

static void test_counts(void **state)
{
    fixture *f = *state;
    long counts[16], all;
    assert_int_equal(browse_issue_counts(f->s, 0, counts, &all), EXIT_OK);
    assert_int_equal(all, NREF);
    assert_int_equal(counts[ISSUE_CME], t_long(f->raw, "SELECT count(*) FROM referrals "
                                                       "WHERE issue = 'cme'"));
    assert_int_equal(browse_issue_counts(f->s, BROWSE_STATUS(STATUS_OPEN), counts, &all), EXIT_OK);
    assert_int_equal(all, t_long(f->raw, "SELECT count(*) FROM referrals WHERE status = 'open'"));
    long overdue;
    assert_int_equal(browse_overdue_count(f->s, f->as_of, &overdue), EXIT_OK);
    assert_int_equal(
        overdue,
        t_long(f->raw, "SELECT count(*) FROM referrals r WHERE " NEXT_FOLLOW_UP " < '2022-03-01'"));
    assert_true(overdue > 0);
    browse_filter flt;
    browse_filter_init(&flt);
    flt.band = BAND_GREEN;
    bool more;
    long n;
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 10, &n, &more), EXIT_OK);
    assert_int_equal(n, 10);
    assert_true(more);
    /* A trigger keeps the counts as statuses change. */
    t_exec(f->raw, "UPDATE referrals SET status = 'closed', closed = '2022-02-02' WHERE id = 1");
    browse_filter_init(&flt);
    flt.statuses = BROWSE_STATUS(STATUS_CLOSED);
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 10, &n, &more), EXIT_OK);
    assert_int_equal(n, t_long(f->raw, "SELECT count(*) FROM referrals WHERE status = 'closed'"));
}

/* The sidebar under a filter: per issue, every condition but the issue. */
static void check_issue_counts(fixture *f, const browse_filter *flt, const char *where)
{
    long counts[16], all;
    bool more;
    assert_int_equal(
        browse_issue_counts_filtered(f->s, flt, &f->w, f->as_of, 100000, counts, &all, &more),
        EXIT_OK);
    assert_false(more);
    long sum = 0;
    for (int i = 0; i < 10; i++) {
        char q[1024];
        snprintf(q, sizeof q,
                 "SELECT count(*) FROM (SELECT referrals.*, k.score FROM referrals JOIN "
                 "referral_list k ON k.id = referrals.id) r WHERE r.issue = '%s' AND %s",
                 issues[i], where);
        assert_int_equal(counts[i], t_long(f->raw, q));
        sum += counts[i];
    }
    assert_int_equal(all, sum);
}

static void test_status_sets_and_issue_counts(void **state)
{
    fixture *f = *state;
    unsigned st;
    assert_int_equal(browse_statuses_parse("New,OPEN", &st), 0);
    assert_int_equal(st, BROWSE_LIVE);
    assert_int_equal(browse_statuses_parse("closed", &st), 0);
    assert_int_equal(st, BROWSE_STATUS(STATUS_CLOSED));
    assert_int_equal(browse_statuses_parse("all", &st), 0);
    assert_int_equal(st, 0u);
    assert_int_equal(browse_statuses_parse("new,open,closed", &st), 0);
    assert_int_equal(st, 0u);
    assert_int_equal(browse_statuses_parse("new,shut", &st), -1);
    assert_int_equal(browse_statuses_parse("new,", &st), -1);
    assert_int_equal(browse_statuses_parse("", &st), -1);
    browse_filter flt;
    browse_filter_default(&flt);
    flt.issue = ISSUE_CME; /* ignored: the sidebar counts every issue */
    check_issue_counts(f, &flt, "r.status IN ('new', 'open')");
    flt.band = BAND_GREEN;
    check_issue_counts(f, &flt, "r.status IN ('new', 'open') AND r.score < 10");
    snprintf(flt.officer, sizeof flt.officer, "CD");
    check_issue_counts(f, &flt,
                       "r.status IN ('new', 'open') AND r.score < 10 AND r.officer_id = 2");
    browse_filter_default(&flt);
    flt.follow_up = BROWSE_FOLLOW_DUE;
    check_issue_counts(f, &flt, NEXT_FOLLOW_UP " <= '2022-03-01'");
    browse_filter_init(&flt);
    snprintf(flt.text, sizeof flt.text, "managed");
    check_issue_counts(f, &flt, "r.summary LIKE '%managed%'");
}

static void test_row_fields(void **state)
{
    fixture *f = *state;
    browse_detail d;
    assert_int_equal(browse_referral(f->s, 5, &f->w, f->as_of, &d), EXIT_OK);
    assert_string_equal(d.row.ref, "R0005");
    assert_string_equal(d.row.issue, "reduced_timetable");
    assert_string_equal(d.row.status, "closed");
    assert_string_equal(d.closed, "2022-02-01");
    /* received 2021-10-06, closed 2022-02-01 */
    assert_int_equal(d.row.days_open, t_date("2022-02-01") - t_date("2021-10-06"));
    assert_false(d.row.overdue); /* closed: never overdue */
    assert_string_equal(d.row.officer, "AB");
    assert_string_equal(d.row.child, "Amy Jones");
    assert_string_equal(d.row.school, "Oakfield Primary");
    assert_int_equal(d.row.score, (5 * 37) % 31 - 3);
    assert_int_equal(browse_referral(f->s, 999999, &f->w, f->as_of, &d), EXIT_FOUND);
    int64_t id;
    assert_int_equal(browse_referral_by_ref(f->s, "R0010", &id), EXIT_OK);
    assert_int_equal(id, 10);
    assert_int_equal(browse_referral_by_ref(f->s, "nope", &id), EXIT_FOUND);
    /* An open referral with a follow-up in the past is overdue. */
    assert_int_equal(browse_referral(f->s, 10, &f->w, f->as_of, &d), EXIT_OK);
    assert_string_equal(d.row.follow_up, "2022-02-11");
    assert_true(d.row.overdue);
    assert_int_equal(d.row.days_open, t_date("2022-03-01") - t_date("2021-11-11"));
}

static void test_timeline(void **state)
{
    fixture *f = *state;
    browse_event ev[32];
    int n;
    assert_int_equal(browse_timeline(f->s, 3, ev, 32, &n), EXIT_OK);
    /* Referral 3: child 4; received 2021-12-04; action, outcome; the child's exclusion,
     * attendance, episode. Newest first. */
    assert_int_equal(n, 6);
    assert_int_equal(ev[0].kind, BROWSE_EV_OUTCOME);
    assert_string_equal(ev[0].code, "attendance_improved");
    assert_int_equal(ev[1].kind, BROWSE_EV_ACTION);
    assert_string_equal(ev[1].officer, "AB");
    assert_int_equal(ev[2].kind, BROWSE_EV_ATTENDANCE);
    assert_string_equal(ev[2].extra, "45.0%");
    assert_int_equal(ev[3].kind, BROWSE_EV_RECEIVED);
    assert_int_equal(ev[4].kind, BROWSE_EV_EXCLUSION);
    assert_int_equal(ev[5].kind, BROWSE_EV_EPISODE);
    for (int i = 1; i < n; i++)
        assert_true(strcmp(ev[i - 1].date, ev[i].date) >= 0);
    assert_int_equal(browse_timeline(f->s, 3, ev, 2, &n), EXIT_OK);
    assert_int_equal(n, 2);

    browse_row rows[16];
    assert_int_equal(browse_child_referrals(f->s, 4, 3, &f->w, f->as_of, rows, 16, &n), EXIT_OK);
    assert_int_equal(n, NREF / 60 - 1);
    for (int i = 0; i < n; i++) {
        assert_int_equal(rows[i].child_id, 4);
        assert_true(rows[i].id != 3);
    }
}

/* The statements the code under test runs that hold `mark` (for their plans). */
typedef struct traced {
    char sql[16][16384]; /* an issue or a status alone: one arm per status or issue */
    int n;
    const char *mark; /* the statements traced are those holding it */
} traced;
static int trace_cb(unsigned type, void *ctx, void *p, void *x);
static void plan_of(fixture *f, const char *q, char *out, size_t n);

/* No SCAN in plan but of an index, a subquery or a CTE of the query (names in ctes, each
 * followed by a space). */
static void check_no_scan(const char *sql, const char *plan, const char *ctes)
{
    const char *p = plan;
    while ((p = strstr(p, "SCAN ")) != NULL) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        char one[256], name[64] = "";
        snprintf(one, sizeof one, "%.*s", (int)len, p);
        sscanf(one + 5, "%62s", name);
        strcat(name, " ");
        if (!strstr(one, "INDEX") && strncmp(one, "SCAN (subquery", 14) != 0 && !strstr(ctes, name))
            fail_msg("full scan: %s\nplan: %s\nin: %s", one, plan, sql);
        p += len;
    }
}

/* The chronology of a child: every referral's events and the child's, newest first, paged by
 * key without a gap or a repeat, each arm from an index. */
static void test_chronology(void **state)
{
    fixture *f = *state;
    browse_event all[64];
    int n;
    /* Child 4: referrals 3, 63, 123 and 183 (received each), referral 3's action and outcome,
     * the child's exclusion, attendance record and episode; and one closed referral. */
    t_exec(f->raw, "UPDATE referrals SET status = 'closed', closed = '2022-01-05' WHERE id = 63");
    assert_int_equal(browse_child_chronology(f->s, 4, NULL, all, 64, &n), EXIT_OK);
    assert_int_equal(n, 10);
    int received = 0, closed = 0, child_events = 0;
    for (int i = 0; i < n; i++) {
        if (i) {
            int c = strcmp(all[i - 1].date, all[i].date);
            assert_true(c > 0 || (c == 0 && all[i - 1].kind >= all[i].kind));
        }
        received += all[i].kind == BROWSE_EV_RECEIVED;
        closed += all[i].kind == BROWSE_EV_CLOSED;
        if (all[i].referral_id) {
            char ref[16];
            snprintf(ref, sizeof ref, "R%04lld", (long long)all[i].referral_id);
            assert_string_equal(all[i].ref, ref);
        } else {
            child_events++;
            assert_string_equal(all[i].ref, "");
        }
    }
    assert_int_equal(received, 4);
    assert_int_equal(closed, 1);
    assert_int_equal(child_events, 3);
    assert_int_equal(all[0].kind, BROWSE_EV_OUTCOME); /* 2022-02-20 */
    assert_int_equal(all[0].referral_id, 3);

    /* Pages of every size give the same events in the same order. */
    for (int size = 1; size <= 4; size++) {
        browse_event page[4];
        browse_event_key key;
        int got = 0, k;
        const browse_event_key *after = NULL;
        do {
            assert_int_equal(browse_child_chronology(f->s, 4, after, page, size, &k), EXIT_OK);
            for (int i = 0; i < k; i++) {
                assert_true(got < n);
                assert_int_equal(page[i].kind, all[got].kind);
                assert_int_equal(page[i].id, all[got].id);
                assert_string_equal(page[i].date, all[got].date);
                got++;
            }
            if (k) {
                key = browse_event_key_of(&page[k - 1]);
                after = &key;
            }
        } while (k == size);
        assert_int_equal(got, n);
    }
    /* The referral's timeline is the same query: referral 3's events and the child's. */
    browse_event tl[32];
    int m;
    assert_int_equal(browse_timeline(f->s, 3, tl, 32, &m), EXIT_OK);
    assert_int_equal(m, 6);
    for (int i = 0; i < m; i++)
        assert_true(tl[i].referral_id == 3 || tl[i].referral_id == 0);
    /* A child with nothing recorded: an empty chronology. */
    assert_int_equal(browse_child_chronology(f->s, 63, NULL, all, 64, &n), EXIT_OK);
    assert_int_equal(n, 0);

    /* The plan as on a big database (no statistics: ANALYZE on this small one would rightly
     * prefer scanning a table of one row). */
    static traced t;
    t.mark = "WITH refs AS";
    t.n = 0;
    sqlite3_trace_v2(f->s->db, SQLITE_TRACE_STMT, trace_cb, &t);
    browse_event_key key = browse_event_key_of(&all[2]);
    assert_int_equal(browse_child_chronology(f->s, 4, &key, all, 64, &n), EXIT_OK);
    sqlite3_trace_v2(f->s->db, 0, NULL, NULL);
    assert_int_equal(t.n, 1);
    char plan[16384];
    plan_of(f, t.sql[0], plan, sizeof plan);
    check_no_scan(t.sql[0], plan, "refs kid CONSTANT ");
    static const char *const indexes[] = {"referrals_child",   "actions_referral",
                                          "outcomes_referral", "exclusions_child",
                                          "attendance_child",  "episodes_child"};
    for (int i = 0; i < 6; i++)
        if (!strstr(plan, indexes[i])) fail_msg("expected %s in\nplan: %s", indexes[i], plan);
}

/* The warning of a new referral: the child's live referral of that primary issue. */
static void test_live_issue(void **state)
{
    fixture *f = *state;
    browse_row r;
    bool found;
    /* Child 4's referrals: 3 (reduced_timetable, new), 63, 123, 183 (issues 3 % 10 ...). */
    assert_int_equal(browse_child_live_issue(f->s, 4, issues[3], &f->w, f->as_of, &r, &found),
                     EXIT_OK);
    assert_true(found);
    assert_int_equal(r.child_id, 4);
    assert_string_equal(r.issue, issues[3]);
    assert_true(strcmp(r.status, "closed") != 0);
    /* Closed, it no longer counts. */
    t_exec(f->raw, "UPDATE referrals SET status = 'closed', closed = '2022-01-05' "
                   "WHERE child_id = 4 AND issue = 'admissions'");
    assert_int_equal(browse_child_live_issue(f->s, 4, issues[3], &f->w, f->as_of, &r, &found),
                     EXIT_OK);
    assert_false(found);
    assert_int_equal(browse_child_live_issue(f->s, 4, "cme", &f->w, f->as_of, &r, &found), EXIT_OK);
    assert_false(found);
}

static void add_accented(fixture *f);

static void test_child_search(void **state)
{
    fixture *f = *state;
    browse_child c[80];
    int n;
    assert_int_equal(browse_child_search(f->s, "b801200005001", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].id, 1);
    assert_string_equal(c[0].school, "Brook PRU");
    assert_int_equal(browse_child_search(f->s, "2014-05-05", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 3);
    assert_int_equal(browse_child_search(f->s, "LA007", c, 80, &n), EXIT_OK);
    assert_true(n >= 1);
    assert_int_equal(c[0].id, 7);
    assert_int_equal(browse_child_search(f->s, "oka", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 12);
    for (int i = 0; i < n; i++)
        assert_string_equal(c[i].last_name, "Okafor");
    assert_int_equal(browse_child_search(f->s, "amy", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 10);
    assert_int_equal(browse_child_search(f->s, "Amy Smi", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 2);
    for (int i = 0; i < n; i++) {
        assert_string_equal(c[i].first_name, "Amy");
        assert_string_equal(c[i].last_name, "Smith");
    }
    int n2;
    assert_int_equal(browse_child_search(f->s, "smith amy", c, 80, &n2), EXIT_OK);
    assert_int_equal(n2, n);
    assert_int_equal(browse_child_search(f->s, "   ", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 0);
    assert_int_equal(browse_child_search(f->s, "oka", c, 3, &n), EXIT_OK);
    assert_int_equal(n, 3);
    /* Folded: accents and case do not matter, either word may be the first name. */
    add_accented(f);
    assert_int_equal(browse_child_search(f->s, "lucja dab", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].id, 71);
    assert_int_equal(browse_child_search(f->s, "DĄBROWSKA ŁUCJA", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(browse_child_search(f->s, "oisin", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].first_name, "Oisín");
    assert_int_equal(browse_child_search(f->s, "sean muller", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(browse_child_search(f->s, "zoe", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(browse_child_search(f->s, "khan", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 2);
    assert_int_equal(browse_child_search(f->s, "शर्मा", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].id, 74);
    /* Keyed as name_key keys names (issue 8): no spaces, hyphens or apostrophes in a name. */
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob) VALUES "
                   "(80, 'LA080', 'Mary-Jane', 'O''Brien', '2013-02-01'), "
                   "(81, 'LA081', 'Tom', 'Van Der Berg', '2013-02-02')");
    const char *typed[] = {"OBrien",
                           "o'brien",
                           "O\xe2\x80\x99"
                           "Bri",
                           "maryjane obr",
                           "Mary-Jane",
                           "vanderb",
                           "tom vanderberg"};
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        assert_int_equal(browse_child_search(f->s, typed[i], c, 80, &n), EXIT_OK);
        if (n != 1) fail_msg("'%s' found %d", typed[i], n);
    }
    assert_int_equal(browse_child_search(f->s, "'", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 0);
    /* Every word typed counts (issue 8): the first and the last alone found nobody here, and
     * Amy Smith for "amy jane smith". */
    const char *whole[] = {"tom van der berg", "Van Der Berg Tom", "tom van der",
                           "mary jane o'brien", "van der berg, tom"};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        assert_int_equal(browse_child_search(f->s, whole[i], c, 80, &n), EXIT_OK);
        if (n != 1) fail_msg("'%s' found %d", whole[i], n);
    }
    assert_int_equal(browse_child_search(f->s, "amy jane smith", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 0);
    /* Any word of a name begins it (issue 8): a later word of the last name, a second given
     * name, a double-barrelled name's second half; in the list's order, with the names whose
     * first word it begins. */
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob) VALUES "
                   "(82, 'LA082', 'Amy Jane', 'Smith', '2013-02-03'), "
                   "(83, 'LA083', 'Ali', 'Patel-Khan', '2013-02-04'), "
                   "(84, 'LA084', 'Jane', 'Berg', '2013-02-05')");
    const struct {
        const char *typed;
        int ids[4];
    } words[] = {{"berg", {84, 81}},         {"der berg", {81}},     {"tom berg", {81}},
                 {"berg tom", {81}},         {"jane", {84, 80, 82}}, {"jane smith", {82}},
                 {"smith jane", {82}},       {"ali khan", {83}},     {"van der", {81}},
                 {"tom van der berg", {81}}, {"jane b", {84}},       {"amy jane smith", {82}}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        assert_int_equal(browse_child_search(f->s, words[i].typed, c, 80, &n), EXIT_OK);
        int want = 0;
        while (want < 4 && words[i].ids[want])
            want++;
        if (n != want) fail_msg("'%s' found %d, not %d", words[i].typed, n, want);
        for (int k = 0; k < n; k++)
            if (c[k].id != words[i].ids[k])
                fail_msg("'%s' found %lld at %d", words[i].typed, (long long)c[k].id, k);
    }
    assert_int_equal(browse_child_search(f->s, "khan", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 3); /* the two Khans of before and Ali Patel-Khan after them */
    assert_int_equal(c[2].id, 83);
    assert_int_equal(browse_child_search(f->s, "jane amy", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 0); /* a name's words in their order */
    /* A name's words changed with its key the same: found by the new words only. */
    const char *flag83 = "SELECT words FROM child_names WHERE id = 83";
    assert_int_equal(t_long(f->raw, flag83), 1); /* flagged as keyed: names of more than a word */
    assert_int_equal(t_long(f->raw, "SELECT words FROM child_names WHERE id = 81"), 1);
    assert_int_equal(t_long(f->raw, "SELECT words FROM child_names WHERE id = 84"), 0);
    t_exec(f->raw, "UPDATE children SET last_name = 'PatelKhan' WHERE id = 83");
    assert_int_equal(browse_child_search(f->s, "ali khan", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 0);
    assert_int_equal(t_long(f->raw, flag83), 0);
    t_exec(f->raw, "UPDATE children SET last_name = 'Patel Khan' WHERE id = 83");
    assert_int_equal(browse_child_search(f->s, "ali khan", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t_long(f->raw, flag83), 1);
    /* A name of one word renamed to two (child_names written again) and back: flagged as its
     * names say, the second word found while it is there. */
    t_exec(f->raw, "UPDATE children SET first_name = 'Jane Ann' WHERE id = 84");
    assert_int_equal(browse_child_search(f->s, "ann berg", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t_long(f->raw, "SELECT words FROM child_names WHERE id = 84"), 1);
    t_exec(f->raw, "UPDATE children SET first_name = 'Jane' WHERE id = 84");
    assert_int_equal(browse_child_search(f->s, "ann berg", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 0);
    assert_int_equal(t_long(f->raw, "SELECT words FROM child_names WHERE id = 84"), 0);
    t_exec(f->raw, "DELETE FROM children WHERE id = 83");
    assert_int_equal(browse_child_search(f->s, "ali khan", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM child_name_words WHERE id = 83"), 0);
    /* A name changed by another program is found by its new name. */
    t_exec(f->raw, "UPDATE children SET first_name = 'Aoife' WHERE id = 70");
    assert_int_equal(browse_child_search(f->s, "aoife", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(browse_child_search(f->s, "oisin", c, 80, &n), EXIT_OK);
    assert_int_equal(n, 0);
}

static void test_duplicates(void **state)
{
    fixture *f = *state;
    browse_child c[8];
    int n;
    assert_int_equal(browse_child_duplicates(f->s, "John", "Smith", "2014-05-05", c, 8, &n),
                     EXIT_OK);
    assert_int_equal(n, 2); /* John Smith and Jon Smyth, not Mary Jones */
    assert_int_equal(browse_child_duplicates(f->s, "Smith", "John", "2014-05-05", c, 8, &n),
                     EXIT_OK);
    assert_int_equal(n, 1); /* swapped names */
    assert_int_equal(c[0].id, 62);
    assert_int_equal(browse_child_duplicates(f->s, "J.", "Smith", "2014-05-05", c, 8, &n), EXIT_OK);
    assert_int_equal(n, 1); /* same surname and initial */
    assert_int_equal(browse_child_duplicates(f->s, "John", "Smith", "2014-05-06", c, 8, &n),
                     EXIT_OK);
    assert_int_equal(n, 0); /* another date of birth */
    assert_int_equal(browse_child_duplicates(f->s, "Peter", "Parker", "2014-05-05", c, 8, &n),
                     EXIT_OK);
    assert_int_equal(n, 0);
    /* Names compared as every search folds them (issue 10): accents and case. */
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob) "
                   "VALUES (90, 'LA90', 'Łucja', 'Dąbrowska', '2015-03-03')");
    assert_int_equal(browse_child_duplicates(f->s, "lucja", "dabrowska", "2015-03-03", c, 8, &n),
                     EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].id, 90);
    assert_int_equal(browse_child_duplicates(f->s, "LUCIA", "DABROWSKA", "2015-03-03", c, 8, &n),
                     EXIT_OK);
    assert_int_equal(n, 1); /* one letter off, in capitals */
}

static void test_search_index_follows_changes(void **state)
{
    fixture *f = *state;
    browse_filter flt;
    browse_filter_init(&flt);
    snprintf(flt.text, sizeof flt.text, "Zebedee");
    long n;
    bool more;
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_int_equal(n, 0);
    t_exec(f->raw, "UPDATE children SET first_name = 'Zebedee' WHERE id = 4");
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_int_equal(n, 4);
    snprintf(flt.text, sizeof flt.text, "Brook PRU");
    long before;
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &before, &more), EXIT_OK);
    t_exec(f->raw, "UPDATE schools SET name = 'Willow PRU' WHERE id = 2");
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_int_equal(n, 0);
    snprintf(flt.text, sizeof flt.text, "willow");
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_int_equal(n, before);
    t_exec(f->raw, "UPDATE referrals SET summary = 'quokka' WHERE id = 7");
    snprintf(flt.text, sizeof flt.text, "quokka");
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_int_equal(n, 1);
    t_exec(f->raw,
           "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, sen, "
           "summary) VALUES (5000, 'RNEW', 4, '2022-02-01', 'school', 'cme', 'cin', 'none', "
           "'quokka again')");
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_int_equal(n, 2);
    t_exec(f->raw, "DELETE FROM referrals WHERE id = 5000");
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_int_equal(n, 1);
}

/* The search index's structure record (FTS5 writes it whenever it writes a segment). */
static void index_structure(sqlite3 *db, char *out, size_t n)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT hex(block) || ':' || (SELECT count(*) FROM "
                                        "referral_search_data) FROM referral_search_data "
                                        "WHERE id = 10",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void test_search_unchanged_text_not_rewritten(void **state)
{
    fixture *f = *state;
    browse_filter flt;
    browse_filter_init(&flt);
    snprintf(flt.text, sizeof flt.text, "quokka");
    long n;
    bool more;
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_int_equal(n, 0);
    static char before[65536], after[65536];
    index_structure(f->raw, before, sizeof before);
    /* Every referral noted, as a rebuild does (DERIVED.md) and as another program's change of
     * columns the text does not hold may: the text each would get is the one it has. */
    t_exec(f->raw, "INSERT OR IGNORE INTO search_stale(id) SELECT id FROM referrals");
    assert_int_equal(store_search_current(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM search_stale"), 0);
    index_structure(f->raw, after, sizeof after);
    assert_string_equal(before, after); /* nothing written */
    t_exec(f->raw, "UPDATE referrals SET summary = 'quokka' WHERE id = 7");
    assert_int_equal(store_search_current(f->s), EXIT_OK);
    index_structure(f->raw, after, sizeof after);
    assert_string_not_equal(before, after);
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_int_equal(n, 1);
}

/* Noted rows folded a few at a time (store_search_catch_up, as after a pack is applied): each batch
 * folds the lowest notes and forgets exactly those, whether the row is new, changed, gone, or
 * noted with the text it has; in the end every copy is what the one definition gives. */
static void test_search_catch_up_in_batches(void **state)
{
    fixture *f = *state;
    store_defer_search(f->s); /* outside a transaction: no effect */
    t_exec(f->raw, "BEGIN");
    t_exec(f->raw, "UPDATE referrals SET summary = 'quokka ' || id WHERE id % 9 = 0");
    t_exec(f->raw, "DELETE FROM referral_follow_up WHERE id IN (11, 13)");
    t_exec(f->raw, "DELETE FROM actions WHERE referral_id IN (11, 13)");
    t_exec(f->raw, "DELETE FROM referrals WHERE id IN (11, 13)");
    t_exec(f->raw, "UPDATE children SET first_name = 'Zoë', last_name = 'O''Neil' WHERE id = 4");
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob, care_status, "
                   "sen) VALUES (70, 'LA070', 'Émile', 'Dupont-Smith', '2013-01-01', 'cin', "
                   "'none'), (71, 'LA071', 'Ann', 'Lee', '2013-01-01', 'cin', 'none')");
    for (int i = 0; i < 7; i++) {
        char q[512];
        snprintf(q, sizeof q,
                 "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, "
                 "sen, summary) VALUES (%d, 'RB%d', %d, '2022-02-01', 'school', 'cme', 'cin', "
                 "'none', 'new one %d')",
                 6000 + i, i, 70 + i % 2, i);
        t_exec(f->raw, q);
    }
    /* Noted with the text they have. */
    t_exec(f->raw,
           "INSERT OR IGNORE INTO search_stale(id) SELECT id FROM referrals WHERE id % 5 = 0");
    t_exec(f->raw, "INSERT OR IGNORE INTO child_names_stale(id) SELECT id FROM children "
                   "WHERE id % 6 = 0");
    t_exec(f->raw, "COMMIT");
    long noted = t_long(f->raw, "SELECT count(*) FROM search_stale");
    assert_true(noted > 60);
    assert_int_equal(store_search_catch_up(f->s, 4, 0, 0), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM search_stale"), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM child_names_stale"), 0);
    check_ctx c = {.s = f->s, .as_of = f->as_of};
    check_result r = {0};
    assert_int_equal(check_search_index(&c, &r), EXIT_OK);
    assert_int_equal(r.problems, 0);
    memset(&r, 0, sizeof r);
    assert_int_equal(check_child_names(&c, &r), EXIT_OK);
    assert_int_equal(r.problems, 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_search WHERE rowid IN (11, 13)"),
                     0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM child_names WHERE id = 4 AND "
                                    "first = 'zoe' AND last = 'oneil'"),
                     1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_search "
                                    "WHERE referral_search MATCH '\"emile\" AND \"new one\"'"),
                     4);
}

static void test_short_text_budget(void **state)
{
    fixture *f = *state;
    browse_filter flt;
    browse_filter_init(&flt);
    snprintf(flt.text, sizeof flt.text, "zq"); /* matches nothing: every row is looked at */
    long n;
    bool more;
    browse_row rows[8];
    int got;
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_false(browse_partial(f->s));
    assert_false(more);
    assert_int_equal(n, 0);
    setenv("CASELOAD_SEARCH_BUDGET_MS", "0", 1); /* none: spent at the first check */
    /* The count runs out of time and is finished by looking at every referral: exact. */
    assert_int_equal(browse_count(f->s, &flt, &f->w, f->as_of, 1000, &n, &more), EXIT_OK);
    assert_true(browse_partial(f->s));
    assert_false(more);
    assert_int_equal(n, 0);
    assert_int_equal(browse_page(f->s, &flt, &f->w, f->as_of, NULL, 8, rows, &got), EXIT_OK);
    assert_true(browse_partial(f->s));
    setenv("CASELOAD_SEARCH_BUDGET_MS", "600000", 1);
}

/* Every row of flt, in pages of 7, into ids (*n of them), and its count; none stops short. */
static void search_all(fixture *f, const browse_filter *flt, int64_t *ids, int max, int *n,
                       long *count)
{
    browse_row rows[7];
    browse_key key;
    int got;
    *n = 0;
    do {
        assert_int_equal(browse_page(f->s, flt, &f->w, f->as_of, *n ? &key : NULL, 7, rows, &got),
                         EXIT_OK);
        assert_false(browse_partial(f->s));
        for (int i = 0; i < got && *n < max; i++)
            ids[(*n)++] = rows[i].id;
        if (got) key = browse_key_of(&rows[got - 1]);
    } while (got == 7);
    bool more;
    assert_int_equal(browse_count(f->s, flt, &f->w, f->as_of, 100000, count, &more), EXIT_OK);
    assert_false(more);
}

/* Every row of flt on s, in pages of 7, into ids (*n of them); *partial when a page stopped at
 * its budget. */
static void pages_of(store *s, fixture *f, const browse_filter *flt, int64_t *ids, int max, int *n,
                     bool *partial)
{
    browse_row rows[7];
    browse_key key;
    int got;
    *n = 0;
    *partial = false;
    do {
        assert_int_equal(browse_page(s, flt, &f->w, f->as_of, *n ? &key : NULL, 7, rows, &got),
                         EXIT_OK);
        *partial = *partial || browse_partial(s);
        for (int i = 0; i < got && *n < max; i++)
            ids[(*n)++] = rows[i].id;
        if (got) key = browse_key_of(&rows[got - 1]);
    } while (got == 7);
}

/* What one store's queries learn (its budgets, the text too common for its index, whether its
 * last query stopped short) never changes another's answers: two stores in one process answer
 * independently. (This state was once file-level statics in browse.c: a budget of 0 set on one
 * store cut the other's search short.) */
static void test_two_stores_answer_independently(void **state)
{
    fixture *f = *state;
    store *s2;
    char err[256];
    assert_int_equal(store_open(f->path, 0, &s2, err, sizeof err), EXIT_OK);
    browse_filter flt;
    browse_filter_init(&flt);
    snprintf(flt.text, sizeof flt.text, "late"); /* most referrals: the index or the walk */
    int64_t full[NREF + 10], cut[NREF + 10], other[NREF + 10];
    int nfull, ncut, nother;
    bool partial;
    pages_of(f->s, f, &flt, full, NREF + 10, &nfull, &partial);
    assert_false(partial);
    assert_true(nfull > 100);
    /* No time at all on the first store: its index gives way, its walk stops at once. */
    browse_set_budget(f->s, 0, 0);
    pages_of(f->s, f, &flt, cut, NREF + 10, &ncut, &partial);
    assert_true(partial);
    assert_true(ncut < nfull);
    /* The second store keeps its own budget and finds every row, as the first did before. */
    pages_of(s2, f, &flt, other, NREF + 10, &nother, &partial);
    assert_false(partial);
    assert_int_equal(nother, nfull);
    assert_memory_equal(other, full, sizeof *full * (size_t)nfull);
    long count;
    bool more;
    assert_int_equal(browse_count(s2, &flt, &f->w, f->as_of, 100000, &count, &more), EXIT_OK);
    assert_false(more);
    assert_int_equal(count, nfull);
    assert_true(browse_partial(f->s)); /* the first store's last query, as it was */
    /* Back to its usual budget, the first store answers as the second. */
    browse_default_budget(f->s);
    pages_of(f->s, f, &flt, cut, NREF + 10, &ncut, &partial);
    assert_false(partial);
    assert_int_equal(ncut, nfull);
    assert_memory_equal(cut, full, sizeof *full * (size_t)nfull);
    store_close(s2);
}

/* Names with accents, a Devanagari one, and a school whose URN and name are searched. */
static void add_accented(fixture *f)
{
    t_exec(f->raw, "INSERT INTO schools(id, urn, name) VALUES (3, '131313', 'Eastbrook Academy');"
                   "INSERT INTO children(id, la_child_id, first_name, last_name, dob, school_id, "
                   "care_status, sen) VALUES "
                   "(70, 'LA070', 'Oisín', 'Khan', '2013-01-01', 3, 'cin', 'none'), "
                   "(71, 'LA071', 'Łucja', 'Dąbrowska', '2013-01-02', 3, 'cin', 'none'), "
                   "(72, 'LA072', 'Seán', 'MÜLLER', '2013-01-03', 1, 'cin', 'none'), "
                   "(73, 'LA073', 'Zoë', 'Khan', '2013-01-04', 2, 'cin', 'none'), "
                   "(74, 'LA074', 'अनन्या', 'शर्मा', '2013-01-05', 3, 'cin', 'none');"
                   "INSERT INTO referrals(id, ref, child_id, received, source, issue, status, "
                   "care_status, sen, summary) VALUES "
                   "(700, 'R0700', 70, '2021-10-01', 'school', 'cme', 'new', 'cin', 'none', ''), "
                   "(701, 'R0701', 71, '2021-10-01', 'school', 'cme', 'new', 'cin', 'none', "
                   "'Straße'), "
                   "(702, 'R0702', 72, '2021-10-01', 'school', 'sen', 'open', 'cin', 'none', ''), "
                   "(703, 'R0703', 73, '2021-10-01', 'school', 'cme', 'new', 'cin', 'none', ''), "
                   "(704, 'R0704', 74, '2021-10-01', 'school', 'cme', 'new', 'cin', 'none', ''), "
                   "(705, 'R0705', 70, '2021-10-02', 'school', 'ehe', 'new', 'cin', 'none', "
                   "'moved to Eastbrook')");
}

/* The sidebar's counts under flt by slices of `ids` (browse_issue_counts_slice), from the first
 * until done; how many slices it took in *slices. */
static void counts_by_slices(fixture *f, const browse_filter *flt, int ids, long *counts, long *all,
                             int *slices)
{
    memset(counts, 0, sizeof *counts * codes_count(CODES_ISSUE));
    *all = 0;
    *slices = 0;
    int64_t from = INT64_MIN;
    bool done = false;
    while (!done) {
        assert_int_equal(
            browse_issue_counts_slice(f->s, flt, &f->w, f->as_of, ids, &from, counts, all, &done),
            EXIT_OK);
        assert_false(browse_partial(f->s));
        assert_true(++*slices < 10000);
    }
}

/* A text of one or two characters is counted slice by slice (the app's idle time), every
 * referral checked: exact whatever the budget, where the counts of one call stop at theirs (a
 * budget of 0 here, a loaded machine in the app). */
static void test_short_text_counts_by_slices(void **state)
{
    fixture *f = *state;
    add_accented(f);
    /* Ids as a hub gives them (SYNC.md: far from 0, not dense). */
    t_exec(f->raw, "INSERT INTO referrals(id, ref, child_id, received, source, issue, status, "
                   "care_status, sen, summary) VALUES "
                   "(2328366449074110468, 'R9001', 71, '2021-10-01', 'school', 'cme', 'new', "
                   "'cin', 'none', 'a small note'), "
                   "(2328366449076110768, 'R9002', 72, '2021-10-01', 'school', 'sen', 'open', "
                   "'cin', 'none', 'ok')");
    static const char *const texts[] = {"a", "sm", "ok", "zq", "e l", "%", "R0 1", "ë", "ß"};
    size_t ni = codes_count(CODES_ISSUE);
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (int variant = 0; variant < 4; variant++) {
            browse_filter flt;
            if (variant == 1)
                browse_filter_default(&flt); /* the live referrals, as the app starts */
            else
                browse_filter_init(&flt);
            if (variant == 2) flt.band = BAND_AMBER;
            if (variant == 3) snprintf(flt.officer, sizeof flt.officer, "AB");
            flt.issue = variant == 1 ? ISSUE_CME : -1; /* the slices count every issue */
            snprintf(flt.text, sizeof flt.text, "%s", texts[t]);
            assert_true(browse_counts_sliced(&flt));
            long want[32], wall, got[32], gall;
            bool more;
            browse_set_budget(f->s, BROWSE_NO_BUDGET, BROWSE_NO_BUDGET);
            assert_int_equal(browse_issue_counts_filtered(f->s, &flt, &f->w, f->as_of, 100000, want,
                                                          &wall, &more),
                             EXIT_OK);
            assert_false(more);
            browse_set_budget(f->s, 0, 0);
            int slices;
            counts_by_slices(f, &flt, 7, got, &gall, &slices);
            if (gall != wall)
                fail_msg("\"%s\" (variant %d): %ld by slices, %ld at once", texts[t], variant, gall,
                         wall);
            assert_memory_equal(got, want, sizeof *got * ni);
            assert_true(slices > 30); /* about 250 referrals, 7 at a time */
            /* One slice of all the ids: the same. */
            counts_by_slices(f, &flt, 1000000, got, &gall, &slices);
            assert_int_equal(slices, 1);
            assert_int_equal(gall, wall);
        }
    browse_default_budget(f->s);
    /* Not by slices: a word for the index, no text, a follow-up filter (its own walk). */
    browse_filter flt;
    browse_filter_init(&flt);
    assert_false(browse_counts_sliced(&flt));
    snprintf(flt.text, sizeof flt.text, "smi");
    assert_false(browse_counts_sliced(&flt));
    snprintf(flt.text, sizeof flt.text, "smi a");
    assert_false(browse_counts_sliced(&flt));
    snprintf(flt.text, sizeof flt.text, "sm");
    flt.follow_up = BROWSE_FOLLOW_OVERDUE;
    assert_false(browse_counts_sliced(&flt));
}

/* A search answers the same however its budget runs: with none for the trigram index (every
 * text walks the list order, checking each row) and with no budget at all (every text of 3+
 * characters read from the index and sorted). The two once read different texts: the index the
 * fields joined, the walk each field alone ("Khan Eastbrook" matched only through the index). */
static void test_search_same_with_any_budget(void **state)
{
    fixture *f = *state;
    add_accented(f);
    static const char *const texts[] = {"Khan Eastbrook",
                                        "eastbrook khan",
                                        "late",
                                        "late most days",
                                        "ok",
                                        "Brook PRU",
                                        "amy oakfield",
                                        "oakfield amy R00",
                                        "managed move",
                                        "LA00",
                                        "100001 smith",
                                        "131313",
                                        "zoe",
                                        "ZOË",
                                        "oisin khan",
                                        "lucja dabrowska",
                                        "DĄBROWSKA łucja",
                                        "muller sean",
                                        "strasse",
                                        "शर्मा",
                                        "a\"b",
                                        "%",
                                        "e l",
                                        "R0 1",
                                        "a",
                                        "sm",
                                        "zq",
                                        "nothing at all"};
    static const int issue[] = {-1, ISSUE_CME};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        for (size_t k = 0; k < sizeof issue / sizeof *issue; k++) {
            browse_filter flt;
            browse_filter_init(&flt);
            flt.issue = issue[k];
            snprintf(flt.text, sizeof flt.text, "%s", texts[t]);
            int64_t walk[NREF + 10], index[NREF + 10];
            int nwalk, nindex;
            long cwalk, cindex;
            browse_set_budget(f->s, 0, BROWSE_NO_BUDGET);
            search_all(f, &flt, walk, NREF + 10, &nwalk, &cwalk);
            browse_set_budget(f->s, BROWSE_NO_BUDGET, BROWSE_NO_BUDGET);
            search_all(f, &flt, index, NREF + 10, &nindex, &cindex);
            if (nwalk != nindex)
                fail_msg("\"%s\": %d rows walking, %d from the index", texts[t], nwalk, nindex);
            assert_memory_equal(walk, index, sizeof *walk * (size_t)nwalk);
            assert_int_equal(cwalk, nwalk);
            assert_int_equal(cindex, nindex);
        }
    }
    browse_default_budget(f->s);
}

/* The page before or after key (NULL: the end, or the top) as the app gets it: browse_page(_before)
 * at once, and, when that stops at its budget, the rest found slice by slice (browse_scan, as the
 * app's idle time does; `ids` referrals a slice). Returns whether the budget ran out. */
static bool page_as_app(fixture *f, const browse_filter *flt, bool before, const browse_key *key,
                        int limit, int ids, browse_row *rows, int *got)
{
    if (before)
        assert_int_equal(browse_page_before(f->s, flt, &f->w, f->as_of, key, limit, rows, got),
                         EXIT_OK);
    else
        assert_int_equal(browse_page(f->s, flt, &f->w, f->as_of, key, limit, rows, got), EXIT_OK);
    if (!browse_partial(f->s)) return false;
    browse_scan sc;
    browse_scan_init(&sc, false);
    assert_int_equal(browse_scan_page(&sc, before, key, limit), EXIT_OK);
    int slices = 0;
    while (!sc.done) {
        assert_int_equal(browse_scan_slice(f->s, flt, &f->w, f->as_of, ids, &sc), EXIT_OK);
        assert_true(++slices < 100000);
    }
    /* The rows found at once are the first of the page (after the key; before it, the last). */
    browse_row first[16];
    int nfirst = *got;
    assert_true(nfirst <= 16);
    memcpy(first, rows, sizeof *rows * (size_t)nfirst);
    assert_int_equal(browse_scan_rows(f->s, &f->w, f->as_of, &sc, rows, got), EXIT_OK);
    browse_scan_free(&sc);
    assert_true(nfirst <= *got);
    for (int i = 0; i < nfirst; i++)
        if (first[i].id != rows[before ? *got - nfirst + i : i].id)
            fail_msg("\"%s\" (%s %s): row %d of %d found at once is %lld, by slices %lld",
                     flt->text, before ? "before" : "after", key ? "a key" : "the edge", i, nfirst,
                     (long long)first[i].id, (long long)rows[before ? *got - nfirst + i : i].id);
    return true;
}

/* Every row of flt as the app pages through it, 7 a page, from the top (ids in list order) and
 * from the end (back in list order); *cut: pages that ran out of time. */
static void every_page_as_app(fixture *f, const browse_filter *flt, int64_t *down, int *ndown,
                              int64_t *up, int *nup, int *cut)
{
    browse_row rows[7];
    browse_key key;
    int got;
    *ndown = 0;
    do {
        *cut += page_as_app(f, flt, false, *ndown ? &key : NULL, 7, 3, rows, &got);
        for (int i = 0; i < got; i++)
            down[(*ndown)++] = rows[i].id;
        if (got) key = browse_key_of(&rows[got - 1]);
        assert_true(*ndown <= NREF + 10);
    } while (got == 7);
    *nup = 0;
    do {
        *cut += page_as_app(f, flt, true, *nup ? &key : NULL, 7, 1000, rows, &got);
        for (int i = got - 1; i >= 0; i--)
            up[(*nup)++] = rows[i].id;
        if (got) key = browse_key_of(&rows[0]);
        assert_true(*nup <= NREF + 10);
    } while (got == 7);
}

/* The sidebar's counts under flt as the app gets them: at once, or, out of time, slice by
 * slice. */
static void counts_as_app(fixture *f, const browse_filter *flt, long *counts, long *all, int *cut)
{
    bool more;
    assert_int_equal(
        browse_issue_counts_filtered(f->s, flt, &f->w, f->as_of, LONG_MAX, counts, all, &more),
        EXIT_OK);
    if (!more) return;
    assert_true(browse_partial(f->s));
    ++*cut;
    browse_scan sc;
    browse_scan_init(&sc, true);
    while (!sc.done)
        assert_int_equal(browse_scan_slice(f->s, flt, &f->w, f->as_of, 5, &sc), EXIT_OK);
    memcpy(counts, sc.issue_counts, sizeof *counts * codes_count(CODES_ISSUE));
    *all = sc.all;
    browse_scan_free(&sc);
}

/* Every query that has a time budget answers the same with a budget of 0 and with none (issue 8):
 * the pages from the top and from the end, the sidebar's counts, the count shown, for a short
 * text few referrals hold, a short common one, a word of 3+ letters, several words, under the
 * app's other filters. Out of time, a page once showed the rows found so far and a count "N+". */
static void test_every_query_same_with_any_budget(void **state)
{
    fixture *f = *state;
    add_accented(f);
    static const char *const texts[] = {
        "kh", "ß", "zq", "a", "sm", "late", "smith", "Khan Eastbrook", "smi a", "oakfield amy R00"};
    size_t ni = codes_count(CODES_ISSUE);
    int cut = 0, cut_pages = 0;
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (int variant = 0; variant < 6; variant++) {
            browse_filter flt;
            browse_filter_init(&flt);
            if (variant == 1)
                browse_filter_default(&flt); /* the live referrals, as the app starts */
            if (variant == 2) flt.issue = ISSUE_CME;
            if (variant == 3) flt.band = BAND_AMBER;
            if (variant == 4) flt.follow_up = BROWSE_FOLLOW_OVERDUE;
            if (variant == 5) snprintf(flt.officer, sizeof flt.officer, "AB");
            snprintf(flt.text, sizeof flt.text, "%s", texts[t]);
            int64_t down[2][NREF + 10], up[2][NREF + 10];
            int ndown[2], nup[2];
            long counts[2][32], all[2], count[2];
            for (int b = 0; b < 2; b++) {
                if (b == 0)
                    browse_set_budget(f->s, BROWSE_NO_BUDGET, BROWSE_NO_BUDGET);
                else
                    browse_set_budget(f->s, 0, 0);
                int pcut = 0, ccut = 0;
                every_page_as_app(f, &flt, down[b], &ndown[b], up[b], &nup[b], &pcut);
                counts_as_app(f, &flt, counts[b], &all[b], &ccut);
                bool more;
                assert_int_equal(
                    browse_count(f->s, &flt, &f->w, f->as_of, 100000, &count[b], &more), EXIT_OK);
                assert_false(more);
                if (b == 0) assert_int_equal(pcut + ccut, 0); /* no budget: never cut */
                cut += ccut;
                cut_pages += pcut;
            }
            if (ndown[0] != ndown[1] || nup[0] != nup[1])
                fail_msg("\"%s\" (variant %d): %d/%d rows with no budget, %d/%d with 0", texts[t],
                         variant, ndown[0], nup[0], ndown[1], nup[1]);
            assert_memory_equal(down[0], down[1], sizeof **down * (size_t)ndown[0]);
            assert_memory_equal(up[0], up[1], sizeof **up * (size_t)nup[0]);
            assert_int_equal(nup[0], ndown[0]);
            for (int i = 0; i < ndown[0]; i++) /* the same rows either way, in list order */
                assert_int_equal(down[0][i], up[0][ndown[0] - 1 - i]);
            assert_memory_equal(counts[0], counts[1], sizeof **counts * ni);
            assert_int_equal(all[0], all[1]);
            long shown = flt.issue >= 0 ? counts[0][flt.issue] : all[0];
            assert_int_equal(count[0], shown);
            assert_int_equal(count[1], shown);
            assert_int_equal(shown, ndown[0]);
        }
    assert_true(cut_pages > 50); /* the budget of 0 did cut pages and counts short */
    assert_true(cut > 20);
    browse_default_budget(f->s);
}

/* Names are found however they are typed (text_fold), the words in any order; the LA child id
 * and the school's URN are searched too; other scripts are searched as they are. */
static void test_search_folded(void **state)
{
    fixture *f = *state;
    add_accented(f);
    static const struct {
        const char *text;
        const char *ids;
    } cases[] = {
        {"oisin", "700,705"},
        {"OISÍN KHAN", "700,705"},
        {"khan oisin", "700,705"},
        {"lucja dabrowska", "701"},
        {"dąbrowska Łucja", "701"},
        {"sean", "702"},
        {"muller", "702"},
        {"zoe khan", "703"},
        {"zoe", "703"},
        {"strasse", "701"},
        {"शर्मा", "704"},
        {"la074", "704"},
        {"131313 khan", "700,705"},
        {"khan eastbrook", "700,705"},
        {"khan 131313 moved", "705"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        browse_filter flt;
        browse_filter_init(&flt);
        snprintf(flt.text, sizeof flt.text, "%s", cases[i].text);
        int64_t ids[NREF + 10];
        int n;
        long count;
        search_all(f, &flt, ids, NREF + 10, &n, &count);
        /* In id order, to compare with the expected list. */
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++)
                if (ids[b] < ids[a]) {
                    int64_t t = ids[a];
                    ids[a] = ids[b];
                    ids[b] = t;
                }
        char got[256] = "";
        for (int a = 0; a < n; a++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld", a ? "," : "",
                     (long long)ids[a]);
        if (strcmp(got, cases[i].ids) != 0)
            fail_msg("\"%s\": found %s, want %s", cases[i].text, got, cases[i].ids);
    }
}

/* ---- query plans ---- */

static int trace_cb(unsigned type, void *ctx, void *p, void *x)
{
    (void)type;
    (void)x;
    traced *t = ctx;
    const char *q = sqlite3_sql((sqlite3_stmt *)p);
    if (t->n < 16 && q && strstr(q, t->mark)) {
        snprintf(t->sql[t->n++], sizeof t->sql[0], "%s", q);
    }
    return 0;
}

/* The plan of q as one text ("|"-separated details). */
static void plan_of(fixture *f, const char *q, char *out, size_t n)
{
    char eqp[16500];
    snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", q);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(f->s->db, eqp, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", eqp, sqlite3_errmsg(f->s->db));
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s|", (const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
}

/* Runs a page, a page after a key, a page before a key, the end and a count under flt and
 * checks each list query's plan. */
static void check_plans(fixture *f, const browse_filter *flt, bool sorted_ok, const char *index)
{
    static traced t;
    t.n = 0;
    t.mark = "referrals r ";
    sqlite3_trace_v2(f->s->db, SQLITE_TRACE_STMT, trace_cb, &t);
    browse_row rows[4];
    int n;
    browse_key k = {5, 100, "2022-02-15"};
    long c;
    bool more;
    assert_int_equal(browse_page(f->s, flt, &f->w, f->as_of, NULL, 4, rows, &n), EXIT_OK);
    assert_int_equal(browse_page(f->s, flt, &f->w, f->as_of, &k, 4, rows, &n), EXIT_OK);
    assert_int_equal(browse_page_before(f->s, flt, &f->w, f->as_of, &k, 4, rows, &n), EXIT_OK);
    assert_int_equal(browse_page_before(f->s, flt, &f->w, f->as_of, NULL, 4, rows, &n), EXIT_OK);
    assert_int_equal(browse_count(f->s, flt, &f->w, f->as_of, 100, &c, &more), EXIT_OK);
    sqlite3_trace_v2(f->s->db, 0, NULL, NULL);
    if (t.n < 4) fail_msg("traced %d: %s", t.n, t.n ? t.sql[0] : "");
    for (int i = 0; i < t.n; i++) {
        char plan[16384];
        plan_of(f, t.sql[i], plan, sizeof plan);
        bool count = strncmp(t.sql[i], "SELECT count(*)", 15) == 0;
        /* A page of several arms merges their keys (co-routine k, at most the limit's rows) and
         * sorts only those: its walk of k (the last SCAN k) and that sort are allowed. */
        bool keys = strstr(plan, "CO-ROUTINE k|") && strstr(t.sql[i], " LIMIT ?10) k CROSS JOIN ");
        char *walk = NULL;
        for (char *p = plan; keys && (p = strstr(p, "|SCAN k|")) != NULL; p++)
            walk = p;
        if (walk) memcpy(walk + 1, "WALK", 4);
        /* No full scan of a table: every SCAN names an index (or the FTS table). */
        check_no_scan(t.sql[i], plan, "");
        if (!sorted_ok && !count && !keys && strstr(plan, "TEMP B-TREE"))
            fail_msg("temp b-tree for %s\nplan: %s", t.sql[i], plan);
        if (index && !strstr(plan, index))
            fail_msg("expected index %s for %s\nplan: %s", index, t.sql[i], plan);
    }
}

/* The plan of a slice of flt's counts: the slice is a range of referral_list's key. */
static void check_slice_plan(fixture *f, const browse_filter *flt)
{
    static traced t;
    t.n = 0;
    t.mark = "k.id > ?15";
    sqlite3_trace_v2(f->s->db, SQLITE_TRACE_STMT, trace_cb, &t);
    long counts[32], all = 0;
    int64_t from = INT64_MIN;
    bool done;
    assert_int_equal(
        browse_issue_counts_slice(f->s, flt, &f->w, f->as_of, 100, &from, counts, &all, &done),
        EXIT_OK);
    sqlite3_trace_v2(f->s->db, 0, NULL, NULL);
    assert_int_equal(t.n, 1);
    char plan[16384];
    plan_of(f, t.sql[0], plan, sizeof plan);
    check_no_scan(t.sql[0], plan, "");
    if (!strstr(plan, "SEARCH k USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"))
        fail_msg("not a range of referral_list's key: %s\nplan: %s", t.sql[0], plan);
    if (strstr(plan, "TEMP B-TREE")) fail_msg("temp b-tree for %s\nplan: %s", t.sql[0], plan);
}

/* Follow-ups are tasks (SPEC section 8): an action without a follow-up leaves the pending one; a
 * back-dated action's follow-up counts; the next one is the earliest pending; one marked done, or
 * the referral closed, is no longer pending; reopened, the follow-ups not done are again. */
static void test_follow_ups_are_tasks(void **state)
{
    fixture *f = *state;
    browse_detail d;
    /* Referral 10 (open): a call on 2022-01-10 with a follow-up on 2022-02-11. */
    t_exec(f->raw, "INSERT INTO actions(id, referral_id, date, kind, note) "
                   "VALUES (9001, 10, '2022-02-20', 'email', 'no follow-up')");
    assert_int_equal(browse_referral(f->s, 10, &f->w, f->as_of, &d), EXIT_OK);
    assert_string_equal(d.row.follow_up, "2022-02-11");
    t_exec(f->raw, "INSERT INTO actions(id, referral_id, date, kind, note, follow_up) "
                   "VALUES (9002, 10, '2022-02-25', 'visit', 'later', '2022-03-10'), "
                   "(9003, 10, '2021-12-01', 'call', 'back-dated', '2022-01-05')");
    assert_int_equal(browse_referral(f->s, 10, &f->w, f->as_of, &d), EXIT_OK);
    assert_string_equal(d.row.follow_up, "2022-01-05");
    browse_follow_up fu[8];
    int n;
    assert_int_equal(browse_follow_ups_pending(f->s, 10, fu, 8, &n), EXIT_OK);
    assert_int_equal(n, 3);
    assert_string_equal(fu[0].follow_up, "2022-01-05");
    assert_string_equal(fu[1].follow_up, "2022-02-11");
    assert_string_equal(fu[2].follow_up, "2022-03-10");
    t_exec(f->raw, "INSERT INTO follow_up_done(action_id, date) VALUES (9003, '2022-01-06')");
    assert_int_equal(browse_referral(f->s, 10, &f->w, f->as_of, &d), EXIT_OK);
    assert_string_equal(d.row.follow_up, "2022-02-11");
    t_exec(f->raw, "UPDATE referrals SET status = 'closed', closed = '2022-02-28' WHERE id = 10");
    assert_int_equal(browse_referral(f->s, 10, &f->w, f->as_of, &d), EXIT_OK);
    assert_string_equal(d.row.follow_up, "");
    assert_int_equal(browse_follow_ups_pending(f->s, 10, fu, 8, &n), EXIT_OK);
    assert_int_equal(n, 0);
    t_exec(f->raw, "UPDATE referrals SET status = 'open', closed = NULL WHERE id = 10");
    assert_int_equal(browse_referral(f->s, 10, &f->w, f->as_of, &d), EXIT_OK);
    assert_string_equal(d.row.follow_up, "2022-02-11");
    t_exec(f->raw, "DELETE FROM actions WHERE id = 9002");
    t_exec(f->raw, "DELETE FROM follow_up_done");
    assert_int_equal(browse_referral(f->s, 10, &f->w, f->as_of, &d), EXIT_OK);
    assert_string_equal(d.row.follow_up, "2022-01-05");
    /* The derived table equals its definition, row for row. */
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM (SELECT id, follow_up FROM "
                                    "referral_follow_up EXCEPT SELECT id, follow_up FROM "
                                    "referral_follow_up_source)"),
                     0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM (SELECT id, follow_up FROM "
                                    "referral_follow_up_source EXCEPT SELECT id, follow_up FROM "
                                    "referral_follow_up)"),
                     0);
    browse_filter flt;
    browse_filter_init(&flt);
    flt.follow_up = BROWSE_FOLLOW_DUE;
    check_follow_walk(f, &flt, NEXT_FOLLOW_UP " <= '2022-03-01'", 3);
}

/* A page of the live referrals (new and open: 20 arms, one per issue and status) writes the page's
 * columns once, outside the merge of the arms' keys (issue 8: a statement a fifth as long to
 * prepare); the page the same as one sorted by (score DESC, id). */
static void test_page_columns_once(void **state)
{
    fixture *f = *state;
    static traced t;
    t.n = 0;
    t.mark = "referrals r ";
    browse_filter flt;
    browse_filter_init(&flt);
    flt.statuses = BROWSE_STATUS(STATUS_NEW) | BROWSE_STATUS(STATUS_OPEN);
    browse_row rows[8];
    int n;
    sqlite3_trace_v2(f->s->db, SQLITE_TRACE_STMT, trace_cb, &t);
    assert_int_equal(browse_page(f->s, &flt, &f->w, f->as_of, NULL, 8, rows, &n), EXIT_OK);
    sqlite3_trace_v2(f->s->db, 0, NULL, NULL);
    assert_int_equal(t.n, 1);
    int columns = 0;
    for (const char *p = t.sql[0]; (p = strstr(p, "FROM schools")) != NULL; p++)
        columns++;
    assert_int_equal(columns, 1);
    assert_int_equal(n, 8);
    char want[512] = "", got[512] = "";
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(f->raw,
                                        "SELECT id FROM referral_list WHERE status IN ('new', "
                                        "'open') ORDER BY score DESC, id LIMIT 8",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%lld ",
                 (long long)sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%lld ", (long long)rows[i].id);
    assert_string_equal(got, want);
}

static void test_query_plans(void **state)
{
    fixture *f = *state;
    t_exec(f->raw, "ANALYZE");
    browse_filter flt;
    browse_filter_init(&flt);
    check_plans(f, &flt, false, "referral_list_score");
    /* An issue alone: the ranges of each status, merged (no sort). */
    flt.issue = ISSUE_CME;
    check_plans(f, &flt, false, "referral_list_issue_status");
    snprintf(flt.text, sizeof flt.text, "sm");
    check_plans(f, &flt, false, "referral_list_issue_status");
    flt.text[0] = '\0';
    snprintf(flt.officer, sizeof flt.officer, "AB");
    check_plans(f, &flt, false, "referral_list_issue_status");
    flt.officer[0] = '\0';
    flt.statuses = BROWSE_STATUS(STATUS_OPEN);
    check_plans(f, &flt, false, "referral_list_issue_status");
    flt.band = BAND_RED;
    check_plans(f, &flt, false, "referral_list_issue_status");
    /* A status alone: the ranges of each issue, merged. */
    browse_filter_init(&flt);
    flt.statuses = BROWSE_STATUS(STATUS_NEW);
    check_plans(f, &flt, false, "referral_list_issue_status");
    flt.band = BAND_AMBER;
    check_plans(f, &flt, false, "referral_list_issue_status");
    snprintf(flt.officer, sizeof flt.officer, "AB");
    check_plans(f, &flt, false, "referral_list_officer");
    browse_filter_init(&flt);
    snprintf(flt.officer, sizeof flt.officer, "AB");
    check_plans(f, &flt, false, "referral_list_officer");
    browse_filter_init(&flt);
    flt.band = BAND_GREEN;
    check_plans(f, &flt, false, "referral_list_score");
    browse_filter_init(&flt);
    snprintf(flt.text, sizeof flt.text, "sm");
    check_plans(f, &flt, false, "referral_list_score");
    /* The live referrals (the default): the ranges of each issue and live status, merged. */
    browse_filter_default(&flt);
    check_plans(f, &flt, false, "referral_list_issue_status");
    flt.issue = ISSUE_CME;
    check_plans(f, &flt, false, "referral_list_issue_status");
    snprintf(flt.officer, sizeof flt.officer, "AB");
    check_plans(f, &flt, false, "referral_list_issue_status");
    flt.issue = -1;
    check_plans(f, &flt, false, "referral_list_officer");
    /* Due follow-ups: earliest first, along the follow-up index (no sort). */
    browse_filter_init(&flt);
    flt.follow_up = BROWSE_FOLLOW_OVERDUE;
    check_plans(f, &flt, false, "referral_follow_up_date");
    flt.issue = ISSUE_CME;
    flt.band = BAND_RED;
    check_plans(f, &flt, false, "referral_follow_up_date");
    /* The trigram index starts from the matches and sorts them. */
    browse_filter_init(&flt);
    snprintf(flt.text, sizeof flt.text, "patel"); /* a text no other test ran out of time on */
    check_plans(f, &flt, true, "VIRTUAL TABLE");
    /* A short text's counts by slices: a range of referral_list's key, each row's text by its
     * key, whatever else filters. */
    browse_filter_default(&flt);
    snprintf(flt.text, sizeof flt.text, "sm");
    check_slice_plan(f, &flt);
    flt.band = BAND_RED;
    snprintf(flt.officer, sizeof flt.officer, "AB");
    flt.cohort = 1;
    check_slice_plan(f, &flt);
}

/* Every statement of the child finder reads child_names and child_name_words by an index in the
 * list's order (no sort of every child whose name a keypress begins, no full scan: issue 8's
 * keypress budget). */
static void test_child_search_plans(void **state)
{
    fixture *f = *state;
    static traced t;
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob) VALUES "
                   "(80, 'LA080', 'Amy Jane', 'van der Berg', '2013-02-01'), "
                   "(81, 'LA081', 'Ali', 'Patel-Khan', '2013-02-02')");
    const char *typed[] = {"a", "o", "amelia", "o s", "smith oliver", "berg", "jane b", "ali khan"};
    for (size_t q = 0; q < 2 * sizeof typed / sizeof typed[0]; q++) {
        t.n = 0;
        t.mark = q % 2 ? "FROM child_name_words " : "FROM child_names "; /* at most 16 each */
        sqlite3_trace_v2(f->s->db, SQLITE_TRACE_STMT, trace_cb, &t);
        browse_child found[40];
        int n;
        assert_int_equal(browse_child_search(f->s, typed[q / 2], found, 40, &n), EXIT_OK);
        sqlite3_trace_v2(f->s->db, 0, NULL, NULL);
        if (!t.n) fail_msg("nothing traced for %s", typed[q / 2]);
        for (int i = 0; i < t.n; i++) {
            char plan[16384];
            plan_of(f, t.sql[i], plan, sizeof plan);
            check_no_scan(t.sql[i], plan, "");
            if (strstr(plan, "TEMP B-TREE"))
                fail_msg("temp b-tree for %s\nplan: %s", t.sql[i], plan);
        }
    }
}

int main(void)
{
    setenv("CASELOAD_SEARCH_BUDGET_MS", "600000", 1); /* never cut short here */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pages_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_columns_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_sets_and_issue_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chronology, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_issue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_search_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_index_follows_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_unchanged_text_not_rewritten, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_catch_up_in_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_text_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_same_with_any_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_query_same_with_any_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_text_counts_by_slices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_stores_answer_independently, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_folded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_follow_ups_are_tasks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_plans, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
