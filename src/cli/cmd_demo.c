/* cmd_demo.c: `caseload demo [--children N] [--seed S]`: fills the database with the demo caseload
 * (deterministic for a seed; running it again changes nothing and says so), then brings the
 * scores up to date. */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/demo.h"
#include "caseload/exitcode.h"
#include "caseload/scoring.h"
#include "caseload/text.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int exec_demo(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_demo = {
    "demo",
    "demo [--children N] [--seed S]",
    "fills the database with a realistic synthetic caseload (default about 400 children)",
    "  --children N   about N children (default 400) with their referrals over the\n"
    "                 current and previous academic years, counted from --as-of\n"
    "  --seed S       the same seed (default 1) gives the same caseload; running it\n"
    "                 again changes nothing\n",
    exec_demo,
};

/* Parses a whole decimal number in lo..hi. */
static bool parse_count(const char *s, long long lo, long long hi, long long *out)
{
    if (!s || !*s || *s == '-' || *s == '+') return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static int bad_value(const char *opt, const char *v, const char *what)
{
    buf b = BUF_INIT;
    text_sanitize(&b, v);
    cli_error("demo", "%s: '%s' is not %s", opt, buf_str(&b), what);
    buf_free(&b);
    return cli_usage(&cli_cmd_demo);
}

static int exec_demo(cli_ctx *ctx, int argc, char **argv)
{
    long long children = DEMO_DEFAULT_CHILDREN, seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = NULL;
        if (strncmp(opt, "--children=", 11) == 0 || strncmp(opt, "--seed=", 7) == 0) {
            val = strchr(opt, '=') + 1;
        } else if ((strcmp(opt, "--children") == 0 || strcmp(opt, "--seed") == 0) && i + 1 < argc) {
            val = argv[++i];
        } else {
            buf b = BUF_INIT;
            text_sanitize(&b, opt);
            cli_error("demo", "unknown argument '%s'", buf_str(&b));
            buf_free(&b);
            return cli_usage(&cli_cmd_demo);
        }
        if (strncmp(opt, "--children", 10) == 0) {
            if (!parse_count(val, 1, DEMO_MAX_CHILDREN, &children))
                return bad_value("--children", val, "a number of children (1 to 10000000)");
        } else if (!parse_count(val, 0, 999999999, &seed)) {
            return bad_value("--seed", val, "a seed (0 to 999999999)");
        }
    }

    int rc = cli_config(ctx);
    if (rc) return rc;
    store *db;
    if ((rc = cli_store(ctx, 0, &db))) return rc;
    bool tty = isatty(STDERR_FILENO);
    demo_options o = {
        .children = (long)children,
        .seed = (uint64_t)seed,
        .as_of = ctx->as_of,
        .cfg = &ctx->cfg,
        .progress = tty && children >= 20000,
    };
    demo_stats st;
    buf errors = BUF_INIT;
    rc = demo_fill(db, &o, &st, &errors);
    if (rc && errors.len)
        fputs(buf_str(&errors), stderr);
    else if (rc)
        cli_error("demo", "%s", store_error(db));
    buf_free(&errors);
    if (rc) return rc;
    rc = scoring_refresh(db, &ctx->cfg, ctx->as_of, o.progress, NULL);
    if (rc) {
        cli_error("demo", "%s", store_error(db));
        return rc;
    }
    char date[11];
    date_format(ctx->as_of, date);
    if (st.inserted + st.updated == 0) {
        printf("demo caseload (seed %lld, %lld children, as of %s) is already in the database: "
               "nothing changed\n",
               seed, children, date);
    } else {
        printf("demo caseload (seed %lld, as of %s): %ld children, %ld referrals, %ld actions, "
               "%ld outcomes, %ld exclusions, %ld attendance records, %ld episodes; "
               "%ld rows added, %ld changed\n",
               seed, date, st.rows[KIND_CHILDREN], st.rows[KIND_REFERRALS], st.rows[KIND_ACTIONS],
               st.rows[KIND_OUTCOMES], st.rows[KIND_EXCLUSIONS], st.rows[KIND_ATTENDANCE],
               st.rows[KIND_EPISODES], st.inserted, st.updated);
    }
    return EXIT_OK;
}
