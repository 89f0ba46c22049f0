/* forms.c: the modal forms of the full-screen app (forms.h) on one referral (add an action, mark
 * a follow-up done, record an outcome, close, edit) and the filters, and what every form shares
 * (forms_internal.h); the corrections (amend, withdraw, reopen) are forms_correct.c, the
 * new-referral flow forms_referral.c, the facts of a child forms_facts.c. Each form is built with
 * form.h, saves through src/app/record.c (one transaction per change) and keeps everything typed
 * when saving fails. */
#include "forms.h"
#include "forms_internal.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/date.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/record.h"
#include "form.h"
#include "lineedit.h"
#include "tui.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tuiform_default_officer(void)
{
    const char *o = getenv("CASELOAD_OFFICER");
    return o ? o : "";
}

/* ---- the officer picker ---- */

#define OFFICERS_MAX 1000

/* The known officers for the one form open at a time (forms are modal): the lookup's arrays. */
static struct {
    browse_officer rows[OFFICERS_MAX];
    char label[OFFICERS_MAX][110];
    const char *values[OFFICERS_MAX];
    const char *labels[OFFICERS_MAX];
    int n;
} officers;

/* A new officer's initials: field_initials (1-4 letters, upper-cased). */
static bool new_initials(const char *typed, char *out, size_t n, char *why, size_t nwhy)
{
    char ini[FIELD_INITIALS_MAX + 1], w[FIELD_WHY];
    if (!field_initials(typed, strlen(typed), ini, w)) {
        snprintf(why, nwhy, "%s", w);
        return false;
    }
    snprintf(out, n, "%s", ini);
    return true;
}

form_field *tuiform_officer_field(tui *t, form *f, const char *initial, bool allow_new)
{
    officers.n = 0;
    int rc = browse_officers(t->db, officers.rows, OFFICERS_MAX, &officers.n, NULL);
    if (rc) {
        officers.n = 0;
        tui_status_store(t, rc, "reading the officers");
    }
    for (int i = 0; i < officers.n; i++) {
        const browse_officer *o = &officers.rows[i];
        if (o->name[0])
            snprintf(officers.label[i], sizeof officers.label[i], "%-5s %s", o->initials, o->name);
        else
            snprintf(officers.label[i], sizeof officers.label[i], "%s", o->initials);
        officers.values[i] = o->initials;
        officers.labels[i] = officers.label[i];
    }
    return form_lookup(f, "officer", "Officer (initials)", 15, initial, false, officers.values,
                       officers.labels, officers.n, "officer", allow_new ? new_initials : NULL);
}

void tuiform_show_problem(form *f, int rc, const record_problem *p)
{
    char msg[400];
    if (rc == EXIT_DATA) {
        form_field *fl = p->field[0] ? form_find(f, p->field) : NULL;
        if (fl)
            snprintf(msg, sizeof msg, "%s: %s", fl->label, p->message);
        else if (p->field[0])
            snprintf(msg, sizeof msg, "%s: %s", p->field, p->message);
        else
            snprintf(msg, sizeof msg, "%s", p->message);
        form_set_error(f, p->field, msg);
    } else if (rc == EXIT_BUSY) {
        form_set_error(f, NULL,
                       "Not saved: the database is busy (another program is writing). "
                       "Enter tries again.");
    } else {
        snprintf(msg, sizeof msg, "Not saved: %s", p->message);
        form_set_error(f, NULL, msg);
    }
}

bool tuiform_save_done(form *f, int rc, const record_problem *p, void (*reopen)(void *), void *ctx)
{
    if (rc == EXIT_DATA && p->conflict) {
        form_field *fl = form_find(f, p->field);
        char msg[400];
        snprintf(msg, sizeof msg, "%s %s. Enter saves yours over it, Esc leaves it.",
                 fl ? fl->label : p->field, p->message);
        form_set_error(f, p->field, msg);
        reopen(ctx);
        return false;
    }
    if (rc) tuiform_show_problem(f, rc, p);
    return rc == EXIT_OK;
}

bool tuiform_referral_context(tui *t, int64_t referral_id, browse_detail *d, char *out, size_t n)
{
    if (!referral_id) {
        tui_status_error(t, "No referral selected");
        return false;
    }
    int rc = browse_referral(t->db, referral_id, &t->cfg->scoring, t->as_of, d);
    if (rc == EXIT_FOUND) {
        tui_status_error(t, "That referral no longer exists");
        return false;
    }
    if (rc) {
        tui_status_store(t, rc, "reading the referral");
        return false;
    }
    snprintf(out, n, "Referral %s: %s (%s, %s)", d->row.ref, d->row.child,
             codes_label_of(CODES_ISSUE, d->row.issue),
             codes_label_of(CODES_STATUS, d->row.status));
    return true;
}

/* ---- action, outcome, close, edit ---- */

void tuiform_action_kind_field(form *f, const char *kind)
{
    const char *kinds[FORM_MAX_CHOICES], *labels[FORM_MAX_CHOICES];
    int nk = 0, pick = -1;
    for (size_t i = 0; i < codes_words_count(CODES_W_ACTION_KIND) && nk < FORM_MAX_CHOICES - 1;
         i++) {
        kinds[nk] = codes_word(CODES_W_ACTION_KIND, i);
        labels[nk] = codes_word_label(CODES_W_ACTION_KIND, i);
        if (kind && strcmp(kind, kinds[nk]) == 0) pick = nk;
        nk++;
    }
    if (kind && *kind && pick < 0) {
        kinds[nk] = labels[nk] = kind;
        pick = nk++;
    }
    form_choice(f, "kind", "Kind", kinds, labels, nk, pick, true);
}

static bool save_action(form *f, void *vctx)
{
    tuiform_ctx *cx = vctx;
    record_action a = {
        .date = form_value(form_find(f, "date")),
        .officer = form_value(form_find(f, "officer")),
        .kind = form_value(form_find(f, "kind")),
        .note = form_value(form_find(f, "note")),
        .follow_up = form_value(form_find(f, "follow_up")),
    };
    form_field *done = form_find(f, "done_pending");
    a.done_pending = done && done->yes;
    record_problem p;
    int rc = record_action_add(cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id, &a, NULL, &p);
    if (rc) tuiform_show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

int tuiform_add_action(tui *t, int64_t referral_id)
{
    browse_detail d;
    form f;
    form_init(&f, "Add an action");
    if (!tuiform_referral_context(t, referral_id, &d, f.context, sizeof f.context))
        return TUI_REDRAW;
    if (strcmp(d.row.status, "closed") == 0 &&
        !form_confirm(t, "This referral is closed. Add an action to it anyway? (y/n)"))
        return TUI_REDRAW;
    char today[11];
    date_format(t->as_of, today);
    tuiform_action_kind_field(&f, NULL);
    form_date(&f, "date", "Date", today, true);
    tuiform_officer_field(t, &f, tuiform_default_officer(), true);
    form_note(&f, "note", "Note", 1000, NULL, false);
    form_date(&f, "follow_up", "Follow up on", NULL, false);
    /* A later action may do what the pending follow-ups asked. */
    browse_follow_up pending[1];
    int npending = 0;
    if (browse_follow_ups_pending(t->db, referral_id, pending, 1, &npending) == EXIT_OK &&
        npending > 0)
        form_yesno(&f, "done_pending", "Follow-ups done", false);
    tuiform_ctx cx = {t, referral_id};
    bool saved = form_run(t, &f, save_action, &cx);
    form_free(&f);
    if (!saved) return TUI_REDRAW;
    tui_status(t, "Saved: action on %s", d.row.ref);
    return TUI_RELOAD | TUI_REDRAW;
}

int tuiform_follow_up_done(tui *t, int64_t referral_id)
{
    browse_detail d;
    char context[256];
    if (!tuiform_referral_context(t, referral_id, &d, context, sizeof context)) return TUI_REDRAW;
    enum { MAX_PENDING = 40 };
    static browse_follow_up fu[MAX_PENDING];
    int n = 0;
    int rc = browse_follow_ups_pending(t->db, referral_id, fu, MAX_PENDING, &n);
    if (rc) {
        return tui_status_store(t, rc, "reading the follow-ups");
    }
    if (n == 0) {
        tui_status(t, "No pending follow-up on %s", d.row.ref);
        return TUI_REDRAW;
    }
    static char text[MAX_PENDING][2200]; /* an entry whole: form_pick wraps it */
    const char *lines[MAX_PENDING];
    for (int i = 0; i < n; i++) {
        snprintf(text[i], sizeof text[i], "%s  %s of %s%s%s", fu[i].follow_up,
                 codes_word_label_of(CODES_W_ACTION_KIND, fu[i].kind), fu[i].date,
                 fu[i].note[0] ? ": " : "", fu[i].note);
        lines[i] = text[i];
    }
    int pick = form_pick(t, "Mark a follow-up done", context, lines, n, 0);
    if (pick < 0) return TUI_REDRAW;
    record_problem p;
    rc = record_follow_up_done(t->db, t->cfg, t->as_of, referral_id, fu[pick].action_id, "",
                               tuiform_default_officer(), &p);
    if (rc == EXIT_DATA)
        tui_status_error(t, "Not saved: %s", p.message);
    else if (rc)
        tui_status_store(t, rc, "marking the follow-up done");
    else
        tui_status(t, "Saved: follow-up of %s done on %s", fu[pick].follow_up, d.row.ref);
    return TUI_RELOAD | TUI_REDRAW;
}

static bool save_outcome(form *f, void *vctx)
{
    tuiform_ctx *cx = vctx;
    record_problem p;
    int rc = record_outcome_add(
        cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id, form_value(form_find(f, "outcome")),
        form_value(form_find(f, "date")), form_value(form_find(f, "note")), NULL, &p);
    if (rc) tuiform_show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

static bool save_close(form *f, void *vctx)
{
    tuiform_ctx *cx = vctx;
    record_problem p;
    int rc = record_close(cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id,
                          form_value(form_find(f, "outcome")), form_value(form_find(f, "date")),
                          form_value(form_find(f, "note")), &p);
    if (rc) tuiform_show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

/* The outcome form, for `o` (closing false) and `c` (closing true). */
static int outcome_form(tui *t, int64_t referral_id, bool closing)
{
    browse_detail d;
    form f;
    form_init(&f, closing ? "Close the referral: its outcome" : "Record an outcome");
    if (!tuiform_referral_context(t, referral_id, &d, f.context, sizeof f.context))
        return TUI_REDRAW;
    if (closing && strcmp(d.row.status, "closed") == 0) {
        tui_status_error(t, "%s is already closed", d.row.ref);
        return TUI_REDRAW;
    }
    if (!closing && strcmp(d.row.status, "closed") == 0 &&
        !form_confirm(t, "This referral is closed. Record an outcome of it anyway? (y/n)"))
        return TUI_REDRAW;
    char today[11];
    date_format(t->as_of, today);
    form_codes(&f, CODES_OUTCOME, "Outcome", NULL, NULL, true);
    form_date(&f, "date", closing ? "Closed on" : "Date", today, true);
    form_note(&f, "note", "Note", 1000, NULL, false);
    tuiform_ctx cx = {t, referral_id};
    bool saved = form_run(t, &f, closing ? save_close : save_outcome, &cx);
    form_free(&f);
    if (!saved) return TUI_REDRAW;
    tui_status(t, closing ? "Saved: %s closed" : "Saved: outcome of %s", d.row.ref);
    return TUI_RELOAD | TUI_REDRAW;
}

int tuiform_record_outcome(tui *t, int64_t referral_id)
{
    return outcome_form(t, referral_id, false);
}

int tuiform_close(tui *t, int64_t referral_id)
{
    return outcome_form(t, referral_id, true);
}

/* The edit form's save: against what the form opened with (record_edit.opened). */
typedef struct {
    tui *t;
    int64_t referral_id;
    edit_referral opened;
} edit_ctx;

/* After a conflict: the form stands on the referral as it is now. */
static void reopen_edit(void *vctx)
{
    edit_ctx *cx = vctx;
    edit_referral now;
    if (edit_referral_get(cx->t->db, cx->referral_id, &now) == EXIT_OK) cx->opened = now;
}

static bool save_edit(form *f, void *vctx)
{
    edit_ctx *cx = vctx;
    record_edit e = {
        .status = form_value(form_find(f, "status")),
        .officer = form_value(form_find(f, "officer")),
        .issue = form_value(form_find(f, "issue")),
        .pex_risk = form_find(f, "pex_risk")->yes ? 1 : 0,
        .opened = &cx->opened,
    };
    record_problem p;
    int rc = record_referral_edit(cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id, &e, &p);
    return tuiform_save_done(f, rc, &p, reopen_edit, cx);
}

int tuiform_edit(tui *t, int64_t referral_id)
{
    browse_detail d;
    form f;
    int result = TUI_REDRAW;
    form_init(&f, "Edit the referral");
    if (!tuiform_referral_context(t, referral_id, &d, f.context, sizeof f.context)) goto done;
    form_codes(&f, CODES_STATUS, "Status", d.row.status, NULL, true);
    tuiform_officer_field(t, &f, d.row.officer, true);
    form_codes(&f, CODES_ISSUE, "Issue", d.row.issue, NULL, true);
    form_yesno(&f, "pex_risk", "Risk of perm. excl.", d.pex_risk);
    edit_ctx cx = {t, referral_id, {0}};
    int rc = edit_referral_get(t->db, referral_id, &cx.opened);
    if (rc) {
        tui_status_store(t, rc, "reading the referral");
        goto done;
    }
    if (form_run(t, &f, save_edit, &cx)) {
        tui_status(t, form_dirty(&f) ? "Saved: %s" : "Nothing changed in %s", d.row.ref);
        result = TUI_RELOAD | TUI_REDRAW;
    }
done:
    form_free(&f);
    return result;
}

/* ---- filters ---- */

static const char *const band_values[] = {NULL, "red", "amber", "green"};
static const char *const status_values[] = {"new,open", "new", "open", "closed", "all"};
static const char *const follow_values[] = {"any", "due", "overdue"};
static const char *const follow_labels[] = {"any", "due (today or before)", "overdue"};
#define N(a) (sizeof(a) / sizeof((a)[0]))
_Static_assert(N(status_values) == 2 + STATUS_COUNT,
               "status filter: live, each status of codes.h, all");
_Static_assert(N(band_values) == 1 + BAND_RED + 1, "band filter: any, then each band of score.h");
_Static_assert(N(follow_values) == N(follow_labels), "follow-up filter: a label per value");

static bool save_filters(form *f, void *vctx)
{
    (void)f;
    (void)vctx;
    return true;
}

int tuiform_filters(tui *t, browse_filter *flt)
{
    form f;
    form_init(&f, "Filters");
    snprintf(f.context, sizeof f.context, "Show only the referrals that match every choice.");
    int status = 0;
    for (int i = 0; i < (int)N(status_values); i++) {
        unsigned bits = 0;
        browse_statuses_parse(status_values[i], &bits);
        if (bits == flt->statuses) status = i;
    }
    const char *status_labels[] = {"live (new and open)", codes_label(CODES_STATUS, STATUS_NEW),
                                   codes_label(CODES_STATUS, STATUS_OPEN),
                                   codes_label(CODES_STATUS, STATUS_CLOSED), "all (closed too)"};
    _Static_assert(N(status_labels) == N(status_values), "status filter: a label per value");
    form_choice(&f, "status", "Status", status_values, status_labels, N(status_values), status,
                false);
    int band = flt->band == BAND_RED     ? 1
               : flt->band == BAND_AMBER ? 2
               : flt->band == BAND_GREEN ? 3
                                         : 0;
    const char *band_labels[] = {"any", codes_band_label(BAND_RED), codes_band_label(BAND_AMBER),
                                 codes_band_label(BAND_GREEN)};
    _Static_assert(N(band_labels) == N(band_values), "band filter: a label per value");
    form_choice(&f, "band", "Band", band_values, band_labels, N(band_values), band, false);
    tuiform_officer_field(t, &f, flt->officer, false);
    int fu = flt->follow_up == BROWSE_FOLLOW_DUE       ? 1
             : flt->follow_up == BROWSE_FOLLOW_OVERDUE ? 2
                                                       : 0;
    form_choice(&f, "follow_up", "Follow-up", follow_values, follow_labels, N(follow_values), fu,
                false);
    bool saved = form_run(t, &f, save_filters, NULL);
    if (saved) {
        if (browse_statuses_parse(form_value(form_find(&f, "status")), &flt->statuses) < 0)
            flt->statuses = BROWSE_LIVE;
        const char *b = form_value(form_find(&f, "band"));
        flt->band = *b ? score_band_find(b) : -1;
        const char *o = form_value(form_find(&f, "officer"));
        while (*o == ' ')
            o++;
        snprintf(flt->officer, sizeof flt->officer, "%s", o);
        size_t n = strlen(flt->officer);
        while (n && flt->officer[n - 1] == ' ')
            flt->officer[--n] = '\0';
        const char *fv = form_value(form_find(&f, "follow_up"));
        flt->follow_up = strcmp(fv, "due") == 0       ? BROWSE_FOLLOW_DUE
                         : strcmp(fv, "overdue") == 0 ? BROWSE_FOLLOW_OVERDUE
                                                      : BROWSE_FOLLOW_ANY;
        char desc[200];
        browse_filter_describe(flt, desc, sizeof desc);
        tui_status(t, "Filter: %s", *desc ? desc : "none");
    }
    form_free(&f);
    return saved ? TUI_RELOAD | TUI_REDRAW : TUI_REDRAW;
}
