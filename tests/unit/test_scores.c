/* test_scores: the facts of SPEC section 3 as of a date on both sides of each boundary, the full
 * refresh (date or weights change, read-only database), scoring_children_changed, and the copy of
 * each child's score on its referrals (referral_list: kept by triggers, filled on upgrade). Rows
 * are put in with plain SQL through a second connection to a temporary database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "testdb.h"

#include "caseload/browse.h"
#include "caseload/buf.h"
#include "caseload/config.h"
#include "caseload/demo.h"
#include "caseload/exitcode.h"
#include "caseload/score.h"
#include "caseload/scores.h"
#include "caseload/scoring.h"
#include "caseload/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char path[T_DB_PATH];
    store *s;
    sqlite3 *raw;
    config cfg;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    t_db_open("test_scores", f->path, &f->s, &f->raw);
    config_defaults(&f->cfg);
    /* Weights that make each factor's points easy to tell apart. */
    for (int i = 0; i < SCORE_NFACTORS; i++)
        f->cfg.scoring.weight[i] = 0;
    f->cfg.scoring.cap_suspensions = 5;
    f->cfg.scoring.red = 20;
    f->cfg.scoring.amber = 10;
    t_exec(f->raw, "INSERT INTO children(id, upn, first_name, last_name, dob) "
                   "VALUES (1, 'B801200005001', 'Zoë', 'O''Brien', '2012-03-04')");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    config_free(&f->cfg);
    t_db_close(f->path, f->s, f->raw);
    free(f);
    return 0;
}

static score_facts facts(fixture *f, const char *as_of)
{
    score_facts sf;
    assert_int_equal(scores_facts(f->s, 1, t_date(as_of), &sf), EXIT_OK);
    return sf;
}

static void test_episode_open_until_its_end(void **state)
{
    fixture *f = *state;
    t_exec(f->raw, "INSERT INTO episodes(id, child_id, kind, start, end_date) "
                   "VALUES (10, 1, 'cme', '2025-01-10', '2025-02-01')");
    assert_false(facts(f, "2025-01-09").cme_open);
    assert_true(facts(f, "2025-01-10").cme_open);
    assert_true(facts(f, "2025-01-31").cme_open);
    assert_false(facts(f, "2025-02-01").cme_open); /* ending on D: not open on D */
    assert_false(facts(f, "2025-01-20").ehe_open);
    t_exec(f->raw,
           "INSERT INTO episodes(id, child_id, kind, start) VALUES (11, 1, 'ehe', '2025-01-10')");
    t_exec(f->raw, "INSERT INTO episodes(id, child_id, kind, start) VALUES (12, 1, 'part_time', "
                   "'2025-01-10')");
    t_exec(f->raw, "INSERT INTO episodes(id, child_id, kind, start, end_date) VALUES (13, 1, "
                   "'alternative_provision', '2025-01-10', '2025-01-11')");
    score_facts sf = facts(f, "2030-01-01");
    assert_true(sf.ehe_open);
    assert_true(sf.part_time_open);
    assert_false(sf.ap_open);
    assert_false(sf.cme_open);
    assert_true(facts(f, "2025-01-10").ap_open);
    assert_false(facts(f, "2025-01-09").ehe_open);
}

static void test_suspensions_365_days(void **state)
{
    fixture *f = *state;
    /* D = 2025-06-30; D-364 = 2024-07-01 counts, D-365 = 2024-06-30 does not. */
    t_exec(f->raw, "INSERT INTO exclusions(id, child_id, start, category) VALUES "
                   "(20, 1, '2024-06-30', 'suspension'), (21, 1, '2024-07-01', 'suspension'), "
                   "(22, 1, '2025-06-30', 'suspension'), (23, 1, '2025-07-01', 'suspension')");
    assert_int_equal(facts(f, "2025-06-30").suspensions_365, 2);
    assert_int_equal(facts(f, "2025-06-29").suspensions_365, 2); /* 2024-06-30 in, 06-30 out */
    assert_int_equal(facts(f, "2025-07-01").suspensions_365, 2);
    assert_int_equal(facts(f, "2024-06-29").suspensions_365, 0);
    assert_false(facts(f, "2025-06-30").permanent_365);
    t_exec(f->raw, "INSERT INTO exclusions(id, child_id, start, category) VALUES "
                   "(24, 1, '2024-06-30', 'permanent')");
    assert_false(facts(f, "2025-06-30").permanent_365); /* 365 days back: out */
    assert_true(facts(f, "2025-06-29").permanent_365);  /* 364 days back: in */
    assert_true(facts(f, "2024-06-30").permanent_365);  /* the day itself */
    assert_false(facts(f, "2024-06-29").permanent_365); /* before it started */
}

static void test_suspensions_capped_in_score(void **state)
{
    fixture *f = *state;
    f->cfg.scoring.weight[F_SUSPENSIONS] = 2;
    f->cfg.scoring.cap_suspensions = 3;
    t_exec(f->raw, "INSERT INTO exclusions(id, child_id, start, category) VALUES "
                   "(30, 1, '2025-01-01', 'suspension'), (31, 1, '2025-01-02', 'suspension'), "
                   "(32, 1, '2025-01-03', 'suspension'), (33, 1, '2025-01-04', 'suspension')");
    score_result r;
    assert_int_equal(scoring_child(f->s, &f->cfg, t_date("2025-02-01"), 1, &r), EXIT_OK);
    assert_int_equal(r.value[F_SUSPENSIONS], 3);
    assert_int_equal(r.total, 6);
}

static void test_latest_attendance_on_or_before(void **state)
{
    fixture *f = *state;
    t_exec(f->raw,
           "INSERT INTO attendance(id, child_id, from_date, to_date, possible, attended) VALUES "
           "(40, 1, '2025-01-06', '2025-03-31', 100, 40), "
           "(41, 1, '2025-04-01', '2025-05-31', 100, 80)");
    assert_false(facts(f, "2025-03-30").has_attendance);
    score_facts sf = facts(f, "2025-03-31");
    assert_true(sf.has_attendance);
    assert_int_equal(sf.attended_sessions, 40);
    sf = facts(f, "2025-05-30"); /* the record ending after D is ignored */
    assert_int_equal(sf.attended_sessions, 40);
    sf = facts(f, "2025-05-31");
    assert_int_equal(sf.possible_sessions, 100);
    assert_int_equal(sf.attended_sessions, 80);
    /* Same end date: the later id wins. */
    t_exec(f->raw,
           "INSERT INTO attendance(id, child_id, from_date, to_date, possible, attended) VALUES "
           "(42, 1, '2025-05-01', '2025-05-31', 50, 49)");
    assert_int_equal(facts(f, "2025-06-01").attended_sessions, 49);
    f->cfg.scoring.weight[F_ATTENDANCE_BELOW_50] = 8;
    f->cfg.scoring.weight[F_ATTENDANCE_BELOW_90] = 4;
    score_result r;
    assert_int_equal(scoring_child(f->s, &f->cfg, t_date("2025-05-30"), 1, &r), EXIT_OK);
    assert_int_equal(r.value[F_ATTENDANCE_BELOW_50], 1);
    assert_int_equal(r.total, 8);
    assert_int_equal(scoring_child(f->s, &f->cfg, t_date("2025-06-01"), 1, &r), EXIT_OK);
    assert_int_equal(r.value[F_ATTENDANCE_BELOW_50] + r.value[F_ATTENDANCE_BELOW_90], 0);
}

static void test_pex_risk_not_closed_on_date(void **state)
{
    fixture *f = *state;
    t_exec(f->raw,
           "INSERT INTO referrals(id, ref, child_id, received, source, issue, pex_risk, status, "
           "closed, care_status, sen) VALUES (50, 'R1', 1, '2025-01-10', 'school', 'exclusion', 1, "
           "'closed', '2025-03-01', 'cin', 'none')");
    assert_false(facts(f, "2025-01-09").pex_risk_open); /* not received yet */
    assert_true(facts(f, "2025-01-10").pex_risk_open);
    assert_true(facts(f, "2025-02-28").pex_risk_open);
    assert_false(facts(f, "2025-03-01").pex_risk_open); /* closed on D */
    t_exec(f->raw,
           "INSERT INTO referrals(id, ref, child_id, received, source, issue, pex_risk, status, "
           "care_status, sen) VALUES (51, 'R2', 1, '2025-04-01', 'school', 'exclusion', 0, 'open', "
           "'cin', 'none')");
    assert_false(facts(f, "2025-05-01").pex_risk_open); /* open but not flagged */
    t_exec(f->raw, "UPDATE referrals SET pex_risk = 1 WHERE id = 51");
    assert_true(facts(f, "2025-05-01").pex_risk_open);
}

static void test_child_row_factors(void **state)
{
    fixture *f = *state;
    score_facts sf = facts(f, "2025-01-01");
    assert_int_equal(sf.sen, -1);
    assert_int_equal(sf.care_status, -1);
    assert_false(sf.youth_justice);
    t_exec(f->raw,
           "UPDATE children SET sen = 'ehcp_in_progress', care_status = 'cla', youth_justice = 1");
    sf = facts(f, "2025-01-01");
    assert_int_equal(sf.sen, 3);
    assert_int_equal(sf.care_status, 2);
    assert_true(sf.youth_justice);
    assert_int_equal(scores_facts(f->s, 999, t_date("2025-01-01"), &sf), EXIT_DATA);
}

static void test_refresh_on_date_and_weights(void **state)
{
    fixture *f = *state;
    f->cfg.scoring.weight[F_CME] = 10;
    f->cfg.scoring.weight[F_CP_PLAN] = 5;
    t_exec(f->raw, "UPDATE children SET care_status = 'cp'");
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob, care_status) "
                   "VALUES (2, 'LA2', 'Siobhán', 'Nowak', '2011-01-01', 'cin')");
    t_exec(f->raw, "INSERT INTO episodes(id, child_id, kind, start, end_date) "
                   "VALUES (60, 1, 'cme', '2025-01-10', '2025-02-01')");
    t_exec(f->raw,
           "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, sen) "
           "VALUES (61, 'R1', 1, '2025-01-10', 'school', 'cme', 'cp', 'none'), "
           "(62, 'R2', 1, '2025-01-11', 'school', 'attendance', 'cp', 'none'), "
           "(63, 'R3', 2, '2025-01-11', 'school', 'attendance', 'cin', 'none')");
    bool stale = true;
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-20"), false, &stale), EXIT_OK);
    assert_false(stale);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 15);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referrals r JOIN referral_list k "
                                    "ON k.id = r.id WHERE r.child_id = 1 AND k.score = 15"),
                     2);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 63"), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'scores_refresh'"),
                     1);
    /* Current: nothing is done (no second audit row). */
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-20"), false, NULL), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'scores_refresh'"),
                     1);
    /* Another date: the episode has ended. */
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-02-01"), false, NULL), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 5);
    assert_int_equal(t_long(f->raw, "SELECT max(k.score) FROM referrals r JOIN referral_list k "
                                    "ON k.id = r.id WHERE r.child_id = 1"),
                     5);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'scores_refresh'"),
                     2);
    /* Other weights. */
    f->cfg.scoring.weight[F_CP_PLAN] = 7;
    f->cfg.scoring.weight[F_CIN_PLAN] = 3;
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-02-01"), false, NULL), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 7);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 63"), 3);
    char v[64];
    assert_true(store_meta_get(f->s, SCORES_META_AS_OF, v, sizeof v));
    assert_string_equal(v, "2025-02-01");
    /* A referral added behind the store's back takes its child's score at once. */
    t_exec(f->raw,
           "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, sen) "
           "VALUES (64, 'R4', 1, '2025-01-12', 'school', 'sen', 'cp', 'none')");
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 64"), 7);
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-02-02"), false, NULL), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 64"), 7);
}

/* What the list sorts and filters by (referral_list) follows every change of a referral or of
 * its child's score, whoever makes it. */
static void test_referral_list_follows(void **state)
{
    fixture *f = *state;
    t_exec(f->raw, "INSERT INTO officers(id, initials) VALUES (1, 'AB'), (2, 'CD')");
    t_exec(f->raw, "INSERT INTO child_scores VALUES (1, 12)");
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob) "
                   "VALUES (2, 'LA2', 'Ann', 'Lee', '2011-01-01')");
    t_exec(f->raw, "INSERT INTO child_scores VALUES (2, 30)");
    t_exec(f->raw,
           "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, sen, "
           "officer_id) VALUES (80, 'R80', 1, '2025-01-10', 'school', 'cme', 'cp', 'none', 1), "
           "(81, 'R81', 1, '2025-01-11', 'school', 'sen', 'cp', 'none', NULL)");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_list WHERE score = 12 AND "
                                    "((id = 80 AND issue = 'cme' AND status = 'new' AND "
                                    "officer_id = 1) OR (id = 81 AND issue = 'sen' AND "
                                    "officer_id IS NULL))"),
                     2);
    t_exec(f->raw,
           "UPDATE referrals SET issue = 'ehe', status = 'open', officer_id = 2 WHERE id = 81");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_list WHERE id = 81 AND "
                                    "issue = 'ehe' AND status = 'open' AND officer_id = 2"),
                     1);
    t_exec(f->raw, "UPDATE child_scores SET score = -4 WHERE child_id = 1");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_list WHERE score = -4"), 2);
    t_exec(f->raw, "UPDATE referrals SET child_id = 2 WHERE id = 80"); /* moved to another child */
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 80"), 30);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 81"), -4);
    t_exec(f->raw, "DELETE FROM referrals WHERE id = 81");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_list"), 1);
}

/* Every referral's copy equals its child's score, and every child's score the computed one,
 * after full refreshes that move many children (a weight change) and few (another date). */
static void check_all_scores(fixture *f, date_t as_of)
{
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_list"),
                     t_long(f->raw, "SELECT count(*) FROM referrals"));
    assert_int_equal(t_long(f->raw,
                            "SELECT count(*) FROM referrals r JOIN referral_list k ON "
                            "k.id = r.id LEFT JOIN child_scores c ON c.child_id = r.child_id "
                            "WHERE k.score <> coalesce(c.score, 0) OR k.issue <> r.issue OR "
                            "k.status <> r.status OR k.officer_id IS NOT r.officer_id"),
                     0);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(f->raw,
                                        "SELECT id, coalesce((SELECT score FROM child_scores "
                                        "WHERE child_id = children.id), 0) FROM children",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        score_result r;
        assert_int_equal(scoring_child(f->s, &f->cfg, as_of, sqlite3_column_int64(st, 0), &r),
                         EXIT_OK);
        assert_int_equal(r.total, sqlite3_column_int(st, 1));
    }
    sqlite3_finalize(st);
}

static void test_refresh_demo_caseload(void **state)
{
    fixture *f = *state;
    config_free(&f->cfg);
    config_defaults(&f->cfg);
    demo_options o = {.children = 300, .seed = 5, .as_of = t_date("2025-11-20"), .cfg = &f->cfg};
    demo_stats st;
    buf errors = BUF_INIT;
    int rc = demo_fill(f->s, &o, &st, &errors);
    if (rc) fail_msg("%s %s", buf_str(&errors), store_error(f->s));
    buf_free(&errors);
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-11-20"), false, NULL), EXIT_OK);
    check_all_scores(f, t_date("2025-11-20"));
    long before = t_long(f->raw, "SELECT sum(score) FROM child_scores");
    for (int i = 0; i < SCORE_NFACTORS; i++)
        f->cfg.scoring.weight[i] += 1 + i % 3;
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-11-20"), false, NULL), EXIT_OK);
    assert_true(t_long(f->raw, "SELECT sum(score) FROM child_scores") != before);
    check_all_scores(f, t_date("2025-11-20"));
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2026-02-01"), false, NULL), EXIT_OK);
    check_all_scores(f, t_date("2026-02-01"));
}

extern const char *const store_migration_sql[];
extern const size_t store_migration_count;

/* A database from before referral_list (migration 0005) is upgraded with every referral in the
 * list, holding its child's score even where the referral's own copy was stale. */
static void test_upgrade_fills_referral_list(void **state)
{
    (void)state;
    size_t v = 0;
    while (v < store_migration_count && !strstr(store_migration_sql[v], "TABLE referral_list"))
        v++;
    assert_true(v < store_migration_count);
    char path[64];
    snprintf(path, sizeof path, "/tmp/test_scores_old.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (size_t i = 0; i < v; i++)
        assert_int_equal(sqlite3_exec(db, store_migration_sql[i], NULL, NULL, NULL), SQLITE_OK);
    char q[2048];
    snprintf(q, sizeof q,
             "PRAGMA user_version = %zu; INSERT INTO meta VALUES ('device_id', '7'), "
             "('counter', '1'); INSERT INTO officers(id, initials) VALUES (1, 'AB'); "
             "INSERT INTO children(id, la_child_id, first_name, last_name, dob, score) VALUES "
             "(1, 'LA1', 'A', 'B', '2012-01-01', 9), (2, 'LA2', 'C', 'D', '2012-01-01', -2); "
             "INSERT INTO referrals(id, ref, child_id, received, source, issue, status, closed, "
             "officer_id, care_status, sen, score, pex_risk) VALUES "
             "(10, 'R10', 1, '2025-01-01', 'school', 'cme', 'new', NULL, 1, 'cin', 'none', 9, 1), "
             "(11, 'R11', 1, '2025-01-02', 'school', 'sen', 'closed', '2025-02-01', NULL, 'cin', "
             "'none', 0, 0), "
             "(12, 'R12', 2, '2025-01-03', 'school', 'ehe', 'open', NULL, 1, 'cin', 'none', 5, 1)",
             v);
    assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    store *s = NULL;
    char err[512];
    assert_int_equal(store_open(path, 0, &s, err, sizeof err), EXIT_OK);
    store_close(s);
    fixture f = {.raw = NULL};
    assert_int_equal(sqlite3_open(path, &f.raw), SQLITE_OK);
    assert_int_equal(t_long(f.raw, "SELECT count(*) FROM referral_list"), 3);
    assert_int_equal(t_long(f.raw, "SELECT count(*) FROM referral_list WHERE "
                                   "(id = 10 AND child_id = 1 AND score = 9 AND issue = 'cme' AND "
                                   "status = 'new' AND officer_id = 1) OR "
                                   "(id = 11 AND child_id = 1 AND score = 9 AND issue = 'sen' AND "
                                   "status = 'closed' AND officer_id IS NULL) OR "
                                   "(id = 12 AND child_id = 2 AND score = -2 AND issue = 'ehe' AND "
                                   "status = 'open' AND officer_id = 1)"),
                     3);
    /* The copy on the referral row and its indexes are gone; the flagged referrals have theirs. */
    assert_int_equal(
        t_long(f.raw, "SELECT count(*) FROM pragma_table_info('referrals') WHERE name = 'score'"),
        0);
    assert_int_equal(t_long(f.raw, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                                   "name LIKE 'referrals%score%'"),
                     0);
    assert_int_equal(t_long(f.raw, "SELECT count(*) FROM referrals INDEXED BY referrals_pex_risk "
                                   "WHERE pex_risk = 1"),
                     2);
    /* Migration 0009: the children's scores moved to child_scores, the column is gone. */
    assert_int_equal(t_long(f.raw, "SELECT count(*) FROM child_scores WHERE "
                                   "(child_id = 1 AND score = 9) OR (child_id = 2 AND score = -2)"),
                     2);
    assert_int_equal(
        t_long(f.raw, "SELECT count(*) FROM pragma_table_info('children') WHERE name = 'score'"),
        0);
    sqlite3_close(f.raw);
    t_db_remove(path);
}

static void test_refresh_read_only_leaves_scores(void **state)
{
    fixture *f = *state;
    f->cfg.scoring.weight[F_LOOKED_AFTER] = 4;
    t_exec(f->raw, "UPDATE children SET care_status = 'cla'");
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-20"), false, NULL), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 4);
    store *ro = NULL;
    char err[512];
    assert_int_equal(store_open(f->path, STORE_READONLY, &ro, err, sizeof err), EXIT_OK);
    assert_false(scores_writable(ro));
    bool computed = false;
    f->cfg.scoring.weight[F_LOOKED_AFTER] = 9;
    assert_int_equal(scoring_refresh(ro, &f->cfg, t_date("2025-01-20"), false, &computed), EXIT_OK);
    assert_true(computed);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 4);
    /* Current stored scores are read, even read-only: nothing is computed. */
    f->cfg.scoring.weight[F_LOOKED_AFTER] = 4;
    assert_int_equal(scoring_refresh(ro, &f->cfg, t_date("2025-01-20"), false, &computed), EXIT_OK);
    assert_false(computed);
    store_close(ro);
}

static void test_children_changed(void **state)
{
    fixture *f = *state;
    f->cfg.scoring.weight[F_CME] = 10;
    t_exec(f->raw,
           "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, sen) "
           "VALUES (70, 'R1', 1, '2025-01-10', 'school', 'cme', 'cp', 'none')");
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-20"), false, NULL), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 70"), 0);
    t_exec(f->raw,
           "INSERT INTO episodes(id, child_id, kind, start) VALUES (71, 1, 'cme', '2025-01-15')");
    assert_int_equal(store_begin(f->s), EXIT_OK);
    int64_t ids[] = {1, 12345}; /* an unknown id is skipped */
    assert_int_equal(scoring_children_changed(f->s, &f->cfg, t_date("2025-01-20"), ids, 2),
                     EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 10);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 70"), 10);
    /* Stale scores (another date): children_changed leaves them to the next refresh. */
    t_exec(f->raw, "UPDATE episodes SET end_date = '2025-01-16' WHERE id = 71");
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(scoring_children_changed(f->s, &f->cfg, t_date("2025-01-21"), ids, 1),
                     EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 10);
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-21"), false, NULL), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 0);
}

/* Many children changed (an import): every score is made true in the caller's transaction, so
 * the next screen needs no recompute; for another date than the stored scores' too. */
static void test_children_changed_many_recomputes(void **state)
{
    fixture *f = *state;
    f->cfg.scoring.weight[F_CIN_PLAN] = 3;
    t_exec(f->raw, "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
                   "INSERT INTO children(id, la_child_id, first_name, last_name, dob) "
                   "SELECT i, 'LA' || i, 'A', 'B', '2012-01-01' FROM n");
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-20"), false, NULL), EXIT_OK);
    t_exec(f->raw, "UPDATE children SET care_status = 'cin'");
    int64_t *ids = malloc(1500 * sizeof *ids);
    for (int i = 0; i < 1500; i++)
        ids[i] = i + 1;
    const char *const dates[] = {"2025-01-20", "2025-01-23"};
    for (int d = 0; d < 2; d++) {
        assert_int_equal(store_begin(f->s), EXIT_OK);
        assert_int_equal(scoring_children_changed(f->s, &f->cfg, t_date(dates[d]), ids, 1500),
                         EXIT_OK);
        assert_int_equal(store_commit(f->s), EXIT_OK);
        char v[64];
        store_meta_get(f->s, SCORES_META_AS_OF, v, sizeof v);
        assert_string_equal(v, dates[d]);
        /* The second time child 1 is no longer on a CIN plan. */
        assert_int_equal(t_long(f->raw, "SELECT count(*) FROM child_scores WHERE score = 3"),
                         1500 - d);
        check_all_scores(f, t_date(dates[d]));
        t_exec(f->raw, "UPDATE children SET care_status = 'cp' WHERE id = 1");
    }
    free(ids);
}

/* The GREEN-0 defect of issue 13: scores stored for one date, an import for another adds a child
 * (one by one: few children); a list for the first date must not trust the stored scores, which
 * hold the new child at 0. */
static void test_children_changed_other_date_marks_stale(void **state)
{
    fixture *f = *state;
    f->cfg.scoring.weight[F_CIN_PLAN] = 25;
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-20"), false, NULL), EXIT_OK);
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob, care_status) "
                   "VALUES (9, 'HIGH-1', 'A', 'B', '2012-01-01', 'cin')");
    int64_t id = 9;
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(scoring_children_changed(f->s, &f->cfg, t_date("2025-01-21"), &id, 1),
                     EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    char v[64];
    store_meta_get(f->s, SCORES_META_AS_OF, v, sizeof v);
    assert_string_equal(v, ""); /* stale for every date: none holds for the new child */
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-20"), false, NULL), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 9"), 25);
    check_all_scores(f, t_date("2025-01-20"));
}

/* On a file that cannot be written, stale scores are computed for the connection: the list
 * queries read them from its temporary copy, and the file is not changed. */
static void test_refresh_read_only_computes(void **state)
{
    fixture *f = *state;
    f->cfg.scoring.weight[F_CIN_PLAN] = 25;
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob, care_status) "
                   "VALUES (9, 'HIGH-1', 'A', 'B', '2012-01-01', 'cin')");
    t_exec(f->raw, "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, "
                   "sen) VALUES (90, 'R90', 9, '2025-01-10', 'school', 'cme', 'cin', 'none')");
    store *ro = NULL;
    char err[256];
    assert_int_equal(store_open(f->path, STORE_READONLY, &ro, err, sizeof err), EXIT_OK);
    bool computed = false;
    for (int round = 0; round < 2; round++) { /* again: the copy is made anew, not doubled */
        assert_int_equal(scoring_refresh(ro, &f->cfg, t_date("2025-01-20"), false, &computed),
                         EXIT_OK);
        assert_true(computed);
        browse_filter bf;
        browse_filter_init(&bf);
        browse_row rows[4];
        int n = 0;
        assert_int_equal(
            browse_page(ro, &bf, &f->cfg.scoring, t_date("2025-01-20"), NULL, 4, rows, &n),
            EXIT_OK);
        assert_true(n >= 1);
        assert_int_equal(rows[0].id, 90);
        assert_int_equal(rows[0].score, 25);
        assert_int_equal(rows[0].band, BAND_RED);
    }
    store_close(ro);
    /* Nothing was stored in the file. */
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM child_scores WHERE child_id = 9"), 0);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 90"), 0);
    /* Once stored scores hold, the read-only connection reads them and computes nothing. */
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-20"), false, NULL), EXIT_OK);
    assert_int_equal(store_open(f->path, STORE_READONLY, &ro, err, sizeof err), EXIT_OK);
    assert_int_equal(scoring_refresh(ro, &f->cfg, t_date("2025-01-20"), false, &computed), EXIT_OK);
    assert_false(computed);
    store_close(ro);
}

/* scoring_verify (behind `caseload check`): stored scores that hold are compared with the facts;
 * a score written behind the program's back is found; stale ones are not compared. */
static void test_verify(void **state)
{
    fixture *f = *state;
    f->cfg.scoring.weight[F_CIN_PLAN] = 3;
    t_exec(f->raw, "UPDATE children SET care_status = 'cin'");
    long checked, wrong;
    int64_t first;
    assert_int_equal(scoring_verify(f->s, &f->cfg, &checked, &wrong, &first), EXIT_OK);
    assert_int_equal(checked, 0); /* never computed: stale */
    assert_int_equal(scoring_refresh(f->s, &f->cfg, t_date("2025-01-20"), false, NULL), EXIT_OK);
    assert_int_equal(scoring_verify(f->s, &f->cfg, &checked, &wrong, &first), EXIT_OK);
    assert_true(checked >= 1);
    assert_int_equal(wrong, 0);
    t_exec(f->raw, "UPDATE child_scores SET score = 0 WHERE child_id = 1");
    assert_int_equal(scoring_verify(f->s, &f->cfg, &checked, &wrong, &first), EXIT_OK);
    assert_int_equal(wrong, 1);
    assert_int_equal(first, 1);
    f->cfg.scoring.weight[F_CIN_PLAN] = 4; /* other weights: stale, not compared */
    assert_int_equal(scoring_verify(f->s, &f->cfg, &checked, &wrong, &first), EXIT_OK);
    assert_int_equal(checked, 0);
}

static void test_find_child(void **state)
{
    fixture *f = *state;
    t_exec(f->raw, "UPDATE children SET la_child_id = 'C123' WHERE id = 1");
    int64_t id = 0;
    char first[32], last[32];
    assert_int_equal(scores_find_child(f->s, "B801200005001", NULL, &id, first, last, 32), EXIT_OK);
    assert_int_equal(id, 1);
    assert_string_equal(last, "O'Brien");
    id = 0;
    assert_int_equal(scores_find_child(f->s, NULL, "C123", &id, NULL, NULL, 0), EXIT_OK);
    assert_int_equal(id, 1);
    assert_int_equal(scores_find_child(f->s, "G80120000101A", "nope", &id, NULL, NULL, 0),
                     EXIT_DATA);
}

typedef struct {
    fixture *f;
    date_t as_of;
    long seen, facts_seen;
} same_ctx;

static int same_facts(void *vctx, const scores_row *row)
{
    same_ctx *c = vctx;
    score_facts one;
    assert_int_equal(scores_facts(c->f->s, row->child_id, c->as_of, &one), EXIT_OK);
    const score_facts *all = &row->facts;
    assert_int_equal(one.cme_open, all->cme_open);
    assert_int_equal(one.ehe_open, all->ehe_open);
    assert_int_equal(one.part_time_open, all->part_time_open);
    assert_int_equal(one.ap_open, all->ap_open);
    assert_int_equal(one.has_attendance, all->has_attendance);
    assert_int_equal(one.possible_sessions, all->possible_sessions);
    assert_int_equal(one.attended_sessions, all->attended_sessions);
    assert_int_equal(one.suspensions_365, all->suspensions_365);
    assert_int_equal(one.permanent_365, all->permanent_365);
    assert_int_equal(one.pex_risk_open, all->pex_risk_open);
    assert_int_equal(one.youth_justice, all->youth_justice);
    assert_int_equal(one.sen, all->sen);
    assert_int_equal(one.care_status, all->care_status);
    c->seen++;
    c->facts_seen += all->cme_open + all->ehe_open + all->part_time_open + all->ap_open +
                     all->has_attendance + all->suspensions_365 + all->permanent_365 +
                     all->pex_risk_open;
    return 0;
}

/* The walk over every child (one pass per table) and the single-child query agree on every fact
 * of every child of a demo caseload, on several dates. */
static void test_each_agrees_with_facts(void **state)
{
    fixture *f = *state;
    demo_options o = {.children = 300, .seed = 3, .as_of = t_date("2025-11-20"), .cfg = &f->cfg};
    demo_stats st;
    buf errors = BUF_INIT;
    int rc = demo_fill(f->s, &o, &st, &errors);
    if (rc) fail_msg("%s %s", buf_str(&errors), store_error(f->s));
    buf_free(&errors);
    const char *dates[] = {"2024-09-01", "2025-03-15", "2025-09-01", "2025-11-20"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        same_ctx c = {f, t_date(dates[i]), 0, 0};
        assert_int_equal(scores_each(f->s, c.as_of, same_facts, &c), EXIT_OK);
        assert_int_equal(c.seen, 301);
        assert_true(c.facts_seen > (i == 3 ? 200 : 0));
    }
}

/* scores_each tells a child with no row in child_scores (unstored) from one with a row, and
 * scores_set adds a row at once for a child said to have none, yet updates one that had a row
 * after all (never a score silently left as it was). */
static int note_unstored(void *vctx, const scores_row *row)
{
    int *unstored = vctx;
    unstored[row->child_id] = row->unstored;
    return 0;
}

static void test_set_unstored(void **state)
{
    fixture *f = *state;
    t_exec(f->raw, "INSERT INTO children(id, la_child_id, first_name, last_name, dob) "
                   "VALUES (2, 'LA2', 'Ann', 'Lee', '2011-01-01')");
    t_exec(f->raw, "INSERT INTO child_scores VALUES (2, 30)");
    t_exec(f->raw, "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, "
                   "sen) VALUES (80, 'R80', 1, '2025-01-10', 'school', 'cme', 'cp', 'none')");
    int unstored[3] = {-1, -1, -1};
    assert_int_equal(scores_each(f->s, t_date("2025-06-01"), note_unstored, unstored), EXIT_OK);
    assert_int_equal(unstored[1], 1);
    assert_int_equal(unstored[2], 0);
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(scores_set(f->s, 1, 7, true), EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 7);
    assert_int_equal(store_begin(f->s), EXIT_OK);
    assert_int_equal(scores_set(f->s, 1, 9, true), EXIT_OK); /* it has a row now */
    assert_int_equal(scores_set(f->s, 2, 12, true), EXIT_OK);
    assert_int_equal(scores_set(f->s, 2, 12, false), EXIT_OK);
    assert_int_equal(store_commit(f->s), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 1"), 9);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list WHERE id = 80"), 9);
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores WHERE child_id = 2"), 12);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM child_scores"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_episode_open_until_its_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspensions_365_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspensions_capped_in_score, setup, teardown),
        cmocka_unit_test_setup_teardown(test_latest_attendance_on_or_before, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pex_risk_not_closed_on_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_row_factors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refresh_on_date_and_weights, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral_list_follows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refresh_demo_caseload, setup, teardown),
        cmocka_unit_test(test_upgrade_fills_referral_list),
        cmocka_unit_test_setup_teardown(test_refresh_read_only_leaves_scores, setup, teardown),
        cmocka_unit_test_setup_teardown(test_children_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_children_changed_many_recomputes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_children_changed_other_date_marks_stale, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refresh_read_only_computes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_child, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_agrees_with_facts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_unstored, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
