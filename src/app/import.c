/* import.c: reading the CSV files of SPEC section 6 into the database, all or nothing.
 *
 * Two phases. Checking reads every record, copies its fields into an arena, checks and normalizes
 * them (codes to their canonical word, UPNs upper case), resolves children and referrals against
 * the database and the earlier rows of the file, and collects every problem. Only when there is
 * none does writing start: one transaction, statements prepared once (store_stmt), lookups of
 * schools and officers cached, one audit row, and the scores of the children touched. */
#include "caseload/import.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/csv.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/name.h"
#include "caseload/records.h"
#include "caseload/scoring.h"
#include "caseload/text.h"
#include "caseload/upn.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the kinds and their columns (SPEC section 6 order) ---- */

static const char *const kind_names[KIND_COUNT] = {
    "referrals", "outcomes", "actions", "exclusions", "attendance", "episodes", "children",
};

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
static const char *const referral_cols[] = {
    "ref",        "received",    "source",      "issue",     "other_issues", "pex_risk",
    "upn",        "la_child_id", "first_name",  "last_name", "dob",          "gender",
    "school_urn", "school_name", "care_status", "sen",       "sen_need",     "youth_justice",
    "officer",    "status",      "closed",      "summary",
};
enum { O_REF, O_DATE, O_OUTCOME, O_NOTE, O_N };
static const char *const outcome_cols[] = {"ref", "date", "outcome", "note"};
enum { A_REF, A_DATE, A_OFFICER, A_KIND, A_NOTE, A_FOLLOW, A_N };
static const char *const action_cols[] = {"ref", "date", "officer", "kind", "note", "follow_up"};
enum { X_UPN, X_LID, X_START, X_CATEGORY, X_DAYS, X_REASON, X_URN, X_N };
static const char *const exclusion_cols[] = {"upn",  "la_child_id", "start",     "category",
                                             "days", "reason",      "school_urn"};
enum { T_UPN, T_LID, T_FROM, T_TO, T_POSSIBLE, T_ATTENDED, T_N };
static const char *const attendance_cols[] = {"upn", "la_child_id",       "from",
                                              "to",  "possible_sessions", "attended_sessions"};
enum { E_UPN, E_LID, E_KIND, E_START, E_END, E_HOURS, E_COUNTY, E_N };
static const char *const episode_cols[] = {"upn", "la_child_id",    "kind",     "start",
                                           "end", "hours_per_week", "in_county"};
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
static const char *const child_cols[] = {
    "upn",      "la_child_id",   "first_name",        "last_name",   "dob",
    "gender",   "school_urn",    "school_name",       "care_status", "sen",
    "sen_need", "youth_justice", "social_work_ended",
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

static const kind_def kinds[KIND_COUNT] = {
    [KIND_REFERRALS] = {referral_cols, R_N,
                        BIT(R_REF) | BIT(R_RECEIVED) | BIT(R_SOURCE) | BIT(R_ISSUE) | BIT(R_CARE) |
                            BIT(R_SEN),
                        BIT(R_SUMMARY), 0, true, "referrals"},
    [KIND_OUTCOMES] = {outcome_cols, O_N, BIT(O_REF) | BIT(O_DATE) | BIT(O_OUTCOME), BIT(O_NOTE), 0,
                       false, "outcomes"},
    [KIND_ACTIONS] = {action_cols, A_N, BIT(A_REF) | BIT(A_DATE) | BIT(A_KIND), BIT(A_NOTE), 0,
                      false, "actions"},
    [KIND_EXCLUSIONS] = {exclusion_cols, X_N, BIT(X_START) | BIT(X_CATEGORY), 0, BIT(X_DAYS), true,
                         "exclusions"},
    [KIND_ATTENDANCE] = {attendance_cols, T_N,
                         BIT(T_FROM) | BIT(T_TO) | BIT(T_POSSIBLE) | BIT(T_ATTENDED), 0,
                         BIT(T_POSSIBLE) | BIT(T_ATTENDED), true, "attendance"},
    [KIND_EPISODES] = {episode_cols, E_N, BIT(E_KIND) | BIT(E_START), 0, BIT(E_HOURS), true,
                       "episodes"},
    [KIND_CHILDREN] = {child_cols, C_N, 0, 0, 0, true, "children"},
};

#define MAX_COLS 22

int import_kind_find(const char *name)
{
    for (int k = 0; k < KIND_COUNT; k++)
        if (name && strcmp(name, kind_names[k]) == 0) return k;
    return -1;
}

const char *import_kind_name(import_kind k)
{
    return (unsigned)k < KIND_COUNT ? kind_names[k] : NULL;
}

const char *const *import_columns(import_kind k, size_t *n)
{
    if ((unsigned)k >= KIND_COUNT) {
        *n = 0;
        return NULL;
    }
    *n = kinds[k].n;
    return kinds[k].cols;
}

/* ---- an arena for the copied fields (no allocation per row) ---- */

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

typedef struct {
    chunk *head;
} arena;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("caseload: out of memory\n", stderr);
        abort();
    }
    return q;
}

static char *arena_dup(arena *a, const char *s, size_t n)
{
    if (!a->head || a->head->cap - a->head->used < n + 1) {
        size_t cap = n + 1 > (1u << 20) ? n + 1 : (1u << 20);
        chunk *c = xrealloc(NULL, sizeof *c + cap);
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    char *p = a->head->data + a->head->used;
    memcpy(p, s, n);
    p[n] = '\0';
    a->head->used += n + 1;
    return p;
}

static void arena_free(arena *a)
{
    while (a->head) {
        chunk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

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

static uint64_t hash_bytes(const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)k[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}

static hent *hmap_slot(hmap *m, const char *k, size_t n, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        hent *e = &m->e[i];
        if (!e->key || (e->h == h && e->klen == n && memcmp(e->key, k, n) == 0)) return e;
    }
}

/* The value stored under k, or NULL. */
static int64_t *hmap_get(hmap *m, const char *k, size_t n)
{
    if (!m->cap) return NULL;
    hent *e = hmap_slot(m, k, n, hash_bytes(k, n));
    return e->key ? &e->val : NULL;
}

/* Stores val under k unless k is there; returns the value slot (new or existing) and whether it
 * was added. */
static int64_t *hmap_put(hmap *m, arena *a, const char *k, size_t n, int64_t val, bool *added)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        hent *old = m->e;
        size_t oldcap = m->cap;
        m->e = xrealloc(NULL, cap * sizeof *m->e);
        memset(m->e, 0, cap * sizeof *m->e);
        m->cap = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].key) *hmap_slot(m, old[i].key, old[i].klen, old[i].h) = old[i];
        free(old);
    }
    uint64_t h = hash_bytes(k, n);
    hent *e = hmap_slot(m, k, n, h);
    if (e->key) {
        if (added) *added = false;
        return &e->val;
    }
    e->key = arena_dup(a, k, n);
    e->klen = n;
    e->h = h;
    e->val = val;
    m->n++;
    if (added) *added = true;
    return &e->val;
}

static void hmap_free(hmap *m)
{
    free(m->e);
    m->e = NULL;
    m->cap = m->n = 0;
}

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

static const char *V(const imp *m, size_t row, int col)
{
    return m->vals[row * m->def->n + (size_t)col];
}

static void setV(imp *m, size_t row, int col, const char *v)
{
    m->vals[row * m->def->n + (size_t)col] = v;
}

/* The group of a problem; NULL when there are too many kinds to count. */
static problem_group *group_of(imp *m, const char *col, const char *fmt, const char *kind)
{
    const char *c = col ? col : "", *k = kind ? kind : "";
    for (size_t i = 0; i < m->ngroups; i++) {
        problem_group *g = &m->groups[i];
        if (g->fmt == fmt && strcmp(g->col, c) == 0 && strncmp(g->kind, k, sizeof g->kind - 1) == 0)
            return g;
    }
    if (m->ngroups == MAX_GROUPS) return NULL;
    problem_group *g = &m->groups[m->ngroups++];
    g->fmt = fmt;
    snprintf(g->col, sizeof g->col, "%s", c);
    snprintf(g->kind, sizeof g->kind, "%s", k);
    g->count = 0;
    return g;
}

/* Appends "NAME:LINE: COLUMN: message" (COLUMN left out when NULL) to the errors; the same
 * problem (format, kind and column) only for its first GROUP_SHOWN rows (problems_end counts the
 * rest). */
static void vproblem(imp *m, long line, const char *col, const char *kind, const char *fmt,
                     va_list ap)
{
    m->nerrors++;
    problem_group *g = group_of(m, col, fmt, kind);
    if (g && g->count++ >= GROUP_SHOWN) {
        g->last_line = line;
        return;
    }
    buf_printf(m->errors, "%s:%ld: ", m->name, line);
    if (col) buf_printf(m->errors, "%s: ", col);
    buf_vprintf(m->errors, fmt, ap);
    buf_putc(m->errors, '\n');
}

static void problem(imp *m, long line, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void problem(imp *m, long line, const char *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(m, line, col, NULL, fmt, ap);
    va_end(ap);
}

/* A problem of kind `kind`: the kind (a sentence fragment) tells it from others of the same fmt. */
static void kproblem(imp *m, long line, const char *col, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void kproblem(imp *m, long line, const char *col, const char *kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(m, line, col, kind, fmt, ap);
    va_end(ap);
}

/* One line for each problem that came more often than was shown. */
static void problems_end(imp *m)
{
    for (size_t i = 0; i < m->ngroups; i++) {
        const problem_group *g = &m->groups[i];
        if (g->count <= GROUP_SHOWN) continue;
        buf_printf(m->errors, "%s: %s%sthe same problem on %ld more rows (the last on line %ld)\n",
                   m->name, g->col, *g->col ? ": " : "", g->count - GROUP_SHOWN, g->last_line);
    }
}

/* A value made safe to quote in a message: control characters replaced, at most 40 bytes. */
static const char *safe(imp *m, const char *v)
{
    buf_reset(&m->scratch);
    size_t n = strlen(v);
    bool cut = false;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
        cut = true;
    }
    text_sanitize_n(&m->scratch, v, n);
    if (cut) buf_puts(&m->scratch, "...");
    return buf_str(&m->scratch);
}

/* ---- did you mean ---- */

/* Appends " (did you mean 'x'?)" for the closest of the n words, or " (one of: a, b, ...)". */
static void suggest(buf *out, const char *got, const char *const *words, size_t n)
{
    const char *best = text_closest(got, strlen(got), words, n);
    if (best) {
        buf_printf(out, " (did you mean '%s'?)", best);
        return;
    }
    buf_puts(out, " (one of: ");
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%s%s", i ? ", " : "", words[i]);
    buf_putc(out, ')');
}

/* ---- checking one field (the rules are field.h's) ---- */

static bool check_required(imp *m, size_t row, int col)
{
    if (V(m, row, col)) return true;
    problem(m, m->meta[row].line, m->def->cols[col], "required but empty");
    return false;
}

/* A value refused for the reason why (field.h). Rows are grouped by the reason without what it
 * says in brackets ("is before received (2023-09-12)" is one problem whatever the date). */
static void refused(imp *m, size_t row, int col, const char *why)
{
    char kind[64];
    size_t k = strcspn(why, "(:");
    if (k >= sizeof kind) k = sizeof kind - 1;
    memcpy(kind, why, k);
    kind[k] = '\0';
    kproblem(m, m->meta[row].line, m->def->cols[col], kind, "'%s' %s", safe(m, V(m, row, col)),
             why);
}

/* A date column: 1 with *d when it holds a date (rewritten YYYY-MM-DD), 0 when empty, -1 when
 * not a plausible date (reported). */
static int check_date(imp *m, size_t row, int col, date_t *d)
{
    const char *v = V(m, row, col);
    if (!v) return 0;
    char why[FIELD_WHY];
    size_t n = strlen(v);
    if (!field_date(v, n, m->date_flags, d, why)) {
        refused(m, row, col, why);
        return -1;
    }
    if (n != 10 || v[4] != '-') {
        char t[11];
        date_format(*d, t);
        setV(m, row, col, arena_dup(&m->a, t, 10));
    }
    return 1;
}

/* A required date: whether it is there and a date (reported when not). */
static bool need_date(imp *m, size_t row, int col, date_t *d)
{
    return check_required(m, row, col) && check_date(m, row, col, d) > 0;
}

/* A date of something that happened: not after today (reported). */
static bool check_past(imp *m, size_t row, int col, date_t d)
{
    char why[FIELD_WHY];
    if (field_date_past(d, m->today, why)) return true;
    refused(m, row, col, why);
    return false;
}

/* d of column col is not before first, the date called name (reported). */
static bool check_after(imp *m, size_t row, int col, date_t d, const char *name, date_t first)
{
    char why[FIELD_WHY];
    if (field_date_from(d, first, name, why)) return true;
    refused(m, row, col, why);
    return false;
}

/* d of column col is not before first, the date of column first_col (reported). */
static bool check_from(imp *m, size_t row, int col, date_t d, int first_col, date_t first)
{
    return check_after(m, row, col, d, m->def->cols[first_col], first);
}

/* A date of the child's life (d of column col): not before the child was born, when that is known
 * (reported). */
static bool check_born(imp *m, size_t row, int col, date_t d, int slot)
{
    if (slot < 0 || !m->slots[slot].dob) return true;
    return check_after(m, row, col, d, "the child's date of birth", m->slots[slot].dob);
}

/* A required date of something that happened: there, a date and not after today (reported). */
static bool need_past(imp *m, size_t row, int col, date_t *d)
{
    return need_date(m, row, col, d) && check_past(m, row, col, *d);
}

static void unknown_code(imp *m, long line, const char *col, codes_list l, const char *v)
{
    buf msg = BUF_INIT;
    buf_printf(&msg, "unknown %s '%s'", codes_list_name(l), safe(m, v));
    field_code_hint(l, v, strlen(v), &msg);
    kproblem(m, line, col, "unknown", "%s", buf_str(&msg));
    buf_free(&msg);
}

/* Checks a code and replaces it by its canonical word. Returns false on a bad code. */
static bool check_code(imp *m, size_t row, int col, codes_list l)
{
    const char *v = V(m, row, col);
    if (!v) return true;
    int i = field_code(l, v, strlen(v));
    if (i < 0) {
        unknown_code(m, m->meta[row].line, m->def->cols[col], l, v);
        return false;
    }
    setV(m, row, col, codes_code(l, (size_t)i));
    return true;
}

/* A flag, rewritten yes or no: returns 1, 0, -1 when empty, -2 when bad (reported). */
static int check_flag(imp *m, size_t row, int col)
{
    const char *v = V(m, row, col);
    if (!v) return -1;
    int f = field_flag(v, strlen(v));
    if (f >= 0) {
        setV(m, row, col, f ? "yes" : "no");
        return f;
    }
    problem(m, m->meta[row].line, m->def->cols[col],
            "'%s' is not a flag (yes or no; also Y/N, true/false)", safe(m, v));
    return -2;
}

/* A kind of action, rewritten lower case with '_'. */
static bool check_action_kind(imp *m, size_t row, int col)
{
    const char *v = V(m, row, col);
    char out[FIELD_KIND_MAX + 1], why[FIELD_WHY];
    size_t n = strlen(v);
    if (!field_action_kind(v, n, out, why)) {
        refused(m, row, col, why);
        return false;
    }
    if (memcmp(out, v, n) != 0) setV(m, row, col, arena_dup(&m->a, out, n));
    return true;
}

/* Officer initials, rewritten upper case. */
static void check_initials(imp *m, size_t row, int col)
{
    const char *v = V(m, row, col);
    if (!v) return;
    char out[FIELD_INITIALS_MAX + 1], why[FIELD_WHY];
    size_t n = strlen(v);
    if (!field_initials(v, n, out, why)) {
        refused(m, row, col, why);
        return;
    }
    if (memcmp(out, v, n) != 0) setV(m, row, col, arena_dup(&m->a, out, n));
}

static bool check_upn(imp *m, size_t row, int col)
{
    const char *v = V(m, row, col);
    if (!v) return true;
    char norm[14];
    const char *reason = NULL;
    if (upn_check(v, norm, &reason) == UPN_INVALID) {
        problem(m, m->meta[row].line, m->def->cols[col], "invalid UPN '%s': %s", safe(m, v),
                reason ? reason : "not a UPN");
        return false;
    }
    setV(m, row, col, strcmp(norm, v) == 0 ? v : arena_dup(&m->a, norm, strlen(norm)));
    return true;
}

/* ---- children ---- */

static int new_slot(imp *m, int64_t id, const char *upn, const char *lid, long line)
{
    if (m->nslots == m->capslots) {
        m->capslots = m->capslots ? 2 * m->capslots : 1024;
        m->slots = xrealloc(m->slots, m->capslots * sizeof *m->slots);
    }
    child_slot *c = &m->slots[m->nslots];
    memset(c, 0, sizeof *c);
    c->id = id;
    c->upn = upn;
    c->lid = lid;
    c->line = line;
    return (int)m->nslots++;
}

static int64_t *child_key(imp *m, char tag, const char *v, bool put, int64_t slot)
{
    buf_reset(&m->key);
    buf_putc(&m->key, tag);
    buf_puts(&m->key, v);
    if (put) return hmap_put(&m->children, &m->a, m->key.data, m->key.len, slot, NULL);
    return hmap_get(&m->children, m->key.data, m->key.len);
}

/* The slot of a child found in the database (registering its keys). */
static int db_slot(imp *m, const records_child_key *k, long line)
{
    const char *upn = k->upn[0] ? arena_dup(&m->a, k->upn, strlen(k->upn)) : NULL;
    const char *lid =
        k->la_child_id[0] ? arena_dup(&m->a, k->la_child_id, strlen(k->la_child_id)) : NULL;
    int slot = new_slot(m, k->id, upn, lid, line);
    m->slots[slot].existed = true;
    date_t dob;
    if (date_parse(k->dob, strlen(k->dob), &dob)) m->slots[slot].dob = dob;
    if (upn) child_key(m, 'U', upn, true, slot);
    if (lid) child_key(m, 'L', lid, true, slot);
    return slot;
}

/* Finds the child a row names, in the file's earlier rows or the database; when may_create, a
 * child found nowhere gets a new slot. Returns the slot, or -1 (reported; or a store error in
 * m->fatal). updates: the row may set the child's la_child_id. */
static int resolve_child(imp *m, size_t row, int cu, int cl, bool may_create)
{
    const char *upn = V(m, row, cu), *lid = V(m, row, cl);
    long line = m->meta[row].line;
    const char *ucol = m->def->cols[cu], *lcol = m->def->cols[cl];
    if (!upn && !lid) {
        problem(m, line, ucol, "needs upn or la_child_id");
        return -1;
    }
    int slot = -1;
    int64_t *p;
    records_child_key k;
    bool lid_free = false; /* looked up: no child in the database has it */
    if (upn && (p = child_key(m, 'U', upn, false, 0))) slot = (int)*p;
    if (slot < 0 && upn) {
        if ((m->fatal = records_child_find(m->s, upn, NULL, &k))) return -1;
        if (k.id) slot = db_slot(m, &k, line);
    }
    if (slot < 0 && lid) {
        if ((p = child_key(m, 'L', lid, false, 0))) {
            slot = (int)*p;
        } else {
            if ((m->fatal = records_child_find(m->s, NULL, lid, &k))) return -1;
            if (k.id) slot = db_slot(m, &k, line);
            lid_free = !k.id;
        }
        if (slot >= 0 && upn && m->slots[slot].upn && strcmp(m->slots[slot].upn, upn) != 0) {
            problem(m, line, lcol, "la_child_id '%s' belongs to a child with another UPN",
                    safe(m, lid));
            return -1;
        }
    }
    if (slot < 0) {
        if (!may_create) {
            if (upn)
                problem(m, line, ucol,
                        "no child with UPN '%s' in the database or earlier in the file",
                        safe(m, upn));
            else
                problem(m, line, lcol,
                        "no child with la_child_id '%s' in the database or earlier in the file",
                        safe(m, lid));
            return -1;
        }
        slot = new_slot(m, 0, NULL, NULL, line);
    }
    child_slot *c = &m->slots[slot];
    if (!may_create) return slot; /* events only name the child */
    if (upn && !c->upn) {
        c->upn = upn;
        child_key(m, 'U', upn, true, slot);
    }
    if (lid && (!c->lid || strcmp(c->lid, lid) != 0)) {
        /* The row gives the child a la_child_id: it must not be another child's. */
        p = child_key(m, 'L', lid, false, 0);
        if (p && *p != slot) {
            problem(m, line, lcol, "la_child_id '%s' belongs to another child (line %ld)",
                    safe(m, lid), m->slots[*p].line);
            return -1;
        }
        if (!p && !lid_free) {
            if ((m->fatal = records_child_find(m->s, NULL, lid, &k))) return -1;
            if (k.id && k.id != c->id) {
                problem(m, line, lcol, "la_child_id '%s' belongs to another child in the database",
                        safe(m, lid));
                return -1;
            }
        }
        c->lid = lid;
        child_key(m, 'L', lid, true, slot);
    }
    return slot;
}

/* A child already in the database with the same first name, last name and date of birth as the
 * new child of a row (a child known by another UPN or LA id, perhaps after a spreadsheet dropped
 * a leading zero): an error unless --allow-duplicates. */
static void check_duplicate(imp *m, size_t row, int cf, int cl, int cd)
{
    const char *first = V(m, row, cf), *last = V(m, row, cl), *dob = V(m, row, cd);
    browse_child same[32];
    int n = 0;
    if ((m->fatal = browse_child_born(m->s, dob, same, 32, &n))) return;
    for (int i = 0; i < n; i++) {
        if (name_match(first, last, same[i].first_name, same[i].last_name) != NAME_SAME) continue;
        buf who = BUF_INIT;
        if (same[i].upn[0]) buf_printf(&who, "UPN %s", same[i].upn);
        if (same[i].la_child_id[0])
            buf_printf(&who, "%sLA child id %s", same[i].upn[0] ? ", " : "",
                       safe(m, same[i].la_child_id));
        problem(m, m->meta[row].line, NULL,
                "possible duplicate of the child with %s in the database (same first name, last "
                "name and date of birth); use that child's UPN or LA child id, or import with "
                "--allow-duplicates if they are two children",
                buf_str(&who));
        buf_free(&who);
        return;
    }
}

/* A new child needs a name and a date of birth, and must not look like a child already known. */
static void check_new_child(imp *m, size_t row, int slot, int cf, int cl, int cd, bool dob_ok)
{
    /* Only the row that creates the child (the first row of the file naming it) needs them. */
    if (slot < 0 || m->slots[slot].id || m->slots[slot].line != m->meta[row].line) return;
    int cols[3] = {cf, cl, cd};
    bool all = true;
    for (int i = 0; i < 3; i++) {
        if (!V(m, row, cols[i])) {
            problem(m, m->meta[row].line, m->def->cols[cols[i]], "required for a new child");
            all = false;
        }
    }
    if (all && dob_ok && !m->allow_duplicates) check_duplicate(m, row, cf, cl, cd);
}

/* A date of birth: plausible and not after today. Returns whether it is there and good (*dob). */
static bool check_dob(imp *m, size_t row, int col, date_t *dob)
{
    return check_date(m, row, col, dob) > 0 && check_past(m, row, col, *dob);
}

/* The child of a row gave its date of birth: later rows' dates of its life are checked against
 * it. */
static void slot_born(imp *m, int slot, bool dob_ok, date_t dob)
{
    if (slot >= 0 && dob_ok) m->slots[slot].dob = dob;
}

/* A natural key seen twice in the file: reports it and returns false. */
static bool unique_key(imp *m, size_t row, const char *what)
{
    bool added;
    int64_t *first = hmap_put(&m->keys, &m->a, m->key.data, m->key.len, m->meta[row].line, &added);
    if (added) return true;
    problem(m, m->meta[row].line, NULL, "the same %s as line %ld", what, (long)*first);
    return false;
}

/* ---- checking one row of each kind ---- */

/* Other issues (field_codes), rewritten as stored: the first item that is not an issue is
 * reported. */
static void check_other_issues(imp *m, size_t row)
{
    const char *v = V(m, row, R_OTHER), *bad;
    if (!v) return;
    buf out = BUF_INIT;
    size_t badn;
    if (field_codes(CODES_ISSUE, v, strlen(v), &out, &bad, &badn))
        setV(m, row, R_OTHER, out.len ? arena_dup(&m->a, out.data, out.len) : NULL);
    else
        unknown_code(m, m->meta[row].line, "other_issues", CODES_ISSUE,
                     arena_dup(&m->a, bad, badn));
    buf_free(&out);
}

static void check_referral(imp *m, size_t row)
{
    long line = m->meta[row].line;
    const char *ref = V(m, row, R_REF);
    if (check_required(m, row, R_REF)) {
        buf_reset(&m->key);
        buf_printf(&m->key, "%s", ref);
        bool added;
        int64_t *first = hmap_put(&m->keys, &m->a, m->key.data, m->key.len, line, &added);
        if (!added)
            problem(m, line, "ref", "'%s' is repeated (first on line %ld)", safe(m, ref),
                    (long)*first);
        if ((m->fatal =
                 records_referral_find(m->s, ref, &m->meta[row].ref_id, &m->meta[row].prev_child)))
            return;
    }
    date_t received = 0, closed_d = 0, dob = 0;
    bool received_ok = need_past(m, row, R_RECEIVED, &received);
    if (check_required(m, row, R_SOURCE)) check_code(m, row, R_SOURCE, CODES_SOURCE);
    if (check_required(m, row, R_ISSUE)) check_code(m, row, R_ISSUE, CODES_ISSUE);
    check_other_issues(m, row);
    check_flag(m, row, R_PEX);
    bool upn_ok = check_upn(m, row, R_UPN);
    bool dob_ok = check_dob(m, row, R_DOB, &dob);
    check_code(m, row, R_GENDER, CODES_GENDER);
    if (check_required(m, row, R_CARE)) check_code(m, row, R_CARE, CODES_CARE_STATUS);
    if (check_required(m, row, R_SEN)) check_code(m, row, R_SEN, CODES_SEN);
    check_code(m, row, R_NEED, CODES_SEN_NEED);
    check_flag(m, row, R_YJ);
    check_initials(m, row, R_OFFICER);
    bool status_ok = check_code(m, row, R_STATUS, CODES_STATUS);
    int closed_rc = check_date(m, row, R_CLOSED, &closed_d);
    const char *status = V(m, row, R_STATUS), *closed = V(m, row, R_CLOSED);
    bool is_closed = status && strcmp(status, "closed") == 0;
    if (status_ok && is_closed && !closed)
        problem(m, line, "closed", "required when status is 'closed'");
    if (status_ok && !is_closed && closed)
        problem(m, line, "closed", "a closed date needs status 'closed' (status is '%s')",
                status ? status : "new");
    if (closed_rc > 0 && check_past(m, row, R_CLOSED, closed_d) && received_ok)
        check_from(m, row, R_CLOSED, closed_d, R_RECEIVED, received);
    if (!upn_ok) return;
    int slot = resolve_child(m, row, R_UPN, R_LID, true);
    m->meta[row].child = slot;
    check_new_child(m, row, slot, R_FIRST, R_LAST, R_DOB, dob_ok);
    slot_born(m, slot, dob_ok, dob);
    /* A child is born on or before the referral is received. */
    if (received_ok) received_ok = check_born(m, row, R_RECEIVED, received, slot);
    if (slot >= 0 && received_ok && ref) {
        /* The child's newest referral in the file: latest received, then greatest ref. */
        child_slot *c = &m->slots[slot];
        int cmp = 1;
        if (c->newest) {
            cmp = strcmp(V(m, row, R_RECEIVED), V(m, c->newest - 1, R_RECEIVED));
            if (cmp == 0) cmp = strcmp(ref, V(m, c->newest - 1, R_REF));
        }
        if (cmp > 0) c->newest = row + 1;
    }
}

static void check_child_row(imp *m, size_t row)
{
    bool upn_ok = check_upn(m, row, C_UPN);
    date_t dob = 0, ended = 0;
    bool dob_ok = check_dob(m, row, C_DOB, &dob);
    check_code(m, row, C_GENDER, CODES_GENDER);
    check_code(m, row, C_CARE, CODES_CARE_STATUS);
    check_code(m, row, C_SEN, CODES_SEN);
    check_code(m, row, C_NEED, CODES_SEN_NEED);
    check_flag(m, row, C_YJ);
    bool ended_ok = check_date(m, row, C_SWE, &ended) > 0 && check_past(m, row, C_SWE, ended);
    if (!upn_ok) return;
    size_t before = m->nslots;
    int slot = resolve_child(m, row, C_UPN, C_LID, true);
    m->meta[row].child = slot;
    if (slot < 0) return;
    if ((size_t)slot < before && m->slots[slot].line != m->meta[row].line) {
        /* Named already: by an earlier row of this file (a slot of the database is made by the
         * first row that names it). */
        problem(m, m->meta[row].line, NULL, "the same child as line %ld", m->slots[slot].line);
        return;
    }
    check_new_child(m, row, slot, C_FIRST, C_LAST, C_DOB, dob_ok);
    slot_born(m, slot, dob_ok, dob);
    if (ended_ok) check_born(m, row, C_SWE, ended, slot);
}

/* The referral a row of outcomes or actions names (cached). */
static void resolve_ref(imp *m, size_t row, int col)
{
    const char *ref = V(m, row, col);
    buf_reset(&m->key);
    buf_printf(&m->key, "R%s", ref);
    int64_t *p = hmap_get(&m->cache, m->key.data, m->key.len);
    int64_t id, child = 0;
    if (p) {
        id = *p;
        buf_reset(&m->key);
        buf_printf(&m->key, "C%s", ref);
        int64_t *c = hmap_get(&m->cache, m->key.data, m->key.len);
        if (c) child = *c;
    } else {
        if ((m->fatal = records_referral_find(m->s, ref, &id, &child))) return;
        buf_reset(&m->key);
        buf_printf(&m->key, "R%s", ref);
        hmap_put(&m->cache, &m->a, m->key.data, m->key.len, id, NULL);
        buf_reset(&m->key);
        buf_printf(&m->key, "C%s", ref);
        hmap_put(&m->cache, &m->a, m->key.data, m->key.len, child, NULL);
    }
    m->meta[row].ref_id = id;
    m->meta[row].prev_child = child;
    if (!id) problem(m, m->meta[row].line, "ref", "no referral '%s' in the database", safe(m, ref));
}

/* How many rows with the key in m->key came before (for outcomes and actions). */
static long nth_of_key(imp *m)
{
    bool added;
    int64_t *n = hmap_put(&m->keys, &m->a, m->key.data, m->key.len, 0, &added);
    return (long)(*n)++;
}

static void check_outcome(imp *m, size_t row)
{
    bool ok = check_required(m, row, O_REF);
    date_t d;
    ok &= need_past(m, row, O_DATE, &d);
    ok &= check_required(m, row, O_OUTCOME) && check_code(m, row, O_OUTCOME, CODES_OUTCOME);
    if (V(m, row, O_REF)) resolve_ref(m, row, O_REF);
    if (!ok) return;
    buf_reset(&m->key);
    buf_printf(&m->key, "%s%c%s%c%s%c%s", V(m, row, O_REF), 0, V(m, row, O_DATE), 0,
               V(m, row, O_OUTCOME), 0, V(m, row, O_NOTE) ? V(m, row, O_NOTE) : "");
    m->meta[row].nth = nth_of_key(m);
}

static void check_action(imp *m, size_t row)
{
    bool ok = check_required(m, row, A_REF);
    date_t d, follow;
    bool date_ok = need_past(m, row, A_DATE, &d);
    ok &= date_ok;
    ok &= check_required(m, row, A_KIND) && check_action_kind(m, row, A_KIND);
    check_initials(m, row, A_OFFICER);
    int follow_rc = check_date(m, row, A_FOLLOW, &follow);
    ok &= follow_rc >= 0;
    if (follow_rc > 0 && date_ok) ok &= check_from(m, row, A_FOLLOW, follow, A_DATE, d);
    if (V(m, row, A_REF)) resolve_ref(m, row, A_REF);
    if (!ok) return;
    buf_reset(&m->key);
    const char *vals[] = {V(m, row, A_REF),  V(m, row, A_DATE), V(m, row, A_OFFICER),
                          V(m, row, A_KIND), V(m, row, A_NOTE), V(m, row, A_FOLLOW)};
    for (int i = 0; i < 6; i++) {
        buf_puts(&m->key, vals[i] ? vals[i] : "");
        buf_append(&m->key, "", 1);
    }
    m->meta[row].nth = nth_of_key(m);
}

/* The child of an event row, and the key "slot,..." of the row in m->key. */
static int event_child(imp *m, size_t row)
{
    if (!check_upn(m, row, 0)) return -1;
    int slot = resolve_child(m, row, 0, 1, false);
    m->meta[row].child = slot;
    return slot;
}

static void check_exclusion(imp *m, size_t row)
{
    date_t start;
    bool start_ok = need_past(m, row, X_START, &start);
    bool ok = check_required(m, row, X_CATEGORY) &&
              check_code(m, row, X_CATEGORY, CODES_EXCLUSION_CATEGORY);
    const char *days = V(m, row, X_DAYS);
    double d;
    char why[FIELD_WHY];
    if (days && !field_days(days, strlen(days), &d, why)) refused(m, row, X_DAYS, why);
    check_code(m, row, X_REASON, CODES_EXCLUSION_REASON);
    int slot = event_child(m, row);
    if (start_ok) start_ok = check_born(m, row, X_START, start, slot);
    if (slot < 0 || !ok || !start_ok) return;
    buf_reset(&m->key);
    buf_printf(&m->key, "%d,%s,%s", slot, V(m, row, X_START), V(m, row, X_CATEGORY));
    unique_key(m, row, "child, start and category");
}

static void check_attendance(imp *m, size_t row)
{
    long line = m->meta[row].line;
    date_t from, to;
    /* Not checked against today: a council's file may hold the record of a term still running
     * (the app's form, record_attendance_add, refuses one). */
    bool from_ok = need_date(m, row, T_FROM, &from);
    bool to_ok = need_date(m, row, T_TO, &to);
    if (from_ok && to_ok) check_from(m, row, T_TO, to, T_FROM, from);
    long possible = -1, attended = -1;
    const char *pv = V(m, row, T_POSSIBLE), *av = V(m, row, T_ATTENDED);
    char why[FIELD_WHY];
    if (check_required(m, row, T_POSSIBLE) && !field_sessions(pv, strlen(pv), &possible, why)) {
        refused(m, row, T_POSSIBLE, why);
        possible = -1;
    }
    if (check_required(m, row, T_ATTENDED) && !field_sessions(av, strlen(av), &attended, why)) {
        refused(m, row, T_ATTENDED, why);
        attended = -1;
    }
    if (possible >= 0 && attended >= 0 && !field_attended(attended, possible, why))
        problem(m, line, "attended_sessions", "%ld %s", attended, why);
    int slot = event_child(m, row);
    if (from_ok) from_ok = check_born(m, row, T_FROM, from, slot);
    if (to_ok) to_ok = check_born(m, row, T_TO, to, slot);
    if (slot < 0 || !from_ok || !to_ok) return;
    buf_reset(&m->key);
    buf_printf(&m->key, "%d,%s,%s", slot, V(m, row, T_FROM), V(m, row, T_TO));
    unique_key(m, row, "child, from and to");
}

static void check_episode(imp *m, size_t row)
{
    bool ok = check_required(m, row, E_KIND) && check_code(m, row, E_KIND, CODES_EPISODE_KIND);
    date_t start, end;
    bool start_ok = need_past(m, row, E_START, &start);
    bool end_ok = check_date(m, row, E_END, &end) > 0;
    if (start_ok && end_ok) check_from(m, row, E_END, end, E_START, start);
    const char *hv = V(m, row, E_HOURS);
    double h;
    char why[FIELD_WHY];
    if (hv && !field_hours(hv, strlen(hv), &h, why)) refused(m, row, E_HOURS, why);
    check_flag(m, row, E_COUNTY);
    int slot = event_child(m, row);
    if (start_ok) start_ok = check_born(m, row, E_START, start, slot);
    if (slot < 0 || !ok || !start_ok) return;
    buf_reset(&m->key);
    buf_printf(&m->key, "%d,%s,%s", slot, V(m, row, E_KIND), V(m, row, E_START));
    unique_key(m, row, "child, kind and start");
}

static void check_row(imp *m, size_t row)
{
    m->meta[row].child = -1;
    switch (m->kind) {
    case KIND_REFERRALS: check_referral(m, row); break;
    case KIND_OUTCOMES: check_outcome(m, row); break;
    case KIND_ACTIONS: check_action(m, row); break;
    case KIND_EXCLUSIONS: check_exclusion(m, row); break;
    case KIND_ATTENDANCE: check_attendance(m, row); break;
    case KIND_EPISODES: check_episode(m, row); break;
    case KIND_CHILDREN: check_child_row(m, row); break;
    default: break;
    }
}

/* ---- reading ---- */

static void progress(const imp *m, const char *what, size_t done, size_t total, int *last)
{
    int pct = total ? (int)(done * 100 / total) : 100;
    if (pct == *last) return;
    *last = pct;
    fprintf(stderr, "\r%s: %s %d%%", m->name, what, pct);
    fflush(stderr);
}

static void progress_end(const imp *m)
{
    fprintf(stderr, "\r%*s\r", (int)strlen(m->name) + 20, "");
    fflush(stderr);
}

static bool header(imp *m, csv_reader *r)
{
    const kind_def *def = m->def;
    for (size_t k = 0; k < def->n; k++)
        m->col[k] = -1;
    long line = r->record_line;
    size_t n = csv_nfields(r);
    m->nheader = n;
    for (size_t i = 0; i < n; i++) {
        const char *f = csv_field(r, i);
        size_t len = strlen(f);
        while (len && isspace((unsigned char)f[len - 1]))
            len--;
        while (len && isspace((unsigned char)*f)) {
            f++;
            len--;
        }
        char *name = arena_dup(&m->a, f, len);
        int c = field_column(name, len, def->cols, def->n);
        size_t k = c < 0 ? def->n : (size_t)c;
        if (k == def->n) {
            buf msg = BUF_INIT, key = BUF_INIT;
            field_column_key(name, len, &key);
            buf_puts(&msg, "unknown column");
            suggest(&msg, buf_str(&key), def->cols, def->n);
            problem(m, line, safe(m, name), "%s", buf_str(&msg));
            buf_free(&msg);
            buf_free(&key);
        } else if (m->col[k] >= 0) {
            problem(m, line, def->cols[k], "duplicate column (columns %d and %zu)", m->col[k] + 1,
                    i + 1);
        } else {
            m->col[k] = (int)i;
        }
    }
    for (size_t k = 0; k < def->n; k++)
        if ((def->required & BIT(k)) && m->col[k] < 0)
            problem(m, line, def->cols[k], "required column missing from the header");
    if (def->has_child) {
        int cu = m->kind == KIND_REFERRALS ? R_UPN : 0, cl = m->kind == KIND_REFERRALS ? R_LID : 1;
        if (m->col[cu] < 0 && m->col[cl] < 0)
            problem(m, line, "upn", "the header needs a upn or la_child_id column");
    }
    return m->nerrors == 0;
}

/* Whether every field of the record is empty or blank (a spreadsheet's trailing ",,,," rows). */
static bool blank_record(const csv_reader *r)
{
    for (size_t i = 0, nf = csv_nfields(r); i < nf; i++)
        for (const char *f = csv_field(r, i); *f; f++)
            if (*f != ' ' && *f != '\t') return false;
    return true;
}

/* Text that field_text refuses: said once per row and column, never quoting the value (it may
 * hold what a terminal would obey). */
static void bad_text(imp *m, long line, size_t k, field_text_fault fault, const char *why)
{
    const char *col = m->def->cols[k];
    switch (fault) {
    case FIELD_TEXT_NOT_UTF8:
        kproblem(m, line, col, "utf8",
                 "%s: the file is not UTF-8 (saved as Windows-1252 or \"ANSI\"?): in Excel use "
                 "File > Save As > \"CSV UTF-8 (Comma delimited)\", in LibreOffice tick \"Edit "
                 "filter settings\" and choose Unicode (UTF-8)",
                 why);
        break;
    case FIELD_TEXT_CONTROL: kproblem(m, line, col, "control", "%s", why); break;
    case FIELD_TEXT_BIDI: kproblem(m, line, col, "bidi", "%s", why); break;
    case FIELD_TEXT_MOJIBAKE:
        kproblem(m, line, col, "mojibake",
                 "%s: a spreadsheet opened a UTF-8 file as Windows-1252; export with --excel, or "
                 "open the file with Data > From Text/CSV and File Origin \"65001: Unicode "
                 "(UTF-8)\", then save as \"CSV UTF-8\"",
                 why);
        break;
    case FIELD_TEXT_OK: break;
    }
}

/* Copies the current record into a new row: blanks trimmed (but in notes and summaries), a
 * spreadsheet's ' guard removed, the text checked. Returns false for a record of empty fields
 * (skipped). */
static bool add_row(imp *m, csv_reader *r)
{
    size_t nf = csv_nfields(r);
    if (blank_record(r)) return false;
    if (m->nrows == m->caprows) {
        m->caprows = m->caprows ? 2 * m->caprows : 1024;
        m->vals = xrealloc(m->vals, m->caprows * m->def->n * sizeof *m->vals);
        m->meta = xrealloc(m->meta, m->caprows * sizeof *m->meta);
    }
    size_t row = m->nrows++;
    memset(&m->meta[row], 0, sizeof m->meta[row]);
    m->meta[row].line = r->record_line;
    m->meta[row].child = -1;
    for (size_t k = 0; k < m->def->n; k++) {
        const char *v = NULL;
        if (m->col[k] >= 0 && (size_t)m->col[k] < nf) {
            const char *f = csv_field(r, (size_t)m->col[k]);
            size_t len = strlen(f);
            bool multiline = m->def->free_text & BIT(k);
            if (!multiline && !(m->def->numbers & BIT(k))) {
                while (len && (f[len - 1] == ' ' || f[len - 1] == '\t'))
                    len--;
                while (len && (*f == ' ' || *f == '\t')) {
                    f++;
                    len--;
                }
            }
            if (m->def->numbers & BIT(k) && strspn(f, " \t") == len) len = 0;
            field_unguard(&f, &len);
            char why[FIELD_WHY];
            field_text_fault fault = field_text(f, len, multiline, why);
            if (fault) {
                bad_text(m, r->record_line, k, fault, why);
                m->meta[row].bad_text = true;
            }
            if (len) v = arena_dup(&m->a, f, len);
        }
        setV(m, row, (int)k, v);
    }
    return true;
}

static int read_and_check(imp *m, const char *text, size_t len, bool show)
{
    csv_reader r;
    csv_init(&r, text, len);
    int rc = csv_next(&r);
    if (rc == 0) {
        problem(m, 1, NULL, "empty file: no header row");
        csv_free(&r);
        return EXIT_DATA;
    }
    if (rc < 0) {
        problem(m, r.error_line, NULL, "%s", r.error);
        csv_free(&r);
        return EXIT_DATA;
    }
    if (!header(m, &r)) {
        csv_free(&r);
        return EXIT_DATA;
    }
    int last = -1;
    while ((rc = csv_next(&r)) == 1) {
        size_t nf = csv_nfields(&r);
        if (!add_row(m, &r)) continue;
        if (nf != m->nheader) {
            problem(m, r.record_line, NULL, "%zu fields, but the header has %zu", nf, m->nheader);
            continue;
        }
        if (!m->meta[m->nrows - 1].bad_text) check_row(m, m->nrows - 1);
        if (m->fatal) break;
        if (show && (m->nrows % 1000) == 0) progress(m, "checking", r.pos, len, &last);
    }
    if (rc < 0 && !m->fatal) problem(m, r.error_line, NULL, "%s", r.error);
    problems_end(m);
    csv_free(&r);
    if (show) progress_end(m);
    if (m->fatal) return m->fatal;
    return m->nerrors ? EXIT_DATA : EXIT_OK;
}

/* ---- writing ---- */

/* The school of a row (cached: each urn and name looked up once). *renamed (may be NULL) tells
 * whether this row changed a known school's name. */
static int school_id(imp *m, const char *urn, const char *name, int64_t *id, bool *renamed)
{
    *id = 0;
    if (renamed) *renamed = false;
    if (!urn && !name) return EXIT_OK;
    buf_reset(&m->key);
    buf_printf(&m->key, "S%s%c%s", urn ? urn : "", 0, name ? name : "");
    int64_t *p = hmap_get(&m->cache, m->key.data, m->key.len);
    if (p) {
        *id = *p;
        return EXIT_OK;
    }
    bool changed;
    int rc = records_school_put(m->s, urn, name, id, &changed);
    if (rc) return rc;
    if (renamed) *renamed = changed;
    buf_reset(&m->key);
    buf_printf(&m->key, "S%s%c%s", urn ? urn : "", 0, name ? name : "");
    hmap_put(&m->cache, &m->a, m->key.data, m->key.len, *id, NULL);
    return EXIT_OK;
}

static int officer_id(imp *m, const char *initials, int64_t *id)
{
    *id = 0;
    if (!initials) return EXIT_OK;
    buf_reset(&m->key);
    buf_printf(&m->key, "O%s", initials);
    int64_t *p = hmap_get(&m->cache, m->key.data, m->key.len);
    if (p) {
        *id = *p;
        return EXIT_OK;
    }
    int rc = records_officer_ensure(m->s, initials, id);
    if (rc) return rc;
    buf_reset(&m->key);
    buf_printf(&m->key, "O%s", initials);
    hmap_put(&m->cache, &m->a, m->key.data, m->key.len, *id, NULL);
    return EXIT_OK;
}

static int yesno(const char *v)
{
    return !v ? -1 : strcmp(v, "yes") == 0;
}

static void count(import_stats *st, records_result r)
{
    if (r == RECORDS_ADDED)
        st->inserted++;
    else if (r == RECORDS_UPDATED)
        st->updated++;
    else
        st->unchanged++;
}

/* Writes a child (new or known) from a row; *r says what happened. */
static int write_child(imp *m, size_t row, const int *c, bool set_status, records_result *r)
{
    child_slot *slot = &m->slots[m->meta[row].child];
    int64_t school;
    bool renamed;
    int rc = school_id(m, V(m, row, c[6]), V(m, row, c[7]), &school, &renamed);
    if (rc) return rc;
    records_child ch = {
        .upn = V(m, row, c[0]),
        .la_child_id = V(m, row, c[1]),
        .first_name = V(m, row, c[2]),
        .last_name = V(m, row, c[3]),
        .dob = V(m, row, c[4]),
        .gender = V(m, row, c[5]),
        .school_id = school,
        .care_status = V(m, row, c[8]),
        .sen = V(m, row, c[9]),
        .sen_need = V(m, row, c[10]),
        .youth_justice = yesno(V(m, row, c[11])),
    };
    /* An empty social_work_ended in a file that has the column: a plan is open. */
    if (m->kind == KIND_CHILDREN && m->col[C_SWE] >= 0)
        ch.social_work_ended = V(m, row, C_SWE) ? V(m, row, C_SWE) : "";
    *r = RECORDS_UNCHANGED;
    if (!set_status && slot->newest) {
        /* A referral's status is its child's when it is the child's newest. */
        ch.care_status = V(m, slot->newest - 1, R_CARE);
        ch.sen = V(m, slot->newest - 1, R_SEN);
    }
    if (!slot->id) {
        if ((rc = records_child_insert(m->s, &ch, &slot->id))) return rc;
        *r = RECORDS_ADDED;
        slot->touched = true;
        return EXIT_OK;
    }
    if (!set_status) ch.care_status = ch.sen = NULL;
    bool changed;
    if ((rc = records_child_stage_update(m->s, slot->id, &ch, &changed))) return rc;
    if (changed) {
        *r = RECORDS_UPDATED;
        slot->touched = true;
    } else if (renamed) {
        *r = RECORDS_UPDATED; /* the row renamed the child's school */
    }
    return EXIT_OK;
}

static const int referral_child_cols[12] = {R_UPN, R_LID,    R_FIRST, R_LAST, R_DOB,  R_GENDER,
                                            R_URN, R_SCHOOL, R_CARE,  R_SEN,  R_NEED, R_YJ};
static const int child_child_cols[12] = {C_UPN, C_LID,    C_FIRST, C_LAST, C_DOB,  C_GENDER,
                                         C_URN, C_SCHOOL, C_CARE,  C_SEN,  C_NEED, C_YJ};

typedef struct {
    int64_t *v;
    size_t n, cap;
} idlist;

static void idlist_add(idlist *l, int64_t id)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = id;
}

/* extra: children whose score the row may change besides its own slot's; audited: children
 * whose facts it changed that have no slot (an action's, an outcome's). */
static int write_row(imp *m, size_t row, import_stats *st, idlist *extra, idlist *audited)
{
    const row_meta *meta = &m->meta[row];
    child_slot *slot = meta->child >= 0 ? &m->slots[meta->child] : NULL;
    records_result r = RECORDS_UNCHANGED, cr;
    int rc = EXIT_OK;
    int64_t officer, school;
    switch (m->kind) {
    case KIND_REFERRALS: {
        if ((rc = write_child(m, row, referral_child_cols, false, &cr))) return rc;
        if ((rc = officer_id(m, V(m, row, R_OFFICER), &officer))) return rc;
        records_referral ref = {
            .ref = V(m, row, R_REF),
            .received = V(m, row, R_RECEIVED),
            .source = V(m, row, R_SOURCE),
            .issue = V(m, row, R_ISSUE),
            .other_issues = V(m, row, R_OTHER),
            .pex_risk = yesno(V(m, row, R_PEX)) > 0,
            .child_id = slot->id,
            .status = V(m, row, R_STATUS),
            .closed = V(m, row, R_CLOSED),
            .officer_id = officer,
            .care_status = V(m, row, R_CARE),
            .sen = V(m, row, R_SEN),
            .summary = V(m, row, R_SUMMARY),
        };
        if (!meta->ref_id) {
            /* New: staged, added by write_all in one statement, then its status applied. */
            if ((rc = records_referral_stage(m->s, &ref, NULL))) return rc;
            slot->touched = true;
            m->meta[row].written = true;
            count(st, RECORDS_ADDED);
            return EXIT_OK;
        }
        bool changed;
        if ((rc = records_referral_stage_update(m->s, meta->ref_id, &ref, &changed))) return rc;
        r = changed ? RECORDS_UPDATED : RECORDS_UNCHANGED;
        if (r != RECORDS_UNCHANGED) {
            slot->touched = true;
            m->meta[row].written = true;
            if (meta->prev_child && meta->prev_child != slot->id)
                idlist_add(extra, meta->prev_child);
        } else if (cr != RECORDS_UNCHANGED) {
            r = RECORDS_UPDATED;
        }
        break;
    }
    case KIND_CHILDREN:
        if ((rc = write_child(m, row, child_child_cols, true, &r))) return rc;
        break;
    case KIND_OUTCOMES:
        rc = records_outcome_add(m->s, meta->ref_id, V(m, row, O_DATE), V(m, row, O_OUTCOME),
                                 V(m, row, O_NOTE), meta->nth, &r);
        break;
    case KIND_ACTIONS:
        if ((rc = officer_id(m, V(m, row, A_OFFICER), &officer))) return rc;
        rc = records_action_add(m->s, meta->ref_id, V(m, row, A_DATE), officer, V(m, row, A_KIND),
                                V(m, row, A_NOTE), V(m, row, A_FOLLOW), meta->nth, &r);
        break;
    case KIND_EXCLUSIONS: {
        if ((rc = school_id(m, V(m, row, X_URN), NULL, &school, NULL))) return rc;
        double days = -1;
        char why[FIELD_WHY];
        const char *dv = V(m, row, X_DAYS);
        if (dv) field_days(dv, strlen(dv), &days, why);
        rc = records_exclusion_put(m->s, slot->id, V(m, row, X_START), V(m, row, X_CATEGORY), days,
                                   V(m, row, X_REASON), school, &r, NULL);
        break;
    }
    case KIND_ATTENDANCE: {
        long possible = 0, attended = 0;
        char why[FIELD_WHY];
        field_sessions(V(m, row, T_POSSIBLE), strlen(V(m, row, T_POSSIBLE)), &possible, why);
        field_sessions(V(m, row, T_ATTENDED), strlen(V(m, row, T_ATTENDED)), &attended, why);
        rc = records_attendance_put(m->s, slot->id, V(m, row, T_FROM), V(m, row, T_TO), possible,
                                    attended, &r, NULL);
        break;
    }
    case KIND_EPISODES: {
        double hours = -1;
        char why[FIELD_WHY];
        const char *hv = V(m, row, E_HOURS);
        if (hv) field_hours(hv, strlen(hv), &hours, why);
        rc = records_episode_put(m->s, slot->id, V(m, row, E_KIND), V(m, row, E_START),
                                 V(m, row, E_END), hours, yesno(V(m, row, E_COUNTY)), &r, NULL);
        break;
    }
    default: break;
    }
    if (rc) return rc;
    if (r != RECORDS_UNCHANGED && slot) slot->touched = true;
    if (r != RECORDS_UNCHANGED && !slot && meta->prev_child) idlist_add(audited, meta->prev_child);
    count(st, r);
    return EXIT_OK;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The child's access log shows the imports that changed its facts (SPEC section 10: every change):
 * one audit row 'import_child' per child the import added or changed (those whose scores it
 * recomputes, ids, and those of the actions and outcomes it added, audited), ids only, the kind of
 * file as detail; the import's own row keeps the counts. */
static int audit_children(imp *m, const idlist *ids, idlist *audited)
{
    for (size_t i = 0; i < ids->n; i++)
        idlist_add(audited, ids->v[i]);
    idlist *l = audited;
    if (l->n > 1) qsort(l->v, l->n, sizeof l->v[0], cmp_id);
    int rc = EXIT_OK;
    for (size_t i = 0; i < l->n && !rc; i++)
        if (i == 0 || l->v[i - 1] != l->v[i])
            rc = store_audit_child(m->s, "import_child", "children", l->v[i], l->v[i],
                                   kind_names[m->kind]);
    return rc;
}

/* Inside the transaction: writes every row, the audit rows and the scores; then commits (rolls
 * back on a dry run or a failure). */
static int write_all(imp *m, const import_options *o, import_stats *st)
{
    int rc = EXIT_OK;
    idlist ids = {0}, audited = {0};
    int last = -1;
    bool adds_children = m->kind == KIND_REFERRALS || m->kind == KIND_CHILDREN;
    if (m->kind == KIND_REFERRALS) rc = records_referral_stage_begin(m->s);
    if (!rc && adds_children) rc = records_child_stage_begin(m->s);
    if (!rc && adds_children) {
        /* Many new children: their indexes are built once they are all in. */
        long adding = 0;
        for (size_t i = 0; i < m->nslots; i++)
            adding += !m->slots[i].existed;
        rc = records_defer_indexes(m->s, "children", adding);
    }
    for (size_t row = 0; row < m->nrows && !rc; row++) {
        rc = write_row(m, row, st, &ids, &audited);
        if (o->progress && (row % 1000) == 0) progress(m, "writing", row, m->nrows, &last);
    }
    if (!rc && adds_children) rc = records_build_indexes(m->s);
    /* Staged changes of known children first, then the referrals (new and changed). */
    if (!rc && adds_children) rc = records_child_flush(m->s);
    if (!rc && m->kind == KIND_REFERRALS) {
        rc = records_referral_flush(m->s);
        /* The care status and SEN of a child already known become those of its newest referral
         * in the file when that referral was written and is newer than any stored. (A child new
         * in this import got them when it was added.) */
        for (size_t i = 0; i < m->nslots && !rc; i++) {
            child_slot *c = &m->slots[i];
            if (!c->existed || !c->newest || !m->meta[c->newest - 1].written) continue;
            size_t row = c->newest - 1;
            bool changed;
            rc =
                records_child_status_if_newest(m->s, c->id, V(m, row, R_REF), V(m, row, R_RECEIVED),
                                               V(m, row, R_CARE), V(m, row, R_SEN), &changed);
            if (changed) c->touched = true;
        }
    }
    if (o->progress) progress_end(m);
    if (!rc && !o->dry_run) {
        char detail[160];
        snprintf(detail, sizeof detail, "%s: %ld added, %ld updated, %ld unchanged",
                 kind_names[m->kind], st->inserted, st->updated, st->unchanged);
        rc = store_audit(m->s, "import", m->def->table, 0, detail);
    }
    if (!rc && !o->dry_run) {
        for (size_t i = 0; i < m->nslots; i++)
            if (m->slots[i].touched && m->slots[i].id) idlist_add(&ids, m->slots[i].id);
        rc = audit_children(m, &ids, &audited);
    }
    if (!rc && !o->dry_run && o->cfg && ids.n)
        rc = scoring_children_changed(m->s, o->cfg, o->as_of, ids.v, ids.n);
    free(ids.v);
    free(audited.v);
    if (rc || o->dry_run) {
        store_bulk_end(m->s, false);
        return rc;
    }
    return store_bulk_end(m->s, true);
}

int import_text(store *s, import_kind kind, const char *name, const char *text, size_t len,
                const import_options *o, import_stats *stats, buf *errors)
{
    memset(stats, 0, sizeof *stats);
    if ((unsigned)kind >= KIND_COUNT) {
        buf_printf(errors, "%s: unknown kind of file\n", name);
        return EXIT_USAGE;
    }
    imp m = {0};
    m.s = s;
    m.kind = kind;
    m.def = &kinds[kind];
    m.name = name;
    m.errors = errors;
    m.today = o->as_of;
    m.date_flags = o->dmy ? FIELD_DMY : 0;
    m.allow_duplicates = o->allow_duplicates;
    /* The transaction starts before the checks, so that the rows are checked against the database
     * they are written to and the lookups share one lock. When it cannot start (busy, read-only),
     * the rows are still checked: bad rows are reported (65) before the database's problem. */
    int begin_rc = store_bulk_begin(s, len); /* EXIT_OK: the transaction is open */
    char why[512];
    snprintf(why, sizeof why, "%s", store_error(s));
    int rc = read_and_check(&m, text, len, o->progress);
    stats->rows = (long)m.nrows;
    /* Only the checks look keys up: their memory goes to the writing (SQLite's page cache and
     * search index), which then touches that much less new memory. */
    hmap_free(&m.children);
    hmap_free(&m.keys);
    if (!rc && begin_rc) {
        rc = begin_rc;
        buf_printf(errors, "%s: %s\n", name, why);
    } else if (!rc) {
        rc = write_all(&m, o, stats);
        if (rc) {
            memset(stats, 0, sizeof *stats);
            stats->rows = (long)m.nrows;
            buf_printf(errors, "%s: %s\n", name, store_error(s));
        }
    } else if (!begin_rc) {
        store_bulk_end(s, false);
        if (rc != EXIT_DATA) buf_printf(errors, "%s: %s\n", name, store_error(s));
    }
    arena_free(&m.a);
    hmap_free(&m.cache);
    buf_free(&m.key);
    buf_free(&m.scratch);
    free(m.vals);
    free(m.meta);
    free(m.slots);
    return rc;
}
