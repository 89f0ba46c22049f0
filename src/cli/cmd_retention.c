/* cmd_retention.c: `caseload retention review [--format table|json]` and
 * `caseload retention purge CHILD... --reason TEXT [--request]` (SPEC section 10): the children
 * due under the configuration's retention rules, and erasing them for good with a tombstone. */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/json.h"
#include "caseload/protect.h"
#include "caseload/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int exec_retention(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_retention = {
    "retention",
    "retention review [--format table|json] | retention purge CHILD... --reason TEXT "
    "[--request]",
    "the children due for review under the configuration's retention rules; erasing them for "
    "good, leaving a tombstone",
    "  review        lists the children due as of --as-of: the child, the rule\n"
    "                reached first and the date it was reached (children under\n"
    "                a hold are never due)\n"
    "  purge         erases each CHILD (a UPN or an LA child id) in one\n"
    "                transaction: every row about the child, the search index's\n"
    "                copy and the write-ahead log; a tombstone keeps the row key,\n"
    "                the rule, the officer and the date. Needs a known officer\n"
    "                (global --officer or $CASELOAD_OFFICER); refused for a held\n"
    "                child and for one not due\n"
    "  --format F    review: table (default) or json\n"
    "  --reason TEXT purge: why (recorded in the tombstone; must not name the child)\n"
    "  --request     purge: erase children not due, on request (rule 'request')\n",
    exec_retention,
};

static const char *child_label(const protect_due *d)
{
    return d->upn[0] ? d->upn : d->la_child_id;
}

static void json_text_or_null(json_writer *j, const char *key, const char *v)
{
    json_key(j, key);
    if (*v)
        json_string(j, v);
    else
        json_null(j);
}

/* retention review --format json: {"as_of", "due": [{child, upn, la_child_id, rule, date,
 * cohort}], "held"}. */
static void review_json(buf *out, const char *as_of, const protect_due *v, size_t n, size_t held)
{
    json_writer j;
    json_init(&j, out, false);
    json_begin_object(&j);
    json_key(&j, "as_of");
    json_string(&j, as_of);
    json_key(&j, "due");
    json_begin_array(&j);
    for (size_t i = 0; i < n; i++) {
        json_begin_object(&j);
        json_key(&j, "child");
        json_string(&j, child_label(&v[i]));
        json_text_or_null(&j, "upn", v[i].upn);
        json_text_or_null(&j, "la_child_id", v[i].la_child_id);
        json_key(&j, "rule");
        json_string(&j, retention_rule_name(v[i].rule));
        json_key(&j, "date");
        json_string(&j, v[i].on);
        json_key(&j, "cohort");
        json_string(&j, retention_cohort_name(v[i].cohort));
        json_end_object(&j);
    }
    json_end_array(&j);
    json_key(&j, "held");
    json_number(&j, (double)held, 0);
    json_end_object(&j);
    buf_putc(out, '\n');
}

/* retention review as a table: a line per child due, then the count. */
static void review_table(buf *out, const char *as_of, const protect_due *v, size_t n, size_t held)
{
    buf_printf(out, "%-16s %-30s %-10s %s\n", "CHILD", "RULE", "DATE", "COHORT");
    for (size_t i = 0; i < n; i++) {
        buf label = BUF_INIT;
        text_sanitize(&label, child_label(&v[i]));
        buf_printf(out, "%-16s %-30s %-10s %s\n", buf_str(&label), retention_rule_name(v[i].rule),
                   v[i].on, retention_cohort_name(v[i].cohort));
        buf_free(&label);
    }
    buf_printf(out, "%zu child%s due as of %s", n, n == 1 ? "" : "ren", as_of);
    if (held) buf_printf(out, "; %zu more under a hold (retention.holds) not listed", held);
    buf_puts(out, "\n");
}

static int review(cli_ctx *ctx, int argc, char **argv)
{
    const char *format = "table";
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strncmp(argv[i], "--format=", 9) == 0)
            format = argv[i] + 9;
        else
            return cli_usage(&cli_cmd_retention);
    }
    bool json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "table") != 0) {
        cli_error("retention", "--format: expected table or json");
        return EXIT_USAGE;
    }
    int rc = cli_config(ctx);
    if (rc) return rc;
    store *s;
    if ((rc = cli_store(ctx, 0, &s))) return rc;
    protect_due *v = NULL;
    size_t n = 0, held = 0;
    if ((rc = protect_review(s, &ctx->cfg, ctx->as_of, false, &v, &n, &held))) {
        cli_error("retention", "%s", store_error(s));
        return rc;
    }
    buf out = BUF_INIT;
    char as_of[11];
    date_format(ctx->as_of, as_of);
    if (json)
        review_json(&out, as_of, v, n, held);
    else
        review_table(&out, as_of, v, n, held);
    free(v);
    rc = fwrite(out.data, 1, out.len, stdout) == out.len && fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
    if (rc) cli_error("retention", "writing the output failed");
    buf_free(&out);
    return rc;
}

static int purge(cli_ctx *ctx, int argc, char **argv)
{
    const char *reason = NULL;
    bool request = false;
    const char **names = calloc((size_t)argc, sizeof *names);
    int64_t *ids = calloc((size_t)argc, sizeof *ids);
    int n = 0, rc = EXIT_OK;
    if (!names || !ids) {
        rc = EXIT_IO;
        goto done;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc) {
            reason = argv[++i];
        } else if (strncmp(argv[i], "--reason=", 9) == 0) {
            reason = argv[i] + 9;
        } else if (strcmp(argv[i], "--request") == 0) {
            request = true;
        } else if (argv[i][0] == '-') {
            rc = cli_usage(&cli_cmd_retention);
            goto done;
        } else {
            names[n++] = argv[i];
        }
    }
    if (n == 0 || !reason) {
        cli_error("retention", "purge needs at least one CHILD and --reason TEXT");
        rc = cli_usage(&cli_cmd_retention);
        goto done;
    }
    if ((rc = cli_config(ctx))) goto done;
    store *s;
    if ((rc = cli_store(ctx, 0, &s))) goto done;
    if ((rc = cli_need_officer(ctx, s, "retention"))) goto done;
    for (int i = 0; i < n; i++)
        if ((rc = cli_find_child(s, "retention", names[i], i + 1, &ids[i]))) goto done;
    char err[512];
    bool emptied = false;
    rc = protect_purge(s, &ctx->cfg, ctx->as_of, ids, (size_t)n, request, reason, &emptied, err,
                       sizeof err);
    if (rc) {
        cli_error("retention", "%s", err);
        goto done;
    }
    printf("%d child%s purged; a tombstone kept for each\n", n, n == 1 ? "" : "ren");
    if (!emptied)
        cli_error("retention", "another program has the database open: the write-ahead log "
                               "still holds the erased pages until it closes");
done:
    free(names);
    free(ids);
    return rc;
}

static int exec_retention(cli_ctx *ctx, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "review") == 0) return review(ctx, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "purge") == 0) return purge(ctx, argc, argv);
    return cli_usage(&cli_cmd_retention);
}
