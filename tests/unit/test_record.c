/* test_record: the app's writes (src/app/record.c over src/store/referrals.c, events.c and
 * children.c) on a temporary database: each change checked first (nothing written when wrong), one
 * transaction with an audit row that holds no child data, the child's score brought up to date, and
 * the failures of a busy or read-only database. Rows are inspected through a second connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "testdb.h"

#include "caseload/browse.h"
#include "caseload/config.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
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
    char path[T_DB_PATH];
    store *s;
    sqlite3 *raw;
    config cfg;
    date_t today;
} fixture;

static int setup(void **state)
{
    setenv("CASELOAD_OFFICER", "tester", 1);
    setenv("CASELOAD_BUSY_TIMEOUT_MS", "50", 1);
    fixture *f = calloc(1, sizeof *f);
    t_db_open("test_record", f->path, &f->s, &f->raw);
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
    config_free(&f->cfg);
    t_db_close(f->path, f->s, f->raw);
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
    assert_string_equal(t_text(f->raw, "SELECT upn || '|' || first_name || '|' || sen || '|' || "
                                       "care_status || '|' || sen_need FROM children"),
                        "B801200005001|Ada|sen_support|cp|SEMH");
    assert_string_equal(t_text(f->raw, "SELECT s.urn || '|' || s.name FROM children c "
                                       "JOIN schools s ON s.id = c.school_id"),
                        "100001|Hill Primary");
    char q[256];
    snprintf(q, sizeof q,
             "SELECT ref || '|' || status || '|' || other_issues || '|' || pex_risk || '|' || "
             "care_status || '|' || sen || '|' || o.initials FROM referrals r "
             "JOIN officers o ON o.id = r.officer_id WHERE r.id = %lld",
             (long long)rid);
    assert_string_equal(t_text(f->raw, q), "R-2024-00001|new|attendance;cme|1|cp|sen_support|JB");
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
    assert_string_equal(t_text(f->raw, q), "R-2024-00042|cp|sen_support");
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
    assert_string_equal(t_text(f->raw, "SELECT care_status || '|' || sen FROM children"),
                        "cla|ehcp");
    /* An older referral leaves the child's current status alone. */
    r.received = "2023-01-10";
    r.care_status = "cin";
    r.sen = "none";
    assert_int_equal(record_referral_create(f->s, &f->cfg, f->today, cid, NULL, &r, NULL, NULL, &p),
                     EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT care_status || '|' || sen FROM children"),
                        "cla|ehcp");
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
    assert_string_equal(t_text(f->raw, "SELECT follow_up FROM referral_follow_up"), "2024-11-12");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM officers WHERE initials = 'KM'"), 1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE tbl = 'actions'"), 2);
    /* Defaults: today's date, no officer, no follow-up. */
    record_action b = {.kind = "visit"};
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &b, NULL, &p), EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT date || '|' || coalesce(officer_id, 'none') FROM "
                                       "actions WHERE kind = 'visit'"),
                        "2024-11-15|none");
    /* An action without a follow-up leaves the pending ones (SPEC section 8). */
    assert_string_equal(t_text(f->raw, "SELECT follow_up FROM referral_follow_up"), "2024-11-12");
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
    assert_string_equal(t_text(f->raw, "SELECT follow_up FROM referral_follow_up"), "2024-11-13");
    /* Done before the action is refused; done on a date: the next one is pending. */
    assert_int_equal(
        record_follow_up_done(f->s, &f->cfg, f->today, rid, a2, "2024-11-01", "KM", &p), EXIT_DATA);
    assert_string_equal(p.field, "date");
    assert_int_equal(record_follow_up_done(f->s, &f->cfg, f->today, rid, a2, "", "KM", &p),
                     EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT date FROM follow_up_done"), "2024-11-15");
    assert_string_equal(t_text(f->raw, "SELECT follow_up FROM referral_follow_up"), "2024-11-20");
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
    assert_string_equal(t_text(f->raw, "SELECT follow_up FROM referral_follow_up"), "2024-12-01");
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
    assert_string_equal(t_text(f->raw, "SELECT status FROM referrals"), "new");
    assert_int_equal(t_long(f->raw, "SELECT score FROM referral_list"), 14);

    /* Closing needs an outcome, records it and closes with the date. */
    assert_int_equal(record_close(f->s, &f->cfg, f->today, rid, "", "", "", &p), EXIT_DATA);
    assert_string_equal(p.field, "outcome");
    assert_int_equal(
        record_close(f->s, &f->cfg, f->today, rid, "exclusion_avoided", "", "done", &p), EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT status || '|' || closed FROM referrals"),
                        "closed|2024-11-15");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM outcomes"), 2);
    assert_string_equal(t_text(f->raw, "SELECT outcome FROM outcomes WHERE date = '2024-11-15'"),
                        "exclusion_avoided");
    assert_string_equal(t_text(f->raw, "SELECT detail FROM audit WHERE action = 'close'"),
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
    assert_string_equal(t_text(f->raw, "SELECT o.initials || '/' || r.issue FROM referrals r "
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
    assert_string_equal(t_text(f->raw, "SELECT o.initials FROM referrals r "
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
    assert_string_equal(t_text(f->raw, "SELECT status || '|' || issue || '|' || pex_risk || '|' || "
                                       "o.initials FROM referrals r JOIN officers o ON o.id = "
                                       "r.officer_id"),
                        "open|cme|0|XY");
    assert_string_equal(t_text(f->raw, "SELECT detail FROM audit WHERE action = 'update'"),
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
    assert_string_equal(t_text(f->raw, "SELECT status FROM referrals"), "open");
    assert_int_equal(record_close(f->s, &f->cfg, f->today, rid, "other", "", "", &p), EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT closed FROM referrals"), "2024-11-15");
    e.status = "open";
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT coalesce(closed, 'none') FROM referrals"), "none");
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

/* An officer stored before today's initials rule (5 letters, a dot) can still be kept and
 * chosen: the edit form opens with it and saves another field; an action names it. A new officer
 * must still follow the rule. */
static void test_stored_officer_outside_the_rule(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    assert_int_equal(sqlite3_exec(f->raw,
                                  "INSERT INTO officers(id, initials) VALUES (900, 'J.H'), (901, "
                                  "'ABCDE'); UPDATE referrals SET officer_id = 900",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    record_problem p;
    edit_referral a;
    assert_int_equal(edit_referral_get(f->s, rid, &a), EXIT_OK);
    assert_string_equal(a.officer, "J.H");
    record_edit e = {
        .status = a.status, .officer = a.officer, .issue = "cme", .pex_risk = -1, .opened = &a};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT o.initials || '/' || r.issue FROM referrals r "
                                       "JOIN officers o ON o.id = r.officer_id"),
                        "J.H/cme");
    assert_int_equal(edit_referral_get(f->s, rid, &a), EXIT_OK);
    e = (record_edit){.officer = "ABCDE", .pex_risk = -1, .opened = &a};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT officer_id FROM referrals"), 901);
    record_action act = {.kind = "call", .officer = " J.H "};
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &act, NULL, &p), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT officer_id FROM actions"), 900);
    /* Not stored: the rule. */
    act.officer = "ABCDEF";
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &act, NULL, &p), EXIT_DATA);
    assert_string_equal(p.field, "officer");
    act.officer = "K.M";
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &act, NULL, &p), EXIT_DATA);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM officers"),
                     t_long(f->raw, "SELECT count(*) FROM officers WHERE initials <> 'K.M'"));
}

/* Corrections (migration 0015): an amendment or a withdrawal is a new row superseding the
 * current version, both kept and audited; the follow-ups and export count the current versions;
 * a version corrected meanwhile cannot be corrected again; reopening is recorded. */
static void test_corrections(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    record_problem p;
    record_action a = {
        .date = "2024-11-05", .officer = "KM", .kind = "call", .follow_up = "2024-11-12"};
    record_action b = {
        .date = "2024-11-06", .officer = "KM", .kind = "email", .follow_up = "2024-11-20"};
    int64_t a1 = 0, b1 = 0, a2 = 0;
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, &a1, &p), EXIT_OK);
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &b, &b1, &p), EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT follow_up FROM referral_follow_up"), "2024-11-12");
    /* Amend the call: a later follow-up. Both rows stay; the next follow-up follows. */
    a.follow_up = "2024-11-25";
    a.note = "typo fixed";
    assert_int_equal(
        record_action_amend(f->s, &f->cfg, f->today, rid, a1, &a, "SK", "wrong date", &a2, &p),
        EXIT_OK);
    assert_true(a2 != 0 && a2 != a1);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM actions"), 3);
    assert_int_equal(t_long(f->raw, "SELECT supersedes FROM actions WHERE supersedes IS NOT NULL"),
                     a1);
    assert_string_equal(t_text(f->raw, "SELECT withdrawn || '|' || corrected_on || '|' || "
                                       "o.initials || '|' || reason FROM actions a JOIN officers o "
                                       "ON o.id = a.corrected_by WHERE a.supersedes IS NOT NULL"),
                        "0|2024-11-15|SK|wrong date");
    assert_string_equal(t_text(f->raw, "SELECT follow_up FROM referral_follow_up"), "2024-11-20");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'amend'"), 1);
    /* The old version cannot be corrected again: it is not current. */
    assert_int_equal(record_withdraw(f->s, &f->cfg, f->today, rid, false, a1, "SK", "", NULL, &p),
                     EXIT_DATA);
    assert_true(p.conflict);
    /* Nothing changed: nothing written. */
    assert_int_equal(record_action_amend(f->s, &f->cfg, f->today, rid, a2, &a, "SK", "", &a1, &p),
                     EXIT_OK);
    assert_int_equal(a1, 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM actions"), 3);
    /* Withdraw the email: its pending follow-up is no longer pending. */
    assert_int_equal(
        record_withdraw(f->s, &f->cfg, f->today, rid, false, b1, "SK", "duplicate", NULL, &p),
        EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT follow_up FROM referral_follow_up"), "2024-11-25");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM actions_current"), 1);
    browse_follow_up fu[4];
    int n = 0;
    assert_int_equal(browse_follow_ups_pending(f->s, rid, fu, 4, &n), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(fu[0].action_id, a2);
    /* A done follow-up stays done when an amendment keeps its date. */
    assert_int_equal(record_follow_up_done(f->s, &f->cfg, f->today, rid, a2, "", "KM", &p),
                     EXIT_OK);
    a.note = "typo fixed again";
    int64_t a3 = 0;
    assert_int_equal(record_action_amend(f->s, &f->cfg, f->today, rid, a2, &a, "SK", "", &a3, &p),
                     EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM referral_follow_up"), 0);
    assert_int_equal(browse_follow_ups_pending(f->s, rid, fu, 4, &n), EXIT_OK);
    assert_int_equal(n, 0);
    /* The timeline: the current versions, the correction said, the withdrawn one marked. */
    browse_event ev[20];
    assert_int_equal(browse_timeline(f->s, rid, ev, 20, &n), EXIT_OK);
    int actions = 0, withdrawn = 0;
    for (int i = 0; i < n; i++) {
        if (ev[i].kind != BROWSE_EV_ACTION) continue;
        actions++;
        if (ev[i].withdrawn) {
            withdrawn++;
            assert_string_equal(ev[i].correction, "withdrawn 2024-11-15 by SK: duplicate");
            assert_string_equal(ev[i].was_code, "");
        } else {
            assert_string_equal(ev[i].text, "typo fixed again");
            /* What it was comes apart from the correction: the kind a code, the screen labels it.
             */
            assert_string_equal(ev[i].correction, "amended 2024-11-15 by SK");
            assert_string_equal(ev[i].was_code, "call");
            assert_string_equal(ev[i].was, "of 2024-11-05 by KM: typo fixed");
        }
    }
    assert_int_equal(actions, 2);
    assert_int_equal(withdrawn, 1);
    /* Outcomes: amended and withdrawn the same way. */
    int64_t o1 = 0, o2 = 0;
    assert_int_equal(record_outcome_add(f->s, &f->cfg, f->today, rid, "exclusion_avoided",
                                        "2024-11-10", "", &o1, &p),
                     EXIT_OK);
    assert_int_equal(record_outcome_amend(f->s, &f->cfg, f->today, rid, o1, "permanently_excluded",
                                          "2024-11-10", "", "SK", "", &o2, &p),
                     EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT group_concat(outcome) FROM outcomes_current"),
                        "permanently_excluded");
    assert_int_equal(browse_timeline(f->s, rid, ev, 20, &n), EXIT_OK);
    int outcomes = 0;
    for (int i = 0; i < n; i++) {
        if (ev[i].kind != BROWSE_EV_OUTCOME) continue;
        outcomes++;
        assert_string_equal(ev[i].code, "permanently_excluded");
        assert_string_equal(ev[i].correction, "amended 2024-11-15 by SK");
        assert_string_equal(ev[i].was_code, "exclusion_avoided");
        assert_string_equal(ev[i].was, "of 2024-11-10");
    }
    assert_int_equal(outcomes, 1);
    assert_int_equal(record_withdraw(f->s, &f->cfg, f->today, rid, true, o2, "SK", "", NULL, &p),
                     EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM outcomes_current"), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM outcomes"), 3);
    /* Reopening: refused when not closed; recorded with the closed date it had. */
    assert_int_equal(record_reopen(f->s, &f->cfg, f->today, rid, "SK", "", &p), EXIT_DATA);
    assert_int_equal(record_close(f->s, &f->cfg, f->today, rid, "other", "2024-11-14", "", &p),
                     EXIT_OK);
    assert_int_equal(record_reopen(f->s, &f->cfg, f->today, rid, "SK", "new evidence", &p),
                     EXIT_OK);
    assert_string_equal(t_text(f->raw,
                               "SELECT r.status || '|' || coalesce(r.closed, '') || '|' || "
                               "p.date || '|' || p.closed || '|' || p.reason FROM referrals "
                               "r JOIN reopenings p ON p.referral_id = r.id"),
                        "open||2024-11-15|2024-11-14|new evidence");
    /* Reopened by editing the status: recorded too. */
    assert_int_equal(record_close(f->s, &f->cfg, f->today, rid, "other", "", "", &p), EXIT_OK);
    record_edit e = {.status = "open", .pex_risk = -1};
    assert_int_equal(record_referral_edit(f->s, &f->cfg, f->today, rid, &e, &p), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM reopenings"), 2);
    assert_int_equal(browse_timeline(f->s, rid, ev, 20, &n), EXIT_OK);
    int reopened = 0, closed = 0;
    for (int i = 0; i < n; i++) {
        reopened += ev[i].kind == BROWSE_EV_REOPENED;
        closed += ev[i].kind == BROWSE_EV_CLOSED;
    }
    assert_int_equal(reopened, 2);
    assert_int_equal(closed, 2);
}

/* Withdrawing the outcome that closed a referral reopens it (recorded as a reopening, "closing
 * outcome withdrawn"); withdrawing another outcome of a closed referral leaves it closed. */
static void test_withdraw_closing_outcome(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    record_problem p;
    int64_t before = 0, after = 0, closing = 0, amended = 0;
    assert_int_equal(
        record_outcome_add(f->s, &f->cfg, f->today, rid, "other", "2024-11-10", "", &before, &p),
        EXIT_OK);
    assert_int_equal(
        record_close(f->s, &f->cfg, f->today, rid, "exclusion_avoided", "2024-11-12", "", &p),
        EXIT_OK);
    closing = t_long(f->raw, "SELECT max(id) FROM outcomes");
    assert_int_equal(
        record_outcome_add(f->s, &f->cfg, f->today, rid, "other", "2024-11-14", "", &after, &p),
        EXIT_OK);
    bool reopened = true;
    /* An outcome after the closing one, and one before it: the referral stays closed. */
    assert_int_equal(
        record_withdraw(f->s, &f->cfg, f->today, rid, true, after, "SK", "", &reopened, &p),
        EXIT_OK);
    assert_false(reopened);
    reopened = true;
    assert_int_equal(
        record_withdraw(f->s, &f->cfg, f->today, rid, true, before, "SK", "", &reopened, &p),
        EXIT_OK);
    assert_false(reopened);
    assert_string_equal(t_text(f->raw, "SELECT status || '|' || closed FROM referrals"),
                        "closed|2024-11-12");
    /* The closing outcome amended is still the closing one; withdrawn, the referral reopens. */
    assert_int_equal(record_outcome_amend(f->s, &f->cfg, f->today, rid, closing,
                                          "exclusion_avoided", "2024-11-12", "typo", "SK", "",
                                          &amended, &p),
                     EXIT_OK);
    assert_int_equal(record_withdraw(f->s, &f->cfg, f->today, rid, true, amended, "SK",
                                     "wrong referral", &reopened, &p),
                     EXIT_OK);
    assert_true(reopened);
    assert_string_equal(t_text(f->raw,
                               "SELECT r.status || '|' || coalesce(r.closed, '') || '|' || "
                               "p.date || '|' || p.closed || '|' || p.reason FROM referrals "
                               "r JOIN reopenings p ON p.referral_id = r.id"),
                        "open||2024-11-15|2024-11-12|closing outcome withdrawn");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM outcomes_current"), 0);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'reopen'"), 1);
    browse_event ev[20];
    int n = 0, reopenings = 0;
    assert_int_equal(browse_timeline(f->s, rid, ev, 20, &n), EXIT_OK);
    for (int i = 0; i < n; i++)
        reopenings += ev[i].kind == BROWSE_EV_REOPENED;
    assert_int_equal(reopenings, 1);
}

/* A correction's note in the timeline is whole, however long: the reason (at most 2047 bytes)
 * and the note it superseded (at most 2047 bytes) both come back to the last byte. */
static void test_long_correction_whole(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    record_problem p;
    char note[2048], reason[2048];
    size_t k = 0;
    for (int i = 0; i < 850; i++) /* 1806 bytes of 'é' and ' ' */
        memcpy(note + k, i % 8 == 7 ? " \xc3\xa9" : "\xc3\xa9", i % 8 == 7 ? 3 : 2),
            k += i % 8 == 7 ? 3 : 2;
    memcpy(note + k, " END", 5);
    snprintf(reason, sizeof reason, "%s", note);
    reason[0] = 'R';
    reason[1] = ' ';
    assert_true(strlen(note) > 1700 && strlen(note) < 2048);
    record_action a = {.date = "2024-11-05", .officer = "KM", .kind = "call", .note = note};
    int64_t a1 = 0, a2 = 0;
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, &a1, &p), EXIT_OK);
    a.note = "short now";
    assert_int_equal(
        record_action_amend(f->s, &f->cfg, f->today, rid, a1, &a, "SK", reason, &a2, &p), EXIT_OK);
    browse_event ev[20];
    int n = 0, seen = 0;
    assert_int_equal(browse_timeline(f->s, rid, ev, 20, &n), EXIT_OK);
    char want[2200];
    for (int i = 0; i < n; i++) {
        if (ev[i].kind != BROWSE_EV_ACTION) continue;
        seen++;
        snprintf(want, sizeof want, "of 2024-11-05 by KM: %s", note);
        assert_string_equal(ev[i].was, want);
        snprintf(want, sizeof want, "amended 2024-11-15 by SK: %s", reason);
        assert_string_equal(ev[i].correction, want);
    }
    assert_int_equal(seen, 1);
}

/* Amending the outcome that closed a referral to another date moves the closed date with it
 * (audited); amending another outcome of it leaves the closed date alone; every outcome code
 * closes, so a closing outcome amended to another code keeps the referral closed. */
static void test_amend_closing_outcome(void **state)
{
    fixture *f = *state;
    int64_t rid = create(f, NULL);
    record_problem p;
    int64_t other = 0, closing = 0, a1 = 0, a2 = 0, a3 = 0;
    assert_int_equal(
        record_outcome_add(f->s, &f->cfg, f->today, rid, "other", "2024-11-10", "", &other, &p),
        EXIT_OK);
    assert_int_equal(
        record_close(f->s, &f->cfg, f->today, rid, "exclusion_avoided", "2024-11-12", "", &p),
        EXIT_OK);
    closing = t_long(f->raw, "SELECT max(id) FROM outcomes");
    assert_int_equal(record_outcome_amend(f->s, &f->cfg, f->today, rid, closing,
                                          "exclusion_avoided", "2024-11-13", "", "SK", "", &a1, &p),
                     EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT status || '|' || closed FROM referrals"),
                        "closed|2024-11-13");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE action = 'update' AND "
                                    "tbl = 'referrals' AND detail = 'closed'"),
                     1);
    /* Another outcome amended: the closed date stays. */
    assert_int_equal(record_outcome_amend(f->s, &f->cfg, f->today, rid, other, "other",
                                          "2024-11-11", "", "SK", "", NULL, &p),
                     EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT closed FROM referrals"), "2024-11-13");
    /* Back-dated before the other outcome, and to another code: still closed, on that date. */
    assert_int_equal(record_outcome_amend(f->s, &f->cfg, f->today, rid, a1, "no_further_action",
                                          "2024-11-09", "", "SK", "", &a2, &p),
                     EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT status || '|' || closed FROM referrals"),
                        "closed|2024-11-09");
    browse_event ev[20];
    int n = 0, closed = 0;
    assert_int_equal(browse_timeline(f->s, rid, ev, 20, &n), EXIT_OK);
    for (int i = 0; i < n; i++)
        if (ev[i].kind == BROWSE_EV_CLOSED) {
            closed++;
            assert_string_equal(ev[i].date, "2024-11-09");
        }
    assert_int_equal(closed, 1);
    /* It is still the closing outcome: amended again it moves the date, withdrawn it reopens. */
    assert_int_equal(record_outcome_amend(f->s, &f->cfg, f->today, rid, a2, "no_further_action",
                                          "2024-11-14", "", "SK", "", &a3, &p),
                     EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT closed FROM referrals"), "2024-11-14");
    bool reopened = false;
    assert_int_equal(
        record_withdraw(f->s, &f->cfg, f->today, rid, true, a3, "SK", "", &reopened, &p), EXIT_OK);
    assert_true(reopened);
    assert_string_equal(t_text(f->raw, "SELECT p.closed FROM reopenings p"), "2024-11-14");
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
    assert_string_equal(t_text(f->raw,
                               "SELECT group_concat(c.care_status || ' ' || o.initials || ' "
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
    assert_string_equal(t_text(f->raw, "SELECT group_concat(kind) FROM actions"),
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

/* Imports the one row of csv (file f.csv) and checks that it is refused with the words the app's
 * form gave p: "f.csv:2: FIELD: MESSAGE". */
static void import_says(fixture *f, import_kind kind, const char *csv, const record_problem *p)
{
    import_options o = {.as_of = f->today, .cfg = &f->cfg};
    import_stats st;
    buf err = BUF_INIT;
    char line[700];
    snprintf(line, sizeof line, "f.csv:2: %s: %s\n", p->field, p->message);
    int rc = import_text(f->s, kind, "f.csv", csv, strlen(csv), &o, &st, &err);
    if (rc != EXIT_DATA || !strstr(buf_str(&err), line))
        fail_msg("import %d said:\n%s\nthe app said:\n%s", rc, buf_str(&err), line);
    buf_free(&err);
}

/* The order of two dates of a record is worded once (field_date_from and its FIELD_FROM_ names):
 * a follow-up before its action, an outcome before its referral was received and an episode's end
 * before its start are refused by the app's forms in the words import uses. */
static void test_import_and_app_word_dates_alike(void **state)
{
    fixture *f = *state;
    int64_t cid, rid = create(f, &cid); /* received 2024-11-01 */
    char ref[64], csv[256];
    snprintf(ref, sizeof ref, "%s", t_text(f->raw, "SELECT ref FROM referrals"));
    record_problem p;
    record_action a = {.date = "2024-11-10", .kind = "call", .follow_up = "2024-11-09"};
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, NULL, &p), EXIT_DATA);
    assert_string_equal(p.message, "'2024-11-09' is before the action's date (2024-11-10)");
    snprintf(csv, sizeof csv, "ref,date,kind,follow_up\n%s,2024-11-10,call,2024-11-09\n", ref);
    import_says(f, KIND_ACTIONS, csv, &p);
    assert_int_equal(
        record_outcome_add(f->s, &f->cfg, f->today, rid, "other", "2024-10-31", "", NULL, &p),
        EXIT_DATA);
    assert_string_equal(p.message, "'2024-10-31' is before the referral's received date "
                                   "(2024-11-01)");
    snprintf(csv, sizeof csv, "ref,date,outcome\n%s,2024-10-31,other\n", ref);
    import_says(f, KIND_OUTCOMES, csv, &p);
    record_episode e = {.kind = "cme", .start = "2024-11-04", .in_county = -1};
    int64_t eid = 0;
    assert_int_equal(record_episode_open(f->s, &f->cfg, f->today, cid, &e, &eid, &p), EXIT_OK);
    assert_int_equal(record_episode_end(f->s, &f->cfg, f->today, cid, eid, "2024-11-03", &p),
                     EXIT_DATA);
    import_says(f, KIND_EPISODES, "upn,kind,start,end\nB801200005001,ehe,2024-11-04,2024-11-03\n",
                &p);
    /* A follow-up done before its action, and an amended action's follow-up, alike. */
    int64_t aid = 0;
    a.follow_up = "2024-11-12";
    assert_int_equal(record_action_add(f->s, &f->cfg, f->today, rid, &a, &aid, &p), EXIT_OK);
    assert_int_equal(record_follow_up_done(f->s, &f->cfg, f->today, rid, aid, "2024-11-09", "", &p),
                     EXIT_DATA);
    assert_string_equal(p.message, "'2024-11-09' is before the action's date (2024-11-10)");
    a.follow_up = "2024-11-08";
    assert_int_equal(
        record_action_amend(f->s, &f->cfg, f->today, rid, aid, &a, "", "typo", NULL, &p),
        EXIT_DATA);
    assert_string_equal(p.field, "follow_up");
    assert_string_equal(p.message, "'2024-11-08' is before the action's date (2024-11-10)");
}

/* Attendance and an episode's end are of what has happened (field.h's one rule, as an exclusion's
 * and an episode's start): import, the app's forms and sync resolve (test_field) refuse a date
 * after today alike; today itself is good. */
static void test_facts_not_after_today(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    record_problem p;
    record_attendance a = {"2024-11-04", "2024-11-16", "10", "8"};
    assert_int_equal(record_attendance_add(f->s, &f->cfg, f->today, cid, &a, NULL, &p), EXIT_DATA);
    assert_string_equal(p.message, "'2024-11-16' is after today (2024-11-15)");
    import_says(f, KIND_ATTENDANCE,
                "upn,from,to,possible_sessions,attended_sessions\n"
                "B801200005001,2024-11-04,2024-11-16,10,8\n",
                &p);
    record_episode e = {.kind = "cme", .start = "2024-11-04", .in_county = -1};
    int64_t eid = 0;
    assert_int_equal(record_episode_open(f->s, &f->cfg, f->today, cid, &e, &eid, &p), EXIT_OK);
    long audit = t_long(f->raw, "SELECT count(*) FROM audit");
    assert_int_equal(record_episode_end(f->s, &f->cfg, f->today, cid, eid, "16/11/2024", &p),
                     EXIT_DATA);
    assert_string_equal(p.field, "end");
    assert_string_equal(p.message, "'2024-11-16' is after today (2024-11-15)");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), audit);
    import_says(f, KIND_EPISODES, "upn,kind,start,end\nB801200005001,ehe,2024-11-04,2024-11-16\n",
                &p);
    assert_int_equal(record_episode_end(f->s, &f->cfg, f->today, cid, eid, "2024-11-15", &p),
                     EXIT_OK);
    a.to = "2024-11-15";
    assert_int_equal(record_attendance_add(f->s, &f->cfg, f->today, cid, &a, NULL, &p), EXIT_OK);
}

/* ---- the facts the matrix scores ---- */

/* The child's stored score. */
static long stored_score(fixture *f)
{
    return t_long(f->raw, "SELECT score FROM child_scores");
}

/* Ada (cp 5 + sen_support 1 + pex_risk 8 = 14) is suspended twice and permanently excluded: each
 * row stored as import stores it, audited in her access log, her score brought up to date. */
static void test_exclusions(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    assert_int_equal(stored_score(f), 14);
    int64_t school = t_long(f->raw, "SELECT school_id FROM children");
    record_problem p;
    int64_t id = 0;
    record_exclusion x = {.start = "01/10/2024",
                          .category = "FIXD",
                          .days = "2.5",
                          .reason = "pp",
                          .school_id = school};
    assert_int_equal(record_exclusion_add(f->s, &f->cfg, f->today, cid, &x, &id, &p), EXIT_OK);
    assert_true(id != 0);
    assert_string_equal(t_text(f->raw, "SELECT start || '|' || category || '|' || days || '|' || "
                                       "reason || '|' || (school_id IS NOT NULL) FROM exclusions"),
                        "2024-10-01|suspension|2.5|PP|1");
    assert_int_equal(stored_score(f), 16); /* + suspensions 1 x 2 */
    char q[200];
    snprintf(q, sizeof q,
             "SELECT count(*) FROM audit WHERE action = 'insert' AND tbl = 'exclusions' AND "
             "row_id = %lld AND child_id = %lld AND who = 'tester'",
             (long long)id, (long long)cid);
    assert_int_equal(t_long(f->raw, q), 1);
    /* Unknown days, no reason: a permanent exclusion. */
    record_exclusion pex = {.start = "2024-11-15", .category = "permanent"};
    assert_int_equal(record_exclusion_add(f->s, &f->cfg, f->today, cid, &pex, NULL, &p), EXIT_OK);
    assert_int_equal(stored_score(f), 26); /* + permanent_exclusion 10 */
    assert_string_equal(t_text(f->raw, "SELECT coalesce(days, 'null') || coalesce(reason, 'null') "
                                       "FROM exclusions WHERE category = 'permanent'"),
                        "nullnull");
    /* What import would refuse, refused alike, nothing written. */
    long audit = t_long(f->raw, "SELECT count(*) FROM audit");
    const struct {
        record_exclusion x;
        const char *field, *message;
    } bad[] = {
        {{.start = "", .category = "suspension"}, "start", "required"},
        {{.start = "2024-11-16", .category = "suspension"},
         "start",
         "'2024-11-16' is after today (2024-11-15)"},
        {{.start = "2012-12-09", .category = "suspension"},
         "start",
         "'2012-12-09' is before the child's date of birth (2012-12-10)"},
        {{.start = "2024-10-02", .category = "detention"},
         "category",
         "'detention' is not a category (one of: suspension, permanent)"},
        {{.start = "2024-10-02", .category = "suspension", .days = "0"},
         "days",
         "'0' is not a number of days above 0"},
        {{.start = "2024-10-02", .category = "suspension", .days = "1,5"}, "days", NULL},
        {{.start = "2024-10-02", .category = "suspension", .days = "201"}, "days", NULL},
        {{.start = "2024-10-02", .category = "suspension", .reason = "XX"},
         "reason",
         "'XX' is not a reason (one of: PP, PA, VP, VA, BU, RA, SM, DA, DM, TH, DB, OT, OW, LG, "
         "DS, MT, PH)"},
        {{.start = "2024-10-01", .category = "suspension"},
         "start",
         "a Suspension starting 2024-10-01 is already recorded for the child"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = record_exclusion_add(f->s, &f->cfg, f->today, cid, &bad[i].x, NULL, &p);
        if (rc != EXIT_DATA || strcmp(p.field, bad[i].field) != 0 ||
            (bad[i].message && strcmp(p.message, bad[i].message) != 0))
            fail_msg("case %zu: %d %s: %s", i, rc, p.field, p.message);
    }
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM exclusions"), 2);
    assert_string_equal(t_text(f->raw, "SELECT days FROM exclusions WHERE category = 'suspension'"),
                        "2.5");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), audit);
    assert_int_equal(record_exclusion_add(f->s, &f->cfg, f->today, 999, &x, NULL, &p), EXIT_DATA);
    assert_string_equal(p.field, "child");
}

static void test_attendance(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    record_problem p;
    record_attendance a = {.from = "2024-09-02",
                           .to = "2024-10-25",
                           .possible_sessions = "78",
                           .attended_sessions = "60"};
    assert_int_equal(record_attendance_add(f->s, &f->cfg, f->today, cid, &a, NULL, &p), EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT from_date || '|' || to_date || '|' || possible || "
                                       "'|' || attended FROM attendance"),
                        "2024-09-02|2024-10-25|78|60");
    assert_int_equal(stored_score(f), 18); /* 76.9%: + attendance_below_90 4 */
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit WHERE tbl = 'attendance'"), 1);
    /* A later record, below 50%, is the latest. */
    record_attendance b = {.from = "2024-10-28",
                           .to = "15/11/2024",
                           .possible_sessions = "20",
                           .attended_sessions = "9"};
    assert_int_equal(record_attendance_add(f->s, &f->cfg, f->today, cid, &b, NULL, &p), EXIT_OK);
    assert_int_equal(stored_score(f), 22); /* + attendance_below_50 8 instead */
    const struct {
        record_attendance a;
        const char *field, *message;
    } bad[] = {
        {{"2024-11-01", "2024-10-31", "2", "1"}, "to", "'2024-10-31' is before from (2024-11-01)"},
        {{"2024-11-01", "2024-11-16", "2", "1"}, "to", "'2024-11-16' is after today (2024-11-15)"},
        {{"2024-11-01", "2024-11-08", "", "1"}, "possible_sessions", "required"},
        {{"2024-11-01", "2024-11-08", "10", "11"},
         "attended_sessions",
         "11 is more than possible_sessions 10"},
        {{"2024-11-01", "2024-11-08", "1001", "1"}, "possible_sessions", NULL},
        {{"2024-11-01", "2024-11-08", "10", "-1"}, "attended_sessions", NULL},
        {{"2024-09-02", "2024-10-25", "78", "61"},
         "from",
         "an attendance record from 2024-09-02 to 2024-10-25 is already recorded for the child"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = record_attendance_add(f->s, &f->cfg, f->today, cid, &bad[i].a, NULL, &p);
        if (rc != EXIT_DATA || strcmp(p.field, bad[i].field) != 0 ||
            (bad[i].message && strcmp(p.message, bad[i].message) != 0))
            fail_msg("case %zu: %d %s: %s", i, rc, p.field, p.message);
    }
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM attendance"), 2);
    assert_int_equal(t_long(f->raw, "SELECT sum(attended) FROM attendance"), 69);
}

/* A CME referral scores cme once an episode is open (issue 11: it scored cme 0 for want of a way
 * to open one); ending it takes the factor away from the end date on. */
static void test_episodes(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    record_problem p;
    int64_t eid = 0;
    record_episode e = {.kind = "cme", .start = "2024-11-04", .in_county = 1};
    assert_int_equal(record_episode_open(f->s, &f->cfg, f->today, cid, &e, &eid, &p), EXIT_OK);
    assert_int_equal(stored_score(f), 24); /* + cme 10 */
    score_result sr;
    assert_int_equal(scoring_child(f->s, &f->cfg, f->today, cid, &sr), EXIT_OK);
    assert_int_equal(sr.total, 24);
    assert_int_equal(sr.value[F_CME], 1);
    assert_string_equal(t_text(f->raw, "SELECT kind || '|' || start || '|' || coalesce(end_date, "
                                       "'open') || '|' || in_county FROM episodes"),
                        "cme|2024-11-04|open|1");
    /* A second open CME episode is refused; another kind may be open beside it. */
    record_episode again = {.kind = "CME", .start = "2024-11-10", .in_county = -1};
    assert_int_equal(record_episode_open(f->s, &f->cfg, f->today, cid, &again, NULL, &p),
                     EXIT_DATA);
    assert_string_equal(p.field, "kind");
    assert_string_equal(p.message, "the child has a Child missing education episode open since "
                                   "2024-11-04: end it first");
    record_episode pt = {
        .kind = "part_time", .start = "2024-11-11", .hours_per_week = "12.5", .in_county = -1};
    assert_int_equal(record_episode_open(f->s, &f->cfg, f->today, cid, &pt, NULL, &p), EXIT_OK);
    assert_int_equal(stored_score(f), 30); /* + part_time 6 */
    record_episode badh = {
        .kind = "ehe", .start = "2024-11-11", .hours_per_week = "61", .in_county = -1};
    assert_int_equal(record_episode_open(f->s, &f->cfg, f->today, cid, &badh, NULL, &p), EXIT_DATA);
    assert_string_equal(p.field, "hours_per_week");
    record_episode future = {.kind = "ehe", .start = "2024-11-16", .in_county = -1};
    assert_int_equal(record_episode_open(f->s, &f->cfg, f->today, cid, &future, NULL, &p),
                     EXIT_DATA);
    assert_string_equal(p.field, "start");
    edit_episode open[4];
    int n = 0;
    assert_int_equal(edit_episodes_open(f->s, cid, open, 4, &n), EXIT_OK);
    assert_int_equal(n, 2);
    assert_true(open[0].id == eid);
    /* Ending: not before the start; then the factor is gone as of the end date. */
    long audit = t_long(f->raw, "SELECT count(*) FROM audit");
    assert_int_equal(record_episode_end(f->s, &f->cfg, f->today, cid, eid, "2024-11-03", &p),
                     EXIT_DATA);
    assert_string_equal(p.field, "end");
    assert_string_equal(p.message, "'2024-11-03' is before the episode's start (2024-11-04)");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), audit);
    assert_int_equal(record_episode_end(f->s, &f->cfg, f->today, cid, eid, "14/11/2024", &p),
                     EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT end_date FROM episodes WHERE kind = 'cme'"),
                        "2024-11-14");
    assert_int_equal(stored_score(f), 20);
    char q[200];
    snprintf(q, sizeof q,
             "SELECT count(*) FROM audit WHERE action = 'update' AND tbl = 'episodes' AND "
             "row_id = %lld AND detail = 'end' AND child_id = %lld",
             (long long)eid, (long long)cid);
    assert_int_equal(t_long(f->raw, q), 1);
    /* Ended already (by another program, say): refused, nothing written. */
    assert_int_equal(record_episode_end(f->s, &f->cfg, f->today, cid, eid, "2024-11-15", &p),
                     EXIT_DATA);
    assert_string_equal(p.field, "episode");
    assert_string_equal(t_text(f->raw, "SELECT end_date FROM episodes WHERE kind = 'cme'"),
                        "2024-11-14");
    /* Once ended, a new CME episode may be opened. */
    record_episode cme2 = {.kind = "cme", .start = "2024-11-15", .in_county = 0};
    assert_int_equal(record_episode_open(f->s, &f->cfg, f->today, cid, &cme2, NULL, &p), EXIT_OK);
    assert_int_equal(stored_score(f), 30);
}

/* The child's facts edited: care status, SEN and need, school, youth justice, social_work_ended;
 * only the fields changed are written; a field changed meanwhile by another program stops it. */
static void test_child_edit(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    t_exec(f->raw, "INSERT INTO schools(id, urn, name) VALUES (77, '100077', 'Dale Academy')");
    record_problem p;
    browse_child a, b;
    assert_int_equal(browse_child_get(f->s, cid, &a), EXIT_OK);
    assert_true(a.school_id != 0);
    b = a;
    /* B: looked after, and known to youth justice. */
    record_child_change cb = {
        .care_status = "LAC", .school_id = -1, .youth_justice = 1, .opened = &b};
    assert_int_equal(record_child_edit(f->s, &f->cfg, f->today, cid, &cb, &p), EXIT_OK);
    assert_int_equal(stored_score(f), 4 + 1 + 8 + 6);
    assert_string_equal(t_text(f->raw, "SELECT detail FROM audit WHERE action = 'update' AND "
                                       "tbl = 'children'"),
                        "care_status,youth_justice");
    /* A, opened before: EHCP, no need recorded, another school, a plan ended. B's kept. */
    record_child_change ca = {.care_status = a.care_status,
                              .sen = "E",
                              .sen_need = "",
                              .school_id = 77,
                              .youth_justice = a.youth_justice ? 1 : 0,
                              .social_work_ended = "2024-06-30",
                              .opened = &a};
    assert_int_equal(record_child_edit(f->s, &f->cfg, f->today, cid, &ca, &p), EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT care_status || '|' || sen || '|' || "
                                       "coalesce(sen_need, 'none') || '|' || school_id || '|' || "
                                       "youth_justice || '|' || social_work_ended FROM children"),
                        "cla|ehcp|none|77|1|2024-06-30");
    assert_int_equal(stored_score(f), 4 + 3 + 8 + 6);
    assert_string_equal(t_text(f->raw, "SELECT group_concat(detail, ';') FROM audit WHERE action = "
                                       "'update' AND tbl = 'children'"),
                        "care_status,youth_justice;sen,sen_need,social_work_ended,school");
    /* A again, still from what it opened with, sets the care status: B changed it meanwhile. */
    long audit = t_long(f->raw, "SELECT count(*) FROM audit");
    ca.care_status = "cin";
    assert_int_equal(record_child_edit(f->s, &f->cfg, f->today, cid, &ca, &p), EXIT_DATA);
    assert_true(p.conflict);
    assert_string_equal(p.field, "care_status");
    assert_string_equal(p.message, "changed meanwhile to 'cla' (it was 'cp' when the form "
                                   "opened; yours: 'cin')");
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), audit);
    /* The school likewise, named. */
    browse_child c;
    assert_int_equal(browse_child_get(f->s, cid, &c), EXIT_OK);
    record_child_change cs = {.school_id = 0, .youth_justice = -1, .opened = &a};
    assert_int_equal(record_child_edit(f->s, &f->cfg, f->today, cid, &cs, &p), EXIT_DATA);
    assert_string_equal(p.field, "school");
    assert_string_equal(p.message, "changed meanwhile to 'Dale Academy' (it was 'Hill Primary' "
                                   "when the form opened; yours: '(none)')");
    /* From the child as it is now: the school taken away, the plan open again. */
    record_child_change cn = {
        .school_id = 0, .youth_justice = -1, .social_work_ended = "", .opened = &c};
    assert_int_equal(record_child_edit(f->s, &f->cfg, f->today, cid, &cn, &p), EXIT_OK);
    assert_string_equal(t_text(f->raw, "SELECT coalesce(school_id, 'none') || '|' || "
                                       "coalesce(social_work_ended, 'open') FROM children"),
                        "none|open");
    /* Nothing changed: nothing written. */
    audit = t_long(f->raw, "SELECT count(*) FROM audit");
    record_child_change same = {.care_status = "cla", .school_id = -1, .youth_justice = 1};
    assert_int_equal(record_child_edit(f->s, &f->cfg, f->today, cid, &same, &p), EXIT_OK);
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), audit);
    /* Bad values: the field's rule, nothing written. */
    const struct {
        record_child_change c;
        const char *field, *message;
    } bad[] = {
        {{.care_status = "", .school_id = -1, .youth_justice = -1}, "care_status", "required"},
        {{.care_status = "plan", .school_id = -1, .youth_justice = -1},
         "care_status",
         "'plan' is not a care status (did you mean 'plac'?)"},
        {{.sen = "X", .school_id = -1, .youth_justice = -1},
         "sen",
         "'X' is not an SEN (one of: none, sen_support, ehcp, ehcp_in_progress)"},
        {{.sen_need = "ADHD", .school_id = -1, .youth_justice = -1},
         "sen_need",
         "'ADHD' is not an SEN need (one of: SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, "
         "ASD, DS, OTH, NSA)"},
        {{.school_id = 12345, .youth_justice = -1}, "school", "no such school"},
        {{.social_work_ended = "2024-11-16", .school_id = -1, .youth_justice = -1},
         "social_work_ended",
         "'2024-11-16' is after today (2024-11-15)"},
        {{.social_work_ended = "2012-12-01", .school_id = -1, .youth_justice = -1},
         "social_work_ended",
         "'2012-12-01' is before the child's date of birth (2012-12-10)"},
        {{.social_work_ended = "31/02/2024", .school_id = -1, .youth_justice = -1},
         "social_work_ended",
         NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = record_child_edit(f->s, &f->cfg, f->today, cid, &bad[i].c, &p);
        if (rc != EXIT_DATA || strcmp(p.field, bad[i].field) != 0 ||
            (bad[i].message && strcmp(p.message, bad[i].message) != 0))
            fail_msg("case %zu: %d %s: %s", i, rc, p.field, p.message);
    }
    assert_int_equal(t_long(f->raw, "SELECT count(*) FROM audit"), audit);
    assert_int_equal(record_child_edit(f->s, &f->cfg, f->today, 999, &same, &p), EXIT_DATA);
    assert_string_equal(p.field, "child");
}

/* The school picker's list: every word of what is typed, in any case and accents. */
static void test_schools(void **state)
{
    fixture *f = *state;
    t_exec(f->raw, "INSERT INTO schools(id, urn, name) VALUES (1, '100001', 'Hill Primary'), "
                   "(2, '100002', 'St Anne''s Primary'), (3, NULL, 'École Saint-Étienne'), "
                   "(4, '200004', 'Hillside Academy')");
    browse_school out[4];
    int n;
    bool more;
    assert_int_equal(browse_schools(f->s, "", out, 4, &n, &more), EXIT_OK);
    assert_int_equal(n, 4);
    assert_false(more);
    assert_string_equal(out[0].name, "Hill Primary"); /* by name */
    assert_string_equal(out[3].name, "École Saint-Étienne");
    assert_int_equal(browse_schools(f->s, "HILL", out, 4, &n, &more), EXIT_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].name, "Hill Primary");
    assert_string_equal(out[1].name, "Hillside Academy");
    assert_int_equal(browse_schools(f->s, "primary hill", out, 4, &n, &more), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(browse_schools(f->s, "ecole etienne", out, 4, &n, &more), EXIT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].urn, "");
    assert_int_equal(browse_schools(f->s, "200004", out, 4, &n, &more), EXIT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].id, 4);
    assert_int_equal(browse_schools(f->s, "a", out, 1, &n, &more), EXIT_OK);
    assert_int_equal(n, 1);
    assert_true(more);
    assert_int_equal(browse_schools(f->s, "zzz", out, 4, &n, &more), EXIT_OK);
    assert_int_equal(n, 0);
    browse_school one;
    assert_int_equal(browse_school_get(f->s, 3, &one), EXIT_OK);
    assert_string_equal(one.name, "École Saint-Étienne");
    assert_int_equal(browse_school_get(f->s, 9, &one), EXIT_FOUND);
}

/* What import accepts of an exclusion, attendance record or episode, the app accepts, and what
 * one refuses the other refuses. */
static void test_facts_import_and_app_agree(void **state)
{
    fixture *f = *state;
    int64_t cid;
    create(f, &cid);
    record_problem p;
    const struct {
        import_kind kind;
        const char *cols, *row;
        int rc;
    } cases[] = {
        {KIND_EXCLUSIONS, "start,category,days,reason", "2024-10-01,suspension,1.5,PP", EXIT_OK},
        {KIND_EXCLUSIONS, "start,category,days,reason", "2024-10-02,PERM,,", EXIT_OK},
        {KIND_EXCLUSIONS, "start,category,days,reason", "2024-10-03,suspension,0,", EXIT_DATA},
        {KIND_EXCLUSIONS, "start,category,days,reason", "2024-10-04,suspension,1e3,", EXIT_DATA},
        {KIND_EXCLUSIONS, "start,category,days,reason", "2024-10-05,suspension,1,ZZ", EXIT_DATA},
        {KIND_ATTENDANCE, "from,to,possible_sessions,attended_sessions",
         "2024-09-02,2024-09-27,40,40", EXIT_OK},
        {KIND_ATTENDANCE, "from,to,possible_sessions,attended_sessions",
         "2024-09-02,2024-09-20,10,11", EXIT_DATA},
        {KIND_ATTENDANCE, "from,to,possible_sessions,attended_sessions",
         "2024-09-02,2024-09-13,2.5,1", EXIT_DATA},
        {KIND_EPISODES, "kind,start,hours_per_week,in_county", "ehe,2024-10-01,0,yes", EXIT_OK},
        {KIND_EPISODES, "kind,start,hours_per_week,in_county", "Alternative provision,2024-10-01,,",
         EXIT_OK},
        {KIND_EPISODES, "kind,start,hours_per_week,in_county", "ehe,2024-10-02,61,", EXIT_DATA},
        {KIND_EPISODES, "kind,start,hours_per_week,in_county", "holiday,2024-10-02,,", EXIT_DATA},
    };
    t_exec(f->raw, "INSERT INTO children(id, upn, first_name, last_name, dob, care_status, sen) "
                   "VALUES (5001, 'G80120000101A', 'Imp', 'Orted', '2012-01-01', 'cp', 'none')");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char csv[256], v[4][32] = {{0}};
        snprintf(csv, sizeof csv, "upn,%s\nG80120000101A,%s\n", cases[i].cols, cases[i].row);
        const char *r = cases[i].row;
        for (int k = 0; k < 4; k++) {
            size_t len = strcspn(r, ",");
            snprintf(v[k], sizeof v[k], "%.*s", (int)len, r);
            r += len + (r[len] == ',');
        }
        import_options o = {.as_of = f->today, .cfg = &f->cfg};
        import_stats st;
        buf err = BUF_INIT;
        int imp = import_text(f->s, cases[i].kind, "f.csv", csv, strlen(csv), &o, &st, &err);
        buf_free(&err);
        int app;
        if (cases[i].kind == KIND_EXCLUSIONS) {
            record_exclusion x = {.start = v[0], .category = v[1], .days = v[2], .reason = v[3]};
            app = record_exclusion_add(f->s, &f->cfg, f->today, cid, &x, NULL, &p);
        } else if (cases[i].kind == KIND_ATTENDANCE) {
            record_attendance a = {v[0], v[1], v[2], v[3]};
            app = record_attendance_add(f->s, &f->cfg, f->today, cid, &a, NULL, &p);
        } else {
            record_episode e = {.kind = v[0],
                                .start = v[1],
                                .hours_per_week = v[2],
                                .in_county = *v[3] ? field_flag(v[3], strlen(v[3])) : -1};
            app = record_episode_open(f->s, &f->cfg, f->today, cid, &e, NULL, &p);
        }
        if (imp != cases[i].rc || app != cases[i].rc)
            fail_msg("case %zu: import %d, app %d (%s: %s), expected %d", i, imp, app, p.field,
                     p.message, cases[i].rc);
    }
    /* Both stored the same rows. */
    const char *q[] = {
        "SELECT group_concat(start || category || coalesce(days, '') || coalesce(reason, ''), ';') "
        "FROM (SELECT * FROM exclusions WHERE child_id = %lld ORDER BY start)",
        "SELECT group_concat(from_date || to_date || possible || attended, ';') "
        "FROM (SELECT * FROM attendance WHERE child_id = %lld ORDER BY from_date)",
        "SELECT group_concat(kind || start || coalesce(hours_per_week, '') || "
        "coalesce(in_county, ''), ';') FROM (SELECT * FROM episodes WHERE child_id = %lld "
        "ORDER BY kind)",
    };
    for (int i = 0; i < 3; i++) {
        char a[512], b[512], qa[400];
        snprintf(qa, sizeof qa, q[i], (long long)cid);
        snprintf(a, sizeof a, "%s", t_text(f->raw, qa));
        snprintf(qa, sizeof qa, q[i], 5001LL);
        snprintf(b, sizeof b, "%s", t_text(f->raw, qa));
        assert_string_equal(a, b);
        assert_true(*a);
    }
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
        T(test_stored_officer_outside_the_rule),
        T(test_corrections),
        T(test_withdraw_closing_outcome),
        T(test_amend_closing_outcome),
        T(test_long_correction_whole),
        T(test_busy_database),
        T(test_read_only_database),
        T(test_import_and_app_agree),
        T(test_import_and_app_word_dates_alike),
        T(test_exclusions),
        T(test_attendance),
        T(test_episodes),
        T(test_child_edit),
        T(test_schools),
        T(test_facts_import_and_app_agree),
        T(test_facts_not_after_today),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
