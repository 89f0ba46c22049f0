/* cmd_check.c: `caseload check [--format text|json]`: is the database sound? Runs every check of
 * the table below (caseload/check.h) and says what each found; exit 0 when all are sound, 1 when
 * any found a problem. */
#include "caseload/buf.h"
#include "caseload/check.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/json.h"
#include "caseload/scoring.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Every stored score against the one computed from the facts (src/app/scoring.c: the scores are
 * the app's rule, not the store's). */
static int check_scores(const check_ctx *c, check_result *r)
{
    long checked, wrong;
    int64_t first;
    if (scoring_verify(c->s, c->cfg, &checked, &wrong, &first)) {
        /* A damaged file: the other checks say where. */
        check_problem(r, "the facts could not be read: %s", store_error(c->s));
        return EXIT_OK;
    }
    if (checked == 0) {
        snprintf(r->detail, sizeof r->detail,
                 "stored scores are for another date or weights: computed again before shown");
        return EXIT_OK;
    }
    if (wrong == 1)
        snprintf(r->detail, sizeof r->detail,
                 "child %lld: the stored score is not its computed one", (long long)first);
    else if (wrong)
        snprintf(r->detail, sizeof r->detail,
                 "child %lld and %ld more: the stored scores are not their computed ones",
                 (long long)first, wrong - 1);
    r->problems = wrong;
    return EXIT_OK;
}

/* Every check, in the order they run and are shown: add a check here. */
static const check_def checks[] = {
    {"integrity", "SQLite's integrity check: every page, index and constraint", check_integrity},
    {"foreign_keys", "every reference leads to a row", check_foreign_keys},
    {"header", "the schema version and application_id are caseload's", check_header},
    {"row_keys", "the row-key counter is above every key handed out", check_row_keys},
    {"search_index", "the search index against the text it is made from", check_search_index},
    {"child_names", "the child finder's names against the children", check_child_names},
    {"referral_counts", "the sidebar counts against the referrals", check_referral_counts},
    {"referral_list", "the list's copy of each referral and its child's score",
     check_referral_list},
    {"follow_up", "each referral's next follow-up against its actions", check_follow_up},
    {"scores", "each child's stored score against its facts and the weights", check_scores},
};
enum { NCHECKS = sizeof checks / sizeof checks[0] };

static int exec_check(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_check = {
    "check",
    "check [--format text|json]",
    "checks that the database is sound: SQLite's integrity check, the search index, and every "
    "derived table against the facts it is derived from; exits 1 when anything is wrong",
    "  --format F     text (default: one line a check, then the verdict) or json\n"
    "                 ({\"sound\": true|false, \"checks\": [{\"check\", \"ok\",\n"
    "                 \"problems\", \"detail\"}, ...]})\n"
    "\n"
    "Checks: integrity, foreign_keys, header, row_keys, search_index, child_names,\n"
    "referral_counts, referral_list, follow_up, scores (see caseload(1)). Problems\n"
    "are named by table and id, never by a child's details. Exit 0: sound; 1:\n"
    "problems found; 74: the database cannot be opened.\n",
    exec_check,
};

/* The results as JSON ({"sound", "checks": [...]}) into out. */
static void put_json(buf *out, const check_result *results, int failed)
{
    json_writer j;
    json_init(&j, out, true);
    json_begin_object(&j);
    json_key(&j, "sound");
    json_bool(&j, failed == 0);
    json_key(&j, "checks");
    json_begin_array(&j);
    for (int i = 0; i < NCHECKS; i++) {
        json_begin_object(&j);
        json_key(&j, "check");
        json_string(&j, checks[i].name);
        json_key(&j, "ok");
        json_bool(&j, results[i].problems == 0);
        json_key(&j, "problems");
        json_int(&j, results[i].problems);
        json_key(&j, "detail");
        json_string(&j, results[i].detail);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_end_object(&j);
    buf_putc(out, '\n');
}

/* The results as text (one line a check, then the verdict) into out. */
static void put_text(buf *out, const check_result *results, int failed)
{
    for (int i = 0; i < NCHECKS; i++) {
        const check_result *r = &results[i];
        if (r->problems)
            buf_printf(out, "%-16s %ld problem%s: %s\n", checks[i].name, r->problems,
                       r->problems == 1 ? "" : "s", r->detail);
        else
            buf_printf(out, "%-16s ok%s%s\n", checks[i].name, r->detail[0] ? ": " : "", r->detail);
    }
    if (failed)
        buf_printf(out, "NOT SOUND: %d of %d checks found problems\n", failed, NCHECKS);
    else
        buf_printf(out, "sound: all %d checks passed\n", NCHECKS);
}

static int exec_check(cli_ctx *ctx, int argc, char **argv)
{
    const char *format = "text";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strncmp(argv[i], "--format=", 9) == 0)
            format = argv[i] + 9;
        else {
            cli_error("check", "unknown option or argument '%s'",
                      argv[i][0] == '-' ? argv[i] : "?");
            return cli_usage(&cli_cmd_check);
        }
    }
    bool json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0) {
        cli_error("check", "--format: unknown format (valid: text, json)");
        return EXIT_USAGE;
    }
    /* A check never makes a database where there was none. */
    char path[4096];
    cli_db_path(ctx, path, sizeof path);
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "caseload: %s: no such database\n", path);
        return EXIT_IO;
    }
    int rc = cli_config(ctx);
    store *s = NULL;
    if (!rc) rc = cli_store(ctx, 0, &s);
    if (rc) return rc;
    check_ctx c = {.s = s, .cfg = &ctx->cfg, .as_of = ctx->as_of};
    check_result results[NCHECKS];
    int failed = 0;
    for (int i = 0; i < NCHECKS; i++) {
        memset(&results[i], 0, sizeof results[i]);
        if ((rc = checks[i].run(&c, &results[i]))) {
            fprintf(stderr, "caseload check: %s: %s\n", checks[i].name, store_error(s));
            return rc;
        }
        check_finish(&results[i]);
        if (results[i].problems) failed++;
    }
    buf out = BUF_INIT;
    if (json)
        put_json(&out, results, failed);
    else
        put_text(&out, results, failed);
    fputs(buf_str(&out), stdout);
    buf_free(&out);
    return failed ? EXIT_FOUND : EXIT_OK;
}
