/* protect: what a user can do about children's data (SPEC section 10): review the children due
 * under the retention rules, purge them (one transaction; a tombstone left), gather everything
 * about one child for a subject access request, and record each look at a child's data in the
 * access log. Shared by the command line and the full-screen app. Messages never name a child. */
#ifndef CASELOAD_PROTECT_H
#define CASELOAD_PROTECT_H

#include "caseload/buf.h"
#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/retention.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A child's standing under the retention rules as of a date. */
typedef struct protect_due {
    int64_t id;
    char upn[14];         /* "" when none */
    char la_child_id[64]; /* "" when none */
    retention_cohort_t cohort;
    retention_rule
        rule;    /* the first rule reached (or to be reached); RULE_NONE when none applies */
    char on[11]; /* the date of that rule, "" when none */
    bool held;   /* named in retention.holds */
    bool due;    /* rule reached on or before the date, and not held */
} protect_due;

/* The child's standing (EXIT_FOUND when there is no such child). */
int protect_check(store *s, const config *cfg, date_t as_of, int64_t child_id, protect_due *out);
/* The children due as of as_of, ordered by UPN then LA child id, into *out (malloc'd; free it),
 * *n of them; *held (may be NULL) counts the children a rule reached but a hold keeps. With
 * with_held, those held children are listed too, in the same order (held true, due false), so a
 * screen can show why they are not purged. */
int protect_review(store *s, const config *cfg, date_t as_of, bool with_held, protect_due **out,
                   size_t *n, size_t *held);

/* Erases the children ids[0..n-1] in ONE transaction (privacy_purge, then the search index
 * rewritten) and then empties the write-ahead log. Each must be due as of as_of — or, with
 * request, be erased on request (rule 'request') — and never held; reason must be given and may
 * not hold the child's first or last name or UPN; the officer of the store must be known. When
 * any child is refused nothing is erased: EXIT_FOUND with the message in err naming the child by
 * its place in ids (1 for the first). On success *wal_emptied tells whether the log could be
 * emptied at once (another program reading the database may hold it). Returns EXIT_OK,
 * EXIT_FOUND, EXIT_USAGE (no known officer, no reason, a reason naming the child), EXIT_BUSY or
 * EXIT_IO (err then holds store_error()). */
int protect_purge(store *s, const config *cfg, date_t as_of, const int64_t *ids, size_t n,
                  bool request, const char *reason, bool *wal_emptied, char *err, size_t errn);
/* The checks of protect_purge alone (nothing written): EXIT_OK when it would go ahead, else the
 * code and message it would give. For a screen that asks for the reason before confirming. */
int protect_purge_check(store *s, const config *cfg, date_t as_of, const int64_t *ids, size_t n,
                        bool request, const char *reason, char *err, size_t errn);

/* Records in the access log (store_access) that the officer looked at something of one child:
 * action "view" (a child's or referral's screen), "score", "export", with the table and row
 * shown. On a read-only database nothing can be recorded: EXIT_OK (the look is allowed; a subject
 * access request, which must be recorded, calls store_access itself). */
int protect_access(store *s, const char *action, const char *table, int64_t row_id,
                   int64_t child_id, const char *detail);

enum { PROTECT_SAR_MD, PROTECT_SAR_JSON };
/* Everything held about the child as of as_of, into out: details, referrals with their actions
 * and outcomes, events (exclusions, attendance, episodes), the score now with its factors, the
 * open conflicts when the database has a conflicts table, the tombstone-free access log — as a
 * Markdown timeline or one JSON object (keys in caseload(1)). Reads only. */
int protect_sar(store *s, const config *cfg, date_t as_of, int64_t child_id, int format, buf *out);
/* The subject access request as `caseload sar` and the child view make it: protect_sar written to
 * path as exports are (outfile.h: 0600, whole or not at all; a file that exists is replaced only
 * with replace), then recorded in the access log (store_access "sar" of the child, the format,
 * "md" or "json", as its detail); a request that cannot be recorded is not kept: the file is
 * removed. Needs a known officer. Returns EXIT_OK with the file's full path in written (wn
 * bytes), else EXIT_USAGE (no known officer, the file exists), EXIT_FOUND (no such child),
 * EXIT_BUSY or EXIT_IO, with the message in err (errn bytes; never naming the child). */
int protect_sar_write(store *s, const config *cfg, date_t as_of, int64_t child_id, int format,
                      const char *path, bool replace, char *written, size_t wn, char *err,
                      size_t errn);

#endif
