/* screen_retention.c: the retention review (`R` on the main screen): the children due under the
 * configuration's `retention:` rules as of the date shown, each with the rule reached first and
 * its date — protect_review, as `caseload retention review` lists them — and, marked, those a rule
 * reached but a hold keeps. `X` purges the selected child as `caseload retention purge --reason`
 * does (protect_purge: the same checks, one transaction, a tombstone left): a form names the
 * child and the rule and asks why; a held child, or no known officer at the keyboard, is refused
 * with the reason. `v` opens the child view (recorded as a look). */
#include "caseload/exitcode.h"
#include "caseload/protect.h"
#include "childtext.h"
#include "form.h"
#include "screen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct retention_view {
    protect_due *due; /* due children, then held ones, in protect_review's order */
    size_t n, held;
    char (*names)[160]; /* "First Last" of each row, read when first on screen */
    bool *named;
    int cur, top; /* the selected row, the first row on screen */
} retention_view;

static void *retention_create(void)
{
    return calloc(1, sizeof(retention_view));
}

static void drop(retention_view *v)
{
    free(v->due);
    free(v->names);
    free(v->named);
    v->due = NULL;
    v->names = NULL;
    v->named = NULL;
    v->n = 0;
}

static void retention_free(void *s)
{
    retention_view *v = s;
    if (!v) return;
    drop(v);
    free(v);
}

static int list_height(void)
{
    return LINES - 5; /* title, heading, the status, message and hint lines */
}

static const char *child_key(const protect_due *d)
{
    return d->upn[0] ? d->upn : d->la_child_id;
}

/* The rule as the configuration sets it: "social work ended + 6 years", "age 25". */
static const char *rule_text(tui *t, retention_rule r, char *out, size_t n)
{
    const retention_rules *rr = &t->cfg->retention.rules;
    int years = r == RULE_SOCIAL_WORK_ENDED ? rr->years_after_social_work_ended
                : r == RULE_LAST_ACTIVITY   ? rr->years_after_last_activity
                : r == RULE_AGE             ? rr->age
                                            : 0;
    if (r == RULE_AGE)
        snprintf(out, n, "%s %d", codes_rule_label(r), years);
    else if (years > 0)
        snprintf(out, n, "%s + %d year%s", codes_rule_label(r), years, tui_plural(years));
    else
        snprintf(out, n, "%s", codes_rule_label(r));
    return out;
}

/* The name of row i (read once). */
static const char *name_of(tui *t, retention_view *v, size_t i)
{
    if (!v->named[i]) {
        browse_child c;
        if (browse_child_get(t->db, v->due[i].id, &c) == EXIT_OK)
            snprintf(v->names[i], sizeof v->names[i], "%s %s", c.first_name, c.last_name);
        else
            snprintf(v->names[i], sizeof v->names[i], "?");
        v->named[i] = true;
    }
    return v->names[i];
}

static int retention_load(tui *t, void *s, int64_t arg, bool opening)
{
    (void)arg;
    retention_view *v = s;
    int64_t keep = !opening && v->n ? v->due[v->cur].id : 0;
    drop(v);
    int rc = protect_review(t->db, t->cfg, t->as_of, true, &v->due, &v->n, &v->held);
    if (!rc && v->n) {
        v->names = calloc(v->n, sizeof *v->names);
        v->named = calloc(v->n, sizeof *v->named);
        if (!v->names || !v->named) rc = EXIT_IO;
    }
    if (rc) {
        drop(v);
        return tui_status_store(t, rc, "reading the retention review");
    }
    /* The due children first, then the held ones (each in protect_review's order). */
    size_t k = 0;
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = k; i < v->n; i++)
            if (v->due[i].held == (pass == 1)) {
                protect_due d = v->due[i];
                memmove(v->due + k + 1, v->due + k, (i - k) * sizeof d);
                v->due[k++] = d;
            }
    if (opening) v->cur = v->top = 0;
    for (size_t i = 0; keep && i < v->n; i++)
        if (v->due[i].id == keep) v->cur = (int)i;
    if (v->cur >= (int)v->n) v->cur = v->n ? (int)v->n - 1 : 0;
    return TUI_REDRAW;
}

static void retention_draw(tui *t, void *s)
{
    retention_view *v = s;
    erase();
    char as_of[11], line[400];
    date_format(t->as_of, as_of);
    attrset(tui_attr(t, TUI_PAIR_TITLE));
    snprintf(line, sizeof line, " Retention review: the children due as of %s", as_of);
    tui_text(stdscr, 0, 0, COLS, line);
    attrset(tui_attr(t, TUI_PAIR_DIM));
    snprintf(line, sizeof line, " %-13s %-16s %-10s %-7s %s", "child", "name", "since", "cohort",
             "rule reached first");
    tui_text(stdscr, 1, 0, COLS, line);
    attrset(A_NORMAL);
    int h = list_height();
    if (v->cur < v->top) v->top = v->cur;
    if (v->cur >= v->top + h) v->top = v->cur - h + 1;
    if (v->n == 0) tui_text(stdscr, 2, 0, COLS, "  No child is due under the retention rules.");
    for (int y = 0; y < h && v->top + y < (int)v->n; y++) {
        size_t i = (size_t)(v->top + y);
        const protect_due *d = &v->due[i];
        /* A held child shows HELD where the cohort stands: it is never purged. */
        char rule[80];
        snprintf(line, sizeof line, " %-13s %-16.16s %-10s %-7s %s", child_key(d), name_of(t, v, i),
                 d->on, d->held ? "HELD" : codes_cohort_label(d->cohort, true),
                 rule_text(t, d->rule, rule, sizeof rule));
        attrset((int)i == v->cur ? tui_attr(t, TUI_PAIR_SELECTED)
                : d->held        ? tui_attr(t, TUI_PAIR_DIM)
                                 : A_NORMAL);
        tui_text(stdscr, 2 + y, 0, COLS, line);
        attrset(A_NORMAL);
    }
    size_t due = v->n - v->held;
    attrset(tui_attr(t, TUI_PAIR_STATUS));
    snprintf(line, sizeof line,
             " %zu child%s due; %zu more under a hold (retention.holds), shown HELD", due,
             due == 1 ? "" : "ren", v->held);
    tui_text(stdscr, LINES - 3, 0, COLS, line);
    attrset(A_NORMAL);
    tui_draw_status(t);
    tui_draw_hints(t, SCR_RETENTION);
}

typedef struct {
    tui *t;
    const protect_due *d;
    const char *name;
    bool purged;
    bool wal_emptied;
} purge_ctx;

/* Shows why a purge did not go ahead in the form (on the reason when it is about the reason). */
static void refused(form *f, int rc, const char *err)
{
    char msg[600];
    snprintf(msg, sizeof msg, "Not purged: %s", err);
    form_set_error(f, rc == EXIT_USAGE ? "reason" : NULL, msg);
}

static bool save_purge(form *f, void *vctx)
{
    purge_ctx *cx = vctx;
    tui *t = cx->t;
    const char *reason = form_value(form_find(f, "reason"));
    char err[512];
    /* The checks first (a reason naming the child, a hold), then the question. */
    int rc =
        protect_purge_check(t->db, t->cfg, t->as_of, &cx->d->id, 1, false, reason, err, sizeof err);
    if (rc) {
        refused(f, rc, err);
        return false;
    }
    char q[300];
    snprintf(q, sizeof q, "Erase %s for good? Nothing of the child can be brought back.", cx->name);
    if (!form_confirm(t, q)) {
        form_set_error(f, NULL, "Not purged (Esc leaves the form).");
        return false;
    }
    rc = protect_purge(t->db, t->cfg, t->as_of, &cx->d->id, 1, false, reason, &cx->wal_emptied, err,
                       sizeof err);
    if (rc) {
        refused(f, rc, err);
        return false;
    }
    cx->purged = true;
    return true;
}

/* X: the purge of the selected child, after the checks the command line makes. */
static int purge(tui *t, retention_view *v)
{
    if (v->n == 0) return TUI_NONE;
    const protect_due *d = &v->due[v->cur];
    const char *name = name_of(t, v, (size_t)v->cur);
    if (d->held) {
        tui_status_error(t, "%s is under a hold (retention.holds): a held child is never purged",
                         name);
        return TUI_REDRAW;
    }
    if (!store_officer(t->db)[0]) {
        if (store_claimed(t->db)[0])
            tui_status_error(t,
                             "A purge needs a known officer: \"%s\" is not one; start caseload "
                             "with --officer INITIALS (or $CASELOAD_OFFICER)",
                             store_claimed(t->db));
        else
            tui_status_error(t, "A purge needs a known officer: start caseload with --officer "
                                "INITIALS (or $CASELOAD_OFFICER)");
        return TUI_REDRAW;
    }
    form f;
    form_init(&f, "Purge a child's record for good");
    char rule[80];
    snprintf(f.context, sizeof f.context, "%s (%s): due under %s since %s; every record goes", name,
             child_key(d), rule_text(t, d->rule, rule, sizeof rule), d->on);
    form_text(&f, "reason", "Reason (no names)", 500, NULL, true);
    purge_ctx cx = {.t = t, .d = d, .name = name};
    form_run(t, &f, save_purge, &cx);
    form_free(&f);
    if (!cx.purged) return TUI_REDRAW;
    tui_status(t, "Purged (%s); a tombstone kept%s", rule_text(t, d->rule, rule, sizeof rule),
               cx.wal_emptied ? ""
                              : " (another program still holds the old pages until it closes)");
    return TUI_RELOAD | TUI_REDRAW;
}

static int retention_action(tui *t, void *s, tui_action a, const tui_keypress *k)
{
    (void)k;
    retention_view *v = s;
    int h = list_height(), n = (int)v->n, before = v->cur;
    switch (a) {
    case ACT_DOWN: v->cur++; break;
    case ACT_UP: v->cur--; break;
    case ACT_PGDN: v->cur += h; break;
    case ACT_PGUP: v->cur -= h; break;
    case ACT_TOP: v->cur = 0; break;
    case ACT_END: v->cur = n - 1; break;
    case ACT_CHILD: return n ? tui_open(t, SCR_CHILD, v->due[v->cur].id) : TUI_NONE;
    case ACT_PURGE: return purge(t, v);
    default: return tui_key_common(t, a, SCR_RETENTION);
    }
    if (v->cur >= n) v->cur = n - 1;
    if (v->cur < 0) v->cur = 0;
    return v->cur != before ? TUI_REDRAW : TUI_NONE;
}

const screen_ops screen_retention_ops = {
    .id = SCR_RETENTION,
    .create = retention_create,
    .load = retention_load,
    .draw = retention_draw,
    .action = retention_action,
    .idle = screen_no_idle,
    .free = retention_free,
};
