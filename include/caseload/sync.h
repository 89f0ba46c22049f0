/* sync: offline copies (SPEC section 9). One database is the hub; `sync checkout` makes a laptop
 * copy of it (a database of its own with its own device id and pack key); packs carry, encrypted
 * and authenticated, every change one side holds that the other has not acknowledged, and
 * applying one merges it column by column (merge.h): different fields both kept, a same-field
 * clash held as a conflict for a person to resolve, the hub's value kept meanwhile.
 *
 * Pack file: a plain header (magic, format, schema version, a hash of the synced tables' columns,
 * program version, sender and recipient device ids), then the zlib-compressed payload encrypted
 * with crypto_secretstream_xchacha20poly1305 under the laptop's key, the header authenticated
 * with every message, the last one tagged final (a cut-short pack is detected).
 *
 * Every function returns an exit code of exitcode.h and, on failure, a one-line message in err
 * (size n) that never names a child; on failure nothing was changed. */
#ifndef CASELOAD_SYNC_H
#define CASELOAD_SYNC_H

#include "caseload/buf.h"
#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/store.h"
#include "caseload/syncstore.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* This copy's role ("hub", "laptop", or "" when it was never part of an exchange) and name. */
void sync_role(store *s, char role[16], char name[64]);

/* On the hub (or a database that becomes one): writes a laptop copy to path (which must not exist;
 * 0600), registered here as name (letters, digits, '-' and '_', at most 16; not "hub"): a new
 * device id, a new pack key, no other laptop's key, refs numbered R-YYYY-NAME-NNNNN.
 * EXIT_USAGE for a bad name; EXIT_DATA when name is taken or this is a laptop copy; EXIT_IO when
 * path exists or cannot be written. */
int sync_checkout(store *s, const char *path, const char *name, char *err, size_t n);

/* What a pack holds. */
typedef struct sync_pack_info {
    char peer[64];       /* the recipient's name */
    int64_t entries;     /* changes (transactions) carried */
    int64_t first, last; /* their numbers in the sender's log, 0 when none */
} sync_pack_info;

/* Makes the pack for peer for_name (on the hub: a laptop's name, required; on a laptop: NULL or
 * its hub's name) into out. EXIT_USAGE: --for missing on the hub; EXIT_DATA: no such peer, its
 * key revoked, or this database is not a copy. */
int sync_pack_make(store *s, const char *for_name, buf *out, sync_pack_info *info, char *err,
                   size_t n);
/* sync_pack_make written to path: a temporary name in the same folder, flushed, renamed (0600).
 * EXIT_IO when it cannot be written (disk full): nothing is left under path. */
int sync_pack_write(store *s, const char *for_name, const char *path, sync_pack_info *info,
                    char *err, size_t n);
/* Reads a pack file into out. EXIT_NOINPUT when missing, EXIT_IO when unreadable. */
int sync_pack_read(const char *path, buf *out, char *err, size_t n);

/* What applying a pack did. */
typedef struct sync_apply_result {
    char peer[64];   /* the sender's name */
    int64_t entries; /* changes applied (those already applied are skipped) */
    int64_t skipped; /* changes already applied before */
    int64_t added, merged, deleted, conflicts;
    int64_t erased;  /* children erased here: the pack brought their tombstones */
    int64_t dropped; /* changes of a purged child's rows, left out (no copy brings it back) */
    bool wal_kept;   /* erased, but another program kept the write-ahead log in use */
    bool nothing_new;
    int64_t acked;     /* the pack moved the mark of this copy's changes the sender has applied to
                          this one (0: it did not) */
    bool search_later; /* the search text could not be folded yet (another writer): the next
                          caseload that writes or searches folds it */
} sync_apply_result;

/* Applies a pack (the bytes of a pack file; what names it in messages) in one transaction (its
 * facts, the scores they change and the derived tables the triggers keep; the search text of what
 * changed is folded after it, in short transactions that let other writers in between):
 * EXIT_DATA when it is altered, cut short, foreign, for another copy, from a revoked laptop, made
 * by a program whose synced tables have other columns, or skips changes this copy has not seen
 * (the message says what to bring); nothing is then changed. The scores of the children it touched
 * are recomputed as of as_of. */
int sync_pack_apply(store *s, const config *cfg, date_t as_of, const char *what, const void *data,
                    size_t size, sync_apply_result *r, char *err, size_t n);

/* Both directions with the copy other (a hub and one of its laptops, either way round): the
 * laptop's pack applied on the hub, then the hub's on the laptop. to_hub / to_laptop say what each
 * did. */
int sync_with(store *s, store *other, const config *cfg, date_t as_of, sync_apply_result *to_hub,
              sync_apply_result *to_laptop, char *err, size_t n);

/* On the hub: revokes laptop name's key; its packs are refused from now on. */
int sync_revoke(store *s, const char *name, char *err, size_t n);

/* Resolves open conflict id: how is "keep" (the hub's value stays), "take" (the laptop's value)
 * or "set" (value). Written, audited and logged like any change. EXIT_DATA: no such open conflict,
 * or a resolution the kind does not allow (sync_resolve_refused says why). */
int sync_resolve(store *s, const config *cfg, date_t as_of, int64_t id, const char *how,
                 const char *value, char *err, size_t n);
/* Why a conflict of kind (field, delete_vs_edit, edit_vs_delete, duplicate; correction: an action
 * or outcome corrected on both copies) cannot be resolved with how (keep, take, set), as
 * sync_resolve refuses it and the app says it; NULL when it can. */
const char *sync_resolve_refused(const char *kind, bool correction, const char *how);

/* An open conflict as a person reads it (the app's conflicts screen): values with labels for
 * codes, dates as dates, an officer's initials and a school's name for their keys. Text is cut
 * (on a UTF-8 boundary) to fit and holds the data as stored: sanitize before printing. */
#define SYNC_SHOWN 512
typedef struct sync_conflict_row {
    int64_t id;
    syncstore_conflict_key key; /* for syncstore_conflict_page */
    char kind[16];              /* field, delete_vs_edit, edit_vs_delete, duplicate */
    char table[24];
    char field[32]; /* the column; "" for a whole row */
    char label[64]; /* the field's label ("Date of birth"), or the row's ("Referral") */
    char ref[64];   /* the referral's ref, "" when none */
    char child[40]; /* the child's UPN or LA child id, "" when none */
    char what[64];  /* what the row is to a person: the ref, else the child, else the row itself
                       ("School URN 100001", "Officer AB") */
    const char *happened; /* what happened, for a person ("changed on both copies", "deleted on
                             the laptop, edited on the hub"): static text */
    bool correction;      /* an action or outcome corrected on both copies: base, hub and laptop
                             are its versions ("Email of 2021-12-10: words") */
    char base[SYNC_SHOWN], hub[SYNC_SHOWN], laptop[SYNC_SHOWN]; /* "(none)" for no value */
    char typed[SYNC_SHOWN]; /* the current (hub's) value as one would type it: code, YYYY-MM-DD,
                               initials, URN; "" for none */
    char laptop_name[64];
    char at[20];   /* when it was found: "YYYY-MM-DD HH:MM" (UTC) */
    bool can_take; /* sync_resolve accepts take */
    bool can_set;  /* sync_resolve accepts set VALUE */
} sync_conflict_row;

/* The heading of conflict r as the app's conflicts screen and `sync conflicts` show it:
 * "R21-030 · W801200000010 · Date of birth: changed on both copies, found 2026-12-02 16:37"
 * (the row itself, "School URN 100001", where it has no ref or child). As stored: sanitize
 * before printing. */
void sync_conflict_heading(const sync_conflict_row *r, buf *out);

/* A conflict as `sync conflicts` lists it: row as the screen shows it, and value (base, hub,
 * laptop: SPEC section 9's keys of those names) as a script reads it: as stored (numbers as
 * numbers, codes and dates as import writes them, text whole), except where the column holds
 * another row's key: an officer's initials, a school's URN, and each version of an entry
 * corrected on both copies as row shows it. Everything lasts for the call only. */
typedef struct sync_conflict_item {
    const sync_conflict_row *row;
    const char *state;      /* open, resolved */
    const char *resolution; /* keep, take, set; "" while open */
    merge_value value[3];   /* base, hub, laptop */
    const char *shown[3];   /* base, hub, laptop as row shows them, whole (not cut to
                               SYNC_SHOWN); as stored: sanitize before printing */
    const char *typed;      /* row's typed whole (not cut to SYNC_SHOWN) */
} sync_conflict_item;
typedef int (*sync_conflict_item_fn)(void *ctx, const sync_conflict_item *it);
/* Calls fn for the open conflicts (all: resolved ones too), oldest first; stops at fn's first
 * non-zero return and returns it. */
int sync_conflicts_each(store *s, bool all, sync_conflict_item_fn fn, void *ctx);
/* The same for conflict id alone (open or resolved); EXIT_FOUND when there is none. */
int sync_conflict_item_get(store *s, int64_t id, sync_conflict_item_fn fn, void *ctx);

/* Up to limit open conflicts in list order (oldest first) after `from` (NULL: the first ones),
 * or with backward before it (NULL: the last ones), into rows in list order either way; *n of
 * them. Only those rows are read (syncstore_conflict_page). */
int sync_conflicts_page(store *s, const syncstore_conflict_key *from, bool backward, int limit,
                        sync_conflict_row *rows, int *n);

/* The number of changes this copy holds that peer has not acknowledged. */
int sync_unsent(store *s, const syncstore_peer *peer, int64_t *n);

#endif
