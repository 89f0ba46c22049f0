/* store_internal: what the files of src/store share and nothing outside src/store may see. */
#ifndef CASELOAD_STORE_INTERNAL_H
#define CASELOAD_STORE_INTERNAL_H

#include "caseload/buf.h"
#include "caseload/records.h"
#include "caseload/store.h"
#include "caseload/syncstore.h"
/* The session extension (src/store/sync.c): Debian's libsqlite3 has it, the header declares it
 * only with these. */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#define STORE_CACHE_MAX 128
#define STORE_CACHE_HINTS 256
/* The longest FTS5 query of a list's text filter (list_query.phrase, browse.dense_phrase). */
#define STORE_PHRASE_MAX 1024

struct store {
    sqlite3 *db;
    char err[512];
    bool readonly;
    bool in_tx;
    int64_t device;  /* this copy's device id, < 2^31 */
    int64_t counter; /* last counter handed out in this transaction */
    bool counter_dirty;
    char now[32];               /* store_now's timestamp for the open transaction; "" until asked */
    bool deferred_indexes;      /* records_defer_indexes dropped some in the open transaction */
    bool deferred_child_names;  /* records_defer_child_names set child_names_insert aside */
    int64_t child_names_from;   /* the last id handed out before it did (the new ones are above) */
    bool search_deferred;       /* store_defer_search: the commit leaves the search text noted */
    bool rollback_journal;      /* store_begin_large left WAL for this transaction */
    long long saved_cache_size; /* cache_size before scores_big_cache raised it */
    bool bulk;                  /* between store_bulk_begin and store_bulk_end */
    long long bulk_cache_size;  /* cache_size before store_bulk_begin raised it */
    bool cache_size_saved;
    bool identified;           /* store_identify ran (else the audit asks $CASELOAD_OFFICER) */
    char officer[16];          /* initials of the known officer using this connection, or "" */
    char claimed[64];          /* what named an officer who is not known, or "" */
    int busy_ms;               /* how long a statement waits for another program's lock */
    void (*wait_hook)(void *); /* store_on_wait: told once per wait, when it starts */
    void *wait_ctx;
    long long busy_start;  /* when (monotonic ms) the handler started waiting for this lock */
    long long busy_at;     /* when it last ran, 0 once a failure reported its wait */
    long long busy_waited; /* how long it had waited then */
    char *tidy;            /* read-only: the path, when it had no -wal/-shm at open */
    struct {
        const char *sql; /* compared by address: pass string literals */
        sqlite3_stmt *stmt;
    } cache[STORE_CACHE_MAX];
    int ncache;
    unsigned char cache_hint[STORE_CACHE_HINTS]; /* store_stmt: where a text was found last */
    int bind_rc; /* the first failed store_bind_* not yet reported by store_step */
    struct store_sync
        *sync;        /* syncstore_internal.h: the session and its statements; NULL until used */
    struct {          /* src/store/browse.c: what this store's list queries learnt */
        bool partial; /* the last page or count stopped at its budget (browse_partial) */
        bool budget_fixed; /* browse_set_budget: index_ms and walk_ms instead of the default */
        double index_ms, walk_ms;
        char dense_phrase[STORE_PHRASE_MAX]; /* the last text too common for the index in time */
    } browse;
};

/* Sets how long statements wait for a lock held by another program (0: not at all), with
 * store_on_wait's hook told when a wait starts. */
void store_set_busy(store *s, int ms);

/* A prepared statement for sql (a string literal: cached by its address), reset and with its
 * bindings cleared. Returns NULL and sets the error on failure. */
sqlite3_stmt *store_stmt(store *s, const char *sql);
/* Records sqlite's message for rc, prefixed with what was being done, and returns the exit code
 * that rc maps to (busy/locked -> EXIT_BUSY, everything else -> EXIT_IO). */
int store_fail(store *s, int rc, const char *what);
/* A text column into a char array (cut to its size on a character boundary). */
#define COPY(dst, st, i) store_copy_text((dst), sizeof(dst), store_col_text((st), (i)))
/* Steps a statement that returns no row, then resets it; the failure is described as `what`. */
int store_step_done(store *s, sqlite3_stmt *st, const char *what);
/* Steps a query for one integer into *out (0 when there is no row), then resets it. */
int store_step_int(store *s, sqlite3_stmt *st, int64_t *out, const char *what);
/* The folder of path ("." for a bare name, "/" for one in the root) into out (size n). */
void store_folder(const char *path, char *out, size_t n);
/* Binding through the store: a failure (an index out of range, a value too big, no memory) is
 * kept, and the next store_step returns it instead of running a statement with a value missing
 * (the store's message is SQLite's, as for any failure). Each returns the bind's own code too. */
int store_bind_int64(store *s, sqlite3_stmt *st, int i, int64_t v);
int store_bind_int(store *s, sqlite3_stmt *st, int i, int v);
int store_bind_double(store *s, sqlite3_stmt *st, int i, double v);
int store_bind_null(store *s, sqlite3_stmt *st, int i);
/* Text of n bytes (-1: up to its NUL), kept as sqlite3_bind_text's destructor says. */
int store_bind_text(store *s, sqlite3_stmt *st, int i, const char *v, int n, void (*d)(void *));
/* A blob of n bytes (v not NULL: n 0 is an empty blob), kept as sqlite3_bind_blob's destructor
 * says. */
int store_bind_blob(store *s, sqlite3_stmt *st, int i, const void *v, int n, void (*d)(void *));
/* A value as another statement returned it (sqlite3_column_value). */
int store_bind_value(store *s, sqlite3_stmt *st, int i, const sqlite3_value *v);
/* Text, or NULL when text is NULL or empty. */
int store_bind_opt_text(store *s, sqlite3_stmt *st, int i, const char *text);
/* An id, or NULL when it is 0. */
int store_bind_opt_id(store *s, sqlite3_stmt *st, int i, int64_t id);
/* sqlite3_step, or the code of a bind that failed since the last store_step (the statement then
 * does not run). */
int store_step(store *s, sqlite3_stmt *st);
/* Column text as a C string, "" for NULL. */
const char *store_col_text(sqlite3_stmt *st, int i);
/* The time of the open transaction as the schema's created_at/updated_at defaults write it
 * (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), taken once per transaction: rows written in bulk bind
 * it instead of evaluating the default for every row (a fifth of an import's inserts). Outside a
 * transaction, the time now. "" when it cannot be read. */
const char *store_now(store *s);

/* store_begin without waiting: EXIT_BUSY at once when another connection is writing. */
int store_begin_now(store *s);

/* The time now as the schema's created_at/updated_at defaults write it, in SQL. */
#define STORE_NOW_SQL "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

/* Whether a text is given (not NULL, not ""). */
static inline bool store_known(const char *t)
{
    return t && *t;
}

/* Runs sql (with no error callback) and records sqlite's message on failure, as `what`. */
int store_exec(store *s, const char *sql, const char *what);
/* How long statements wait for a lock: $CASELOAD_BUSY_TIMEOUT_MS, else 5 s. */
int store_busy_timeout_ms(void);
/* Runs a statement that takes no parameter and returns no row (kept in the statement cache). */
int store_run(store *s, const char *sql, const char *what);

/* records_defer_indexes, keeping the index named keep (NULL: none) up to date row by row. */
int store_defer_indexes(store *s, const char *table, long adding, const char *keep);
/* records_build_indexes for the indexes of one table only. */
int store_build_indexes_of(store *s, const char *table);

/* Reading rows back in the column order of SPEC section 6 (records_each_*). */
#define YESNO(col) "CASE WHEN " col " IS NULL THEN NULL WHEN " col " THEN 'yes' ELSE 'no' END"
#define CHILD_ORDER "c.upn IS NULL, c.upn, c.la_child_id"
/* Runs st and calls fn with each row's columns as text (NULL for NULL or ""; reals as the
 * shortest decimal that reads back the same); stops when fn returns non-zero, returning that.
 * st NULL: EXIT_IO (store_stmt failed). */
int store_each_row(store *s, sqlite3_stmt *st, records_row_fn fn, void *ctx, const char *what);

/* The folded search state (migration 0010, src/store/search.c). Folds, inside the open write
 * transaction, every referral and child the triggers noted as changed (search_stale,
 * child_names_stale): the view referral_search_source through text_fold into referral_search,
 * the names into child_names. store_commit calls it; so does a bulk change before it commits. */
int store_search_refresh(store *s);
/* child_name_words (migration 0019, src/store/name_words.c), kept as store_search_refresh folds
 * the names into child_names. store_name_words_keep: of child id that had a child_names row (rd
 * on the row read: id, first_name, last_name, ...; keys its names' keys now but when gone);
 * and its flag child_names.words (migration 0020); store_name_words_add: of the noted children up
 * to id upto that had none, after they are keyed and flagged. caseload_name_words(first, last),
 * the SQL function: 1 when a name may have more than one word (name_one_word), the flag. */
int store_name_words_keep(store *s, sqlite3_stmt *rd, int64_t id, const buf *keys, bool gone);
int store_name_words_add(store *s, int64_t upto);
void store_name_words_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);
/* Appends the rows child_name_words holds for a child of these names, one a line in the order of
 * their words, each "word TAB last TAB first TAB first_words TAB last_words" ("" when none), for
 * caseload check; returns its flag child_names.words. */
bool store_name_words_expect(buf *out, const char *first_name, const char *last_name);
/* Before a search: folds what another program noted (in a transaction of its own) when this
 * connection may write and none is open; otherwise (read-only, busy) the search reads the text
 * as last folded. */
int store_search_current(store *s);
/* Registers caseload_words(text, words) on the connection, the check of a search's words against
 * a folded text (read queries only), and caseload_fold(text) and caseload_name_key(text), the
 * foldings of search.c's statements; no trigger or view calls them. */
int store_search_register(store *s);

/* src/store/sync.c, called by transaction.c and store.c: a session on the synced tables for the
 * transaction just begun (when the database has a role); the log entry of the transaction about to
 * commit; the end of the transaction (either way); store_close. */
int syncstore_tx_begin(store *s);
int syncstore_tx_commit(store *s);
void syncstore_tx_end(store *s);
void syncstore_free(store *s);
/* src/store/sync.c, for src/store/privacy.c: the open transaction erased a child, so its
 * changeset is written without the erased rows (privacy_changeset_filter); src/store/sync_rows.c:
 * the SQLite iterator behind a syncstore_iter (its current change, to copy). */
void syncstore_erasing(store *s);
/* src/store/sync.c, for src/store/privacy*.c and sync_rows.c: a synced row deleted in the open
 * transaction (syncstore_log_added_whole then stops). */
void syncstore_deleting(store *s);
sqlite3_changeset_iter *syncstore_iter_raw(syncstore_iter *it);

#endif
