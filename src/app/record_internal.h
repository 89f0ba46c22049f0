/* record_internal.h: what the record_*.c files share (record.h is their contract), defined in
 * record_fields.c unless said otherwise. Not for use outside src/app/record*.c.
 *
 * The field checks read one field by its rule (field.h), trimmed, into its stored form (out), or
 * fill *p (which may be NULL) naming the field and return EXIT_DATA. The ends of a change: every
 * write is one transaction begun with rec_begin and ended by rec_end (the audit row of what it
 * wrote, the child's score, commit) or rec_finish (the score and commit, the rows audited
 * already), rec_fail (a store failure: roll back, keep the store's message), rec_refuse (a check
 * that failed inside the transaction: roll back) or rec_conflict. */
#ifndef CASELOAD_RECORD_INTERNAL_H
#define CASELOAD_RECORD_INTERNAL_H

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/edit.h"
#include "caseload/field.h"
#include "caseload/record.h"

/* Fills *p with field and the message; returns EXIT_DATA. */
int rec_problem(record_problem *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A store failure: the message of store_error, no field; returns rc. */
int rec_store_problem(store *s, record_problem *p, int rc);
/* Empties *p (may be NULL). */
void rec_clear(record_problem *p);
/* Copies s (NULL: "") without leading and trailing blanks into out (n bytes); false when it does
 * not fit. */
bool rec_trim(const char *s, char *out, size_t n);

/* A text field: clean UTF-8 (newlines and tabs only in a note or summary), at most n-1 bytes. */
int rec_text_field(const char *field, const char *s, char *out, size_t n, bool required,
                   record_problem *p);
/* A date (YYYY-MM-DD or DD/MM/YYYY) into out[11]; "" stays "" unless required, or takes dflt
 * when dflt is given. */
int rec_date_field(const char *field, const char *s, char out[11], bool required,
                   const date_t *dflt, record_problem *p);
/* The date out[11] (a rec_date_field) of something that happened: not after as_of. */
int rec_past_field(const char *field, const char *out, date_t as_of, record_problem *p);
/* The date out[11] (a rec_date_field; "" passes) not before the date first (YYYY-MM-DD; ""
 * unknown passes), which field_date_from calls name (FIELD_FROM_BIRTH, ...). */
int rec_from_field(const char *field, const char *out, const char *first, const char *name,
                   record_problem *p);
/* The problem of the n bytes of s, not a code of list l, in field_code_why's words. */
int rec_code_problem(record_problem *p, const char *field, codes_list l, const char *s, size_t n);
/* A code of list l into out (n bytes; the canonical code, aliases resolved). */
int rec_code_field(codes_list l, const char *s, char *out, size_t n, bool required,
                   record_problem *p);
/* A kind of action (field_action_kind: a word, kept lower case). */
int rec_kind_field(const char *s, char out[FIELD_KIND_MAX + 1], record_problem *p);
/* A number field read by rule (field_days, field_hours: "" is unknown, *out = -1). */
int rec_number_field(const char *field, const char *s,
                     bool (*rule)(const char *, size_t, double *, char *), bool required,
                     double *out, record_problem *p);
/* A number of sessions (field_sessions), required. */
int rec_sessions_field(const char *field, const char *s, long *out, record_problem *p);
/* Officer initials into out[16], or "" for none; initials stored already are kept as they are. */
int rec_officer_field(store *db, const char *s, char out[16], record_problem *p);

/* What a change wrote, for its audit row (rec_end). */
typedef struct rec_wrote {
    const char *action; /* the audit's action: "insert", "update", "close", ... */
    const char *table;
    int64_t row_id;
    const char *detail; /* the fields it changed, or NULL */
    int64_t child_id;   /* the child whose score the change may move */
    bool child_log;     /* a fact of the child's: the audit row shows in the child's access log */
} rec_wrote;

/* Begins a change (store_begin); a failure is the store's message. */
int rec_begin(store *s, record_problem *p);
/* Ends a change that wrote *w: its audit row, then rec_finish; *id = w->row_id when committed (id
 * may be NULL). On a failure, rolled back. */
int rec_end(store *s, const config *cfg, date_t as_of, const rec_wrote *w, int64_t *id,
            record_problem *p);
/* Rolls back and returns rc with the store's message. */
int rec_fail(store *s, record_problem *p, int rc);
/* Ends a change: the score of child_id, then commit. */
int rec_finish(store *s, const config *cfg, date_t as_of, int64_t child_id, record_problem *p);
/* Rolls back a check that failed inside the transaction; returns rc. */
int rec_refuse(store *s, int rc);
/* A field the save would change that another program changed since the form opened (SPEC
 * section 8): rolls back, says the three values, marks p->conflict; returns EXIT_DATA. */
int rec_conflict(store *s, record_problem *p, const char *field, const char *now,
                 const char *opened, const char *yours);
/* Empties *p, then reads referral id into *r, or says it does not exist (EXIT_DATA). */
int rec_get_referral(store *s, int64_t id, edit_referral *r, record_problem *p);
/* Empties *p, then reads child id into *c, or says it does not exist (EXIT_DATA). */
int rec_get_child(store *s, int64_t id, browse_child *c, record_problem *p);

/* record_events.c: appends the reopening of closed referral r on as_of by initials (NULL or "":
 * none) for reason, audited; inside the caller's transaction. */
int rec_reopening(store *s, date_t as_of, const edit_referral *r, const char *initials,
                  const char *reason);

#endif
