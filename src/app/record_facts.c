/* record_facts.c: the facts of a child the vulnerability matrix scores (record.h): exclusions,
 * attendance, episodes opened and ended, and the child's own fields edited. */
#include "record_internal.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/records.h"
#include "caseload/text.h"

#include <stdio.h>
#include <string.h>

/* ---- the facts the matrix scores ---- */

/* A date field of the child's life (out[11]): required, not before the child's birth, and when
 * past, not after the as-of date. */
static int life_date(const char *field, const char *s, char out[11], const browse_child *c,
                     bool past, date_t as_of, record_problem *p)
{
    int rc = rec_date_field(field, s, out, true, NULL, p);
    if (!rc && past) rc = rec_past_field(field, out, as_of, p);
    if (rc) return rc;
    return rec_from_field(field, out, c->dob, FIELD_FROM_BIRTH, p);
}

int record_exclusion_add(store *s, const config *cfg, date_t as_of, int64_t child_id,
                         const record_exclusion *x, int64_t *id, record_problem *p)
{
    browse_child c;
    int rc = rec_get_child(s, child_id, &c, p);
    if (rc) return rc;
    char start[11], category[16], reason[8];
    double days;
    if ((rc = life_date("start", x->start, start, &c, true, as_of, p))) return rc;
    if ((rc = rec_code_field(CODES_EXCLUSION_CATEGORY, x->category, category, sizeof category, true,
                             p)))
        return rc;
    if ((rc = rec_number_field("days", x->days, field_days, false, &days, p))) return rc;
    if ((rc = rec_code_field(CODES_EXCLUSION_REASON, x->reason, reason, sizeof reason, false, p)))
        return rc;
    if ((rc = rec_begin(s, p))) return rc;
    records_result res;
    int64_t xid = 0;
    if ((rc = records_exclusion_put(s, child_id, start, category, days, *reason ? reason : NULL,
                                    x->school_id, &res, &xid)))
        return rec_fail(s, p, rc);
    if (res != RECORDS_ADDED)
        return rec_refuse(
            s, rec_problem(p, "start", "a %s starting %s is already recorded for the child",
                           codes_label_of(CODES_EXCLUSION_CATEGORY, category), start));
    rec_wrote w = {"insert", "exclusions", xid, NULL, child_id, true};
    return rec_end(s, cfg, as_of, &w, id, p);
}

int record_attendance_add(store *s, const config *cfg, date_t as_of, int64_t child_id,
                          const record_attendance *a, int64_t *id, record_problem *p)
{
    browse_child c;
    int rc = rec_get_child(s, child_id, &c, p);
    if (rc) return rc;
    char from[11], to[11], why[FIELD_WHY];
    long possible, attended;
    if ((rc = life_date("from", a->from, from, &c, true, as_of, p))) return rc;
    if ((rc = life_date("to", a->to, to, &c, true, as_of, p))) return rc;
    if ((rc = rec_from_field("to", to, from, "from", p))) return rc;
    if ((rc = rec_sessions_field("possible_sessions", a->possible_sessions, &possible, p)))
        return rc;
    if ((rc = rec_sessions_field("attended_sessions", a->attended_sessions, &attended, p)))
        return rc;
    if (!field_attended(attended, possible, why))
        return rec_problem(p, "attended_sessions", "%ld %s", attended, why);
    if ((rc = rec_begin(s, p))) return rc;
    records_result res;
    int64_t tid = 0;
    if ((rc = records_attendance_put(s, child_id, from, to, possible, attended, &res, &tid)))
        return rec_fail(s, p, rc);
    if (res != RECORDS_ADDED)
        return rec_refuse(s,
                          rec_problem(p, "from",
                                      "an attendance record from %s to %s is already recorded for "
                                      "the child",
                                      from, to));
    rec_wrote w = {"insert", "attendance", tid, NULL, child_id, true};
    return rec_end(s, cfg, as_of, &w, id, p);
}

enum { MAX_OPEN_EPISODES = 32 };

int record_episode_open(store *s, const config *cfg, date_t as_of, int64_t child_id,
                        const record_episode *e, int64_t *id, record_problem *p)
{
    browse_child c;
    int rc = rec_get_child(s, child_id, &c, p);
    if (rc) return rc;
    char kind[32], start[11];
    double hours;
    if ((rc = rec_code_field(CODES_EPISODE_KIND, e->kind, kind, sizeof kind, true, p))) return rc;
    if ((rc = life_date("start", e->start, start, &c, true, as_of, p))) return rc;
    if ((rc = rec_number_field("hours_per_week", e->hours_per_week, field_hours, false, &hours, p)))
        return rc;
    /* Checked and written in one transaction: no other program opens the same meanwhile. */
    if ((rc = rec_begin(s, p))) return rc;
    edit_episode open[MAX_OPEN_EPISODES];
    int n = 0;
    if ((rc = edit_episodes_open(s, child_id, open, MAX_OPEN_EPISODES, &n)))
        return rec_fail(s, p, rc);
    for (int i = 0; i < n; i++)
        if (strcmp(open[i].kind, kind) == 0)
            return rec_refuse(
                s, rec_problem(p, "kind", "the child has a %s episode open since %s: end it first",
                               codes_label_of(CODES_EPISODE_KIND, kind), open[i].start));
    records_result res;
    int64_t eid = 0;
    if ((rc = records_episode_put(s, child_id, kind, start, NULL, hours,
                                  e->in_county < 0 ? -1 : e->in_county > 0, &res, &eid)))
        return rec_fail(s, p, rc);
    if (res != RECORDS_ADDED)
        return rec_refuse(s, rec_problem(p, "start", "a %s episode starting %s is already recorded",
                                         codes_label_of(CODES_EPISODE_KIND, kind), start));
    rec_wrote w = {"insert", "episodes", eid, NULL, child_id, true};
    return rec_end(s, cfg, as_of, &w, id, p);
}

int record_episode_end(store *s, const config *cfg, date_t as_of, int64_t child_id,
                       int64_t episode_id, const char *end, record_problem *p)
{
    browse_child c;
    int rc = rec_get_child(s, child_id, &c, p);
    if (rc) return rc;
    char d[11];
    if ((rc = rec_date_field("end", end, d, true, NULL, p))) return rc;
    if ((rc = rec_past_field("end", d, as_of, p))) return rc;
    if ((rc = rec_begin(s, p))) return rc;
    edit_episode open[MAX_OPEN_EPISODES];
    int n = 0;
    if ((rc = edit_episodes_open(s, child_id, open, MAX_OPEN_EPISODES, &n)))
        return rec_fail(s, p, rc);
    const edit_episode *ep = NULL;
    for (int i = 0; i < n; i++)
        if (open[i].id == episode_id) ep = &open[i];
    if (!ep)
        return rec_refuse(s, rec_problem(p, "episode", "not open any more (ended meanwhile?)"));
    if ((rc = rec_from_field("end", d, ep->start, FIELD_FROM_EPISODE, p))) return rec_refuse(s, rc);
    bool ended;
    if ((rc = edit_episode_end(s, episode_id, d, &ended))) return rec_fail(s, p, rc);
    if (!ended)
        return rec_refuse(s, rec_problem(p, "episode", "not open any more (ended meanwhile?)"));
    rec_wrote w = {"update", "episodes", episode_id, "end", child_id, true};
    return rec_end(s, cfg, as_of, &w, NULL, p);
}

/* The child's school as a conflict names it: its name, else its URN, else "(none)". */
static const char *school_label(const browse_child *c)
{
    return *c->school ? c->school : *c->school_urn ? c->school_urn : "(none)";
}

/* The child's facts as the user wants them: the form's values over what it opened with. */
typedef struct {
    char care[16], sen[24], need[8], swe[11];
    int64_t school;
    char school_name[160]; /* the school chosen, for a conflict's message */
    bool yj;
} child_facts;

/* Checks the values of ch over base (the child as the form opened) into *w; now is the child as
 * stored (inside the transaction). */
static int child_wanted(store *s, date_t as_of, const browse_child *base, const browse_child *now,
                        const record_child_change *ch, child_facts *w, record_problem *p)
{
    int rc;
    memset(w, 0, sizeof *w);
    snprintf(w->care, sizeof w->care, "%s", base->care_status);
    snprintf(w->sen, sizeof w->sen, "%s", base->sen);
    snprintf(w->need, sizeof w->need, "%s", base->sen_need);
    snprintf(w->swe, sizeof w->swe, "%s", base->social_work_ended);
    w->school = ch->school_id >= 0 ? ch->school_id : base->school_id;
    w->yj = ch->youth_justice >= 0 ? ch->youth_justice != 0 : base->youth_justice;
    if (ch->care_status &&
        (rc = rec_code_field(CODES_CARE_STATUS, ch->care_status, w->care, sizeof w->care, true, p)))
        return rc;
    if (ch->sen && (rc = rec_code_field(CODES_SEN, ch->sen, w->sen, sizeof w->sen, true, p)))
        return rc;
    if (ch->sen_need &&
        (rc = rec_code_field(CODES_SEN_NEED, ch->sen_need, w->need, sizeof w->need, false, p)))
        return rc;
    if (w->school && w->school != now->school_id) {
        /* Only a school already known (a picker's choice), checked against the table. */
        browse_school sc;
        rc = browse_school_get(s, w->school, &sc);
        if (rc == EXIT_FOUND) return rec_problem(p, "school", "no such school");
        if (rc) return rec_store_problem(s, p, rc);
        snprintf(w->school_name, sizeof w->school_name, "%s", *sc.name ? sc.name : sc.urn);
    }
    if (ch->social_work_ended) {
        char t[64];
        if (!rec_trim(ch->social_work_ended, t, sizeof t))
            return rec_problem(p, "social_work_ended", "not a date (YYYY-MM-DD or DD/MM/YYYY)");
        w->swe[0] = '\0';
        if (*t && (rc = life_date("social_work_ended", t, w->swe, now, true, as_of, p))) return rc;
    }
    return EXIT_OK;
}

/* Compares what the user wants (*w) with base (as the form opened) and now (as stored): a field
 * the user changed that another program changed since is a conflict (rolled back); a field the
 * user left as it was takes now's value. The names of the fields that change go into fields. */
static int child_changes(store *s, const browse_child *base, const browse_child *now,
                         child_facts *w, char *fields, size_t n, record_problem *p)
{
    fields[0] = '\0';
#define CHANGED(name)                                                                              \
    snprintf(fields + strlen(fields), n - strlen(fields), "%s%s", *fields ? "," : "", name)
#define TEXT_FIELD(name, mine, member)                                                             \
    do {                                                                                           \
        if (strcmp(mine, base->member) == 0) {                                                     \
            snprintf(mine, sizeof mine, "%s", now->member);                                        \
        } else {                                                                                   \
            if (strcmp(now->member, base->member) != 0 && strcmp(now->member, mine) != 0)          \
                return rec_conflict(s, p, name, *now->member ? now->member : "(none)",             \
                                    *base->member ? base->member : "(none)",                       \
                                    *mine ? mine : "(none)");                                      \
            if (strcmp(mine, now->member) != 0) CHANGED(name);                                     \
        }                                                                                          \
    } while (0)
    TEXT_FIELD("care_status", w->care, care_status);
    TEXT_FIELD("sen", w->sen, sen);
    TEXT_FIELD("sen_need", w->need, sen_need);
    TEXT_FIELD("social_work_ended", w->swe, social_work_ended);
#undef TEXT_FIELD
    if (w->school == base->school_id) {
        w->school = now->school_id;
    } else {
        if (now->school_id != base->school_id && now->school_id != w->school)
            return rec_conflict(s, p, "school", school_label(now), school_label(base),
                                w->school ? w->school_name : "(none)");
        if (w->school != now->school_id) CHANGED("school");
    }
    if (w->yj == base->youth_justice) {
        w->yj = now->youth_justice;
    } else {
        if (now->youth_justice != base->youth_justice && now->youth_justice != w->yj)
            return rec_conflict(s, p, "youth_justice", now->youth_justice ? "yes" : "no",
                                base->youth_justice ? "yes" : "no", w->yj ? "yes" : "no");
        if (w->yj != now->youth_justice) CHANGED("youth_justice");
    }
#undef CHANGED
    return EXIT_OK;
}

int record_child_edit(store *s, const config *cfg, date_t as_of, int64_t child_id,
                      const record_child_change *ch, record_problem *p)
{
    rec_clear(p);
    /* Read, checked and written in one transaction, as record_referral_edit. */
    int rc = rec_begin(s, p);
    if (rc) return rc;
    browse_child now;
    if ((rc = rec_get_child(s, child_id, &now, p))) return rec_refuse(s, rc);
    const browse_child *base = ch->opened ? ch->opened : &now;
    child_facts w;
    if ((rc = child_wanted(s, as_of, base, &now, ch, &w, p))) return rec_refuse(s, rc);
    char fields[96];
    if ((rc = child_changes(s, base, &now, &w, fields, sizeof fields, p))) return rc;
    if (!*fields) return rec_refuse(s, EXIT_OK);
    if ((rc = edit_child_update(s, child_id, w.care, w.sen, w.need, w.school, w.yj, w.swe)))
        return rec_fail(s, p, rc);
    rec_wrote done = {"update", "children", child_id, fields, child_id, false};
    return rec_end(s, cfg, as_of, &done, NULL, p);
}
