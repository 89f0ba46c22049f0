/* complete.c: `caseload __complete WORD...`, the words bash completion offers after WORDs
 * (data/caseload.bash asks it). Everything comes from the tables the program itself uses: the
 * command table and each command's usage line (commands, options, the alternatives of --format,
 * literal operands such as `report summary|...`), import's kinds, and the code lists for the
 * options that take a code; "@files" where a file name may go. Hidden: not in --help, not a
 * command of the table. */
#include "caseload/cli.h"
#include "caseload/codes.h"
#include "caseload/exitcode.h"
#include "caseload/import.h"
#include "caseload/retention.h"
#include "caseload/score.h"
#include <stdio.h>
#include <string.h>

static const char *const global_value_options[] = {"--db", "--config", "--as-of"};

static const cli_command *find_command(const char *name)
{
    for (const cli_command *const *c = cli_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0) return *c;
    return NULL;
}

/* The usage of cmd as words, [ ] removed; flags[i] says whether word i closed a bracket
 * (then an option there takes no value). Returns the number of words. */
static int usage_words(const cli_command *cmd, char words[][64], bool *closed, int max)
{
    int n = 0;
    const char *p = cmd->usage;
    while (*p && n < max) {
        while (*p == ' ')
            p++;
        if (!*p) break;
        size_t len = strcspn(p, " ");
        const char *w = p;
        size_t wl = len;
        while (wl && *w == '[')
            w++, wl--;
        bool close = false;
        while (wl && w[wl - 1] == ']')
            wl--, close = true;
        if (wl && wl < 64) {
            memcpy(words[n], w, wl);
            words[n][wl] = '\0';
            closed[n] = close;
            n++;
        }
        p += len;
    }
    return n;
}

static void print_split(const char *alternatives)
{
    char b[256];
    snprintf(b, sizeof b, "%s", alternatives);
    for (char *save, *t = strtok_r(b, "|", &save); t; t = strtok_r(NULL, "|", &save))
        printf("%s\n", t);
}

static bool lower_word(const char *w)
{
    if (!(*w >= 'a' && *w <= 'z')) return false;
    for (; *w; w++)
        if (!((*w >= 'a' && *w <= 'z') || *w == '-' || *w == '|' || *w == '_')) return false;
    return true;
}

/* The values of option opt of cmd, printed; false when it takes none that can be listed. */
static bool print_values(const cli_command *cmd, const char *opt)
{
    if (strcmp(opt, "--issue") == 0 || strcmp(opt, "--status") == 0) {
        codes_list l = opt[2] == 'i' ? CODES_ISSUE : CODES_STATUS;
        for (size_t i = 0; i < codes_count(l); i++)
            printf("%s\n", codes_code(l, i));
        return true;
    }
    if (strcmp(opt, "--band") == 0) {
        for (int b = BAND_RED; b >= BAND_GREEN; b--)
            printf("%s\n", score_band_name((score_band_t)b));
        return true;
    }
    if (strcmp(opt, "--cohort") == 0) {
        for (int c = 0; c < RETENTION_NCOHORTS; c++)
            printf("%s\n", retention_cohort_name((retention_cohort_t)c));
        return true;
    }
    char words[64][64];
    bool closed[64];
    int n = usage_words(cmd, words, closed, 64);
    for (int i = 0; i + 1 < n; i++)
        if (strcmp(words[i], opt) == 0 && !closed[i] && strchr(words[i + 1], '|')) {
            print_split(words[i + 1]);
            return true;
        }
    return false;
}

/* Whether option opt of cmd (or a global option) is followed by a value. */
static bool takes_value(const cli_command *cmd, const char *opt)
{
    for (size_t i = 0; i < sizeof global_value_options / sizeof *global_value_options; i++)
        if (strcmp(opt, global_value_options[i]) == 0) return true;
    if (!cmd) return false;
    char words[64][64];
    bool closed[64];
    int n = usage_words(cmd, words, closed, 64);
    for (int i = 0; i + 1 < n; i++)
        if (strcmp(words[i], opt) == 0) return !closed[i];
    return false;
}

int cli_complete(int argc, char **argv)
{
    /* argv[0] is "__complete"; then the words before the one being completed. */
    const cli_command *cmd = NULL;
    int operands = 0;
    const char *prev = NULL;
    bool prev_wants_value = false;
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        if (prev_wants_value) {
            prev_wants_value = false;
        } else if (w[0] == '-') {
            prev_wants_value = strchr(w, '=') == NULL && takes_value(cmd, w);
        } else if (!cmd) {
            cmd = find_command(w);
        } else {
            operands++;
        }
        prev = w;
    }
    if (prev_wants_value) {
        /* A value: listed ones, else nothing (the script offers file names). */
        if (cmd) print_values(cmd, prev);
        return EXIT_OK;
    }
    if (!cmd) {
        for (const cli_command *const *c = cli_commands; *c; c++)
            printf("%s\n", (*c)->name);
        printf("--db\n--config\n--as-of\n--help\n--version\n");
        return EXIT_OK;
    }
    char words[64][64];
    bool closed[64];
    int n = usage_words(cmd, words, closed, 64);
    for (int i = 1; i < n; i++)
        if (words[i][0] == '-') printf("%s\n", words[i]);
    printf("--help\n");
    /* The operands of the usage before its first option: FILE there wants a file name. */
    int k = 0;
    for (int i = 1; i < n && words[i][0] != '-'; i++) {
        if (strcmp(words[i], "|") == 0) break;
        if (k++ == operands && strcmp(words[i], "FILE") == 0) printf("@files\n");
    }
    if (operands == 0) {
        /* The first operand: import's kinds, or the literal words of the usage. */
        if (n > 1 && strcmp(words[1], "KIND") == 0) {
            for (int k = 0; k < KIND_COUNT; k++)
                printf("%s\n", import_kind_name((import_kind)k));
        }
        for (int i = 1; i < n; i++)
            if (lower_word(words[i]) && strcmp(words[i], cmd->name) != 0 &&
                (i == 1 || strcmp(words[i - 1], "|") == 0 || strcmp(words[i - 1], cmd->name) == 0))
                print_split(words[i]);
    }
    return EXIT_OK;
}
