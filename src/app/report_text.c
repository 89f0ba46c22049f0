/* report_text.c: a report rendered as text (aligned tables, bar charts of block characters, notes
 * wrapped to the width) and as md (pipe tables padded to their columns, UK long dates, a closing
 * line); see report_render in report.h. */
#include "report_internal.h"

#include <stdio.h>
#include <string.h>

#ifndef CASELOAD_VERSION
#define CASELOAD_VERSION "0.0.0"
#endif

/* A cell as text: a value (tenths as "12.5"), or a percentage ("26%", "-" when undefined); "c"
 * when hidden (a bit of hidden: report_publish). */
static void cell_text(const report_table *t, const long long *v, unsigned hidden, int col,
                      bool total, char *out, size_t n)
{
    const report_col *c = &t->cols[col];
    if (hidden >> col & 1) {
        snprintf(out, n, "c");
    } else if (c->type == REPORT_COL_PERCENT) {
        long long den = c->den >= 0 ? v[c->den] : t->base;
        if (total && c->den < 0) den = t->base;
        if (den <= 0)
            snprintf(out, n, "-");
        else
            snprintf(out, n, "%lld%%", report_percent(v[c->num], den));
    } else if (c->decimals == 1) {
        if (total) /* a total of means means nothing */
            snprintf(out, n, " ");
        else
            snprintf(out, n, "%lld.%lld", v[col] / 10, v[col] % 10);
    } else {
        snprintf(out, n, "%lld", v[col]);
    }
}

/* Number of the value the bar of a row stands for (a percentage for PERCENT columns). */
static long long bar_value(const report_table *t, const report_row *row)
{
    if (row->hidden >> t->chart_col & 1) return 0; /* a bar would tell a hidden figure */
    const report_col *c = &t->cols[t->chart_col];
    if (c->type == REPORT_COL_PERCENT) {
        long long den = c->den >= 0 ? row->v[c->den] : t->base;
        return den > 0 ? report_percent(row->v[c->num], den) : 0;
    }
    return row->v[t->chart_col];
}

/* A bar of width * value / max columns: block characters in eighths, or '#' in whole columns
 * for a terminal that cannot show them (ascii). */
static void put_bar(buf *out, long long value, long long max, int width, bool ascii)
{
    static const char *const part[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (max <= 0 || value <= 0 || width <= 0) return;
    long long eighths = value * width * 8 / max;
    if (eighths == 0) eighths = 1; /* something, however small, shows */
    if (ascii) {
        for (long long i = 0; i < (eighths + 7) / 8; i++)
            buf_putc(out, '#');
        return;
    }
    for (long long i = 0; i < eighths / 8; i++)
        buf_puts(out, "█");
    buf_puts(out, part[eighths % 8]);
}

static void pad(buf *out, int n)
{
    for (int i = 0; i < n; i++)
        buf_putc(out, ' ');
}

static void totals_row(const report_table *t, long long *v)
{
    memset(v, 0, sizeof(long long) * REPORT_MAX_COLS);
    for (int c = 0; c < t->ncols; c++)
        if (t->cols[c].type == REPORT_COL_VALUE) v[c] = report_total_of(t, c);
}

static void render_text_table(const report_table *t, int width, bool ascii, buf *out)
{
    char cell[48];
    int lw = (int)strlen(t->row_heading);
    for (size_t i = 0; i < t->nrows; i++)
        if ((int)strlen(t->rows[i].label) > lw) lw = (int)strlen(t->rows[i].label);
    if (t->total_row && lw < 5) lw = 5;
    long long tot[REPORT_MAX_COLS];
    totals_row(t, tot);
    int cw[REPORT_MAX_COLS];
    for (int c = 0; c < t->ncols; c++) {
        cw[c] = (int)strlen(t->cols[c].label);
        for (size_t i = 0; i <= t->nrows; i++) {
            if (i == t->nrows && !t->total_row) break;
            bool total = i == t->nrows;
            cell_text(t, total ? tot : t->rows[i].v, total ? t->hidden_total : t->rows[i].hidden, c,
                      total, cell, sizeof cell);
            if ((int)strlen(cell) > cw[c]) cw[c] = (int)strlen(cell);
        }
    }
    int used = lw;
    for (int c = 0; c < t->ncols; c++)
        used += 2 + cw[c];
    int barw = width - used - 2;
    bool bars = t->chart_col >= 0 && barw >= 8;
    long long max = 0;
    if (bars)
        for (size_t i = 0; i < t->nrows; i++)
            if (bar_value(t, &t->rows[i]) > max) max = bar_value(t, &t->rows[i]);

    buf_printf(out, "%s\n", t->title);
    buf_puts(out, t->row_heading);
    pad(out, lw - (int)strlen(t->row_heading));
    for (int c = 0; c < t->ncols; c++) {
        pad(out, 2 + cw[c] - (int)strlen(t->cols[c].label));
        buf_puts(out, t->cols[c].label);
    }
    buf_putc(out, '\n');
    for (int i = 0; i < lw; i++)
        buf_putc(out, '-');
    for (int c = 0; c < t->ncols; c++) {
        pad(out, 2);
        for (int i = 0; i < cw[c]; i++)
            buf_putc(out, '-');
    }
    buf_putc(out, '\n');
    for (size_t i = 0; i <= t->nrows; i++) {
        if (i == t->nrows && !t->total_row) break;
        bool total = i == t->nrows;
        const long long *v = total ? tot : t->rows[i].v;
        const char *label = total ? "Total" : t->rows[i].label;
        buf_puts(out, label);
        pad(out, lw - (int)strlen(label));
        for (int c = 0; c < t->ncols; c++) {
            cell_text(t, v, total ? t->hidden_total : t->rows[i].hidden, c, total, cell,
                      sizeof cell);
            pad(out, 2 + cw[c] - (int)strlen(cell));
            buf_puts(out, cell);
        }
        if (bars && !total) {
            long long bv = bar_value(t, &t->rows[i]);
            if (bv > 0) {
                pad(out, 2);
                put_bar(out, bv, max, barw, ascii);
            }
        }
        /* no trailing spaces: the total row's blank mean cell */
        while (out->len && out->data[out->len - 1] == ' ') {
            out->data[--out->len] = '\0';
        }
        buf_putc(out, '\n');
    }
}

/* Appends text (ASCII words) broken into lines of at most width columns. */
static void put_wrapped(buf *out, const char *text, int width)
{
    int col = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        int n = (int)(e - p);
        if (!n) break;
        if (col && col + 1 + n > width) {
            buf_putc(out, '\n');
            col = 0;
        }
        if (col) buf_putc(out, ' '), col++;
        buf_append(out, p, (size_t)n);
        col += n;
        p = e;
    }
    buf_putc(out, '\n');
}

void report_render_text(const report *r, int width, buf *out)
{
    char f[11], t[11];
    date_format(r->from, f);
    date_format(r->to, t);
    buf_printf(out, "%s: %s to %s\n", report_kind_title(r->kind), f, t);
    for (size_t i = 0; i < r->ntables; i++) {
        buf_putc(out, '\n');
        render_text_table(&r->tables[i], width, r->ascii_bars, out);
    }
    if (r->nnotes) buf_putc(out, '\n');
    for (size_t i = 0; i < r->nnotes; i++)
        put_wrapped(out, r->notes[i], width);
}

/* Appends cell padded to width columns, left or right aligned. */
static void md_cell(buf *out, const char *cell, int width, bool right)
{
    int n = (int)strlen(cell);
    buf_putc(out, ' ');
    if (right) pad(out, width - n);
    buf_puts(out, cell);
    if (!right) pad(out, width - n);
    buf_puts(out, " |");
}

/* A pipe table whose columns are padded to their widest cell, the dashes of the rule as wide
 * as the column: readable as plain text, and the widths a converter such as pandoc gives the
 * columns are in proportion to their contents. */
static void render_md_table(const report_table *tb, buf *out)
{
    char cell[48];
    long long tot[REPORT_MAX_COLS];
    totals_row(tb, tot);
    size_t nrows = tb->nrows + (tb->total_row ? 1 : 0);
    int w[REPORT_MAX_COLS + 1];
    w[0] = (int)strlen(tb->row_heading);
    for (size_t i = 0; i < nrows; i++) {
        int n = i == tb->nrows ? 9 : (int)strlen(tb->rows[i].label); /* "**Total**" */
        if (n > w[0]) w[0] = n;
    }
    for (int c = 0; c < tb->ncols; c++) {
        w[c + 1] = (int)strlen(tb->cols[c].label);
        for (size_t i = 0; i < nrows; i++) {
            bool total = i == tb->nrows;
            cell_text(tb, total ? tot : tb->rows[i].v,
                      total ? tb->hidden_total : tb->rows[i].hidden, c, total, cell, sizeof cell);
            if ((int)strlen(cell) > w[c + 1]) w[c + 1] = (int)strlen(cell);
        }
    }
    for (int c = 0; c <= tb->ncols; c++)
        if (w[c] < 3) w[c] = 3;
    buf_printf(out, "\n## %s\n\n|", tb->title);
    md_cell(out, tb->row_heading, w[0], false);
    for (int c = 0; c < tb->ncols; c++)
        md_cell(out, tb->cols[c].label, w[c + 1], true);
    buf_puts(out, "\n|");
    for (int c = 0; c <= tb->ncols; c++) {
        buf_putc(out, c == 0 ? ':' : '-');
        for (int i = 0; i < w[c]; i++)
            buf_putc(out, '-');
        buf_puts(out, c == 0 ? "-|" : ":|");
    }
    buf_putc(out, '\n');
    for (size_t i = 0; i < nrows; i++) {
        bool total = i == tb->nrows;
        buf_putc(out, '|');
        md_cell(out, total ? "**Total**" : tb->rows[i].label, w[0], false);
        for (int c = 0; c < tb->ncols; c++) {
            cell_text(tb, total ? tot : tb->rows[i].v,
                      total ? tb->hidden_total : tb->rows[i].hidden, c, total, cell, sizeof cell);
            md_cell(out, strcmp(cell, " ") == 0 ? "" : cell, w[c + 1], true);
        }
        buf_putc(out, '\n');
    }
}

void report_render_md(const report *r, buf *out)
{
    char f[24], t[24];
    date_format_long(r->from, f);
    date_format_long(r->to, t);
    buf_printf(out, "# %s report\n\nPeriod: %s to %s\n", report_kind_title(r->kind), f, t);
    for (size_t k = 0; k < r->ntables; k++)
        render_md_table(&r->tables[k], out);
    if (r->nnotes) buf_puts(out, "\nNotes:\n\n");
    for (size_t i = 0; i < r->nnotes; i++)
        buf_printf(out, "- %s\n", r->notes[i]);
    buf_printf(out, "\n---\n\n%s report for %s to %s", report_kind_title(r->kind), f, t);
    if (r->made) {
        char m[24];
        date_format_long(r->made, m);
        buf_printf(out, ", made on %s", m);
    }
    buf_printf(out, " by caseload %s.\n", CASELOAD_VERSION);
}
