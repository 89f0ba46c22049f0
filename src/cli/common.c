/* common.c: what every command shares: the database path, opening the store, the configuration,
 * usage and error messages. */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/records.h"
#include "caseload/text.h"
#include "caseload/upn.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cli_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "caseload %s: ", name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_usage(const cli_command *cmd)
{
    fprintf(stderr, "caseload: usage: caseload %s\n", cmd->usage);
    return EXIT_USAGE;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
    }
    return false;
}

void cli_print_wrapped(FILE *f, const char *prefix, const char *text, int indent, int width)
{
    int room = width - fprintf(f, "%s", prefix);
    while (*text == ' ')
        text++;
    while (*text) {
        /* The longest run that fits, broken at a space outside [ ]; else up to the first one. */
        int cut = 0, depth = 0, i = 0;
        for (; text[i] && (i <= room || cut == 0); i++) {
            if (text[i] == '[')
                depth++;
            else if (text[i] == ']' && depth > 0)
                depth--;
            else if (text[i] == ' ' && depth == 0)
                cut = i;
        }
        if (cut == 0 || (!text[i] && i <= room)) cut = i;
        fprintf(f, "%.*s\n", cut, text);
        for (text += cut; *text == ' ';)
            text++;
        if (*text) room = width - fprintf(f, "%*s", indent, "");
    }
}

void cli_print_help(const cli_command *cmd)
{
    cli_print_wrapped(stdout, "usage: caseload ", cmd->usage, 8, 78);
    putchar('\n');
    cli_print_wrapped(stdout, "", cmd->summary, 0, 78);
    printf("\n%s\nGlobal options --db, --config and --as-of may be given too; see caseload(1).\n",
           cmd->details);
}

int cli_config(cli_ctx *ctx)
{
    if (ctx->cfg_loaded) return EXIT_OK;
    buf errors = BUF_INIT;
    int rc = config_load_default(ctx->config_option, &ctx->cfg, &errors);
    if (rc) fputs(buf_str(&errors), stderr);
    buf_free(&errors);
    if (rc) {
        config_free(&ctx->cfg);
        return rc;
    }
    ctx->cfg_loaded = true;
    return EXIT_OK;
}

void cli_db_path(const cli_ctx *ctx, char *out, size_t n)
{
    const char *e = getenv("CASELOAD_DB");
    if (ctx->db_option) {
        snprintf(out, n, "%s", ctx->db_option);
    } else if (e && *e) {
        snprintf(out, n, "%s", e);
    } else {
        const char *xdg = getenv("XDG_DATA_HOME");
        const char *home = getenv("HOME");
        if (xdg && *xdg)
            snprintf(out, n, "%s/caseload/caseload.db", xdg);
        else
            snprintf(out, n, "%s/.local/share/caseload/caseload.db", home ? home : ".");
    }
}

int cli_store(cli_ctx *ctx, int flags, store **out)
{
    if (!ctx->db) {
        char path[4096], err[1024];
        cli_db_path(ctx, path, sizeof path);
        /* Hidden, for tests: open read-only as SQLite does for a file it may not write. */
        const char *ro = getenv("CASELOAD_READONLY");
        if (ro && strcmp(ro, "1") == 0) flags |= STORE_READONLY;
        int rc = store_open(path, flags, &ctx->db, err, sizeof err);
        if (rc) {
            fprintf(stderr, "caseload: %s\n", err);
            return rc;
        }
        if ((rc = store_identify(ctx->db, cli_officer(ctx)))) {
            fprintf(stderr, "caseload: %s\n", store_error(ctx->db));
            store_close(ctx->db);
            ctx->db = NULL;
            return rc;
        }
    }
    *out = ctx->db;
    return EXIT_OK;
}

const char *cli_officer(const cli_ctx *ctx)
{
    if (ctx->officer_option) return ctx->officer_option;
    const char *e = getenv("CASELOAD_OFFICER");
    return e && *e ? e : NULL;
}

int cli_need_officer(const cli_ctx *ctx, store *s, const char *name)
{
    if (store_officer(s)[0]) return EXIT_OK;
    const char *claimed = cli_officer(ctx);
    if (!claimed) {
        cli_error(name, "name the officer doing this with --officer INITIALS (or "
                        "$CASELOAD_OFFICER): it is recorded");
    } else {
        buf b = BUF_INIT;
        text_sanitize(&b, claimed);
        cli_error(name,
                  "'%s' is not a known officer's initials: name a known officer with "
                  "--officer INITIALS (or $CASELOAD_OFFICER)",
                  buf_str(&b));
        buf_free(&b);
    }
    return EXIT_USAGE;
}

int cli_find_child(store *s, const char *name, const char *arg, int nth, int64_t *id)
{
    char norm[14] = "";
    upn_status us = upn_check(arg, norm, NULL);
    records_child_key key;
    int rc = records_child_find(s, us != UPN_INVALID ? norm : NULL, arg, &key);
    if (rc) {
        cli_error(name, "%s", store_error(s));
        return rc;
    }
    if (!key.id) {
        cli_error(name, "CHILD %d: no child has that UPN or LA child id", nth);
        return EXIT_DATA;
    }
    *id = key.id;
    return EXIT_OK;
}

date_t cli_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int cli_out_option(cli_out *o, const char *cmd, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--force") == 0) {
        o->force = true;
        return 1;
    }
    if (strncmp(a, "--output=", 9) == 0) {
        o->path = a + 9;
        return 1;
    }
    if (strncmp(a, "-o", 2) == 0 && a[2] != '\0') { /* -oFILE */
        o->path = a + 2;
        return 1;
    }
    if (strcmp(a, "-o") != 0 && strcmp(a, "--output") != 0) return 0;
    if (*i + 1 >= argc) {
        cli_error(cmd, "%s needs a file name", a);
        return -1;
    }
    o->path = argv[++*i];
    return 1;
}

bool cli_out_usable(const cli_out *o, const char *cmd, bool binary, const char *what)
{
    if (binary && !o->path) {
        cli_error(cmd, "%s needs -o FILE (a workbook is not for a terminal)", what);
        return false;
    }
    if (o->force && !o->path) {
        cli_error(cmd, "--force is for -o FILE");
        return false;
    }
    return true;
}

int cli_out_open(cli_out *o, const char *cmd)
{
    if (!o->path) {
        o->f = stdout;
        o->terminal = isatty(STDOUT_FILENO);
        return EXIT_OK;
    }
    char err[4200];
    int rc = outfile_open(&o->file, o->path, o->force, err, sizeof err);
    if (rc) {
        buf b = BUF_INIT;
        text_sanitize(&b, err);
        cli_error(cmd, "%s", buf_str(&b));
        buf_free(&b);
        return rc;
    }
    o->f = o->file.f;
    o->terminal = false;
    return EXIT_OK;
}

int cli_out_write(cli_out *o, const char *s, size_t n)
{
    size_t w;
    if (o->terminal) {
        buf b = BUF_INIT;
        text_sanitize_lines(&b, s, n);
        w = b.len ? fwrite(b.data, 1, b.len, o->f) : 0;
        n = b.len;
        buf_free(&b);
    } else {
        w = n ? fwrite(s, 1, n, o->f) : 0;
    }
    return w == n ? EXIT_OK : EXIT_IO;
}

int cli_out_close(cli_out *o, const char *cmd, int rc)
{
    if (!o->f) return rc;
    if (!o->path) {
        o->f = NULL;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            if (!rc) cli_error(cmd, "writing the output failed");
            return rc ? rc : EXIT_IO;
        }
        return rc;
    }
    o->f = NULL;
    if (rc) {
        outfile_abort(&o->file);
        return rc;
    }
    char err[4200];
    rc = outfile_commit(&o->file, err, sizeof err);
    buf b = BUF_INIT;
    text_sanitize(&b, rc ? err : o->file.path);
    if (rc)
        cli_error(cmd, "%s", buf_str(&b));
    else
        printf("written to %s\n", buf_str(&b));
    buf_free(&b);
    if (!rc && (fflush(stdout) != 0 || ferror(stdout))) rc = EXIT_IO;
    return rc;
}
