/* sar_json.c: a subject access request as one JSON object (keys in caseload(1)): the rows
 * sar.c gathered, the score, the conflicts and the access log. */
#include "sar_internal.h"

#include "caseload/export.h"
#include "caseload/json.h"
#include "caseload/store.h"
#include <stdlib.h>

static const char *const key_of[KIND_COUNT] = {
    [KIND_REFERRALS] = "referrals",   [KIND_OUTCOMES] = "outcomes",
    [KIND_ACTIONS] = "actions",       [KIND_EXCLUSIONS] = "exclusions",
    [KIND_ATTENDANCE] = "attendance", [KIND_EPISODES] = "episodes",
    [KIND_CHILDREN] = "child",
};

static void json_text_or_null(json_writer *j, const char *key, const char *v)
{
    json_key(j, key);
    if (v && *v)
        json_string(j, v);
    else
        json_null(j);
}

static void json_row(json_writer *j, const sar_row *r)
{
    size_t ncols;
    const char *const *cols = import_columns(r->kind, &ncols);
    json_begin_object(j);
    for (size_t i = 0; i < r->n && i < ncols; i++) {
        json_key(j, cols[i]);
        export_json_value(j, cols[i], r->f[i]);
    }
}

/* The rows of each kind, in order: the child an object (with its cohort), the others arrays. */
static void json_rows(json_writer *j, const sar_doc *d)
{
    for (size_t k = 0; k < sizeof sar_order / sizeof sar_order[0]; k++) {
        import_kind kind = sar_order[k];
        json_key(j, key_of[kind]);
        if (kind != KIND_CHILDREN) json_begin_array(j);
        for (size_t i = 0; i < d->x->nrows; i++) {
            if (d->x->rows[i].kind != kind) continue;
            json_row(j, &d->x->rows[i]);
            if (kind == KIND_CHILDREN) {
                json_key(j, "cohort");
                json_string(j, retention_cohort_name(d->cohort));
            }
            json_end_object(j);
        }
        if (kind != KIND_CHILDREN) json_end_array(j);
    }
}

static void json_score(json_writer *j, const sar_doc *d)
{
    json_key(j, "score");
    json_begin_object(j);
    json_key(j, "score");
    json_int(j, d->sr->total);
    json_key(j, "band");
    json_string(j, score_band_name(d->sr->band));
    json_key(j, "factors");
    json_begin_array(j);
    for (int f = 0; f < SCORE_NFACTORS; f++) {
        json_begin_object(j);
        json_key(j, "factor");
        json_string(j, score_factor_name((score_factor)f));
        json_key(j, "value");
        json_int(j, d->sr->value[f]);
        json_key(j, "weight");
        json_int(j, d->cfg->scoring.weight[f]);
        json_key(j, "points");
        json_int(j, d->sr->points[f]);
        json_end_object(j);
    }
    json_end_array(j);
    json_end_object(j);
}

static void json_conflicts(json_writer *j, const sar_ctx *x)
{
    json_key(j, "conflicts");
    json_begin_array(j);
    for (size_t i = 0; i < x->nrows; i++) {
        const sar_row *r = &x->rows[i];
        if (r->kind != KIND_COUNT) continue;
        json_begin_object(j);
        for (size_t k = 0; k < r->n && k < SAR_CONFLICT_HEADING; k++) {
            json_key(j, sar_conflict_cols[k]);
            if (!r->f[k])
                json_null(j);
            else if (k == 0 || k == 3)
                json_int(j, strtoll(r->f[k], NULL, 10));
            else
                json_string(j, r->f[k]);
        }
        json_end_object(j);
    }
    json_end_array(j);
}

static void json_access_log(json_writer *j, const access_list *log)
{
    json_key(j, "access_log");
    json_begin_array(j);
    for (size_t i = 0; i < log->n; i++) {
        const privacy_access *a = &log->v[i];
        json_begin_object(j);
        json_key(j, "at");
        json_string(j, a->at);
        json_key(j, "action");
        json_string(j, a->action);
        json_text_or_null(j, "table", a->tbl);
        json_key(j, "row_id");
        if (a->row_id)
            json_int(j, a->row_id);
        else
            json_null(j);
        json_text_or_null(j, "officer", a->officer);
        json_text_or_null(j, "claimed", a->claimed);
        json_text_or_null(j, "os_user", a->os_user);
        json_text_or_null(j, "detail", a->detail);
        json_end_object(j);
    }
    json_end_array(j);
}

void sar_write_json(buf *out, const sar_doc *d)
{
    json_writer j;
    json_init(&j, out, true);
    json_begin_object(&j);
    json_key(&j, "as_of");
    json_string(&j, d->as_of);
    json_key(&j, "generated_at");
    json_string(&j, d->now);
    json_text_or_null(&j, "officer", d->officer);
    json_key(&j, "os_user");
    json_string(&j, store_os_user());
    json_rows(&j, d);
    json_score(&j, d);
    json_conflicts(&j, d->x);
    json_access_log(&j, d->log);
    json_end_object(&j);
    buf_putc(out, '\n');
}
