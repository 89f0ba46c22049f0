/* score.c: the vulnerability matrix of SPEC section 3: facts and weights in, score out. */
#include "caseload/score.h"
#include "caseload/buf.h"
#include "caseload/codes.h"
#include <string.h>

static const char *const factor_names[SCORE_NFACTORS] = {
    [F_CME] = "cme",
    [F_EHE] = "ehe",
    [F_PART_TIME] = "part_time",
    [F_ALTERNATIVE_PROVISION] = "alternative_provision",
    [F_ATTENDANCE_BELOW_50] = "attendance_below_50",
    [F_ATTENDANCE_BELOW_90] = "attendance_below_90",
    [F_SUSPENSIONS] = "suspensions",
    [F_PERMANENT_EXCLUSION] = "permanent_exclusion",
    [F_PEX_RISK] = "pex_risk",
    [F_YOUTH_JUSTICE] = "youth_justice",
    [F_EHCP] = "ehcp",
    [F_EHCP_IN_PROGRESS] = "ehcp_in_progress",
    [F_SEN_SUPPORT] = "sen_support",
    [F_CP_PLAN] = "cp_plan",
    [F_CIN_PLAN] = "cin_plan",
    [F_LOOKED_AFTER] = "looked_after",
};

static const char *const band_names[] = {
    [BAND_GREEN] = "green", [BAND_AMBER] = "amber", [BAND_RED] = "red"};

const char *score_factor_name(score_factor f)
{
    return (int)f >= 0 && f < SCORE_NFACTORS ? factor_names[f] : "";
}

int score_factor_find(const char *name)
{
    if (!name) return -1;
    for (int i = 0; i < SCORE_NFACTORS; i++)
        if (strcmp(factor_names[i], name) == 0) return i;
    return -1;
}

const char *score_band_name(score_band_t b)
{
    return (int)b >= 0 && b <= BAND_RED ? band_names[b] : "";
}

int score_band_find(const char *name)
{
    if (!name) return -1;
    for (int i = 0; i <= BAND_RED; i++)
        if (strcmp(band_names[i], name) == 0) return i;
    return -1;
}

score_band_t score_band_of(const score_weights *w, int total)
{
    if (total >= w->red) return BAND_RED;
    if (total >= w->amber) return BAND_AMBER;
    return BAND_GREEN;
}

void score_weights_key(const score_weights *w, struct buf *out)
{
    for (int i = 0; i < SCORE_NFACTORS; i++)
        buf_printf(out, "%s%s=%d", i ? "," : "", factor_names[i], w->weight[i]);
    buf_printf(out, ";cap=%d;red=%d;amber=%d", w->cap_suspensions, w->red, w->amber);
}

void score_compute(const score_weights *w, const score_facts *f, score_result *r)
{
    int *v = r->value;
    memset(r, 0, sizeof *r);
    v[F_CME] = f->cme_open;
    v[F_EHE] = f->ehe_open;
    v[F_PART_TIME] = f->part_time_open;
    v[F_ALTERNATIVE_PROVISION] = f->ap_open;
    if (f->has_attendance && f->possible_sessions > 0) {
        /* Exact integer comparisons that cannot overflow, whatever a database holds: with
         * 0 <= att <= pos and miss = pos - att (no overflow), attended / possible < 50% <=>
         * 2 att < pos <=> att < miss, and < 90% <=> 10 att < 9 pos <=> att < 9 miss <=>
         * att / 9 < miss (integer division: 9 miss > att <=> miss > floor(att / 9)). */
        long pos = f->possible_sessions;
        long att = f->attended_sessions < 0 ? 0 : f->attended_sessions;
        if (att > pos) att = pos;
        long miss = pos - att;
        if (att < miss)
            v[F_ATTENDANCE_BELOW_50] = 1;
        else if (att / 9 < miss)
            v[F_ATTENDANCE_BELOW_90] = 1;
    }
    int susp = f->suspensions_365 < 0 ? 0 : f->suspensions_365;
    if (w->cap_suspensions >= 0 && susp > w->cap_suspensions) susp = w->cap_suspensions;
    v[F_SUSPENSIONS] = susp;
    v[F_PERMANENT_EXCLUSION] = f->permanent_365;
    v[F_PEX_RISK] = f->pex_risk_open;
    v[F_YOUTH_JUSTICE] = f->youth_justice;
    v[F_EHCP] = f->sen == SEN_EHCP;
    v[F_EHCP_IN_PROGRESS] = f->sen == SEN_EHCP_IN_PROGRESS;
    v[F_SEN_SUPPORT] = f->sen == SEN_SUPPORT;
    v[F_CP_PLAN] = f->care_status == CARE_CP;
    v[F_CIN_PLAN] = f->care_status == CARE_CIN;
    v[F_LOOKED_AFTER] = f->care_status == CARE_CLA;
    int total = 0;
    for (int i = 0; i < SCORE_NFACTORS; i++) {
        r->points[i] = w->weight[i] * v[i];
        total += r->points[i];
    }
    r->total = total;
    r->band = score_band_of(w, total);
}
