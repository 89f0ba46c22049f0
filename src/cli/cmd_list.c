/* cmd_list.c: `caseload list` — referrals, highest score first, through the same browse query as
 * the app's main screen (keyset pages of 500, so a million referrals never sit in memory). */
#include "caseload/browse.h"
#include "caseload/buf.h"
#include "caseload/cal.h"
#include "caseload/cli.h"
#include "caseload/codes.h"
#include "caseload/csv.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/json.h"
#include "caseload/retention.h"
#include "caseload/scoring.h"
#include "caseload/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { FMT_TABLE, FMT_CSV, FMT_JSON };
enum { CHUNK = 500 };

static const char *const columns[] = {
    "ref",    "score", "band",   "upn",     "la_child_id", "child",     "year_group",
    "school", "issue", "status", "officer", "received",    "days_open", "follow_up"};
#define NCOLUMNS ((int)(sizeof columns / sizeof columns[0]))

static int bad_code(codes_list l, const char *opt, const char *v)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < codes_count(l); i++)
        buf_printf(&b, "%s%s", i ? ", " : "", codes_code(l, i));
    fprintf(stderr, "caseload list: %s: unknown code '", opt);
    buf s = BUF_INIT;
    text_sanitize(&s, v);
    fprintf(stderr, "%s' (valid: %s%s)\n", buf_str(&s), buf_str(&b),
            l == CODES_STATUS ? "; a comma list of them, or all" : "");
    buf_free(&s);
    buf_free(&b);
    return EXIT_USAGE;
}

/* Display columns of s as put_cell shows it (text_width: the app's measure). */
static int text_cols(const char *s)
{
    buf clean = BUF_INIT;
    text_sanitize(&clean, s);
    int w = text_width(buf_str(&clean));
    buf_free(&clean);
    return w;
}

/* Appends s sanitized, cut to at most width columns, padded to width when pad. */
static void put_cell(buf *out, const char *s, int width, bool pad)
{
    buf clean = BUF_INIT;
    text_sanitize(&clean, s);
    int w = text_fit(out, buf_str(&clean), width);
    if (pad)
        for (; w < width; w++)
            buf_putc(out, ' ');
    buf_free(&clean);
}

typedef struct {
    int w_ref, w_child, w_school;
} table_widths;

static void table_header(buf *out, const table_widths *tw)
{
    put_cell(out, "REF", tw->w_ref, true);
    buf_puts(out, " SCORE BAND  ");
    put_cell(out, "CHILD", tw->w_child, true);
    buf_puts(out, " YEAR ");
    put_cell(out, "SCHOOL", tw->w_school, true);
    buf_puts(out, " ISSUE             STATUS OFFICER RECEIVED    DAYS FOLLOW-UP\n");
}

static void table_row(buf *out, const table_widths *tw, const browse_row *r)
{
    char yg[CAL_YEAR_TEXT];
    cal_year_text(r->year_group, CAL_YEAR_NUMBER, yg);
    put_cell(out, r->ref, tw->w_ref, true);
    buf_printf(out, " %5d %-5s ", r->score, score_band_name(r->band));
    put_cell(out, r->child, tw->w_child, true);
    buf_printf(out, " %-4s ", yg);
    put_cell(out, r->school, tw->w_school, true);
    buf_putc(out, ' ');
    put_cell(out, r->issue, 17, true);
    buf_putc(out, ' ');
    put_cell(out, r->status, 6, true);
    buf_putc(out, ' ');
    put_cell(out, r->officer, 7, true);
    buf_printf(out, " %-10s %5d ", r->received, r->days_open);
    put_cell(out, r->follow_up, 10, false);
    if (r->overdue) buf_puts(out, " overdue");
    buf_putc(out, '\n');
}

static void csv_row(buf *out, const browse_row *r)
{
    char num[32], yg[16];
    csv_write_field(out, r->ref);
    snprintf(num, sizeof num, ",%d,", r->score);
    buf_puts(out, num);
    buf_puts(out, score_band_name(r->band));
    buf_putc(out, ',');
    csv_write_field(out, r->upn);
    buf_putc(out, ',');
    csv_write_field(out, r->la_child_id);
    buf_putc(out, ',');
    csv_write_field(out, r->child);
    if (r->year_group == CAL_YEAR_UNKNOWN)
        snprintf(yg, sizeof yg, ",");
    else
        snprintf(yg, sizeof yg, ",%d", r->year_group);
    buf_puts(out, yg);
    buf_putc(out, ',');
    csv_write_field(out, r->school);
    buf_printf(out, ",%s,%s,", r->issue, r->status);
    csv_write_field(out, r->officer);
    buf_printf(out, ",%s,%d,%s\n", r->received, r->days_open, r->follow_up);
}

static void json_text_or_null(json_writer *j, const char *k, const char *v)
{
    json_key(j, k);
    if (v[0])
        json_string(j, v);
    else
        json_null(j);
}

static void json_row(json_writer *j, const browse_row *r)
{
    json_begin_object(j);
    json_key(j, "ref");
    json_string(j, r->ref);
    json_key(j, "score");
    json_int(j, r->score);
    json_key(j, "band");
    json_string(j, score_band_name(r->band));
    json_text_or_null(j, "upn", r->upn);
    json_text_or_null(j, "la_child_id", r->la_child_id);
    json_key(j, "child");
    json_string(j, r->child);
    json_key(j, "year_group");
    if (r->year_group == CAL_YEAR_UNKNOWN)
        json_null(j);
    else
        json_int(j, r->year_group);
    json_text_or_null(j, "school", r->school);
    json_key(j, "issue");
    json_string(j, r->issue);
    json_key(j, "status");
    json_string(j, r->status);
    json_text_or_null(j, "officer", r->officer);
    json_key(j, "received");
    json_string(j, r->received);
    json_key(j, "days_open");
    json_int(j, r->days_open);
    json_text_or_null(j, "follow_up", r->follow_up);
    json_end_object(j);
}

static int list_exec(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_list = {
    "list",
    "list [--issue I] [--status S[,S]] [--band B] [--officer X] [--cohort C] [--search TEXT] "
    "[--follow-up due|overdue] [--limit N] [--format table|csv|json]",
    "referrals, highest score first",
    "  --issue I     attendance, cme, exclusion, admissions, sen,\n"
    "                reduced_timetable, managed_move, ehe, neet or other\n"
    "  --status S    new, open or closed, a comma list of them (new,open)\n"
    "                or all; default: the live ones (new,open)\n"
    "  --band B      red, amber or green\n"
    "  --officer X   the officer's initials\n"
    "  --cohort C    the child's cohort as of --as-of: current (a plan open),\n"
    "                ever6 (plan ended less than six years ago) or out\n"
    "  --search TEXT those whose ref, UPN, LA child id, name, school (URN or\n"
    "                name) or summary hold every word of TEXT, in any order,\n"
    "                ignoring case and accents (the app's / search)\n"
    "  --follow-up W due: a pending follow-up due today or before; overdue:\n"
    "                before today; listed earliest first\n"
    "  --limit N     at most N referrals (default: all)\n"
    "  --format F    table (default), csv or json\n",
    list_exec,
};

/* What the command line asks for. */
typedef struct {
    browse_filter f;
    int format;
    long limit; /* -1: all */
} list_args;

/* Reads option opt with its value v into *a; EXIT_OK, or the usage error (said on stderr). */
static int list_option(const char *opt, const char *v, list_args *a)
{
    browse_filter *f = &a->f;
    if (strcmp(opt, "--issue") == 0) {
        if ((f->issue = field_code(CODES_ISSUE, v, strlen(v))) < 0)
            return bad_code(CODES_ISSUE, opt, v);
    } else if (strcmp(opt, "--status") == 0) {
        if (browse_statuses_parse(v, &f->statuses) < 0) return bad_code(CODES_STATUS, opt, v);
    } else if (strcmp(opt, "--band") == 0) {
        if ((f->band = score_band_find(v)) < 0) {
            fprintf(stderr, "caseload list: --band: unknown band (valid: red, amber, green)\n");
            return EXIT_USAGE;
        }
    } else if (strcmp(opt, "--officer") == 0) {
        char ini[FIELD_INITIALS_MAX + 1], why[FIELD_WHY];
        if (!field_initials(v, strlen(v), ini, why)) {
            cli_error("list", "--officer: initials expected (1 to %d letters)", FIELD_INITIALS_MAX);
            return EXIT_USAGE;
        }
        snprintf(f->officer, sizeof f->officer, "%s", ini);
    } else if (strcmp(opt, "--cohort") == 0) {
        if ((f->cohort = retention_cohort_find(v)) < 0) {
            cli_error("list", "--cohort: unknown cohort '%s' (valid: current, ever6, out)", v);
            return EXIT_USAGE;
        }
    } else if (strcmp(opt, "--search") == 0) {
        if (!*v || strlen(v) >= sizeof f->text || !text_utf8_valid(v, strlen(v))) {
            cli_error("list", "--search: text of 1 to %zu bytes of UTF-8 expected",
                      sizeof f->text - 1);
            return EXIT_USAGE;
        }
        snprintf(f->text, sizeof f->text, "%s", v);
    } else if (strcmp(opt, "--follow-up") == 0) {
        if (strcmp(v, "due") == 0)
            f->follow_up = BROWSE_FOLLOW_DUE;
        else if (strcmp(v, "overdue") == 0)
            f->follow_up = BROWSE_FOLLOW_OVERDUE;
        else {
            cli_error("list", "--follow-up: due or overdue expected");
            return EXIT_USAGE;
        }
    } else if (strcmp(opt, "--limit") == 0) {
        char *end;
        a->limit = strtol(v, &end, 10);
        if (*end || end == v || a->limit < 0) {
            cli_error("list", "--limit: a number of 0 or more expected");
            return EXIT_USAGE;
        }
    } else if (strcmp(opt, "--format") == 0) {
        if (strcmp(v, "table") == 0)
            a->format = FMT_TABLE;
        else if (strcmp(v, "csv") == 0)
            a->format = FMT_CSV;
        else if (strcmp(v, "json") == 0)
            a->format = FMT_JSON;
        else {
            cli_error("list", "--format: unknown format (valid: table, csv, json)");
            return EXIT_USAGE;
        }
    } else {
        cli_error("list", "unknown option '%s'", opt[0] == '-' ? opt : "?");
        return cli_usage(&cli_cmd_list);
    }
    return EXIT_OK;
}

/* Reads the options (--name value or --name=value) into *a; EXIT_OK or the usage error. */
static int list_parse(int argc, char **argv, list_args *a)
{
    browse_filter_default(&a->f);
    a->format = FMT_TABLE;
    a->limit = -1;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *v = NULL;
        const char *eq = strchr(opt, '=');
        char name[32];
        if (strncmp(opt, "--", 2) == 0 && eq && (size_t)(eq - opt) < sizeof name) {
            memcpy(name, opt, (size_t)(eq - opt));
            name[eq - opt] = '\0';
            opt = name;
            v = eq + 1;
        } else if (strncmp(opt, "--", 2) == 0 && i + 1 < argc) {
            v = argv[++i];
        }
        if (!v) {
            if (strncmp(opt, "--", 2) == 0)
                cli_error("list", "%s needs a value", opt);
            else
                cli_error("list", "unexpected argument");
            return cli_usage(&cli_cmd_list);
        }
        int rc = list_option(opt, v, a);
        if (rc) return rc;
    }
    return EXIT_OK;
}

/* The table's column widths from the first page (n rows), within limits. */
static void widths_of(table_widths *tw, const browse_row *rows, int n)
{
    for (int i = 0; i < n; i++) {
        int a = text_cols(rows[i].ref), b = text_cols(rows[i].child), c = text_cols(rows[i].school);
        if (a > tw->w_ref) tw->w_ref = a;
        if (b > tw->w_child) tw->w_child = b;
        if (c > tw->w_school) tw->w_school = c;
    }
    if (tw->w_child > 30) tw->w_child = 30;
    if (tw->w_school > 30) tw->w_school = 30;
    if (tw->w_ref > 20) tw->w_ref = 20;
}

/* Writes the referrals a asks for to o, page by page through rows (CHUNK of them). */
static int list_write(cli_ctx *ctx, store *s, const list_args *a, browse_row *rows, cli_out *o)
{
    const score_weights *w = &ctx->cfg.scoring;
    int rc = EXIT_OK;
    buf out = BUF_INIT;
    json_writer j;
    if (a->format == FMT_JSON) {
        json_init(&j, &out, true);
        json_begin_array(&j);
    } else if (a->format == FMT_CSV) {
        for (int c = 0; c < NCOLUMNS; c++)
            buf_printf(&out, "%s%s", c ? "," : "", columns[c]);
        buf_putc(&out, '\n');
    }
    browse_key key;
    bool first = true;
    long done = 0;
    table_widths tw = {3, 5, 6};
    for (;;) {
        int want = CHUNK;
        if (a->limit >= 0 && a->limit - done < want) want = (int)(a->limit - done);
        if (want <= 0) break;
        int n = 0;
        rc = browse_page(s, &a->f, w, ctx->as_of, first ? NULL : &key, want, rows, &n);
        if (rc) {
            fprintf(stderr, "caseload list: %s\n", store_error(s));
            break;
        }
        if (a->format == FMT_TABLE && first) {
            widths_of(&tw, rows, n);
            table_header(&out, &tw);
        }
        for (int i = 0; i < n; i++) {
            if (a->format == FMT_TABLE)
                table_row(&out, &tw, &rows[i]);
            else if (a->format == FMT_CSV)
                csv_row(&out, &rows[i]);
            else
                json_row(&j, &rows[i]);
        }
        cli_out_write(o, buf_str(&out), out.len);
        buf_reset(&out);
        first = false;
        done += n;
        if (n < want) break;
        key = browse_key_of(&rows[n - 1]);
    }
    if (!rc && a->format == FMT_JSON) {
        json_end_array(&j);
        buf_putc(&out, '\n');
    }
    cli_out_write(o, buf_str(&out), out.len);
    buf_free(&out);
    return rc;
}

static int list_exec(cli_ctx *ctx, int argc, char **argv)
{
    list_args a;
    int rc = list_parse(argc, argv, &a);
    if (rc) return rc;
    if ((rc = cli_config(ctx))) return rc;
    store *s;
    if ((rc = cli_store(ctx, 0, &s))) return rc;
    /* On a new day every score is computed again (seconds on a million referrals): say so on
     * a terminal. */
    if ((rc = scoring_refresh(s, &ctx->cfg, ctx->as_of, isatty(STDERR_FILENO), NULL))) {
        fprintf(stderr, "caseload list: %s\n", store_error(s));
        return rc;
    }
    /* A script gets every match: the app's search may stop at its budget to stay responsive, a
     * listing never does (it answers the same either way, only sooner or later). */
    browse_set_budget(s, BROWSE_SHORT_TEXT_MS / 2, BROWSE_NO_BUDGET);

    browse_row *rows = malloc(sizeof *rows * CHUNK);
    if (!rows) {
        cli_error("list", "out of memory");
        return EXIT_IO;
    }
    cli_out o = {0}; /* standard output, made safe when it is a terminal */
    cli_out_open(&o, "list");
    rc = list_write(ctx, s, &a, rows, &o);
    free(rows);
    return cli_out_close(&o, "list", rc);
}
