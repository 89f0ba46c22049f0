/* cal.c: school days, year groups and key stages (SPEC section 2).
 * cal_school_days is called about 100,000 times by a report, so it allocates nothing and does
 * not walk day by day: for each academic year in the range it copies that year's terms onto the
 * stack, sorts and merges them (terms come in any order and may overlap), counts their weekdays
 * arithmetically, then takes off the closures that fall on days that would otherwise count. */
#include "caseload/cal.h"

#include <stdbool.h>

/* Monday-Friday dates d with a <= d < b. */
static long weekdays(date_t a, date_t b)
{
    if (b <= a) return 0;
    long n = (long)b - a;
    long count = n / 7 * 5;
    int wd = date_weekday(a);
    for (long i = 0; i < n % 7; i++)
        if ((wd + i) % 7 < 5) count++;
    return count;
}

/* Whether a term of academic year [ys, ye) exists. */
static int year_has_terms(const cal_calendar *c, date_t ys, date_t ye)
{
    for (size_t i = 0; i < c->nterms; i++)
        if (c->terms[i].from >= ys && c->terms[i].from < ye) return 1;
    return 0;
}

/* Weekdays in [s, e), all inside academic year [ys, ye), covered by that year's terms. */
static long term_weekdays(const cal_calendar *c, date_t ys, date_t ye, date_t s, date_t e)
{
    long total = 0;
    date_t cur = s;
    for (;;) {
        /* The term of this year that starts first among those still reaching past cur. */
        int found = 0;
        date_t best_from = 0, best_end = 0;
        for (size_t i = 0; i < c->nterms; i++) {
            const cal_range *t = &c->terms[i];
            if (t->from < ys || t->from >= ye || t->to < t->from) continue;
            date_t end = t->to + 1; /* exclusive */
            if (end > e) end = e;
            if (end <= cur) continue;
            if (!found || t->from < best_from || (t->from == best_from && end > best_end)) {
                found = 1;
                best_from = t->from;
                best_end = end;
            }
        }
        if (!found) break;
        total += weekdays(best_from > cur ? best_from : cur, best_end);
        cur = best_end;
    }
    return total;
}

/* Whether weekday d counts by the terms rule alone (closures aside). */
static int in_term_rule(const cal_calendar *c, date_t d)
{
    int a = date_academic_year(d);
    date_t ys = date_academic_year_start(a), ye = date_academic_year_start(a + 1);
    int has = 0;
    for (size_t i = 0; i < c->nterms; i++) {
        const cal_range *t = &c->terms[i];
        if (t->from < ys || t->from >= ye) continue;
        has = 1;
        if (t->from <= d && d <= t->to) return 1;
    }
    return !has;
}

/* Closure i, a weekday in [s, e), is counted only at its first place in the list. */
static int first_listing(const cal_calendar *c, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (c->closures[j] == c->closures[i]) return 0;
    return 1;
}

enum { MAX_YEAR_TERMS = 64 }; /* more terms in one year than this take the slower path */

/* School days in [s, e), all inside academic year [ys, ye), using a sorted copy of the year's
 * terms on the stack; -1 when the year has too many terms for it. */
static long year_days(const cal_calendar *c, date_t ys, date_t ye, date_t s, date_t e)
{
    cal_range u[MAX_YEAR_TERMS]; /* the year's terms clipped to [s, e), half-open, sorted */
    size_t n = 0;
    int has = 0;
    for (size_t i = 0; i < c->nterms; i++) {
        const cal_range *t = &c->terms[i];
        if (t->from < ys || t->from >= ye) continue;
        has = 1;
        date_t a = t->from > s ? t->from : s, b = t->to + 1 < e ? t->to + 1 : e;
        if (b <= a) continue;
        if (n == MAX_YEAR_TERMS) return -1;
        size_t k = n++;
        for (; k > 0 && u[k - 1].from > a; k--)
            u[k] = u[k - 1];
        u[k].from = a;
        u[k].to = b;
    }
    long total = 0;
    if (!has) {
        u[0].from = s;
        u[0].to = e;
        n = 1;
    }
    /* Merge overlapping terms, then count their weekdays. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && u[i].from <= u[m - 1].to) {
            if (u[i].to > u[m - 1].to) u[m - 1].to = u[i].to;
        } else {
            u[m++] = u[i];
        }
    }
    for (size_t i = 0; i < m; i++)
        total += weekdays(u[i].from, u[i].to);
    /* Closures on days that would count. */
    for (size_t i = 0; i < c->nclosures; i++) {
        date_t d = c->closures[i];
        if (d < s || d >= e || date_weekday(d) >= 5) continue;
        size_t k = 0;
        while (k < m && u[k].to <= d)
            k++;
        if (k < m && u[k].from <= d && first_listing(c, i)) total--;
    }
    return total;
}

long cal_school_days(const cal_calendar *c, date_t from, date_t to)
{
    if (to <= from) return 0;
    long total = 0;
    date_t cur = from;
    while (cur < to) {
        int a = date_academic_year(cur);
        date_t ys = date_academic_year_start(a), ye = date_academic_year_start(a + 1);
        date_t e = ye < to ? ye : to;
        if (c->nterms == 0) e = to; /* one stretch: no year has terms */
        long n = year_days(c, ys, ye, cur, e);
        if (n < 0) { /* a year of very many terms: scan them without a copy */
            n = year_has_terms(c, ys, ye) ? term_weekdays(c, ys, ye, cur, e) : weekdays(cur, e);
            for (size_t i = 0; i < c->nclosures; i++) {
                date_t d = c->closures[i];
                if (d < cur || d >= e || date_weekday(d) >= 5) continue;
                if (in_term_rule(c, d) && first_listing(c, i)) n--;
            }
        }
        total += n;
        cur = e;
    }
    return total;
}

int cal_is_school_day(const cal_calendar *c, date_t d)
{
    if (date_weekday(d) >= 5) return 0;
    for (size_t i = 0; i < c->nclosures; i++)
        if (c->closures[i] == d) return 0;
    return in_term_rule(c, d);
}

int cal_year_group(date_t dob, date_t as_of)
{
    return date_academic_year(as_of) - date_academic_year(dob) - 5;
}

int cal_days_open(date_t received, const date_t *closed, date_t as_of)
{
    date_t end = closed ? *closed : as_of;
    return end > received ? (int)(end - received) : 0;
}

const char *cal_key_stage(int year_group)
{
    if (year_group < 0) return "EY";
    if (year_group == 0) return "R";
    if (year_group <= 2) return "KS1";
    if (year_group <= 6) return "KS2";
    if (year_group <= 9) return "KS3";
    if (year_group <= 11) return "KS4";
    return "post16";
}

/* Appends the string s at out[*n] (room for CAL_YEAR_TEXT bytes with the NUL). */
static void put(char out[CAL_YEAR_TEXT], size_t *n, const char *s)
{
    while (*s && *n < CAL_YEAR_TEXT - 1)
        out[(*n)++] = *s++;
    out[*n] = '\0';
}

/* Appends v in decimal (a sign when negative). */
static void put_int(char out[CAL_YEAR_TEXT], size_t *n, int v)
{
    char t[16];
    int k = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do {
        t[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u && k < 15);
    if (v < 0) t[k++] = '-';
    char r[16];
    for (int i = 0; i < k; i++)
        r[i] = t[k - 1 - i];
    r[k] = '\0';
    put(out, n, r);
}

void cal_year_text(int year_group, cal_year_style style, char out[CAL_YEAR_TEXT])
{
    size_t n = 0;
    out[0] = '\0';
    bool lng = style == CAL_YEAR_LONG;
    if (year_group == CAL_YEAR_UNKNOWN) {
        put(out, &n, style == CAL_YEAR_NUMBER ? "" : "?");
    } else if (year_group == 0) {
        put(out, &n, lng ? "Reception (R)" : "R");
    } else if (year_group < 0 && !lng) {
        put(out, &n, "EY");
    } else if (year_group == -1) {
        put(out, &n, "Nursery (EY)");
    } else if (lng) {
        put(out, &n, "Year ");
        put_int(out, &n, year_group);
        put(out, &n, " (");
        put(out, &n, cal_key_stage(year_group));
        put(out, &n, ")");
    } else {
        if (style == CAL_YEAR_SHORT) put(out, &n, "Y");
        put_int(out, &n, style == CAL_YEAR_SHORT && year_group > 99 ? 99 : year_group);
    }
}
