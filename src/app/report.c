/* report.c: the reports of SPEC section 7. The store gathers the figures (reports_store.h); this
 * file applies the calendar rules (school days, year groups and key stages), builds the model of
 * report.h and renders it as text, json, csv or md.
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
#include "caseload/report.h"
#include "caseload/codes.h"
#include "caseload/csv.h"
#include "caseload/exitcode.h"
#include "caseload/json.h"
#include "caseload/reports_store.h"
#include "caseload/xlsx.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CASELOAD_VERSION
#define CASELOAD_VERSION "0.0.0"
#endif

static const char *const kind_names[REPORT_NKINDS] = {"summary", "suspensions", "attendance", "cme",
                                                      "admissions"};
static const char *const kind_titles[REPORT_NKINDS] = {
    "Summary", "Repeat suspensions", "Attendance", "Children missing education", "Admissions"};
static const char *const format_names[REPORT_NFORMATS] = {"text", "json", "csv", "md", "xlsx"};

int report_kind_find(const char *name)
{
    for (int i = 0; i < REPORT_NKINDS; i++)
        if (strcmp(name, kind_names[i]) == 0) return i;
    return -1;
}

int report_format_find(const char *name)
{
    for (int i = 0; i < REPORT_NFORMATS; i++)
        if (strcmp(name, format_names[i]) == 0) return i;
    return -1;
}

const char *report_kind_name(report_kind k)
{
    return (unsigned)k < REPORT_NKINDS ? kind_names[k] : "";
}

const char *report_kind_title(report_kind k)
{
    return (unsigned)k < REPORT_NKINDS ? kind_titles[k] : "";
}

const char *report_format_name(report_format f)
{
    return (unsigned)f < REPORT_NFORMATS ? format_names[f] : "";
}

bool report_period(date_t as_of, const date_t *from, const date_t *to, date_t *out_from,
                   date_t *out_to)
{
    if (from && to) {
        *out_from = *from;
        *out_to = *to;
    } else if (from) {
        *out_from = *from;
        *out_to = date_academic_year_start(date_academic_year(*from) + 1) - 1;
    } else if (to) {
        *out_to = *to;
        *out_from = date_academic_year_start(date_academic_year(*to));
    } else {
        int a = date_academic_year(as_of);
        *out_from = date_academic_year_start(a);
        *out_to = date_academic_year_start(a + 1) - 1;
    }
    return *out_from <= *out_to;
}

long long report_percent(long long a, long long b)
{
    if (b <= 0) return 0;
    return (200 * a + b) / (2 * b);
}

long long report_mean_tenths(long long total, long long n)
{
    if (n <= 0) return 0;
    return (20 * total + n) / (2 * n);
}

/* ---- school days ---- */

#define DAYS_MAX_SPAN 80000 /* about 220 years: beyond that, count directly */

bool report_days_init(report_days *d, const cal_calendar *cal, date_t lo, date_t hi)
{
    memset(d, 0, sizeof *d);
    d->cal = cal;
    if (hi < lo || (long)hi - (long)lo > DAYS_MAX_SPAN) return true;
    long n = (long)hi - (long)lo + 1;
    d->cum = malloc((size_t)(n + 1) * sizeof *d->cum);
    if (!d->cum) return false;
    d->base = lo;
    d->n = n;
    d->cum[0] = 0;
    for (long i = 0; i < n; i++)
        d->cum[i + 1] = d->cum[i] + (cal_is_school_day(cal, (date_t)(lo + i)) ? 1 : 0);
    return true;
}

long report_days_between(const report_days *d, date_t from, date_t to)
{
    if (to <= from) return 0;
    if (d->cum && from >= d->base && (long)to - (long)d->base <= d->n)
        return d->cum[to - d->base] - d->cum[from - d->base];
    return cal_school_days(d->cal, from, to);
}

void report_days_free(report_days *d)
{
    free(d->cum);
    d->cum = NULL;
    d->n = 0;
}

/* ---- building the model ---- */

#define MAX_TABLES 16

static report *report_new(report_kind kind, date_t from, date_t to)
{
    report *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->tables = calloc(MAX_TABLES, sizeof *r->tables);
    if (!r->tables) {
        free(r);
        return NULL;
    }
    r->kind = kind;
    r->from = from;
    r->to = to;
    return r;
}

void report_free(report *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->ntables; i++)
        free(r->tables[i].rows);
    free(r->tables);
    for (size_t i = 0; i < r->nnotes; i++)
        free(r->notes[i]);
    free(r->notes);
    free(r);
}

static report_table *add_table(report *r, const char *title, const char *path,
                               const char *row_heading)
{
    if (r->ntables >= MAX_TABLES) abort(); /* a programming error: raise MAX_TABLES */
    report_table *t = &r->tables[r->ntables++];
    memset(t, 0, sizeof *t);
    t->title = title;
    t->path = path;
    t->row_heading = row_heading;
    t->chart_col = -1;
    t->row_total_col = -1;
    return t;
}

static int add_col(report_table *t, const char *key, const char *label)
{
    if (t->ncols >= REPORT_MAX_COLS) abort();
    report_col *c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->key = key;
    c->label = label;
    c->type = REPORT_COL_VALUE;
    return t->ncols++;
}

static int add_pct(report_table *t, const char *label, int num, int den)
{
    int i = add_col(t, NULL, label);
    t->cols[i].type = REPORT_COL_PERCENT;
    t->cols[i].num = num;
    t->cols[i].den = den;
    return i;
}

static report_row *add_row(report_table *t, const char *key, const char *label)
{
    report_row *rows = realloc(t->rows, (t->nrows + 1) * sizeof *rows);
    if (!rows) abort(); /* as buf does: nothing sensible can follow */
    t->rows = rows;
    report_row *row = &rows[t->nrows++];
    memset(row, 0, sizeof *row);
    snprintf(row->key, sizeof row->key, "%s", key);
    snprintf(row->label, sizeof row->label, "%s", label);
    return row;
}

static void add_note(report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(report *r, const char *fmt, ...)
{
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char **notes = realloc(r->notes, (r->nnotes + 1) * sizeof *notes);
    if (!notes) abort();
    r->notes = notes;
    r->notes[r->nnotes++] = strdup(buf_str(&b));
    buf_free(&b);
}

/* A table with one row per code of list l and one count column (+ its share of base). */
static report_table *code_table(report *r, const char *title, const char *path, const char *heading,
                                codes_list l, const long long *counts, long long base, bool chart)
{
    report_table *t = add_table(r, title, path, heading);
    add_col(t, "", "Referrals");
    add_pct(t, "%", 0, -1);
    t->base = base;
    t->partition = true; /* the rows add up to referrals.total */
    if (chart) t->chart_col = 0;
    for (size_t i = 0; i < codes_count(l); i++)
        add_row(t, codes_code(l, i), codes_label(l, i))->v[0] = counts[i];
    return t;
}

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int build_summary(store *s, report *r)
{
    store_report_summary_t f;
    int rc = store_report_summary(s, r->from, r->to, &f);
    if (rc) return rc;
    report_table *t = add_table(r, "Referrals received", "referrals.{r}", "");
    add_col(t, "", "Number");
    add_row(t, "total", "Referrals received")->v[0] = f.total;
    add_row(t, "children", "Children referred")->v[0] = f.children;

    code_table(r, "Referrals by primary issue", "referrals.by_issue.{r}", "Primary issue",
               CODES_ISSUE, f.by_issue, f.total, true);
    code_table(r, "Referrals by SEN status (at referral)", "referrals.by_sen.{r}", "SEN status",
               CODES_SEN, f.by_sen, f.total, true);
    code_table(r, "Referrals by care status (at referral)", "referrals.by_care_status.{r}",
               "Care status", CODES_CARE_STATUS, f.by_care, f.total, false);
    code_table(r, "Referrals by source", "referrals.by_source.{r}", "Source", CODES_SOURCE,
               f.by_source, f.total, true);

    t = add_table(r, "Referrals received per month", "referrals.by_month.{r}", "Month");
    add_col(t, "", "Referrals");
    t->chart_col = 0;
    t->partition = true;
    int y, m, d;
    date_to_ymd(r->from, &y, &m, &d);
    for (int i = 0; i < f.nmonths; i++) {
        char key[16], label[16];
        snprintf(key, sizeof key, "%04d-%02d", y, m);
        snprintf(label, sizeof label, "%s %04d", month_names[m - 1], y);
        add_row(t, key, label)->v[0] = f.by_month[i];
        if (++m > 12) m = 1, y++;
    }

    t = add_table(r, "At risk of permanent exclusion", "exclusions.{r}", "");
    add_col(t, "", "Referrals");
    add_pct(t, "% of at risk", 0, -1);
    t->base = f.at_risk;
    add_row(t, "at_risk", "Referrals at risk of permanent exclusion")->v[0] = f.at_risk;
    add_row(t, "avoided", "Exclusion avoided")->v[0] = f.avoided;

    t = add_table(r, "At risk of permanent exclusion by SEN status (at referral)",
                  "exclusions.{c}.{r}", "SEN status");
    add_col(t, "at_risk_by_sen", "At risk");
    add_col(t, "permanently_excluded_by_sen", "Permanently excluded");
    add_pct(t, "% excluded", 1, 0);
    t->total_row = true;
    t->partition = true;
    for (size_t i = 0; i < STORE_REPORT_SEN; i++) {
        report_row *row = add_row(t, codes_code(CODES_SEN, i), codes_label(CODES_SEN, i));
        row->v[0] = f.at_risk_by_sen[i];
        row->v[1] = f.pex_by_sen[i];
    }
    add_note(r, "Referrals received in the period; SEN and care status as recorded at referral.");
    add_note(r, "Permanently excluded and exclusion avoided: at-risk referrals with that outcome.");
    store_report_summary_free(&f);
    return EXIT_OK;
}

static const char *const care_short[STORE_REPORT_CARE] = {"CIN", "CP", "CLA", "PLAC", "Ever 6"};

static int build_suspensions(store *s, report *r)
{
    store_report_susp_t f;
    int rc = store_report_suspensions(s, r->from, r->to, &f);
    if (rc) return rc;
    report_table *t =
        add_table(r, "Suspensions by current care status", "by_care_status.{r}.{c}", "Care status");
    add_col(t, "children", "Children");
    add_col(t, "suspensions", "Suspensions");
    t->total_row = true;
    t->partition = true;
    for (size_t c = 0; c < STORE_REPORT_CARE; c++) {
        report_row *row =
            add_row(t, codes_code(CODES_CARE_STATUS, c), codes_label(CODES_CARE_STATUS, c));
        row->v[0] = f.by_care[c].children;
        row->v[1] = f.by_care[c].suspensions;
    }

    t = add_table(r, "Children by number of suspensions in the period",
                  "by_care_status.{c}.repeat.{r}", "Suspensions");
    for (size_t c = 0; c < STORE_REPORT_CARE; c++)
        add_col(t, codes_code(CODES_CARE_STATUS, c), care_short[c]);
    int all = add_col(t, NULL, "All");
    t->chart_col = all;
    t->total_row = true;
    t->partition = true;
    t->row_total_col = all;
    for (int n = 1; n <= f.max_repeat; n++) {
        char key[16], label[32];
        snprintf(key, sizeof key, "%d", n);
        snprintf(label, sizeof label, "%d", n);
        report_row *row = add_row(t, key, label);
        for (int c = 0; c < STORE_REPORT_CARE; c++) {
            const store_report_susp_group *g = &f.by_care[c];
            row->v[c] = n <= g->nrepeat ? g->repeat[n - 1] : 0;
            row->v[all] += row->v[c];
        }
    }
    add_note(r, "Suspensions starting in the period; permanent exclusions are not counted.");
    add_note(r, "Left out: children with no current care status (%lld %s, %lld %s).",
             f.left_out_children, f.left_out_children == 1 ? "child" : "children",
             f.left_out_suspensions, f.left_out_suspensions == 1 ? "suspension" : "suspensions");
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
    report_table *t = add_table(r, "Persistent and severe absence by key stage",
                                "by_key_stage.{r}.{c}", "Key stage");
    add_col(t, "children", "Children");
    add_col(t, "persistent", "Persistent");
    add_pct(t, "%", 1, 0);
    add_col(t, "severe", "Severe");
    add_pct(t, "%", 3, 0);
    t->chart_col = 2;
    t->total_row = true;
    t->partition = true;
    for (int k = 0; k < NKS; k++) {
        report_row *row = add_row(t, ks_codes[k], ks_labels[k]);
        row->v[0] = a.n[k][0];
        row->v[1] = a.n[k][1];
        row->v[3] = a.n[k][2];
    }
    char to[11];
    date_format(r->to, to);
    add_note(r, "Each child's latest attendance record ending in the period; year group as of %s.",
             to);
    add_note(r, "Persistent: attendance below 90%%; severe: below 50%% (also counted as "
                "persistent).");
    if (a.no_dob)
        add_note(r, "%lld %s with no valid date of birth left out.", a.no_dob,
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
    if (rc) {
        pairs_free(&p);
        if (rc == EXIT_IO && !*store_error(s)) return EXIT_IO;
        return rc;
    }
    report_days d;
    days_for(&d, cal, &p);
    long long n[3] = {0}, days[3] = {0}, unknown = 0; /* all, in county, out of county */
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
    pairs_free(&p);
    report_table *t = add_table(r, "CME episodes ended in the period", "{r}.{c}", "");
    add_col(t, "episodes", "Episodes");
    int mean = add_col(t, "mean_school_days", "Mean school days");
    t->cols[mean].decimals = 1;
    const char *keys[3] = {"", "in_county", "out_of_county"};
    const char *labels[3] = {"All episodes", "In county", "Out of county"};
    for (int i = 0; i < 3; i++) {
        report_row *row = add_row(t, keys[i], labels[i]);
        row->v[0] = n[i];
        row->v[1] = report_mean_tenths(days[i], n[i]);
    }
    char to[11], label[64];
    date_format(r->to, to);
    snprintf(label, sizeof label, "CME episodes open on %s", to);
    t = add_table(r, "CME episodes still open", "{r}", "");
    add_col(t, "", "Episodes");
    add_row(t, "open", label)->v[0] = open;
    add_note(r, "School days of an episode: school days from its start up to, not including, its "
                "end.");
    add_note(r,
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
    if (rc) {
        pairs_free(&p);
        return rc;
    }
    report_days d;
    days_for(&d, cal, &p);
    long long placed = 0, within = 0, days = 0;
    for (size_t i = 0; i < p.n; i++) {
        if (p.in[i] != 1) continue;
        long sd = report_days_between(&d, p.start[i], p.end[i]);
        placed++;
        days += sd;
        if (sd <= 20) within++;
    }
    long long total = (long long)p.n;
    report_days_free(&d);
    pairs_free(&p);
    report_table *t = add_table(r, "Admissions referrals received in the period", "{r}", "");
    add_col(t, "", "Referrals");
    add_pct(t, "% of referrals", 0, -1);
    t->base = total;
    add_row(t, "referrals", "Admissions referrals")->v[0] = total;
    add_row(t, "placed", "Placed on roll")->v[0] = placed;
    add_row(t, "placed_within_20_school_days", "Placed within 20 school days")->v[0] = within;
    t = add_table(r, "Time to place", "{r}", "");
    int c = add_col(t, "", "School days");
    t->cols[c].decimals = 1;
    t->base = placed; /* the count the mean is built on (report_publish) */
    add_row(t, "mean_school_days_to_place", "Mean school days to place")->v[0] =
        report_mean_tenths(days, placed);
    add_note(r, "Referrals with primary issue admissions received in the period; placed: with a "
                "placed_on_roll outcome (the earliest counts).");
    add_note(r, "School days to place: from the day received up to, not including, the day "
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

/* ---- publishing (SPEC section 10) ---- */

static long long total_of(const report_table *t, int col);

static bool is_count(const report_col *c)
{
    return c->type == REPORT_COL_VALUE && c->decimals == 0;
}

static bool small(long long v, int threshold)
{
    return v >= 1 && v < threshold;
}

/* Hides one more cell of the column (rows) or the row (cols) that holds exactly one hidden count
 * while its total is known: the smallest non-zero one, else the total. cells[i] are the values,
 * hid[i] whether each is hidden; *total_hidden is the total's. Returns the index hidden, n for
 * the total, -1 when nothing needed hiding. */
static long long pick_second(const long long *cells, const bool *hid, size_t n, bool total_hidden)
{
    size_t nhid = 0;
    for (size_t i = 0; i < n; i++)
        nhid += hid[i];
    if (nhid != 1 || total_hidden) return -1;
    long long best = -1;
    for (size_t i = 0; i < n; i++)
        if (!hid[i] && cells[i] > 0 && (best < 0 || cells[i] < cells[best])) best = (long long)i;
    return best >= 0 ? best : (long long)n;
}

/* Replaces in a note every whole number from 1 to threshold - 1 that stands as a count (not
 * part of a date, not a percentage) by "c". */
static void publish_note(char **note, int threshold, long long *hidden)
{
    const char *s = *note;
    buf b = BUF_INIT;
    for (size_t i = 0; s[i];) {
        if (s[i] >= '0' && s[i] <= '9' && (i == 0 || !strchr("0123456789-./:", s[i - 1]))) {
            size_t j = i;
            while (s[j] >= '0' && s[j] <= '9')
                j++;
            bool count = !strchr("-%./:", s[j]) || s[j] == '\0' ||
                         (s[j] == '.' && (s[j + 1] == '\0' || s[j + 1] == ' '));
            long long v = strtoll(s + i, NULL, 10);
            if (count && j - i < 10 && small(v, threshold)) {
                buf_putc(&b, 'c');
                (*hidden)++;
            } else {
                buf_append(&b, s + i, j - i);
            }
            i = j;
        } else {
            buf_putc(&b, s[i++]);
        }
    }
    free(*note);
    *note = strdup(buf_str(&b));
    if (!*note) abort();
    buf_free(&b);
}

void report_publish(report *r, int threshold)
{
    r->threshold = threshold;
    long long primary = 0, secondary = 0, notes = 0;
    for (size_t k = 0; k < r->ntables; k++) {
        report_table *t = &r->tables[k];
        for (size_t i = 0; i < t->nrows; i++)
            for (int c = 0; c < t->ncols; c++)
                if (is_count(&t->cols[c]) && small(t->rows[i].v[c], threshold)) {
                    t->rows[i].hidden |= 1u << c;
                    primary++;
                }
        /* The Total row's own small counts. */
        if (t->total_row)
            for (int c = 0; c < t->ncols; c++)
                if (is_count(&t->cols[c]) && small(total_of(t, c), threshold))
                    t->hidden_total |= 1u << c;
    }
    /* Secondary: until no column or row of a table that adds up has a single hidden count. */
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t k = 0; k < r->ntables; k++) {
            report_table *t = &r->tables[k];
            if (!t->partition || t->nrows == 0) continue;
            long long *cells = calloc(t->nrows + REPORT_MAX_COLS, sizeof *cells);
            bool *hid = calloc(t->nrows + REPORT_MAX_COLS, sizeof *hid);
            if (!cells || !hid) abort();
            for (int c = 0; c < t->ncols; c++) {
                if (!is_count(&t->cols[c])) continue;
                for (size_t i = 0; i < t->nrows; i++) {
                    cells[i] = t->rows[i].v[c];
                    hid[i] = t->rows[i].hidden >> c & 1;
                }
                long long at = pick_second(cells, hid, t->nrows, t->hidden_total >> c & 1);
                if (at < 0) continue;
                if (at == (long long)t->nrows)
                    t->hidden_total |= 1u << c;
                else
                    t->rows[at].hidden |= 1u << c;
                secondary++;
                changed = true;
            }
            for (size_t i = 0; t->row_total_col >= 0 && i < t->nrows; i++) {
                int cols[REPORT_MAX_COLS], n = 0;
                for (int c = 0; c < t->ncols; c++) {
                    if (!is_count(&t->cols[c]) || c == t->row_total_col) continue;
                    cols[n] = c;
                    cells[n] = t->rows[i].v[c];
                    hid[n] = t->rows[i].hidden >> c & 1;
                    n++;
                }
                long long at =
                    pick_second(cells, hid, (size_t)n, t->rows[i].hidden >> t->row_total_col & 1);
                if (at < 0) continue;
                t->rows[i].hidden |= 1u << (at == n ? t->row_total_col : cols[at]);
                secondary++;
                changed = true;
            }
            free(cells);
            free(hid);
        }
    }
    /* What is built on a hidden count: percentages, means. */
    for (size_t k = 0; k < r->ntables; k++) {
        report_table *t = &r->tables[k];
        for (size_t i = 0; i <= t->nrows; i++) {
            bool total = i == t->nrows;
            if (total && !t->total_row) break;
            unsigned *h = total ? &t->hidden_total : &t->rows[i].hidden;
            unsigned counts = 0;
            for (int c = 0; c < t->ncols; c++)
                if (is_count(&t->cols[c])) counts |= 1u << c;
            for (int c = 0; c < t->ncols; c++) {
                const report_col *col = &t->cols[c];
                bool hide = false;
                const long long *v = total ? NULL : t->rows[i].v;
                if (col->type == REPORT_COL_PERCENT)
                    /* (0% of anything stays 0%: it tells nothing more than the 0) */
                    hide = (*h >> col->num & 1) ||
                           ((!v || v[col->num] != 0) &&
                            (col->den >= 0 ? (*h >> col->den & 1) : small(t->base, threshold)));
                else if (col->decimals == 1)
                    hide = (*h & counts) != 0 || (counts == 0 && small(t->base, threshold));
                if (hide) *h |= 1u << c;
            }
        }
    }
    for (size_t i = 0; i < r->nnotes; i++)
        publish_note(&r->notes[i], threshold, &notes);
    add_note(r,
             "Published figures: counts from 1 to %d are shown as c, with the percentages and "
             "means built on them (%lld cells%s), so that no child can be identified; %lld more "
             "are shown as c so that none can be worked out from a total and the other cells "
             "(secondary suppression). 0 is a true zero.",
             threshold - 1, primary, notes ? " and some counts in the notes" : "", secondary);
}

/* ---- rendering ---- */

/* The dotted name of a cell: path with {r} and {c} replaced, empty segments dropped. */
static void cell_path(const char *path, const char *rkey, const char *ckey, buf *out)
{
    buf raw = BUF_INIT;
    for (const char *p = path; *p; p++) {
        if (strncmp(p, "{r}", 3) == 0) {
            buf_puts(&raw, rkey);
            p += 2;
        } else if (strncmp(p, "{c}", 3) == 0) {
            buf_puts(&raw, ckey ? ckey : "");
            p += 2;
        } else {
            buf_putc(&raw, *p);
        }
    }
    buf_reset(out);
    const char *s = buf_str(&raw);
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        if (n) {
            if (out->len) buf_putc(out, '.');
            buf_append(out, s, n);
        }
        s += n;
        if (*s == '.') s++;
    }
    buf_free(&raw);
}

static long long total_of(const report_table *t, int col)
{
    long long sum = 0;
    for (size_t i = 0; i < t->nrows; i++)
        sum += t->rows[i].v[col];
    return sum;
}

/* A cell as text: a value (tenths as "12.5"), or a percentage ("26%", "-" when undefined); "c"
 * when hidden (a bit of hidden: report_publish). */
static void cell_text(const report_table *t, const long long *v, unsigned hidden, int col,
                      bool total, char *out, size_t n)
{
    const report_col *c = &t->cols[col];
    if (hidden >> col & 1) {
        snprintf(out, n, "c");
    } else if (c->type == REPORT_COL_PERCENT) {
        long long den = c->den >= 0 ? v[c->den] : t->base;
        if (total && c->den < 0) den = t->base;
        if (den <= 0)
            snprintf(out, n, "-");
        else
            snprintf(out, n, "%lld%%", report_percent(v[c->num], den));
    } else if (c->decimals == 1) {
        if (total) /* a total of means means nothing */
            snprintf(out, n, " ");
        else
            snprintf(out, n, "%lld.%lld", v[col] / 10, v[col] % 10);
    } else {
        snprintf(out, n, "%lld", v[col]);
    }
}

/* Number of the value the bar of a row stands for (a percentage for PERCENT columns). */
static long long bar_value(const report_table *t, const report_row *row)
{
    if (row->hidden >> t->chart_col & 1) return 0; /* a bar would tell a hidden figure */
    const report_col *c = &t->cols[t->chart_col];
    if (c->type == REPORT_COL_PERCENT) {
        long long den = c->den >= 0 ? row->v[c->den] : t->base;
        return den > 0 ? report_percent(row->v[c->num], den) : 0;
    }
    return row->v[t->chart_col];
}

/* A bar of width * value / max columns: block characters in eighths, or '#' in whole columns
 * for a terminal that cannot show them (ascii). */
static void put_bar(buf *out, long long value, long long max, int width, bool ascii)
{
    static const char *const part[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (max <= 0 || value <= 0 || width <= 0) return;
    long long eighths = value * width * 8 / max;
    if (eighths == 0) eighths = 1; /* something, however small, shows */
    if (ascii) {
        for (long long i = 0; i < (eighths + 7) / 8; i++)
            buf_putc(out, '#');
        return;
    }
    for (long long i = 0; i < eighths / 8; i++)
        buf_puts(out, "█");
    buf_puts(out, part[eighths % 8]);
}

static void pad(buf *out, int n)
{
    for (int i = 0; i < n; i++)
        buf_putc(out, ' ');
}

static void totals_row(const report_table *t, long long *v)
{
    memset(v, 0, sizeof(long long) * REPORT_MAX_COLS);
    for (int c = 0; c < t->ncols; c++)
        if (t->cols[c].type == REPORT_COL_VALUE) v[c] = total_of(t, c);
}

static void render_text_table(const report_table *t, int width, bool ascii, buf *out)
{
    char cell[48];
    int lw = (int)strlen(t->row_heading);
    for (size_t i = 0; i < t->nrows; i++)
        if ((int)strlen(t->rows[i].label) > lw) lw = (int)strlen(t->rows[i].label);
    if (t->total_row && lw < 5) lw = 5;
    long long tot[REPORT_MAX_COLS];
    totals_row(t, tot);
    int cw[REPORT_MAX_COLS];
    for (int c = 0; c < t->ncols; c++) {
        cw[c] = (int)strlen(t->cols[c].label);
        for (size_t i = 0; i <= t->nrows; i++) {
            if (i == t->nrows && !t->total_row) break;
            bool total = i == t->nrows;
            cell_text(t, total ? tot : t->rows[i].v, total ? t->hidden_total : t->rows[i].hidden, c,
                      total, cell, sizeof cell);
            if ((int)strlen(cell) > cw[c]) cw[c] = (int)strlen(cell);
        }
    }
    int used = lw;
    for (int c = 0; c < t->ncols; c++)
        used += 2 + cw[c];
    int barw = width - used - 2;
    bool bars = t->chart_col >= 0 && barw >= 8;
    long long max = 0;
    if (bars)
        for (size_t i = 0; i < t->nrows; i++)
            if (bar_value(t, &t->rows[i]) > max) max = bar_value(t, &t->rows[i]);

    buf_printf(out, "%s\n", t->title);
    buf_puts(out, t->row_heading);
    pad(out, lw - (int)strlen(t->row_heading));
    for (int c = 0; c < t->ncols; c++) {
        pad(out, 2 + cw[c] - (int)strlen(t->cols[c].label));
        buf_puts(out, t->cols[c].label);
    }
    buf_putc(out, '\n');
    for (int i = 0; i < lw; i++)
        buf_putc(out, '-');
    for (int c = 0; c < t->ncols; c++) {
        pad(out, 2);
        for (int i = 0; i < cw[c]; i++)
            buf_putc(out, '-');
    }
    buf_putc(out, '\n');
    for (size_t i = 0; i <= t->nrows; i++) {
        if (i == t->nrows && !t->total_row) break;
        bool total = i == t->nrows;
        const long long *v = total ? tot : t->rows[i].v;
        const char *label = total ? "Total" : t->rows[i].label;
        buf_puts(out, label);
        pad(out, lw - (int)strlen(label));
        for (int c = 0; c < t->ncols; c++) {
            cell_text(t, v, total ? t->hidden_total : t->rows[i].hidden, c, total, cell,
                      sizeof cell);
            pad(out, 2 + cw[c] - (int)strlen(cell));
            buf_puts(out, cell);
        }
        if (bars && !total) {
            long long bv = bar_value(t, &t->rows[i]);
            if (bv > 0) {
                pad(out, 2);
                put_bar(out, bv, max, barw, ascii);
            }
        }
        /* no trailing spaces: the total row's blank mean cell */
        while (out->len && out->data[out->len - 1] == ' ') {
            out->data[--out->len] = '\0';
        }
        buf_putc(out, '\n');
    }
}

/* Appends text (ASCII words) broken into lines of at most width columns. */
static void put_wrapped(buf *out, const char *text, int width)
{
    int col = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        int n = (int)(e - p);
        if (!n) break;
        if (col && col + 1 + n > width) {
            buf_putc(out, '\n');
            col = 0;
        }
        if (col) buf_putc(out, ' '), col++;
        buf_append(out, p, (size_t)n);
        col += n;
        p = e;
    }
    buf_putc(out, '\n');
}

static void render_text(const report *r, int width, buf *out)
{
    char f[11], t[11];
    date_format(r->from, f);
    date_format(r->to, t);
    buf_printf(out, "%s: %s to %s\n", report_kind_title(r->kind), f, t);
    for (size_t i = 0; i < r->ntables; i++) {
        buf_putc(out, '\n');
        render_text_table(&r->tables[i], width, r->ascii_bars, out);
    }
    if (r->nnotes) buf_putc(out, '\n');
    for (size_t i = 0; i < r->nnotes; i++)
        put_wrapped(out, r->notes[i], width);
}

/* Appends cell padded to width columns, left or right aligned. */
static void md_cell(buf *out, const char *cell, int width, bool right)
{
    int n = (int)strlen(cell);
    buf_putc(out, ' ');
    if (right) pad(out, width - n);
    buf_puts(out, cell);
    if (!right) pad(out, width - n);
    buf_puts(out, " |");
}

/* A pipe table whose columns are padded to their widest cell, the dashes of the rule as wide
 * as the column: readable as plain text, and the widths a converter such as pandoc gives the
 * columns are in proportion to their contents. */
static void render_md_table(const report_table *tb, buf *out)
{
    char cell[48];
    long long tot[REPORT_MAX_COLS];
    totals_row(tb, tot);
    size_t nrows = tb->nrows + (tb->total_row ? 1 : 0);
    int w[REPORT_MAX_COLS + 1];
    w[0] = (int)strlen(tb->row_heading);
    for (size_t i = 0; i < nrows; i++) {
        int n = i == tb->nrows ? 9 : (int)strlen(tb->rows[i].label); /* "**Total**" */
        if (n > w[0]) w[0] = n;
    }
    for (int c = 0; c < tb->ncols; c++) {
        w[c + 1] = (int)strlen(tb->cols[c].label);
        for (size_t i = 0; i < nrows; i++) {
            bool total = i == tb->nrows;
            cell_text(tb, total ? tot : tb->rows[i].v,
                      total ? tb->hidden_total : tb->rows[i].hidden, c, total, cell, sizeof cell);
            if ((int)strlen(cell) > w[c + 1]) w[c + 1] = (int)strlen(cell);
        }
    }
    for (int c = 0; c <= tb->ncols; c++)
        if (w[c] < 3) w[c] = 3;
    buf_printf(out, "\n## %s\n\n|", tb->title);
    md_cell(out, tb->row_heading, w[0], false);
    for (int c = 0; c < tb->ncols; c++)
        md_cell(out, tb->cols[c].label, w[c + 1], true);
    buf_puts(out, "\n|");
    for (int c = 0; c <= tb->ncols; c++) {
        buf_putc(out, c == 0 ? ':' : '-');
        for (int i = 0; i < w[c]; i++)
            buf_putc(out, '-');
        buf_puts(out, c == 0 ? "-|" : ":|");
    }
    buf_putc(out, '\n');
    for (size_t i = 0; i < nrows; i++) {
        bool total = i == tb->nrows;
        buf_putc(out, '|');
        md_cell(out, total ? "**Total**" : tb->rows[i].label, w[0], false);
        for (int c = 0; c < tb->ncols; c++) {
            cell_text(tb, total ? tot : tb->rows[i].v,
                      total ? tb->hidden_total : tb->rows[i].hidden, c, total, cell, sizeof cell);
            md_cell(out, strcmp(cell, " ") == 0 ? "" : cell, w[c + 1], true);
        }
        buf_putc(out, '\n');
    }
}

static void render_md(const report *r, buf *out)
{
    char f[24], t[24];
    date_format_long(r->from, f);
    date_format_long(r->to, t);
    buf_printf(out, "# %s report\n\nPeriod: %s to %s\n", report_kind_title(r->kind), f, t);
    for (size_t k = 0; k < r->ntables; k++)
        render_md_table(&r->tables[k], out);
    if (r->nnotes) buf_puts(out, "\nNotes:\n\n");
    for (size_t i = 0; i < r->nnotes; i++)
        buf_printf(out, "- %s\n", r->notes[i]);
    buf_printf(out, "\n---\n\n%s report for %s to %s", report_kind_title(r->kind), f, t);
    if (r->made) {
        char m[24];
        date_format_long(r->made, m);
        buf_printf(out, ", made on %s", m);
    }
    buf_printf(out, " by caseload %s.\n", CASELOAD_VERSION);
}

static void value_text(const report_col *c, long long v, char *out, size_t n)
{
    if (c->decimals == 1)
        snprintf(out, n, "%lld.%lld", v / 10, v % 10);
    else
        snprintf(out, n, "%lld", v);
}

/* The percentage shown beside value column col of a row ("" when there is none or it is
 * undefined): the first PERCENT column of the table whose numerator is col. */
static void percent_of(const report_table *t, const report_row *row, int col, char *out, size_t n)
{
    out[0] = '\0';
    for (int p = 0; p < t->ncols; p++) {
        const report_col *c = &t->cols[p];
        if (c->type != REPORT_COL_PERCENT || c->num != col) continue;
        if (row->hidden >> p & 1) { /* report_publish: built on a hidden count */
            snprintf(out, n, "c");
            return;
        }
        long long den = c->den >= 0 ? row->v[c->den] : t->base;
        if (den > 0) snprintf(out, n, "%lld", report_percent(row->v[col], den));
        return;
    }
}

/* The fields of the csv format, in order. */
static const char *const long_cols[] = {"section", "item", "measure", "value",
                                        "percent", "from", "to",      "key"};
#define NLONG 8

/* Calls fn with each figure of r as the fields of long_cols. */
static int each_long_row(const report *r, int (*fn)(void *, const char *const *), void *arg)
{
    buf path = BUF_INIT;
    char v[32], pct[32], from[11], to[11];
    date_format(r->from, from);
    date_format(r->to, to);
    int rc = 0;
    for (size_t k = 0; k < r->ntables && !rc; k++) {
        const report_table *t = &r->tables[k];
        for (size_t i = 0; i < t->nrows && !rc; i++) {
            for (int c = 0; c < t->ncols && !rc; c++) {
                const report_col *col = &t->cols[c];
                if (col->type != REPORT_COL_VALUE || !col->key) continue;
                cell_path(t->path, t->rows[i].key, col->key, &path);
                if (t->rows[i].hidden >> c & 1)
                    snprintf(v, sizeof v, "c");
                else
                    value_text(col, t->rows[i].v[c], v, sizeof v);
                percent_of(t, &t->rows[i], c, pct, sizeof pct);
                const char *fields[NLONG] = {t->title, t->rows[i].label, col->label, v, pct, from,
                                             to,       buf_str(&path)};
                rc = fn(arg, fields);
            }
        }
    }
    buf_free(&path);
    return rc;
}

static int csv_long_row(void *arg, const char *const *fields)
{
    buf *out = arg;
    for (int i = 0; i < NLONG; i++) {
        if (i) buf_putc(out, ',');
        csv_write_field(out, fields[i]);
    }
    buf_putc(out, '\n');
    return 0;
}

static void render_csv(const report *r, buf *out)
{
    for (int i = 0; i < NLONG; i++)
        buf_printf(out, "%s%s", i ? "," : "", long_cols[i]);
    buf_putc(out, '\n');
    each_long_row(r, csv_long_row, out);
}

typedef struct {
    xlsx *x;
    char *errmsg;
    size_t n;
} xlsx_ctx;

static int xlsx_long_row(void *arg, const char *const *fields)
{
    xlsx_ctx *c = arg;
    return xlsx_row(c->x, fields, NLONG, c->errmsg, c->n);
}

int report_write_xlsx(const report *r, const char *path, char *errmsg, size_t n)
{
    static const xlsx_type types[NLONG] = {XLSX_TEXT,   XLSX_TEXT, XLSX_TEXT, XLSX_NUMBER,
                                           XLSX_NUMBER, XLSX_DATE, XLSX_DATE, XLSX_TEXT};
    xlsx_ctx c = {NULL, errmsg, n};
    int rc = xlsx_open(&c.x, path, report_kind_name(r->kind), long_cols, types, NLONG, errmsg, n);
    if (rc) return rc;
    rc = each_long_row(r, xlsx_long_row, &c);
    if (rc) {
        xlsx_discard(c.x);
        return rc;
    }
    return xlsx_close(c.x, errmsg, n);
}

/* JSON: the dotted names are gathered into a tree (keys keep the order they first appear in),
 * then written as nested objects. */
typedef struct jnode {
    char *name;
    bool leaf;
    long long v;
    int decimals;
    const char *str; /* a string leaf when not NULL */
    struct jnode **kids;
    size_t nkids;
} jnode;

static jnode *jnode_child(jnode *n, const char *name, size_t len)
{
    for (size_t i = 0; i < n->nkids; i++)
        if (strlen(n->kids[i]->name) == len && memcmp(n->kids[i]->name, name, len) == 0)
            return n->kids[i];
    jnode *k = calloc(1, sizeof *k);
    jnode **kids = realloc(n->kids, (n->nkids + 1) * sizeof *kids);
    if (!k || !kids) abort();
    k->name = strndup(name, len);
    if (!k->name) abort();
    n->kids = kids;
    n->kids[n->nkids++] = k;
    return k;
}

/* The node at a dotted path, created (as objects) on the way. */
static jnode *jnode_at(jnode *root, const char *path)
{
    jnode *n = root;
    while (*path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        n = jnode_child(n, path, len);
        path += len;
        if (*path == '.') path++;
    }
    return n;
}

static void jnode_write(json_writer *w, const jnode *n)
{
    if (n->str) {
        json_string(w, n->str);
    } else if (n->leaf) {
        if (n->decimals == 1)
            json_number(w, (double)n->v / 10.0, 1);
        else
            json_int(w, n->v);
    } else {
        json_begin_object(w);
        for (size_t i = 0; i < n->nkids; i++) {
            json_key(w, n->kids[i]->name);
            jnode_write(w, n->kids[i]);
        }
        json_end_object(w);
    }
}

static void jnode_free(jnode *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        jnode_free(n->kids[i]);
    free(n->kids);
    free(n->name);
    free(n);
}

static void render_json(const report *r, buf *out)
{
    jnode *root = calloc(1, sizeof *root);
    if (!root) abort();
    char f[11], t[11];
    date_format(r->from, f);
    date_format(r->to, t);
    jnode_at(root, "report")->str = report_kind_name(r->kind);
    jnode_at(root, "from")->str = f;
    jnode_at(root, "to")->str = t;
    buf path = BUF_INIT;
    for (size_t k = 0; k < r->ntables; k++) {
        const report_table *tb = &r->tables[k];
        /* The object that holds the rows exists even with no rows (e.g. "repeat": {}). */
        const char *rp = strstr(tb->path, "{r}");
        if (rp) {
            char prefix[128];
            snprintf(prefix, sizeof prefix, "%.*s", (int)(rp - tb->path), tb->path);
            for (int c = 0; c < tb->ncols; c++) {
                if (tb->cols[c].type != REPORT_COL_VALUE || !tb->cols[c].key) continue;
                cell_path(prefix, "", tb->cols[c].key, &path);
                jnode_at(root, buf_str(&path));
            }
        }
        for (size_t i = 0; i < tb->nrows; i++) {
            for (int c = 0; c < tb->ncols; c++) {
                const report_col *col = &tb->cols[c];
                if (col->type != REPORT_COL_VALUE || !col->key) continue;
                cell_path(tb->path, tb->rows[i].key, col->key, &path);
                jnode *n = jnode_at(root, buf_str(&path));
                if (n->nkids) continue; /* a clash between names: keep the object */
                n->leaf = true;
                n->v = tb->rows[i].v[c];
                n->decimals = col->decimals;
                if (tb->rows[i].hidden >> c & 1) n->str = "c";
            }
        }
    }
    buf_free(&path);
    json_writer w;
    json_init(&w, out, true);
    jnode_write(&w, root);
    buf_putc(out, '\n');
    jnode_free(root);
}

void report_render(const report *r, report_format f, int width, buf *out)
{
    if (width < 40) width = 40;
    switch (f) {
    case REPORT_TEXT: render_text(r, width, out); break;
    case REPORT_JSON: render_json(r, out); break;
    case REPORT_CSV: render_csv(r, out); break;
    case REPORT_MD: render_md(r, out); break;
    default: break; /* REPORT_XLSX: report_write_xlsx */
    }
}
