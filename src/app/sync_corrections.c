/* sync_corrections.c: two copies correcting the same entry (SPEC section 9's merge rule for the
 * corrections of migration 0015). An amendment or a withdrawal of an action or an outcome is a new
 * row that supersedes the version it corrects; when the hub and a laptop both corrected the same
 * version, two rows supersede it and both would be current (counted twice by actions_current and
 * outcomes_current, the follow-ups and the reports). So after a pack is applied the versions are
 * put back in one line: the hub's correction supersedes the laptop's (the head of the laptop's
 * corrections, when it corrected its correction too), which supersedes the version both
 * corrected. Both rows are kept, the hub's is current, and the hub records a `field` conflict on
 * its correction's `supersedes`: base the version both corrected, hub the laptop's correction it
 * now supersedes, laptop the version again (what the laptop had it supersede). Keep leaves the
 * line so; take turns it round (sync_correction_take), so the laptop's correction is current. A
 * laptop applying its hub's pack puts the same line together, unlogged (the hub does the same with
 * the same keys when the laptop's pack reaches it), so the copies agree at every step. */
#include "caseload/sync.h"
#include "sync_internal.h"

#include "caseload/exitcode.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Steps followed along a line of versions at most (a line of corrections is a few long). */
#define CHAIN_MAX 10000

int sync_correction_note(apply_ctx *a, const char *table, const char *const *names, int ncol,
                         const merge_value *vals)
{
    bool outcome = strcmp(table, "outcomes") == 0;
    if (!outcome && strcmp(table, "actions") != 0) return EXIT_OK;
    int si = sync_column_index(names, ncol, "supersedes");
    if (si < 0 || vals[si].type != MERGE_INT || vals[0].type != MERGE_INT) return EXIT_OK;
    if (a->ncorr == a->corr_cap) {
        a->corr_cap = a->corr_cap ? a->corr_cap * 2 : 16;
        a->corr = realloc(a->corr, a->corr_cap * sizeof *a->corr);
        if (!a->corr) abort();
    }
    a->corr[a->ncorr++] = (sync_correction){outcome, vals[0].i, vals[si].i};
    return EXIT_OK;
}

/* The newest version in the line from row id up (the row no other supersedes). */
static int chain_head(store *s, const char *table, int64_t id, int64_t *head)
{
    *head = id;
    for (int step = 0; step < CHAIN_MAX; step++) {
        int64_t next;
        int n, rc = syncstore_superseders(s, table, *head, &next, 1, &n);
        if (rc || !n) return rc;
        *head = next;
    }
    return EXIT_OK;
}

int sync_correction_same_line(store *s, const char *table, int64_t a, int64_t b, bool *same)
{
    int64_t ha, hb;
    int rc = chain_head(s, table, a, &ha);
    if (!rc) rc = chain_head(s, table, b, &hb);
    *same = !rc && ha == hb;
    return rc;
}

/* Row id's supersedes (0: none) and withdrawn; *found false when there is no such row. */
static int entry_get(store *s, const char *table, int64_t id, int64_t *sup, bool *withdrawn,
                     bool *found)
{
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(s, table, &names, &ncol))) return rc;
    int si = sync_column_index(names, ncol, "supersedes"),
        wi = sync_column_index(names, ncol, "withdrawn");
    merge_value v[SYNCSTORE_MAX_COLS];
    *sup = 0;
    *withdrawn = false;
    if ((rc = syncstore_row_get(s, table, id, v, ncol, found)) || !*found) return rc;
    if (si >= 0 && v[si].type == MERGE_INT) *sup = v[si].i;
    if (wi >= 0 && v[wi].type == MERGE_INT) *withdrawn = v[wi].i != 0;
    return EXIT_OK;
}

/* Row id now supersedes row sup (its updated_at now); the referral's follow-up noted for a pack
 * being applied (the triggers do it otherwise). */
static int set_supersedes(store *s, const char *table, int64_t id, int64_t sup)
{
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(s, table, &names, &ncol))) return rc;
    int si = sync_column_index(names, ncol, "supersedes"),
        ui = sync_column_index(names, ncol, "updated_at");
    if (si < 0) return EXIT_OK;
    merge_value vals[SYNCSTORE_MAX_COLS] = {{0}};
    bool set[SYNCSTORE_MAX_COLS] = {0};
    vals[si] = (merge_value){MERGE_INT, sup, 0, NULL, 0};
    set[si] = true;
    if (ui >= 0) {
        const char *now = syncstore_now(s);
        vals[ui] = (merge_value){MERGE_TEXT, 0, 0, (const unsigned char *)now, (int)strlen(now)};
        set[ui] = true;
    }
    if ((rc = syncstore_row_update(s, table, id, vals, set, ncol))) return rc;
    merge_value row[SYNCSTORE_MAX_COLS];
    bool found;
    if ((rc = syncstore_row_get(s, table, id, row, ncol, &found)) || !found) return rc;
    return sync_note_follow_ups(s, table, row, NULL, NULL, ncol);
}

/* Correction k of the pack, when another row supersedes the version it corrects too: the line
 * put together (the hub's on top) and, on the hub, the conflict. */
static int settle_one(apply_ctx *a, const sync_correction *k)
{
    store *s = a->s;
    const char *table = k->outcome ? "outcomes" : "actions";
    int64_t sup[8];
    int n, rc;
    if ((rc = syncstore_superseders(s, table, k->supersedes, sup, 8, &n)) || n < 2) return rc;
    bool mine = false;
    int64_t other = 0;
    for (int i = 0; i < n && i < 8; i++) {
        if (sup[i] == k->id)
            mine = true;
        else if (!other)
            other = sup[i];
    }
    if (!mine || !other) return EXIT_OK; /* put in line already (a later change of the pack) */
    int64_t hub_row = a->hub ? other : k->id, laptop_row = a->hub ? k->id : other;
    int64_t hub_head, laptop_head, s1, s2;
    bool w1, w2, f1, f2;
    if ((rc = chain_head(s, table, hub_row, &hub_head)) ||
        (rc = chain_head(s, table, laptop_row, &laptop_head)) ||
        (rc = entry_get(s, table, hub_head, &s1, &w1, &f1)) ||
        (rc = entry_get(s, table, laptop_head, &s2, &w2, &f2)))
        return rc;
    if (w1 && w2) return EXIT_OK; /* both withdrew it: the same change, nothing counts */
    if ((rc = set_supersedes(s, table, hub_row, laptop_head)) ||
        (rc = sync_touch_row(a, table, hub_row, "supersedes")))
        return rc;
    if (!a->hub) return EXIT_OK;
    merge_value base = {MERGE_INT, k->supersedes, 0, NULL, 0},
                hub = {MERGE_INT, laptop_head, 0, NULL, 0};
    a->r->conflicts++;
    return syncstore_conflict_add(s, "field", table, hub_row, "supersedes", &base, &hub, &base,
                                  a->peer);
}

int sync_corrections_settle(apply_ctx *a)
{
    int rc = EXIT_OK;
    for (size_t i = 0; !rc && i < a->ncorr; i++)
        rc = settle_one(a, &a->corr[i]);
    return rc;
}

bool sync_correction_conflict(const syncstore_conflict *c)
{
    return strcmp(c->kind, "field") == 0 && c->field && strcmp(c->field, "supersedes") == 0 &&
           (strcmp(c->table, "actions") == 0 || strcmp(c->table, "outcomes") == 0);
}

int sync_correction_take(store *s, const syncstore_conflict *c, char *err, size_t en)
{
    if (c->base.type != MERGE_INT || c->hub.type != MERGE_INT) {
        snprintf(err, en, "conflict %lld does not name the two corrections", (long long)c->id);
        return EXIT_DATA;
    }
    int64_t version = c->base.i, laptop_head = c->hub.i, hub_row = c->row_id;
    /* The laptop's first correction: down its line from its head to the row superseding the
     * version both corrected. */
    int64_t laptop_row = laptop_head, sup = 0;
    bool withdrawn, found = true;
    int rc, step = 0;
    while (!(rc = entry_get(s, c->table, laptop_row, &sup, &withdrawn, &found)) && found &&
           sup != version && sup && ++step < CHAIN_MAX)
        laptop_row = sup;
    if (rc) return rc;
    if (!found || sup != version) {
        snprintf(err, en,
                 "conflict %lld: the corrections have changed since (the laptop's no longer "
                 "corrects the same version): nothing was changed",
                 (long long)c->id);
        return EXIT_DATA;
    }
    int64_t hub_head;
    if ((rc = chain_head(s, c->table, hub_row, &hub_head))) return rc;
    if ((rc = set_supersedes(s, c->table, hub_row, version))) return rc;
    return set_supersedes(s, c->table, laptop_row, hub_head);
}

/* Whether row id was made on the copy whose device is device (a row's key is its maker's device
 * above a counter of its own). */
static bool made_on(int64_t id, int64_t device)
{
    return (int64_t)((uint64_t)id >> 32) == device;
}

int sync_correction_ask_again(apply_ctx *a, const char *table, int64_t version, const char *laptop)
{
    syncstore_peer p;
    int rc = syncstore_peer_get(a->s, laptop, &p);
    sodium_memzero(p.key, sizeof p.key);
    if (rc) return rc == EXIT_FOUND ? EXIT_OK : rc;
    /* Up the line from the version both corrected: the lower part is one side's corrections
     * (made on that laptop or not), the first row of the other side supersedes its head. */
    int64_t row = version, top = 0, below = 0;
    bool first = true, lower_laptop = false;
    for (int step = 0; step < CHAIN_MAX; step++) {
        int64_t next;
        int n;
        if ((rc = syncstore_superseders(a->s, table, row, &next, 1, &n))) return rc;
        if (!n) break;
        bool lap = made_on(next, p.device);
        if (first) lower_laptop = lap;
        if (!first && !top && lap != lower_laptop) {
            top = next;
            below = row;
        }
        first = false;
        /* The laptops get the hub's line whole (the laptop's decision turned its own round). */
        if ((rc = syncstore_relay_row(a->s, table, next))) return rc;
        row = next;
    }
    if (!top) return EXIT_OK;
    merge_value base = {MERGE_INT, version, 0, NULL, 0}, hub = {MERGE_INT, below, 0, NULL, 0};
    a->r->conflicts++;
    return syncstore_conflict_add(a->s, "field", table, top, "supersedes", &base, &hub, &base,
                                  laptop);
}
