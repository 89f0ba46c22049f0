/* demo_internal.h: what the two files of the demo (demo.c: the children, their referrals,
 * actions and outcomes; demo_facts.c: their exclusions, episodes and attendance) share: the
 * pseudo-random stream, the story of one child as drawn so far and the writing of CSV rows. Not
 * for use outside src/app/demo*.c. Every draw comes from the child's own stream in a fixed order:
 * moving a draw changes every demo. */
#ifndef CASELOAD_DEMO_INTERNAL_H
#define CASELOAD_DEMO_INTERNAL_H

#include "caseload/codes.h"
#include "caseload/csv.h"
#include "caseload/demo.h"

/* ---- pseudo-random numbers ---- */

typedef struct {
    uint64_t s;
} rng;

static inline uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* 0 .. n-1 (n > 0). */
static inline long below(rng *r, long n)
{
    return (long)((next(r) >> 11) % (uint64_t)n);
}

/* lo .. hi inclusive. */
static inline long between(rng *r, long lo, long hi)
{
    return hi <= lo ? lo : lo + below(r, hi - lo + 1);
}

/* True with probability per_mille / 1000. */
static inline bool chance(rng *r, int per_mille)
{
    return below(r, 1000) < per_mille;
}

/* An index drawn from weights w[0..n-1]. */
static inline int pick(rng *r, const int *w, int n)
{
    long total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    long x = below(r, total);
    for (int i = 0; i < n; i++) {
        if (x < w[i]) return i;
        x -= w[i];
    }
    return n - 1;
}

#define PICK(r, w) pick(r, w, (int)(sizeof(w) / sizeof(w)[0]))
#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))
/* One weight per code of each list (codes.h). */
#define SAME_SIZE(a, n) _Static_assert(COUNT(a) == (n), #a ": one entry per code of codes.h")

/* The issues and outcomes in the order of their code lists (codes.c). */
enum { I_ATT, I_CME, I_EXCL, I_ADM, I_SEN, I_RT, I_MM, I_EHE, I_NEET, I_OTHER };
enum { O_AVOIDED, O_PERM, O_PLACED, O_RFT, O_ATT, O_EHCP, O_AP, O_EHE, O_NFA, O_OTHER };

/* ---- a child's story ---- */

#define MAX_REFS 8

typedef struct {
    int issue, other[2], nother, source, officer;
    bool pex;
    date_t received, closed; /* closed 0 when not closed */
    int status;              /* 0 new, 1 open, 2 closed */
    int outcome;             /* index in outcomes, -1 none */
} ref_story;

/* The child's keys, as the first two columns of child-keyed files. */
typedef struct {
    char upn[14];
    char la[24];
} child_keys;

/* One child as drawn so far. */
typedef struct {
    rng r;      /* the child's own stream */
    bool large; /* a benchmark-sized caseload: more referrals, fewer actions and records */
    int nref;
    ref_story refs[MAX_REFS]; /* in date order */
    bool any[ISSUE_COUNT];    /* the issues of its referrals */
    child_keys keys;
    int yg;           /* year group */
    int care, sen;    /* code indexes */
    const char *need; /* SEN need code, "" */
    bool yj;          /* youth justice */
    bool no_school;
    const char *school_urn; /* "" when no_school */
} story;

typedef struct {
    const demo_options *o;
    buf *out;
    long *rows;
    date_t start; /* 1 September of the previous academic year */
    int year;     /* the academic year of as_of */
} gen;

/* ---- rows ---- */

static inline void put_date(buf *b, date_t d)
{
    char s[11];
    date_format(d, s);
    buf_append(b, s, 10);
}

/* The nearest weekday at or before d. */
static inline date_t weekday_before(date_t d)
{
    while (date_weekday(d) >= 5)
        d--;
    return d;
}

static inline void row_end(gen *g, import_kind k)
{
    buf_putc(&g->out[k], '\n');
    if (g->rows) g->rows[k]++;
}

static inline void field(buf *b, const char *s)
{
    csv_write_field(b, s);
    buf_putc(b, ',');
}

static inline void date_field(buf *b, date_t d)
{
    if (d) put_date(b, d);
    buf_putc(b, ',');
}

static inline void keys_fields(buf *b, const child_keys *k)
{
    field(b, k->upn);
    field(b, k->la);
}

/* demo_facts.c, drawn in this order after the child and its referrals: the child's exclusions
 * (suspensions around exclusion referrals, a permanent exclusion where a referral closed with
 * one), episodes and attendance records. */
void demo_story_exclusions(gen *g, story *st);
void demo_story_episodes(gen *g, story *st);
void demo_story_attendance(gen *g, story *st);

#endif
