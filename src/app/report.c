/* report.c: the reports of SPEC section 7, what every part shares: the names of the reports and
 * formats, the period, the rounding of percentages and means, school days counted fast, and the
 * model of report.h (tables, rows, columns, notes) with the calls that build it
 * (report_internal.h). The store gathers the figures (reports_store.h); report_build.c turns
 * them into the model; report_publish.c makes it fit to publish; report_text.c renders it as text
 * and md, report_render.c as csv, json and xlsx. */
#include "report_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

report *report_new(report_kind kind, date_t from, date_t to)
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

report_table *report_add_table(report *r, const char *title, const char *path,
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

int report_add_col(report_table *t, const char *key, const char *label)
{
    if (t->ncols >= REPORT_MAX_COLS) abort();
    report_col *c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->key = key;
    c->label = label;
    c->type = REPORT_COL_VALUE;
    return t->ncols++;
}

int report_add_pct(report_table *t, const char *label, int num, int den)
{
    int i = report_add_col(t, NULL, label);
    t->cols[i].type = REPORT_COL_PERCENT;
    t->cols[i].num = num;
    t->cols[i].den = den;
    return i;
}

report_row *report_add_row(report_table *t, const char *key, const char *label)
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

void report_add_note(report *r, const char *fmt, ...)
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

long long report_total_of(const report_table *t, int col)
{
    long long sum = 0;
    for (size_t i = 0; i < t->nrows; i++)
        sum += t->rows[i].v[col];
    return sum;
}
