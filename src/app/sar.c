/* sar.c: a subject access request (SPEC section 10): everything held about one child, gathered
 * with the same readers as export (records.h), so that each row appears with the columns and
 * values an export gives it, as a Markdown timeline (sar_md.c) or one JSON object (sar_json.c;
 * keys in caseload(1)). This file gathers the rows, the conflicts and the access log, and writes
 * the request's file. */
#include "caseload/protect.h"
#include "sar_internal.h"

#include "caseload/browse.h"
#include "caseload/exitcode.h"
#include "caseload/import.h"
#include "caseload/outfile.h"
#include "caseload/privacy.h"
#include "caseload/records.h"
#include "caseload/scoring.h"
#include "caseload/sync.h"
#include "caseload/text.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool same(const char *field, const char *key)
{
    return field ? strcmp(field, key) == 0 : key[0] == '\0';
}

static bool has_ref(const sar_ctx *x, const char *ref)
{
    for (size_t i = 0; ref && i < x->nrefs; i++)
        if (strcmp(x->refs[i], ref) == 0) return true;
    return false;
}

static char *dup_text(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int collect(void *ctx, const char *const *fields, size_t n)
{
    sar_ctx *x = ctx;
    bool mine;
    switch (x->kind) {
    case KIND_REFERRALS: mine = same(fields[6], x->upn) && same(fields[7], x->la); break;
    case KIND_OUTCOMES:
    case KIND_ACTIONS: mine = has_ref(x, fields[0]); break;
    default: mine = same(fields[0], x->upn) && same(fields[1], x->la); break;
    }
    if (!mine) return 0;
    if (x->nrows == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 32;
        sar_row *r = realloc(x->rows, cap * sizeof *r);
        if (!r) goto oom;
        x->rows = r;
        x->cap = cap;
    }
    sar_row *r = &x->rows[x->nrows];
    r->kind = x->kind;
    r->n = n;
    r->f = calloc(n ? n : 1, sizeof *r->f);
    if (!r->f) goto oom;
    x->nrows++;
    for (size_t i = 0; i < n; i++)
        if (fields[i] && !(r->f[i] = dup_text(fields[i]))) goto oom;
    if (x->kind == KIND_REFERRALS) {
        char **refs = realloc(x->refs, (x->nrefs + 1) * sizeof *refs);
        if (!refs) goto oom;
        x->refs = refs;
        if (!(x->refs[x->nrefs] = dup_text(fields[0]))) goto oom;
        x->nrefs++;
    }
    return 0;
oom:
    x->oom = true;
    return EXIT_IO;
}

static void free_ctx(sar_ctx *x)
{
    for (size_t i = 0; i < x->nrows; i++) {
        for (size_t k = 0; k < x->rows[i].n; k++)
            free(x->rows[i].f[k]);
        free(x->rows[i].f);
    }
    free(x->rows);
    for (size_t i = 0; i < x->nrefs; i++)
        free(x->refs[i]);
    free(x->refs);
}

/* Referrals come first: the actions and outcomes are found by their refs. */
const import_kind sar_order[7] = {KIND_CHILDREN,   KIND_REFERRALS,  KIND_ACTIONS, KIND_OUTCOMES,
                                  KIND_EXCLUSIONS, KIND_ATTENDANCE, KIND_EPISODES};

static int gather(store *s, sar_ctx *x)
{
    static int (*const each[KIND_COUNT])(store *, records_row_fn, void *) = {
        [KIND_REFERRALS] = records_each_referral,    [KIND_OUTCOMES] = records_each_outcome,
        [KIND_ACTIONS] = records_each_action,        [KIND_EXCLUSIONS] = records_each_exclusion,
        [KIND_ATTENDANCE] = records_each_attendance, [KIND_EPISODES] = records_each_episode,
        [KIND_CHILDREN] = records_each_child,
    };
    for (size_t i = 0; i < sizeof sar_order / sizeof sar_order[0]; i++) {
        x->kind = sar_order[i];
        int rc = each[sar_order[i]](s, collect, x);
        if (rc) return x->oom ? EXIT_IO : rc;
    }
    return EXIT_OK;
}

/* ---- the access log and the conflicts ---- */

const char *const sar_conflict_cols[11] = {"id",          "kind", "table", "row_id",
                                           "field",       "base", "hub",   "laptop",
                                           "laptop_name", "at",   "state"};

/* v as `sync conflicts --format json` gives it, as text (NULL for none). */
static char *value_text(const merge_value *v)
{
    char num[32];
    switch (v->type) {
    case MERGE_INT: snprintf(num, sizeof num, "%lld", (long long)v->i); return dup_text(num);
    case MERGE_REAL: snprintf(num, sizeof num, "%.17g", v->d); return dup_text(num);
    case MERGE_TEXT:
    case MERGE_BLOB: {
        char *d = malloc((size_t)v->n + 1);
        if (d) {
            memcpy(d, v->p, (size_t)v->n);
            d[v->n] = '\0';
        }
        return d;
    }
    default: return NULL;
    }
}

/* The conflict of the last row kept, as sync conflicts reads it: its values for a script, its
 * words for a person. */
static int conflict_words(void *ctx, const sync_conflict_item *it)
{
    sar_row *r = ctx;
    buf head = BUF_INIT;
    sync_conflict_heading(it->row, &head);
    r->f[SAR_CONFLICT_HEADING] = dup_text(buf_str(&head));
    buf_free(&head);
    if (!r->f[SAR_CONFLICT_HEADING]) return EXIT_IO;
    for (int i = 0; i < 3; i++) {
        free(r->f[5 + i]);
        r->f[5 + i] = value_text(&it->value[i]);
        bool none = it->value[i].type == MERGE_NULL || it->value[i].type == MERGE_UNDEF;
        if ((!none && !r->f[5 + i]) || !(r->f[SAR_CONFLICT_WORDS + i] = dup_text(it->shown[i])))
            return EXIT_IO;
    }
    return EXIT_OK;
}

/* A conflict held about one of the child's rows, kept as a row of kind KIND_COUNT. */
static int keep_conflict(void *ctx, const char *const *v, size_t n)
{
    sar_ctx *x = ctx;
    x->kind = KIND_COUNT;
    if (x->nrows == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 32;
        sar_row *r = realloc(x->rows, cap * sizeof *r);
        if (!r) return EXIT_IO;
        x->rows = r;
        x->cap = cap;
    }
    sar_row *r = &x->rows[x->nrows];
    r->kind = KIND_COUNT;
    r->n = SAR_CONFLICT_FIELDS;
    r->f = calloc(SAR_CONFLICT_FIELDS, sizeof *r->f);
    if (!r->f) return EXIT_IO;
    x->nrows++;
    for (size_t i = 0; i < n && i < SAR_CONFLICT_HEADING; i++)
        if (v[i] && !(r->f[i] = dup_text(v[i]))) return EXIT_IO;
    return v[0] ? sync_conflict_item_get(x->s, strtoll(v[0], NULL, 10), conflict_words, r) : 0;
}

static int keep_access(void *ctx, const privacy_access *a)
{
    access_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        privacy_access *v = realloc(l->v, cap * sizeof *v);
        if (!v) return EXIT_IO;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *a;
    return 0;
}

int protect_sar(store *s, const config *cfg, date_t as_of, int64_t child_id, int format, buf *out)
{
    browse_child c;
    int rc = browse_child_get(s, child_id, &c);
    if (rc) return rc;
    sar_ctx x = {.s = s, .upn = c.upn, .la = c.la_child_id};
    access_list log = {0};
    score_result sr;
    if ((rc = gather(s, &x))) goto done;
    if ((rc = privacy_each_conflict(s, child_id, keep_conflict, &x))) goto done;
    if ((rc = scoring_child(s, cfg, as_of, child_id, &sr))) goto done;
    if ((rc = privacy_each_access(s, child_id, NULL, 0, keep_access, &log))) goto done;
    date_t ended = 0;
    bool has = c.social_work_ended[0] &&
               date_parse(c.social_work_ended, strlen(c.social_work_ended), &ended);
    retention_cohort_t cohort = retention_cohort(has, ended, as_of);
    char d[11];
    date_format(as_of, d);
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sar_doc doc = {&x, d, store_officer(s), now, cfg, &sr, cohort, &log};
    if (format == PROTECT_SAR_JSON)
        sar_write_json(out, &doc);
    else
        sar_write_md(out, &doc);
done:
    free(log.v);
    free_ctx(&x);
    return rc;
}

int protect_sar_write(store *s, const config *cfg, date_t as_of, int64_t child_id, int format,
                      const char *path, bool replace, char *written, size_t wn, char *err,
                      size_t errn)
{
    if (!store_officer(s)[0]) {
        snprintf(err, errn,
                 "a subject access request needs a known officer (--officer INITIALS "
                 "or $CASELOAD_OFFICER): it is recorded");
        return EXIT_USAGE;
    }
    buf out = BUF_INIT;
    int rc = protect_sar(s, cfg, as_of, child_id, format, &out);
    if (rc) {
        snprintf(err, errn, "%s", store_error(s));
        goto done;
    }
    outfile of;
    char msg[4200];
    rc = outfile_open(&of, path, replace, msg, sizeof msg);
    if (!rc) {
        if (out.len && fwrite(out.data, 1, out.len, of.f) != out.len) {
            snprintf(msg, sizeof msg, "writing %s failed: %s", of.path, strerror(errno));
            outfile_abort(&of);
            rc = EXIT_IO;
        } else {
            rc = outfile_commit(&of, msg, sizeof msg);
        }
    }
    if (rc) {
        buf b = BUF_INIT;
        text_sanitize(&b, msg);
        snprintf(err, errn, "%s: nothing was kept", buf_str(&b));
        buf_free(&b);
        goto done;
    }
    /* Recorded once the file is whole; a request that cannot be recorded is not kept either. */
    const char *detail = format == PROTECT_SAR_JSON ? "json" : "md";
    if ((rc = store_access(s, "sar", "children", child_id, child_id, detail))) {
        unlink(of.path);
        snprintf(err, errn, "%s: the file was removed", store_error(s));
        goto done;
    }
    snprintf(written, wn, "%s", of.path);
done:
    buf_free(&out);
    return rc;
}
