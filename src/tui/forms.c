/* forms.c: the modal forms of the full-screen app (forms.h): the new-referral flow (find the
 * child, or enter a new one after seeing likely duplicates, then the referral), add an action,
 * record an outcome, close, edit, and the filters. Each form is built with form.h, saves through
 * src/app/record.c (one transaction per change) and keeps everything typed when saving fails. */
#include "forms.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/date.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/record.h"
#include "form.h"
#include "lineedit.h"
#include "tui.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC 27

static const char *default_officer(void)
{
    const char *o = getenv("CASELOAD_OFFICER");
    return o ? o : "";
}

/* Shows a failed save in the form: on the field at fault, or as a database message. */
static void show_problem(form *f, int rc, const record_problem *p)
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

/* "Referral R-2024-00001: Ada Lovelace" for the context line; false when there is no such
 * referral (the status line then says why). */
static bool referral_context(tui *t, int64_t referral_id, browse_detail *d, char *out, size_t n)
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
             codes_label_of(CODES_ISSUE, d->row.issue), d->row.status);
    return true;
}

/* ---- finding the child ---- */

#define FIND_MAX 40

/* The child search of the new-referral flow. Returns the chosen child's id, 0 for "new child",
 * -1 when cancelled. The typed query stays in q. */
static int64_t find_child(tui *t, lineedit *q)
{
    browse_child found[FIND_MAX];
    int nfound = 0, sel = 0;
    bool stale = true, confirm = false;
    char error[300] = "";
    for (;;) {
        if (stale) {
            int rows = LINES - 9;
            if (rows > FIND_MAX) rows = FIND_MAX;
            if (rows < 1) rows = 1;
            int rc = browse_child_search(t->db, lineedit_text(q), found, rows, &nfound);
            if (rc) {
                nfound = 0;
                snprintf(error, sizeof error, "Cannot search: %s", store_error(t->db));
            } else {
                error[0] = '\0';
            }
            if (sel > nfound) sel = nfound;
            stale = false;
        }
        erase();
        int cur_x = -1;
        if (tui_too_small()) {
            tui_draw_too_small();
        } else {
            attr_t a = tui_attr(t, TUI_PAIR_TITLE);
            attron(a);
            mvhline(0, 0, ' ', COLS);
            tui_text(stdscr, 0, 1, COLS - 2, "New referral: find the child");
            attroff(a);
            mvaddstr(2, 1, "Name, UPN or date of birth:");
            int fx = 30, fw = COLS - fx - 3;
            mvaddch(2, fx - 1, '[');
            size_t start, len;
            int col = lineedit_view(q, fw, &start, &len);
            char shown[512];
            snprintf(shown, sizeof shown, "%.*s", (int)len, lineedit_text(q) + start);
            tui_text(stdscr, 2, fx, fw, shown);
            mvaddch(2, fx + fw, ']');
            cur_x = fx + col;
            attron(tui_attr(t, TUI_PAIR_DIM));
            tui_text(stdscr, 4, 2, 30, "Child");
            tui_text(stdscr, 4, 33, 11, "Born");
            tui_text(stdscr, 4, 45, 14, "UPN / LA id");
            tui_text(stdscr, 4, 60, COLS - 61, "School");
            attroff(tui_attr(t, TUI_PAIR_DIM));
            for (int i = 0; i <= nfound; i++) {
                int y = 5 + i;
                if (y >= LINES - 3) break;
                attr_t ra = i == sel ? tui_attr(t, TUI_PAIR_SELECTED) : A_NORMAL;
                attron(ra);
                mvhline(y, 0, ' ', COLS);
                mvaddstr(y, 0, i == sel ? ">" : " ");
                if (i == nfound) {
                    tui_text(stdscr, y, 2, COLS - 3, "+ New child (not in this list)");
                } else {
                    char name[200];
                    snprintf(name, sizeof name, "%s, %s", found[i].last_name, found[i].first_name);
                    tui_text(stdscr, y, 2, 30, name);
                    tui_text(stdscr, y, 33, 11, found[i].dob);
                    tui_text(stdscr, y, 45, 14,
                             found[i].upn[0] ? found[i].upn : found[i].la_child_id);
                    tui_text(stdscr, y, 60, COLS - 61, found[i].school);
                }
                attroff(ra);
            }
            if (confirm) {
                attron(tui_attr(t, TUI_PAIR_ERROR));
                mvhline(LINES - 3, 0, ' ', COLS);
                tui_text(stdscr, LINES - 3, 1, COLS - 2, "Leave the new referral? (y/n)");
                attroff(tui_attr(t, TUI_PAIR_ERROR));
            } else if (*error) {
                attron(tui_attr(t, TUI_PAIR_ERROR));
                tui_text(stdscr, LINES - 3, 1, COLS - 2, error);
                attroff(tui_attr(t, TUI_PAIR_ERROR));
            }
            attron(tui_attr(t, TUI_PAIR_STATUS));
            mvhline(LINES - 2, 0, ' ', COLS);
            tui_text(stdscr, LINES - 2, 1, COLS - 2,
                     "Type to search  Up/Down choose  Enter take  Esc cancel");
            attroff(tui_attr(t, TUI_PAIR_STATUS));
        }
        if (cur_x >= 0 && !confirm) {
            curs_set(1);
            move(2, cur_x);
        } else {
            curs_set(0);
        }
        refresh();
        bool is_key;
        char paste[512];
        int ch = form_read_key_paste(&is_key, paste, sizeof paste);
        if (ch == ERR && !is_key) continue;
        if (is_key && ch == TUI_KEY_PASTE) { /* into the search, newlines as spaces */
            if (!confirm) {
                lineedit_paste(q, paste, strlen(paste));
                sel = 0;
            }
            continue;
        }
        if (confirm) {
            confirm = false;
            if (!is_key && (ch == 'y' || ch == 'Y')) return -1;
            continue;
        }
        if (is_key) {
            switch (ch) {
            case KEY_UP: sel = sel > 0 ? sel - 1 : 0; break;
            case KEY_DOWN: sel = sel < nfound ? sel + 1 : nfound; break;
            case KEY_ENTER: goto take;
            case KEY_LEFT: lineedit_do(q, LE_LEFT); break;
            case KEY_RIGHT: lineedit_do(q, LE_RIGHT); break;
            case KEY_HOME: lineedit_do(q, LE_HOME); break;
            case KEY_END: lineedit_do(q, LE_END); break;
            case KEY_BACKSPACE: stale = lineedit_do(q, LE_BACKSPACE); break;
            case KEY_DC: stale = lineedit_do(q, LE_DELETE); break;
            default: break;
            }
            if (stale) sel = 0;
            continue;
        }
        if (ch == KEY_ESC) {
            if (!*lineedit_text(q)) return -1;
            confirm = true;
            continue;
        }
        if (ch == '\n' || ch == '\r') goto take;
        if (ch == '\t') {
            sel = sel < nfound ? sel + 1 : 0;
            continue;
        }
        if (ch < 0x20 || ch == 0x7f) {
            int op = lineedit_control_op(ch);
            if (op >= 0) stale = lineedit_do(q, (lineedit_op)op) && op >= LE_BACKSPACE;
        } else {
            stale = lineedit_insert(q, (uint32_t)ch);
        }
        if (stale) sel = 0;
        continue;
    take:
        curs_set(0);
        return sel < nfound ? found[sel].id : 0;
    }
}

/* ---- the new child ---- */

typedef struct {
    tui *t;
    int64_t chosen; /* a likely duplicate the user took instead, else 0 */
} child_ctx;

static record_child child_of(form *f)
{
    record_child c = {
        .upn = form_value(form_find(f, "upn")),
        .la_child_id = form_value(form_find(f, "la_child_id")),
        .first_name = form_value(form_find(f, "first_name")),
        .last_name = form_value(form_find(f, "last_name")),
        .dob = form_value(form_find(f, "dob")),
        .gender = form_value(form_find(f, "gender")),
        .school_urn = form_value(form_find(f, "school_urn")),
        .school_name = form_value(form_find(f, "school_name")),
        .care_status = form_value(form_find(f, "care_status")),
        .sen = form_value(form_find(f, "sen")),
        .sen_need = form_value(form_find(f, "sen_need")),
        .youth_justice = form_find(f, "youth_justice")->yes,
    };
    return c;
}

/* Saving the child form: checks the child, then offers the likely duplicates. */
static bool save_child(form *f, void *vctx)
{
    child_ctx *cx = vctx;
    tui *t = cx->t;
    cx->chosen = 0;
    record_child c = child_of(f);
    record_problem p;
    int rc = record_child_check(t->db, t->as_of, &c, &p);
    if (rc) {
        show_problem(f, rc, &p);
        return false;
    }
    browse_child dup[8];
    int n = 0;
    rc = browse_child_duplicates(t->db, c.first_name, c.last_name, c.dob, dup, 8, &n);
    if (rc) {
        char msg[400];
        snprintf(msg, sizeof msg, "Cannot look for duplicates: %s", store_error(t->db));
        form_set_error(f, NULL, msg);
        return false;
    }
    if (n == 0) return true;
    char lines[9][480];
    const char *ptrs[9];
    for (int i = 0; i < n; i++) {
        snprintf(lines[i], sizeof lines[i], "Use %s %s, born %s, %s%s%s", dup[i].first_name,
                 dup[i].last_name, dup[i].dob, dup[i].upn[0] ? dup[i].upn : dup[i].la_child_id,
                 dup[i].school[0] ? ", " : "", dup[i].school);
        ptrs[i] = lines[i];
    }
    snprintf(lines[n], sizeof lines[n], "None of these: create a new child");
    ptrs[n] = lines[n];
    int k = form_pick(t, "New referral: likely duplicates",
                      "Same date of birth and a similar name. Use one of them instead?", ptrs,
                      n + 1, 0);
    if (k < 0) return false; /* back to the form, nothing lost */
    if (k < n) cx->chosen = dup[k].id;
    return true;
}

/* Fills the new child's form, guessing from what was searched. */
static void build_child_form(form *f, const char *query)
{
    char first[80] = "", last[80] = "", dob[11] = "", upn[14] = "";
    date_t d;
    size_t qn = strlen(query);
    if (date_parse(query, qn, &d)) {
        snprintf(dob, sizeof dob, "%s", query);
    } else if (qn == 13 &&
               strspn(query, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") ==
                   13) {
        for (int i = 0; i < 13; i++)
            upn[i] = (char)(query[i] >= 'a' && query[i] <= 'z' ? query[i] - 'a' + 'A' : query[i]);
    } else {
        const char *sp = strchr(query, ' ');
        if (sp) {
            snprintf(first, sizeof first, "%.*s", (int)(sp - query), query);
            while (*sp == ' ')
                sp++;
            snprintf(last, sizeof last, "%s", sp);
        } else {
            snprintf(last, sizeof last, "%s", query);
        }
    }
    form_init(f, "New referral: a new child");
    snprintf(f->context, sizeof f->context,
             "The child is not recorded yet. A UPN or an LA child id is needed.");
    form_text(f, "first_name", "First name", 79, first, true);
    form_text(f, "last_name", "Last name", 79, last, true);
    form_date(f, "dob", "Date of birth", dob, true);
    form_codes(f, CODES_GENDER, "Gender", NULL, "(not known)", false);
    form_upn(f, "upn", "UPN", upn);
    form_text(f, "la_child_id", "LA child id", 39, NULL, false);
    form_text(f, "school_urn", "School URN", 15, NULL, false);
    form_text(f, "school_name", "School name", 150, NULL, false);
    form_codes(f, CODES_CARE_STATUS, "Care status", NULL, NULL, true);
    form_codes(f, CODES_SEN, "SEN status", NULL, NULL, true);
    form_codes(f, CODES_SEN_NEED, "SEN need", NULL, "(none)", false);
    form_yesno(f, "youth_justice", "Youth justice", false);
}

/* ---- the referral ---- */

typedef struct {
    tui *t;
    int64_t child_id;     /* the child, or 0 for the new one */
    form *child_form;     /* the new child's form when child_id is 0 */
    char default_ref[40]; /* the generated ref the form was opened with */
    int64_t referral_id;
    char ref[64];
    bool child_error; /* the save failed on a field of the child: go back to that form */
    record_problem problem;
} referral_ctx;

static bool is_child_field(const char *field)
{
    static const char *const names[] = {"upn",      "la_child_id", "first_name", "last_name",
                                        "dob",      "gender",      "school_urn", "school_name",
                                        "sen_need", "child",       NULL};
    for (int i = 0; names[i]; i++)
        if (strcmp(field, names[i]) == 0) return true;
    return false;
}

static bool save_referral(form *f, void *vctx)
{
    referral_ctx *cx = vctx;
    tui *t = cx->t;
    const char *ref = form_value(form_find(f, "ref"));
    record_referral r = {
        /* The generated ref is taken again when saving, for the year received. */
        .ref = strcmp(ref, cx->default_ref) == 0 ? "" : ref,
        .received = form_value(form_find(f, "received")),
        .source = form_value(form_find(f, "source")),
        .issue = form_value(form_find(f, "issue")),
        .other_issues = form_value(form_find(f, "other_issues")),
        .pex_risk = form_find(f, "pex_risk")->yes,
        .care_status = form_value(form_find(f, "care_status")),
        .sen = form_value(form_find(f, "sen")),
        .officer = form_value(form_find(f, "officer")),
        .summary = form_value(form_find(f, "summary")),
    };
    record_child c;
    if (!cx->child_id) c = child_of(cx->child_form);
    record_problem p;
    int64_t rid = 0, cid = 0;
    int rc = record_referral_create(t->db, t->cfg, t->as_of, cx->child_id, cx->child_id ? NULL : &c,
                                    &r, &rid, &cid, &p);
    if (rc == EXIT_DATA && !cx->child_id && is_child_field(p.field)) {
        cx->child_error = true;
        cx->problem = p;
        return true;
    }
    if (rc) {
        show_problem(f, rc, &p);
        return false;
    }
    cx->referral_id = rid;
    browse_detail d;
    if (browse_referral(t->db, rid, &t->cfg->scoring, t->as_of, &d) == EXIT_OK)
        snprintf(cx->ref, sizeof cx->ref, "%s", d.row.ref);
    return true;
}

static void build_referral_form(tui *t, form *f, const browse_child *child, form *child_form,
                                const char *care, const char *sen, char *default_ref, size_t n)
{
    form_init(f, "New referral");
    if (child)
        snprintf(f->context, sizeof f->context, "Child: %s %s, born %s%s%s", child->first_name,
                 child->last_name, child->dob, child->upn[0] ? ", UPN " : "", child->upn);
    else
        snprintf(f->context, sizeof f->context, "Child (new): %s %s, born %s",
                 form_value(form_find(child_form, "first_name")),
                 form_value(form_find(child_form, "last_name")),
                 form_value(form_find(child_form, "dob")));
    default_ref[0] = '\0';
    if (record_next_ref(t->db, t->as_of, default_ref, n) != EXIT_OK) default_ref[0] = '\0';
    char today[11];
    date_format(t->as_of, today);
    const char *issue =
        t->filter.issue >= 0 ? codes_code(CODES_ISSUE, (size_t)t->filter.issue) : NULL;
    form_text(f, "ref", "Ref", 40, default_ref, true);
    form_date(f, "received", "Received", today, true);
    form_codes(f, CODES_SOURCE, "Source", NULL, NULL, true);
    form_codes(f, CODES_ISSUE, "Issue", issue, NULL, true);
    form_multi(f, CODES_ISSUE, "other_issues", "Other issues", NULL);
    form_yesno(f, "pex_risk", "Risk of perm. excl.", false);
    form_codes(f, CODES_CARE_STATUS, "Care status", care, NULL, true);
    form_codes(f, CODES_SEN, "SEN status", sen, NULL, true);
    form_text(f, "officer", "Officer (initials)", 15, default_officer(), false);
    form_text_lines(form_text(f, "summary", "Summary", 1000, NULL, false));
}

int tuiform_new_referral(tui *t)
{
    lineedit q;
    lineedit_init(&q, 120);
    form child_form, ref_form;
    bool have_child_form = false, have_ref_form = false;
    int64_t child_id = 0;
    int result = TUI_REDRAW;
    browse_child child;
    referral_ctx rcx = {.t = t};
    enum { FIND, CHILD, REFERRAL, DONE } step = FIND;
    while (step != DONE) {
        if (step == FIND) {
            int64_t id = find_child(t, &q);
            if (id < 0) break;
            child_id = id;
            if (have_ref_form) {
                form_free(&ref_form);
                have_ref_form = false;
            }
            if (id > 0) {
                if (browse_child_get(t->db, id, &child) != EXIT_OK) {
                    tui_status_error(t, "Cannot read the child: %s", store_error(t->db));
                    break;
                }
                step = REFERRAL;
            } else {
                if (!have_child_form) build_child_form(&child_form, lineedit_text(&q));
                have_child_form = true;
                step = CHILD;
            }
        } else if (step == CHILD) {
            child_ctx cx = {.t = t};
            if (!form_run(t, &child_form, save_child, &cx)) {
                step = FIND;
                continue;
            }
            if (cx.chosen) {
                child_id = cx.chosen;
                if (browse_child_get(t->db, child_id, &child) != EXIT_OK) {
                    tui_status_error(t, "Cannot read the child: %s", store_error(t->db));
                    break;
                }
                if (have_ref_form) {
                    form_free(&ref_form);
                    have_ref_form = false;
                }
            }
            step = REFERRAL;
        } else {
            if (!have_ref_form) {
                const char *care = child_id ? child.care_status
                                            : form_value(form_find(&child_form, "care_status"));
                const char *sen = child_id ? child.sen : form_value(form_find(&child_form, "sen"));
                build_referral_form(t, &ref_form, child_id ? &child : NULL, &child_form, care, sen,
                                    rcx.default_ref, sizeof rcx.default_ref);
                have_ref_form = true;
            }
            rcx.child_id = child_id;
            rcx.child_form = child_id ? NULL : &child_form;
            rcx.child_error = false;
            if (!form_run(t, &ref_form, save_referral, &rcx)) {
                /* The referral form asked before discarding what was typed in it; ask too for
                 * a new child typed in before, unless it already asked. */
                if (!child_id && !form_dirty(&ref_form) && form_dirty(&child_form) &&
                    !form_confirm(t, "Discard the new child's details?"))
                    continue;
                break;
            }
            if (rcx.child_error) {
                char msg[400];
                form_field *fl = form_find(&child_form, rcx.problem.field);
                snprintf(msg, sizeof msg, "%s: %s", fl ? fl->label : rcx.problem.field,
                         rcx.problem.message);
                form_set_error(&child_form, rcx.problem.field, msg);
                step = CHILD;
                continue;
            }
            t->selected = rcx.referral_id;
            tui_status(t, "Saved: referral %s", rcx.ref);
            result = TUI_RELOAD | TUI_REDRAW;
            step = DONE;
        }
    }
    if (have_child_form) form_free(&child_form);
    if (have_ref_form) form_free(&ref_form);
    lineedit_free(&q);
    return result;
}

/* ---- action, outcome, close, edit ---- */

typedef struct {
    tui *t;
    int64_t referral_id;
} one_ctx;

static const char *const action_kinds[] = {"call",  "email",  "meeting",
                                           "visit", "advice", "challenge"};
static const char *const action_labels[] = {"Call",  "Email",  "Meeting",
                                            "Visit", "Advice", "Challenge"};

static bool save_action(form *f, void *vctx)
{
    one_ctx *cx = vctx;
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
    if (rc) show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

int tuiform_add_action(tui *t, int64_t referral_id)
{
    browse_detail d;
    form f;
    form_init(&f, "Add an action");
    if (!referral_context(t, referral_id, &d, f.context, sizeof f.context)) return TUI_REDRAW;
    if (strcmp(d.row.status, "closed") == 0 &&
        !form_confirm(t, "This referral is closed. Add an action to it anyway? (y/n)"))
        return TUI_REDRAW;
    char today[11];
    date_format(t->as_of, today);
    form_choice(&f, "kind", "Kind", action_kinds, action_labels, 6, -1, true);
    form_date(&f, "date", "Date", today, true);
    form_text(&f, "officer", "Officer (initials)", 15, default_officer(), false);
    form_text_lines(form_text(&f, "note", "Note", 1000, NULL, false));
    form_date(&f, "follow_up", "Follow up on", NULL, false);
    /* A later action may do what the pending follow-ups asked. */
    browse_follow_up pending[1];
    int npending = 0;
    if (browse_follow_ups_pending(t->db, referral_id, pending, 1, &npending) == EXIT_OK &&
        npending > 0)
        form_yesno(&f, "done_pending", "Follow-ups done", false);
    one_ctx cx = {t, referral_id};
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
    if (!referral_context(t, referral_id, &d, context, sizeof context)) return TUI_REDRAW;
    enum { MAX_PENDING = 40 };
    browse_follow_up fu[MAX_PENDING];
    int n = 0;
    int rc = browse_follow_ups_pending(t->db, referral_id, fu, MAX_PENDING, &n);
    if (rc) {
        tui_status_store(t, rc, "reading the follow-ups");
        return TUI_REDRAW;
    }
    if (n == 0) {
        tui_status(t, "No pending follow-up on %s", d.row.ref);
        return TUI_REDRAW;
    }
    char text[MAX_PENDING][300];
    const char *lines[MAX_PENDING];
    for (int i = 0; i < n; i++) {
        snprintf(text[i], sizeof text[i], "%s  %s of %s%s%s", fu[i].follow_up, fu[i].kind,
                 fu[i].date, fu[i].note[0] ? ": " : "", fu[i].note);
        lines[i] = text[i];
    }
    int pick = form_pick(t, "Mark a follow-up done", context, lines, n, 0);
    if (pick < 0) return TUI_REDRAW;
    record_problem p;
    rc = record_follow_up_done(t->db, t->cfg, t->as_of, referral_id, fu[pick].action_id, "",
                               default_officer(), &p);
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
    one_ctx *cx = vctx;
    record_problem p;
    int rc = record_outcome_add(
        cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id, form_value(form_find(f, "outcome")),
        form_value(form_find(f, "date")), form_value(form_find(f, "note")), NULL, &p);
    if (rc) show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

static bool save_close(form *f, void *vctx)
{
    one_ctx *cx = vctx;
    record_problem p;
    int rc = record_close(cx->t->db, cx->t->cfg, cx->t->as_of, cx->referral_id,
                          form_value(form_find(f, "outcome")), form_value(form_find(f, "date")),
                          form_value(form_find(f, "note")), &p);
    if (rc) show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

/* The outcome form, for `o` (closing false) and `c` (closing true). */
static int outcome_form(tui *t, int64_t referral_id, bool closing)
{
    browse_detail d;
    form f;
    form_init(&f, closing ? "Close the referral: its outcome" : "Record an outcome");
    if (!referral_context(t, referral_id, &d, f.context, sizeof f.context)) return TUI_REDRAW;
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
    form_text_lines(form_text(&f, "note", "Note", 1000, NULL, false));
    one_ctx cx = {t, referral_id};
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
    if (rc == EXIT_DATA && p.conflict) {
        /* Show both values and ask: the next Enter saves the user's value over the one now
         * shown (the form then stands on the row as it is now). */
        form_field *fl = form_find(f, p.field);
        char msg[400];
        snprintf(msg, sizeof msg, "%s %s. Enter saves yours over it, Esc leaves it.",
                 fl ? fl->label : p.field, p.message);
        form_set_error(f, p.field, msg);
        edit_referral now;
        if (edit_referral_get(cx->t->db, cx->referral_id, &now) == EXIT_OK) cx->opened = now;
        return false;
    }
    if (rc) show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

int tuiform_edit(tui *t, int64_t referral_id)
{
    browse_detail d;
    form f;
    form_init(&f, "Edit the referral");
    if (!referral_context(t, referral_id, &d, f.context, sizeof f.context)) return TUI_REDRAW;
    form_codes(&f, CODES_STATUS, "Status", d.row.status, NULL, true);
    form_text(&f, "officer", "Officer (initials)", 15, d.row.officer, false);
    form_codes(&f, CODES_ISSUE, "Issue", d.row.issue, NULL, true);
    form_yesno(&f, "pex_risk", "Risk of perm. excl.", d.pex_risk);
    edit_ctx cx = {t, referral_id, {0}};
    int rc = edit_referral_get(t->db, referral_id, &cx.opened);
    if (rc) {
        form_free(&f);
        tui_status_store(t, rc, "reading the referral");
        return TUI_REDRAW;
    }
    bool saved = form_run(t, &f, save_edit, &cx);
    bool changed = saved && form_dirty(&f);
    form_free(&f);
    if (!saved) return TUI_REDRAW;
    tui_status(t, changed ? "Saved: %s" : "Nothing changed in %s", d.row.ref);
    return TUI_RELOAD | TUI_REDRAW;
}

/* ---- filters ---- */

static const char *const band_values[] = {NULL, "red", "amber", "green"};
static const char *const band_labels[] = {"any", "red", "amber", "green"};
static const char *const status_values[] = {"new,open", "new", "open", "closed", "all"};
static const char *const status_labels[] = {"live (new and open)", "new", "open", "closed",
                                            "all (closed too)"};
static const char *const follow_values[] = {"any", "due", "overdue"};
static const char *const follow_labels[] = {"any", "due (today or before)", "overdue"};

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
    for (int i = 0; i < 5; i++) {
        unsigned bits = 0;
        browse_statuses_parse(status_values[i], &bits);
        if (bits == flt->statuses) status = i;
    }
    form_choice(&f, "status", "Status", status_values, status_labels, 5, status, false);
    int band = flt->band == BAND_RED     ? 1
               : flt->band == BAND_AMBER ? 2
               : flt->band == BAND_GREEN ? 3
                                         : 0;
    form_choice(&f, "band", "Band", band_values, band_labels, 4, band, false);
    form_text(&f, "officer", "Officer (initials)", sizeof flt->officer - 1, flt->officer, false);
    int fu = flt->follow_up == BROWSE_FOLLOW_DUE       ? 1
             : flt->follow_up == BROWSE_FOLLOW_OVERDUE ? 2
                                                       : 0;
    form_choice(&f, "follow_up", "Follow-up", follow_values, follow_labels, 3, fu, false);
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
