/* date.c: civil dates as day numbers since 1970-01-01 (proleptic Gregorian), after the
 * days-from-civil / civil-from-days algorithms: eras of 400 years, years starting 1 March. */
#include "caseload/date.h"

date_t date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;                                   /* [0, 399] */
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return (date_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(date_t z, int *y, int *m, int *dd)
{
    long zz = (long)z + 719468;
    long era = (zz >= 0 ? zz : zz - 146096) / 146097;
    long doe = zz - era * 146097;                                     /* [0, 146096] */
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* [0, 365] */
    long mp = (5 * doy + 2) / 153;                      /* [0, 11] */
    long d = doy - (153 * mp + 2) / 5 + 1;              /* [1, 31] */
    long mm = mp < 10 ? mp + 3 : mp - 9;                /* [1, 12] */
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *dd = (int)d;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool date_parse(const char *s, size_t len, date_t *out)
{
    if (!s || len != 10 || s[4] != '-' || s[7] != '-') return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
    *out = date_from_ymd(y, m, d);
    return true;
}

void date_format(date_t d, char out[11])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    if (y < 0) y = 0;
    if (y > 9999) y = 9999;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + dd / 10);
    out[9] = (char)('0' + dd % 10);
    out[10] = '\0';
}

void date_format_long(date_t d, char out[24])
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    char ymd[11];
    date_format(d, ymd); /* the year as four digits, clamped to 0000-9999 */
    size_t n = 0;
    if (dd >= 10) out[n++] = (char)('0' + dd / 10);
    out[n++] = (char)('0' + dd % 10);
    out[n++] = ' ';
    for (const char *p = months[m - 1]; *p; p++)
        out[n++] = *p;
    out[n++] = ' ';
    for (int i = 0; i < 4; i++)
        out[n++] = ymd[i];
    out[n] = '\0';
}

int date_weekday(date_t d)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    long w = ((long)d + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

int date_academic_year(date_t d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return m >= 9 ? y : y - 1;
}

date_t date_academic_year_start(int a)
{
    return date_from_ymd(a, 9, 1);
}

date_t date_add_years(date_t d, int n)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    y += n;
    if (m == 2 && dd == 29 && !is_leap(y)) dd = 28;
    return date_from_ymd(y, m, dd);
}
