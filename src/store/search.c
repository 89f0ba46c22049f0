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
#include "caseload/name.h"
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
    const char *bound; /* the key of the last of the lowest ?1 noted rows (NULL: none noted) */
    const char *read;  /* the noted rows up to key ?1 that have a copy, in key order: id, the
                          texts to fold (the first NULL when the row is gone), then the texts its
                          copy holds */
    const char *add;   /* writes, in key order, the copy of every noted row up to key ?1 that has
                          none and is still there, its texts folded by the SQL function of fold */
    const char *put;   /* writes the copy of a row, replacing what it held (?1 id, ?2... texts) */
    const char *drop;  /* deletes the copy of row ?1 */
    int texts;         /* how many texts a row has */
    const char *clear_upto; /* forgets the notes up to key ?1 */
    const char *clear_all;  /* forgets every note */
    const char *what;
    void (*fold)(buf *out, const char *s, size_t n); /* the one definition of the folding */
    /* What else a row derives (NULL: nothing): of a row that had a copy, after its copy is
     * written or found held (rd on the row, its texts folded but when gone); of the rows that
     * had none up to key upto, after add writes theirs (their notes not yet forgotten). */
    int (*also)(store *s, sqlite3_stmt *rd, int64_t id, const buf *folded, bool gone);
    int (*also_new)(store *s, int64_t upto);
} derived_copy;

/* Whether the copy read in columns from.. of rd holds the texts folded[] already. */
static bool holds(sqlite3_stmt *rd, int from, const buf *folded, int texts)
{
    for (int i = 0; i < texts; i++) {
        const char *t = (const char *)sqlite3_column_text(rd, from + i);
        size_t n = (size_t)sqlite3_column_bytes(rd, from + i);
        if (!t || n != folded[i].len || (n && memcmp(t, folded[i].data, n) != 0)) return false;
    }
    return true;
}

/* The noted rows up to key upto that have a copy, one by one: a row no longer there loses it,
 * one whose texts as they are now (from their one definition), folded, differ from it gets them
 * in its place, and a copy that holds them already is not written (a full-text row is deleted
 * and indexed again whole). */
static int refresh_copies(store *s, const derived_copy *d, int64_t upto)
{
    sqlite3_stmt *rd = store_stmt(s, d->read);
    if (!rd) return EXIT_IO;
    store_bind_int64(s, rd, 1, upto);
    buf folded[2] = {BUF_INIT, BUF_INIT};
    int step, rc = EXIT_OK;
    while ((step = store_step(s, rd)) == SQLITE_ROW) {
        bool gone = sqlite3_column_type(rd, 1) == SQLITE_NULL;
        for (int i = 0; !gone && i < d->texts; i++) {
            buf_reset(&folded[i]);
            const char *text = (const char *)sqlite3_column_text(rd, i + 1);
            d->fold(&folded[i], text ? text : "", (size_t)sqlite3_column_bytes(rd, i + 1));
        }
        if (!gone && holds(rd, 1 + d->texts, folded, d->texts)) {
            if (d->also && (rc = d->also(s, rd, sqlite3_column_int64(rd, 0), folded, false))) break;
            continue;
        }
        sqlite3_stmt *wr = store_stmt(s, gone ? d->drop : d->put);
        if (!wr) {
            rc = EXIT_IO;
            break;
        }
        store_bind_int64(s, wr, 1, sqlite3_column_int64(rd, 0));
        for (int i = 0; !gone && i < d->texts; i++)
            store_bind_text(s, wr, i + 2, buf_str(&folded[i]), (int)folded[i].len, SQLITE_STATIC);
        if ((rc = store_step_done(s, wr, d->what))) break;
        if (d->also && (rc = d->also(s, rd, sqlite3_column_int64(rd, 0), folded, gone))) break;
    }
    sqlite3_reset(rd);
    for (int i = 0; i < 2; i++)
        buf_free(&folded[i]);
    if (rc) return rc;
    return step == SQLITE_DONE ? EXIT_OK : store_fail(s, step, d->what);
}

/* Refreshes one copy for at most limit noted rows (the lowest keys; -1: all of them): those with
 * a copy one by one (refresh_copies), then those with none (most of a large import's) in one
 * statement, then their notes forgotten. In key order within each: the search index keeps what
 * it is given in memory until the commit as long as the rowids it is given go up (a lower one
 * makes it write out what it holds, and each segment it writes costs merging later); the new rows
 * of a change usually have the highest keys. */
static int refresh(store *s, const derived_copy *d, int limit)
{
    int64_t upto = INT64_MAX;
    if (limit >= 0) {
        sqlite3_stmt *st = store_stmt(s, d->bound);
        if (!st) return EXIT_IO;
        store_bind_int(s, st, 1, limit);
        int step = store_step(s, st);
        bool none = step == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_NULL;
        if (step == SQLITE_ROW) upto = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        if (step != SQLITE_ROW) return store_fail(s, step, d->what);
        if (none) return EXIT_OK;
    }
    int rc = refresh_copies(s, d, upto);
    sqlite3_stmt *st = rc ? NULL : store_stmt(s, d->add);
    if (rc || !st) return rc ? rc : EXIT_IO;
    store_bind_int64(s, st, 1, upto);
    if ((rc = store_step_done(s, st, d->what))) return rc;
    if (d->also_new && (rc = d->also_new(s, upto))) return rc;
    /* Every note when there was no limit, which SQLite forgets at once (a DELETE with no WHERE
     * empties the table) where it would delete them one by one. */
    st = store_stmt(s, limit < 0 ? d->clear_all : d->clear_upto);
    if (!st) return EXIT_IO;
    if (limit >= 0) store_bind_int64(s, st, 1, upto);
    return store_step_done(s, st, d->what);
}

/* The text behind `/` (referral_search_source) into referral_search; what a row holds is read
 * from the index's own table of its texts (FTS5's referral_search_content), a plain lookup by
 * key beside the noted row. The notes are read in their table's own order (no sort). The new
 * rows' texts are read in a subquery (LIMIT: not flattened) so that the view's text is made once
 * for each, looked at and folded. */
static const derived_copy search_copy = {
    "SELECT max(id) FROM (SELECT id FROM search_stale ORDER BY id LIMIT ?1)",
    "SELECT q.id, (SELECT v.body FROM referral_search_source v WHERE v.id = q.id), h.c0 "
    "FROM search_stale q JOIN referral_search_content h ON h.id = q.id WHERE q.id <= ?1 "
    "ORDER BY q.id",
    "INSERT INTO referral_search(rowid, body) SELECT id, caseload_fold(body) "
    "FROM (SELECT q.id AS id, v.body AS body FROM search_stale q "
    "JOIN referral_search_source v ON v.id = q.id WHERE q.id <= ?1 AND NOT EXISTS "
    "(SELECT 1 FROM referral_search_content h WHERE h.id = q.id) ORDER BY q.id LIMIT -1) "
    "WHERE body IS NOT NULL",
    "INSERT OR REPLACE INTO referral_search(rowid, body) VALUES (?1, ?2)",
    "DELETE FROM referral_search WHERE rowid = ?1",
    1,
    "DELETE FROM search_stale WHERE id <= ?1",
    "DELETE FROM search_stale",
    "indexing referrals for search",
    text_fold_n,
    NULL,
    NULL};

/* Children's names into child_names, for the child finder: each keyed by name_key (folded, without
 * spaces, hyphens and apostrophes), as import's and the app's duplicates compare names and as the
 * finder reads what is typed (name_query); the words of a name after its first into
 * child_name_words (store_name_words_keep and _add, src/store/name_words.c). A row with a copy
 * (refreshed already) is passed over by its key (OR IGNORE: nothing else can conflict), not looked
 * for first: a statement that reads the table it adds to would copy all its rows aside before
 * adding one. */
static const derived_copy names_copy = {
    "SELECT max(id) FROM (SELECT id FROM child_names_stale ORDER BY id LIMIT ?1)",
    "SELECT q.id, c.first_name, c.last_name, n.first, n.last FROM child_names_stale q "
    "JOIN child_names n ON n.id = q.id LEFT JOIN children c ON c.id = q.id WHERE q.id <= ?1 "
    "ORDER BY q.id",
    "INSERT OR IGNORE INTO child_names(id, first, last, words) "
    "SELECT q.id, caseload_name_key(c.first_name), caseload_name_key(c.last_name), "
    "caseload_name_words(c.first_name, c.last_name) "
    "FROM child_names_stale q JOIN children c ON c.id = q.id WHERE q.id <= ?1 "
    "AND c.first_name IS NOT NULL ORDER BY q.id",
    "INSERT OR REPLACE INTO child_names(id, first, last) VALUES (?1, ?2, ?3)",
    "DELETE FROM child_names WHERE id = ?1",
    2,
    "DELETE FROM child_names_stale WHERE id <= ?1",
    "DELETE FROM child_names_stale",
    "indexing children's names",
    name_key_n,
    store_name_words_keep,
    store_name_words_add};

int store_search_refresh(store *s)
{
    if (s->search_deferred || !stale(s)) return EXIT_OK;
    int rc = refresh(s, &search_copy, -1);
    return rc ? rc : refresh(s, &names_copy, -1);
}

static long long elapsed_ms(const struct timespec *from)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - from->tv_sec) * 1000 + (now.tv_nsec - from->tv_nsec) / 1000000;
}

int store_search_catch_up(store *s, int batch, int work_ms, int pause_ms)
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
        s->search_deferred = true; /* store_commit folds no more than this transaction's */
        /* Batch after batch for work_ms, as long as the machine takes for them: a busy machine
         * folds fewer in one transaction, so the lock is held about as long. */
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        do {
            if ((rc = refresh(s, &search_copy, batch)) || (rc = refresh(s, &names_copy, batch))) {
                store_rollback(s);
                return rc;
            }
        } while (elapsed_ms(&start) < work_ms && stale(s));
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

/* The SQL functions of the store's connection. caseload_fold(text) and caseload_name_key(text):
 * the foldings of derived_copy's fold (NULL read as ''), for the statements that add many copies
 * at once; caseload_name_words(first, last) (src/store/name_words.c), whether a child's names may
 * have words after their firsts. */
typedef struct {
    const char *name;
    int args;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
    void (*fold)(buf *out, const char *s, size_t n); /* fold_fn's (its user data: this entry) */
} sql_function;

static void fold_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const sql_function *f = sqlite3_user_data(ctx);
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    buf out = BUF_INIT;
    f->fold(&out, text ? text : "", text ? (size_t)sqlite3_value_bytes(argv[0]) : 0);
    sqlite3_result_text(ctx, buf_str(&out), (int)out.len, SQLITE_TRANSIENT);
    buf_free(&out);
}

static const sql_function functions[] = {{"caseload_words", 2, words_fn, NULL},
                                         {"caseload_fold", 1, fold_fn, text_fold_n},
                                         {"caseload_name_key", 1, fold_fn, name_key_n},
                                         {"caseload_name_words", 2, store_name_words_fn, NULL}};

int store_search_register(store *s)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
        const sql_function *f = &functions[i];
        int rc = sqlite3_create_function_v2(s->db, f->name, f->args,
                                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                            (void *)f, f->fn, NULL, NULL, NULL);
        if (rc != SQLITE_OK) return store_fail(s, rc, "opening the database");
    }
    return EXIT_OK;
}
