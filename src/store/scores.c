/* scores.c: the store side of the vulnerability matrix: a child's facts as of a date (every query
 * on an index: episodes_child, attendance_child, exclusions_child, referrals_child), one set-based
 * walk over every child for a full recompute, and writing a child's score (a trigger copies it
 * onto the child's referrals). */
#include "caseload/scores.h"
#include "store_internal.h"

#include "caseload/buf.h"
#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The facts of children as of ?1 (YYYY-MM-DD), with ?2 the first day of the 365 days up to and
 * including ?1. Columns: see read_row. */
#define FACTS_SELECT                                                                               \
    "SELECT c.id, coalesce(cs.score, 0), c.youth_justice, c.sen, c.care_status,"                   \
    " EXISTS(SELECT 1 FROM episodes e WHERE e.child_id = c.id AND e.kind = 'cme'"                  \
    "        AND e.start <= ?1 AND (e.end_date IS NULL OR e.end_date > ?1)),"                      \
    " EXISTS(SELECT 1 FROM episodes e WHERE e.child_id = c.id AND e.kind = 'ehe'"                  \
    "        AND e.start <= ?1 AND (e.end_date IS NULL OR e.end_date > ?1)),"                      \
    " EXISTS(SELECT 1 FROM episodes e WHERE e.child_id = c.id AND e.kind = 'part_time'"            \
    "        AND e.start <= ?1 AND (e.end_date IS NULL OR e.end_date > ?1)),"                      \
    " EXISTS(SELECT 1 FROM episodes e WHERE e.child_id = c.id"                                     \
    "        AND e.kind = 'alternative_provision'"                                                 \
    "        AND e.start <= ?1 AND (e.end_date IS NULL OR e.end_date > ?1)),"                      \
    " a.possible, a.attended,"                                                                     \
    " (SELECT count(*) FROM exclusions x WHERE x.child_id = c.id AND x.category = 'suspension'"    \
    "        AND x.start >= ?2 AND x.start <= ?1),"                                                \
    " EXISTS(SELECT 1 FROM exclusions x WHERE x.child_id = c.id AND x.category = 'permanent'"      \
    "        AND x.start >= ?2 AND x.start <= ?1),"                                                \
    " EXISTS(SELECT 1 FROM referrals r WHERE r.child_id = c.id AND r.pex_risk = 1"                 \
    "        AND r.received <= ?1 AND (r.status <> 'closed' OR r.closed > ?1))"                    \
    " FROM children c LEFT JOIN child_scores cs ON cs.child_id = c.id"                             \
    " LEFT JOIN attendance a ON a.id = (SELECT a2.id FROM attendance a2 WHERE a2.child_id = c.id"  \
    "        AND a2.to_date <= ?1 ORDER BY a2.to_date DESC, a2.id DESC LIMIT 1)"

/* The tables and columns FACTS_SELECT (and scores_each) reads; columns NULL: every column.
 * Keep beside FACTS_SELECT: a column read there and missing here leaves scores stale after a
 * pack (src/app/sync.c rescores only the children whose read facts changed). */
static const struct {
    const char *table;
    const char *const *columns;
} facts_read[] = {
    {"children", (const char *const[]){"youth_justice", "sen", "care_status", NULL}},
    {"episodes", NULL},
    {"attendance", NULL},
    {"exclusions", NULL},
    {"referrals",
     (const char *const[]){"child_id", "pex_risk", "received", "status", "closed", NULL}},
};

bool scores_reads(const char *table, const char *column)
{
    for (size_t i = 0; i < sizeof facts_read / sizeof facts_read[0]; i++) {
        if (strcmp(facts_read[i].table, table) != 0) continue;
        if (!column || !facts_read[i].columns) return true;
        for (const char *const *c = facts_read[i].columns; *c; c++)
            if (strcmp(*c, column) == 0) return true;
        return false;
    }
    return false;
}

static void bind_dates(store *s, sqlite3_stmt *st, date_t as_of)
{
    char d[11], from[11];
    date_format(as_of, d);
    date_format(as_of - 364, from);
    store_bind_text(s, st, 1, d, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 2, from, -1, SQLITE_TRANSIENT);
}

static void read_row(sqlite3_stmt *st, scores_row *r)
{
    memset(r, 0, sizeof *r);
    r->child_id = sqlite3_column_int64(st, 0);
    r->stored_score = sqlite3_column_int(st, 1);
    score_facts *f = &r->facts;
    f->youth_justice = sqlite3_column_int(st, 2) != 0;
    f->sen = codes_find(CODES_SEN, store_col_text(st, 3));
    f->care_status = codes_find(CODES_CARE_STATUS, store_col_text(st, 4));
    f->cme_open = sqlite3_column_int(st, 5) != 0;
    f->ehe_open = sqlite3_column_int(st, 6) != 0;
    f->part_time_open = sqlite3_column_int(st, 7) != 0;
    f->ap_open = sqlite3_column_int(st, 8) != 0;
    f->has_attendance = sqlite3_column_type(st, 9) != SQLITE_NULL;
    f->possible_sessions = f->has_attendance ? (long)sqlite3_column_int64(st, 9) : 0;
    f->attended_sessions = f->has_attendance ? (long)sqlite3_column_int64(st, 10) : 0;
    f->suspensions_365 = sqlite3_column_int(st, 11);
    f->permanent_365 = sqlite3_column_int(st, 12) != 0;
    f->pex_risk_open = sqlite3_column_int(st, 13) != 0;
}

int scores_facts(store *s, int64_t child_id, date_t as_of, score_facts *out)
{
    sqlite3_stmt *st = store_stmt(s, FACTS_SELECT " WHERE c.id = ?3");
    if (!st) return EXIT_IO;
    bind_dates(s, st, as_of);
    store_bind_int64(s, st, 3, child_id);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        scores_row r;
        read_row(st, &r);
        *out = r.facts;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no child with id %lld", (long long)child_id);
        return EXIT_DATA;
    }
    return store_fail(s, rc, "reading a child's score facts");
}

/* Every child's facts for a full recompute, gathered with one pass over each table (sequential
 * reads) instead of a lookup per child and fact: the facts land in an array indexed like the
 * children, found by binary search on the id. */
typedef struct {
    int64_t *id;
    scores_row *row;
    date_t *att_to;  /* end of the latest attendance record seen, per child */
    int64_t *att_id; /* its id */
    size_t n, cap;
} gather;

static long find_child(const gather *g, int64_t id)
{
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n && g->id[lo] == id ? (long)lo : -1;
}

static void gather_free(gather *g)
{
    free(g->id);
    free(g->row);
    free(g->att_to);
    free(g->att_id);
}

static int gather_children(store *s, gather *g)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT c.id, coalesce(cs.score, 0), c.youth_justice, c.sen,"
                                     " c.care_status, cs.child_id IS NULL FROM children c"
                                     " LEFT JOIN child_scores cs ON cs.child_id = c.id"
                                     " ORDER BY c.id");
    if (!st) return EXIT_IO;
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        if (g->n == g->cap) {
            g->cap = g->cap ? g->cap * 2 : 4096;
            g->id = realloc(g->id, g->cap * sizeof *g->id);
            g->row = realloc(g->row, g->cap * sizeof *g->row);
            g->att_to = realloc(g->att_to, g->cap * sizeof *g->att_to);
            g->att_id = realloc(g->att_id, g->cap * sizeof *g->att_id);
            if (!g->id || !g->row || !g->att_to || !g->att_id) abort();
        }
        scores_row *r = &g->row[g->n];
        memset(r, 0, sizeof *r);
        r->child_id = g->id[g->n] = sqlite3_column_int64(st, 0);
        r->stored_score = sqlite3_column_int(st, 1);
        r->facts.youth_justice = sqlite3_column_int(st, 2) != 0;
        r->facts.sen = codes_find(CODES_SEN, store_col_text(st, 3));
        r->facts.care_status = codes_find(CODES_CARE_STATUS, store_col_text(st, 4));
        r->unstored = sqlite3_column_int(st, 5) != 0;
        g->att_to[g->n] = 0;
        g->att_id[g->n] = 0;
        g->n++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the children");
}

static int gather_episodes(store *s, gather *g, const char *d)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT child_id, kind FROM episodes"
                                     " WHERE start <= ?1 AND (end_date IS NULL OR end_date > ?1)");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, d, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        long i = find_child(g, sqlite3_column_int64(st, 0));
        if (i < 0) continue;
        score_facts *f = &g->row[i].facts;
        switch (codes_find(CODES_EPISODE_KIND, store_col_text(st, 1))) {
        case EPISODE_CME: f->cme_open = true; break;
        case EPISODE_PART_TIME: f->part_time_open = true; break;
        case EPISODE_EHE: f->ehe_open = true; break;
        case EPISODE_AP: f->ap_open = true; break;
        default: break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading episodes");
}

static int gather_exclusions(store *s, gather *g, const char *d, const char *from)
{
    /* A range of the exclusions_start index (start, category, child_id): nothing else is read. */
    sqlite3_stmt *st = store_stmt(s, "SELECT child_id, category FROM exclusions"
                                     " WHERE start >= ?2 AND start <= ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, d, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 2, from, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        long i = find_child(g, sqlite3_column_int64(st, 0));
        if (i < 0) continue;
        const char *cat = store_col_text(st, 1);
        if (strcmp(cat, "suspension") == 0)
            g->row[i].facts.suspensions_365++;
        else if (strcmp(cat, "permanent") == 0)
            g->row[i].facts.permanent_365 = true;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading exclusions");
}

static int gather_attendance(store *s, gather *g, const char *d)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT child_id, to_date, id, possible, attended"
                                     " FROM attendance WHERE to_date <= ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, d, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        long i = find_child(g, sqlite3_column_int64(st, 0));
        if (i < 0) continue;
        const char *to_s = store_col_text(st, 1);
        date_t to;
        if (!date_parse(to_s, strlen(to_s), &to)) continue;
        int64_t id = sqlite3_column_int64(st, 2);
        score_facts *f = &g->row[i].facts;
        /* The latest record by end date, then by id (as the single-child query orders them). */
        if (f->has_attendance && (to < g->att_to[i] || (to == g->att_to[i] && id < g->att_id[i])))
            continue;
        f->has_attendance = true;
        f->possible_sessions = (long)sqlite3_column_int64(st, 3);
        f->attended_sessions = (long)sqlite3_column_int64(st, 4);
        g->att_to[i] = to;
        g->att_id[i] = id;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading attendance");
}

static int gather_pex_risk(store *s, gather *g, const char *d)
{
    /* The partial index of the flagged referrals covers the query (migration 0005): no referral
     * row is read. */
    sqlite3_stmt *st = store_stmt(s, "SELECT child_id FROM referrals INDEXED BY referrals_pex_risk"
                                     " WHERE pex_risk = 1 AND received <= ?1"
                                     " AND (status <> 'closed' OR closed > ?1)");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, d, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        long i = find_child(g, sqlite3_column_int64(st, 0));
        if (i >= 0) g->row[i].facts.pex_risk_open = true;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading referrals");
}

int scores_each(store *s, date_t as_of, int (*fn)(void *ctx, const scores_row *row), void *ctx)
{
    char d[11], from[11];
    date_format(as_of, d);
    date_format(as_of - 364, from);
    gather g = {0};
    int rc = gather_children(s, &g);
    if (!rc) rc = gather_episodes(s, &g, d);
    if (!rc) rc = gather_exclusions(s, &g, d, from);
    if (!rc) rc = gather_attendance(s, &g, d);
    if (!rc) rc = gather_pex_risk(s, &g, d);
    for (size_t i = 0; !rc && i < g.n; i++)
        rc = fn(ctx, &g.row[i]);
    gather_free(&g);
    return rc;
}

/* Steps sql with ?1 child_id and ?2 score; *changed: whether it changed a row. */
static int score_step(store *s, const char *sql, int64_t child_id, int score, bool *changed)
{
    *changed = false;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, child_id);
    store_bind_int(s, st, 2, score);
    int rc = store_step(s, st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return store_fail(s, rc, "saving a child's score");
    *changed = sqlite3_changes(s->db) > 0;
    return EXIT_OK;
}

int scores_set(store *s, int64_t child_id, int score, bool unstored)
{
    /* The triggers child_scores_insert and child_scores_update (migration 0009) copy the new
     * score onto each referral of the child. OR FAIL and OR IGNORE: nothing here can break a
     * constraint, and without ABORT's promise to undo a half-done statement SQLite keeps no
     * statement journal (a copy of every page the trigger touches: an upsert, which keeps one,
     * made a full recompute three times slower). A failure still rolls back the caller's
     * transaction. Unqualified, child_scores is the connection's own copy while
     * scores_shadow_begin's is in place. A row is added only where there was none: at once for
     * a child known to have none (most of a large import's), else after the update found none
     * to change; a child that had one after all is updated. */
    static const char add[] = "INSERT OR IGNORE INTO child_scores(child_id, score) VALUES (?1, ?2)";
    static const char update[] = "UPDATE OR FAIL child_scores SET score = ?2"
                                 " WHERE child_id = ?1 AND score <> ?2";
    bool changed = false;
    int rc = unstored ? score_step(s, add, child_id, score, &changed) : EXIT_OK;
    if (!rc && !changed) {
        rc = score_step(s, update, child_id, score, &changed);
        if (!rc && !changed && !unstored) rc = score_step(s, add, child_id, score, &changed);
    }
    return rc;
}

/* Runs sql on the connection (the temporary schema only: this works on a read-only file). */
static int temp_exec(store *s, const char *sql, const char *what)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, what);
}

int scores_shadow_drop(store *s)
{
    return temp_exec(s,
                     "DROP TABLE IF EXISTS temp.referral_list;"
                     " DROP TABLE IF EXISTS temp.child_scores",
                     "setting computed scores aside");
}

/* Creates in the temporary schema an empty table `name` with the indexes of main's, from their
 * own text in main.sqlite_schema (so the copy never drifts from the schema). */
static int shadow_table(store *s, const char *name)
{
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(s->db,
                                 "SELECT type, sql FROM main.sqlite_schema WHERE tbl_name = ?1"
                                 " AND type IN ('table', 'index') AND sql IS NOT NULL"
                                 " ORDER BY type = 'index'",
                                 -1, &st, NULL);
    if (src == SQLITE_OK) src = store_bind_text(s, st, 1, name, -1, SQLITE_STATIC);
    buf q = BUF_INIT;
    while (src == SQLITE_OK && (src = store_step(s, st)) == SQLITE_ROW) {
        bool table = strcmp(store_col_text(st, 0), "table") == 0;
        const char *prefix = table ? "CREATE TABLE " : "CREATE INDEX ";
        const char *sql = store_col_text(st, 1);
        if (strncmp(sql, prefix, strlen(prefix)) != 0) continue; /* not ours to copy */
        buf_puts(&q, table ? "CREATE TEMP TABLE " : "CREATE INDEX temp.");
        buf_puts(&q, sql + strlen(prefix));
        buf_puts(&q, ";\n");
        src = SQLITE_OK;
    }
    int rc = src == SQLITE_DONE ? EXIT_OK : store_fail(s, src, "computing scores for this screen");
    sqlite3_finalize(st);
    if (!rc) rc = temp_exec(s, buf_str(&q), "computing scores for this screen");
    buf_free(&q);
    return rc;
}

int scores_shadow_begin(store *s)
{
    int rc = scores_shadow_drop(s);
    if (!rc) rc = shadow_table(s, "child_scores");
    if (!rc)
        rc = temp_exec(s, "INSERT INTO temp.child_scores SELECT * FROM main.child_scores",
                       "computing scores for this screen");
    if (rc) scores_shadow_drop(s);
    return rc;
}

int scores_shadow_end(store *s)
{
    int rc = shadow_table(s, "referral_list");
    if (!rc)
        rc = temp_exec(s,
                       "INSERT INTO temp.referral_list(id, child_id, score, issue, status,"
                       " officer_id) SELECT l.id, l.child_id, coalesce(t.score, 0), l.issue,"
                       " l.status, l.officer_id FROM main.referral_list l"
                       " LEFT JOIN temp.child_scores t ON t.child_id = l.child_id ORDER BY l.id",
                       "computing scores for this screen");
    if (rc) scores_shadow_drop(s);
    return rc;
}

/* One integer a PRAGMA answers (0 when it cannot be read). */
static long long pragma_int(store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        store_step(s, st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

void scores_big_cache(store *s, bool on)
{
    /* A full recompute touches every child and referral page: with SQLite's default 2 MB cache the
     * pages are read and spilled to the WAL again and again. The previous size is put back. A
     * larger cache in force (a large import's) is left as it is: shrinking it inside the
     * import's transaction would spill its dirty pages. */
    enum { BIG_KIB = 32768 };
    char sql[64];
    if (on) {
        long long size = pragma_int(s, "PRAGMA cache_size");
        long long kib = size < 0 ? -size : size * pragma_int(s, "PRAGMA page_size") / 1024;
        if (kib >= BIG_KIB) return;
        s->saved_cache_size = size;
        s->cache_size_saved = true;
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", BIG_KIB);
    } else {
        if (!s->cache_size_saved) return;
        snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", s->saved_cache_size);
        s->cache_size_saved = false;
    }
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

long scores_count_children(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM children");
    if (!st) return 0;
    int rc = store_step(s, st);
    long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW) store_fail(s, rc, "counting children");
    sqlite3_reset(st);
    return n;
}

bool scores_writable(const store *s)
{
    return !s->readonly && sqlite3_db_readonly(s->db, "main") == 0;
}

static int find_by(store *s, sqlite3_stmt *st, const char *key, int64_t *child_id, char *first,
                   char *last, size_t n)
{
    store_bind_text(s, st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        *child_id = sqlite3_column_int64(st, 0);
        if (first && n) snprintf(first, n, "%s", store_col_text(st, 1));
        if (last && n) snprintf(last, n, "%s", store_col_text(st, 2));
        sqlite3_reset(st);
        return EXIT_OK;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return EXIT_DATA;
    return store_fail(s, rc, "finding a child");
}

int scores_find_child(store *s, const char *upn, const char *la_id, int64_t *child_id, char *first,
                      char *last, size_t n)
{
    int rc = EXIT_DATA;
    if (upn && *upn) {
        sqlite3_stmt *st =
            store_stmt(s, "SELECT id, first_name, last_name FROM children WHERE upn = ?1");
        if (!st) return EXIT_IO;
        rc = find_by(s, st, upn, child_id, first, last, n);
        if (rc != EXIT_DATA) return rc;
    }
    if (la_id && *la_id) {
        sqlite3_stmt *st =
            store_stmt(s, "SELECT id, first_name, last_name FROM children WHERE la_child_id = ?1");
        if (!st) return EXIT_IO;
        rc = find_by(s, st, la_id, child_id, first, last, n);
        if (rc != EXIT_DATA) return rc;
    }
    snprintf(s->err, sizeof s->err, "no such child");
    return EXIT_DATA;
}
