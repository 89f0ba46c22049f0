/* scoring.c: keeps every score shown true for the date shown and the weights in force. A full
 * recompute reads every child's facts (one pass over each table), computes the scores and writes
 * the children whose score changed (the database copies a child's score onto its referrals); the
 * stored scores then hold for the date and weights written beside them in meta. Whatever leaves
 * some score unknown for that date marks them all stale instead, never current. On a file that
 * cannot be written, the scores are computed into the connection's own temporary copy. */
#include "caseload/scoring.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/scores.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Children changed in one go above this many (and above a fifth of all children, or with the
 * stored scores for another date) are not recomputed one by one: every score is, in one pass. */
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
    bool unstored; /* scores_row's */
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
    c->v[c->n++] = (change){row->child_id, r.total, row->unstored};
    return 0;
}

/* Computes every child's score as of as_of; writes the changed ones with scores_set (their
 * number in *changed when not NULL). */
static int recompute(store *s, const config *cfg, date_t as_of, bool progress, size_t *changed)
{
    refresh_ctx c = {.w = &cfg->scoring, .progress = progress};
    if (progress) c.total = scores_count_children(s);
    int rc = scores_each(s, as_of, collect, &c);
    if (progress && c.total > 0)
        fprintf(stderr, "\rcaseload: scoring children: %ld of %ld\n", c.seen, c.total);
    /* Only the writes gain from a large cache (the reads above are faster with a small one). */
    if (c.n) scores_big_cache(s, true);
    for (size_t i = 0; !rc && i < c.n; i++)
        rc = scores_set(s, c.v[i].id, c.v[i].score, c.v[i].unstored);
    if (c.n) scores_big_cache(s, false);
    if (changed) *changed = c.n;
    free(c.v);
    return rc;
}

/* Inside a transaction: every score recomputed, and marked as holding for as_of and the weights,
 * with one audit row. */
static int recompute_stored(store *s, const config *cfg, date_t as_of, bool progress)
{
    size_t changed = 0;
    int rc = recompute(s, cfg, as_of, progress, &changed);
    char date[11];
    date_format(as_of, date);
    buf key = BUF_INIT;
    score_weights_key(&cfg->scoring, &key);
    if (!rc) rc = store_meta_set(s, SCORES_META_AS_OF, date);
    if (!rc) rc = store_meta_set(s, SCORES_META_WEIGHTS, buf_str(&key));
    buf_free(&key);
    if (!rc) {
        char detail[96];
        snprintf(detail, sizeof detail, "as_of=%s children_changed=%zu", date, changed);
        rc = store_audit(s, "scores_refresh", "children", 0, detail);
    }
    return rc;
}

int scoring_refresh(store *s, const config *cfg, date_t as_of, bool progress, bool *computed)
{
    if (computed) *computed = false;
    if (!scores_writable(s)) {
        /* Read the stored scores when they hold; else compute them for this connection. */
        int rc = scores_shadow_drop(s);
        if (rc || scores_current(s, &cfg->scoring, as_of)) return rc;
        if (!(rc = scores_shadow_begin(s))) rc = recompute(s, cfg, as_of, progress, NULL);
        if (!rc) rc = scores_shadow_end(s);
        if (rc) {
            scores_shadow_drop(s);
            return rc;
        }
        if (computed) *computed = true;
        return EXIT_OK;
    }
    if (scores_current(s, &cfg->scoring, as_of)) return EXIT_OK;
    int rc = store_begin(s);
    if (rc) return rc;
    /* Another program may have refreshed them while we waited for the lock: nothing to write. */
    if (!scores_current(s, &cfg->scoring, as_of)) {
        if (!(rc = recompute_stored(s, cfg, as_of, progress))) return store_commit(s);
    }
    store_rollback(s);
    return rc;
}

int scoring_children_changed(store *s, const config *cfg, date_t as_of, const int64_t *child_ids,
                             size_t n)
{
    if (n == 0) return EXIT_OK;
    bool current = scores_current(s, &cfg->scoring, as_of);
    if (n > CHANGED_DIRECT_MAX) {
        /* Many children (an import): when they are a large part of the caseload, or the stored
         * scores are for another date or weights, every score is made true for as_of here, in
         * the caller's transaction, so the next screen shows them at once. */
        if (!current || (long)n * 5 > scores_count_children(s))
            return recompute_stored(s, cfg, as_of, false);
    } else if (!current) {
        /* The stored scores hold for another date or weights, and these children's scores now
         * hold for none: all stale, so whatever shows them next computes them first. */
        return store_meta_set(s, SCORES_META_AS_OF, "");
    }
    for (size_t i = 0; i < n; i++) {
        score_facts f;
        int rc = scores_facts(s, child_ids[i], as_of, &f);
        if (rc == EXIT_DATA) continue; /* no such child (any more): nothing to score */
        if (rc) return rc;
        score_result r;
        score_compute(&cfg->scoring, &f, &r);
        if ((rc = scores_set(s, child_ids[i], r.total, false))) return rc;
    }
    return EXIT_OK;
}

typedef struct {
    const score_weights *w;
    long checked, wrong;
    int64_t first;
} verify_ctx;

static int verify_row(void *vctx, const scores_row *row)
{
    verify_ctx *c = vctx;
    score_result r;
    score_compute(c->w, &row->facts, &r);
    c->checked++;
    if (r.total != row->stored_score && c->wrong++ == 0) c->first = row->child_id;
    return 0;
}

int scoring_verify(store *s, const config *cfg, long *checked, long *wrong, int64_t *first)
{
    *checked = *wrong = 0;
    *first = 0;
    char have[32];
    date_t as_of;
    if (!store_meta_get(s, SCORES_META_AS_OF, have, sizeof have) ||
        !date_parse(have, strlen(have), &as_of) || !scores_current(s, &cfg->scoring, as_of))
        return EXIT_OK; /* stale: computed again before anything shows them */
    verify_ctx c = {.w = &cfg->scoring};
    int rc = scores_each(s, as_of, verify_row, &c);
    *checked = c.checked;
    *wrong = c.wrong;
    *first = c.first;
    return rc;
}

int scoring_child(store *s, const config *cfg, date_t as_of, int64_t child_id, score_result *out)
{
    score_facts f;
    int rc = scores_facts(s, child_id, as_of, &f);
    if (rc) return rc;
    score_compute(&cfg->scoring, &f, out);
    return EXIT_OK;
}
