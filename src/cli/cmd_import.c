/* cmd_import.c: `caseload import KIND FILE [--dry-run] [--date-format dmy] [--allow-duplicates]`:
 * reads one CSV file of SPEC section 6 (FILE `-`: standard input) into the database, all or
 * nothing, and prints a one-line summary. */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/import.h"
#include "caseload/text.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#if __GLIBC_PREREQ(2, 33) && defined(MADV_HUGEPAGE)
#define HUGE_HEAP 1 /* mallinfo2, madvise(MADV_HUGEPAGE) */
#endif
#endif

static int exec_import(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_import = {
    "import",
    "import KIND FILE [--dry-run] [--date-format dmy] [--allow-duplicates]",
    "reads a CSV file into the database, all or nothing; KIND is referrals, outcomes, actions, "
    "exclusions, attendance, episodes or children",
    "  KIND                referrals, outcomes, actions, exclusions, attendance,\n"
    "                      episodes or children (their columns: caseload(1),\n"
    "                      IMPORT AND EXPORT FILES)\n"
    "  FILE                UTF-8 CSV with a header row naming the columns in any\n"
    "                      order; - reads standard input\n"
    "  --dry-run           check every row and count what would be added or\n"
    "                      changed; write nothing\n"
    "  --date-format dmy   also read dates written DD/MM/YYYY or D/M/YYYY\n"
    "  --allow-duplicates  create a child even when one with the same first name,\n"
    "                      last name and date of birth is known by another UPN or\n"
    "                      LA child id\n"
    "Headers match in any case, with spaces or hyphens for _ (First Name, DOB,\n"
    "LA Child ID); codes and flags in any case, labels and aliases (LAC, CP, CIN,\n"
    "Y/N, true/false). Dates 1990-01-01 to 2100-12-31, none after today where\n"
    "something happened; sessions 0-1000, days above 0 up to 200, hours 0-60,\n"
    "digits only; officer initials 1-4 letters; no control characters (newline\n"
    "and tab only in notes and summaries) or bidirectional overrides.\n"
    "Every row is checked first: each bad row is named FILE:LINE: COLUMN: message\n"
    "(a problem on many rows: the first five, then a count), nothing is written\n"
    "and the exit code is 65. Importing the same file again changes nothing.\n",
    exec_import,
};

/* A large import touches a few hundred MB of small blocks (SQLite's page cache, the search index's
 * pending terms, the rows read), all at random: in 4 KB pages that is one page fault per page and
 * a TLB miss on most B-tree steps. Before anything is read, this grows the heap once by about what
 * the import will use (16 times the file) and asks for 2 MB pages there (transparent huge pages,
 * "madvise" mode); later blocks come from that space. Nothing is touched here, so only the memory
 * really used counts. Without glibc on Linux, or when the kernel says no, nothing changes. About
 * 0.8 s of 4 for 100,000 referrals: 70,000 page faults fewer. */
static void heap_for_import(size_t file_len)
{
#ifdef HUGE_HEAP
    const size_t huge = (size_t)2 << 20;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    size_t want = file_len * 16, cap = pages > 0 && page > 0 ? (size_t)pages * (size_t)page / 4 : 0;
    if (want > cap) want = cap;
    if (want > (size_t)1 << 30) want = (size_t)1 << 30;
    if (want < (size_t)64 << 20) return; /* a small file: not worth it */
    /* Blocks of up to 32 MB come from the heap, which is kept once grown. A block just larger
     * than the free space at its top makes it grow, by the block and the pad. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, INT32_MAX);
    mallopt(M_TOP_PAD, (int)want);
    char *before = sbrk(0);
    void *volatile p = malloc(mallinfo2().keepcost + 4096); /* volatile: kept, not optimized away */
    char *after = sbrk(0);
    free(p);
    mallopt(M_TOP_PAD, 64 << 20);
    if (before == (char *)-1 || after == (char *)-1 || after <= before) return;
    uintptr_t from = ((uintptr_t)before + huge - 1) & ~(uintptr_t)(huge - 1);
    if ((uintptr_t)after > from) madvise((void *)from, (uintptr_t)after - from, MADV_HUGEPAGE);
#else
    (void)file_len;
#endif
}

/* Reads the whole file ("-": standard input) into memory. Returns NULL (errno set) on failure. */
static char *read_file(const char *path, size_t *len)
{
    bool in = strcmp(path, "-") == 0;
    FILE *f = in ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    buf b = BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    int err = ferror(f) ? errno : 0;
    if (!in) fclose(f);
    if (err) {
        buf_free(&b);
        errno = err ? err : EIO;
        return NULL;
    }
    if (!b.data) buf_append(&b, "", 0);
    *len = b.len;
    return b.data;
}

static void print_name(FILE *f, const char *s)
{
    buf b = BUF_INIT;
    text_sanitize(&b, s);
    fputs(buf_str(&b), f);
    buf_free(&b);
}

/* The command's arguments. */
typedef struct {
    const char *kind, *path;
    bool dry_run, dmy, allow_dups;
} import_args;

/* Reads the arguments into *a. Returns EXIT_OK, or the usage's exit code (after saying why). */
static int parse_args(int argc, char **argv, import_args *a)
{
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    bool rest = false;
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *fmt = NULL;
        if (!rest && strcmp(argv[i], "--") == 0) {
            rest = true;
        } else if (!rest && strcmp(argv[i], "--dry-run") == 0) {
            a->dry_run = true;
        } else if (!rest && strcmp(argv[i], "--allow-duplicates") == 0) {
            a->allow_dups = true;
        } else if (!rest && (strcmp(argv[i], "--date-format") == 0 ||
                             strncmp(argv[i], "--date-format=", 14) == 0)) {
            fmt = argv[i][13] == '=' ? argv[i] + 14 : i + 1 < argc ? argv[++i] : NULL;
            if (!fmt || strcmp(fmt, "dmy") != 0) {
                fprintf(stderr, "caseload import: --date-format: the one format is dmy "
                                "(DD/MM/YYYY; YYYY-MM-DD is always read)\n");
                return cli_usage(&cli_cmd_import);
            }
            a->dmy = true;
        } else if (!rest && argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "caseload import: unknown option '");
            print_name(stderr, argv[i]);
            fprintf(stderr, "'\n");
            return cli_usage(&cli_cmd_import);
        } else if (npos < 2) {
            pos[npos++] = argv[i];
        } else {
            fprintf(stderr, "caseload import: too many arguments\n");
            return cli_usage(&cli_cmd_import);
        }
    }
    if (npos < 2) return cli_usage(&cli_cmd_import);
    a->kind = pos[0];
    a->path = pos[1];
    return EXIT_OK;
}

static int exec_import(cli_ctx *ctx, int argc, char **argv)
{
    import_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc;
    int kind = import_kind_find(a.kind);
    if (kind < 0) {
        fprintf(stderr, "caseload import: unknown kind '");
        print_name(stderr, a.kind);
        fprintf(stderr, "' (one of: referrals, outcomes, actions, exclusions, attendance, "
                        "episodes, children)\n");
        return cli_usage(&cli_cmd_import);
    }
    bool in = strcmp(a.path, "-") == 0;
    struct stat fst;
    if (in ? fstat(0, &fst) == 0 && S_ISREG(fst.st_mode) : stat(a.path, &fst) == 0)
        if (fst.st_size > 0) heap_for_import((size_t)fst.st_size);
    size_t len = 0;
    char *text = read_file(a.path, &len);
    if (!text) {
        print_name(stderr, in ? "(stdin)" : a.path);
        fprintf(stderr, ": cannot read: %s\n", strerror(errno));
        return EXIT_NOINPUT;
    }
    buf errors = BUF_INIT, name = BUF_INIT;
    store *s = NULL;
    import_stats st;
    if ((rc = cli_config(ctx)) || (rc = cli_store(ctx, 0, &s))) goto done;
    /* Nothing is written into a damaged database. */
    if ((rc = store_quick_check(s))) {
        fprintf(stderr, "caseload import: %s\n", store_error(s));
        goto done;
    }
    import_options o = {
        .dry_run = a.dry_run,
        .progress = isatty(2) == 1,
        .as_of = ctx->as_of,
        .cfg = &ctx->cfg,
        .dmy = a.dmy,
        .allow_duplicates = a.allow_dups,
    };
    text_sanitize(&name, in ? "(stdin)" : a.path);
    rc = import_text(s, (import_kind)kind, buf_str(&name), text, len, &o, &st, &errors);
    fputs(buf_str(&errors), stderr);
    if (rc == EXIT_DATA)
        fprintf(stderr, "%s: nothing was imported: correct the rows above and import again\n",
                buf_str(&name));
    else if (rc == EXIT_OK)
        printf("%s: %ld rows: %ld added, %ld updated, %ld unchanged%s\n", buf_str(&name), st.rows,
               st.inserted, st.updated, st.unchanged,
               a.dry_run ? " (dry run: nothing written)" : "");
    else
        fprintf(stderr, "%s: nothing was imported\n", buf_str(&name));
done:
    free(text);
    buf_free(&errors);
    buf_free(&name);
    return rc;
}
