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
#include <stdlib.h>
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

/* The first rows of the finder's list, in its order (child_names' last, first, id), kept while
 * the candidates are read: each source of candidates is read in that order by an index and
 * stops at its first row after the last one kept, so that a keypress reads about the rows shown
 * and one more per source, never every child whose name it begins. */
typedef struct {
    int64_t id;
    char first[256], last[256];
} candidate;
typedef struct {
    candidate *c;
    int n, max;
    const char *words; /* as name_query gives them */
} shortlist;

static int candidate_cmp(const candidate *c, const char *last, const char *first, int64_t id)
{
    int k = strcmp(c->last, last); /* child_names' BINARY collation: bytes, as strcmp */
    if (!k) k = strcmp(c->first, first);
    return k ? k : (c->id > id) - (c->id < id);
}

/* Offers the row (id, first, last: child_names' keys) whose names' words are first_words and
 * last_words (the keys when NULL: names of one word, as child_names reads them); false when it
 * comes after the last kept of a full list (the rest of an ordered source does too). */
static bool shortlist_offer(shortlist *l, int64_t id, const char *first, const char *last,
                            const char *first_words, const char *last_words)
{
    if (l->n == l->max && candidate_cmp(&l->c[l->n - 1], last, first, id) <= 0) return false;
    if (!name_found(l->words, first_words ? first_words : first, last_words ? last_words : last))
        return true;
    int i = l->n;
    while (i > 0 && candidate_cmp(&l->c[i - 1], last, first, id) > 0)
        i--;
    if (i > 0 && l->c[i - 1].id == id) return true; /* found by two sources */
    if (l->n == l->max) l->n--;
    memmove(&l->c[i + 1], &l->c[i], (size_t)(l->n - i) * sizeof l->c[0]);
    l->c[i].id = id;
    store_copy_text(l->c[i].first, sizeof l->c[i].first, first);
    store_copy_text(l->c[i].last, sizeof l->c[i].last, last);
    l->n++;
    return true;
}

/* Reads st's rows (id, first, last, in the list's order; then first_words, last_words when
 * words) into l while they may be kept. */
static int shortlist_read(store *s, sqlite3_stmt *st, shortlist *l, bool words)
{
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW &&
           shortlist_offer(l, sqlite3_column_int64(st, 0), store_col_text(st, 1),
                           store_col_text(st, 2), words ? store_col_text(st, 3) : NULL,
                           words ? store_col_text(st, 4) : NULL))
        ;
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK : store_fail(s, rc, "finding a child");
}

/* The next name after prev (exclusive; "" for the first) in [lo, hi) of child_names' column
 * first (by_last false) or last, by its index; false when none. */
static int next_name(store *s, bool by_last, const char *lo, const char *hi, char *prev, size_t n,
                     bool *found)
{
    sqlite3_stmt *st = store_stmt(
        s, by_last ? "SELECT last FROM child_names WHERE last >= ?1 AND last > ?2 AND last < ?3 "
                     "ORDER BY last LIMIT 1"
                   : "SELECT first FROM child_names WHERE first >= ?1 AND first > ?2 AND "
                     "first < ?3 ORDER BY first LIMIT 1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, lo, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 2, prev, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 3, hi, -1, SQLITE_TRANSIENT);
    int rc = store_step(s, st);
    *found = rc == SQLITE_ROW;
    if (*found) store_copy_text(prev, n, store_col_text(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? EXIT_OK : store_fail(s, rc, "finding a child");
}

/* The children of each name in [lo, hi) of child_names' first (by_last false) or last, with the
 * other name in [lo2, hi2) (lo2 NULL: any). Each first name's children are read by
 * child_names_first (first, last) in the order of their last names; each last name's, from the
 * smallest, by child_names_last, until one comes after the list kept. */
static int shortlist_names(store *s, shortlist *l, bool by_last, const char *lo, const char *hi,
                           const char *lo2, const char *hi2)
{
    char name[256] = "";
    bool found;
    int rc;
    while (!(rc = next_name(s, by_last, lo, hi, name, sizeof name, &found)) && found) {
        if (by_last && l->n == l->max && strcmp(name, l->c[l->n - 1].last) > 0) break;
        sqlite3_stmt *st = store_stmt(
            s, by_last ? "SELECT id, first, last FROM child_names WHERE last = ?1 AND first >= ?2 "
                         "AND first < ?3 ORDER BY first, id"
               : lo2   ? "SELECT id, first, last FROM child_names WHERE first = ?1 AND last >= ?2 "
                         "AND last < ?3 ORDER BY last, id"
                       : "SELECT id, first, last FROM child_names WHERE first = ?1 "
                         "ORDER BY last, id");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, name, -1, SQLITE_TRANSIENT);
        if (lo2) {
            store_bind_text(s, st, 2, lo2, -1, SQLITE_TRANSIENT);
            store_bind_text(s, st, 3, hi2, -1, SQLITE_TRANSIENT);
        }
        if ((rc = shortlist_read(s, st, l, false))) return rc;
    }
    return rc;
}

/* The children with a word after the first of a name (child_name_words, migration 0019) in [lo,
 * hi): each word's from child_name_words' key (word, last, first, id), in the list's order, until
 * one comes after the list kept. */
static int shortlist_later_words(store *s, shortlist *l, const char *lo, const char *hi)
{
    char word[256] = "";
    int rc;
    for (;;) {
        sqlite3_stmt *st = store_stmt(s, "SELECT word FROM child_name_words WHERE word >= ?1 "
                                         "AND word > ?2 AND word < ?3 ORDER BY word LIMIT 1");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, lo, -1, SQLITE_TRANSIENT);
        store_bind_text(s, st, 2, word, -1, SQLITE_TRANSIENT);
        store_bind_text(s, st, 3, hi, -1, SQLITE_TRANSIENT);
        rc = store_step(s, st);
        if (rc == SQLITE_ROW) store_copy_text(word, sizeof word, store_col_text(st, 0));
        sqlite3_reset(st);
        if (rc != SQLITE_ROW) break;
        st = store_stmt(s, "SELECT id, first, last, first_words, last_words FROM "
                           "child_name_words WHERE word = ?1 ORDER BY last, first, id");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, word, -1, SQLITE_TRANSIENT);
        if ((rc = shortlist_read(s, st, l, true))) return rc;
    }
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "finding a child");
}

/* The children whose last names are in [lo, hi), by child_names_last in the list's order. */
static int shortlist_last(store *s, shortlist *l, const char *lo, const char *hi)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT id, first, last FROM child_names "
                                     "WHERE last >= ?1 AND last < ?2 ORDER BY last, first, id");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, lo, -1, SQLITE_TRANSIENT);
    store_bind_text(s, st, 2, hi, -1, SQLITE_TRANSIENT);
    return shortlist_read(s, st, l, false);
}

/* The candidates of the words w (name_found: every word typed counts): one name begins with the
 * first two words joined (the only word, when one), or one with the first and the other with the
 * second; or so does a word of a name after its first (child_name_words), the first word typed
 * and the second each begin one (the other name then from any of its words); each then kept or
 * not by the rule. */
static int shortlist_words(store *s, shortlist *l, const char *w)
{
    char w0[128], w1[128], w01[256], lo[3][140], hi[3][140];
    size_t k0 = strcspn(w, " ");
    snprintf(w0, sizeof w0, "%.*s", (int)k0, w);
    const char *second = w[k0] ? w + k0 + 1 : "";
    snprintf(w1, sizeof w1, "%.*s", (int)strcspn(second, " "), second);
    snprintf(w01, sizeof w01, "%s%s", w0, w1);
    prefix_bounds(w01, lo[0], hi[0], sizeof lo[0]);
    int rc;
    if ((rc = shortlist_last(s, l, lo[0], hi[0]))) return rc;
    if ((rc = shortlist_names(s, l, false, lo[0], hi[0], NULL, NULL))) return rc;
    if ((rc = shortlist_later_words(s, l, lo[0], hi[0]))) return rc;
    if (!w1[0]) return EXIT_OK;
    prefix_bounds(w0, lo[1], hi[1], sizeof lo[1]);
    prefix_bounds(w1, lo[2], hi[2], sizeof lo[2]);
    if ((rc = shortlist_names(s, l, false, lo[1], hi[1], lo[2], hi[2]))) return rc;
    if ((rc = shortlist_names(s, l, true, lo[1], hi[1], lo[2], hi[2]))) return rc;
    if ((rc = shortlist_later_words(s, l, lo[1], hi[1]))) return rc;
    return shortlist_later_words(s, l, lo[2], hi[2]);
}

/* The children whose names q finds, in the order of their names (child_names, migration 0010,
 * holds them keyed as name_found reads them): the first max of the list, then each read whole. */
static int children_named(store *s, const char *q, browse_child *out, int max, int *n)
{
    int rc;
    if ((rc = store_search_current(s))) return rc;
    buf words = BUF_INIT;
    name_query(q, &words);
    char w[128];
    store_copy_text(w, sizeof w, buf_str(&words));
    buf_free(&words);
    if (!w[0]) return EXIT_OK; /* only apostrophes or hyphens typed: no name */
    candidate *c = malloc((size_t)max * sizeof *c);
    if (!c) return store_fail(s, SQLITE_NOMEM, "finding a child");
    shortlist l = {c, 0, max, w};
    if ((rc = shortlist_words(s, &l, w))) goto done;
    sqlite3_stmt *st = store_stmt(s, "SELECT " CHILD_COLUMNS "FROM children c "
                                     "LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.id = ?1");
    if (!st) {
        rc = EXIT_IO;
        goto done;
    }
    for (int i = 0; i < l.n && *n < max && !rc; i++) {
        if (found_already(out, *n, c[i].id)) continue;
        store_bind_int64(s, st, 1, c[i].id);
        rc = collect_children(s, st, out, max, n, "finding a child");
    }
done:
    free(c);
    return rc;
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
