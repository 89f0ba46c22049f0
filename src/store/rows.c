/* rows.c: what every file of the store does with statements: the cache of prepared statements,
 * binding, stepping, copying text out, and reading rows back as text (store_internal.h). */
#include "store_internal.h"

#include "caseload/exitcode.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Static_assert(STORE_CACHE_MAX <= 256, "a cache hint (unsigned char) holds any index");

sqlite3_stmt *store_stmt(store *s, const char *sql)
{
    /* Where the text was found last, by its address (a hint, checked: a hash slot is shared and
     * the cache may have moved since), else a look through the cache. */
    unsigned char *hint = &s->cache_hint[((uintptr_t)sql >> 4) % STORE_CACHE_HINTS];
    int i = *hint;
    if (i >= s->ncache || s->cache[i].sql != sql)
        for (i = 0; i < s->ncache && s->cache[i].sql != sql; i++)
            ;
    if (i < s->ncache) {
        *hint = (unsigned char)i;
        sqlite3_reset(s->cache[i].stmt);
        sqlite3_clear_bindings(s->cache[i].stmt);
        return s->cache[i].stmt;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        store_fail(s, rc, "preparing a query");
        return NULL;
    }
    if (s->ncache < STORE_CACHE_MAX) {
        i = s->ncache++;
    } else {
        /* Should not happen: raise STORE_CACHE_MAX. Keep working by evicting the oldest. */
        sqlite3_finalize(s->cache[0].stmt);
        memmove(&s->cache[0], &s->cache[1], sizeof s->cache[0] * (STORE_CACHE_MAX - 1));
        i = STORE_CACHE_MAX - 1;
    }
    s->cache[i].sql = sql;
    s->cache[i].stmt = st;
    *hint = (unsigned char)i;
    return st;
}

void store_copy_text(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

int store_step_done(store *s, sqlite3_stmt *st, const char *what)
{
    int rc = store_step(s, st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, what);
}

int store_step_int(store *s, sqlite3_stmt *st, int64_t *out, const char *what)
{
    int rc = store_step(s, st);
    *out = 0;
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, what);
}

/* Binds text, or NULL when text is NULL or empty; unchecked: store_bind_opt_text keeps its code. */
static int text_or_null(sqlite3_stmt *st, int i, const char *text)
{
    if (!text || !*text) return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
}

/* Keeps the first failure of a bind for the next store_step. */
static int bound(store *s, int rc)
{
    if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK) s->bind_rc = rc;
    return rc;
}

int store_bind_int64(store *s, sqlite3_stmt *st, int i, int64_t v)
{
    return bound(s, sqlite3_bind_int64(st, i, v));
}

int store_bind_int(store *s, sqlite3_stmt *st, int i, int v)
{
    return bound(s, sqlite3_bind_int(st, i, v));
}

int store_bind_double(store *s, sqlite3_stmt *st, int i, double v)
{
    return bound(s, sqlite3_bind_double(st, i, v));
}

int store_bind_null(store *s, sqlite3_stmt *st, int i)
{
    return bound(s, sqlite3_bind_null(st, i));
}

int store_bind_text(store *s, sqlite3_stmt *st, int i, const char *v, int n, void (*d)(void *))
{
    return bound(s, sqlite3_bind_text(st, i, v, n, d));
}

int store_bind_blob(store *s, sqlite3_stmt *st, int i, const void *v, int n, void (*d)(void *))
{
    return bound(s, sqlite3_bind_blob(st, i, v, n, d));
}

int store_bind_value(store *s, sqlite3_stmt *st, int i, const sqlite3_value *v)
{
    return bound(s, sqlite3_bind_value(st, i, v));
}

int store_bind_opt_text(store *s, sqlite3_stmt *st, int i, const char *text)
{
    return bound(s, text_or_null(st, i, text));
}

int store_bind_opt_id(store *s, sqlite3_stmt *st, int i, int64_t id)
{
    return id ? store_bind_int64(s, st, i, id) : store_bind_null(s, st, i);
}

int store_step(store *s, sqlite3_stmt *st)
{
    int rc = s->bind_rc;
    if (rc == SQLITE_OK) return sqlite3_step(st);
    s->bind_rc = SQLITE_OK;
    return rc;
}

const char *store_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* Runs a statement that takes no parameter and returns no row (kept in the statement cache). */
int store_run(store *s, const char *sql, const char *what)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    return st ? store_step_done(s, st, what) : EXIT_IO;
}

#define EACH_MAX_FIELDS 24

/* Runs st and calls fn with each row's columns as text (NULL for NULL or ""; reals as the
 * shortest decimal that reads back the same). */
int store_each_row(store *s, sqlite3_stmt *st, records_row_fn fn, void *ctx, const char *what)
{
    if (!st) return EXIT_IO;
    int n = sqlite3_column_count(st);
    if (n > EACH_MAX_FIELDS) n = EACH_MAX_FIELDS;
    const char *fields[EACH_MAX_FIELDS];
    char num[EACH_MAX_FIELDS][32];
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = store_step(s, st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL: fields[i] = NULL; break;
            case SQLITE_FLOAT:
                snprintf(num[i], sizeof num[i], "%.15g", sqlite3_column_double(st, i));
                fields[i] = num[i];
                break;
            default: {
                const char *t = (const char *)sqlite3_column_text(st, i);
                fields[i] = t && *t ? t : NULL;
            }
            }
        }
        stop = fn(ctx, fields, (size_t)n);
    }
    sqlite3_reset(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, what);
}
