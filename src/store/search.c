/* search.c: the derived search state of migration 0010, folded in C (see store_internal.h).
 *
 * The triggers note which referrals' search text and which children's names changed
 * (search_stale, child_names_stale); this file is the one place that turns the one definition
 * of the text (the view referral_search_source, the children's name columns) into the stored,
 * folded copies (referral_search, child_names), whoever wrote the rows: a form of the app, an
 * import of 100,000 rows, or another program. */
#include "store_internal.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/text.h"
#include <string.h>
#include <time.h>

/* Whether the query sql (one row, one integer) answers non-zero; false on an error too. */
static bool any(store *s, const char *sql)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st) return false;
    bool yes = store_step(s, st) == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    return yes;
}

static bool stale(store *s)
{
    return any(s, "SELECT EXISTS (SELECT 1 FROM search_stale) OR "
                  "EXISTS (SELECT 1 FROM child_names_stale)");
}

/* One folded copy: which rows are noted, where the copy is, and the statements that keep it. */
typedef struct {
    const char *drop;  /* deletes the copies of the noted rows */
    const char *read;  /* the noted rows still there: id, then the texts to fold, in key order */
    const char *write; /* inserts (?1 id, ?2... the folded texts) */
    int texts;         /* how many texts a row has */
    const char *clear; /* forgets the notes */
    const char *what;
} derived_copy;

/* Refreshes one copy: the noted rows' copies go, and the texts they have now (from their one
 * definition), folded, come in their place. A row no longer there only loses its copy. In key
 * order: a lower rowid than the last makes the search index write out its pending terms. At most
 * limit noted rows (the lowest keys; -1: all of them). */
static int refresh(store *s, const derived_copy *d, int limit)
{
    sqlite3_stmt *drop = store_stmt(s, d->drop);
    if (!drop) return EXIT_IO;
    store_bind_int(s, drop, 1, limit);
    int rc = store_step_done(s, drop, d->what);
    if (rc) return rc;
    sqlite3_stmt *rd = store_stmt(s, d->read), *wr = store_stmt(s, d->write);
    if (!rd || !wr) return EXIT_IO;
    store_bind_int(s, rd, 1, limit);
    buf folded[2] = {BUF_INIT, BUF_INIT};
    int step;
    while ((step = store_step(s, rd)) == SQLITE_ROW) {
        store_bind_int64(s, wr, 1, sqlite3_column_int64(rd, 0));
        for (int i = 0; i < d->texts; i++) {
            buf_reset(&folded[i]);
            const char *text = (const char *)sqlite3_column_text(rd, i + 1);
            text_fold_n(&folded[i], text ? text : "", (size_t)sqlite3_column_bytes(rd, i + 1));
            store_bind_text(s, wr, i + 2, buf_str(&folded[i]), (int)folded[i].len, SQLITE_STATIC);
        }
        if ((rc = store_step_done(s, wr, d->what))) break;
    }
    sqlite3_reset(rd);
    for (int i = 0; i < 2; i++)
        buf_free(&folded[i]);
    if (rc) return rc;
    if (step != SQLITE_DONE) return store_fail(s, step, d->what);
    sqlite3_stmt *clear = store_stmt(s, d->clear);
    if (!clear) return EXIT_IO;
    store_bind_int(s, clear, 1, limit);
    return store_step_done(s, clear, d->what);
}

/* The text behind `/` (referral_search_source) into referral_search. */
static const derived_copy search_copy = {
    "DELETE FROM referral_search WHERE rowid IN (SELECT id FROM search_stale ORDER BY id "
    "LIMIT ?1)",
    "SELECT v.id, v.body FROM (SELECT id FROM search_stale ORDER BY id LIMIT ?1) q "
    "CROSS JOIN referral_search_source v ON v.id = q.id ORDER BY q.id",
    "INSERT INTO referral_search(rowid, body) VALUES (?1, ?2)",
    1,
    "DELETE FROM search_stale WHERE id IN (SELECT id FROM search_stale ORDER BY id LIMIT ?1)",
    "indexing referrals for search"};

/* Children's names into child_names, for the child finder. */
static const derived_copy names_copy = {
    "DELETE FROM child_names WHERE id IN (SELECT id FROM child_names_stale ORDER BY id "
    "LIMIT ?1)",
    "SELECT c.id, c.first_name, c.last_name FROM (SELECT id FROM child_names_stale ORDER BY id "
    "LIMIT ?1) q CROSS JOIN children c ON c.id = q.id ORDER BY q.id",
    "INSERT INTO child_names(id, first, last) VALUES (?1, ?2, ?3)",
    2,
    "DELETE FROM child_names_stale WHERE id IN (SELECT id FROM child_names_stale ORDER BY id "
    "LIMIT ?1)",
    "indexing children's names"};

int store_search_refresh(store *s)
{
    if (s->search_deferred || !stale(s)) return EXIT_OK;
    int rc = refresh(s, &search_copy, -1);
    return rc ? rc : refresh(s, &names_copy, -1);
}

int store_search_catch_up(store *s, int chunk, int pause_ms)
{
    if (s->readonly || s->in_tx) return EXIT_OK;
    while (stale(s)) {
        if (pause_ms > 0) {
            /* A writer waiting since the last commit (caseload's busy handler looks every 20
             * ms) gets in first. */
            struct timespec t = {pause_ms / 1000, (long)(pause_ms % 1000) * 1000000L};
            nanosleep(&t, NULL);
        }
        int rc = store_begin(s);
        if (rc) return rc;
        s->search_deferred = true; /* store_commit folds no more than this chunk */
        if ((rc = refresh(s, &search_copy, chunk)) || (rc = refresh(s, &names_copy, chunk))) {
            store_rollback(s);
            return rc;
        }
        if ((rc = store_commit(s))) return rc;
    }
    return EXIT_OK;
}

int store_search_current(store *s)
{
    if (s->readonly || s->in_tx || !stale(s)) return EXIT_OK;
    int rc = store_begin_now(s);
    if (rc == EXIT_BUSY) return EXIT_OK; /* another writer: it folds them when it commits */
    if (rc) return rc;
    return store_commit(s); /* which folds them */
}

/* caseload_words(text, words): 1 when every word of words (separated by spaces) occurs in text,
 * else 0; NULL text has no words. Both sides are folded already (text_fold). */
static void words_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    const char *words = (const char *)sqlite3_value_text(argv[1]);
    if (!text || !words) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    size_t len = (size_t)sqlite3_value_bytes(argv[0]);
    for (const char *p = words; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n && !memmem(text, len, p, n)) {
            sqlite3_result_int(ctx, 0);
            return;
        }
        p += n;
    }
    sqlite3_result_int(ctx, 1);
}

int store_search_register(store *s)
{
    int rc = sqlite3_create_function_v2(s->db, "caseload_words", 2,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                        words_fn, NULL, NULL, NULL);
    return rc == SQLITE_OK ? EXIT_OK : store_fail(s, rc, "opening the database");
}
