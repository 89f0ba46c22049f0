/* import_read.c: reading an import's file (SPEC section 6): the header, lenient about form, and
 * each record copied into a row and checked; the progress line. */
#include "import_internal.h"

#include "caseload/csv.h"
#include "caseload/exitcode.h"
#include "caseload/text.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- the progress line ---- */

void imp_progress(const imp *m, const char *what, size_t done, size_t total, int *last)
{
    int pct = total ? (int)(done * 100 / total) : 100;
    if (pct == *last) return;
    *last = pct;
    fprintf(stderr, "\r%s: %s %d%%", m->name, what, pct);
    fflush(stderr);
}

void imp_progress_end(const imp *m)
{
    fprintf(stderr, "\r%*s\r", (int)strlen(m->name) + 20, "");
    fflush(stderr);
}

/* ---- did you mean ---- */

/* Appends " (did you mean 'x'?)" for the closest of the n words, or " (one of: a, b, ...)". */
static void suggest(buf *out, const char *got, const char *const *words, size_t n)
{
    const char *best = text_closest(got, strlen(got), words, n);
    if (best) {
        buf_printf(out, " (did you mean '%s'?)", best);
        return;
    }
    buf_puts(out, " (one of: ");
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%s%s", i ? ", " : "", words[i]);
    buf_putc(out, ')');
}

/* ---- reading ---- */

static bool header(imp *m, csv_reader *r)
{
    const kind_def *def = m->def;
    for (size_t k = 0; k < def->n; k++)
        m->col[k] = -1;
    long line = r->record_line;
    size_t n = csv_nfields(r);
    m->nheader = n;
    for (size_t i = 0; i < n; i++) {
        const char *f = csv_field(r, i);
        size_t len = strlen(f);
        while (len && isspace((unsigned char)f[len - 1]))
            len--;
        while (len && isspace((unsigned char)*f)) {
            f++;
            len--;
        }
        char *name = imp_arena_dup(&m->a, f, len);
        int c = field_column(name, len, def->cols, def->n);
        size_t k = c < 0 ? def->n : (size_t)c;
        if (k == def->n) {
            buf msg = BUF_INIT, key = BUF_INIT;
            field_column_key(name, len, &key);
            buf_puts(&msg, "unknown column");
            suggest(&msg, buf_str(&key), def->cols, def->n);
            imp_problem(m, line, imp_safe(m, name), "%s", buf_str(&msg));
            buf_free(&msg);
            buf_free(&key);
        } else if (m->col[k] >= 0) {
            imp_problem(m, line, def->cols[k], "duplicate column (columns %d and %zu)",
                        m->col[k] + 1, i + 1);
        } else {
            m->col[k] = (int)i;
        }
    }
    for (size_t k = 0; k < def->n; k++)
        if ((def->required & BIT(k)) && m->col[k] < 0)
            imp_problem(m, line, def->cols[k], "required column missing from the header");
    if (def->has_child) {
        int cu = m->kind == KIND_REFERRALS ? R_UPN : 0, cl = m->kind == KIND_REFERRALS ? R_LID : 1;
        if (m->col[cu] < 0 && m->col[cl] < 0)
            imp_problem(m, line, "upn", "the header needs a upn or la_child_id column");
    }
    return m->nerrors == 0;
}

/* Whether every field of the record is empty or blank (a spreadsheet's trailing ",,,," rows). */
static bool blank_record(const csv_reader *r)
{
    for (size_t i = 0, nf = csv_nfields(r); i < nf; i++)
        for (const char *f = csv_field(r, i); *f; f++)
            if (*f != ' ' && *f != '\t') return false;
    return true;
}

/* Text that field_text refuses: said once per row and column, never quoting the value (it may
 * hold what a terminal would obey). */
static void bad_text(imp *m, long line, size_t k, field_text_fault fault, const char *why)
{
    const char *col = m->def->cols[k];
    switch (fault) {
    case FIELD_TEXT_NOT_UTF8:
        imp_kproblem(m, line, col, "utf8",
                     "%s: the file is not UTF-8 (saved as Windows-1252 or \"ANSI\"?): in Excel use "
                     "File > Save As > \"CSV UTF-8 (Comma delimited)\", in LibreOffice tick \"Edit "
                     "filter settings\" and choose Unicode (UTF-8)",
                     why);
        break;
    case FIELD_TEXT_CONTROL: imp_kproblem(m, line, col, "control", "%s", why); break;
    case FIELD_TEXT_BIDI: imp_kproblem(m, line, col, "bidi", "%s", why); break;
    case FIELD_TEXT_MOJIBAKE:
        imp_kproblem(
            m, line, col, "mojibake",
            "%s: a spreadsheet opened a UTF-8 file as Windows-1252; export with --excel, or "
            "open the file with Data > From Text/CSV and File Origin \"65001: Unicode "
            "(UTF-8)\", then save as \"CSV UTF-8\"",
            why);
        break;
    case FIELD_TEXT_OK: break;
    }
}

/* Copies the current record into a new row: blanks trimmed (but in notes and summaries), a
 * spreadsheet's ' guard removed, the text checked. Returns false for a record of empty fields
 * (skipped). */
static bool add_row(imp *m, csv_reader *r)
{
    size_t nf = csv_nfields(r);
    if (blank_record(r)) return false;
    if (m->nrows == m->caprows) {
        m->caprows = m->caprows ? 2 * m->caprows : 1024;
        m->vals = imp_xrealloc(m->vals, m->caprows * m->def->n * sizeof *m->vals);
        m->meta = imp_xrealloc(m->meta, m->caprows * sizeof *m->meta);
    }
    size_t row = m->nrows++;
    memset(&m->meta[row], 0, sizeof m->meta[row]);
    m->meta[row].line = r->record_line;
    m->meta[row].child = -1;
    for (size_t k = 0; k < m->def->n; k++) {
        const char *v = NULL;
        if (m->col[k] >= 0 && (size_t)m->col[k] < nf) {
            const char *f = csv_field(r, (size_t)m->col[k]);
            size_t len = strlen(f);
            bool multiline = m->def->free_text & BIT(k);
            if (!multiline && !(m->def->numbers & BIT(k))) {
                while (len && (f[len - 1] == ' ' || f[len - 1] == '\t'))
                    len--;
                while (len && (*f == ' ' || *f == '\t')) {
                    f++;
                    len--;
                }
            }
            if (m->def->numbers & BIT(k) && strspn(f, " \t") == len) len = 0;
            field_unguard(&f, &len);
            char why[FIELD_WHY];
            field_text_fault fault = field_text(f, len, multiline, why);
            if (fault) {
                bad_text(m, r->record_line, k, fault, why);
                m->meta[row].bad_text = true;
            }
            if (len) v = imp_arena_dup(&m->a, f, len);
        }
        setV(m, row, (int)k, v);
    }
    return true;
}

/* Reads and checks every record after the header (r holds it), len the text's length for the
 * progress line. */
static void read_rows(imp *m, csv_reader *r, size_t len, bool show)
{
    int last = -1, rc;
    while ((rc = csv_next(r)) == 1) {
        size_t nf = csv_nfields(r);
        if (!add_row(m, r)) continue;
        if (nf != m->nheader) {
            imp_problem(m, r->record_line, NULL, "%zu fields, but the header has %zu", nf,
                        m->nheader);
            continue;
        }
        if (!m->meta[m->nrows - 1].bad_text) imp_check_row(m, m->nrows - 1);
        if (m->fatal) break;
        if (show && (m->nrows % 1000) == 0) imp_progress(m, "checking", r->pos, len, &last);
    }
    if (rc < 0 && !m->fatal) imp_problem(m, r->error_line, NULL, "%s", r->error);
    imp_problems_end(m);
    if (show) imp_progress_end(m);
}

int imp_read_and_check(imp *m, const char *text, size_t len, bool show)
{
    csv_reader r;
    csv_init(&r, text, len);
    int rc = csv_next(&r);
    if (rc == 0)
        imp_problem(m, 1, NULL, "empty file: no header row");
    else if (rc < 0)
        imp_problem(m, r.error_line, NULL, "%s", r.error);
    else if (header(m, &r))
        read_rows(m, &r, len, show);
    csv_free(&r);
    if (m->fatal) return m->fatal;
    return m->nerrors ? EXIT_DATA : EXIT_OK;
}
