/* check.c: is the database sound? The quick check run before a copy or an import
 * (store_quick_check), and the checks of `caseload check` (caseload/check.h): SQLite's integrity
 * and foreign key checks, the search index's own check, and each table or column the triggers of
 * data/migrations derive from the facts, compared with those facts. Problems are named by table,
 * code and id, never by what a row says about a child. */
#include "caseload/check.h"
#include "store_internal.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/name.h"
#include "caseload/text.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SHOWN = 5 }; /* problems spelt out in a detail; the rest are counted */

void check_problem(check_result *r, const char *fmt, ...)
{
    r->problems++;
    if (r->problems > SHOWN) return;
    size_t used = strlen(r->detail);
    if (used && used + 2 < sizeof r->detail) {
        memcpy(r->detail + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->detail + used, sizeof r->detail - used, fmt, ap);
    va_end(ap);
}

void check_finish(check_result *r)
{
    size_t used = strlen(r->detail);
    if (r->problems > SHOWN && used < sizeof r->detail)
        snprintf(r->detail + used, sizeof r->detail - used, "; and %ld more", r->problems - SHOWN);
}

/* After the last step of a check's query: a read that fails is a finding, unless another
 * program held the lock. */
static int stepped(store *s, int rc, check_result *r, const char *what)
{
    if (rc == SQLITE_DONE || rc == SQLITE_OK) return EXIT_OK;
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return store_fail(s, rc, what);
    check_problem(r, "%s: %s", what, sqlite3_errmsg(s->db));
    return EXIT_OK;
}

/* A statement for a check; NULL (with *rc set: a finding noted, or EXIT_BUSY) when it cannot be
 * prepared, as when the table it reads is damaged. */
static sqlite3_stmt *prepare(store *s, const char *sql, check_result *r, const char *what, int *rc)
{
    sqlite3_stmt *st = NULL;
    int prc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (prc != SQLITE_OK) *rc = stepped(s, prc, r, what);
    return st;
}

/* Calls fn for each line of a row of PRAGMA integrity_check or quick_check (one row may hold
 * several lines), but "ok" and the "*** in database main ***" heading. */
static void each_finding(const char *text, void (*fn)(void *arg, const char *line, int n),
                         void *arg)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        if (n && !(n == 2 && memcmp(text, "ok", 2) == 0) && strncmp(text, "*** ", 4) != 0)
            fn(arg, text, (int)n);
        text += n;
        if (*text) text++;
    }
}

typedef struct {
    char text[400];
    int lines;
} findings;

static void add_finding(void *arg, const char *line, int n)
{
    findings *f = arg;
    size_t used = strlen(f->text);
    snprintf(f->text + used, sizeof f->text - used, "%s%.*s", f->lines++ ? "; " : "", n, line);
}

static void add_problem(void *arg, const char *line, int n)
{
    check_problem(arg, "%.*s", n, line);
}

int store_quick_check(store *s)
{
    findings f = {"", 0};
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(3)", -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = store_step(s, st)) == SQLITE_ROW) {
        each_finding(store_col_text(st, 0), add_finding, &f);
        rc = SQLITE_OK;
    }
    /* Busy: said (store_fail) while the statement's message is still there. */
    bool busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
    int failed = busy ? store_fail(s, rc, "checking the database") : EXIT_OK;
    if (!busy && rc != SQLITE_DONE)
        add_finding(&f, sqlite3_errmsg(s->db), (int)strlen(sqlite3_errmsg(s->db)));
    sqlite3_finalize(st);
    if (busy) return failed;
    if (!f.lines) return EXIT_OK;
    snprintf(
        s->err, sizeof s->err,
        "the database is damaged (quick check: %.300s): caseload will not copy it or write into "
        "it; run `caseload check`, and restore it from a backup",
        f.text);
    return EXIT_IO;
}

int check_integrity(const check_ctx *c, check_result *r)
{
    int rc = EXIT_OK;
    sqlite3_stmt *st = prepare(c->s, "PRAGMA integrity_check(1000)", r, "integrity check", &rc);
    if (!st) return rc;
    int src;
    while ((src = store_step(c->s, st)) == SQLITE_ROW)
        each_finding(store_col_text(st, 0), add_problem, r);
    rc = stepped(c->s, src, r, "integrity check");
    sqlite3_finalize(st);
    return rc;
}

int check_foreign_keys(const check_ctx *c, check_result *r)
{
    int rc = EXIT_OK;
    sqlite3_stmt *st = prepare(c->s, "PRAGMA foreign_key_check", r, "foreign key check", &rc);
    if (!st) return rc;
    int src;
    while ((src = store_step(c->s, st)) == SQLITE_ROW)
        check_problem(r, "%s row %lld: no %s row it refers to", store_col_text(st, 0),
                      (long long)sqlite3_column_int64(st, 1), store_col_text(st, 2));
    rc = stepped(c->s, src, r, "foreign key check");
    sqlite3_finalize(st);
    return rc;
}

int check_header(const check_ctx *c, check_result *r)
{
    int rc = EXIT_OK;
    sqlite3_stmt *st = prepare(c->s,
                               "SELECT application_id, user_version FROM pragma_application_id, "
                               "pragma_user_version",
                               r, "reading the header", &rc);
    if (!st) return rc;
    int src = store_step(c->s, st);
    if (src == SQLITE_ROW) {
        long long app = sqlite3_column_int64(st, 0), version = sqlite3_column_int64(st, 1);
        if (app != STORE_APPLICATION_ID)
            check_problem(r, "application_id is 0x%08llx, not caseload's 0x%08x",
                          (unsigned long long)app, STORE_APPLICATION_ID);
        if (version != store_schema_latest())
            check_problem(r, "schema version %lld, not %d", version, store_schema_latest());
        src = SQLITE_DONE;
    }
    rc = stepped(c->s, src, r, "reading the header");
    sqlite3_finalize(st);
    return rc;
}

int check_row_keys(const check_ctx *c, check_result *r)
{
    store *s = c->s;
    char v[32];
    if (!store_meta_get(s, "device_id", v, sizeof v)) {
        check_problem(r, "meta has no device_id");
        return EXIT_OK;
    }
    long long device = strtoll(v, NULL, 10);
    long long counter = store_meta_get(s, "counter", v, sizeof v) ? strtoll(v, NULL, 10) : -1;
    if (counter < 0) {
        check_problem(r, "meta has no counter");
        return EXIT_OK;
    }
    /* Every ordinary table keyed by id (not the search index's own tables). */
    int rc = EXIT_OK;
    sqlite3_stmt *tables =
        prepare(s,
                "SELECT t.name FROM sqlite_master t WHERE t.type = 'table' AND t.name NOT LIKE "
                "'sqlite%' AND t.sql NOT LIKE 'CREATE VIRTUAL%' AND NOT EXISTS (SELECT 1 FROM "
                "sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL%' AND t.name LIKE v.name || "
                "'\\_%' ESCAPE '\\') AND EXISTS (SELECT 1 FROM pragma_table_info(t.name) WHERE "
                "name = 'id' AND pk = 1) ORDER BY t.name",
                r, "listing the tables", &rc);
    if (!tables) return rc;
    int src;
    while (rc == EXIT_OK && (src = store_step(c->s, tables)) == SQLITE_ROW) {
        const char *name = store_col_text(tables, 0);
        char *sql = sqlite3_mprintf("SELECT max(id) FROM \"%w\" WHERE id BETWEEN ?1 AND ?2", name);
        sqlite3_stmt *st = prepare(s, sql, r, name, &rc);
        sqlite3_free(sql);
        if (!st) continue;
        store_bind_int64(c->s, st, 1, device << 32);
        store_bind_int64(c->s, st, 2, (device << 32) | 0xffffffffLL);
        int qrc = store_step(c->s, st);
        if (qrc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            long long last = sqlite3_column_int64(st, 0) & 0xffffffffLL;
            if (last > counter)
                check_problem(r,
                              "%s: row keys of this copy reach %lld, past the counter %lld: new "
                              "rows would take keys already used",
                              name, last, counter);
        }
        rc = stepped(s, qrc == SQLITE_ROW ? SQLITE_DONE : qrc, r, name);
        sqlite3_finalize(st);
    }
    if (rc == EXIT_OK) rc = stepped(s, src, r, "listing the tables");
    sqlite3_finalize(tables);
    return rc;
}

/* Compares the folded copies with their one definition (data/DERIVED.md): each row of sql gives
 * an id, then `texts` pairs (the text now, the copy stored: NULL when there is none). Rows still
 * noted as stale (to be folded at the next commit) are left out by sql; fold is the copy's
 * folding (search.c's: text_fold_n for the search text, name_key_n for the finder's names). */
static int compare_folded(store *s, const char *sql, int texts,
                          void (*fold)(buf *, const char *, size_t), const char *table,
                          const char *owner, check_result *r)
{
    int rc = EXIT_OK;
    sqlite3_stmt *st = prepare(s, sql, r, table, &rc);
    if (!st) return rc;
    buf folded = BUF_INIT;
    int src;
    while ((src = store_step(s, st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
            check_problem(r, "%s %lld: no %s row", owner, id, table);
            continue;
        }
        for (int i = 0; i < texts; i++) {
            const char *now = (const char *)sqlite3_column_text(st, 1 + 2 * i);
            buf_reset(&folded);
            fold(&folded, now ? now : "", (size_t)sqlite3_column_bytes(st, 1 + 2 * i));
            const char *kept = store_col_text(st, 2 + 2 * i);
            if (strlen(kept) != folded.len || memcmp(kept, buf_str(&folded), folded.len) != 0) {
                check_problem(r, "%s %lld: %s holds other text than its %s", owner, id, table,
                              owner);
                break;
            }
        }
    }
    buf_free(&folded);
    rc = stepped(s, src, r, table);
    sqlite3_finalize(st);
    return rc;
}

int check_search_index(const check_ctx *c, check_result *r)
{
    store *s = c->s;
    /* The index against its own stored text (SQLite runs the command as a write). */
    if (!s->readonly && sqlite3_db_readonly(s->db, "main") == 0) {
        int rc = sqlite3_exec(
            s->db,
            "INSERT INTO referral_search(referral_search, rank) VALUES ('integrity-check', 1)",
            NULL, NULL, NULL);
        int primary = rc & 0xff;
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
            return store_fail(s, rc, "checking the search index");
        if (primary == SQLITE_CORRUPT)
            check_problem(r, "referral_search: its index does not match its text");
        else if (rc != SQLITE_OK)
            check_problem(r, "referral_search: %s", sqlite3_errmsg(s->db));
    }
    /* Its text against the referrals, children and schools it is made from. */
    int rc = compare_folded(
        s,
        "SELECT v.id, v.body, t.body FROM referral_search_source v LEFT JOIN referral_search t "
        "ON t.rowid = v.id WHERE v.id NOT IN (SELECT id FROM search_stale) ORDER BY v.id",
        1, text_fold_n, "referral_search", "referral", r);
    if (rc) return rc;
    sqlite3_stmt *st = prepare(s,
                               "SELECT rowid FROM referral_search WHERE rowid NOT IN (SELECT id "
                               "FROM referrals) AND rowid NOT IN (SELECT id FROM search_stale) "
                               "ORDER BY rowid",
                               r, "referral_search", &rc);
    if (!st) return rc;
    int src;
    while ((src = store_step(c->s, st)) == SQLITE_ROW)
        check_problem(r, "referral_search row %lld: no such referral",
                      (long long)sqlite3_column_int64(st, 0));
    rc = stepped(s, src, r, "referral_search");
    sqlite3_finalize(st);
    if (!rc && !r->problems && (s->readonly || sqlite3_db_readonly(s->db, "main") == 1))
        snprintf(r->detail, sizeof r->detail,
                 "the index's own integrity-check not run: the database is read-only");
    return rc;
}

/* child_name_words (migration 0019) against the children's names: each child's rows as
 * store_name_words_expect derives them, and its flag child_names.words (migration 0020), and no
 * rows of a child that is gone. */
static int check_child_name_words(store *s, check_result *r)
{
    int rc = EXIT_OK;
    sqlite3_stmt *st = prepare(
        s,
        "SELECT c.id, c.first_name, c.last_name, (SELECT group_concat(x, char(10)) FROM (SELECT "
        "word || char(9) || last || char(9) || first || char(9) || first_words || char(9) || "
        "last_words AS x FROM child_name_words w WHERE w.id = c.id ORDER BY word)), (SELECT "
        "words FROM child_names n WHERE n.id = c.id) FROM children c WHERE c.id NOT IN (SELECT "
        "id FROM child_names_stale) ORDER BY c.id",
        r, "child_name_words", &rc);
    if (!st) return rc;
    buf want = BUF_INIT;
    int src;
    while ((src = store_step(s, st)) == SQLITE_ROW) {
        buf_reset(&want);
        bool flag = store_name_words_expect(&want, (const char *)sqlite3_column_text(st, 1),
                                            (const char *)sqlite3_column_text(st, 2));
        if (strcmp(buf_str(&want), store_col_text(st, 3)) != 0)
            check_problem(r, "child %lld: child_name_words holds other words than its names",
                          (long long)sqlite3_column_int64(st, 0));
        if (sqlite3_column_type(st, 4) != SQLITE_NULL && sqlite3_column_int(st, 4) != flag)
            check_problem(r, "child %lld: child_names.words is %d, its names say %d",
                          (long long)sqlite3_column_int64(st, 0), sqlite3_column_int(st, 4), flag);
    }
    buf_free(&want);
    rc = stepped(s, src, r, "child_name_words");
    sqlite3_finalize(st);
    if (rc) return rc;
    st = prepare(s,
                 "SELECT DISTINCT id FROM child_name_words WHERE id NOT IN (SELECT id FROM "
                 "children) AND id NOT IN (SELECT id FROM child_names_stale) ORDER BY id",
                 r, "child_name_words", &rc);
    if (!st) return rc;
    while ((src = store_step(s, st)) == SQLITE_ROW)
        check_problem(r, "child_name_words of %lld: no such child",
                      (long long)sqlite3_column_int64(st, 0));
    rc = stepped(s, src, r, "child_name_words");
    sqlite3_finalize(st);
    return rc;
}

int check_child_names(const check_ctx *c, check_result *r)
{
    int rc = compare_folded(
        c->s,
        "SELECT c.id, c.first_name, n.first, c.last_name, n.last FROM children c LEFT JOIN "
        "child_names n ON n.id = c.id WHERE c.id NOT IN (SELECT id FROM child_names_stale) "
        "ORDER BY c.id",
        2, name_key_n, "child_names", "child", r);
    if (rc) return rc;
    sqlite3_stmt *st = prepare(c->s,
                               "SELECT id FROM child_names WHERE id NOT IN (SELECT id FROM "
                               "children) AND id NOT IN (SELECT id FROM child_names_stale) "
                               "ORDER BY id",
                               r, "child_names", &rc);
    if (!st) return rc;
    int src;
    while ((src = store_step(c->s, st)) == SQLITE_ROW)
        check_problem(r, "child_names row %lld: no such child",
                      (long long)sqlite3_column_int64(st, 0));
    rc = stepped(c->s, src, r, "child_names");
    sqlite3_finalize(st);
    return rc ? rc : check_child_name_words(c->s, r);
}

int check_referral_counts(const check_ctx *c, check_result *r)
{
    int rc = EXIT_OK;
    sqlite3_stmt *st = prepare(
        c->s,
        "SELECT issue, status, sum(stored), sum(counted) FROM ("
        " SELECT issue, status, n AS stored, 0 AS counted FROM referral_counts"
        " UNION ALL SELECT issue, status, 0, count(*) FROM referrals GROUP BY issue, status)"
        " GROUP BY issue, status HAVING sum(stored) <> sum(counted) ORDER BY issue, status",
        r, "referral_counts", &rc);
    if (!st) return rc;
    int src;
    while ((src = store_step(c->s, st)) == SQLITE_ROW)
        check_problem(r, "%s/%s: %lld stored, %lld referrals", store_col_text(st, 0),
                      store_col_text(st, 1), (long long)sqlite3_column_int64(st, 2),
                      (long long)sqlite3_column_int64(st, 3));
    rc = stepped(c->s, src, r, "referral_counts");
    sqlite3_finalize(st);
    return rc;
}

int check_referral_list(const check_ctx *c, check_result *r)
{
    static const char *const columns[] = {"child_id", "issue", "status", "officer_id", "score"};
    int rc = EXIT_OK;
    /* Each referral against its row: missing (1), or which copied columns differ. */
    sqlite3_stmt *st =
        prepare(c->s,
                "SELECT r.id, l.id IS NULL, l.child_id IS NOT r.child_id, l.issue IS NOT r.issue,"
                " l.status IS NOT r.status, l.officer_id IS NOT r.officer_id,"
                " l.score IS NOT coalesce(cs.score, 0)"
                " FROM referrals r LEFT JOIN referral_list l ON l.id = r.id"
                " LEFT JOIN child_scores cs ON cs.child_id = r.child_id"
                " WHERE l.id IS NULL OR l.child_id IS NOT r.child_id OR l.issue IS NOT r.issue"
                " OR l.status IS NOT r.status OR l.officer_id IS NOT r.officer_id"
                " OR l.score IS NOT coalesce(cs.score, 0) ORDER BY r.id",
                r, "referral_list", &rc);
    if (!st) return rc;
    int src;
    while ((src = store_step(c->s, st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_int(st, 1)) {
            check_problem(r, "referral %lld: no referral_list row", id);
            continue;
        }
        char differ[80] = "";
        for (int i = 0; i < 5; i++) {
            if (!sqlite3_column_int(st, 2 + i)) continue;
            size_t used = strlen(differ);
            snprintf(differ + used, sizeof differ - used, "%s%s", used ? ", " : "", columns[i]);
        }
        check_problem(r, "referral %lld: referral_list differs in %s", id, differ);
    }
    rc = stepped(c->s, src, r, "referral_list");
    sqlite3_finalize(st);
    if (rc) return rc;
    st = prepare(c->s,
                 "SELECT 'referral_list', l.id, 'referral' FROM referral_list l WHERE NOT EXISTS "
                 "(SELECT 1 FROM referrals r WHERE r.id = l.id) UNION ALL "
                 "SELECT 'child_scores', s.child_id, 'child' FROM child_scores s WHERE NOT EXISTS "
                 "(SELECT 1 FROM children ch WHERE ch.id = s.child_id) ORDER BY 1, 2",
                 r, "referral_list", &rc);
    if (!st) return rc;
    while ((src = store_step(c->s, st)) == SQLITE_ROW)
        check_problem(r, "%s row %lld: no such %s", store_col_text(st, 0),
                      (long long)sqlite3_column_int64(st, 1), store_col_text(st, 2));
    rc = stepped(c->s, src, r, "referral_list");
    sqlite3_finalize(st);
    return rc;
}

int check_follow_up(const check_ctx *c, check_result *r)
{
    int rc = EXIT_OK;
    /* Each side read once (the view groups every action), compared by referral. */
    sqlite3_stmt *st =
        prepare(c->s,
                "SELECT id, max(stored), max(pending) FROM ("
                " SELECT id, follow_up AS stored, NULL AS pending FROM referral_follow_up"
                " UNION ALL SELECT id, NULL, follow_up FROM referral_follow_up_source)"
                " GROUP BY id HAVING max(stored) IS NOT max(pending) ORDER BY id",
                r, "referral_follow_up", &rc);
    if (!st) return rc;
    int src;
    while ((src = store_step(c->s, st)) == SQLITE_ROW) {
        const char *stored = (const char *)sqlite3_column_text(st, 1);
        const char *pending = (const char *)sqlite3_column_text(st, 2);
        check_problem(r, "referral %lld: referral_follow_up says %s, its actions %s",
                      (long long)sqlite3_column_int64(st, 0), stored ? stored : "none",
                      pending ? pending : "none pending");
    }
    rc = stepped(c->s, src, r, "referral_follow_up");
    sqlite3_finalize(st);
    return rc;
}
