/* sync_decisions.c: one conflict resolved differently on the hub and on a laptop (issue 9; SPEC
 * section 9: every clash waits for a person). The two decisions disagreeing is a clash of what the
 * conflict was about: on the hub the hub's decision stays (its resolution, resolved_by) with what
 * it made, and one new conflict waits for a person; never a conflict on the conflicts table's own
 * columns.
 * - A field: one field conflict holds the hub's and the laptop's values (base: the value both
 *   held before deciding, the first conflict's hub value).
 * - A duplicate (keep: the laptop's row as it is, set: a key of its own): the same, on the key's
 *   field (base: the key both held, the laptop's row's).
 * - A row deleted on one side and changed on the other: the row is kept until a person decides
 *   (SPEC section 9), put back on the hub from its log's delete when the hub's decision removed
 *   it (an edit_vs_delete: the hub deleted it), kept and sent to the laptop when the laptop's
 *   removed it (a delete_vs_edit: the laptop deleted it).
 * - An entry corrected on both (sync_corrections.c; keep: the hub's correction current, take: the
 *   laptop's): the versions stay in the line the hub's decision made (the laptop's changes of
 *   their supersedes refused), the line goes to the laptops whole, and a new conflict of the same
 *   kind asks again (sync_correction_ask_again). */
#include "caseload/sync.h"
#include "sync_internal.h"

#include "caseload/exitcode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sync_disagreement {
    int64_t conflict, row_id;
    char table[32], field[64]; /* field: "" for a delete against an edit */
    merge_value base, laptop;  /* laptop: MERGE_UNDEF when only its field change says it */
    unsigned char *mem[2];
    bool handled;
    bool laptop_deletes;  /* a delete against an edit: the laptop's decision removes the row */
    bool correction;      /* an entry corrected on both: base the version both corrected */
    char laptop_name[64]; /* ... the laptop whose correction it was */
};

/* An owned copy of v (text and blobs in *mem, freed with the disagreement). */
static merge_value owned(const merge_value *v, unsigned char **mem)
{
    merge_value out = *v;
    *mem = NULL;
    if ((v->type == MERGE_TEXT || v->type == MERGE_BLOB) && v->n > 0) {
        *mem = malloc((size_t)v->n);
        if (!*mem) abort();
        memcpy(*mem, v->p, (size_t)v->n);
        out.p = *mem;
    }
    return out;
}

static bool text_is(const merge_value *v, const char *s)
{
    size_t n = strlen(s);
    return v->type == MERGE_TEXT && (size_t)v->n == n && memcmp(v->p, s, n) == 0;
}

typedef struct note_ctx {
    apply_ctx *a;
    const merge_value *how; /* the laptop's resolution */
} note_ctx;

/* Whether resolving a delete against an edit of kind with how removes the row (take a laptop's
 * delete, keep the hub's: sync_resolve.c). */
static bool deletes(const char *kind, const merge_value *how)
{
    return strcmp(kind, "delete_vs_edit") == 0 ? text_is(how, "take") : text_is(how, "keep");
}

/* The hub's own row of the conflict the laptop resolved: a conflict the hub resolved otherwise
 * becomes a disagreement. */
static int note_hub_row(void *ctx, const syncstore_conflict *c)
{
    note_ctx *n = ctx;
    apply_ctx *a = n->a;
    bool field = strcmp(c->kind, "field") == 0, dup = strcmp(c->kind, "duplicate") == 0,
         row = strcmp(c->kind, "delete_vs_edit") == 0 || strcmp(c->kind, "edit_vs_delete") == 0;
    if (strcmp(c->state, "resolved") != 0 || !(field || dup || row) || (!row && !c->field) ||
        text_is(n->how, c->resolution))
        return EXIT_OK;
    if (strlen(c->table) >= sizeof a->dis->table ||
        (c->field && strlen(c->field) >= sizeof a->dis->field))
        return EXIT_OK;
    if (a->ndis == a->dis_cap) {
        a->dis_cap = a->dis_cap ? a->dis_cap * 2 : 8;
        a->dis = realloc(a->dis, a->dis_cap * sizeof *a->dis);
        if (!a->dis) abort();
    }
    struct sync_disagreement *d = &a->dis[a->ndis++];
    memset(d, 0, sizeof *d);
    d->conflict = c->id;
    d->row_id = c->row_id;
    snprintf(d->table, sizeof d->table, "%s", c->table);
    static const merge_value undef = {MERGE_UNDEF, 0, 0, NULL, 0};
    d->base = d->laptop = undef;
    if (row) {
        d->laptop_deletes = deletes(c->kind, n->how);
        return EXIT_OK;
    }
    if (sync_correction_conflict(c)) {
        d->correction = true;
        d->base = c->base;
        snprintf(d->laptop_name, sizeof d->laptop_name, "%s", c->laptop_name);
        return EXIT_OK;
    }
    snprintf(d->field, sizeof d->field, "%s", c->field);
    /* A duplicate's key both held is the laptop's row's (renamed on the hub, the conflict's
     * laptop value); keep accepts it as it is. A field's both held the hub's value. */
    const merge_value *held = dup ? &c->laptop : &c->hub;
    d->base = owned(held, &d->mem[0]);
    /* What the laptop holds now: keep, the value both held; take, its own; set, what its change
     * of the field in the same entry says. */
    d->laptop = text_is(n->how, "keep")   ? owned(held, &d->mem[1])
                : text_is(n->how, "take") ? owned(&c->laptop, &d->mem[1])
                                          : undef;
    return EXIT_OK;
}

int sync_decisions_note(apply_ctx *a, const syncstore_change *c)
{
    if (!a->hub || c->op != 'U' || strcmp(c->table, "conflicts") != 0 ||
        c->old[0].type != MERGE_INT)
        return EXIT_OK;
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(a->s, c->table, &names, &ncol))) return rc;
    int si = sync_column_index(names, ncol, "state"),
        ri = sync_column_index(names, ncol, "resolution");
    if (si < 0 || ri < 0 || ncol != c->ncol || !text_is(&c->old[si], "open") ||
        !text_is(&c->new_[si], "resolved") || c->new_[ri].type != MERGE_TEXT)
        return EXIT_OK;
    note_ctx n = {a, &c->new_[ri]};
    rc = syncstore_conflict_get(a->s, c->old[0].i, note_hub_row, &n);
    return rc == EXIT_FOUND ? EXIT_OK : rc;
}

static struct sync_disagreement *find(apply_ctx *a, const char *table, int64_t id,
                                      const char *field)
{
    for (size_t k = 0; k < a->ndis; k++) {
        struct sync_disagreement *d = &a->dis[k];
        if (field ? d->row_id == id && strcmp(d->table, table) == 0 && d->field[0] &&
                        strcmp(d->field, field) == 0
                  : d->conflict == id && strcmp(table, "conflicts") == 0)
            return d;
    }
    return NULL;
}

int sync_decisions_column(apply_ctx *a, const char *table, int64_t id, const char *column,
                          const merge_value *mine, const merge_value *theirs, merge_decision *how)
{
    if (*how == MERGE_NOTHING) return EXIT_OK;
    struct sync_disagreement *d = find(a, table, id, NULL);
    if (d) {
        /* The hub's decision stays (the new conflict asks again). */
        if (strcmp(column, "resolution") == 0 || strcmp(column, "resolved_by") == 0)
            *how = MERGE_NOTHING;
        return EXIT_OK;
    }
    /* The disagreeing entry's line of versions stays as the hub's decision made it; another
     * entry's in the same table takes the laptop's changes (a decision only the laptop made). */
    for (size_t k = 0; k < a->ndis && strcmp(column, "supersedes") == 0; k++) {
        const struct sync_disagreement *c = &a->dis[k];
        bool line = false;
        int rc;
        if (!c->correction || c->base.type != MERGE_INT || strcmp(c->table, table) != 0) continue;
        if ((rc = sync_correction_same_line(a->s, table, c->base.i, id, &line))) return rc;
        if (line) {
            *how = MERGE_NOTHING;
            return EXIT_OK;
        }
    }
    if (!(d = find(a, table, id, column)) || d->handled) return EXIT_OK;
    if (*how != MERGE_TAKE && *how != MERGE_CONFLICT) return EXIT_OK;
    *how = MERGE_NOTHING;
    d->handled = true;
    a->r->conflicts++;
    return syncstore_conflict_add(a->s, "field", table, id, column, &d->base, mine, theirs,
                                  a->peer);
}

bool sync_decisions_keep_row(apply_ctx *a, const char *table, int64_t id)
{
    for (size_t k = 0; k < a->ndis; k++) {
        const struct sync_disagreement *d = &a->dis[k];
        if (!d->field[0] && d->laptop_deletes && d->row_id == id && strcmp(d->table, table) == 0)
            return true;
    }
    return false;
}

void sync_decisions_free(apply_ctx *a)
{
    for (size_t k = 0; k < a->ndis; k++) {
        free(a->dis[k].mem[0]);
        free(a->dis[k].mem[1]);
    }
    a->ndis = 0;
}

/* A delete against an edit decided one way on the hub, the other on the laptop: the row kept until
 * a person decides, with a conflict of the side that removed it. */
static int settle_row(apply_ctx *a, struct sync_disagreement *d)
{
    merge_value mine[SYNCSTORE_MAX_COLS];
    bool found, restored = false;
    int rc = syncstore_row_get(a->s, d->table, d->row_id, mine, SYNCSTORE_MAX_COLS, &found);
    if (rc) return rc;
    if (d->laptop_deletes && found) {
        /* sync_decisions_keep_row kept it from the laptop's delete; the laptop gets it back. */
        if ((rc = syncstore_relay_row(a->s, d->table, d->row_id))) return rc;
    } else if (!d->laptop_deletes && !found) {
        if ((rc = sync_restore_deleted(a, d->table, d->row_id, &restored)) || !restored) return rc;
    } else {
        return EXIT_OK; /* both hold the row, or neither */
    }
    a->r->conflicts++;
    return syncstore_conflict_add(a->s, d->laptop_deletes ? "delete_vs_edit" : "edit_vs_delete",
                                  d->table, d->row_id, NULL, NULL, NULL, NULL, a->peer);
}

/* One disagreement no change of the field settled: the laptop kept a value it did not send. */
static int settle_one(apply_ctx *a, struct sync_disagreement *d)
{
    if (d->correction)
        return d->base.type == MERGE_INT
                   ? sync_correction_ask_again(a, d->table, d->base.i, d->laptop_name)
                   : EXIT_OK;
    if (!d->field[0]) return settle_row(a, d);
    if (d->handled || d->laptop.type == MERGE_UNDEF) return EXIT_OK;
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(a->s, d->table, &names, &ncol))) return rc;
    int i = sync_column_index(names, ncol, d->field);
    if (i < 0) return EXIT_OK;
    merge_value mine[SYNCSTORE_MAX_COLS];
    bool found;
    if ((rc = syncstore_row_get(a->s, d->table, d->row_id, mine, ncol, &found)) || !found)
        return rc;
    if (merge_value_equal(&mine[i], &d->laptop)) return EXIT_OK;
    a->r->conflicts++;
    return syncstore_conflict_add(a->s, "field", d->table, d->row_id, d->field, &d->base, &mine[i],
                                  &d->laptop, a->peer);
}

int sync_decisions_settle(apply_ctx *a)
{
    int rc = EXIT_OK;
    /* The hub's row of each conflict goes to the laptops whole, so a laptop that kept its own
     * decision takes the hub's. */
    for (size_t k = 0; !rc && k < a->ndis; k++)
        if (!(rc = settle_one(a, &a->dis[k])))
            rc = syncstore_relay_row(a->s, "conflicts", a->dis[k].conflict);
    sync_decisions_free(a);
    return rc;
}
