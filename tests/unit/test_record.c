/* test_record: the app's writes (src/app/record.c over src/store/edit.c and records.c) on a
 * temporary database: each change checked first (nothing written when wrong), one transaction
 * with an audit row that holds no child data, the child's score brought up to date, and the
 * failures of a busy or read-only database. Rows are inspected through a second connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"

#include "caseload/config.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/import.h"
#include "caseload/record.h"
#include "caseload/scoring.h"
#include "caseload/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char path[64];
    store *s;
    sqlite3 *raw;
    config cfg;
    date_t today;
} fixture;

/* The text of the first column of the first row ("" for NULL or no row), in a static buffer. */
static const char *sql_text(fixture *f, const char *q)
{
    static char out[512];
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(f->raw, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(f->raw));
    out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static int setup(void **state)
{
    setenv("CASELOAD_OFFICER", "tester", 1);
    setenv("CASELOAD_BUSY_TIMEOUT_MS", "50", 1);
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/test_record.XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    unlink(f->path);
    char err[512];
    assert_int_equal(store_open(f->path, 0, &f->s, err, sizeof err), EXIT_OK);
    assert_int_equal(sqlite3_open(f->path, &f->raw), SQLITE_OK);
    sqlite3_busy_timeout(f->raw, 2000);
    config_defaults(&f->cfg);
    f->today = t_date("2024-11-15");
    /* Scores up to date for this date, so each change recomputes its child. */
    assert_int_equal(scoring_refresh(f->s, &f->cfg, f->today, false, NULL), EXIT_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sqlite3_close(f->raw);
    store_close(f->s);
    config_free(&f->cfg);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static record_child ada(void)
{
    record_child c = {
        .upn = "b801200005001", /* lower case is accepted and upper-cased */
        .first_name = " Ada ",
        .last_name = "Lovelace",
        .dob = "2012-12-10",
        .gender = "female",
        .school_urn = "100001",
        .school_name = "Hill Primary",
        .care_status = "cp",
        .sen = "K", /* the DfE alias of sen_support */
        .sen_need = "SEMH",
    };
    return c;
}

static record_referral referral(void)
{
    record_referral r = {
        .received = "2024-11-01",
        .source = "school",
        .issue = "exclusion",
        .other_issues = "attendance; cme;attendance",
        .pex_risk = true,
        .officer = "JB",
        .summary = "Risk of exclusion",
    };
    return r;
}

/* Creates Ada's referral; returns its id (and the child's in *child). */
static int64_t create(fixture *f, int64_t *child)
{
    record_child c = ada();
    record_referral r = referral();
    record_problem p;
    int64_t rid = 0, cid = 0;
    int rc = record_referral_create(f->s, &f->cfg, f->today, 0, &c, &r, &rid, &cid, &p);
    if (rc) fail_msg("create: %d %s: %s", rc, p.field, p.message);
    assert_true(rid != 0 && cid != 0);
    if (child) *child = cid;
    return rid;
}

static void test_new_child_and_referral(void **state)
{
    fixture *f = *state;
    int64_t cid;
    int64_t rid = create(f, &cid);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), 1);
    assert_string_equal(sql_text(f, "SELECT upn || '|' || first_name || '|' || sen || '|' || "
                                    "care_status || '|' || sen_need FROM children"),
                        "B801200005001|Ada|sen_support|cp|SEMH");
    assert_string_equal(sql_text(f, "SELECT s.urn || '|' || s.name FROM children c "
                                    "JOIN schools s ON s.id = c.school_id"),
                        "100001|Hill Primary");
    char q[256];
    snprintf(q, sizeof q,
             "SELECT ref || '|' || status || '|' || other_issues || '|' || pex_risk || '|' || "
             "care_status || '|' || sen || '|' || o.initials FROM referrals r "
             "JOIN officers o ON o.id = r.officer_id WHERE r.id = %lld",
             (long long)rid);
    assert_string_equal(sql_text(f, q), "R-2024-00001|new|attendance;cme|1|cp|sen_support|JB");
    /* The score: cp 5 + sen_support 1 + pex_risk 8, on the child and its referral. */
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores"), 14);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list"), 14);
    /* Audit: one row per new row, ids and no child data. */
    assert_int_equal(
        t_long(f->raw, "SELECT count(*) FROM audit WHERE tbl = 'children' AND action = 'insert'"),
        1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE tbl = 'referrals'"), 1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE who <> 'tester'"), 0);
    assert_int_equal(t_long(f->raw,
                            "SELECT count(*) FROM audit WHERE detail LIKE '%Ada%' OR detail "
                            "LIKE '%Lovelace%' OR detail LIKE '%B8012%' OR detail LIKE "
                            "'%2012-12-10%'"),
                     0);
}

static void test_generated_refs_count_up(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    t_exec(f->raw, "UPDATE referrals SET ref = 'R-2024-00041'");
    char ref[32];
    assert_int_equal(record_next_ref(f->s, t_date("2024-03-01"), ref, sizeof ref), EXIT_OK);
    assert_string_equal(ref, "R-2024-00042");
    assert_int_equal(record_next_ref(f->s, t_date("2025-01-01"), ref, sizeof ref), EXIT_OK);
    assert_string_equal(ref, "R-2025-00001");
    /* Refs of another shape do not count. */
    long n = -1;
    t_exec(f->raw,
           "INSERT INTO referrals(id, ref, child_id, received, source, issue, care_status, sen) "
           "SELECT 7, 'R-2024-9999x', child_id, received, source, issue, care_status, sen "
           "FROM referrals");
    assert_int_equal(edit_ref_last_number(f->s, "R-2024-", 5, &n), EXIT_OK);
    assert_int_equal(n, 41);
    /* A second referral for the same child takes the next ref and the child's current status. */
    record_referral r = referral();
    r.care_status = "";
    r.sen = "";
    r.pex_risk = false;
    record_problem p;
    int64_t rid2 = 0;
    assert_int_equal(
        record_referral_create(f->s, &f->cfg, f->today, cid, NULL, &r, &rid2, NULL, &p), EXIT_OK);
    char q[160];
    snprintf(q, sizeof q,
             "SELECT ref || '|' || care_status || '|' || sen FROM referrals WHERE id = %lld",
             (long long)rid2);
    assert_string_equal(sql_text(f, q), "R-2024-00042|cp|sen_support");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), 1);
}

/* A laptop copy (sync checkout sets its ref_tag) numbers its own refs, apart from the hub's. */
static void test_laptop_refs_carry_the_copy(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    t_exec(f->raw, "UPDATE referrals SET ref = 'R-2024-00041'");
    t_exec(f->raw, "INSERT INTO meta(key, value) VALUES ('ref_tag', 'L2')");
    char ref[40];
    assert_int_equal(record_next_ref(f->s, t_date("2024-03-01"), ref, sizeof ref), EXIT_OK);
    assert_string_equal(ref, "R-2024-L2-00001");
    t_exec(f->raw, "UPDATE referrals SET ref = 'R-2024-L2-00007'");
    assert_int_equal(record_next_ref(f->s, t_date("2024-03-01"), ref, sizeof ref), EXIT_OK);
    assert_string_equal(ref, "R-2024-L2-00008");
}

static void test_newest_referral_updates_child_status(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    record_referral r = referral();
    r.received = "2024-11-10";
    r.care_status = "cla";
    r.sen = "ehcp";
    record_problem p;
    assert_int_equal(record_referral_create(f->s, &f->cfg, f->today, cid, NULL, &r, NULL, NULL, &p),
                     EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT care_status || '|' || sen FROM children"), "cla|ehcp");
    /* An older referral leaves the child's current status alone. */
    r.received = "2023-01-10";
    r.care_status = "cin";
    r.sen = "none";
    assert_int_equal(record_referral_create(f->s, &f->cfg, f->today, cid, NULL, &r, NULL, NULL, &p),
                     EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT care_status || '|' || sen FROM children"), "cla|ehcp");
    /* looked_after 4 + ehcp 3 + pex_risk 8 */
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores"), 15);
}

/* Expects a create to fail on field with nothing written. */
static void expect_refused(fixture *f, const record_child *c, const record_referral *r,
                           int64_t child_id, const char *field)
{
    long children = t_long(f->raw, "SELECT count(*) FROM children");
    long referrals = t_long(f->raw, "SELECT count(*) FROM referrals");
    long audit = t_long(f->raw, "SELECT count(*) FROM audit");
    record_problem p;
    int rc = record_referral_create(f->s, &f->cfg, f->today, child_id, c, r, NULL, NULL, &p);
    assert_int_equal(rc, EXIT_DATA);
    assert_string_equal(p.field, field);
    assert_true(p.message[0] != '\0');
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM children"), children);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referrals"), referrals);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), audit);
}

static void test_bad_input_writes_nothing(void **state)
{
    fixture *f = *state;
    record_referral r = referral();
    record_child c = ada();
    c.upn = "A801200005001";
    expect_refused(f, &c, &r, 0, "upn");
    c = ada();
    c.upn = "";
    c.la_child_id = "";
    expect_refused(f, &c, &r, 0, "upn");
    c = ada();
    c.first_name = "  ";
    expect_refused(f, &c, &r, 0, "first_name");
    c = ada();
    c.dob = "2012-02-30";
    expect_refused(f, &c, &r, 0, "dob");
    c = ada();
    c.dob = "2030-01-01";
    expect_refused(f, &c, &r, 0, "dob");
    c = ada();
    c.care_status = "looked_after";
    expect_refused(f, &c, &r, 0, "care_status");
    c = ada();
    c.sen = "";
    expect_refused(f, &c, &r, 0, "sen");
    c = ada();
    c.last_name = "Love\x1b[2Jlace";
    expect_refused(f, &c, &r, 0, "last_name");
    c = ada();
    r.issue = "truancy";
    expect_refused(f, &c, &r, 0, "issue");
    r = referral();
    r.other_issues = "cme;nope";
    expect_refused(f, &c, &r, 0, "other_issues");
    r = referral();
    r.received = "";
    expect_refused(f, &c, &r, 0, "received");
    r = referral();
    r.received = "2024-12-01"; /* after the as-of date */
    expect_refused(f, &c, &r, 0, "received");
    r = referral();
    r.officer = "J B";
    expect_refused(f, &c, &r, 0, "officer");
    r = referral();
    expect_refused(f, NULL, &r, 0, "child");
    expect_refused(f, NULL, &r, 12345, "child");
}

static void test_keys_already_used(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    record_child c = ada();
    record_referral r = referral();
    expect_refused(f, &c, &r, 0, "upn"); /* the same UPN again */
    c.upn = "";
    c.la_child_id = "LA1";
    t_exec(f->raw, "UPDATE children SET la_child_id = 'LA1'");
    expect_refused(f, &c, &r, 0, "la_child_id");
    r.ref = "R-2024-00001";
    expect_refused(f, NULL, &r, cid, "ref");
}

static void test_actions_append(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    record_action a = {.date = "2024-11-05",
                       .officer = "KM",
                       .kind = "call",
                       .note = "spoke to "
                               "school",
                       .follow_up = "2024-11-12"};
    record_problem p;
    int64_t id1 = 0, id2 = 0;
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, &id1, &p), EXIT_OK);
    /* The same action again is a second row (the app appends; import would call it the same). */
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, &id2, &p), EXIT_OK);
    assert_true(id1 != id2);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM actions"), 2);
    assert_string_equal(sql_text(f, "SELECT follow_up FROM referral_follow_up"), "2024-11-12");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM officers WHERE initials = 'KM'"), 1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE tbl = 'actions'"), 2);
    /* Defaults: today's date, no officer, no follow-up. */
    record_action b = {.kind = "visit"};
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &b, NULL, &p), EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT date || '|' || coalesce(officer_id, 'none') FROM "
                                    "actions WHERE kind = 'visit'"),
                        "2024-11-15|none");
    /* An action without a follow-up leaves the pending ones (SPEC section 8). */
    assert_string_equal(sql_text(f, "SELECT follow_up FROM referral_follow_up"), "2024-11-12");
    /* Refused: a follow-up before the action, no kind, a bad date, no such referral. */
    long before = t_long(f->raw, "SELECT count(*) FROM actions");
    a.follow_up = "2024-11-01";
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, NULL, &p), EXIT_DATA);
    assert_string_equal(p.field, "follow_up");
    a = b;
    a.kind = "";
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, NULL, &p), EXIT_DATA);
    assert_string_equal(p.field, "kind");
    a.kind = "call";
    a.date = "yesterday";
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, NULL, &p), EXIT_DATA);
    assert_string_equal(p.field, "date");
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid + 999, &b, NULL, &p),
                     EXIT_DATA);
    assert_string_equal(p.field, "referral");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM actions"), before);
}

/* Follow-ups are tasks: marked done one by one, or by a later action that says so; a back-dated
 * action's follow-up counts; the next is the earliest pending. */
static void test_follow_ups_done(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    record_problem p;
    int64_t a1 = 0, a2 = 0;
    record_action a = {.date = "2024-11-12", .kind = "call", .follow_up = "2024-11-20"};
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, &a1, &p), EXIT_OK);
    record_action back = {.date = "2024-11-06", .kind = "visit", .follow_up = "2024-11-13"};
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &back, &a2, &p), EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT follow_up FROM referral_follow_up"), "2024-11-13");
    /* Done before the action is refused; done on a date: the next one is pending. */
    assert_int_equal(
        record_follow_up_done(f->s, &f->cfg, f->today, rid, a2, "2024-11-01", "KM", &p), EXIT_DATA);
    assert_string_equal(p.field, "date");
    assert_int_equal(record_follow_up_done(f->s, &f->cfg, f->today, rid, a2, "", "KM", &p),
                     EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT date FROM follow_up_done"), "2024-11-15");
    assert_string_equal(sql_text(f, "SELECT follow_up FROM referral_follow_up"), "2024-11-20");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE tbl = 'follow_up_done'"), 1);
    /* Twice is refused: it is no longer pending. */
    assert_int_equal(record_follow_up_done(f->s, &f->cfg, f->today, rid, a2, "", "", &p),
                     EXIT_DATA);
    assert_string_equal(p.field, "follow_up");
    /* A later action that does what was asked marks the pending ones done, not its own. */
    record_action later = {.kind = "meeting", .follow_up = "2024-12-01", .done_pending = true};
    int64_t a3 = 0;
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &later, &a3, &p), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM follow_up_done"), 2);
    char q[128];
    snprintf(q, sizeof q, "SELECT by_action_id FROM follow_up_done WHERE action_id = %lld",
             (long long)a1);
    assert_int_equal(t_long(f->raw, q), a3);
    assert_string_equal(sql_text(f, "SELECT follow_up FROM referral_follow_up"), "2024-12-01");
    /* Closed: nothing pending. */
    assert_int_equal(record_close(f->s, &f->cfg, f->today, rid, "other", "", "", &p), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_follow_up"), 0);
}

static void test_outcome_and_close(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    record_problem p;
    assert_int_equal(record_outcome_add(f->s, &f->cfg, f->today, rid, "attendance_improved",
                                        "2024-11-10", "better", NULL, &p),
                     EXIT_OK);
    assert_int_equal(record_outcome_add(f->s, &f->cfg, f->today, rid, "improved", "", "", NULL, &p),
                     EXIT_DATA);
    assert_string_equal(p.field, "outcome");
    assert_int_equal(
        record_outcome_add(f->s, &f->cfg, f->today, rid, "other", "2024-10-01", "", NULL, &p),
        EXIT_DATA);
    assert_string_equal(p.field, "date");
    assert_string_equal(sql_text(f, "SELECT status FROM referrals"), "new");
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list"), 14);

    /* Closing needs an outcome, records it and closes with the date. */
    assert_int_equal(record_close(f->s, &f->cfg, f->today, rid, "", "", "", &p), EXIT_DATA);
    assert_string_equal(p.field, "outcome");
    assert_int_equal(
        record_close(f->s, &f->cfg, f->today, rid, "exclusion_avoided", "", "done", &p), EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT status || '|' || closed FROM referrals"),
                        "closed|2024-11-15");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM outcomes"), 2);
    assert_string_equal(sql_text(f, "SELECT outcome FROM outcomes WHERE date = '2024-11-15'"),
                        "exclusion_avoided");
    assert_string_equal(sql_text(f, "SELECT detail FROM audit WHERE action = 'close'"),
                        "status,closed");
    /* pex_risk no longer counts on a closed referral: cp 5 + sen_support 1. */
    assert_int_equal(t_long(f->raw, "SELECT score FROM child_scores"), 6);
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list"), 6);
    /* Closing twice is refused. */
    assert_int_equal(record_close(f->s, &f->cfg, f->today, rid, "other", "", "", &p), EXIT_DATA);
    assert_string_equal(p.field, "status");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM outcomes"), 2);
    /* Every outcome written, alone or by closing, has its audit row naming it (ids only). */
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM outcomes o WHERE (SELECT count(*) "
                                    "FROM audit a WHERE a.action = 'insert' AND a.tbl = "
                                    "'outcomes' AND a.row_id = o.id) <> 1"),
                     0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'close' AND "
                                    "tbl = 'referrals' AND row_id = (SELECT id FROM referrals)"),
                     1);
}

/* Two officers, one referral: a save writes only what its form changed, and refuses to overwrite
 * a field changed since the form opened. */
static void test_edit_against_opened(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    record_problem p;
    edit_referral a, b;
    assert_int_equal(edit_referral_get(f->s, rid, &a), EXIT_OK);
    b = a;
    /* B changes the officer. */
    record_edit eb = {
        .status = b.status, .officer = "CD", .issue = b.issue, .pex_risk = -1, .opened = &b};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &eb, &p), EXIT_OK);
    /* A, opened before, changes only the issue: B's officer stays. */
    record_edit ea = {
        .status = a.status, .officer = a.officer, .issue = "cme", .pex_risk = -1, .opened = &a};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &ea, &p), EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT o.initials || '/' || r.issue FROM referrals r "
                                    "JOIN officers o ON o.id = r.officer_id"),
                        "CD/cme");
    /* A then changes the officer too, still from what it opened with: refused, both values. */
    long audit = t_long(f->raw, "SELECT count(*) FROM audit");
    ea.officer = "EF";
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &ea, &p), EXIT_DATA);
    assert_true(p.conflict);
    assert_string_equal(p.field, "officer");
    assert_string_equal(p.theirs, "CD");
    assert_non_null(strstr(p.message, "'CD'"));
    assert_non_null(strstr(p.message, "'EF'"));
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), audit);
    assert_string_equal(sql_text(f, "SELECT o.initials FROM referrals r "
                                    "JOIN officers o ON o.id = r.officer_id"),
                        "CD");
    /* The same value as the other change is no conflict. */
    ea.officer = "CD";
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &ea, &p), EXIT_OK);
}

static void test_edit(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    record_problem p;
    long audit = t_long(f->raw, "SELECT count(*) FROM audit");
    /* Nothing changed: nothing written. */
    record_edit e = {.status = "new", .officer = "JB", .pex_risk = -1};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), audit);

    e = (record_edit){.status = "open", .officer = "XY", .issue = "cme", .pex_risk = 0};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT status || '|' || issue || '|' || pex_risk || '|' || "
                                    "o.initials FROM referrals r JOIN officers o ON o.id = "
                                    "r.officer_id"),
                        "open|cme|0|XY");
    assert_string_equal(sql_text(f, "SELECT detail FROM audit WHERE action = 'update'"),
                        "status,issue,officer,pex_risk");
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list"), 6);
    /* The sidebar counts follow (kept by triggers). */
    assert_int_equal(t_long(f->raw,
                            "SELECT n FROM referral_counts WHERE issue = 'cme' AND status = "
                            "'open'"),
                     1);
    /* Closing only with an outcome (record_close), never by editing the status; reopening
     * clears the closed date. */
    e = (record_edit){.status = "closed", .pex_risk = -1};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_DATA);
    assert_string_equal(p.field, "status");
    assert_string_equal(sql_text(f, "SELECT status FROM referrals"), "open");
    assert_int_equal(record_close(f->s, &f->cfg, f->today, rid, "other", "", "", &p), EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT closed FROM referrals"), "2024-11-15");
    e.status = "open";
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_OK);
    assert_string_equal(sql_text(f, "SELECT coalesce(closed, 'none') FROM referrals"), "none");
    /* No officer. */
    e = (record_edit){.officer = "", .pex_risk = -1};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT officer_id IS NULL FROM referrals"), 1);
    /* Bad values. */
    e = (record_edit){.status = "pending", .pex_risk = -1};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_DATA);
    assert_string_equal(p.field, "status");
    e = (record_edit){.issue = "", .pex_risk = -1};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_DATA);
    assert_string_equal(p.field, "issue");
}

static void test_busy_database(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    /* Another program holds the write lock. */
    t_exec(f->raw, "BEGIN IMMEDIATE");
    record_action a = {.kind = "call"};
    record_problem p;
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, NULL, &p), EXIT_BUSY);
    assert_true(strstr(p.message, "locked") != NULL);
    t_exec(f->raw, "ROLLBACK");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM actions"), 0);
    /* Once free, the same change goes through. */
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, NULL, &p), EXIT_OK);
}

static void test_read_only_database(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    store *ro;
    char err[512];
    assert_int_equal(store_open(f->path, STORE_READONLY, &ro, err, sizeof err), EXIT_OK);
    record_action a = {.kind = "call"};
    record_problem p;
    assert_int_equal(record_action_add(ro, &f->cfg, f->today, rid, &a, NULL, &p), EXIT_IO);
    assert_true(strstr(p.message, "read-only") != NULL);
    store_close(ro);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM actions"), 0);
}

/* ---- one rule per field: what import accepts, the app accepts, and the other way round ---- */

typedef struct {
    const char *received, *dob, *officer, *care, *summary;
} drift_row;

/* The row imported as a new referral and child (names unique to n); returns the exit code. */
static int drift_import(fixture *f, const drift_row *d, int n, bool dmy)
{
    char csv[1024];
    snprintf(csv, sizeof csv,
             "ref,received,source,issue,la_child_id,first_name,last_name,dob,care_status,sen,"
             "officer,summary\n"
             "IMP-%d,%s,school,cme,LA-I%d,Ada,Import%d,%s,%s,none,%s,\"%s\"\n",
             n, d->received, n, n, d->dob, d->care, d->officer, d->summary);
    import_options o = {.as_of = f->today, .cfg = &f->cfg, .dmy = dmy};
    import_stats st;
    buf e = BUF_INIT;
    int rc = import_text(f->s, KIND_REFERRALS, "f.csv", csv, strlen(csv), &o, &st, &e);
    buf_free(&e);
    return rc;
}

/* The same row through the app's new-referral form. */
static int drift_app(fixture *f, const drift_row *d, int n)
{
    char lid[16], last[16];
    snprintf(lid, sizeof lid, "LA-A%d", n);
    snprintf(last, sizeof last, "App%d", n);
    record_child c = {.la_child_id = lid,
                      .first_name = "Ada",
                      .last_name = last,
                      .dob = d->dob,
                      .care_status = d->care,
                      .sen = "none"};
    record_referral r = {.received = d->received,
                         .source = "school",
                         .issue = "cme",
                         .officer = d->officer,
                         .summary = d->summary};
    record_problem p;
    return record_referral_create(f->s, &f->cfg, f->today, 0, &c, &r, NULL, NULL, &p);
}

/* Import and the app agree on each row (today is 2024-11-15): the drifts of issue 8 (a referral
 * received after today, a child born after today, initials "J Smith!" were imported but refused
 * by the app), and the leniency both now share. */
static void test_import_and_app_agree(void **state)
{
    fixture *f = *state;
    const struct {
        drift_row row;
        int rc;
    } cases[] = {
        {{"2024-11-16", "2012-01-01", "JB", "cp", "x"}, EXIT_DATA}, /* received after today */
        {{"2024-11-01", "2024-11-16", "JB", "cp", "x"}, EXIT_DATA}, /* born after today */
        {{"2024-11-01", "2024-11-02", "JB", "cp", "x"}, EXIT_DATA}, /* born after received */
        {{"2024-11-01", "1989-12-31", "JB", "cp", "x"}, EXIT_DATA}, /* born before 1990 */
        {{"2024-11-01", "2012-01-01", "J Smith!", "cp", "x"}, EXIT_DATA},
        {{"2024-11-01", "2012-01-01", "ABCDE", "cp", "x"}, EXIT_DATA},
        {{"2024-11-01", "2012-01-01", "JB", "cp",
          "a\xe2\x80\xae"
          "b"},
         EXIT_DATA}, /* U+202E */
        {{"2024-11-01", "2012-01-01", "JB", "cp", "a\x1b[2Jb"}, EXIT_DATA},
        {{"2024-11-01", "2012-01-01", "jb", "LAC", "two\nlines"}, EXIT_OK},
        {{"01/11/2024", "1/1/2012", "JB", "Child protection", "x"}, EXIT_OK},
        {{"2024-11-15", "2024-11-15", "", "CIN", ""}, EXIT_OK},
    };
    for (int i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) {
        int imp = drift_import(f, &cases[i].row, i, true);
        int app = drift_app(f, &cases[i].row, i);
        if (imp != cases[i].rc || app != cases[i].rc)
            fail_msg("case %d: import %d, app %d, expected %d", i, imp, app, cases[i].rc);
    }
    /* Both stored the lenient values alike. */
    assert_string_equal(sql_text(f, "SELECT group_concat(c.care_status || ' ' || o.initials || ' "
                                    "' || r.received, ',') FROM referrals r JOIN children c ON "
                                    "c.id = r.child_id JOIN officers o ON o.id = r.officer_id "
                                    "WHERE c.last_name IN ('Import8', 'App8')"),
                        "cla JB 2024-11-01,cla JB 2024-11-01");
    /* A referral imported can be edited in the app with the officer it was given. */
    int64_t id = t_long(f->raw, "SELECT id FROM referrals WHERE ref = 'IMP-8'");
    record_edit e = {.status = "open", .officer = "JB", .pex_risk = -1};
    record_problem p;
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, id, &e, &p), EXIT_OK);
    /* Kinds of action: the same word both ways, refused alike. */
    const char *acts[] = {"Home visit", "call!"};
    for (int i = 0; i < 2; i++) {
        char csv[128];
        snprintf(csv, sizeof csv, "ref,date,kind\nIMP-8,2024-11-1%d,%s\n", i, acts[i]);
        import_options o = {.as_of = f->today};
        import_stats st;
        buf err = BUF_INIT;
        int imp = import_text(f->s, KIND_ACTIONS, "a.csv", csv, strlen(csv), &o, &st, &err);
        buf_free(&err);
        record_action ra = {.date = "2024-11-12", .kind = acts[i]};
        int app = record_action_add(f->s, &f->cfg, f->today, id, &ra, NULL, &p);
        assert_int_equal(imp, i ? EXIT_DATA : EXIT_OK);
        assert_int_equal(app, imp);
    }
    assert_string_equal(sql_text(f, "SELECT group_concat(kind) FROM actions"),
                        "home_visit,home_visit");
    /* The app's other dates: an action or outcome after today is refused too. */
    record_action a = {.date = "2024-11-16", .kind = "call"};
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, id, &a, NULL, &p), EXIT_DATA);
    assert_string_equal(p.field, "date");
    assert_int_equal(
        record_outcome_add(f->s, &f->cfg, f->today, id, "other", "16/11/2024", "", NULL, &p),
        EXIT_DATA);
    assert_string_equal(p.message, "'2024-11-16' is after today (2024-11-15)");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_new_child_and_referral),
        T(test_generated_refs_count_up),
        T(test_laptop_refs_carry_the_copy),
        T(test_newest_referral_updates_child_status),
        T(test_bad_input_writes_nothing),
        T(test_keys_already_used),
        T(test_actions_append),
        T(test_follow_ups_done),
        T(test_outcome_and_close),
        T(test_edit),
        T(test_edit_against_opened),
        T(test_busy_database),
        T(test_read_only_database),
        T(test_import_and_app_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
