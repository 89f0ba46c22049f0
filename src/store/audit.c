/* audit.c: who is using the database (the officer named, else the operating system's user) and
 * the audit trail every change and every read of a child's record writes. */
#include "store_internal.h"

#include "caseload/exitcode.h"
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *store_actor(void)
{
    const char *who = getenv("CASELOAD_OFFICER");
    if (!who || !*who) who = getenv("USER");
    return who && *who ? who : "unknown";
}

const char *store_os_user(void)
{
    static char name[64];
    if (!name[0]) {
        struct passwd pw, *found = NULL;
        char tmp[4096];
        if (getpwuid_r(getuid(), &pw, tmp, sizeof tmp, &found) == 0 && found && found->pw_name &&
            found->pw_name[0])
            snprintf(name, sizeof name, "%s", found->pw_name);
        else
            snprintf(name, sizeof name, "uid %lu", (unsigned long)getuid());
    }
    return name;
}

int store_identify(store *s, const char *claimed)
{
    s->identified = true;
    s->officer[0] = s->claimed[0] = '\0';
    if (!claimed || !*claimed) return EXIT_OK;
    sqlite3_stmt *st = store_stmt(
        s,
        "SELECT initials FROM officers WHERE initials = ?1 COLLATE NOCASE ORDER BY initials = ?1 "
        "DESC LIMIT 1");
    if (!st) return EXIT_IO;
    store_bind_text(s, st, 1, claimed, -1, SQLITE_STATIC);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW && strlen(store_col_text(st, 0)) < sizeof s->officer)
        snprintf(s->officer, sizeof s->officer, "%s", store_col_text(st, 0));
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return store_fail(s, rc, "looking up the officer");
    if (!s->officer[0]) snprintf(s->claimed, sizeof s->claimed, "%s", claimed);
    return EXIT_OK;
}

const char *store_officer(const store *s)
{
    return s->officer;
}

const char *store_claimed(const store *s)
{
    return s->claimed;
}

int store_audit_child(store *s, const char *action, const char *table, int64_t row_id,
                      int64_t child_id, const char *detail)
{
    if (!s->identified) {
        int rc = store_identify(s, getenv("CASELOAD_OFFICER"));
        if (rc) return rc;
    }
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO audit(id, who, action, tbl, row_id, detail, "
                                     "officer, claimed, os_user, child_id) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!st) return EXIT_IO;
    const char *who = s->officer[0] ? s->officer : s->claimed[0] ? s->claimed : store_os_user();
    store_bind_int64(s, st, 1, store_new_id(s));
    store_bind_text(s, st, 2, who, -1, SQLITE_STATIC);
    store_bind_text(s, st, 3, action, -1, SQLITE_STATIC);
    store_bind_opt_text(s, st, 4, table);
    if (row_id) store_bind_int64(s, st, 5, row_id);
    store_bind_opt_text(s, st, 6, detail);
    store_bind_opt_text(s, st, 7, s->officer);
    store_bind_opt_text(s, st, 8, s->claimed);
    store_bind_text(s, st, 9, store_os_user(), -1, SQLITE_STATIC);
    if (child_id) store_bind_int64(s, st, 10, child_id);
    int rc = store_step(s, st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EXIT_OK : store_fail(s, rc, "writing the audit trail");
}

int store_audit(store *s, const char *action, const char *table, int64_t row_id, const char *detail)
{
    return store_audit_child(s, action, table, row_id, 0, detail);
}

int store_access(store *s, const char *action, const char *table, int64_t row_id, int64_t child_id,
                 const char *detail)
{
    if (s->in_tx) return store_audit_child(s, action, table, row_id, child_id, detail);
    if (s->readonly) {
        snprintf(s->err, sizeof s->err,
                 "the database is read-only: this access cannot be recorded in the access log");
        return EXIT_IO;
    }
    int rc = store_begin(s);
    if (rc) return rc;
    if ((rc = store_audit_child(s, action, table, row_id, child_id, detail))) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s);
}
