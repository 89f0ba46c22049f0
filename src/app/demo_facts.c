/* demo_facts.c: the facts of a demo child (demo_internal.h), drawn from its stream after its
 * referrals: exclusions, episodes and attendance records. */
#include "demo_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const reasons[] = {"PP", "PA", "VP", "VA", "BU", "RA", "SM", "DA", "DM",
                                      "TH", "DB", "OT", "OW", "LG", "DS", "MT", "PH"};
static const int reason_w[] = {60, 130, 110, 90, 30, 20, 10, 60, 10,
                               10, 300, 40,  30, 10, 30, 10, 10};
SAME_SIZE(reasons, EXCL_REASON_COUNT);
SAME_SIZE(reason_w, EXCL_REASON_COUNT);

static long weekdays(date_t from, date_t to) /* inclusive */
{
    long n = 0;
    for (date_t d = from; d <= to; d++)
        n += date_weekday(d) < 5;
    return n;
}

/* Attendance blocks of an academic year (roughly half-terms): month, day of from and to. */
static const int blocks[][4] = {{9, 2, 10, 24}, {11, 3, 12, 19}, {1, 5, 2, 13},
                                {2, 23, 3, 31}, {4, 20, 5, 22},  {6, 1, 7, 21}};

static date_t block_date(int year, int m, int d)
{
    return date_from_ymd(m >= 9 ? year : year + 1, m, d);
}

/* Whether key was seen before (then true); otherwise remembers it. Natural keys of the files
 * (child, start and category of an exclusion; child, kind and start of an episode) must be unique.
 */
typedef struct {
    int64_t v[64];
    int n;
} seen_set;

static bool seen_before(seen_set *s, int64_t key)
{
    for (int i = 0; i < s->n; i++)
        if (s->v[i] == key) return true;
    if (s->n < 64) s->v[s->n++] = key;
    return false;
}

/* Suspensions around exclusion referrals, a few elsewhere; a permanent exclusion where a referral
 * closed with one. */
void demo_story_exclusions(gen *g, story *st)
{
    rng *r = &st->r;
    date_t as_of = g->o->as_of;
    buf *b;
    seen_set excl_seen = {.n = 0};
    for (int k = 0; k < st->nref; k++) {
        ref_story *f = &st->refs[k];
        int nsus = f->issue == I_EXCL ? (int)between(r, 1, 6)
                   : f->issue == I_MM ? (int)between(r, 0, 2)
                                      : 0;
        for (int j = 0; j < nsus; j++) {
            date_t d = weekday_before(f->received - (date_t)between(r, -20, 200));
            if (d > as_of) d = weekday_before(as_of);
            static const char *const days[] = {"0.5", "1", "2", "3", "5"};
            static const int days_w[] = {150, 350, 250, 170, 80};
            const char *ndays = days[PICK(r, days_w)];
            const char *reason = reasons[PICK(r, reason_w)];
            if (seen_before(&excl_seen, (int64_t)d * 2)) continue;
            b = &g->out[KIND_EXCLUSIONS];
            keys_fields(b, &st->keys);
            date_field(b, d);
            field(b, "suspension");
            field(b, ndays);
            field(b, reason);
            csv_write_field(b, st->school_urn);
            row_end(g, KIND_EXCLUSIONS);
        }
        if (f->outcome == O_PERM && !seen_before(&excl_seen, (int64_t)f->closed * 2 + 1)) {
            b = &g->out[KIND_EXCLUSIONS];
            keys_fields(b, &st->keys);
            date_field(b, f->closed);
            field(b, "permanent");
            field(b, "");
            field(b, reasons[PICK(r, reason_w)]);
            csv_write_field(b, st->school_urn);
            row_end(g, KIND_EXCLUSIONS);
        }
    }
    if (st->nref && !st->any[I_EXCL] && st->yg >= 5 && chance(r, 60)) {
        date_t d = weekday_before(as_of - (date_t)below(r, 330));
        if (!seen_before(&excl_seen, (int64_t)d * 2)) {
            b = &g->out[KIND_EXCLUSIONS];
            keys_fields(b, &st->keys);
            date_field(b, d);
            field(b, "suspension");
            field(b, "1");
            field(b, "DB");
            csv_write_field(b, st->school_urn);
            row_end(g, KIND_EXCLUSIONS);
        }
    }
}

void demo_story_episodes(gen *g, story *st)
{
    rng *r = &st->r;
    date_t as_of = g->o->as_of;
    buf *b;
    seen_set episode_seen = {.n = 0};
    for (int k = 0; k < st->nref; k++) {
        ref_story *f = &st->refs[k];
        const char *kind = NULL;
        date_t start = f->received - (date_t)between(r, 0, 30), stop = 0;
        const char *hours = "";
        if (f->issue == I_CME) {
            kind = "cme";
            stop = f->status == 2 ? f->closed : 0;
        } else if (f->issue == I_RT) {
            kind = "part_time";
            static const char *const h[] = {"10", "12.5", "15", "17.5", "20"};
            hours = h[below(r, 5)];
            stop = f->status == 2 && f->outcome == O_RFT ? f->closed : 0;
        } else if (f->issue == I_EHE) {
            kind = "ehe";
            start = f->received - (date_t)between(r, 0, 60);
            stop = f->status == 2 && f->outcome == O_PLACED ? f->closed : 0;
        } else if ((f->issue == I_MM && chance(r, 400)) || (f->issue == I_EXCL && chance(r, 200)) ||
                   f->outcome == O_AP) {
            kind = "alternative_provision";
            start = f->received + (date_t)between(r, 5, 20);
            if (start > as_of) continue;
            stop = start + 42 <= as_of && chance(r, 500) ? start + 42 : 0;
            hours = "25";
        }
        if (!kind) continue;
        if (start < g->start - 60) start = g->start - 60;
        if (stop && stop <= start) stop = start + 1;
        if (stop > as_of) stop = 0;
        if (seen_before(&episode_seen, (int64_t)start * 8 + (kind[0] == 'c'   ? 0
                                                             : kind[0] == 'p' ? 1
                                                             : kind[0] == 'e' ? 2
                                                                              : 3)))
            continue;
        b = &g->out[KIND_EPISODES];
        keys_fields(b, &st->keys);
        field(b, kind);
        date_field(b, start);
        date_field(b, stop);
        field(b, hours);
        buf_puts(b, chance(r, f->issue == I_CME ? 650 : 900) ? "yes" : "no");
        row_end(g, KIND_EPISODES);
    }
}

/* Half-term records; every block for attendance-type referrals, the latest block for most other
 * children. */
void demo_story_attendance(gen *g, story *st)
{
    rng *r = &st->r;
    date_t as_of = g->o->as_of;
    buf *b;
    bool watched =
        st->any[I_ATT] || st->any[I_CME] || st->any[I_EXCL] || st->any[I_RT] || st->any[I_MM];
    if (st->no_school && !st->any[I_CME]) return;
    int base;
    if (st->any[I_ATT])
        base = chance(r, 350) ? (int)between(r, 25, 49) : (int)between(r, 50, 88);
    else if (st->any[I_CME])
        base = (int)between(r, 20, 75);
    else if (watched)
        base = (int)between(r, 55, 95);
    else
        base = chance(r, 150) ? (int)between(r, 70, 89) : (int)between(r, 90, 99);
    bool improved = false;
    for (int k = 0; k < st->nref; k++)
        improved |= st->refs[k].outcome == O_ATT;
    date_t first_ref = st->nref ? st->refs[0].received : as_of;
    int nblocks = 0;
    date_t from[12], to[12];
    for (int y = g->year - 1; y <= g->year; y++)
        for (int k = 0; k < COUNT(blocks); k++) {
            date_t f0 = block_date(y, blocks[k][0], blocks[k][1]);
            date_t t0 = block_date(y, blocks[k][2], blocks[k][3]);
            if (t0 > as_of) continue;
            from[nblocks] = f0;
            to[nblocks] = t0;
            nblocks++;
        }
    int k0 = nblocks;
    if (watched) {
        for (k0 = 0; k0 < nblocks && to[k0] < first_ref - 90; k0++)
            ;
    } else if (nblocks && chance(r, 600)) {
        k0 = nblocks - 1;
    }
    if (k0 < nblocks - (st->large ? 2 : 4)) k0 = nblocks - (st->large ? 2 : 4); /* the latest few */
    for (int k = k0; k < nblocks; k++) {
        long possible = 2 * weekdays(from[k], to[k]);
        int pct = base + (int)between(r, -4, 4);
        if (improved && to[k] > first_ref + 60) pct += 20;
        if (pct > 100) pct = 100;
        if (pct < 0) pct = 0;
        long attended = possible * pct / 100;
        b = &g->out[KIND_ATTENDANCE];
        keys_fields(b, &st->keys);
        date_field(b, from[k]);
        date_field(b, to[k]);
        buf_printf(b, "%ld,%ld", possible, attended);
        row_end(g, KIND_ATTENDANCE);
    }
}
