/* import_write.c: writing the checked rows of an import in one transaction: statements prepared
 * once (store_stmt), lookups of schools and officers cached, one audit row and one per child
 * changed, and the scores of the children touched. */
#include "import_internal.h"

#include "caseload/exitcode.h"
#include "caseload/records.h"
#include "caseload/scoring.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ---- */

/* The school of a row (cached: each urn and name looked up once). *renamed (may be NULL) tells
 * whether this row changed a known school's name. */
static int school_id(imp *m, const char *urn, const char *name, int64_t *id, bool *renamed)
{
    *id = 0;
    if (renamed) *renamed = false;
    if (!urn && !name) return EXIT_OK;
    buf_reset(&m->key);
    buf_printf(&m->key, "S%s%c%s", urn ? urn : "", 0, name ? name : "");
    int64_t *p = imp_hmap_get(&m->cache, m->key.data, m->key.len);
    if (p) {
        *id = *p;
        return EXIT_OK;
    }
    bool changed;
    int rc = records_school_put(m->s, urn, name, id, &changed);
    if (rc) return rc;
    if (renamed) *renamed = changed;
    buf_reset(&m->key);
    buf_printf(&m->key, "S%s%c%s", urn ? urn : "", 0, name ? name : "");
    imp_hmap_put(&m->cache, &m->a, m->key.data, m->key.len, *id, NULL);
    return EXIT_OK;
}

static int officer_id(imp *m, const char *initials, int64_t *id)
{
    *id = 0;
    if (!initials) return EXIT_OK;
    buf_reset(&m->key);
    buf_printf(&m->key, "O%s", initials);
    int64_t *p = imp_hmap_get(&m->cache, m->key.data, m->key.len);
    if (p) {
        *id = *p;
        return EXIT_OK;
    }
    int rc = records_officer_ensure(m->s, initials, id);
    if (rc) return rc;
    buf_reset(&m->key);
    buf_printf(&m->key, "O%s", initials);
    imp_hmap_put(&m->cache, &m->a, m->key.data, m->key.len, *id, NULL);
    return EXIT_OK;
}

static int yesno(const char *v)
{
    return !v ? -1 : strcmp(v, "yes") == 0;
}

static void count(import_stats *st, records_result r)
{
    if (r == RECORDS_ADDED)
        st->inserted++;
    else if (r == RECORDS_UPDATED)
        st->updated++;
    else
        st->unchanged++;
}

/* Writes a child (new or known) from a row; *r says what happened. */
static int write_child(imp *m, size_t row, const int *c, bool set_status, records_result *r)
{
    child_slot *slot = &m->slots[m->meta[row].child];
    int64_t school;
    bool renamed;
    int rc = school_id(m, V(m, row, c[6]), V(m, row, c[7]), &school, &renamed);
    if (rc) return rc;
    records_child ch = {
        .upn = V(m, row, c[0]),
        .la_child_id = V(m, row, c[1]),
        .first_name = V(m, row, c[2]),
        .last_name = V(m, row, c[3]),
        .dob = V(m, row, c[4]),
        .gender = V(m, row, c[5]),
        .school_id = school,
        .care_status = V(m, row, c[8]),
        .sen = V(m, row, c[9]),
        .sen_need = V(m, row, c[10]),
        .youth_justice = yesno(V(m, row, c[11])),
    };
    /* An empty social_work_ended in a file that has the column: a plan is open. */
    if (m->kind == KIND_CHILDREN && m->col[C_SWE] >= 0)
        ch.social_work_ended = V(m, row, C_SWE) ? V(m, row, C_SWE) : "";
    *r = RECORDS_UNCHANGED;
    if (!set_status && slot->newest) {
        /* A referral's status is its child's when it is the child's newest. */
        ch.care_status = V(m, slot->newest - 1, R_CARE);
        ch.sen = V(m, slot->newest - 1, R_SEN);
    }
    if (!slot->id) {
        if ((rc = records_child_insert(m->s, &ch, &slot->id))) return rc;
        *r = RECORDS_ADDED;
        slot->touched = true;
        return EXIT_OK;
    }
    if (!set_status) ch.care_status = ch.sen = NULL;
    bool changed;
    if ((rc = records_child_stage_update(m->s, slot->id, &ch, &changed))) return rc;
    if (changed) {
        *r = RECORDS_UPDATED;
        slot->touched = true;
    } else if (renamed) {
        *r = RECORDS_UPDATED; /* the row renamed the child's school */
    }
    return EXIT_OK;
}

static const int referral_child_cols[12] = {R_UPN, R_LID,    R_FIRST, R_LAST, R_DOB,  R_GENDER,
                                            R_URN, R_SCHOOL, R_CARE,  R_SEN,  R_NEED, R_YJ};
static const int child_child_cols[12] = {C_UPN, C_LID,    C_FIRST, C_LAST, C_DOB,  C_GENDER,
                                         C_URN, C_SCHOOL, C_CARE,  C_SEN,  C_NEED, C_YJ};

typedef struct {
    int64_t *v;
    size_t n, cap;
} idlist;

static void idlist_add(idlist *l, int64_t id)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->v = imp_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = id;
}

/* A row of referrals: its child (new or known), its officer and the referral, staged: a new one
 * (added by imp_write_all in one statement, then its status applied) or a change. *r: what
 * happened to the referral (a change of its child's counts as updated). extra: as write_row's. */
static int write_referral(imp *m, size_t row, idlist *extra, records_result *r)
{
    const row_meta *meta = &m->meta[row];
    child_slot *slot = &m->slots[meta->child];
    records_result cr;
    int64_t officer;
    int rc;
    if ((rc = write_child(m, row, referral_child_cols, false, &cr))) return rc;
    if ((rc = officer_id(m, V(m, row, R_OFFICER), &officer))) return rc;
    records_referral ref = {
        .ref = V(m, row, R_REF),
        .received = V(m, row, R_RECEIVED),
        .source = V(m, row, R_SOURCE),
        .issue = V(m, row, R_ISSUE),
        .other_issues = V(m, row, R_OTHER),
        .pex_risk = yesno(V(m, row, R_PEX)) > 0,
        .child_id = slot->id,
        .status = V(m, row, R_STATUS),
        .closed = V(m, row, R_CLOSED),
        .officer_id = officer,
        .care_status = V(m, row, R_CARE),
        .sen = V(m, row, R_SEN),
        .summary = V(m, row, R_SUMMARY),
    };
    if (!meta->ref_id) {
        if ((rc = records_referral_stage(m->s, &ref, NULL))) return rc;
        slot->touched = true;
        m->meta[row].written = true;
        *r = RECORDS_ADDED;
        return EXIT_OK;
    }
    bool changed;
    if ((rc = records_referral_stage_update(m->s, meta->ref_id, &ref, &changed))) return rc;
    *r = changed ? RECORDS_UPDATED : RECORDS_UNCHANGED;
    if (*r != RECORDS_UNCHANGED) {
        slot->touched = true;
        m->meta[row].written = true;
        if (meta->prev_child && meta->prev_child != slot->id) idlist_add(extra, meta->prev_child);
    } else if (cr != RECORDS_UNCHANGED) {
        *r = RECORDS_UPDATED;
    }
    return EXIT_OK;
}

/* A row of exclusions, attendance or episodes, of the child of slot (known: events only name one).
 */
static int write_event(imp *m, size_t row, const child_slot *slot, records_result *r)
{
    char why[FIELD_WHY];
    switch (m->kind) {
    case KIND_EXCLUSIONS: {
        int64_t school;
        int rc = school_id(m, V(m, row, X_URN), NULL, &school, NULL);
        if (rc) return rc;
        double days = -1;
        const char *dv = V(m, row, X_DAYS);
        if (dv) field_days(dv, strlen(dv), &days, why);
        return records_exclusion_put(m->s, slot->id, V(m, row, X_START), V(m, row, X_CATEGORY),
                                     days, V(m, row, X_REASON), school, r, NULL);
    }
    case KIND_ATTENDANCE: {
        long possible = 0, attended = 0;
        field_sessions(V(m, row, T_POSSIBLE), strlen(V(m, row, T_POSSIBLE)), &possible, why);
        field_sessions(V(m, row, T_ATTENDED), strlen(V(m, row, T_ATTENDED)), &attended, why);
        return records_attendance_put(m->s, slot->id, V(m, row, T_FROM), V(m, row, T_TO), possible,
                                      attended, r, NULL);
    }
    case KIND_EPISODES: {
        double hours = -1;
        const char *hv = V(m, row, E_HOURS);
        if (hv) field_hours(hv, strlen(hv), &hours, why);
        return records_episode_put(m->s, slot->id, V(m, row, E_KIND), V(m, row, E_START),
                                   V(m, row, E_END), hours, yesno(V(m, row, E_COUNTY)), r, NULL);
    }
    default: return EXIT_OK;
    }
}

/* Writes one row and counts it in *st. extra: children whose score the row may change besides its
 * own slot's; audited: children whose facts it changed that have no slot (an action's, an
 * outcome's). */
static int write_row(imp *m, size_t row, import_stats *st, idlist *extra, idlist *audited)
{
    const row_meta *meta = &m->meta[row];
    child_slot *slot = meta->child >= 0 ? &m->slots[meta->child] : NULL;
    records_result r = RECORDS_UNCHANGED;
    int rc = EXIT_OK;
    int64_t officer;
    switch (m->kind) {
    case KIND_REFERRALS: rc = write_referral(m, row, extra, &r); break;
    case KIND_CHILDREN: rc = write_child(m, row, child_child_cols, true, &r); break;
    case KIND_OUTCOMES:
        rc = records_outcome_add(m->s, meta->ref_id, V(m, row, O_DATE), V(m, row, O_OUTCOME),
                                 V(m, row, O_NOTE), meta->nth, &r);
        break;
    case KIND_ACTIONS:
        if ((rc = officer_id(m, V(m, row, A_OFFICER), &officer))) return rc;
        rc = records_action_add(m->s, meta->ref_id, V(m, row, A_DATE), officer, V(m, row, A_KIND),
                                V(m, row, A_NOTE), V(m, row, A_FOLLOW), meta->nth, &r);
        break;
    case KIND_EXCLUSIONS:
    case KIND_ATTENDANCE:
    case KIND_EPISODES: rc = write_event(m, row, slot, &r); break;
    default: break;
    }
    if (rc) return rc;
    if (r != RECORDS_UNCHANGED && slot) slot->touched = true;
    if (r != RECORDS_UNCHANGED && !slot && meta->prev_child) idlist_add(audited, meta->prev_child);
    count(st, r);
    return EXIT_OK;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The child's access log shows the imports that changed its facts (SPEC section 10: every change):
 * one audit row 'import_child' per child the import added or changed (those whose scores it
 * recomputes, ids, and those of the actions and outcomes it added, audited), ids only, the kind of
 * file as detail; the import's own row keeps the counts. */
static int audit_children(imp *m, const idlist *ids, idlist *audited)
{
    for (size_t i = 0; i < ids->n; i++)
        idlist_add(audited, ids->v[i]);
    idlist *l = audited;
    if (l->n > 1) qsort(l->v, l->n, sizeof l->v[0], cmp_id);
    /* Many new rows: the audit trail's indexes are built once they are all in. */
    int rc = records_defer_indexes(m->s, "audit", (long)l->n);
    for (size_t i = 0; i < l->n && !rc; i++)
        if (i == 0 || l->v[i - 1] != l->v[i])
            rc = store_audit_child(m->s, "import_child", "children", l->v[i], l->v[i],
                                   import_kind_name(m->kind));
    return rc;
}

/* Inside the transaction: writes every row, the audit rows and the scores; then commits (rolls
 * back on a dry run or a failure). */
int imp_write_all(imp *m, const import_options *o, import_stats *st)
{
    int rc = EXIT_OK;
    idlist ids = {0}, audited = {0};
    int last = -1;
    bool adds_children = m->kind == KIND_REFERRALS || m->kind == KIND_CHILDREN;
    if (m->kind == KIND_REFERRALS) rc = records_referral_stage_begin(m->s);
    if (!rc && adds_children) rc = records_child_stage_begin(m->s);
    if (!rc && adds_children) {
        /* Many new children: their indexes are built once they are all in. */
        long adding = 0;
        for (size_t i = 0; i < m->nslots; i++)
            adding += !m->slots[i].existed;
        rc = records_defer_indexes(m->s, "children", adding);
        /* Nor is each new child noted for the child finder row by row. */
        if (!rc) rc = records_defer_child_names(m->s, adding);
    }
    for (size_t row = 0; row < m->nrows && !rc; row++) {
        rc = write_row(m, row, st, &ids, &audited);
        if (o->progress && (row % 1000) == 0) imp_progress(m, "writing", row, m->nrows, &last);
    }
    if (!rc && adds_children) rc = records_build_indexes(m->s);
    /* Staged changes of known children first, then the referrals (new and changed). */
    if (!rc && adds_children) rc = records_child_flush(m->s);
    if (!rc && m->kind == KIND_REFERRALS) {
        rc = records_referral_flush(m->s);
        /* The care status and SEN of a child already known become those of its newest referral
         * in the file when that referral was written and is newer than any stored. (A child new
         * in this import got them when it was added.) */
        for (size_t i = 0; i < m->nslots && !rc; i++) {
            child_slot *c = &m->slots[i];
            if (!c->existed || !c->newest || !m->meta[c->newest - 1].written) continue;
            size_t row = c->newest - 1;
            bool changed;
            rc =
                records_child_status_if_newest(m->s, c->id, V(m, row, R_REF), V(m, row, R_RECEIVED),
                                               V(m, row, R_CARE), V(m, row, R_SEN), &changed);
            if (changed) c->touched = true;
        }
    }
    if (o->progress) imp_progress_end(m);
    if (!rc && !o->dry_run) {
        char detail[160];
        snprintf(detail, sizeof detail, "%s: %ld added, %ld updated, %ld unchanged",
                 import_kind_name(m->kind), st->inserted, st->updated, st->unchanged);
        rc = store_audit(m->s, "import", m->def->table, 0, detail);
    }
    if (!rc && !o->dry_run) {
        for (size_t i = 0; i < m->nslots; i++)
            if (m->slots[i].touched && m->slots[i].id) idlist_add(&ids, m->slots[i].id);
        rc = audit_children(m, &ids, &audited);
    }
    if (!rc && !o->dry_run && o->cfg && ids.n)
        rc = scoring_children_changed(m->s, o->cfg, o->as_of, ids.v, ids.n);
    free(ids.v);
    free(audited.v);
    if (rc || o->dry_run) {
        store_bulk_end(m->s, false);
        return rc;
    }
    return store_bulk_end(m->s, true);
}
