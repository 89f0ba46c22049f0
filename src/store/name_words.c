/* name_words.c: the words of children's names after their first (child_name_words, migration
 * 0019), by which the child finder finds "berg" in van der Berg; kept as the names are folded into
 * child_names (store_search_refresh, src/store/search.c). See data/DERIVED.md. */
#include "store_internal.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/name.h"
#include <stdlib.h>
#include <string.h>

/* Appends to out, each ended by a NUL, the key of the name whose words are of (name_words_n) from
 * each of its words but the first on ("derberg", "berg" of "van der berg"); how many. */
static int later_keys(const char *of, buf *out)
{
    int n = 0;
    for (const char *sp = strchr(of, ' '); sp; sp = strchr(sp + 1, ' '), n++) {
        for (const char *p = sp + 1; *p; p++)
            if (*p != ' ') buf_putc(out, *p);
        buf_putc(out, '\0');
    }
    return n;
}

/* Whether either name may have more than one word (name_one_word): child_names.words, migration
 * 0020; NULL names are of none. */
static bool may_have_words(const char *const name[2], const size_t len[2])
{
    for (int i = 0; i < 2; i++)
        if (name[i] && !name_one_word(name[i], len[i])) return true;
    return false;
}

/* The words of both names (words[0] the first name's) and the keys of their words after the
 * firsts (later_keys); false when both names are of one word (most children: no rows). */
static bool words_of(const char *const name[2], const size_t len[2], buf words[2], buf *later,
                     int *n)
{
    if (!may_have_words(name, len)) return false;
    *n = 0;
    for (int i = 0; i < 2; i++)
        name_words_n(&words[i], name[i], len[i]);
    for (int i = 0; i < 2; i++)
        *n += later_keys(buf_str(&words[i]), later);
    return *n > 0;
}

/* Writes child id's rows: each of the n keys of later (NUL-ended, one after another). */
static int add_words(store *s, int64_t id, const buf *keys, const buf *words, const buf *later,
                     int n)
{
    const char *k = later->data;
    int rc = EXIT_OK;
    for (int i = 0; i < n && !rc; i++, k += strlen(k) + 1) {
        sqlite3_stmt *st = store_stmt(s, "INSERT OR IGNORE INTO child_name_words(word, last, "
                                         "first, id, first_words, last_words) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, k, -1, SQLITE_STATIC);
        store_bind_text(s, st, 2, buf_str(&keys[1]), (int)keys[1].len, SQLITE_STATIC);
        store_bind_text(s, st, 3, buf_str(&keys[0]), (int)keys[0].len, SQLITE_STATIC);
        store_bind_int64(s, st, 4, id);
        store_bind_text(s, st, 5, buf_str(&words[0]), (int)words[0].len, SQLITE_STATIC);
        store_bind_text(s, st, 6, buf_str(&words[1]), (int)words[1].len, SQLITE_STATIC);
        rc = store_step_done(s, st, "indexing children's names");
    }
    return rc;
}

/* Derives the rows of child id, whose names are name[0] (first) and name[1] (lengths len). */
static int derive(store *s, int64_t id, const char *const name[2], const size_t len[2],
                  const buf *keys)
{
    buf words[2] = {BUF_INIT, BUF_INIT}, later = BUF_INIT, key[2] = {BUF_INIT, BUF_INIT};
    int n, rc = EXIT_OK;
    if (words_of(name, len, words, &later, &n)) {
        if (!keys) { /* a new child's: its keys, name_key's, are its words without spaces */
            for (int i = 0; i < 2; i++)
                for (size_t k = 0; k < words[i].len; k++)
                    if (words[i].data[k] != ' ') buf_putc(&key[i], words[i].data[k]);
            keys = key;
        }
        rc = add_words(s, id, keys, words, &later, n);
    }
    for (int i = 0; i < 2; i++) {
        buf_free(&words[i]);
        buf_free(&key[i]);
    }
    buf_free(&later);
    return rc;
}

int store_name_words_keep(store *s, sqlite3_stmt *rd, int64_t id, const buf *keys, bool gone)
{
    sqlite3_stmt *st = store_stmt(s, "DELETE FROM child_name_words WHERE id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    int rc = store_step_done(s, st, "indexing children's names");
    if (rc || gone) return rc;
    const char *name[2] = {store_col_text(rd, 1), store_col_text(rd, 2)};
    const size_t len[2] = {(size_t)sqlite3_column_bytes(rd, 1),
                           (size_t)sqlite3_column_bytes(rd, 2)};
    /* Its flag, which a copy written again (INSERT OR REPLACE) has lost, as its names now say:
     * "Vanderberg" renamed "Van der Berg" keeps its keys but gains words. */
    if (!(st = store_stmt(s, "UPDATE child_names SET words = ?2 WHERE id = ?1 AND words <> ?2")))
        return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    store_bind_int(s, st, 2, may_have_words(name, len));
    if ((rc = store_step_done(s, st, "indexing children's names"))) return rc;
    return derive(s, id, name, len, keys);
}

int store_name_words_add(store *s, int64_t upto)
{
    /* The noted children up to upto that the statement keying them flagged (child_names.words,
     * migration 0020): a range of the few in child_names_words from the lowest noted id, each
     * looked for among the notes; so most new children's rows are never read again here. A child
     * flagged that had a copy got its rows already (store_name_words_keep): got again, they are
     * passed over (OR IGNORE). */
    sqlite3_stmt *rd = store_stmt(
        s, "SELECT n.id, c.first_name, c.last_name FROM child_names n INDEXED BY "
           "child_names_words CROSS JOIN child_names_stale q ON q.id = n.id CROSS JOIN children c "
           "ON c.id = n.id WHERE n.words AND n.id >= (SELECT min(id) FROM child_names_stale) "
           "AND n.id <= ?1 ORDER BY n.id");
    if (!rd) return EXIT_IO;
    store_bind_int64(s, rd, 1, upto);
    int step, rc = EXIT_OK;
    while (!rc && (step = store_step(s, rd)) == SQLITE_ROW) {
        const char *name[2] = {store_col_text(rd, 1), store_col_text(rd, 2)};
        const size_t len[2] = {(size_t)sqlite3_column_bytes(rd, 1),
                               (size_t)sqlite3_column_bytes(rd, 2)};
        rc = derive(s, sqlite3_column_int64(rd, 0), name, len, NULL);
    }
    sqlite3_reset(rd);
    if (rc) return rc;
    return step == SQLITE_DONE ? EXIT_OK : store_fail(s, step, "indexing children's names");
}

void store_name_words_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *name[2];
    size_t len[2];
    for (int i = 0; i < 2; i++) {
        name[i] = (const char *)sqlite3_value_text(argv[i]);
        len[i] = (size_t)sqlite3_value_bytes(argv[i]);
    }
    sqlite3_result_int(ctx, may_have_words(name, len));
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool store_name_words_expect(buf *out, const char *first_name, const char *last_name)
{
    const char *name[2] = {first_name ? first_name : "", last_name ? last_name : ""};
    const size_t len[2] = {strlen(name[0]), strlen(name[1])};
    bool flag = may_have_words(name, len);
    buf words[2] = {BUF_INIT, BUF_INIT}, later = BUF_INIT, key[2] = {BUF_INIT, BUF_INIT};
    int n;
    const char **k = NULL;
    if (!words_of(name, len, words, &later, &n) || !(k = malloc((size_t)n * sizeof *k))) goto done;
    for (int i = 0; i < 2; i++)
        name_key_n(&key[i], name[i], len[i]);
    k[0] = later.data;
    for (int i = 1; i < n; i++)
        k[i] = k[i - 1] + strlen(k[i - 1]) + 1;
    qsort(k, (size_t)n, sizeof *k, by_text); /* as SQLite orders the rows by word (BINARY) */
    for (int i = 0; i < n; i++) {
        if (i && !strcmp(k[i], k[i - 1])) continue; /* one row for a key two words give */
        if (out->len) buf_putc(out, '\n');
        buf_printf(out, "%s\t%s\t%s\t%s\t%s", k[i], buf_str(&key[1]), buf_str(&key[0]),
                   buf_str(&words[0]), buf_str(&words[1]));
    }
done:
    free(k);
    for (int i = 0; i < 2; i++) {
        buf_free(&words[i]);
        buf_free(&key[i]);
    }
    buf_free(&later);
    return flag;
}
