/* main.c: parses the global options and runs a command, or the full-screen app. */
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/text.h"
#include "caseload/tui.h"
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#ifndef CASELOAD_VERSION
#define CASELOAD_VERSION "0.0.0"
#endif

static void usage(FILE *f)
{
    fprintf(f, "usage: caseload [--db FILE] [--config FILE] [--as-of YYYY-MM-DD] [--officer X]\n"
               "                [COMMAND ...]\n"
               "\n"
               "Without a command, opens the full-screen app. Commands:\n");
    for (const cli_command *const *c = cli_commands; *c; c++) {
        cli_print_wrapped(f, "  ", (*c)->usage, 8, 78);
        cli_print_wrapped(f, "      ", (*c)->summary, 6, 78);
    }
    fprintf(f, "\nGlobal options may stand anywhere before or after the command:\n"
               "  --db FILE       the database (else $CASELOAD_DB, else\n"
               "                  $XDG_DATA_HOME/caseload/caseload.db)\n"
               "  --config FILE   the configuration (else $CASELOAD_CONFIG, else\n"
               "                  $XDG_CONFIG_HOME/caseload/config.yaml)\n"
               "  --as-of DATE    the date that stands for today (YYYY-MM-DD)\n"
               "  --officer X     who is at the keyboard, by initials, for the access log\n"
               "                  (else $CASELOAD_OFFICER); before `list`, whose\n"
               "                  --officer is a filter\n"
               "  --help, --version\n"
               "`caseload COMMAND --help` explains a command; caseload(1) has it all.\n");
}

/* After --help or --version: standard output must really have taken it (>/dev/full, a closed
 * pipe). Returns EXIT_OK, or prints why and returns EXIT_IO. */
static int output_written(void)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout)) return EXIT_OK;
    fprintf(stderr, "caseload: writing to standard output failed: %s\n",
            strerror(errno ? errno : EIO));
    return EXIT_IO;
}

/* "caseload: unknown command 'lsit' (did you mean 'list'?); caseload --help lists them": one line.
 */
static int unknown_command(const char *name)
{
    const char *names[64];
    size_t n = 0;
    for (const cli_command *const *c = cli_commands; *c && n < 64; c++)
        names[n++] = (*c)->name;
    const char *close = text_closest(name, strlen(name), names, n);
    buf b = BUF_INIT;
    text_sanitize(&b, name);
    if (close)
        fprintf(stderr,
                "caseload: unknown command '%s' (did you mean '%s'?); see caseload --help\n",
                buf_str(&b), close);
    else
        fprintf(stderr, "caseload: unknown command '%s'; caseload --help lists the commands\n",
                buf_str(&b));
    buf_free(&b);
    return EXIT_USAGE;
}

/* Takes the value of a global option given as "--name VALUE" or "--name=VALUE". Returns the
 * number of argv entries it used (0 when argv[i] is not that option), -1 when the value is missing.
 */
static int take_option(char **argv, int argc, int i, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(argv[i], name, n) != 0) return 0;
    if (argv[i][n] == '=') {
        *value = argv[i] + n + 1;
        return 1;
    }
    if (argv[i][n] != '\0') return 0;
    if (i + 1 >= argc) return -1;
    *value = argv[i + 1];
    return 2;
}

/* No core dump, ever: one would hold every child the program had read (SPEC section 10). Both the
 * limit (inherited by anything started from here) and the flag (which also keeps other programs
 * of the same user from attaching to read its memory). */
static void no_core_dumps(void)
{
    struct rlimit none = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &none);
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Pulls the global options (--db, --config, --as-of, --officer) out of argv wherever they stand
 * (until "--") into ctx and *as_of; returns the new argc (argv ends with NULL), or -1 when an
 * option has no value (said on stderr, with the usage). */
static int global_options(int argc, char **argv, cli_ctx *ctx, const char **as_of)
{
    int out = 1;
    bool rest = false;
    for (int i = 1; i < argc;) {
        int used = 0;
        if (!rest && strcmp(argv[i], "--") == 0) rest = true;
        if (!rest) {
            const char *names[] = {"--db", "--config", "--as-of", "--officer"};
            const char **dest[] = {&ctx->db_option, &ctx->config_option, as_of,
                                   &ctx->officer_option};
            /* After `list`, --officer is list's filter: the global one stands before it. */
            int nnames = out > 1 && strcmp(argv[1], "list") == 0 ? 3 : 4;
            for (int k = 0; k < nnames && !used; k++) {
                used = take_option(argv, argc, i, names[k], dest[k]);
                if (used < 0) {
                    fprintf(stderr, "caseload: %s needs a value\n", names[k]);
                    usage(stderr);
                    return -1;
                }
            }
        }
        if (used) {
            i += used;
            continue;
        }
        argv[out++] = argv[i++];
    }
    argv[out] = NULL;
    return out;
}

int main(int argc, char **argv)
{
    no_core_dumps();
    /* The character set of the terminal (for widths and bars); numbers stay in the C locale. */
    setlocale(LC_CTYPE, "");
    cli_ctx ctx = {0};
    const char *as_of = NULL;
    if ((argc = global_options(argc, argv, &ctx, &as_of)) < 0) return EXIT_USAGE;

    if (as_of) {
        if (!date_parse(as_of, strlen(as_of), &ctx.as_of)) {
            fprintf(stderr, "caseload: --as-of: '%s' is not a date (YYYY-MM-DD)\n", as_of);
            return EXIT_USAGE;
        }
        ctx.as_of_given = true;
    } else {
        ctx.as_of = cli_today();
    }

    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        usage(stdout);
        return output_written();
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("caseload %s\n", CASELOAD_VERSION);
        return output_written();
    }
    if (argc >= 2 && strcmp(argv[1], "__complete") == 0) /* for data/caseload.bash */
        return cli_complete(argc - 1, argv + 1);
    if (argc < 2) { /* the app: the same configuration and database as the commands */
        int app_rc = tui_has_terminal() ? cli_config(&ctx) : EXIT_USAGE;
        store *db = NULL;
        if (!app_rc) app_rc = cli_store(&ctx, 0, &db);
        if (!app_rc) app_rc = tui_run(db, &ctx.cfg, ctx.as_of, ctx.as_of_given ? NULL : cli_today);
        store_close(ctx.db);
        if (ctx.cfg_loaded) config_free(&ctx.cfg);
        return app_rc;
    }
    if (argv[1][0] == '-') {
        fprintf(stderr, "caseload: unknown option '%s'\n", argv[1]);
        usage(stderr);
        return EXIT_USAGE;
    }
    int rc = -1;
    for (const cli_command *const *c = cli_commands; *c; c++) {
        if (strcmp((*c)->name, argv[1]) != 0) continue;
        if (cli_wants_help(argc - 1, argv + 1)) {
            cli_print_help(*c);
            rc = output_written();
        } else {
            rc = (*c)->exec(&ctx, argc - 1, argv + 1);
        }
        break;
    }
    if (rc < 0) rc = unknown_command(argv[1]);
    store_close(ctx.db);
    if (ctx.cfg_loaded) config_free(&ctx.cfg);
    return rc;
}
