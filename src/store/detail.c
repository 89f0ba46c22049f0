/* detail.c: the reads of one referral and one child for the detail screen and `caseload show`:
 * the referral, its child, the timeline of what happened, the pending follow-ups and the child's
 * other referrals; for the child view, the child's whole chronology and its live referral of an
 * issue; see browse.h. */
#include "browse_internal.h"

#include "caseload/exitcode.h"
#include <stdio.h>
#include <string.h>

int browse_referral(store *s, int64_t id, const score_weights *w, date_t as_of, browse_detail *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(
        s, "SELECT " ROW_COLUMNS ", r.source, r.other_issues, r.pex_risk, r.care_status, r.sen, "
           "r.summary FROM referrals r JOIN referral_list k ON k.id = r.id "
           "JOIN children c ON c.id = r.child_id "
           "LEFT JOIN schools sc ON sc.id = c.school_id "
           "LEFT JOIN officers o ON o.id = r.officer_id WHERE r.id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        list_read_row(st, w, as_of, &out->row);
        COPY(out->source, st, 16);
        COPY(out->other_issues, st, 17);
        out->pex_risk = sqlite3_column_int(st, 18) != 0;
        COPY(out->care_status, st, 19);
        COPY(out->sen, st, 20);
        COPY(out->summary, st, 21);
        COPY(out->closed, st, 14);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such referral");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "reading a referral");
}

int browse_referral_by_ref(store *s, const char *ref, int64_t *id)
{
    *id = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM referrals WHERE ref = ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, ref, -1, SQLITE_TRANSIENT);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such referral");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "finding a referral");
}

void detail_read_child(sqlite3_stmt *st, browse_child *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    COPY(c->upn, st, 1);
    COPY(c->la_child_id, st, 2);
    COPY(c->first_name, st, 3);
    COPY(c->last_name, st, 4);
    COPY(c->dob, st, 5);
    COPY(c->gender, st, 6);
    COPY(c->school, st, 7);
    COPY(c->school_urn, st, 8);
    COPY(c->care_status, st, 9);
    COPY(c->sen, st, 10);
    COPY(c->sen_need, st, 11);
    c->youth_justice = sqlite3_column_int(st, 12) != 0;
    c->score = sqlite3_column_int(st, 13);
    COPY(c->social_work_ended, st, 14);
    c->school_id = sqlite3_column_int64(st, 15);
}

int browse_child_get(store *s, int64_t id, browse_child *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                                     "LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) detail_read_child(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such child");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "reading a child");
}

/* The timeline's note on an entry T that corrects another (migration 0015): "amended DATE by
 * XY: reason" or "withdrawn DATE by XY: reason"; "" when T corrects nothing. */
#define CORRECTION(T)                                                                              \
    "CASE WHEN " T ".supersedes IS NULL THEN '' ELSE "                                             \
    "CASE " T ".withdrawn WHEN 1 THEN 'withdrawn ' ELSE 'amended ' END || "                        \
    "coalesce(" T ".corrected_on, '') || coalesce(' by ' || (SELECT initials FROM officers "       \
    "WHERE id = " T ".corrected_by), '') || "                                                      \
    "CASE WHEN coalesce(" T ".reason, '') <> '' THEN ': ' || " T ".reason ELSE '' END END"
/* Of the version p (of TABLE) that an amended entry T superseded: EXPR; "" when T is not an
 * amendment. The code (kind or outcome) and the rest ("of DATE by XY: note") come apart so that
 * the screen shows the code's label. */
#define WAS(T, TABLE, EXPR)                                                                        \
    "CASE WHEN " T ".supersedes IS NULL OR " T                                                     \
    ".withdrawn = 1 THEN '' ELSE coalesce((SELECT " EXPR " FROM " TABLE " p WHERE p.id = " T       \
    ".supersedes), '') END"
#define WAS_NOTE "CASE WHEN p.note <> '' THEN ': ' || p.note ELSE '' END"

/* The arms of EVENTS_SQL, one per kind of event (browse_event_kind), each with the columns date,
 * kind, officer, code, text, extra, id, ref, referral_id, correction, withdrawn, was_code, was. */
#define EV_RECEIVED                                                                                \
    "SELECT received AS ev_date, 0 AS ev_kind, '' AS officer, source AS code, '' AS text, "        \
    "'' AS extra, id AS ev_id, ref AS ref, id AS referral_id, '' AS correction, 0 AS withdrawn, "  \
    "'' AS was_code, '' AS was FROM refs "
#define EV_CLOSED                                                                                  \
    "UNION ALL SELECT closed, 6, '', '', '', '', id, ref, id, '', 0, '', '' FROM refs "            \
    "WHERE closed IS NOT NULL "                                                                    \
    "UNION ALL SELECT p.closed, 6, '', '', '', '', p.id, refs.ref, refs.id, '', 0, '', '' "        \
    "FROM refs CROSS JOIN reopenings p ON p.referral_id = refs.id WHERE p.closed IS NOT NULL "
#define EV_REOPENED                                                                                \
    "UNION ALL SELECT p.date, 7, coalesce(o.initials, ''), '', p.reason, coalesce(p.closed, ''), " \
    "p.id, refs.ref, refs.id, '', 0, '', '' FROM refs "                                            \
    "CROSS JOIN reopenings p ON p.referral_id = refs.id "                                          \
    "LEFT JOIN officers o ON o.id = p.officer_id "
/* What an amended action or outcome was (WAS): its code, and "of DATE[ by XY][: note]". */
#define WAS_ACTION_CODE WAS("a", "actions", "p.kind")
#define WAS_ACTION_REST                                                                            \
    WAS("a", "actions",                                                                            \
        "'of ' || p.date || coalesce(' by ' || (SELECT initials FROM officers "                    \
        "WHERE id = p.officer_id), '') || " WAS_NOTE)
#define WAS_OUTCOME_CODE WAS("u", "outcomes", "p.outcome")
#define WAS_OUTCOME_REST WAS("u", "outcomes", "'of ' || p.date || " WAS_NOTE)
#define EV_ACTIONS                                                                                 \
    "UNION ALL SELECT a.date, 1, coalesce(o.initials, ''), a.kind, a.note, "                       \
    "CASE WHEN a.withdrawn THEN '' ELSE "                                                          \
    "coalesce(a.follow_up || coalesce(', done ' || (SELECT min(d.date) FROM follow_up_done d "     \
    "WHERE d.action_id = a.id), ''), '') END, a.id, refs.ref, refs.id, " CORRECTION(               \
        "a") ", a.withdrawn, " WAS_ACTION_CODE ", " WAS_ACTION_REST " FROM refs "                  \
             "CROSS JOIN actions a ON a.referral_id = refs.id "                                    \
             "LEFT JOIN officers o ON o.id = a.officer_id "                                        \
             "WHERE NOT EXISTS (SELECT 1 FROM actions n WHERE n.supersedes = a.id) "
#define EV_OUTCOMES                                                                                \
    "UNION ALL SELECT u.date, 2, '', u.outcome, u.note, '', u.id, refs.ref, refs.id, " CORRECTION( \
        "u") ", u.withdrawn, " WAS_OUTCOME_CODE ", " WAS_OUTCOME_REST " FROM refs "                \
             "CROSS JOIN outcomes u ON u.referral_id = refs.id "                                   \
             "WHERE NOT EXISTS (SELECT 1 FROM outcomes n WHERE n.supersedes = u.id) "
#define EV_EXCLUSIONS                                                                              \
    "UNION ALL SELECT e.start, 3, '', e.category, "                                                \
    "CASE WHEN e.days IS NULL THEN '' WHEN e.days = 1 THEN '1 day' "                               \
    "ELSE printf('%g days', e.days) END, coalesce(e.reason, ''), e.id, '', 0, '', 0, '', '' "      \
    "FROM kid CROSS JOIN exclusions e ON e.child_id = kid.child_id "
#define EV_ATTENDANCE                                                                              \
    "UNION ALL SELECT t.to_date, 4, '', '', "                                                      \
    "printf('%s to %s: %d of %d sessions', t.from_date, t.to_date, t.attended, t.possible), "      \
    "CASE WHEN t.possible > 0 THEN printf('%.1f%%', 100.0 * t.attended / t.possible) ELSE '' "     \
    "END, t.id, '', 0, '', 0, '', '' FROM kid CROSS JOIN attendance t ON t.child_id = "            \
    "kid.child_id "
#define EV_EPISODES                                                                                \
    "UNION ALL SELECT p.start, 5, '', p.kind, "                                                    \
    "CASE WHEN p.hours_per_week IS NULL THEN '' WHEN p.hours_per_week = 1 THEN '1 hour a week' "   \
    "ELSE printf('%g hours a week', p.hours_per_week) END, "                                       \
    "coalesce('until ' || p.end_date, 'open'), p.id, '', 0, '', 0, '', '' "                        \
    "FROM kid CROSS JOIN episodes p ON p.child_id = kid.child_id"

/* The events of a set of referrals (the CTE refs: id, ref, received, source, closed) and of one
 * child (the CTE kid: child_id), as the columns of the arms above; kept by one query builder for
 * the referral's timeline and the child's chronology. Each arm starts from an index
 * (referrals_child, actions_referral, outcomes_referral, exclusions_child, attendance_child,
 * episodes_child); ?2..?4 are the key the page starts after (NULL: from the newest) and ?5 the
 * limit. */
#define EVENTS_SQL                                                                                 \
    "SELECT * FROM (" EV_RECEIVED EV_CLOSED EV_REOPENED EV_ACTIONS EV_OUTCOMES EV_EXCLUSIONS       \
        EV_ATTENDANCE EV_EPISODES                                                                  \
    ") WHERE ?2 IS NULL OR (ev_date, ev_kind, ev_id) < (?2, ?3, ?4) "                              \
    "ORDER BY ev_date DESC, ev_kind DESC, ev_id DESC LIMIT ?5"

/* Steps st (EVENTS_SQL, ?1 bound) from after (NULL: the newest) into out. */
static int read_events(store *s, sqlite3_stmt *st, const browse_event_key *after, browse_event *out,
                       int max, int *n, const char *what)
{
    *n = 0;
    if (after) {
        store_bind_text(s, st, 2, after->date, -1, SQLITE_TRANSIENT);
        store_bind_int(s, st, 3, (int)after->kind);
        store_bind_int64(s, st, 4, after->id);
    }
    store_bind_int(s, st, 5, max);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && *n < max) {
        browse_event *e = &out[(*n)++];
        memset(e, 0, sizeof *e);
        COPY(e->date, st, 0);
        e->kind = (browse_event_kind)sqlite3_column_int(st, 1);
        COPY(e->officer, st, 2);
        COPY(e->code, st, 3);
        COPY(e->text, st, 4);
        COPY(e->extra, st, 5);
        e->id = sqlite3_column_int64(st, 6);
        COPY(e->ref, st, 7);
        e->referral_id = sqlite3_column_int64(st, 8);
        COPY(e->correction, st, 9);
        e->withdrawn = sqlite3_column_int(st, 10) != 0;
        COPY(e->was_code, st, 11);
        COPY(e->was, st, 12);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK : store_fail(s, rc, what);
}

browse_event_key browse_event_key_of(const browse_event *e)
{
    browse_event_key k;
    memset(&k, 0, sizeof k);
    snprintf(k.date, sizeof k.date, "%s", e->date);
    k.kind = e->kind;
    k.id = e->id;
    return k;
}

int browse_timeline(store *s, int64_t referral_id, browse_event *out, int max, int *n)
{
    sqlite3_stmt *st = store_stmt(
        s, "WITH refs AS (SELECT id, ref, received, source, closed, child_id FROM referrals "
           "WHERE id = ?1), "
           "kid AS (SELECT child_id FROM refs) " EVENTS_SQL);
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, referral_id);
    return read_events(s, st, NULL, out, max, n, "reading the timeline");
}

int browse_child_chronology(store *s, int64_t child_id, const browse_event_key *after,
                            browse_event *out, int max, int *n)
{
    sqlite3_stmt *st =
        store_stmt(s, "WITH refs AS (SELECT id, ref, received, source, closed FROM referrals "
                      "WHERE child_id = ?1), kid AS (SELECT ?1 AS child_id) " EVENTS_SQL);
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    return read_events(s, st, after, out, max, n, "reading the child's chronology");
}

int browse_entries(store *s, int64_t referral_id, browse_entry *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st =
        store_stmt(s, "SELECT 0, a.id, a.date, a.kind, coalesce(o.initials, ''), a.note, "
                      "coalesce(a.follow_up, '') FROM actions_current a "
                      "LEFT JOIN officers o ON o.id = a.officer_id WHERE a.referral_id = ?1 "
                      "UNION ALL SELECT 1, c.id, c.date, c.outcome, '', c.note, '' "
                      "FROM outcomes_current c WHERE c.referral_id = ?1 "
                      "ORDER BY 3 DESC, 2 DESC LIMIT ?2");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, referral_id);
    store_bind_int(s, st, 2, max);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && *n < max) {
        browse_entry *e = &out[(*n)++];
        memset(e, 0, sizeof *e);
        e->outcome = sqlite3_column_int(st, 0) != 0;
        e->id = sqlite3_column_int64(st, 1);
        COPY(e->date, st, 2);
        COPY(e->code, st, 3);
        COPY(e->officer, st, 4);
        COPY(e->note, st, 5);
        COPY(e->follow_up, st, 6);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK
                                                 : store_fail(s, rc, "reading the entries");
}

int browse_follow_ups_pending(store *s, int64_t referral_id, browse_follow_up *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st = store_stmt(
        s, "SELECT a.id, a.date, a.follow_up, a.kind, a.note FROM actions_current a "
           "JOIN referrals r ON r.id = a.referral_id "
           "WHERE a.referral_id = ?1 AND a.follow_up IS NOT NULL AND r.status <> 'closed' "
           "AND NOT EXISTS (SELECT 1 FROM follow_up_done d WHERE d.action_id = a.id) "
           "ORDER BY a.follow_up, a.id LIMIT ?2");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, referral_id);
    store_bind_int(s, st, 2, max);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && *n < max) {
        browse_follow_up *f = &out[(*n)++];
        memset(f, 0, sizeof *f);
        f->action_id = sqlite3_column_int64(st, 0);
        COPY(f->date, st, 1);
        COPY(f->follow_up, st, 2);
        COPY(f->kind, st, 3);
        COPY(f->note, st, 4);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK
                                                 : store_fail(s, rc, "reading the follow-ups");
}

int browse_child_referrals(store *s, int64_t child_id, int64_t except_id, const score_weights *w,
                           date_t as_of, browse_row *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st =
        store_stmt(s, "SELECT " ROW_COLUMNS "FROM referrals r JOIN referral_list k ON k.id = r.id "
                      "JOIN children c ON c.id = r.child_id "
                      "LEFT JOIN schools sc ON sc.id = c.school_id "
                      "LEFT JOIN officers o ON o.id = r.officer_id "
                      "WHERE r.child_id = ?1 AND r.id <> ?2 "
                      "ORDER BY r.received DESC, r.id DESC LIMIT ?3");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    store_bind_int64(s, st, 2, except_id);
    store_bind_int(s, st, 3, max);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW)
        list_read_row(st, w, as_of, &out[(*n)++]);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the child's referrals");
}

int browse_child_live_issue(store *s, int64_t child_id, const char *issue, const score_weights *w,
                            date_t as_of, browse_row *out, bool *found)
{
    *found = false;
    sqlite3_stmt *st =
        store_stmt(s, "SELECT " ROW_COLUMNS "FROM referrals r JOIN referral_list k ON k.id = r.id "
                      "JOIN children c ON c.id = r.child_id "
                      "WHERE r.child_id = ?1 AND r.issue = ?2 AND r.status IN ('new', 'open') "
                      "ORDER BY r.received DESC, r.id DESC LIMIT 1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    store_bind_text(s, st, 2, issue, -1, SQLITE_TRANSIENT);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        list_read_row(st, w, as_of, out);
        *found = true;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW
               ? EXIT_OK
               : store_fail(s, rc, "reading the child's live referrals");
}
