/* sync_restore.c: rows a pack's changes need that this copy deleted (or the pack deleted) put back
 * from the old image of the change that deleted them, and the conflicts that records: a parent a
 * row was added to on the other side, a row edited on one side and deleted on the other. */
#include "caseload/sync.h"
#include "sync_internal.h"

#include "caseload/exitcode.h"

#include <stdio.h>
#include <string.h>

/* Putting back a deleted row from the old image of the change that deleted it. */
typedef struct restore_ctx {
    apply_ctx *a;
    const merge_value *overlay; /* a change's new values laid over the image (NULL: none) */
    bool restored;
} restore_ctx;

static int restore_image(void *ctx, const syncstore_change *c)
{
    restore_ctx *r = ctx;
    store *s = r->a->s;
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(s, c->table, &names, &ncol))) return rc;
    if (ncol != c->ncol) return EXIT_OK; /* an image from other columns: not put back */
    merge_value vals[SYNCSTORE_MAX_COLS];
    memcpy(vals, c->old, sizeof vals[0] * (size_t)ncol);
    for (int i = 0; r->overlay && i < ncol; i++)
        if (r->overlay[i].type != MERGE_UNDEF) vals[i] = r->overlay[i];
    /* A purged child's row never comes back. */
    int64_t child = 0;
    bool purged = false, clash = false;
    if ((rc = syncstore_new_row_child(s, c->table, vals, ncol, &child)) ||
        (rc = syncstore_purged(s, child, &purged)) || purged)
        return rc;
    if ((rc = syncstore_row_insert(s, c->table, vals, ncol, &clash))) return rc;
    r->restored = !clash;
    return r->restored ? sync_note_follow_ups(s, c->table, vals, NULL, NULL, ncol) : EXIT_OK;
}

/* Puts back row id of table from the newest delete of it this pack carries. */
static int pack_deleted(apply_ctx *a, const char *table, int64_t id, restore_ctx *r, bool *found)
{
    *found = false;
    int rc = EXIT_OK;
    for (size_t e = a->o->n; e-- > 0 && !*found && !rc;)
        rc = syncstore_changeset_deleted(a->o->entries[e].data, (int)a->o->entries[e].len, table,
                                         id, restore_image, r, found);
    return rc;
}

/* Rows the pack's changes left referring to rows that are gone (a parent deleted on one side, a
 * row added to it on the other): the parent is put back from the old image of its delete (the
 * pack's, else this copy's own log), so no change is lost and the pack does not fail on a foreign
 * key (a pack that fails would fail again every time, since later packs carry the same change).
 * On the hub, a conflict: delete_vs_edit when the laptop deleted it, edit_vs_delete when the hub
 * did; and the row goes to the laptops as the hub holds it. */
int sync_repair_parents(apply_ctx *a)
{
    store *s = a->s;
    syncstore_dangling d[64];
    for (int round = 0; round < 16; round++) {
        int n, rc;
        if ((rc = syncstore_dangling_rows(s, d, 64, &n))) return rc;
        if (!n) return EXIT_OK;
        for (int i = 0; i < n; i++) {
            merge_value have[SYNCSTORE_MAX_COLS];
            bool there;
            if ((rc = syncstore_row_get(s, d[i].parent, d[i].parent_id, have, SYNCSTORE_MAX_COLS,
                                        &there)))
                return rc;
            if (there) continue; /* put back for an earlier row of this round */
            restore_ctx r = {a, NULL, false};
            bool found;
            const char *kind = "delete_vs_edit";
            if ((rc = pack_deleted(a, d[i].parent, d[i].parent_id, &r, &found))) return rc;
            if (!found) {
                kind = "edit_vs_delete";
                if ((rc = syncstore_log_deleted(s, d[i].parent, d[i].parent_id, restore_image, &r,
                                                &found)))
                    return rc;
            }
            if (!r.restored) {
                snprintf(a->err, a->en,
                         "a row of %s refers to a row of %s that this copy no longer has, with no "
                         "record of it left to put back: nothing was changed",
                         d[i].table, d[i].parent);
                return EXIT_DATA;
            }
            if (a->hub) {
                a->r->conflicts++;
                if ((rc = syncstore_relay_row(s, d[i].parent, d[i].parent_id)) ||
                    (rc = syncstore_conflict_add(s, kind, d[i].parent, d[i].parent_id, NULL, NULL,
                                                 NULL, NULL, a->peer)))
                    return rc;
            }
            if ((rc = sync_touch_row(a, d[i].parent, d[i].parent_id, NULL))) return rc;
        }
    }
    snprintf(a->err, a->en, "rows of the pack refer to rows that cannot be put back");
    return EXIT_DATA;
}

/* Row id of table put back from the newest delete of it in this copy's log, overlay laid on it;
 * *restored when it was (its child rescored). */
static int restore_logged(apply_ctx *a, const char *table, int64_t id, const merge_value *overlay,
                          bool *restored)
{
    restore_ctx r = {a, overlay, false};
    bool logged;
    int rc = syncstore_log_deleted(a->s, table, id, restore_image, &r, &logged);
    *restored = !rc && r.restored;
    return *restored ? sync_touch_row(a, table, id, NULL) : rc;
}

int sync_restore_deleted(apply_ctx *a, const char *table, int64_t id, bool *restored)
{
    return restore_logged(a, table, id, NULL, restored);
}

/* An edit of row id, which this copy no longer holds: edited there, deleted here, a conflict, and
 * the row is kept until a person decides, put back from the old image of the hub's delete with
 * the laptop's changes on it (it then travels to the laptops like any row added). */
int sync_apply_edit_of_deleted(apply_ctx *a, const syncstore_change *c, int64_t id)
{
    if (!a->hub) return EXIT_OK;
    a->r->conflicts++;
    bool restored;
    int rc = restore_logged(a, c->table, id, c->new_, &restored);
    if (rc) return rc;
    return syncstore_conflict_add(a->s, "edit_vs_delete", c->table, id, NULL, NULL, NULL, NULL,
                                  a->peer);
}
