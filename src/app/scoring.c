/* scoring.c: keeps every stored score true for the current date and weights. A full recompute
 * reads every child's facts (one pass over each table), computes the scores and writes the
 * children whose score changed (the database copies a child's score onto its referrals); all in
 * one transaction with one audit row. */
#include "caseload/scoring.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/scores.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Children changed in one go above this many (and above a fifth of all children) are not
 * recomputed one by one: the stored scores are marked stale for scoring_refresh instead. */
#define CHANGED_DIRECT_MAX 1000

/* Whether the stored scores are as of as_of under weights. */
static bool scores_current(store *s, const score_weights *w, date_t as_of)
{
    char have_date[32], want_date[11];
    date_format(as_of, want_date);
    if (!store_meta_get(s, SCORES_META_AS_OF, have_date, sizeof have_date)) return false;
    if (strcmp(have_date, want_date) != 0) return false;
    buf key = BUF_INIT;
    score_weights_key(w, &key);
    size_t n = strlen(buf_str(&key)) + 2;
    char *have = malloc(n);
    if (!have) abort();
    bool same =
        store_meta_get(s, SCORES_META_WEIGHTS, have, (int)n) && strcmp(have, buf_str(&key)) == 0;
    free(have);
    buf_free(&key);
    return same;
}

typedef struct {
    int64_t id;
    int score;
} change;

typedef struct {
    const score_weights *w;
    change *v;
    size_t n, cap;
    long seen, total;
    bool progress;
} refresh_ctx;

static int collect(void *vctx, const scores_row *row)
{
    refresh_ctx *c = vctx;
    score_result r;
    score_compute(c->w, &row->facts, &r);
    c->seen++;
    if (c->progress && c->seen % 10000 == 0)
        fprintf(stderr, "\rcaseload: scoring children: %ld of %ld", c->seen, c->total);
    bool child_changed = r.total != row->stored_score;
    if (!child_changed) return 0;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        if (!c->v) abort();
    }
    c->v[c->n++] = (change){row->child_id, r.total};
    return 0;
}

int scoring_refresh(store *s, const config *cfg, date_t as_of, bool progress, bool *stale)
{
    if (stale) *stale = false;
    if (scores_current(s, &cfg->scoring, as_of)) return EXIT_OK;
    if (!scores_writable(s)) {
        if (stale) *stale = true;
        return EXIT_OK;
    }
    int rc = store_begin(s);
    if (rc) return rc;
    /* Another program may have refreshed them while we waited for the lock. */
    if (scores_current(s, &cfg->scoring, as_of)) {
        store_rollback(s);
        return EXIT_OK;
    }
    refresh_ctx c = {.w = &cfg->scoring, .progress = progress};
    if (progress) c.total = scores_count_children(s);
    rc = scores_each(s, as_of, collect, &c);
    if (progress && c.total > 0)
        fprintf(stderr, "\rcaseload: scoring children: %ld of %ld\n", c.seen, c.total);
    /* Only the writes gain from a large cache (the reads above are faster with a small one). */
    if (c.n) scores_big_cache(s, true);
    /* The changed children; the database copies each new score onto the child's referrals. */
    for (size_t i = 0; !rc && i < c.n; i++)
        rc = scores_set(s, c.v[i].id, c.v[i].score);
    char date[11];
    date_format(as_of, date);
    buf key = BUF_INIT;
    score_weights_key(&cfg->scoring, &key);
    if (!rc) rc = store_meta_set(s, SCORES_META_AS_OF, date);
    if (!rc) rc = store_meta_set(s, SCORES_META_WEIGHTS, buf_str(&key));
    buf_free(&key);
    if (!rc) {
        char detail[96];
        snprintf(detail, sizeof detail, "as_of=%s children_changed=%zu", date, c.n);
        rc = store_audit(s, "scores_refresh", "children", 0, detail);
    }
    free(c.v);
    if (rc) {
        store_rollback(s);
        scores_big_cache(s, false);
        return rc;
    }
    rc = store_commit(s);
    scores_big_cache(s, false);
    return rc;
}

int scoring_children_changed(store *s, const config *cfg, date_t as_of, const int64_t *child_ids,
                             size_t n)
{
    if (n == 0) return EXIT_OK;
    /* Stale anyway: the next scoring_refresh recomputes every child. */
    if (!scores_current(s, &cfg->scoring, as_of)) return EXIT_OK;
    if (n > CHANGED_DIRECT_MAX) {
        long total = scores_count_children(s);
        if ((long)n * 5 > total) {
            int rc = store_meta_set(s, SCORES_META_AS_OF, "");
            return rc ? rc : EXIT_OK;
        }
    }
    for (size_t i = 0; i < n; i++) {
        score_facts f;
        int rc = scores_facts(s, child_ids[i], as_of, &f);
        if (rc == EXIT_DATA) continue; /* no such child (any more): nothing to score */
        if (rc) return rc;
        score_result r;
        score_compute(&cfg->scoring, &f, &r);
        if ((rc = scores_set(s, child_ids[i], r.total))) return rc;
    }
    return EXIT_OK;
}

int scoring_child(store *s, const config *cfg, date_t as_of, int64_t child_id, score_result *out)
{
    score_facts f;
    int rc = scores_facts(s, child_id, as_of, &f);
    if (rc) return rc;
    score_compute(&cfg->scoring, &f, out);
    return EXIT_OK;
}
