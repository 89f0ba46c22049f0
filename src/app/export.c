/* export.c: writing the rows of one kind as CSV or JSON in the columns of SPEC section 6, in the
 * deterministic order of records.h, so that export → import → export is byte-identical. */
#include "caseload/export.h"

#include "caseload/buf.h"
#include "caseload/csv.h"
#include "caseload/exitcode.h"
#include "caseload/json.h"
#include "caseload/records.h"
#include "caseload/text.h"
#include "caseload/xlsx.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int export_format_find(const char *name)
{
    if (!name) return -1;
    if (strcmp(name, "csv") == 0) return EXPORT_CSV;
    if (strcmp(name, "json") == 0) return EXPORT_JSON;
    if (strcmp(name, "xlsx") == 0) return EXPORT_XLSX;
    return -1;
}

typedef struct {
    export_format fmt;
    int flags;
    FILE *out;
    xlsx *x;
    char *errmsg;
    size_t errn;
    buf b;
    const char *const *cols;
    size_t ncols;
    long rows;
    int err; /* errno of a failed write */
} writer;

/* Columns written as JSON numbers. */
static bool numeric(const char *col)
{
    return strcmp(col, "days") == 0 || strcmp(col, "possible_sessions") == 0 ||
           strcmp(col, "attended_sessions") == 0 || strcmp(col, "hours_per_week") == 0;
}

/* Columns holding dates (YYYY-MM-DD). */
static bool dated(const char *col)
{
    static const char *const dates[] = {"received", "closed", "dob",  "date", "follow_up",
                                        "start",    "end",    "from", "to",   "social_work_ended"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        if (strcmp(col, dates[i]) == 0) return true;
    return false;
}

/* One CSV field; for a spreadsheet (EXPORT_EXCEL) text that a spreadsheet would take for a
 * formula gets a leading ' (which it hides, and which import removes again). */
static void excel_field(buf *b, const char *v, int flags)
{
    if ((flags & EXPORT_EXCEL) && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) {
        buf guarded = BUF_INIT;
        buf_putc(&guarded, '\'');
        buf_puts(&guarded, v);
        csv_write_field(b, buf_str(&guarded));
        buf_free(&guarded);
    } else {
        csv_write_field(b, v);
    }
}

static int flush(writer *w, bool force)
{
    if (w->b.len < 65536 && !force) return 0;
    if (w->b.len && (w->flags & EXPORT_TERMINAL)) {
        buf clean = BUF_INIT;
        text_sanitize_lines(&clean, w->b.data, w->b.len);
        buf tmp = w->b;
        w->b = clean;
        buf_free(&tmp);
    }
    if (w->b.len && fwrite(w->b.data, 1, w->b.len, w->out) != w->b.len) {
        w->err = errno ? errno : EIO;
        return EXIT_IO;
    }
    buf_reset(&w->b);
    return 0;
}

void export_json_value(json_writer *j, const char *col, const char *v)
{
    if (!v) {
        json_null(j);
        return;
    }
    if (numeric(col)) {
        char *end;
        double d = strtod(v, &end);
        if (!*end) {
            const char *dot = strchr(v, '.');
            int decimals = dot ? (int)strlen(dot + 1) : 0;
            json_number(j, d, decimals);
            return;
        }
    }
    json_string(j, v);
}

static int row(void *ctx, const char *const *fields, size_t n)
{
    writer *w = ctx;
    if (n > w->ncols) n = w->ncols;
    if (w->fmt == EXPORT_XLSX) {
        w->rows++;
        return xlsx_row(w->x, fields, n, w->errmsg, w->errn);
    }
    if (w->fmt == EXPORT_CSV) {
        for (size_t i = 0; i < n; i++) {
            if (i) buf_putc(&w->b, ',');
            if (fields[i]) excel_field(&w->b, fields[i], w->flags);
        }
        buf_puts(&w->b, (w->flags & EXPORT_EXCEL) ? "\r\n" : "\n");
    } else {
        buf_puts(&w->b, w->rows ? ",\n" : "\n");
        json_writer j;
        json_init(&j, &w->b, false);
        json_begin_object(&j);
        for (size_t i = 0; i < n; i++) {
            json_key(&j, w->cols[i]);
            export_json_value(&j, w->cols[i], fields[i]);
        }
        json_end_object(&j);
    }
    w->rows++;
    return flush(w, false);
}

static int (*const each[KIND_COUNT])(store *, records_row_fn, void *) = {
    [KIND_REFERRALS] = records_each_referral,    [KIND_OUTCOMES] = records_each_outcome,
    [KIND_ACTIONS] = records_each_action,        [KIND_EXCLUSIONS] = records_each_exclusion,
    [KIND_ATTENDANCE] = records_each_attendance, [KIND_EPISODES] = records_each_episode,
    [KIND_CHILDREN] = records_each_child,
};

int export_write_xlsx(store *s, import_kind kind, const char *path, char *errmsg, size_t n,
                      long *rows)
{
    errmsg[0] = '\0';
    writer w = {.fmt = EXPORT_XLSX, .errmsg = errmsg, .errn = n};
    w.cols = (unsigned)kind < KIND_COUNT ? import_columns(kind, &w.ncols) : NULL;
    if (!w.cols) {
        snprintf(errmsg, n, "unknown kind");
        return EXIT_USAGE;
    }
    xlsx_type types[64];
    if (w.ncols > sizeof types / sizeof *types) abort();
    for (size_t i = 0; i < w.ncols; i++)
        types[i] = numeric(w.cols[i]) ? XLSX_NUMBER : dated(w.cols[i]) ? XLSX_DATE : XLSX_TEXT;
    int rc = xlsx_open(&w.x, path, import_kind_name(kind), w.cols, types, w.ncols, errmsg, n);
    if (rc) return rc;
    rc = each[kind](s, row, &w);
    if (rows) *rows = w.rows;
    if (rc) {
        xlsx_discard(w.x);
        return rc;
    }
    return xlsx_close(w.x, errmsg, n);
}

int export_write(store *s, import_kind kind, export_format fmt, int flags, FILE *out, char *errmsg,
                 size_t n, long *rows)
{
    errmsg[0] = '\0';
    writer w = {.fmt = fmt, .flags = flags, .out = out};
    w.cols = (unsigned)kind < KIND_COUNT ? import_columns(kind, &w.ncols) : NULL;
    if (!w.cols || fmt == EXPORT_XLSX) {
        snprintf(errmsg, n,
                 w.cols ? "xlsx is written to a file (export_write_xlsx)" : "unknown kind");
        return EXIT_USAGE;
    }
    if (fmt == EXPORT_CSV) {
        if (flags & EXPORT_EXCEL) buf_puts(&w.b, "\xEF\xBB\xBF");
        for (size_t i = 0; i < w.ncols; i++) {
            if (i) buf_putc(&w.b, ',');
            csv_write_field(&w.b, w.cols[i]);
        }
        buf_puts(&w.b, (flags & EXPORT_EXCEL) ? "\r\n" : "\n");
    } else {
        buf_putc(&w.b, '[');
    }
    int rc = each[kind](s, row, &w);
    if (!rc) {
        if (fmt == EXPORT_JSON) buf_puts(&w.b, w.rows ? "\n]\n" : "]\n");
        rc = flush(&w, true);
        if (!rc && fflush(out) != 0) {
            w.err = errno ? errno : EIO;
            rc = EXIT_IO;
        }
    }
    if (rc && w.err) snprintf(errmsg, n, "writing the export: %s", strerror(w.err));
    if (rows) *rows = w.rows;
    buf_free(&w.b);
    return rc;
}
