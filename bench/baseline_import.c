/* baseline_import: the yardstick of the import's speed (issue 8, "Decision on issue #2's import
 * budget"). A plain SQLite program that inserts the rows of a referrals CSV (SPEC section 6) into
 * the same tables with the same indexes as caseload's schema, with no derived state: every
 * trigger, view and derived table of data/DERIVED.md is dropped first. Rows are read with the same
 * CSV reader, written in one transaction through prepared statements with keys shaped like
 * caseload's ((device << 32) | counter), with the settings a large import of caseload uses
 * (rollback journal, synchronous FULL, foreign keys on, a 256 MB page cache). It checks nothing
 * beyond what SQLite checks and derives nothing: caseload's import against it is the cost of the
 * checks and the derived state.
 *
 * usage: baseline_import DB CSV   (DB: an empty database made by caseload, e.g.
 *        `caseload --db DB list`; it is changed in place)
 * bench/bench_import_ratio.sh runs it alternately with caseload import. Not a test. */
#include "caseload/buf.h"
#include "caseload/csv.h"
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;

static void die(const char *what)
{
    fprintf(stderr, "baseline_import: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "baseline_import: %s: %s\n", sql, err ? err : "?");
        exit(1);
    }
}

static sqlite3_stmt *prepare(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die(sql);
    return st;
}

/* Binds text, or NULL when empty. */
static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (*v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void step(sqlite3_stmt *st, const char *what)
{
    if (sqlite3_step(st) != SQLITE_DONE) die(what);
    sqlite3_reset(st);
}

/* The id of the row sql finds for key, or 0. */
static int64_t find(sqlite3_stmt *st, const char *key)
{
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

static int64_t counter;

static int64_t new_id(void)
{
    return ((int64_t)1 << 32) | ++counter;
}

enum {
    REF,
    RECEIVED,
    SOURCE,
    ISSUE,
    OTHER_ISSUES,
    PEX_RISK,
    UPN,
    LA_CHILD_ID,
    FIRST_NAME,
    LAST_NAME,
    DOB,
    GENDER,
    SCHOOL_URN,
    SCHOOL_NAME,
    CARE_STATUS,
    SEN,
    SEN_NEED,
    YOUTH_JUSTICE,
    OFFICER,
    STATUS,
    CLOSED,
    SUMMARY,
    NCOLS
};
static const char *const names[NCOLS] = {
    "ref",        "received",    "source",      "issue",     "other_issues", "pex_risk",
    "upn",        "la_child_id", "first_name",  "last_name", "dob",          "gender",
    "school_urn", "school_name", "care_status", "sen",       "sen_need",     "youth_justice",
    "officer",    "status",      "closed",      "summary"};

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: baseline_import DB CSV\n");
        return 2;
    }
    FILE *fp = fopen(argv[2], "rb");
    if (!fp) {
        perror(argv[2]);
        return 1;
    }
    buf text = BUF_INIT;
    char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
        buf_append(&text, chunk, got);
    fclose(fp);
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) die("opening");
    exec("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
         "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY");
    /* No derived state: every trigger, view and derived table goes (data/DERIVED.md). */
    sqlite3_stmt *q = prepare("SELECT 'DROP ' || upper(type) || ' \"' || name || '\"' "
                              "FROM sqlite_schema WHERE type IN ('trigger', 'view')");
    buf drops = BUF_INIT;
    while (sqlite3_step(q) == SQLITE_ROW)
        buf_printf(&drops, "%s;", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    exec(buf_str(&drops));
    buf_free(&drops);
    static const char *const derived[] = {
        "referral_search", "referral_list",     "referral_counts", "child_names",
        "search_stale",    "child_names_stale", "child_scores",    "referral_follow_up"};
    for (size_t i = 0; i < sizeof derived / sizeof *derived; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS \"%s\"", derived[i]);
        exec(sql);
    }

    exec("BEGIN IMMEDIATE");
    sqlite3_stmt *school_find = prepare("SELECT id FROM schools WHERE urn = ?1"),
                 *school_add = prepare("INSERT INTO schools(id, urn, name) VALUES (?1, ?2, ?3)"),
                 *officer_find = prepare("SELECT id FROM officers WHERE initials = ?1"),
                 *officer_add = prepare("INSERT INTO officers(id, initials) VALUES (?1, ?2)"),
                 *child_add = prepare(
                     "INSERT INTO children(id, upn, la_child_id, first_name, last_name, dob, "
                     "gender, school_id, care_status, sen, sen_need, youth_justice) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
                 *referral_add = prepare(
                     "INSERT INTO referrals(id, ref, child_id, received, source, issue, "
                     "other_issues, pex_risk, status, closed, officer_id, care_status, sen, "
                     "summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                     "?14)");
    csv_reader r;
    csv_init(&r, text.data, text.len);
    int col[NCOLS];
    if (csv_next(&r) != 1) {
        fprintf(stderr, "baseline_import: no header\n");
        return 1;
    }
    for (int c = 0; c < NCOLS; c++) {
        col[c] = -1;
        for (size_t i = 0; i < csv_nfields(&r); i++)
            if (strcmp(csv_field(&r, i), names[c]) == 0) col[c] = (int)i;
        if (col[c] < 0) {
            fprintf(stderr, "baseline_import: no column %s\n", names[c]);
            return 1;
        }
    }
    long rows = 0;
    int rc;
    while ((rc = csv_next(&r)) == 1) {
        const char *v[NCOLS];
        for (int c = 0; c < NCOLS; c++)
            v[c] = (size_t)col[c] < csv_nfields(&r) ? csv_field(&r, (size_t)col[c]) : "";
        int64_t school = *v[SCHOOL_URN] ? find(school_find, v[SCHOOL_URN]) : 0;
        if (!school && *v[SCHOOL_URN]) {
            school = new_id();
            sqlite3_bind_int64(school_add, 1, school);
            bind_text(school_add, 2, v[SCHOOL_URN]);
            bind_text(school_add, 3, v[SCHOOL_NAME]);
            step(school_add, "adding a school");
        }
        int64_t officer = *v[OFFICER] ? find(officer_find, v[OFFICER]) : 0;
        if (!officer && *v[OFFICER]) {
            officer = new_id();
            sqlite3_bind_int64(officer_add, 1, officer);
            bind_text(officer_add, 2, v[OFFICER]);
            step(officer_add, "adding an officer");
        }
        int64_t child = new_id();
        sqlite3_bind_int64(child_add, 1, child);
        bind_text(child_add, 2, v[UPN]);
        bind_text(child_add, 3, v[LA_CHILD_ID]);
        sqlite3_bind_text(child_add, 4, v[FIRST_NAME], -1, SQLITE_STATIC);
        sqlite3_bind_text(child_add, 5, v[LAST_NAME], -1, SQLITE_STATIC);
        sqlite3_bind_text(child_add, 6, v[DOB], -1, SQLITE_STATIC);
        bind_text(child_add, 7, v[GENDER]);
        if (school)
            sqlite3_bind_int64(child_add, 8, school);
        else
            sqlite3_bind_null(child_add, 8);
        bind_text(child_add, 9, v[CARE_STATUS]);
        bind_text(child_add, 10, v[SEN]);
        bind_text(child_add, 11, v[SEN_NEED]);
        sqlite3_bind_int(child_add, 12, strcmp(v[YOUTH_JUSTICE], "yes") == 0);
        step(child_add, "adding a child");
        sqlite3_bind_int64(referral_add, 1, new_id());
        sqlite3_bind_text(referral_add, 2, v[REF], -1, SQLITE_STATIC);
        sqlite3_bind_int64(referral_add, 3, child);
        sqlite3_bind_text(referral_add, 4, v[RECEIVED], -1, SQLITE_STATIC);
        sqlite3_bind_text(referral_add, 5, v[SOURCE], -1, SQLITE_STATIC);
        sqlite3_bind_text(referral_add, 6, v[ISSUE], -1, SQLITE_STATIC);
        sqlite3_bind_text(referral_add, 7, v[OTHER_ISSUES], -1, SQLITE_STATIC);
        sqlite3_bind_int(referral_add, 8, strcmp(v[PEX_RISK], "yes") == 0);
        sqlite3_bind_text(referral_add, 9, *v[STATUS] ? v[STATUS] : "new", -1, SQLITE_STATIC);
        bind_text(referral_add, 10, v[CLOSED]);
        if (officer)
            sqlite3_bind_int64(referral_add, 11, officer);
        else
            sqlite3_bind_null(referral_add, 11);
        sqlite3_bind_text(referral_add, 12, v[CARE_STATUS], -1, SQLITE_STATIC);
        sqlite3_bind_text(referral_add, 13, v[SEN], -1, SQLITE_STATIC);
        sqlite3_bind_text(referral_add, 14, v[SUMMARY], -1, SQLITE_STATIC);
        step(referral_add, "adding a referral");
        rows++;
    }
    if (rc < 0) {
        fprintf(stderr, "baseline_import: line %ld: %s\n", r.error_line, r.error);
        return 1;
    }
    exec("COMMIT");
    sqlite3_stmt *all[] = {school_find, school_add, officer_find,
                           officer_add, child_add,  referral_add};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sqlite3_finalize(all[i]);
    csv_free(&r);
    buf_free(&text);
    sqlite3_close(db);
    printf("%ld referrals\n", rows);
    return 0;
}
