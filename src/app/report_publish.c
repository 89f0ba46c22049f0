/* report_publish.c: a report made fit to publish (SPEC section 10, report_publish in report.h):
 * small counts hidden, then secondary suppression in the tables that add up, then what is built
 * on a hidden count (percentages, means), then the counts in the notes. */
#include "report_internal.h"

#include <stdlib.h>
#include <string.h>

static bool is_count(const report_col *c)
{
    return c->type == REPORT_COL_VALUE && c->decimals == 0;
}

static bool small(long long v, int threshold)
{
    return v >= 1 && v < threshold;
}

/* Hides one more cell of the column (rows) or the row (cols) that holds exactly one hidden count
 * while its total is known: the smallest non-zero one, else the total. cells[i] are the values,
 * hid[i] whether each is hidden; *total_hidden is the total's. Returns the index hidden, n for
 * the total, -1 when nothing needed hiding. */
static long long pick_second(const long long *cells, const bool *hid, size_t n, bool total_hidden)
{
    size_t nhid = 0;
    for (size_t i = 0; i < n; i++)
        nhid += hid[i];
    if (nhid != 1 || total_hidden) return -1;
    long long best = -1;
    for (size_t i = 0; i < n; i++)
        if (!hid[i] && cells[i] > 0 && (best < 0 || cells[i] < cells[best])) best = (long long)i;
    return best >= 0 ? best : (long long)n;
}

/* Replaces in a note every whole number from 1 to threshold - 1 that stands as a count (not
 * part of a date, not a percentage) by "c". */
static void publish_note(char **note, int threshold, long long *hidden)
{
    const char *s = *note;
    buf b = BUF_INIT;
    for (size_t i = 0; s[i];) {
        if (s[i] >= '0' && s[i] <= '9' && (i == 0 || !strchr("0123456789-./:", s[i - 1]))) {
            size_t j = i;
            while (s[j] >= '0' && s[j] <= '9')
                j++;
            bool count = !strchr("-%./:", s[j]) || s[j] == '\0' ||
                         (s[j] == '.' && (s[j + 1] == '\0' || s[j + 1] == ' '));
            long long v = strtoll(s + i, NULL, 10);
            if (count && j - i < 10 && small(v, threshold)) {
                buf_putc(&b, 'c');
                (*hidden)++;
            } else {
                buf_append(&b, s + i, j - i);
            }
            i = j;
        } else {
            buf_putc(&b, s[i++]);
        }
    }
    free(*note);
    *note = strdup(buf_str(&b));
    if (!*note) abort();
    buf_free(&b);
}

/* Hides every count from 1 to threshold - 1, the Total rows' too; returns how many cells of the
 * rows it hid. */
static long long publish_primary(report *r, int threshold)
{
    long long primary = 0;
    for (size_t k = 0; k < r->ntables; k++) {
        report_table *t = &r->tables[k];
        for (size_t i = 0; i < t->nrows; i++)
            for (int c = 0; c < t->ncols; c++)
                if (is_count(&t->cols[c]) && small(t->rows[i].v[c], threshold)) {
                    t->rows[i].hidden |= 1u << c;
                    primary++;
                }
        /* The Total row's own small counts. */
        if (t->total_row)
            for (int c = 0; c < t->ncols; c++)
                if (is_count(&t->cols[c]) && small(report_total_of(t, c), threshold))
                    t->hidden_total |= 1u << c;
    }
    return primary;
}

/* One pass of secondary suppression over a table that adds up: one more cell hidden in each
 * count column, then in each row (when a column holds the row's total), that holds a single
 * hidden count. cells and hid have room for nrows + REPORT_MAX_COLS entries. Returns how many
 * it hid. */
static long long secondary_pass(report_table *t, long long *cells, bool *hid)
{
    long long secondary = 0;
    for (int c = 0; c < t->ncols; c++) {
        if (!is_count(&t->cols[c])) continue;
        for (size_t i = 0; i < t->nrows; i++) {
            cells[i] = t->rows[i].v[c];
            hid[i] = t->rows[i].hidden >> c & 1;
        }
        long long at = pick_second(cells, hid, t->nrows, t->hidden_total >> c & 1);
        if (at < 0) continue;
        if (at == (long long)t->nrows)
            t->hidden_total |= 1u << c;
        else
            t->rows[at].hidden |= 1u << c;
        secondary++;
    }
    for (size_t i = 0; t->row_total_col >= 0 && i < t->nrows; i++) {
        int cols[REPORT_MAX_COLS], n = 0;
        for (int c = 0; c < t->ncols; c++) {
            if (!is_count(&t->cols[c]) || c == t->row_total_col) continue;
            cols[n] = c;
            cells[n] = t->rows[i].v[c];
            hid[n] = t->rows[i].hidden >> c & 1;
            n++;
        }
        long long at =
            pick_second(cells, hid, (size_t)n, t->rows[i].hidden >> t->row_total_col & 1);
        if (at < 0) continue;
        t->rows[i].hidden |= 1u << (at == n ? t->row_total_col : cols[at]);
        secondary++;
    }
    return secondary;
}

/* Secondary suppression: passes until no column or row of a table that adds up has a single
 * hidden count. Returns how many cells it hid. */
static long long publish_secondary(report *r)
{
    long long secondary = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t k = 0; k < r->ntables; k++) {
            report_table *t = &r->tables[k];
            if (!t->partition || t->nrows == 0) continue;
            long long *cells = calloc(t->nrows + REPORT_MAX_COLS, sizeof *cells);
            bool *hid = calloc(t->nrows + REPORT_MAX_COLS, sizeof *hid);
            if (!cells || !hid) abort();
            long long n = secondary_pass(t, cells, hid);
            secondary += n;
            if (n) changed = true;
            free(cells);
            free(hid);
        }
    }
    return secondary;
}

/* Hides what is built on a hidden count: percentages, means. */
static void publish_derived(report *r, int threshold)
{
    for (size_t k = 0; k < r->ntables; k++) {
        report_table *t = &r->tables[k];
        for (size_t i = 0; i <= t->nrows; i++) {
            bool total = i == t->nrows;
            if (total && !t->total_row) break;
            unsigned *h = total ? &t->hidden_total : &t->rows[i].hidden;
            unsigned counts = 0;
            for (int c = 0; c < t->ncols; c++)
                if (is_count(&t->cols[c])) counts |= 1u << c;
            for (int c = 0; c < t->ncols; c++) {
                const report_col *col = &t->cols[c];
                bool hide = false;
                const long long *v = total ? NULL : t->rows[i].v;
                if (col->type == REPORT_COL_PERCENT)
                    /* (0% of anything stays 0%: it tells nothing more than the 0) */
                    hide = (*h >> col->num & 1) ||
                           ((!v || v[col->num] != 0) &&
                            (col->den >= 0 ? (*h >> col->den & 1) : small(t->base, threshold)));
                else if (col->decimals == 1)
                    hide = (*h & counts) != 0 || (counts == 0 && small(t->base, threshold));
                if (hide) *h |= 1u << c;
            }
        }
    }
}

void report_publish(report *r, int threshold)
{
    r->threshold = threshold;
    long long notes = 0;
    long long primary = publish_primary(r, threshold);
    long long secondary = publish_secondary(r);
    secondary += report_audit(r, threshold);
    publish_derived(r, threshold);
    for (size_t i = 0; i < r->nnotes; i++)
        publish_note(&r->notes[i], threshold, &notes);
    report_add_note(r,
                    "Published figures: counts from 1 to %d are shown as c, with the percentages "
                    "and means built on them (%lld cells%s), so that no child can be identified; "
                    "%lld more are shown as c so that none can be worked out from a total and the "
                    "other cells (secondary suppression). 0 is a true zero.",
                    threshold - 1, primary, notes ? " and some counts in the notes" : "",
                    secondary);
}
