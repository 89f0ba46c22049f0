/* cmd_score.c: `caseload score CHILD [--format text|json]`: a child's score as of --as-of, its
 * band and every factor's value, weight and points (SPEC sections 3 and 5). */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/json.h"
#include "caseload/protect.h"
#include "caseload/score.h"
#include "caseload/scores.h"
#include "caseload/scoring.h"
#include "caseload/text.h"
#include "caseload/upn.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int exec_score(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_score = {
    "score",
    "score CHILD [--format text|json]",
    "the child's score, band and per-factor breakdown; CHILD is a UPN or an LA child id",
    "  CHILD         the child's UPN or LA child id\n"
    "  --format F    text (default) or json\n",
    exec_score,
};

/* Copies s into out (size n, truncated) with control characters and bad UTF-8 replaced, so
 * nothing from the data or the command line can drive the terminal. */
static void sanitize(const char *s, char *out, size_t n)
{
    buf b = BUF_INIT;
    text_sanitize(&b, s);
    snprintf(out, n, "%s", buf_str(&b));
    buf_free(&b);
}

static void print_json(const char *child, date_t as_of, const config *cfg, const score_result *r)
{
    buf out = BUF_INIT;
    json_writer w;
    json_init(&w, &out, false);
    char date[11];
    date_format(as_of, date);
    json_begin_object(&w);
    json_key(&w, "child");
    json_string(&w, child);
    json_key(&w, "as_of");
    json_string(&w, date);
    json_key(&w, "score");
    json_int(&w, r->total);
    json_key(&w, "band");
    json_string(&w, score_band_name(r->band));
    json_key(&w, "factors");
    json_begin_array(&w);
    for (int f = 0; f < SCORE_NFACTORS; f++) {
        json_begin_object(&w);
        json_key(&w, "factor");
        json_string(&w, score_factor_name((score_factor)f));
        json_key(&w, "value");
        json_int(&w, r->value[f]);
        json_key(&w, "weight");
        json_int(&w, cfg->scoring.weight[f]);
        json_key(&w, "points");
        json_int(&w, r->points[f]);
        json_end_object(&w);
    }
    json_end_array(&w);
    json_end_object(&w);
    buf_putc(&out, '\n');
    fputs(buf_str(&out), stdout);
    buf_free(&out);
}

static void print_text(const char *child, const char *first, const char *last, date_t as_of,
                       const config *cfg, const score_result *r)
{
    char date[11];
    date_format(as_of, date);
    buf names = BUF_INIT; /* never raw to a terminal, whatever the database holds */
    text_sanitize(&names, first);
    buf_putc(&names, ' ');
    text_sanitize(&names, last);
    buf_puts(&names, " (");
    text_sanitize(&names, child);
    printf("%s)\n", buf_str(&names));
    buf_free(&names);
    printf("Score as of %s: %d (%s)\n\n", date, r->total, score_band_name(r->band));
    printf("%-24s %6s %7s %7s\n", "factor", "value", "weight", "points");
    for (int f = 0; f < SCORE_NFACTORS; f++)
        printf("%-24s %6d %7d %7d\n", score_factor_name((score_factor)f), r->value[f],
               cfg->scoring.weight[f], r->points[f]);
    printf("%-24s %6s %7s %7d\n", "total", "", "", r->total);
}

/* Reads CHILD and --format: *child, *json; EXIT_OK or the usage error (said on stderr). */
static int score_args(int argc, char **argv, const char **child, bool *json)
{
    const char *format = "text";
    *child = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
        } else if (strncmp(argv[i], "--format=", 9) == 0) {
            format = argv[i] + 9;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            char opt[64];
            sanitize(argv[i], opt, sizeof opt);
            cli_error("score", "unknown option '%s'", opt);
            return cli_usage(&cli_cmd_score);
        } else if (!*child) {
            *child = argv[i];
        } else {
            return cli_usage(&cli_cmd_score);
        }
    }
    if (!*child) return cli_usage(&cli_cmd_score);
    *json = strcmp(format, "json") == 0;
    if (!*json && strcmp(format, "text") != 0) {
        char f[64];
        sanitize(format, f, sizeof f);
        cli_error("score", "--format: '%s' is not text or json", f);
        return cli_usage(&cli_cmd_score);
    }
    return EXIT_OK;
}

/* Finds child (a UPN, any case, or an LA child id) into *id with its names (first, last: 256
 * bytes each) and the label to show it by (label[14], or child itself when found by LA id:
 * *shown_as); EXIT_DATA (said) when there is none. */
static int find_child(store *db, const char *child, int64_t *id, char first[256], char last[256],
                      char norm[14], const char **shown_as)
{
    char shown[64];
    sanitize(child, shown, sizeof shown);
    const char *reason = NULL;
    norm[0] = '\0';
    upn_status us = upn_check(child, norm, &reason);
    char reason_copy[128] = "";
    if (us == UPN_INVALID && reason) snprintf(reason_copy, sizeof reason_copy, "%s", reason);
    int rc = scores_find_child(db, us != UPN_INVALID ? norm : NULL, child, id, first, last, 256);
    if (rc == EXIT_DATA) {
        if (us == UPN_INVALID && upn_shaped(child))
            cli_error("score", "'%s' is not a valid UPN: %s", shown, reason_copy);
        else
            cli_error("score", "no child with UPN or LA id '%s'", shown);
        return EXIT_DATA;
    }
    if (rc) {
        cli_error("score", "%s", store_error(db));
        return rc;
    }
    /* Found by UPN: show it normalized; found by LA id: as given. */
    *shown_as = child;
    if (us != UPN_INVALID) {
        int64_t by_upn = 0;
        if (scores_find_child(db, norm, NULL, &by_upn, NULL, NULL, 0) == EXIT_OK && by_upn == *id)
            *shown_as = norm;
    }
    return EXIT_OK;
}

static int exec_score(cli_ctx *ctx, int argc, char **argv)
{
    const char *child;
    bool json = false;
    int rc = score_args(argc, argv, &child, &json);
    if (rc) return rc;
    if ((rc = cli_config(ctx))) return rc;
    store *db;
    if ((rc = cli_store(ctx, 0, &db))) return rc;
    bool computed = false;
    rc = scoring_refresh(db, &ctx->cfg, ctx->as_of, isatty(STDERR_FILENO), &computed);
    if (rc) {
        cli_error("score", "%s", store_error(db));
        return rc;
    }
    int64_t id = 0;
    char first[256], last[256], norm[14];
    const char *label;
    if ((rc = find_child(db, child, &id, first, last, norm, &label))) return rc;
    score_result r;
    if ((rc = scoring_child(db, &ctx->cfg, ctx->as_of, id, &r)) ||
        (rc = protect_access(db, "score", "children", id, id, NULL))) {
        cli_error("score", "%s", store_error(db));
        return rc;
    }
    char label_s[64], first_s[256], last_s[256];
    sanitize(label, label_s, sizeof label_s);
    if (json) {
        print_json(label, ctx->as_of, &ctx->cfg, &r);
    } else {
        sanitize(first, first_s, sizeof first_s);
        sanitize(last, last_s, sizeof last_s);
        print_text(label_s, first_s, last_s, ctx->as_of, &ctx->cfg, &r);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("score", "writing the output failed");
        return EXIT_IO;
    }
    return EXIT_OK;
}
