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

static int collect_children(store *s, sqlite3_stmt *st, browse_child *out, int max, int *n,
                            const char *what)
{
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && *n < max) {
        int64_t id = sqlite3_column_int64(st, 0);
        bool seen = false;
        for (int i = 0; i < *n; i++)
            seen = seen || out[i].id == id;
        if (!seen) detail_read_child(st, &out[(*n)++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK : store_fail(s, rc, what);
}

/* The children whose names match q: its first and last word as the finder reads them
 * (name_query), each a prefix of a first or last name (child_names, migration 0010, holds them
 * folded alike). */
static int children_named(store *s, const char *q, browse_child *out, int max, int *n)
{
    int rc;
    sqlite3_stmt *st;
    if ((rc = store_search_current(s))) return rc;
    buf words[2] = {BUF_INIT, BUF_INIT};
    name_query(q, &words[0], &words[1]);
    char w1[128], w2[128];
    store_copy_text(w1, sizeof w1, buf_str(&words[0]));
    store_copy_text(w2, sizeof w2, buf_str(&words[1]));
    buf_free(&words[0]);
    buf_free(&words[1]);
    if (!w1[0]) return EXIT_OK; /* only apostrophes or hyphens typed: no name */
    char lo1[140], hi1[140], lo2[140], hi2[140];
    prefix_bounds(w1, lo1, hi1, sizeof lo1);
    prefix_bounds(w2, lo2, hi2, sizeof lo2);
    if (!w2[0]) {
        st = store_stmt(s,
                        "SELECT " CHILD_COLUMNS "FROM child_names n "
                        "CROSS JOIN children c ON c.id = n.id "
                        "LEFT JOIN schools sc ON sc.id = c.school_id "
                        "WHERE (n.last >= ?1 AND n.last < ?2) OR (n.first >= ?1 AND n.first < ?2) "
                        "ORDER BY n.last, n.first, c.id LIMIT ?3");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, lo1, -1, SQLITE_TRANSIENT);
        store_bind_text(s, st, 2, hi1, -1, SQLITE_TRANSIENT);
    } else {
        st =
            store_stmt(s, "SELECT " CHILD_COLUMNS "FROM child_names n "
                          "CROSS JOIN children c ON c.id = n.id "
                          "LEFT JOIN schools sc ON sc.id = c.school_id "
                          "WHERE (n.last >= ?4 AND n.last < ?5 AND n.first >= ?1 AND n.first < ?2) "
                          "OR (n.last >= ?1 AND n.last < ?2 AND n.first >= ?4 AND n.first < ?5) "
                          "ORDER BY n.last, n.first, c.id LIMIT ?3");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, lo1, -1, SQLITE_TRANSIENT);
        store_bind_text(s, st, 2, hi1, -1, SQLITE_TRANSIENT);
        store_bind_text(s, st, 4, lo2, -1, SQLITE_TRANSIENT);
        store_bind_text(s, st, 5, hi2, -1, SQLITE_TRANSIENT);
    }
    store_bind_int(s, st, 3, max);
    return collect_children(s, st, out, max, n, "finding a child");
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
