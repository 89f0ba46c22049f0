/* cli: the command table and what every command shares (global options, opening the database,
 * loading the configuration). One file per command in src/cli/, each exporting one cli_command. */
#ifndef CASELOAD_CLI_H
#define CASELOAD_CLI_H

#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/outfile.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stdio.h>

typedef struct cli_ctx {
    const char *db_option;      /* --db, or NULL */
    const char *config_option;  /* --config, or NULL */
    const char *officer_option; /* --officer (who is at the keyboard), or NULL */
    date_t as_of;               /* --as-of, else today's local date */
    bool as_of_given;
    config cfg; /* loaded by cli_config */
    bool cfg_loaded;
    store *db; /* opened by cli_store */
} cli_ctx;

typedef struct cli_command {
    const char *name;
    const char *usage;   /* e.g. "import KIND FILE [--dry-run]" */
    const char *summary; /* one sentence for --help (wrapped when printed) */
    const char *details; /* the operands and options, one per line, for `caseload CMD --help` */
    /* argv[0] is the command name; returns an exit code of exitcode.h. */
    int (*exec)(cli_ctx *ctx, int argc, char **argv);
} cli_command;

/* The table of every command, NULL-terminated (src/cli/commands.c). */
extern const cli_command *const cli_commands[];

/* Today's local date: what stands for today when --as-of is not given. */
date_t cli_today(void);

/* `caseload __complete WORD...` (src/cli/complete.c): prints, one a line, the words bash
 * completion may offer after WORDs (argv[0] is "__complete"): commands and global options, a
 * command's options and literal operands (report names, import kinds), the values of --format,
 * --issue, --status, --band and --cohort; the line "@files" where an operand is a file. */
int cli_complete(int argc, char **argv);

/* Loads the configuration once (per --config / environment). Prints the errors and returns
 * EXIT_CONFIG / EXIT_NOINPUT on failure. */
int cli_config(cli_ctx *ctx);
/* The database path: --db, else $CASELOAD_DB, else $XDG_DATA_HOME/caseload/caseload.db. */
void cli_db_path(const cli_ctx *ctx, char *out, size_t n);
/* Opens the database once (flags of store_open), printing the error on failure, and names who uses
 * it (store_identify with --officer, else $CASELOAD_OFFICER). */
int cli_store(cli_ctx *ctx, int flags, store **out);
/* The officer named by --officer, else $CASELOAD_OFFICER, else NULL. */
const char *cli_officer(const cli_ctx *ctx);
/* For commands that must be accountable (a purge, a subject access request): the database's
 * officer must be a known one. Prints "caseload NAME: ..." and returns EXIT_USAGE when not. */
int cli_need_officer(const cli_ctx *ctx, store *s, const char *name);
/* Finds the child a command names (a UPN in any case, else an LA child id): *id. Prints the error
 * and returns EXIT_DATA when there is none, naming the operand by its place (nth, from 1), never
 * by the id typed (stderr holds no child's UPN). */
int cli_find_child(store *s, const char *name, const char *arg, int nth, int64_t *id);
/* Prints "caseload: usage: caseload USAGE" for cmd to standard error and returns EXIT_USAGE. */
int cli_usage(const cli_command *cmd);
/* Prints "caseload NAME: message" to standard error (printf-style). */
void cli_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether argv holds --help or -h (then the command prints its usage to stdout and exits 0). */
bool cli_wants_help(int argc, char **argv);
/* Prints a command's usage, summary and details to standard output (for --help). */
void cli_print_help(const cli_command *cmd);
/* Writes prefix, then text broken at spaces (not inside [ ]) into lines of at most width
 * columns, the lines after the first starting with indent spaces. */
void cli_print_wrapped(FILE *f, const char *prefix, const char *text, int indent, int width);

/* Where a command's output goes: standard output, or the file of -o FILE written as outfile.h
 * says (0600, through a temporary file, not replacing a file without --force). */
typedef struct {
    const char *path; /* -o FILE, or NULL for standard output */
    bool force;       /* --force */
    FILE *f;          /* write here between cli_out_open and cli_out_close */
    bool terminal;    /* f is a terminal: what is written is made safe for it */
    outfile file;
} cli_out;
#define CLI_OUT_OPTIONS                                                                            \
    "  -o FILE       write to FILE (created 0600) instead of standard output\n"                    \
    "  --force       with -o: replace FILE if it exists (else it is kept and nothing\n"            \
    "                is written)\n"

/* Takes -o FILE, --output FILE, --output=FILE or --force at argv[*i]. Returns 1 when it took one
 * (*i then points at its last word), 0 when argv[*i] is neither, -1 when the value is missing
 * (the message printed, naming cmd). */
int cli_out_option(cli_out *o, const char *cmd, int argc, char **argv, int *i);
/* Whether the output options make sense: --force only with -o, and binary output (a workbook,
 * named by what, e.g. "--format xlsx") only to a file. Prints the problem, naming cmd, if not. */
bool cli_out_usable(const cli_out *o, const char *cmd, bool binary, const char *what);
/* Opens the output: the temporary file of o->path, or standard output (then o->terminal says
 * whether it is a terminal). Prints "caseload CMD: message" and returns its exit code on failure
 * (EXIT_USAGE: the file exists without --force). */
int cli_out_open(cli_out *o, const char *cmd);
/* Writes n bytes of s, sanitized with text_sanitize_lines when o->terminal. Returns EXIT_OK or
 * EXIT_IO (the error is noticed again, and reported, by cli_out_close). */
int cli_out_write(cli_out *o, const char *s, size_t n);
/* Ends the output. With rc EXIT_OK: flushes standard output, or puts the file in place and
 * prints "written to FULL-PATH" on standard output; any other rc removes the temporary file.
 * Prints the error and returns EXIT_IO when writing failed, else rc. */
int cli_out_close(cli_out *o, const char *cmd, int rc);

#endif
