/* forms_correct.c: the corrections of one referral's record (forms.h; SPEC section 8): amend or
 * withdraw one of its actions and outcomes (picked from a list), reopen it once closed; each asks
 * why, and both versions are kept. */
#include "forms.h"
#include "forms_internal.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/record.h"
#include "form.h"
#include "tui.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ENTRIES = 60 };

/* Picks one of the referral's current actions and outcomes (newest first) into *e; false when
 * there is none or the user went back. */
static bool pick_entry(tui *t, int64_t referral_id, const char *title, const char *context,
                       browse_entry *e)
{
    browse_entry *all = calloc(MAX_ENTRIES, sizeof *all);
    if (!all) abort(); /* out of memory: nothing sensible follows */
    int n = 0;
    int rc = browse_entries(t->db, referral_id, all, MAX_ENTRIES, &n);
    bool ok = false;
    if (rc) {
        tui_status_store(t, rc, "reading the actions and outcomes");
    } else if (n == 0) {
        tui_status(t, "No action or outcome to correct");
    } else {
        static char text[MAX_ENTRIES][2200]; /* an entry whole: form_pick wraps it */
        const char *lines[MAX_ENTRIES];
        for (int i = 0; i < n; i++) {
            const browse_entry *x = &all[i];
            if (x->outcome)
                snprintf(text[i], sizeof text[i], "%s  outcome: %s%s%s", x->date,
                         codes_label_of(CODES_OUTCOME, x->code), x->note[0] ? ": " : "", x->note);
            else
                snprintf(text[i], sizeof text[i], "%s  action %s%s%s%s%s%s", x->date,
                         codes_word_label_of(CODES_W_ACTION_KIND, x->code),
                         x->officer[0] ? " (" : "", x->officer, x->officer[0] ? ")" : "",
                         x->note[0] ? ": " : "", x->note);
            lines[i] = text[i];
        }
        int k = form_pick(t, title, context, lines, n, 0);
        if (k >= 0) {
            *e = all[k];
            ok = true;
        }
    }
    free(all);
    return ok;
}

typedef struct {
    tui *t;
    int64_t referral_id;
    browse_entry entry;
    bool changed;
    bool reopened; /* W: the closing outcome withdrawn, the referral reopened */
} correct_ctx;

static bool save_amend(form *f, void *vctx)
{
    correct_ctx *cx = vctx;
    record_problem p;
    int64_t id = 0;
    int rc;
    const char *reason = form_value(form_find(f, "reason"));
    if (cx->entry.outcome) {
        rc = record_outcome_amend(
            cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id, cx->entry.id,
            form_value(form_find(f, "outcome")), form_value(form_find(f, "date")),
            form_value(form_find(f, "note")), tuiform_default_officer(), reason, &id, &p);
    } else {
        record_action a = {
            .date = form_value(form_find(f, "date")),
            .officer = form_value(form_find(f, "officer")),
            .kind = form_value(form_find(f, "kind")),
            .note = form_value(form_find(f, "note")),
            .follow_up = form_value(form_find(f, "follow_up")),
        };
        rc = record_action_amend(cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id, cx->entry.id,
                                 &a, tuiform_default_officer(), reason, &id, &p);
    }
    if (rc) tuiform_show_problem(f, rc, &p);
    cx->changed = id != 0;
    return rc == EXIT_OK;
}

/* The referral's context line and the entry to correct, picked under title; false when there is
 * none or the user went back. */
static bool start_correction(tui *t, int64_t referral_id, const char *title, browse_detail *d,
                             char context[256], correct_ctx *cx)
{
    if (!tuiform_referral_context(t, referral_id, d, context, 256)) return false;
    *cx = (correct_ctx){.t = t, .referral_id = referral_id};
    return pick_entry(t, referral_id, title, context, &cx->entry);
}

int tuiform_amend(tui *t, int64_t referral_id)
{
    browse_detail d;
    char context[256];
    correct_ctx cx;
    if (!start_correction(t, referral_id, "Amend: which action or outcome?", &d, context, &cx))
        return TUI_REDRAW;
    /* The whole note and follow-up, not the list's cut copy. */
    edit_entry e;
    int rc = edit_entry_get(t->db, cx.entry.outcome, cx.entry.id, &e);
    if (rc) {
        return tui_status_store(t, rc, "reading the entry");
    }
    form f;
    form_init(&f, cx.entry.outcome ? "Amend the outcome" : "Amend the action");
    snprintf(f.context, sizeof f.context, "%.150s. Both versions are kept.", context);
    if (cx.entry.outcome) {
        form_codes(&f, CODES_OUTCOME, "Outcome", e.code, NULL, true);
        form_date(&f, "date", "Date", e.date, true);
        form_note(&f, "note", "Note", 1000, e.note, false);
    } else {
        tuiform_action_kind_field(&f, e.code);
        form_date(&f, "date", "Date", e.date, true);
        tuiform_officer_field(t, &f, e.officer, true);
        form_note(&f, "note", "Note", 1000, e.note, false);
        form_date(&f, "follow_up", "Follow up on", e.follow_up, false);
    }
    form_text(&f, "reason", "Why amended", 300, NULL, false);
    bool saved = form_run(t, &f, save_amend, &cx);
    form_free(&f);
    if (!saved) return TUI_REDRAW;
    if (!cx.changed) {
        tui_status(t, "Nothing changed in %s", d.row.ref);
        return TUI_REDRAW;
    }
    tui_status(t, "Saved: %s amended on %s", cx.entry.outcome ? "outcome" : "action", d.row.ref);
    return TUI_RELOAD | TUI_REDRAW;
}

static bool save_withdraw(form *f, void *vctx)
{
    correct_ctx *cx = vctx;
    record_problem p;
    int rc = record_withdraw(cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id,
                             cx->entry.outcome, cx->entry.id, tuiform_default_officer(),
                             form_value(form_find(f, "reason")), &cx->reopened, &p);
    if (rc) tuiform_show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

int tuiform_withdraw(tui *t, int64_t referral_id)
{
    browse_detail d;
    char context[256];
    correct_ctx cx;
    if (!start_correction(t, referral_id, "Withdraw: which action or outcome?", &d, context, &cx))
        return TUI_REDRAW;
    form f;
    form_init(&f, cx.entry.outcome ? "Withdraw the outcome" : "Withdraw the action");
    if (cx.entry.outcome)
        snprintf(f.context, sizeof f.context,
                 "Outcome %s of %s: kept, marked withdrawn, no "
                 "longer counted. Enter withdraws it.",
                 codes_label_of(CODES_OUTCOME, cx.entry.code), cx.entry.date);
    else
        snprintf(f.context, sizeof f.context,
                 "Action %s of %s: kept, marked withdrawn; its "
                 "follow-up is no longer pending. Enter withdraws it.",
                 codes_word_label_of(CODES_W_ACTION_KIND, cx.entry.code), cx.entry.date);
    form_text(&f, "reason", "Why withdrawn", 300, NULL, false);
    bool saved = form_run(t, &f, save_withdraw, &cx);
    form_free(&f);
    if (!saved) return TUI_REDRAW;
    if (cx.reopened)
        tui_status(t, "Saved: outcome withdrawn on %s, its closing outcome: reopened", d.row.ref);
    else
        tui_status(t, "Saved: %s withdrawn on %s", cx.entry.outcome ? "outcome" : "action",
                   d.row.ref);
    return TUI_RELOAD | TUI_REDRAW;
}

static bool save_reopen(form *f, void *vctx)
{
    tuiform_ctx *cx = vctx;
    record_problem p;
    int rc = record_reopen(cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id,
                           tuiform_default_officer(), form_value(form_find(f, "reason")), &p);
    if (rc) tuiform_show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

int tuiform_reopen(tui *t, int64_t referral_id)
{
    browse_detail d;
    form f;
    form_init(&f, "Reopen the referral");
    if (!tuiform_referral_context(t, referral_id, &d, f.context, sizeof f.context))
        return TUI_REDRAW;
    if (strcmp(d.row.status, "closed") != 0) {
        tui_status_error(t, "%s is not closed", d.row.ref);
        return TUI_REDRAW;
    }
    form_text(&f, "reason", "Why reopened", 300, NULL, false);
    tuiform_ctx cx = {t, referral_id};
    bool saved = form_run(t, &f, save_reopen, &cx);
    form_free(&f);
    if (!saved) return TUI_REDRAW;
    tui_status(t, "Saved: %s reopened", d.row.ref);
    return TUI_RELOAD | TUI_REDRAW;
}
