/* import_internal.h: what the files of the import share (see import.c for the whole): the kinds'
 * columns, the state of one import and the functions each file gives the others.
 *   import.c          the kinds and their columns, import_text (the two phases)
 *   import_mem.c      the arena the fields are copied into and the hash map of keys
 *   import_problems.c the problems, FILE:LINE: COLUMN: message, grouped when they repeat
 *   import_read.c     reading the header and the records, the progress line
 *   import_check.c    checking each field (by field.h's rules) and each row of each kind
 *   import_child.c    finding the child a row names, in the file and the database
 *   import_write.c    writing the rows, their audit and the scores, in one transaction */
#ifndef CASELOAD_IMPORT_INTERNAL_H
#define CASELOAD_IMPORT_INTERNAL_H

#include "caseload/buf.h"
#include "caseload/codes.h"
#include "caseload/date.h"
#include "caseload/field.h"
#include "caseload/import.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the columns of each kind (SPEC section 6 order) ---- */

enum {
    R_REF,
    R_RECEIVED,
    R_SOURCE,
    R_ISSUE,
    R_OTHER,
    R_PEX,
    R_UPN,
    R_LID,
    R_FIRST,
    R_LAST,
    R_DOB,
    R_GENDER,
    R_URN,
    R_SCHOOL,
    R_CARE,
    R_SEN,
    R_NEED,
    R_YJ,
    R_OFFICER,
    R_STATUS,
    R_CLOSED,
    R_SUMMARY,
    R_N
};
enum { O_REF, O_DATE, O_OUTCOME, O_NOTE, O_N };
enum { A_REF, A_DATE, A_OFFICER, A_KIND, A_NOTE, A_FOLLOW, A_N };
enum { X_UPN, X_LID, X_START, X_CATEGORY, X_DAYS, X_REASON, X_URN, X_N };
enum { T_UPN, T_LID, T_FROM, T_TO, T_POSSIBLE, T_ATTENDED, T_N };
enum { E_UPN, E_LID, E_KIND, E_START, E_END, E_HOURS, E_COUNTY, E_N };
enum {
    C_UPN,
    C_LID,
    C_FIRST,
    C_LAST,
    C_DOB,
    C_GENDER,
    C_URN,
    C_SCHOOL,
    C_CARE,
    C_SEN,
    C_NEED,
    C_YJ,
    C_SWE,
    C_N
};

#define BIT(c) (1u << (c))
typedef struct {
    const char *const *cols;
    size_t n;
    unsigned required;  /* columns the header must name */
    unsigned free_text; /* columns kept as written (not trimmed) */
    unsigned numbers;   /* numbers: not trimmed either, so that " 10" is refused (field.h) */
    bool has_child;     /* identified by upn / la_child_id (columns 0 and 1, or R_UPN/R_LID) */
    const char *table;
} kind_def;

#define MAX_COLS 22

/* ---- an arena for the copied fields (no allocation per row) ---- */

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

typedef struct {
    chunk *head;
} arena;

/* ---- a hash map from byte strings to integers ---- */

typedef struct {
    const char *key; /* in the arena; NULL = empty slot */
    size_t klen;
    uint64_t h;
    int64_t val;
} hent;

typedef struct {
    hent *e;
    size_t cap, n;
} hmap;

/* ---- the state of one import ---- */

typedef struct {
    int64_t id; /* database key; 0 until written when new */
    const char *upn, *lid;
    date_t dob; /* as stored, or as the latest row giving it says; 0 when unknown */
    long line;  /* first line of this file naming the child */
    bool touched;
    bool existed;  /* in the database before this import */
    size_t newest; /* referrals: 1 + the row of its newest referral in the file (0: none) */
} child_slot;

typedef struct {
    long line;
    int child;          /* child slot, or -1 */
    int64_t ref_id;     /* referrals: the existing referral; outcomes/actions: the referral */
    int64_t prev_child; /* referrals: the existing referral's child; outcomes/actions: the
                           referral's child */
    long nth;           /* outcomes/actions: how many equal rows came before in the file */
    bool written;       /* referrals: added or changed */
    bool bad_text;      /* a field is not clean text (reported; the row is not checked further) */
} row_meta;

/* A kind of problem (its message's format and its column) and how often it came: after the first
 * GROUP_SHOWN, the others are counted and told in one line. */
#define GROUP_SHOWN 5
#define MAX_GROUPS 64
typedef struct {
    const char *fmt;
    char col[48], kind[96]; /* kind: why a value was refused (field.h), "" when fmt says it */
    long count, last_line;
} problem_group;

typedef struct {
    store *s;
    import_kind kind;
    unsigned date_flags;   /* FIELD_DMY with --date-format dmy */
    bool allow_duplicates; /* --allow-duplicates */
    /* The database held no child when the import's transaction began (a first import): no row
     * can name a stored child or referral, so none is looked up. */
    bool none_stored;
    date_t today;
    problem_group groups[MAX_GROUPS];
    size_t ngroups;
    const kind_def *def;
    const char *name;
    buf *errors;
    long nerrors;
    int fatal;         /* a store error: stop */
    int col[MAX_COLS]; /* kind column -> field of the header, or -1 */
    size_t nheader;
    arena a;
    const char **vals; /* nrows * def->n */
    row_meta *meta;
    size_t nrows, caprows;
    child_slot *slots;
    size_t nslots, capslots;
    hmap children; /* "U"+upn / "L"+la_child_id -> slot */
    hmap keys;     /* natural keys of the rows of this file -> line or count */
    hmap cache;    /* schools, officers, referrals looked up -> id */
    buf key;       /* scratch */
    buf scratch;
} imp;

static inline const char *V(const imp *m, size_t row, int col)
{
    return m->vals[row * m->def->n + (size_t)col];
}

static inline void setV(imp *m, size_t row, int col, const char *v)
{
    m->vals[row * m->def->n + (size_t)col] = v;
}

/* ---- import_mem.c ---- */

/* realloc that never fails (out of memory: a message and abort). */
void *imp_xrealloc(void *p, size_t n);
/* A copy of the n bytes of s with a NUL, in the arena. */
char *imp_arena_dup(arena *a, const char *s, size_t n);
void imp_arena_free(arena *a);
/* The value stored under k, or NULL. */
int64_t *imp_hmap_get(hmap *m, const char *k, size_t n);
/* Stores val under k unless k is there; returns the value slot (new or existing) and whether it
 * was added (added may be NULL). The key is copied into a. */
int64_t *imp_hmap_put(hmap *m, arena *a, const char *k, size_t n, int64_t val, bool *added);
void imp_hmap_free(hmap *m);

/* ---- import_problems.c ---- */

/* Appends "NAME:LINE: COLUMN: message" (COLUMN left out when NULL) to the errors; the same
 * problem (format, kind and column) only for its first GROUP_SHOWN rows (imp_problems_end counts
 * the rest). */
void imp_problem(imp *m, long line, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A problem of kind `kind`: the kind (a sentence fragment) tells it from others of the same fmt. */
void imp_kproblem(imp *m, long line, const char *col, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* One line for each problem that came more often than was shown. */
void imp_problems_end(imp *m);
/* A value made safe to quote in a message: control characters replaced, at most 40 bytes (in
 * m->scratch: valid until the next call). */
const char *imp_safe(imp *m, const char *v);

/* ---- import_read.c ---- */

/* Reads the header and every record of text, checking each row (imp_check_row). Returns EXIT_OK,
 * EXIT_DATA when a problem was found (in m->errors), or a store error (m->fatal). show: the
 * progress line on standard error. */
int imp_read_and_check(imp *m, const char *text, size_t len, bool show);
/* The progress line: "NAME: what N%" on standard error, when the percentage changed from *last. */
void imp_progress(const imp *m, const char *what, size_t done, size_t total, int *last);
void imp_progress_end(const imp *m);

/* ---- import_check.c ---- */

/* Checks and normalizes row `row` of m's kind (problems reported; m->fatal on a store error). */
void imp_check_row(imp *m, size_t row);

/* ---- import_child.c ---- */

/* Finds the child a row names (columns cu and cl: upn and la_child_id), in the file's earlier rows
 * or the database; when may_create, a child found nowhere gets a new slot. Returns the slot, or
 * -1 (reported; or a store error in m->fatal). */
int imp_resolve_child(imp *m, size_t row, int cu, int cl, bool may_create);
/* A new child (slot: the row's) needs a name and a date of birth (columns cf, cl, cd), and must
 * not look like a child already known (checked when dob_ok). */
void imp_check_new_child(imp *m, size_t row, int slot, int cf, int cl, int cd, bool dob_ok);

/* ---- import_write.c ---- */

/* Inside the transaction: writes every row, the audit rows and the scores; then commits (rolls
 * back on a dry run or a failure). */
int imp_write_all(imp *m, const import_options *o, import_stats *st);

#endif
