/* sync_apply.c: applying a pack (see sync.h), change by change, column by column with merge.h's
 * rule: different fields both kept, a same-field clash a conflict, appended rows from both sides,
 * a deleted parent put back; the hub records what it changed for the other laptops. */
#include "caseload/sync.h"
#include "sync_internal.h"

#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include "caseload/scores.h"
#include "caseload/scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* After a pack's facts commit, its search text is folded in transactions that each fold batches
 * of this many referrals until this long has passed (writing out the search index at the commit
 * takes about as long again), with this pause before each: longer than the 20 ms steps of a
 * waiting caseload's busy handler (src/store/store.c), so a desk user's write gets in between.
 * Fewer, larger batches cost less in all: each batch writes out an index segment (SQLite 3.40's
 * FTS5 writes its pending terms at each statement's savepoint), and every segment costs merging:
 * bench_sync's 4,900 edited referrals fold in 0.69 billion instructions as one batch, 1.12 as five
 * (about 0.1 s on a quiet machine, less than the pack's facts took under the lock; a transaction
 * folds at least one batch, so a busy machine holds the lock longer for it). */
#define SEARCH_BATCH 5000
#define SEARCH_WORK_MS 150
#define SEARCH_PAUSE_MS 25
/* ---- applying ---- */

static void touch_child(apply_ctx *a, int64_t id)
{
    if (!id) return;
    for (size_t i = a->nchildren; i > 0 && i + 8 > a->nchildren; i--)
        if (a->children[i - 1] == id) return;
    if (a->nchildren == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->children = realloc(a->children, a->cap * sizeof *a->children);
        if (!a->children) abort();
    }
    a->children[a->nchildren++] = id;
}

/* The child of a row whose change can change its score (scores_reads: column NULL for a row added
 * or removed), to be rescored before the commit; any other change leaves every score as it was. */
int sync_touch_row(apply_ctx *a, const char *table, int64_t id, const char *column)
{
    if (!scores_reads(table, column)) return EXIT_OK;
    int64_t child = 0;
    int rc = syncstore_row_child(a->s, table, id, &child);
    if (!rc) touch_child(a, child);
    return rc;
}

int sync_column_index(const char *const *names, int ncol, const char *name)
{
    for (int i = 0; i < ncol; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

/* A copy of a text value with "-<tag>" appended, in mem (n bytes). */
static merge_value suffixed(const merge_value *v, const char *tag, char *mem, size_t n)
{
    merge_value out = *v;
    int len = snprintf(mem, n, "%.*s-%s", v->type == MERGE_TEXT ? v->n : 0,
                       v->type == MERGE_TEXT ? (const char *)v->p : "", tag);
    out.type = MERGE_TEXT;
    out.p = (const unsigned char *)mem;
    out.n = len < (int)n ? len : (int)n - 1;
    return out;
}

/* On a laptop, a conflict the hub recorded: where this copy still holds the value it sent, it
 * takes the value the hub kept (the hub holds it until a person decides). */
static int follow_conflict(apply_ctx *a, const syncstore_change *c, const char *const *cn, int nc)
{
    int ki = sync_column_index(cn, nc, "kind"), ti = sync_column_index(cn, nc, "tbl"),
        ri = sync_column_index(cn, nc, "row_id"), fi = sync_column_index(cn, nc, "field"),
        hi = sync_column_index(cn, nc, "hub"), li = sync_column_index(cn, nc, "laptop"),
        si = sync_column_index(cn, nc, "state");
    if (ki < 0 || ti < 0 || ri < 0 || fi < 0 || hi < 0 || li < 0 || si < 0) return EXIT_OK;
    const merge_value *kind = &c->new_[ki], *tbl = &c->new_[ti], *row = &c->new_[ri],
                      *field = &c->new_[fi], *state = &c->new_[si];
    if (kind->type != MERGE_TEXT || tbl->type != MERGE_TEXT || row->type != MERGE_INT ||
        field->type != MERGE_TEXT || state->type != MERGE_TEXT)
        return EXIT_OK;
    if (kind->n != 5 || memcmp(kind->p, "field", 5) != 0 || state->n != 4 ||
        memcmp(state->p, "open", 4) != 0)
        return EXIT_OK;
    char table[64], col[64];
    snprintf(table, sizeof table, "%.*s", tbl->n, (const char *)tbl->p);
    snprintf(col, sizeof col, "%.*s", field->n, (const char *)field->p);
    if (syncstore_table_index(table) < 0) return EXIT_OK;
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(a->s, table, &names, &ncol))) return rc;
    int i = sync_column_index(names, ncol, col);
    if (i < 0) return EXIT_OK;
    merge_value mine[SYNCSTORE_MAX_COLS];
    bool found;
    if ((rc = syncstore_row_get(a->s, table, row->i, mine, ncol, &found)) || !found) return rc;
    if (!merge_value_equal(&mine[i], &c->new_[li])) return EXIT_OK;
    merge_value vals[SYNCSTORE_MAX_COLS] = {{0}};
    bool set[SYNCSTORE_MAX_COLS] = {0};
    vals[i] = c->new_[hi];
    set[i] = true;
    if ((rc = syncstore_row_update(a->s, table, row->i, vals, set, ncol))) return rc;
    return sync_touch_row(a, table, row->i, col);
}

/* An inserted row whose natural key another row already holds: both are kept, the newcomer's key
 * (on the hub) or this laptop's own row's key (which the hub will rename the same way) gets the
 * laptop's name appended, and the hub records a duplicate. */
static int insert_duplicate(apply_ctx *a, const syncstore_change *c, const char *const *names,
                            int ncol, merge_value *vals)
{
    char mem[SYNCSTORE_MAX_COLS][160];
    int rc;
    bool renamed = false;
    for (int i = 1; i < ncol; i++) {
        if (!merge_natural_key(c->table, names[i]) || vals[i].type != MERGE_TEXT) continue;
        int64_t other = 0;
        if ((rc = syncstore_key_holder(a->s, c->table, names[i], &vals[i], vals[0].i, &other)))
            return rc;
        if (!other) continue;
        renamed = true;
        if (a->hub) {
            merge_value original = vals[i];
            vals[i] = suffixed(&original, a->peer, mem[i], sizeof mem[i]);
            if ((rc = syncstore_conflict_add(a->s, "duplicate", c->table, vals[0].i, names[i], NULL,
                                             &original, &vals[i], a->peer)))
                return rc;
            a->r->conflicts++;
        } else {
            merge_value own[SYNCSTORE_MAX_COLS], upd[SYNCSTORE_MAX_COLS] = {{0}};
            bool found, set[SYNCSTORE_MAX_COLS] = {0};
            if ((rc = syncstore_row_get(a->s, c->table, other, own, ncol, &found))) return rc;
            if (!found) continue;
            upd[i] = suffixed(&own[i], a->me, mem[i], sizeof mem[i]);
            set[i] = true;
            if ((rc = syncstore_row_update(a->s, c->table, other, upd, set, ncol))) return rc;
        }
    }
    if (!renamed) {
        snprintf(a->err, a->en,
                 "a new row of %s clashes with a unique key that is not a natural "
                 "key",
                 c->table);
        return EXIT_DATA;
    }
    bool clash;
    if ((rc = syncstore_row_insert(a->s, c->table, vals, ncol, &clash))) return rc;
    if (clash) {
        snprintf(a->err, a->en, "a new row of %s clashes with a key held twice", c->table);
        return EXIT_DATA;
    }
    return EXIT_OK;
}

/* The referrals whose follow-up a change of actions can change (its referral before and after),
 * for syncstore_triggers_back. */
int sync_note_follow_ups(store *s, const char *table, const merge_value *a, const merge_value *b,
                         const merge_value *c, int ncol)
{
    if (strcmp(table, "actions") != 0) return EXIT_OK;
    const char *const *names;
    int n, rc;
    if ((rc = syncstore_columns(s, table, &names, &n))) return rc;
    const merge_value *v[3] = {a, b, c};
    for (int i = 0; i < n && i < ncol; i++) {
        if (strcmp(names[i], "referral_id") != 0) continue;
        for (int k = 0; k < 3; k++)
            if (v[k] && v[k][i].type == MERGE_INT && (rc = syncstore_follow_ups_note(s, v[k][i].i)))
                return rc;
    }
    return EXIT_OK;
}

/* A delete of row id (mine: the row as this copy holds it; purged: its child was purged). */
static int apply_delete(apply_ctx *a, const syncstore_change *c, const char *const *names, int ncol,
                        int64_t id, const merge_value *mine, bool purged)
{
    store *s = a->s;
    int rc;
    bool edited = false;
    for (int i = 1; i < ncol; i++)
        if (merge_column_kind(c->table, names[i]) == MERGE_FACT &&
            !merge_value_equal(&c->old[i], &mine[i]))
            edited = true;
    if (purged) edited = false;
    /* A delete whose decision the hub made otherwise: kept (sync_decisions_settle). */
    if (a->ndis && !purged && sync_decisions_keep_row(a, c->table, id)) return EXIT_OK;
    if (edited && a->hub) {
        /* Kept until a person decides; the laptop, which deleted it, gets it back. */
        a->r->conflicts++;
        if ((rc = syncstore_relay_row(s, c->table, id))) return rc;
        return syncstore_conflict_add(s, "delete_vs_edit", c->table, id, NULL, NULL, NULL, NULL,
                                      a->peer);
    }
    if (edited) {
        bool unsent;
        if ((rc = syncstore_unsent_has(s, c->table, id, -1, &unsent))) return rc;
        if (unsent) return EXIT_OK;
    }
    if ((rc = sync_touch_row(a, c->table, id, NULL))) return rc;
    a->r->deleted++;
    return syncstore_row_delete(s, c->table, id);
}

/* A row added. When its key is held already here (added on both sides, or applied before), *held
 * is set and mine holds the row, to be merged as a change. */
static int apply_insert(apply_ctx *a, const syncstore_change *c, const char *const *names, int ncol,
                        int64_t id, merge_value *mine, bool *held)
{
    store *s = a->s;
    merge_value vals[SYNCSTORE_MAX_COLS];
    memcpy(vals, c->new_, sizeof vals[0] * (size_t)ncol);
    bool clash, found;
    int rc = syncstore_row_add(s, c->table, vals, ncol, held, &clash);
    if (rc) return rc;
    if (*held) {
        if ((rc = syncstore_row_get(s, c->table, id, mine, ncol, &found))) return rc;
        if (!found) {
            snprintf(a->err, a->en, "a new row of %s: its key is held, the row not found",
                     c->table);
            return EXIT_DATA;
        }
        return sync_note_follow_ups(s, c->table, NULL, NULL, mine, ncol);
    }
    bool is_conflicts = strcmp(c->table, "conflicts") == 0;
    if (clash && (rc = insert_duplicate(a, c, names, ncol, vals))) return rc;
    if ((rc = sync_correction_note(a, c->table, names, ncol, vals))) return rc;
    if (!is_conflicts && strcmp(c->table, "audit") != 0) a->r->added++;
    if (is_conflicts && !a->hub && (rc = follow_conflict(a, c, names, ncol))) return rc;
    return sync_touch_row(a, c->table, id, NULL);
}

/* A change of row id, which this copy holds as mine: column by column (merge.h). */
static int apply_columns(apply_ctx *a, const syncstore_change *c, const char *const *names,
                         int ncol, int64_t id, const merge_value *mine)
{
    store *s = a->s;
    int rc;
    merge_value vals[SYNCSTORE_MAX_COLS] = {{0}};
    bool set[SYNCSTORE_MAX_COLS] = {0}, any = false;
    static const merge_value undef = {MERGE_UNDEF, 0, 0, NULL, 0};
    for (int i = 1; i < ncol; i++) {
        merge_column_class kind = merge_column_kind(c->table, names[i]);
        const merge_value *base = c->op == 'I' ? &undef : &c->old[i];
        bool unsent = false;
        if (!a->hub && kind == MERGE_FACT && c->new_[i].type != MERGE_UNDEF &&
            !merge_value_equal(&mine[i], &c->new_[i]) &&
            (rc = syncstore_unsent_has(s, c->table, id, i, &unsent)))
            return rc;
        merge_decision how = merge_column(kind, base, &c->new_[i], &mine[i], a->hub, unsent);
        if (a->ndis &&
            (rc = sync_decisions_column(a, c->table, id, names[i], &mine[i], &c->new_[i], &how)))
            return rc;
        switch (how) {
        case MERGE_TAKE:
            vals[i] = c->new_[i];
            set[i] = true;
            if (kind == MERGE_FACT) any = true;
            break;
        case MERGE_CONFLICT:
            a->r->conflicts++;
            if ((rc = syncstore_conflict_add(s, "field", c->table, id, names[i], base, &mine[i],
                                             &c->new_[i], a->peer)))
                return rc;
            break;
        default: break;
        }
    }
    bool stamp = false;
    const char *scored = NULL; /* a merged column a score reads */
    for (int i = 1; i < ncol; i++) {
        stamp |= set[i];
        if (set[i] && !scored && scores_reads(c->table, names[i])) scored = names[i];
    }
    if (!stamp) return EXIT_OK;
    if (any) a->r->merged++;
    /* A referral moved to another child changes the score of the one it leaves too. */
    if (scored && (rc = sync_touch_row(a, c->table, id, scored))) return rc;
    if ((rc = syncstore_row_update_from(s, c->table, id, mine, vals, set, ncol))) return rc;
    return scored ? sync_touch_row(a, c->table, id, scored) : EXIT_OK;
}

static int apply_change(apply_ctx *a, const syncstore_change *c)
{
    store *s = a->s;
    if (syncstore_table_index(c->table) < 0) return EXIT_OK;
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(s, c->table, &names, &ncol))) return rc;
    if (ncol != c->ncol) {
        snprintf(a->err, a->en, "a change of %s has %d columns, this database %d", c->table,
                 c->ncol, ncol);
        return EXIT_DATA;
    }
    const merge_value *key = c->op == 'I' ? &c->new_[0] : &c->old[0];
    if (key->type != MERGE_INT) return EXIT_OK;
    int64_t id = key->i;
    merge_value mine[SYNCSTORE_MAX_COLS];
    /* A row a laptop added is mostly new on the hub: it is looked for only when its key turns out
     * held. (A hub's pack brings a laptop its own rows back.) */
    bool found = false;
    if ((c->op != 'I' || !a->hub) && (rc = syncstore_row_get(s, c->table, id, mine, ncol, &found)))
        return rc;
    /* A purged child never comes back: no row of it is added or changed, and its rows go (looked
     * up change by change only once this copy holds a tombstone or an erased row). */
    int64_t child = 0;
    bool purged = false;
    if (a->none_erased && strcmp(c->table, "tombstones") == 0) a->none_erased = false;
    if (!a->none_erased && c->op == 'I')
        rc = syncstore_new_row_child(s, c->table, c->new_, ncol, &child);
    else if (!a->none_erased && found)
        rc = syncstore_row_child(s, c->table, id, &child);
    if (rc || (!a->none_erased && (rc = privacy_change_erased(s, c, child, &purged)))) return rc;
    if (purged && c->op != 'D') {
        a->r->dropped++;
        return EXIT_OK;
    }
    if ((rc = sync_note_follow_ups(s, c->table, c->old, c->new_, found ? mine : NULL, ncol)))
        return rc;
    if (c->op == 'D') return found ? apply_delete(a, c, names, ncol, id, mine, purged) : EXIT_OK;
    if (!found && c->op == 'U') return sync_apply_edit_of_deleted(a, c, id);
    if (!found) {
        bool held;
        if ((rc = apply_insert(a, c, names, ncol, id, mine, &held)) || !held) return rc;
    }
    return apply_columns(a, c, names, ncol, id, mine);
}

/* One change, with what a purge needs around it: a tombstone of a child purged here too keeps one
 * of the two (the hub's); a tombstone arriving erases the child here as where it was purged
 * (privacy_erase: every row; the change log, the search index and the write-ahead log once the
 * pack is applied). */
static int apply_one(apply_ctx *a, const syncstore_change *c)
{
    bool twice = false, erased = false;
    int rc = privacy_tombstone_twice(a->s, c, a->hub, &twice);
    if (rc || twice || (rc = apply_change(a, c))) return rc;
    rc = privacy_follow_tombstone(a->s, c, &erased);
    if (erased) a->r->erased++;
    return rc;
}

/* After a pack that erased a child: the change log and the search index rewritten (inside the
 * transaction), and, once committed, the write-ahead log emptied into the database (when it
 * cannot be, r->wal_kept says so: the pack is applied all the same). */
static int erased_compact(store *s, const sync_apply_result *r)
{
    return r->erased ? privacy_compact(s) : EXIT_OK;
}

static void erased_checkpoint(store *s, sync_apply_result *r)
{
    bool emptied = false;
    if (r->erased) r->wal_kept = privacy_checkpoint(s, &emptied) != EXIT_OK || !emptied;
}

/* fn for each change of entry i of the pack, as read before the write lock when it was
 * (sync_decode.c). */
static int each_change(apply_ctx *a, size_t i, int (*fn)(apply_ctx *, const syncstore_change *))
{
    const pack_entry *e = &a->o->entries[i];
    size_t first, end;
    bool damaged = false, decoded = sync_decoded_entry(a->decoded, i, &first, &end, &damaged);
    syncstore_iter *it = NULL;
    int more = 0, rc = decoded ? EXIT_OK : syncstore_iter_start(e->data, (int)e->len, &it);
    if (rc) {
        snprintf(a->err, a->en, "change %lld of the pack is damaged", (long long)e->seq);
        return rc;
    }
    syncstore_change *c = malloc(sizeof *c);
    if (!c) abort();
    for (size_t k = first; decoded && !rc && k < end; k++) {
        sync_decoded_get(a->decoded, k, c);
        rc = fn(a, c);
    }
    while (!decoded && !rc && (more = syncstore_iter_next(it, c)) > 0)
        rc = fn(a, c);
    if (!rc && (more < 0 || damaged)) {
        snprintf(a->err, a->en, "change %lld of the pack is damaged", (long long)e->seq);
        rc = EXIT_DATA;
    }
    free(c);
    syncstore_iter_free(it);
    return rc;
}

/* Entry i of the pack; on the hub, what it resolves otherwise than the hub did noted first. */
static int apply_entry(apply_ctx *a, size_t i)
{
    int rc = a->hub ? each_change(a, i, sync_decisions_note) : EXIT_OK;
    if (!rc) rc = each_change(a, i, apply_one);
    if (!rc && a->ndis) rc = sync_decisions_settle(a);
    return rc;
}

/* The first entry of pack o that this copy has not applied (o->n: none), when the entries go on
 * from applied with no gap; else EXIT_DATA saying which pack to bring. */
static int first_new_entry(const char *what, const opened_pack *o, int64_t applied, size_t *first,
                           char *err, size_t n)
{
    size_t f = 0;
    while (f < o->n && o->entries[f].seq <= applied)
        f++;
    *first = f;
    if (f < o->n && o->entries[f].seq != applied + 1)
        return sync_say(
            err, n, EXIT_DATA,
            "%s: this pack starts at change %lld of %s, but this copy has applied only up "
            "to %lld: bring a pack from %s holding its changes from %lld on (make a new one "
            "there with `caseload sync pack`); nothing was changed",
            what, (long long)o->entries[f].seq, o->peer.name, (long long)applied, o->peer.name,
            (long long)applied + 1);
    for (size_t i = f + 1; i < o->n; i++)
        if (o->entries[i].seq != o->entries[i - 1].seq + 1)
            return sync_say(err, n, EXIT_DATA, "%s: the pack's changes are not in order", what);
    return EXIT_OK;
}

static int apply_opened(store *s, const config *cfg, date_t as_of, const char *what, opened_pack *o,
                        const sync_decoded *d, sync_apply_result *r, char *err, size_t n)
{
    memset(r, 0, sizeof *r);
    snprintf(r->peer, sizeof r->peer, "%s", o->peer.name);
    char role[16], me[64];
    sync_role(s, role, me);
    int rc = store_begin(s);
    if (rc) return sync_store_said(s, err, n, rc);
    apply_ctx a = {.s = s,
                   .o = o,
                   .hub = strcmp(role, "hub") == 0,
                   .peer = o->peer.name,
                   .r = r,
                   .err = err,
                   .en = n,
                   .decoded = d};
    snprintf(a.me, sizeof a.me, "%s", me);
    err[0] = '\0';
    /* Read again inside the transaction: another program may have applied a pack meanwhile. */
    syncstore_peer p;
    int64_t mine_max;
    if ((rc = syncstore_peer_get(s, o->peer.name, &p)) || (rc = syncstore_log_max(s, &mine_max)))
        goto out;
    if ((rc = sync_pack_marks_check(s, what, o, p.applied, err, n))) goto out;
    int64_t acked = o->ack > p.acked ? (o->ack < mine_max ? o->ack : mine_max) : p.acked;
    int64_t applied = p.applied;
    size_t first_new;
    if ((rc = first_new_entry(what, o, applied, &first_new, err, n))) goto out;
    r->skipped = (int64_t)first_new;
    if (acked != p.acked) r->acked = acked;
    if (first_new == o->n && acked == p.acked) {
        r->nothing_new = true;
        goto out;
    }
    if ((rc = syncstore_capture(s, a.hub ? o->peer.device : 0, a.hub)) ||
        (!a.hub && (rc = syncstore_unsent_build(s, acked))) ||
        (rc = syncstore_defer_foreign_keys(s)) || (rc = syncstore_triggers_aside(s)) ||
        (rc = privacy_none_erased(s, &a.none_erased)))
        goto out;
    if (a.hub) syncstore_log_added_whole(s);
    for (size_t i = first_new; i < o->n; i++) {
        if ((rc = apply_entry(&a, i))) goto out;
        applied = o->entries[i].seq;
        r->entries++;
    }
    if ((rc = sync_repair_parents(&a)) || (rc = sync_corrections_settle(&a)) ||
        (r->entries && (rc = sync_applied_at_set(s, p.name, o->entries[o->n - 1].at))) ||
        (rc = syncstore_triggers_back(s)) ||
        (rc = syncstore_peer_marks(s, p.name, acked, applied, syncstore_now(s))) ||
        (a.nchildren && (rc = scoring_children_changed(s, cfg, as_of, a.children, a.nchildren))))
        goto out;
    char detail[160];
    snprintf(detail, sizeof detail, "from=%s changes=%lld conflicts=%lld", p.name,
             (long long)r->entries, (long long)r->conflicts);
    /* The hub audits what it applied (the row travels to the laptops with the rest); a laptop
     * logs nothing of applying its hub's pack, its scores included: derived state never travels,
     * and a row of its own would come back as a change of the hub's, pack after pack. */
    if ((a.hub && r->entries && (rc = store_audit(s, "sync_apply", NULL, 0, detail))) ||
        (rc = erased_compact(s, r)))
        goto out;
    /* The facts commit alone: the search text of what changed (the largest part of the work) is
     * folded afterwards in short transactions of its own, so that desk users wait at most for
     * one of them (store_defer_search: noted, it is folded by the next caseload should this one
     * be killed meanwhile). */
    store_defer_search(s);
    if ((rc = store_commit(s))) goto out;
    if (store_search_catch_up(s, SEARCH_BATCH, SEARCH_WORK_MS, SEARCH_PAUSE_MS) != EXIT_OK)
        r->search_later = true; /* busy: the next caseload that writes or searches folds it */
    erased_checkpoint(s, r);
out:
    /* What failed said why in err, or the store did. */
    if (rc && !err[0]) sync_store_said(s, err, n, rc);
    if (rc || r->nothing_new) store_rollback(s);
    free(a.children);
    free(a.corr);
    sync_decisions_free(&a);
    free(a.dis);
    return rc;
}

int sync_pack_apply(store *s, const config *cfg, date_t as_of, const char *what, const void *data,
                    size_t size, sync_apply_result *r, char *err, size_t n)
{
    memset(r, 0, sizeof *r);
    opened_pack o;
    int rc = sync_pack_open(s, what, data, size, &o, err, n);
    if (rc) return rc;
    /* The changes this copy had not applied when the pack was opened, read before the write
     * lock is taken (should another program apply some meanwhile, they are skipped all the same;
     * any not read here are read under the lock). */
    size_t from = 0;
    while (from < o.n && o.entries[from].seq <= o.peer.applied)
        from++;
    sync_decoded d;
    sync_decode(&o, from, &d);
    rc = apply_opened(s, cfg, as_of, what, &o, &d, r, err, n);
    sync_decoded_free(&d);
    sync_pack_close(&o);
    return rc;
}

int sync_with(store *s, store *other, const config *cfg, date_t as_of, sync_apply_result *to_hub,
              sync_apply_result *to_laptop, char *err, size_t n)
{
    memset(to_hub, 0, sizeof *to_hub);
    memset(to_laptop, 0, sizeof *to_laptop);
    char r1[16], n1[64], r2[16], n2[64];
    sync_role(s, r1, n1);
    sync_role(other, r2, n2);
    store *hub = NULL, *laptop = NULL;
    const char *laptop_name = NULL;
    if (strcmp(r1, "hub") == 0 && strcmp(r2, "laptop") == 0) {
        hub = s;
        laptop = other;
        laptop_name = n2;
    } else if (strcmp(r1, "laptop") == 0 && strcmp(r2, "hub") == 0) {
        hub = other;
        laptop = s;
        laptop_name = n1;
    } else {
        return sync_say(err, n, EXIT_DATA,
                        "sync with joins a hub and one of its laptop copies (this is %s, the other "
                        "%s)",
                        *r1 ? r1 : "neither", *r2 ? r2 : "neither");
    }
    buf b = BUF_INIT;
    sync_pack_info info;
    int rc = sync_pack_make(laptop, NULL, &b, &info, err, n);
    if (!rc)
        rc = sync_pack_apply(hub, cfg, as_of, "the laptop's pack", b.data, b.len, to_hub, err, n);
    if (!rc) rc = sync_pack_make(hub, laptop_name, &b, &info, err, n);
    if (!rc)
        rc =
            sync_pack_apply(laptop, cfg, as_of, "the hub's pack", b.data, b.len, to_laptop, err, n);
    buf_free(&b);
    return rc;
}
