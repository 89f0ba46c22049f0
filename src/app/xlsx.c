/* xlsx.c: typed tables as Excel workbooks through libxlsxwriter (see xlsx.h). The worksheet is
 * written in libxlsxwriter's constant-memory mode, row after row, so an export of a million rows
 * does not sit in memory.
 *
 * The program is not linked with libxlsxwriter: each workbook opens it (dlopen) and looks up the
 * functions below. Linked, it and the libcrypto and minizip it needs were loaded and relocated by
 * every command, about 5.9 M instructions of each start-up (issue 8: list --limit 50 ran 10.0 M
 * before them). Only the header is used at build time, for the types. */
#include "caseload/xlsx.h"

#include "caseload/date.h"
#include "caseload/exitcode.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define XLSX_MAX_COLS 64
#define XLSX_MAX_ROWS 1048576 /* rows of a worksheet, the header included */
#define XLSX_LIBRARY "libxlsxwriter.so." LXW_SOVERSION /* the library the header is of */

/* The functions of libxlsxwriter used here, each looked up by its name, with its header's type. */
#define LXW_FUNCTIONS(X)                                                                           \
    X(workbook_new_opt)                                                                            \
    X(workbook_add_worksheet)                                                                      \
    X(workbook_add_format)                                                                         \
    X(workbook_close)                                                                              \
    X(format_set_num_format)                                                                       \
    X(format_set_bold)                                                                             \
    X(worksheet_set_column)                                                                        \
    X(worksheet_freeze_panes)                                                                      \
    X(worksheet_write_string)                                                                      \
    X(worksheet_write_number)                                                                      \
    X(worksheet_write_datetime)                                                                    \
    X(lxw_strerror)

struct lxw {
    void *lib; /* dlopen's handle */
#define LXW_FIELD(f) __typeof__(f) *f;
    LXW_FUNCTIONS(LXW_FIELD)
#undef LXW_FIELD
};

struct xlsx {
    struct lxw lxw;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *text, *date, *number, *header;
    xlsx_type types[XLSX_MAX_COLS];
    size_t ncols;
    lxw_row_t row; /* the next row to write */
};

static int fail_lxw(const xlsx *x, const char *what, lxw_error e, char *errmsg, size_t n)
{
    snprintf(errmsg, n, "%s: %s", what, x->lxw.lxw_strerror(e));
    return EXIT_IO;
}

/* Stores lib's function name at *fp (a function pointer's address); false if lib has none.
 * Copied, as POSIX's dlsym allows: C has no conversion from void * to a function pointer. */
static bool lxw_symbol(void *lib, const char *name, void *fp)
{
    _Static_assert(sizeof(void *) == sizeof(void (*)(void)), "dlsym's pointers hold functions");
    void *p = dlsym(lib, name);
    if (p) memcpy(fp, &p, sizeof p);
    return p != NULL;
}

/* Opens libxlsxwriter into *l. Returns EXIT_OK, or EXIT_IO with errmsg saying what is missing. */
static int lxw_load(struct lxw *l, char *errmsg, size_t n)
{
    l->lib = dlopen(XLSX_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    const char *missing = NULL;
    if (l->lib) {
#define LXW_LOOKUP(f)                                                                              \
    if (!missing && !lxw_symbol(l->lib, #f, (void *)&l->f)) missing = #f;
        LXW_FUNCTIONS(LXW_LOOKUP)
#undef LXW_LOOKUP
        if (!missing) return EXIT_OK;
        dlclose(l->lib);
        l->lib = NULL;
        snprintf(errmsg, n,
                 "cannot write a workbook: " XLSX_LIBRARY " has no %s (another version of "
                 "libxlsxwriter than the one caseload was built with?)",
                 missing);
        return EXIT_IO;
    }
    const char *why = dlerror();
    snprintf(errmsg, n,
             "cannot write a workbook: %s (the xlsx format needs libxlsxwriter, Debian's package "
             "libxlsxwriter4; csv and json need nothing more)",
             why ? why : XLSX_LIBRARY " cannot be loaded");
    return EXIT_IO;
}

/* Frees x and closes its libxlsxwriter (the workbook already closed). */
static void xlsx_free(xlsx *x)
{
    if (x->lxw.lib) dlclose(x->lxw.lib);
    free(x);
}

int xlsx_open(xlsx **out, const char *path, const char *sheet, const char *const *cols,
              const xlsx_type *types, size_t ncols, char *errmsg, size_t n)
{
    *out = NULL;
    if (ncols > XLSX_MAX_COLS) abort(); /* a programming error: raise XLSX_MAX_COLS */
    xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(errmsg, n, "out of memory");
        return EXIT_IO;
    }
    int rc = lxw_load(&x->lxw, errmsg, n);
    if (rc != EXIT_OK) {
        free(x);
        return rc;
    }
    const struct lxw *l = &x->lxw;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    x->wb = l->workbook_new_opt(path, &opt);
    if (!x->wb) {
        xlsx_free(x);
        snprintf(errmsg, n, "cannot start the workbook (out of memory?)");
        return EXIT_IO;
    }
    x->ws = l->workbook_add_worksheet(x->wb, sheet);
    x->text = l->workbook_add_format(x->wb);
    x->date = l->workbook_add_format(x->wb);
    x->number = l->workbook_add_format(x->wb);
    x->header = l->workbook_add_format(x->wb);
    if (!x->ws || !x->text || !x->date || !x->number || !x->header) {
        xlsx_discard(x);
        snprintf(errmsg, n, "cannot start the workbook (out of memory?)");
        return EXIT_IO;
    }
    l->format_set_num_format(x->text, "@"); /* what is typed into the column stays text too */
    l->format_set_num_format(x->date, "yyyy-mm-dd");
    l->format_set_bold(x->header);
    l->format_set_num_format(x->header, "@");
    x->ncols = ncols;
    for (size_t c = 0; c < ncols; c++) {
        x->types[c] = types[c];
        lxw_format *f = types[c] == XLSX_DATE ? x->date : types[c] == XLSX_TEXT ? x->text : NULL;
        double width = (double)strlen(cols[c]) + 2;
        if (types[c] == XLSX_DATE && width < 12) width = 12;
        if (types[c] == XLSX_TEXT && width < 14) width = 14;
        l->worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, width, f);
    }
    l->worksheet_freeze_panes(x->ws, 1, 0);
    for (size_t c = 0; c < ncols; c++) {
        lxw_error e = l->worksheet_write_string(x->ws, 0, (lxw_col_t)c, cols[c], x->header);
        if (e) {
            rc = fail_lxw(x, "writing the header row", e, errmsg, n); /* while x is there */
            xlsx_discard(x);
            return rc;
        }
    }
    x->row = 1;
    *out = x;
    return EXIT_OK;
}

/* Whether s is a plain decimal number (-12, 2.5): what a spreadsheet shows back unchanged. */
static bool decimal(const char *s, double *v)
{
    const char *p = s;
    if (*p == '-') p++;
    if (!(*p >= '0' && *p <= '9')) return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p || p - s > 15) return false; /* beyond 15 digits a double would change it */
    *v = strtod(s, NULL);
    return true;
}

int xlsx_row(xlsx *x, const char *const *fields, size_t nfields, char *errmsg, size_t n)
{
    if (x->row >= XLSX_MAX_ROWS) {
        snprintf(errmsg, n, "more than %d rows: too many for one worksheet (use CSV)",
                 XLSX_MAX_ROWS - 1);
        return EXIT_DATA;
    }
    if (nfields > x->ncols) nfields = x->ncols;
    for (size_t c = 0; c < nfields; c++) {
        const char *v = fields[c];
        if (!v || !*v) continue;
        lxw_col_t col = (lxw_col_t)c;
        lxw_error e;
        double d;
        date_t day;
        int y, m, dd;
        if (x->types[c] == XLSX_NUMBER && decimal(v, &d)) {
            e = x->lxw.worksheet_write_number(x->ws, x->row, col, d, x->number);
        } else if (x->types[c] == XLSX_DATE && date_parse(v, strlen(v), &day) &&
                   (date_to_ymd(day, &y, &m, &dd), y >= 1900)) { /* Excel's dates start in 1900 */
            lxw_datetime dt = {y, m, dd, 0, 0, 0};
            e = x->lxw.worksheet_write_datetime(x->ws, x->row, col, &dt, x->date);
        } else {
            /* worksheet_write_string never makes a formula, whatever the text starts with. */
            e = x->lxw.worksheet_write_string(x->ws, x->row, col, v, x->text);
        }
        if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
            snprintf(errmsg, n,
                     "row %u, column %zu: a text longer than 32,767 characters does "
                     "not fit a cell (use CSV)",
                     (unsigned)x->row + 1, c + 1);
            return EXIT_DATA;
        }
        if (e) return fail_lxw(x, "writing a row", e, errmsg, n);
    }
    x->row++;
    return EXIT_OK;
}

int xlsx_close(xlsx *x, char *errmsg, size_t n)
{
    lxw_error e = x->lxw.workbook_close(x->wb);
    if (e) fail_lxw(x, "writing the workbook", e, errmsg, n);
    xlsx_free(x);
    return e ? EXIT_IO : EXIT_OK;
}

void xlsx_discard(xlsx *x)
{
    if (!x) return;
    x->lxw.workbook_close(x->wb); /* the only way libxlsxwriter frees a workbook */
    xlsx_free(x);
}
