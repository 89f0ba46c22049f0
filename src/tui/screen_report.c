/* screen_report.c: the reports screen (`r`). The report is computed once per choice of report and
 * period (report_compute), rendered as text at the screen's width (report_render, the same text as
 * `caseload report`), split into lines and scrolled. `P` makes it fit to publish (report_publish at
 * a threshold asked for, as `caseload report --publish --threshold N`) until pressed again. `w`
 * writes it, as shown, as csv, md or xlsx to a path the user types: a file that exists is replaced
 * only after a yes to the question. */
#include "caseload/buf.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/outfile.h"
#include "caseload/report.h"
#include "caseload/text.h"
#include "form.h"
#include "screen.h"
#include "textview.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    report_kind kind;
    date_t from, to;
    report *rep;
    int threshold;      /* report_publish's when publishing, 0 when every figure is shown */
    int last_threshold; /* what the threshold form offers next */
    textview tv;        /* the rendered report */
    int width;          /* the width it was rendered at */
} report_view;

static void view_clear(report_view *v)
{
    report_free(v->rep);
    v->rep = NULL;
    textview_clear(&v->tv);
}

/* Lays out the computed report at the screen's width: a line followed by a rule of dashes is a
 * heading (bold). */
static void view_layout(report_view *v)
{
    textview_clear(&v->tv);
    v->width = COLS;
    if (!v->rep) return;
    buf text = BUF_INIT;
    report_render(v->rep, REPORT_TEXT, COLS, &text);
    /* The title bar says what the first line and the blank after it say. */
    const char *p = buf_str(&text);
    for (int skip = 0; skip < 2 && *p; skip++) {
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        const char *next = nl ? nl + 1 : p + n;
        bool heading = n && strncmp(next, "---", 3) == 0;
        char *line = strndup(p, n);
        if (line)
            textview_add(&v->tv, 0, heading, "", line);
        else
            v->tv.lost = true;
        free(line);
        p = next;
    }
    buf_free(&text);
}

/* Computes the chosen report, made fit to publish when publishing (on failure the status line
 * says why and nothing is shown). */
static void view_load(tui *t, report_view *v)
{
    view_clear(v);
    int rc = report_compute(t->db, &t->cfg->calendar, v->kind, v->from, v->to, &v->rep);
    if (rc) {
        tui_status_store(t, rc, "reading the report");
        v->rep = NULL;
    } else if (v->threshold) {
        report_publish(v->rep, v->threshold);
    }
    v->tv.scroll = 0;
    view_layout(v);
}

static void view_draw(tui *t, void *s)
{
    report_view *v = s;
    if (v->width != COLS) view_layout(v);
    erase();
    char f[11], to[11], title[256];
    date_format(v->from, f);
    date_format(v->to, to);
    snprintf(title, sizeof title, " Reports: %s (%d of %d)   %s to %s", report_kind_title(v->kind),
             (int)v->kind + 1, REPORT_NKINDS, f, to);
    attrset(tui_attr(t, TUI_PAIR_TITLE));
    mvhline(0, 0, ' ', COLS);
    tui_text(stdscr, 0, 0, COLS, title);
    attrset(A_NORMAL);
    textview_draw(t, &v->tv, 1, LINES - 4);
    attrset(tui_attr(t, TUI_PAIR_STATUS));
    char st[128];
    textview_position(&v->tv, st, sizeof st);
    if (v->threshold) {
        size_t n = strlen(st);
        snprintf(st + n, sizeof st - n, "   for publication (counts under %d suppressed)",
                 v->threshold);
    }
    tui_text(stdscr, LINES - 3, 0, COLS, st);
    attrset(A_NORMAL);
    tui_draw_status(t);
    tui_draw_hints(t, SCR_REPORT);
    curs_set(0);
}

/* ---- the period form ---- */

typedef struct {
    date_t from, to;
} period_ctx;

static bool period_save(form *f, void *arg)
{
    period_ctx *p = arg;
    const char *a = form_value(form_find(f, "from")), *b = form_value(form_find(f, "to"));
    date_t from, to;
    char why[FIELD_WHY];
    if (!field_date(a, strlen(a), FIELD_DMY, &from, why)) {
        form_set_error(f, "from", "not a date (" FORM_DATE_HINT ")");
        return false;
    }
    if (!field_date(b, strlen(b), FIELD_DMY, &to, why)) {
        form_set_error(f, "to", "not a date (" FORM_DATE_HINT ")");
        return false;
    }
    if (from > to) {
        form_set_error(f, "to", "the period ends before it starts");
        return false;
    }
    p->from = from;
    p->to = to;
    return true;
}

static bool ask_period(tui *t, report_view *v)
{
    char a[11], b[11];
    date_format(v->from, a);
    date_format(v->to, b);
    form f;
    form_init(&f, "Report period (both days included)");
    form_date(&f, "from", "From", a, true);
    form_date(&f, "to", "To", b, true);
    period_ctx p = {v->from, v->to};
    bool saved = form_run(t, &f, period_save, &p);
    form_free(&f);
    if (saved) {
        v->from = p.from;
        v->to = p.to;
    }
    return saved;
}

/* ---- publishing: the threshold form ---- */

static bool threshold_save(form *f, void *arg)
{
    int *threshold = arg;
    const char *s = form_value(form_find(f, "threshold"));
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (end == s || *end || errno || n < REPORT_THRESHOLD_MIN || n > REPORT_THRESHOLD_MAX) {
        char why[64];
        snprintf(why, sizeof why, "a whole number from %d to %d", REPORT_THRESHOLD_MIN,
                 REPORT_THRESHOLD_MAX);
        form_set_error(f, "threshold", why);
        return false;
    }
    *threshold = (int)n;
    return true;
}

/* P: publishing on (after the threshold form) or off; the report is computed again either way. */
static void toggle_publish(tui *t, report_view *v)
{
    if (v->threshold) {
        v->threshold = 0;
        view_load(t, v);
        tui_status(t, "every figure shown (not for publication)");
        return;
    }
    char initial[16];
    snprintf(initial, sizeof initial, "%d", v->last_threshold);
    form f;
    form_init(&f, "Figures for publication");
    snprintf(f.context, sizeof f.context,
             "Counts under it are shown as c (0 stays 0), with secondary suppression");
    form_text(&f, "threshold", "Smallest count shown", 4, initial, true);
    int threshold = 0;
    bool saved = form_run(t, &f, threshold_save, &threshold);
    form_free(&f);
    if (!saved) return;
    v->threshold = v->last_threshold = threshold;
    view_load(t, v);
    tui_status(t, "for publication: counts under %d shown as c", threshold);
}

/* ---- writing the report to a file ---- */

static const char *const fmt_values[] = {"csv", "md", "xlsx"};
static const char *const fmt_labels[] = {"csv (one row per figure)", "md (tables for a paper)",
                                         "xlsx (an Excel workbook)"};

typedef struct {
    tui *t;
    report_view *v;
    const char *offered; /* the file name the form offered */
    char written[4096];
} write_ctx;

static bool write_save(form *f, void *arg)
{
    write_ctx *w = arg;
    const char *path = form_value(form_find(f, "path"));
    const char *fmt = form_value(form_find(f, "format"));
    if (!*path) {
        form_set_error(f, "path", "where should the report go?");
        return false;
    }
    report_format rf = report_format_find(fmt);
    if (rf < 0) rf = REPORT_CSV;
    /* The name offered ends in .csv; left as offered, it follows the format chosen. */
    char offered[4096];
    if (rf != REPORT_CSV && strcmp(path, w->offered) == 0) {
        snprintf(offered, sizeof offered, "%.*s.%s", (int)strlen(path) - 4, path, fmt);
        path = offered;
    }
    /* ~ is the home folder, as in a shell. */
    char home_path[4096];
    outfile_expand_home(path, home_path, sizeof home_path);
    path = home_path;
    outfile of;
    char err[4200];
    int rc = outfile_open(&of, path, false, err, sizeof err);
    if (rc == EXIT_USAGE && access(path, F_OK) == 0) {
        if (!form_confirm(w->t, "That file exists. Replace it?")) {
            form_set_error(f, "path", "not written: the file exists (choose another name)");
            return false;
        }
        rc = outfile_open(&of, path, true, err, sizeof err);
    }
    if (rc == EXIT_OK) {
        w->v->rep->made = w->t->as_of;
        if (rf == REPORT_XLSX) {
            rc = report_write_xlsx(w->v->rep, of.tmp, err, sizeof err);
        } else {
            buf out = BUF_INIT;
            report_render(w->v->rep, rf, 80, &out);
            if (out.len && fwrite(out.data, 1, out.len, of.f) != out.len) {
                snprintf(err, sizeof err, "writing failed: %s", strerror(errno));
                rc = EXIT_IO;
            }
            buf_free(&out);
        }
        if (rc)
            outfile_abort(&of);
        else
            rc = outfile_commit(&of, err, sizeof err);
    }
    if (rc) {
        buf msg = BUF_INIT;
        text_sanitize(&msg, err);
        form_set_error(f, "path", buf_str(&msg));
        buf_free(&msg);
        return false;
    }
    snprintf(w->written, sizeof w->written, "%s", of.path);
    return true;
}

static void ask_write(tui *t, report_view *v)
{
    if (!v->rep) {
        tui_status_error(t, "no report to write");
        return;
    }
    char name[80], f[11], to[11];
    date_format(v->from, f);
    date_format(v->to, to);
    snprintf(name, sizeof name, "report-%s-%s-%s%s.csv", report_kind_name(v->kind), f, to,
             v->threshold ? "-published" : "");
    form fm;
    form_init(&fm, v->threshold ? "Write the report for publication to a file"
                                : "Write the report to a file");
    form_choice(&fm, "format", "Format", fmt_values, fmt_labels, 3, 0, true);
    form_text(&fm, "path", "File", 4000, name, true);
    write_ctx w = {t, v, name, ""};
    if (form_run(t, &fm, write_save, &w)) tui_status(t, "report written to %s", w.written);
    form_free(&fm);
}

/* ---- the screen ---- */

static void *view_create(void)
{
    report_view *v = calloc(1, sizeof *v);
    if (v) {
        textview_init(&v->tv, 0);
        v->last_threshold = REPORT_THRESHOLD_DEFAULT;
    }
    return v;
}

static void view_free(void *s)
{
    report_view *v = s;
    if (!v) return;
    view_clear(v);
    textview_free(&v->tv);
    free(v);
}

/* Opens on the summary of the current period; afterwards (the window's size or the data
 * changed) lays the report out again at the screen's width. */
static int view_load_op(tui *t, void *s, int64_t arg, bool opening)
{
    (void)arg;
    report_view *v = s;
    if (opening) {
        v->kind = REPORT_SUMMARY;
        report_period(t->as_of, NULL, NULL, &v->from, &v->to);
        view_load(t, v);
    } else {
        view_layout(v);
    }
    return TUI_REDRAW;
}

static int view_action(tui *t, void *s, tui_action a, const tui_keypress *k)
{
    report_view *v = s;
    int flags;
    if (textview_key(&v->tv, a, &flags)) return flags;
    report_kind before = v->kind;
    switch (a) {
    case ACT_NEXT_REPORT: v->kind = (report_kind)((v->kind + 1) % REPORT_NKINDS); break;
    case ACT_PREV_REPORT:
        v->kind = (report_kind)((v->kind + REPORT_NKINDS - 1) % REPORT_NKINDS);
        break;
    case ACT_PICK_REPORT: v->kind = (report_kind)(k->key - '1'); break;
    case ACT_PERIOD:
        if (ask_period(t, v)) view_load(t, v);
        return TUI_REDRAW;
    case ACT_PUBLISH: toggle_publish(t, v); return TUI_REDRAW;
    case ACT_WRITE: ask_write(t, v); return TUI_REDRAW;
    case ACT_PASTE: return TUI_NONE; /* dropped: no field here */
    default: return tui_key_common(t, a, SCR_REPORT);
    }
    if (v->kind != before) view_load(t, v);
    return v->kind != before ? TUI_REDRAW : TUI_NONE;
}

const screen_ops screen_report_ops = {
    .id = SCR_REPORT,
    .create = view_create,
    .load = view_load_op,
    .draw = view_draw,
    .action = view_action,
    .idle = screen_no_idle,
    .free = view_free,
};
