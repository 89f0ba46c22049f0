/* field_date.c: the rules of dates and numbers (field.h). */
#include "field_internal.h"

#include <stdint.h>
#include <string.h>

/* ---- dates ---- */

/* Reads 1..max digits at s[*i]; returns the value, or -1 when fewer than min digits are there. */
static int read_digits(const char *s, size_t n, size_t *i, int min, int max)
{
    int v = 0, k = 0;
    while (*i < n && k < max && fld_is_digit(s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    return k < min ? -1 : v;
}

/* The length of the date part of s: n less a time part of midnight (" 00:00:00", " 00:00", or
 * with 'T'); n when there is no time part; 0 when there is another time. */
static size_t without_midnight(const char *s, size_t n)
{
    static const char *const times[] = {"00:00:00", "00:00"};
    for (size_t t = 0; t < 2; t++) {
        size_t k = strlen(times[t]);
        if (n > k + 1 && memcmp(s + n - k, times[t], k) == 0 &&
            (s[n - k - 1] == ' ' || s[n - k - 1] == 'T'))
            return n - k - 1;
    }
    return memchr(s, ':', n) ? 0 : n;
}

static bool days_ok(int y, int m, int d)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= (m == 2 && leap ? 29 : dim[m - 1]);
}

bool field_date(const char *s, size_t n, unsigned flags, date_t *out, char why[FIELD_WHY])
{
    int y = -1, m = -1, d = -1;
    size_t len = s ? without_midnight(s, n) : 0;
    bool shaped = false;
    if (len == 10 && s[4] == '-' && s[7] == '-') {
        size_t i = 0;
        y = read_digits(s, len, &i, 4, 4);
        i = 5;
        m = read_digits(s, len, &i, 2, 2);
        i = 8;
        d = read_digits(s, len, &i, 2, 2);
        shaped = y >= 0 && m >= 0 && d >= 0;
    } else if (len >= 8 && len <= 10 && memchr(s, '/', len)) {
        size_t i = 0;
        d = read_digits(s, len, &i, 1, 2);
        bool ok = d >= 0 && i < len && s[i++] == '/';
        if (ok) m = read_digits(s, len, &i, 1, 2);
        ok = ok && m >= 0 && i < len && s[i++] == '/';
        if (ok) y = read_digits(s, len, &i, 4, 4);
        ok = ok && y >= 0 && i == len;
        if (ok && !(flags & FIELD_DMY)) {
            fld_say(why,
                    "is not a date (YYYY-MM-DD; to read dates written DD/MM/YYYY, use "
                    "--date-format dmy)",
                    NULL);
            return false;
        }
        shaped = ok;
    }
    if (!shaped || !days_ok(y, m, d)) {
        fld_say(why, "is not a date (",
                flags & FIELD_DMY ? "YYYY-MM-DD or DD/MM/YYYY" : "YYYY-MM-DD", ")", NULL);
        return false;
    }
    if (y < FIELD_DATE_MIN_Y) {
        fld_say(why, "is before " STR(FIELD_DATE_MIN_Y) "-01-01 (not a plausible date)", NULL);
        return false;
    }
    if (y > FIELD_DATE_MAX_Y) {
        fld_say(why, "is after " STR(FIELD_DATE_MAX_Y) "-12-31 (not a plausible date)", NULL);
        return false;
    }
    *out = date_from_ymd(y, m, d);
    return true;
}

bool field_date_past(date_t d, date_t today, char why[FIELD_WHY])
{
    if (d <= today) return true;
    char t[11];
    date_format(today, t);
    fld_say(why, "is after today (", t, ")", NULL);
    return false;
}

bool field_date_from(date_t d, date_t first, const char *name, char why[FIELD_WHY])
{
    if (d >= first) return true;
    char t[11];
    date_format(first, t);
    fld_say(why, "is before ", name, " (", t, ")", NULL);
    return false;
}

/* ---- numbers ---- */

/* Reads a plain decimal (digits, and when fraction one '.' followed by digits). Returns false on
 * any other shape; *out is the value (at most 18 significant digits are read exactly; longer
 * whole parts are capped at 1e18, which is above every maximum). */
static bool plain_number(const char *s, size_t n, bool fraction, double *out)
{
    size_t i = 0;
    uint64_t whole = 0;
    bool big = false;
    while (i < n && fld_is_digit(s[i])) {
        if (whole >= 100000000000000000ull)
            big = true;
        else
            whole = whole * 10 + (uint64_t)(s[i] - '0');
        i++;
    }
    size_t ndig = i;
    double frac = 0, scale = 1;
    if (fraction && i < n && s[i] == '.') {
        i++;
        size_t k = 0;
        while (i < n && fld_is_digit(s[i])) {
            if (k < 15) {
                scale /= 10;
                frac += (s[i] - '0') * scale;
            }
            i++;
            k++;
        }
        if (!k) return false; /* "5." */
        ndig += k;
    }
    if (i != n || !ndig || (fraction && s[0] == '.')) return false;
    *out = big ? 1e18 : (double)whole + frac;
    return true;
}

static void shape_why(bool fraction, char why[FIELD_WHY])
{
    fld_say(why,
            fraction ? "is not a number (digits, and a '.' for a fraction such as 2.5; no sign, "
                       "blank, hex or exponent)"
                     : "is not a whole number (digits only: no sign, blank, decimal point, hex "
                       "or exponent)",
            NULL);
}

/* A plain number (a fraction when fraction) from 0 (above 0 when positive) to max; too_many
 * says why a larger one is refused. */
static bool ranged(const char *s, size_t n, bool fraction, bool positive, double max,
                   const char *too_many, double *out, char why[FIELD_WHY])
{
    double v;
    if (!plain_number(s, n, fraction, &v)) {
        shape_why(fraction, why);
        return false;
    }
    if (positive && v <= 0) {
        fld_say(why, "is not a number of days above 0", NULL);
        return false;
    }
    if (v > max) {
        fld_say(why, too_many, NULL);
        return false;
    }
    *out = v;
    return true;
}

bool field_sessions(const char *s, size_t n, long *out, char why[FIELD_WHY])
{
    double v;
    if (!ranged(s, n, false, false, FIELD_MAX_SESSIONS,
                "is more than " STR(FIELD_MAX_SESSIONS) " sessions (not plausible for one record)",
                &v, why))
        return false;
    *out = (long)v;
    return true;
}

bool field_days(const char *s, size_t n, double *out, char why[FIELD_WHY])
{
    return ranged(s, n, true, true, FIELD_MAX_DAYS,
                  "is more than " STR(FIELD_MAX_DAYS) " days (not plausible for one exclusion)",
                  out, why);
}

bool field_hours(const char *s, size_t n, double *out, char why[FIELD_WHY])
{
    return ranged(s, n, true, false, FIELD_MAX_HOURS,
                  "is more than " STR(FIELD_MAX_HOURS) " hours a week (not plausible)", out, why);
}

bool field_attended(long attended, long possible, char why[FIELD_WHY])
{
    if (attended <= possible) return true;
    char n[24];
    fld_say(why, "is more than possible_sessions ",
            fld_num(possible < 0 ? 0 : (unsigned long)possible, 0, n), NULL);
    return false;
}
