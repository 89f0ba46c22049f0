/* sync_internal.h: what the files of offline copies share (sync.c: packs, sync_checkout.c:
 * laptop copies, sync_apply.c: applying a pack, sync_restore.c: rows it puts back,
 * sync_corrections.c: an entry corrected on both sides, sync_resolve.c: resolving its conflicts)
 * and nothing else includes. */
#ifndef CASELOAD_SYNC_INTERNAL_H
#define CASELOAD_SYNC_INTERNAL_H

#include "caseload/sync.h"
#include <stddef.h>
#include <stdint.h>

/* Writes the message (printf format) into err (n bytes) and returns rc. */
int sync_say(char *err, size_t n, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The store's message into err; returns rc. */
int sync_store_said(store *s, char *err, size_t n, int rc);
/* The index of column name among names (ncol of them), -1 when there is none. */
int sync_column_index(const char *const *names, int ncol, const char *name);

/* One entry of a pack: a transaction of the sender's log. */
typedef struct pack_entry {
    int64_t seq, origin;
    const char *at; /* when the sender made it */
    const unsigned char *data;
    uint32_t len;
} pack_entry;

typedef struct opened_pack {
    syncstore_peer peer;
    unsigned char *plain; /* the payload, uncompressed */
    size_t plain_len;
    int64_t ack;
    char ack_at[32];  /* when this copy's entry at ack was made, as the sender heard; "" unknown */
    int64_t base;     /* the sender's mark of what this copy acknowledged */
    char base_at[32]; /* when the sender's entry at base was made ("" none) */
    pack_entry *entries;
    size_t n;
} opened_pack;

/* Checks, decrypts and reads a pack meant for this copy (d, size bytes) into o; what names it in
 * messages. */
int sync_pack_open(store *s, const char *what, const unsigned char *d, size_t size, opened_pack *o,
                   char *err, size_t n);
/* Frees what sync_pack_open kept, the key wiped. */
void sync_pack_close(opened_pack *o);
/* When peer's entry at this copy's applied mark of peer's log was made ("" when not known: none
 * applied, or applied before caseload kept it), and setting it (in a transaction). A pack says
 * when its receiver's entry at the ack was made and when each of its sender's entries was, so
 * that two databases of one identity (a file copied, or put back from a backup) are told apart
 * once their logs part: sync_pack_marks_check, EXIT_DATA when what the sender applied of this
 * copy is not this copy's, or what this copy applied (up to applied) is not the sender's. */
void sync_applied_at(store *s, const char *peer, char at[32]);
int sync_applied_at_set(store *s, const char *peer, const char *at);
int sync_pack_marks_check(store *s, const char *what, const opened_pack *o, int64_t applied,
                          char *err, size_t n);

/* ---- applying a pack (sync_apply.c, sync_restore.c, sync_decode.c) ---- */

/* sync_decode.c: a pack's changes read out of its changesets before the write lock is taken,
 * with their values and texts copied (old, new_: NULL when every value is undefined). */
typedef struct sync_decoded_change {
    const char *table;
    char op;
    int ncol;
    const merge_value *old, *new_;
} sync_decoded_change;

typedef struct sync_decoded {
    size_t from;     /* the pack's entries from this one on */
    size_t nentries; /* ... so many of them read */
    size_t *end;     /* end[k]: past the last change of entry from + k */
    bool damaged;    /* the last one read is damaged: its changes before the damage are kept */
    sync_decoded_change *c;
    size_t n, cap;
    struct sync_chunk *chunks;
} sync_decoded;

/* Reads pack o's entries from entry from on into d, up to the first damaged one. */
void sync_decode(const opened_pack *o, size_t from, sync_decoded *d);
/* Whether d holds entry (of the pack): its changes are d's first..end-1, damaged when its
 * changeset is damaged after them. */
bool sync_decoded_entry(const sync_decoded *d, size_t entry, size_t *first, size_t *end,
                        bool *damaged);
/* Change i of d as a change of the iterator gives it. */
void sync_decoded_get(const sync_decoded *d, size_t i, syncstore_change *c);
void sync_decoded_free(sync_decoded *d);

/* A row of actions or outcomes a pack added that corrects another (sync_corrections.c). */
typedef struct sync_correction {
    bool outcome;
    int64_t id, supersedes;
} sync_correction;

typedef struct apply_ctx {
    store *s;
    const opened_pack *o;
    bool hub;
    const char *peer; /* the sender's name */
    char me[64];      /* this copy's name */
    sync_apply_result *r;
    int64_t *children; /* touched, for their scores */
    size_t nchildren, cap;
    char *err;
    size_t en;
    sync_correction *corr; /* the corrections the pack added */
    size_t ncorr, corr_cap;
    bool none_erased;              /* privacy_none_erased, until the pack brings a tombstone */
    const sync_decoded *decoded;   /* the pack's changes read before the write lock */
    struct sync_disagreement *dis; /* the hub's: conflicts of this entry resolved otherwise */
    size_t ndis, dis_cap;
} apply_ctx;

/* sync_apply.c: the child of a row whose change can change its score (scores_reads: column NULL
 * for a row added or removed), to be rescored before the commit. */
int sync_touch_row(apply_ctx *a, const char *table, int64_t id, const char *column);
/* sync_apply.c: the referrals whose follow-up a change of actions can change (a, b and c: row
 * images, any NULL), for syncstore_triggers_back. */
int sync_note_follow_ups(store *s, const char *table, const merge_value *a, const merge_value *b,
                         const merge_value *c, int ncol);
/* sync_restore.c: the parents the pack's changes left rows referring to, put back (on the hub
 * with a conflict); an edit of row id of a row this copy deleted (on the hub a conflict, the row
 * put back with the edit on it). */
int sync_repair_parents(apply_ctx *a);
int sync_apply_edit_of_deleted(apply_ctx *a, const syncstore_change *c, int64_t id);
/* sync_restore.c: row id of table put back from the newest delete of it in this copy's log
 * (*restored: it was). */
int sync_restore_deleted(apply_ctx *a, const char *table, int64_t id, bool *restored);
/* sync_corrections.c: a row added by the pack (vals, the columns names) noted when it corrects an
 * action or an outcome; once the pack's changes are applied, each version corrected on both sides
 * put in one line, the hub's correction current (on the hub with a conflict); whether conflict c
 * is one of those; and taking the laptop's correction for it (err: why not, en bytes). */
int sync_correction_note(apply_ctx *a, const char *table, const char *const *names, int ncol,
                         const merge_value *vals);
int sync_corrections_settle(apply_ctx *a);
bool sync_correction_conflict(const syncstore_conflict *c);
int sync_correction_take(store *s, const syncstore_conflict *c, char *err, size_t en);
/* sync_corrections.c: whether rows a and b of table are versions of one entry (one line of
 * versions: the same newest version up their lines). */
int sync_correction_same_line(store *s, const char *table, int64_t a, int64_t b, bool *same);
/* sync_corrections.c (the hub's): the conflict of version of table corrected on the hub and on
 * laptop decided one way on the hub and the other on a laptop (sync_decisions.c): the line of
 * versions stays as the hub's decision made it, goes to the laptops whole, and a new conflict
 * of the same shape (the current side's first correction superseding the other side's head)
 * asks a person again. */
int sync_correction_ask_again(apply_ctx *a, const char *table, int64_t version, const char *laptop);
/* sync_decisions.c (the hub's): a change of the entry resolving a conflict the hub resolved
 * otherwise, noted before the entry is applied; column of row id of table as the merge rule
 * decided (*how), made a new field conflict of both values (or, of the conflict's own row, its
 * decision left as the hub's); whether the entry's delete of row id of table is refused (the
 * laptop's decision removed a row the hub's kept); after the entry, a conflict for each
 * disagreement no change of the field settled (a delete against an edit: the row kept, put back
 * where the hub's decision removed it), the notes freed (sync_decisions_free: without
 * settling). */
int sync_decisions_note(apply_ctx *a, const syncstore_change *c);
int sync_decisions_column(apply_ctx *a, const char *table, int64_t id, const char *column,
                          const merge_value *mine, const merge_value *theirs, merge_decision *how);
bool sync_decisions_keep_row(apply_ctx *a, const char *table, int64_t id);
int sync_decisions_settle(apply_ctx *a);
void sync_decisions_free(apply_ctx *a);

#endif
