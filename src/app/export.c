/* export.c: writing the rows of one kind as CSV or JSON in the columns of SPEC section 6, in the
 * deterministic order of records.h, so that export → import → export is byte-identical. */
#include "caseload/export.h"

#include "caseload/buf.h"
#include "caseload/csv.h"
#include "caseload/exitcode.h"
#include "caseload/json.h"
#include "caseload/records.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int export_format_find(const char *name)
{
    if (!name) return -1;
    if (strcmp(name, "csv") == 0) return EXPORT_CSV;
    if (strcmp(name, "json") == 0) return EXPORT_JSON;
    return -1;
}

typedef struct {
    export_format fmt;
    FILE *out;
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

static int flush(writer *w, bool force)
{
    if (w->b.len < 65536 && !force) return 0;
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
    if (w->fmt == EXPORT_CSV) {
        for (size_t i = 0; i < n; i++) {
            if (i) buf_putc(&w->b, ',');
            if (fields[i]) csv_write_field(&w->b, fields[i]);
        }
        buf_putc(&w->b, '\n');
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

int export_write(store *s, import_kind kind, export_format fmt, FILE *out, char *errmsg, size_t n,
                 long *rows)
{
    static int (*const each[KIND_COUNT])(store *, records_row_fn, void *) = {
        [KIND_REFERRALS] = records_each_referral,    [KIND_OUTCOMES] = records_each_outcome,
        [KIND_ACTIONS] = records_each_action,        [KIND_EXCLUSIONS] = records_each_exclusion,
        [KIND_ATTENDANCE] = records_each_attendance, [KIND_EPISODES] = records_each_episode,
        [KIND_CHILDREN] = records_each_child,
    };
    errmsg[0] = '\0';
    writer w = {.fmt = fmt, .out = out};
    w.cols = import_columns(kind, &w.ncols);
    if (!w.cols) {
        snprintf(errmsg, n, "unknown kind");
        return EXIT_USAGE;
    }
    if (fmt == EXPORT_CSV) {
        for (size_t i = 0; i < w.ncols; i++) {
            if (i) buf_putc(&w.b, ',');
            csv_write_field(&w.b, w.cols[i]);
        }
        buf_putc(&w.b, '\n');
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
