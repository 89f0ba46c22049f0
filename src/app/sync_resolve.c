/* sync_resolve.c: revoking a laptop's key, counting what it has not been sent, and resolving the
 * conflicts of offline copies (see sync.h): keep, take or set a value, checked by the field's
 * rule; a resolution is a change like any other. */
#include "caseload/sync.h"
#include "sync_internal.h"

#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/records.h"
#include "caseload/scoring.h"
#include "caseload/text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sync_revoke(store *s, const char *name, char *err, size_t n)
{
    char role[16], me[64];
    sync_role(s, role, me);
    if (strcmp(role, "hub") != 0) return sync_say(err, n, EXIT_DATA, "only the hub revokes keys");
    syncstore_peer p;
    int rc = syncstore_peer_get(s, name, &p);
    sodium_memzero(p.key, sizeof p.key);
    if (rc == EXIT_FOUND) return sync_say(err, n, EXIT_DATA, "no laptop copy of that name");
    if (rc) return sync_store_said(s, err, n, rc);
    if ((rc = store_begin(s))) return sync_store_said(s, err, n, rc);
    if ((rc = syncstore_peer_revoke(s, name)) ||
        (rc = store_audit(s, "sync_revoke", NULL, 0, name)) || (rc = store_commit(s))) {
        sync_store_said(s, err, n, rc);
        store_rollback(s);
    }
    return rc;
}

int sync_unsent(store *s, const syncstore_peer *peer, int64_t *n)
{
    return syncstore_log_count(s, peer->acked, n);
}

/* ---- resolving ---- */

const char *sync_resolve_refused(const char *kind, bool correction, const char *how)
{
    bool field = strcmp(kind, "field") == 0, dup = strcmp(kind, "duplicate") == 0;
    if (strcmp(how, "set") == 0 && !field && !dup)
        return "a row deleted on one copy and changed on the other is resolved with keep or "
               "take, not with a value";
    if (correction && strcmp(how, "set") == 0)
        return "two corrections of one entry: keep the hub's correction or take the laptop's, "
               "there is no value to type";
    if (dup && strcmp(how, "take") == 0)
        return "both rows of a duplicate are kept: keep accepts the laptop's row as it is; set a "
               "value to give it a key of its own";
    return NULL;
}

typedef struct resolve_ctx {
    store *s;
    date_t as_of;
    const char *how, *value;
    buf typed; /* the value typed, as stored */
    int64_t child;
    char *err;
    size_t en;
} resolve_ctx;

/* The value typed for conflict c's field, checked by the field's rule (field.h) as of as_of, into
 * *v as the column holds it (text in r->typed; an officer's or a school's key for their
 * initials or URN). EXIT_DATA with a message naming the field and why. */
static int typed_value(resolve_ctx *r, const syncstore_conflict *c, merge_value *v)
{
    const field_rule *rule = field_rule_of(c->table, c->field);
    char why[FIELD_WHY];
    buf_reset(&r->typed);
    if (!field_value(rule, r->value, strlen(r->value), r->as_of, &r->typed, why)) {
        /* The value is quoted only where it cannot be a child's details (codes, flags, numbers,
         * initials): names, UPNs, dates of birth and notes never reach a message. */
        bool quote = rule && rule->kind != FIELD_RULE_TEXT && rule->kind != FIELD_RULE_NOTE &&
                     rule->kind != FIELD_RULE_UPN && rule->kind != FIELD_RULE_DATE &&
                     rule->kind != FIELD_RULE_PAST && rule->kind != FIELD_RULE_SCHOOL &&
                     *r->value && text_is_clean(r->value) && strlen(r->value) < 40;
        if (quote)
            snprintf(r->err, r->en, "conflict %lld: %s: '%s' %s", (long long)c->id, c->field,
                     r->value, why);
        else
            snprintf(r->err, r->en, "conflict %lld: %s: %s", (long long)c->id, c->field, why);
        return EXIT_DATA;
    }
    const char *t = buf_str(&r->typed);
    *v = (merge_value){MERGE_TEXT, 0, 0, (const unsigned char *)t, (int)r->typed.len};
    if (!r->typed.len) {
        /* No value: NULL, but text stays "" where the hub holds text (NOT NULL columns). */
        bool text = rule->kind == FIELD_RULE_TEXT || rule->kind == FIELD_RULE_NOTE ||
                    rule->kind == FIELD_RULE_CODES;
        if (!text || c->hub.type == MERGE_NULL) v->type = MERGE_NULL;
        return EXIT_OK;
    }
    int rc;
    int64_t id;
    switch (rule->kind) {
    case FIELD_RULE_FLAG:
    case FIELD_RULE_SESSIONS:
        v->type = MERGE_INT;
        v->i = strtoll(t, NULL, 10);
        break;
    case FIELD_RULE_DAYS:
    case FIELD_RULE_HOURS:
        v->type = MERGE_REAL;
        v->d = strtod(t, NULL);
        break;
    case FIELD_RULE_OFFICER:
        if ((rc = records_officer_ensure(r->s, t, &id))) return rc;
        *v = (merge_value){MERGE_INT, id, 0, NULL, 0};
        break;
    case FIELD_RULE_SCHOOL:
        if ((rc = records_school_find(r->s, t, NULL, &id))) return rc;
        if (!id) {
            snprintf(r->err, r->en, "conflict %lld: %s: no school with that URN", (long long)c->id,
                     c->field);
            return EXIT_DATA;
        }
        *v = (merge_value){MERGE_INT, id, 0, NULL, 0};
        break;
    default: break;
    }
    return EXIT_OK;
}

/* The value for conflict c's field is another row's (a key the schema makes unique): EXIT_DATA
 * naming the field, never the database's raw constraint message. */
static int held_elsewhere(resolve_ctx *r, const syncstore_conflict *c)
{
    snprintf(r->err, r->en, "conflict %lld: %s: another %s already has that value",
             (long long)c->id, c->field, codes_word_label_of(CODES_W_TABLE, c->table));
    return EXIT_DATA;
}

/* A natural key (a ref, a UPN, an LA child id, initials, a URN) taken or typed for conflict c
 * must not be another row's, as the duplicate's own key is refused. */
static int key_free(resolve_ctx *r, const syncstore_conflict *c, const merge_value *v)
{
    if (!c->field || !merge_natural_key(c->table, c->field)) return EXIT_OK;
    int64_t other;
    int rc = syncstore_key_holder(r->s, c->table, c->field, v, c->row_id, &other);
    if (rc) return rc;
    return other ? held_elsewhere(r, c) : EXIT_OK;
}

static int resolve_one(void *ctx, const syncstore_conflict *c)
{
    resolve_ctx *r = ctx;
    store *s = r->s;
    if (strcmp(c->state, "open") != 0) {
        snprintf(r->err, r->en, "conflict %lld is already resolved", (long long)c->id);
        return EXIT_DATA;
    }
    bool field = strcmp(c->kind, "field") == 0, dup = strcmp(c->kind, "duplicate") == 0;
    bool correction = sync_correction_conflict(c);
    const char *why = sync_resolve_refused(c->kind, correction, r->how);
    if (why) {
        snprintf(r->err, r->en, "%s", why);
        return EXIT_DATA;
    }
    int rc;
    if ((rc = syncstore_row_child(s, c->table, c->row_id, &r->child))) return rc;
    /* A row deleted on one side and changed on the other was kept: it goes when the side that
     * deleted it wins (take the laptop's delete, keep the hub's). */
    if ((strcmp(c->kind, "delete_vs_edit") == 0 && strcmp(r->how, "take") == 0) ||
        (strcmp(c->kind, "edit_vs_delete") == 0 && strcmp(r->how, "keep") == 0))
        return syncstore_row_delete(s, c->table, c->row_id);
    if (!(field || dup) || strcmp(r->how, "keep") == 0) return EXIT_OK;
    if (correction) return sync_correction_take(s, c, r->err, r->en);
    const char *const *names;
    int ncol;
    if ((rc = syncstore_columns(s, c->table, &names, &ncol))) return rc;
    int i = sync_column_index(names, ncol, c->field ? c->field : "");
    if (i < 0) {
        snprintf(r->err, r->en, "the conflict names a field this database does not have");
        return EXIT_DATA;
    }
    merge_value vals[SYNCSTORE_MAX_COLS] = {{0}};
    bool set[SYNCSTORE_MAX_COLS] = {0};
    if (strcmp(r->how, "take") == 0)
        vals[i] = c->laptop;
    else if ((rc = typed_value(r, c, &vals[i])))
        return rc;
    if ((rc = key_free(r, c, &vals[i]))) return rc;
    set[i] = true;
    int ui = sync_column_index(names, ncol, "updated_at");
    if (ui >= 0) {
        const char *now = syncstore_now(s);
        vals[ui] = (merge_value){MERGE_TEXT, 0, 0, (const unsigned char *)now, (int)strlen(now)};
        set[ui] = true;
    }
    rc = syncstore_row_update(s, c->table, c->row_id, vals, set, ncol);
    /* Another unique key (a school with no URN is known by its name alone). */
    if (rc == EXIT_IO && strstr(store_error(s), "UNIQUE constraint")) return held_elsewhere(r, c);
    if (rc == EXIT_IO && strstr(store_error(s), "constraint")) {
        snprintf(r->err, r->en, "%s: that value is not allowed here (%s)", c->field,
                 store_error(s));
        return EXIT_DATA;
    }
    return rc;
}

int sync_resolve(store *s, const config *cfg, date_t as_of, int64_t id, const char *how,
                 const char *value, char *err, size_t n)
{
    if (strcmp(how, "keep") != 0 && strcmp(how, "take") != 0 && strcmp(how, "set") != 0)
        return sync_say(err, n, EXIT_USAGE, "resolve with keep, take or set VALUE");
    if (strcmp(how, "set") == 0 && !value)
        return sync_say(err, n, EXIT_USAGE, "set needs the VALUE to write");
    int rc = store_begin(s);
    if (rc) return sync_store_said(s, err, n, rc);
    err[0] = '\0';
    resolve_ctx r = {s, as_of, how, value ? value : "", BUF_INIT, 0, err, n};
    rc = syncstore_conflict_get(s, id, resolve_one, &r);
    buf_free(&r.typed);
    if (rc == EXIT_FOUND) {
        sync_say(err, n, EXIT_DATA, "no conflict %lld", (long long)id);
        rc = EXIT_DATA;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%s", how);
    if (!rc) rc = syncstore_conflict_resolve(s, id, how);
    if (!rc) rc = store_audit(s, "resolve", "conflicts", id, detail);
    if (!rc && r.child) rc = scoring_children_changed(s, cfg, as_of, &r.child, 1);
    if (!rc) rc = store_commit(s);
    if (rc) {
        if (!err[0]) sync_store_said(s, err, n, rc);
        store_rollback(s);
    }
    return rc;
}
