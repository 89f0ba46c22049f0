/* schools.c: the schools and officers that children and referrals point at, found by their
 * natural keys (a school's URN or name, an officer's initials) and added when new (records.h), and
 * the schools and officers a form offers (browse.h). */
#include "caseload/browse.h"
#include "caseload/records.h"

#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/text.h"
#include "store_internal.h"
#include <stdio.h>
#include <string.h>

int records_school_find(store *s, const char *urn, const char *name, int64_t *id)
{
    sqlite3_stmt *st;
    *id = 0;
    if (store_known(urn)) {
        st = store_stmt(s, "SELECT id FROM schools WHERE urn = ?1");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, urn, -1, SQLITE_STATIC);
    } else if (store_known(name)) {
        st = store_stmt(s, "SELECT id FROM schools WHERE urn IS NULL AND name = ?1");
        if (!st) return EXIT_IO;
        store_bind_text(s, st, 1, name, -1, SQLITE_STATIC);
    } else {
        return EXIT_OK;
    }
    return store_step_int(s, st, id, "finding a school");
}

int records_school_put(store *s, const char *urn, const char *name, int64_t *id, bool *renamed)
{
    *renamed = false;
    int rc = records_school_find(s, urn, name, id);
    if (rc || (!store_known(urn) && !store_known(name))) return rc;
    sqlite3_stmt *st;
    if (*id) {
        if (!store_known(urn) || !store_known(name)) return EXIT_OK;
        /* A new name is written into the search text of every referral of the school's children,
         * found by children_school: an index set aside (records_defer_indexes) is built first. */
        if (s->deferred_indexes) {
            st = store_stmt(s, "SELECT 1 FROM schools WHERE id = ?1 AND name IS NOT ?2");
            if (!st) return EXIT_IO;
            store_bind_int64(s, st, 1, *id);
            store_bind_text(s, st, 2, name, -1, SQLITE_STATIC);
            int64_t differs;
            if ((rc = store_step_int(s, st, &differs, "updating a school")) ||
                (differs && (rc = records_build_indexes(s))))
                return rc;
        }
        st = store_stmt(s, "UPDATE schools SET name = ?2, updated_at = " STORE_NOW_SQL
                           " WHERE id = ?1 AND name IS NOT ?2");
        if (!st) return EXIT_IO;
        store_bind_int64(s, st, 1, *id);
        store_bind_text(s, st, 2, name, -1, SQLITE_STATIC);
        rc = store_step_done(s, st, "updating a school");
        if (!rc) *renamed = sqlite3_changes(s->db) > 0;
        return rc;
    }
    st = store_stmt(s, "INSERT INTO schools(id, urn, name) VALUES (?1, ?2, ?3)");
    if (!st) return EXIT_IO;
    int64_t nid = store_new_id(s);
    store_bind_int64(s, st, 1, nid);
    store_bind_opt_text(s, st, 2, urn);
    store_bind_opt_text(s, st, 3, name);
    rc = store_step_done(s, st, "adding a school");
    if (!rc) *id = nid;
    return rc;
}

int records_school_ensure(store *s, const char *urn, const char *name, int64_t *id)
{
    bool renamed;
    return records_school_put(s, urn, name, id, &renamed);
}

int records_officer_find(store *s, const char *initials, int64_t *id)
{
    *id = 0;
    if (!store_known(initials)) return EXIT_OK;
    sqlite3_stmt *st = store_stmt(s, "SELECT id FROM officers WHERE initials = ?1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, initials, -1, SQLITE_STATIC);
    return store_step_int(s, st, id, "finding an officer");
}

int records_officer_ensure(store *s, const char *initials, int64_t *id)
{
    int rc = records_officer_find(s, initials, id);
    if (rc || *id || !store_known(initials)) return rc;
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO officers(id, initials) VALUES (?1, ?2)");
    if (!st) return EXIT_IO;
    int64_t nid = store_new_id(s);
    store_bind_int64(s, st, 1, nid);
    store_bind_text(s, st, 2, initials, -1, SQLITE_STATIC);
    rc = store_step_done(s, st, "adding an officer");
    if (!rc) *id = nid;
    return rc;
}

/* Whether every blank-separated word of the folded query is in the folded text. */
static bool holds_words(const char *text, const char *query)
{
    for (const char *q = query; *q;) {
        while (*q == ' ')
            q++;
        size_t len = strcspn(q, " ");
        if (!len) break;
        bool found = false;
        for (const char *t = text; !found && (t = strchr(t, q[0])); t++)
            found = strncmp(t, q, len) == 0;
        if (!found) return false;
        q += len;
    }
    return true;
}

int browse_schools(store *s, const char *query, browse_school *out, int max, int *n, bool *more)
{
    *n = 0;
    if (more) *more = false;
    sqlite3_stmt *st = store_stmt(s, "SELECT id, coalesce(urn, ''), coalesce(name, '') FROM "
                                     "schools ORDER BY name COLLATE NOCASE, urn, id");
    if (!st) return EXIT_IO;
    buf want = BUF_INIT, text = BUF_INIT;
    text_fold(&want, query ? query : "");
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        buf_reset(&text);
        text_fold(&text, store_col_text(st, 1));
        buf_puts(&text, " ");
        text_fold(&text, store_col_text(st, 2));
        if (!holds_words(buf_str(&text), buf_str(&want))) continue;
        if (*n == max) {
            if (more) *more = true;
            break;
        }
        browse_school *b = &out[(*n)++];
        b->id = sqlite3_column_int64(st, 0);
        COPY(b->urn, st, 1);
        COPY(b->name, st, 2);
    }
    buf_free(&want);
    buf_free(&text);
    int code =
        rc == SQLITE_ROW || rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the schools");
    sqlite3_reset(st);
    return code;
}

int browse_school_get(store *s, int64_t id, browse_school *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(
        s, "SELECT id, coalesce(urn, ''), coalesce(name, '') FROM schools WHERE id = ?1");
    if (!st) return EXIT_IO;
    store_bind_int64(s, st, 1, id);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        COPY(out->urn, st, 1);
        COPY(out->name, st, 2);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return EXIT_OK;
    if (rc == SQLITE_DONE) {
        snprintf(s->err, sizeof s->err, "no such school");
        return EXIT_FOUND;
    }
    return store_fail(s, rc, "reading a school");
}

int browse_officers(store *s, browse_officer *out, int max, int *n, bool *more)
{
    *n = 0;
    if (more) *more = false;
    sqlite3_stmt *st = store_stmt(s, "SELECT initials, coalesce(name, '') FROM officers "
                                     "ORDER BY initials COLLATE NOCASE, initials LIMIT ?1");
    if (!st) return EXIT_IO;
    store_bind_int(s, st, 1, max + 1);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        if (*n == max) {
            if (more) *more = true;
            continue;
        }
        browse_officer *o = &out[(*n)++];
        COPY(o->initials, st, 0);
        COPY(o->name, st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "reading the officers");
}
