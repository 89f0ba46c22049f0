/* child_search.c: finding a child by what an officer types (a UPN, a date of birth, an LA child
 * id or a name) and the children a new one may duplicate; see browse.h. */
#include "browse_internal.h"

#include "caseload/buf.h"
#include "caseload/date.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/name.h"
#include "caseload/upn.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The bounds of "starts with p": [p, p + U+10FFFF). */
static void prefix_bounds(const char *p, char *lo, char *hi, size_t n)
{
    store_copy_text(lo, n - 4, p);
    size_t k = strlen(lo);
    memcpy(hi, lo, k);
    memcpy(hi + k, "\xf4\x8f\xbf\xbf", 5);
}

/* Whether child id is among out[0..n) (found by its LA child id before its name). */
static bool found_already(const browse_child *out, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (out[i].id == id) return true;
    return false;
}

static int collect_children(store *s, sqlite3_stmt *st, browse_child *out, int max, int *n,
                            const char *what)
{
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && *n < max) {
        if (!found_already(out, *n, sqlite3_column_int64(st, 0)))
            detail_read_child(st, &out[(*n)++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK : store_fail(s, rc, what);
}

/* The children whose names q finds (name_found: every word typed counts), in the order of their
 * names. The candidates are read by the indexes of child_names (migration 0010, which holds the
 * names keyed as name_found reads them): one word typed, the names it begins (all found, the
 * first max by the index's order); more, one name begins with the first two words joined, or one
 * with the first and the other with the second, each then kept or not by the rule. */
static int children_named(store *s, const char *q, browse_child *out, int max, int *n)
{
    int rc;
    if ((rc = store_search_current(s))) return rc;
    buf words = BUF_INIT;
    name_query(q, &words);
    char w[128], w0[128], w01[256], lo[3][140], hi[3][140];
    store_copy_text(w, sizeof w, buf_str(&words));
    buf_free(&words);
    if (!w[0]) return EXIT_OK; /* only apostrophes or hyphens typed: no name */
    size_t k0 = strcspn(w, " ");
    bool one = !w[k0];
    snprintf(w0, sizeof w0, "%.*s", (int)k0, w);
    prefix_bounds(w0, lo[0], hi[0], sizeof lo[0]);
    sqlite3_stmt *st;
    if (one) {
        st = store_stmt(s,
                        "SELECT " CHILD_COLUMNS ", n.first, n.last FROM child_names n "
                        "CROSS JOIN children c ON c.id = n.id "
                        "LEFT JOIN schools sc ON sc.id = c.school_id "
                        "WHERE (n.last >= ?1 AND n.last < ?2) OR (n.first >= ?1 AND n.first < ?2) "
                        "ORDER BY n.last, n.first, c.id LIMIT ?3");
        if (!st) return EXIT_IO;
        store_bind_int(s, st, 3, max);
    } else {
        const char *second = w + k0 + 1;
        char w1[128];
        snprintf(w1, sizeof w1, "%.*s", (int)strcspn(second, " "), second);
        snprintf(w01, sizeof w01, "%s%s", w0, w1);
        prefix_bounds(w01, lo[1], hi[1], sizeof lo[1]);
        prefix_bounds(w1, lo[2], hi[2], sizeof lo[2]);
        st = store_stmt(s,
                        "SELECT " CHILD_COLUMNS ", n.first, n.last FROM child_names n "
                        "CROSS JOIN children c ON c.id = n.id "
                        "LEFT JOIN schools sc ON sc.id = c.school_id "
                        "WHERE (n.last >= ?3 AND n.last < ?4) OR (n.first >= ?3 AND n.first < ?4) "
                        "OR (n.first >= ?1 AND n.first < ?2 AND n.last >= ?5 AND n.last < ?6) "
                        "OR (n.last >= ?1 AND n.last < ?2 AND n.first >= ?5 AND n.first < ?6) "
                        "ORDER BY n.last, n.first, c.id");
        if (!st) return EXIT_IO;
        for (int i = 1; i < 3; i++) {
            store_bind_text(s, st, 2 * i + 1, lo[i], -1, SQLITE_TRANSIENT);
            store_bind_text(s, st, 2 * i + 2, hi[i], -1, SQLITE_TRANSIENT);
        }
    }
    store_bind_text(s, st, 1, lo[0], -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 2, hi[0], -1, SQLITE_TRANSIENT);
    while (*n < max && (rc = store_step(s, st)) == SQLITE_ROW)
        if (name_found(w, store_col_text(st, 16), store_col_text(st, 17)) &&
            !found_already(out, *n, sqlite3_column_int64(st, 0)))
            detail_read_child(st, &out[(*n)++]);
    sqlite3_reset(st);
    return *n >= max || rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "finding a child");
}

int browse_child_search(store *s, const char *query, browse_child *out, int max, int *n)
{
    *n = 0;
    char q[128];
    while (*query == ' ')
        query++;
    store_copy_text(q, sizeof q, query);
    size_t len = strlen(q);
    while (len && q[len - 1] == ' ')
        q[--len] = '\0';
    if (!len || max <= 0) return EXIT_OK;
    date_t d;
    if (upn_shaped(q)) {
        char up[14];
        for (int i = 0; i < 13; i++)
            up[i] = (char)toupper((unsigned char)q[i]);
        up[13] = '\0';
        sqlite3_stmt *st =
            store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                          "LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.upn = ?1");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, up, -1, SQLITE_TRANSIENT);
        return collect_children(s, st, out, max, n, "finding a child");
    }
    char why[FIELD_WHY], iso[11];
    if (field_date(q, len, FIELD_DMY, &d, why)) { /* as a date field reads it: UK dates too */
        date_format(d, iso);
        sqlite3_stmt *st = store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                                         "LEFT JOIN schools sc ON sc.id = c.school_id "
                                         "WHERE c.dob = ?1 ORDER BY c.last_name COLLATE NOCASE, "
                                         "c.first_name COLLATE NOCASE, c.id LIMIT ?2");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, iso, -1, SQLITE_TRANSIENT);
        store_bind_int(s, st, 2, max);
        return collect_children(s, st, out, max, n, "finding a child");
    }
    /* An LA child id, exactly. */
    sqlite3_stmt *st =
        store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                      "LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.la_child_id = ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, q, -1, SQLITE_TRANSIENT);
    int rc = collect_children(s, st, out, max, n, "finding a child");
    if (rc) return rc;
    return children_named(s, q, out, max, n);
}

/* The children born on dob, up to max; with names (first_name not NULL) only those with similar
 * names. */
static int children_born(store *s, const char *first_name, const char *last_name, const char *dob,
                         browse_child *out, int max, int *n)
{
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                                     "LEFT JOIN schools sc ON sc.id = c.school_id "
                                     "WHERE c.dob = ?1 ORDER BY c.id");
    if (!st) return EXIT_IO;
    int rc = store_bind_text(s, st, 1, dob, -1, SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) {
        sqlite3_reset(st);
        return store_fail(s, rc, "looking for duplicates");
    }
    rc = SQLITE_DONE;
    while (*n < max && (rc = store_step(s, st)) == SQLITE_ROW) {
        if (!first_name || name_match(first_name, last_name, store_col_text(st, 3),
                                      store_col_text(st, 4)) != NAME_DIFFERENT)
            detail_read_child(st, &out[(*n)++]);
    }
    if (*n >= max) rc = SQLITE_DONE;
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "looking for duplicates");
}

int browse_child_duplicates(store *s, const char *first_name, const char *last_name,
                            const char *dob, browse_child *out, int max, int *n)
{
    return children_born(s, first_name, last_name, dob, out, max, n);
}

int browse_child_born(store *s, const char *dob, browse_child *out, int max, int *n)
{
    return children_born(s, NULL, NULL, dob, out, max, n);
}
