/* report_build.c: the five reports of SPEC section 7 built from the store's figures
 * (reports_store.h) into the model of report.h, applying the calendar rules (school days, year
 * groups and key stages).
 *
 * Decisions where the spec is silent (also printed as notes under the text and md tables):
 * - suspensions: a child whose current care status is not recorded (or is not one of the five
 *   codes) is left out; the note gives how many. `.repeat.<n>` runs from 1 to the largest n seen
 *   in any care status, so every care status has the same keys ({} when there were none).
 * - attendance: severe absence (< 50%) is also persistent absence (< 90%), as in the DfE figures.
 * - cme: school days from the start to the end of an episode count start <= d < end (SPEC
 *   section 2 as written); an episode whose county is not recorded counts in the totals only.
 * - admissions: school days from `received` to the earliest placed_on_roll outcome, counting
 *   received <= d < placed; the mean is 0.0 when nobody was placed.
 * - means are rounded half up to one decimal place, percentages half up to whole numbers, both in
 *   integer arithmetic. */
#include "report_internal.h"

#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/reports_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A table with one row per code of list l and one count column (+ its share of base). */
static report_table *code_table(report *r, const char *title, const char *path, const char *heading,
                                codes_list l, const long long *counts, long long base, bool chart)
{
    report_table *t = report_add_table(r, title, path, heading);
    report_add_col(t, "", "Referrals");
    report_add_pct(t, "%", 0, -1);
    t->base = base;
    t->partition = true; /* the rows add up to referrals.total */
    if (chart) t->chart_col = 0;
    for (size_t i = 0; i < codes_count(l); i++)
        report_add_row(t, codes_code(l, i), codes_label(l, i))->v[0] = counts[i];
    return t;
}

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int build_summary(store *s, report *r)
{
    store_report_summary_t f;
    int rc = store_report_summary(s, r->from, r->to, &f);
    if (rc) return rc;
    report_table *t = report_add_table(r, "Referrals received", "referrals.{r}", "");
    report_add_col(t, "", "Number");
    report_add_row(t, "total", "Referrals received")->v[0] = f.total;
    report_add_row(t, "children", "Children referred")->v[0] = f.children;

    code_table(r, "Referrals by primary issue", "referrals.by_issue.{r}", "Primary issue",
               CODES_ISSUE, f.by_issue, f.total, true);
    code_table(r, "Referrals by SEN status (at referral)", "referrals.by_sen.{r}", "SEN status",
               CODES_SEN, f.by_sen, f.total, true);
    code_table(r, "Referrals by care status (at referral)", "referrals.by_care_status.{r}",
               "Care status", CODES_CARE_STATUS, f.by_care, f.total, false);
    code_table(r, "Referrals by source", "referrals.by_source.{r}", "Source", CODES_SOURCE,
               f.by_source, f.total, true);

    t = report_add_table(r, "Referrals received per month", "referrals.by_month.{r}", "Month");
    report_add_col(t, "", "Referrals");
    t->chart_col = 0;
    t->partition = true;
    int y, m, d;
    date_to_ymd(r->from, &y, &m, &d);
    for (int i = 0; i < f.nmonths; i++) {
        char key[16], label[16];
        snprintf(key, sizeof key, "%04d-%02d", y, m);
        snprintf(label, sizeof label, "%s %04d", month_names[m - 1], y);
        report_add_row(t, key, label)->v[0] = f.by_month[i];
        if (++m > 12) m = 1, y++;
    }

    t = report_add_table(r, "At risk of permanent exclusion", "exclusions.{r}", "");
    report_add_col(t, "", "Referrals");
    report_add_pct(t, "% of at risk", 0, -1);
    t->base = f.at_risk;
    report_add_row(t, "at_risk", "Referrals at risk of permanent exclusion")->v[0] = f.at_risk;
    report_add_row(t, "avoided", "Exclusion avoided")->v[0] = f.avoided;

    t = report_add_table(r, "At risk of permanent exclusion by SEN status (at referral)",
                         "exclusions.{c}.{r}", "SEN status");
    report_add_col(t, "at_risk_by_sen", "At risk");
    report_add_col(t, "permanently_excluded_by_sen", "Permanently excluded");
    report_add_pct(t, "% excluded", 1, 0);
    t->total_row = true;
    t->partition = true;
    for (size_t i = 0; i < STORE_REPORT_SEN; i++) {
        report_row *row = report_add_row(t, codes_code(CODES_SEN, i), codes_label(CODES_SEN, i));
        row->v[0] = f.at_risk_by_sen[i];
        row->v[1] = f.pex_by_sen[i];
    }
    report_add_note(
        r, "Referrals received in the period; SEN and care status as recorded at referral.");
    report_add_note(
        r, "Permanently excluded and exclusion avoided: at-risk referrals with that outcome.");
    store_report_summary_free(&f);
    return EXIT_OK;
}

static const char *const care_short[STORE_REPORT_CARE] = {"CIN", "CP", "CLA", "PLAC", "Ever 6"};

static int build_suspensions(store *s, report *r)
{
    store_report_susp_t f;
    int rc = store_report_suspensions(s, r->from, r->to, &f);
    if (rc) return rc;
    report_table *t = report_add_table(r, "Suspensions by current care status",
                                       "by_care_status.{r}.{c}", "Care status");
    report_add_col(t, "children", "Children");
    report_add_col(t, "suspensions", "Suspensions");
    t->total_row = true;
    t->partition = true;
    for (size_t c = 0; c < STORE_REPORT_CARE; c++) {
        report_row *row =
            report_add_row(t, codes_code(CODES_CARE_STATUS, c), codes_label(CODES_CARE_STATUS, c));
        row->v[0] = f.by_care[c].children;
        row->v[1] = f.by_care[c].suspensions;
    }

    t = report_add_table(r, "Children by number of suspensions in the period",
                         "by_care_status.{c}.repeat.{r}", "Suspensions");
    for (size_t c = 0; c < STORE_REPORT_CARE; c++)
        report_add_col(t, codes_code(CODES_CARE_STATUS, c), care_short[c]);
    int all = report_add_col(t, NULL, "All");
    t->chart_col = all;
    t->total_row = true;
    t->partition = true;
    t->row_total_col = all;
    for (int n = 1; n <= f.max_repeat; n++) {
        char key[16], label[32];
        snprintf(key, sizeof key, "%d", n);
        snprintf(label, sizeof label, "%d", n);
        report_row *row = report_add_row(t, key, label);
        for (int c = 0; c < STORE_REPORT_CARE; c++) {
            const store_report_susp_group *g = &f.by_care[c];
            row->v[c] = n <= g->nrepeat ? g->repeat[n - 1] : 0;
            row->v[all] += row->v[c];
        }
    }
    report_add_note(r, "Suspensions starting in the period; permanent exclusions are not counted.");
    report_add_note(r, "Left out: children with no current care status (%lld %s, %lld %s).",
                    f.left_out_children, f.left_out_children == 1 ? "child" : "children",
                    f.left_out_suspensions,
                    f.left_out_suspensions == 1 ? "suspension" : "suspensions");
    store_report_suspensions_free(&f);
    return EXIT_OK;
}

static const char *const ks_codes[] = {"EY", "R", "KS1", "KS2", "KS3", "KS4", "post16"};
static const char *const ks_labels[] = {"Early years", "Reception",   "Key stage 1", "Key stage 2",
                                        "Key stage 3", "Key stage 4", "Post-16"};
#define NKS 7

typedef struct {
    date_t to;
    long long n[NKS][3]; /* children, persistent, severe */
    long long no_dob;
} att_acc;

static int att_row(date_t dob, bool dob_ok, long long possible, long long attended, void *arg)
{
    att_acc *a = arg;
    if (!dob_ok) {
        a->no_dob++;
        return 0;
    }
    const char *ks = cal_key_stage(cal_year_group(dob, a->to));
    int k = 0;
    while (k < NKS && strcmp(ks, ks_codes[k]) != 0)
        k++;
    if (k == NKS) {
        a->no_dob++;
        return 0;
    }
    a->n[k][0]++;
    if (attended * 100 < 90 * possible) a->n[k][1]++;
    if (attended * 100 < 50 * possible) a->n[k][2]++;
    return 0;
}

static int build_attendance(store *s, report *r)
{
    att_acc a = {.to = r->to};
    int rc = store_report_attendance(s, r->from, r->to, att_row, &a);
    if (rc) return rc;
    report_table *t = report_add_table(r, "Persistent and severe absence by key stage",
                                       "by_key_stage.{r}.{c}", "Key stage");
    report_add_col(t, "children", "Children");
    report_add_col(t, "persistent", "Persistent");
    report_add_pct(t, "%", 1, 0);
    report_add_col(t, "severe", "Severe");
    report_add_pct(t, "%", 3, 0);
    t->chart_col = 2;
    t->total_row = true;
    t->partition = true;
    for (int k = 0; k < NKS; k++) {
        report_row *row = report_add_row(t, ks_codes[k], ks_labels[k]);
        row->v[0] = a.n[k][0];
        row->v[1] = a.n[k][1];
        row->v[3] = a.n[k][2];
    }
    char to[11];
    date_format(r->to, to);
    report_add_note(
        r, "Each child's latest attendance record ending in the period; year group as of %s.", to);
    report_add_note(r, "Persistent: attendance below 90%%; severe: below 50%% (also counted as "
                       "persistent).");
    if (a.no_dob)
        report_add_note(r, "%lld %s with no valid date of birth left out.", a.no_dob,
                        a.no_dob == 1 ? "child" : "children");
    return EXIT_OK;
}

typedef struct {
    date_t *start, *end;
    int *in;
    size_t n, cap;
    bool oom;
} pair_list;

static bool pairs_add(pair_list *p, date_t a, date_t b, int in)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        date_t *s = realloc(p->start, cap * sizeof *s);
        if (s) p->start = s;
        date_t *e = realloc(p->end, cap * sizeof *e);
        if (e) p->end = e;
        int *i = realloc(p->in, cap * sizeof *i);
        if (i) p->in = i;
        if (!s || !e || !i) return false;
        p->cap = cap;
    }
    p->start[p->n] = a;
    p->end[p->n] = b;
    p->in[p->n] = in;
    p->n++;
    return true;
}

static void pairs_free(pair_list *p)
{
    free(p->start);
    free(p->end);
    free(p->in);
}

static int cme_row(date_t start, date_t end, int in, void *arg)
{
    return pairs_add(arg, start, end, in) ? 0 : EXIT_IO;
}

static bool days_for(report_days *d, const cal_calendar *cal, const pair_list *p)
{
    date_t lo = 0, hi = -1;
    for (size_t i = 0; i < p->n; i++) {
        if (p->in[i] == -2) continue; /* not placed */
        if (hi < lo) lo = p->start[i], hi = p->end[i];
        if (p->start[i] < lo) lo = p->start[i];
        if (p->end[i] > hi) hi = p->end[i];
    }
    return report_days_init(d, cal, lo, hi);
}

static int build_cme(store *s, const cal_calendar *cal, report *r)
{
    pair_list p = {0};
    long long open = 0;
    int rc = store_report_cme(s, r->from, r->to, cme_row, &p, &open);
    long long n[3] = {0}, days[3] = {0}, unknown = 0; /* all, in county, out of county */
    if (!rc) {
        report_days d;
        days_for(&d, cal, &p);
        for (size_t i = 0; i < p.n; i++) {
            long sd = report_days_between(&d, p.start[i], p.end[i]);
            n[0]++;
            days[0] += sd;
            if (p.in[i] == 1)
                n[1]++, days[1] += sd;
            else if (p.in[i] == 0)
                n[2]++, days[2] += sd;
            else
                unknown++;
        }
        report_days_free(&d);
    }
    pairs_free(&p);
    if (rc) return rc;
    report_table *t = report_add_table(r, "CME episodes ended in the period", "{r}.{c}", "");
    report_add_col(t, "episodes", "Episodes");
    int mean = report_add_col(t, "mean_school_days", "Mean school days");
    t->cols[mean].decimals = 1;
    const char *keys[3] = {"", "in_county", "out_of_county"};
    const char *labels[3] = {"All episodes", "In county", "Out of county"};
    for (int i = 0; i < 3; i++) {
        report_row *row = report_add_row(t, keys[i], labels[i]);
        row->v[0] = n[i];
        row->v[1] = report_mean_tenths(days[i], n[i]);
    }
    char to[11], label[64];
    date_format(r->to, to);
    snprintf(label, sizeof label, "CME episodes open on %s", to);
    t = report_add_table(r, "CME episodes still open", "{r}", "");
    report_add_col(t, "", "Episodes");
    report_add_row(t, "open", label)->v[0] = open;
    report_add_note(
        r, "School days of an episode: school days from its start up to, not including, its "
           "end.");
    report_add_note(
        r,
        "Episodes whose county is not recorded count in All episodes only (%lld in this "
        "period).",
        unknown);
    return EXIT_OK;
}

static int adm_row(date_t received, bool placed, date_t placed_on, void *arg)
{
    return pairs_add(arg, received, placed ? placed_on : received, placed ? 1 : -2) ? 0 : EXIT_IO;
}

static int build_admissions(store *s, const cal_calendar *cal, report *r)
{
    pair_list p = {0};
    int rc = store_report_admissions(s, r->from, r->to, adm_row, &p);
    long long placed = 0, within = 0, days = 0, total = (long long)p.n;
    if (!rc) {
        report_days d;
        days_for(&d, cal, &p);
        for (size_t i = 0; i < p.n; i++) {
            if (p.in[i] != 1) continue;
            long sd = report_days_between(&d, p.start[i], p.end[i]);
            placed++;
            days += sd;
            if (sd <= 20) within++;
        }
        report_days_free(&d);
    }
    pairs_free(&p);
    if (rc) return rc;
    report_table *t = report_add_table(r, "Admissions referrals received in the period", "{r}", "");
    report_add_col(t, "", "Referrals");
    report_add_pct(t, "% of referrals", 0, -1);
    t->base = total;
    report_add_row(t, "referrals", "Admissions referrals")->v[0] = total;
    report_add_row(t, "placed", "Placed on roll")->v[0] = placed;
    report_add_row(t, "placed_within_20_school_days", "Placed within 20 school days")->v[0] =
        within;
    t = report_add_table(r, "Time to place", "{r}", "");
    int c = report_add_col(t, "", "School days");
    t->cols[c].decimals = 1;
    t->base = placed; /* the count the mean is built on (report_publish) */
    report_add_row(t, "mean_school_days_to_place", "Mean school days to place")->v[0] =
        report_mean_tenths(days, placed);
    /* Labels, not codes (SPEC section 8; JSON keeps the codes as its keys). */
    report_add_note(r,
                    "Referrals received in the period whose primary issue is %s; placed: those "
                    "with the outcome %s (the earliest counts).",
                    codes_label_of(CODES_ISSUE, "admissions"),
                    codes_label_of(CODES_OUTCOME, "placed_on_roll"));
    report_add_note(r, "School days to place: from the day received up to, not including, the day "
                       "placed. The mean is 0.0 when nobody was placed.");
    return EXIT_OK;
}

int report_compute(store *s, const cal_calendar *cal, report_kind kind, date_t from, date_t to,
                   report **out)
{
    *out = NULL;
    report *r = report_new(kind, from, to);
    if (!r) abort();
    int rc;
    switch (kind) {
    case REPORT_SUMMARY: rc = build_summary(s, r); break;
    case REPORT_SUSPENSIONS: rc = build_suspensions(s, r); break;
    case REPORT_ATTENDANCE: rc = build_attendance(s, r); break;
    case REPORT_CME: rc = build_cme(s, cal, r); break;
    case REPORT_ADMISSIONS: rc = build_admissions(s, cal, r); break;
    default: rc = EXIT_USAGE; break;
    }
    if (rc) {
        report_free(r);
        return rc;
    }
    *out = r;
    return EXIT_OK;
}
