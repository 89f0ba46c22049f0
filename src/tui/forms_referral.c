/* forms_referral.c: the new-referral flow of the full-screen app (`n`, forms.h): find the child
 * by name, UPN or date of birth as you type, or enter a new one after seeing likely duplicates,
 * then the referral; the child and the referral are saved together (src/app/record.c). */
#include "forms.h"
#include "forms_internal.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/date.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/record.h"
#include "caseload/upn.h"
#include "form.h"
#include "lineedit.h"
#include "tui.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC 27

/* ---- finding the child ---- */

#define FIND_MAX 40

/* The child search as it stands: the query typed, the children found, the row chosen. */
typedef struct {
    lineedit *q;
    browse_child found[FIND_MAX];
    int nfound, sel; /* sel == nfound: "+ New child" */
    bool stale;      /* the query changed: search again */
    bool confirm;    /* asking "leave the new referral?" */
    char error[300];
} child_search;

enum { FIND_GO_ON, FIND_TAKE, FIND_CANCEL };

static void search_refresh(tui *t, child_search *cs)
{
    int rows = LINES - 9;
    if (rows > FIND_MAX) rows = FIND_MAX;
    if (rows < 1) rows = 1;
    int rc = browse_child_search(t->db, lineedit_text(cs->q), cs->found, rows, &cs->nfound);
    if (rc) {
        cs->nfound = 0;
        snprintf(cs->error, sizeof cs->error, "Cannot search: %s", store_error(t->db));
    } else {
        cs->error[0] = '\0';
    }
    if (cs->sel > cs->nfound) cs->sel = cs->nfound;
    cs->stale = false;
}

/* The rows found under their headings, and "+ New child" last. */
static void search_draw_rows(tui *t, const child_search *cs)
{
    attron(tui_attr(t, TUI_PAIR_DIM));
    tui_text(stdscr, 4, 2, 30, "Child");
    tui_text(stdscr, 4, 33, 11, "Born");
    tui_text(stdscr, 4, 45, 14, "UPN / LA id");
    tui_text(stdscr, 4, 60, COLS - 61, "School");
    attroff(tui_attr(t, TUI_PAIR_DIM));
    for (int i = 0; i <= cs->nfound; i++) {
        int y = 5 + i;
        if (y >= LINES - 3) break;
        attr_t ra = i == cs->sel ? tui_attr(t, TUI_PAIR_SELECTED) : A_NORMAL;
        attron(ra);
        mvhline(y, 0, ' ', COLS);
        mvaddstr(y, 0, i == cs->sel ? ">" : " ");
        if (i == cs->nfound) {
            tui_text(stdscr, y, 2, COLS - 3, "+ New child (not in this list)");
        } else {
            const browse_child *c = &cs->found[i];
            char name[200];
            snprintf(name, sizeof name, "%s, %s", c->last_name, c->first_name);
            tui_text(stdscr, y, 2, 30, name);
            tui_text(stdscr, y, 33, 11, c->dob);
            tui_text(stdscr, y, 45, 14, c->upn[0] ? c->upn : c->la_child_id);
            tui_text(stdscr, y, 60, COLS - 61, c->school);
        }
        attroff(ra);
    }
}

/* Draws the search; returns the cursor's column in the query (-1 when not shown). */
static int search_draw(tui *t, const child_search *cs)
{
    attr_t a = tui_attr(t, TUI_PAIR_TITLE);
    attron(a);
    mvhline(0, 0, ' ', COLS);
    tui_text(stdscr, 0, 1, COLS - 2, "New referral: find the child");
    attroff(a);
    mvaddstr(2, 1, "Name, UPN or date of birth:");
    int fx = 30, fw = COLS - fx - 3;
    mvaddch(2, fx - 1, '[');
    size_t start, len;
    int col = lineedit_view(cs->q, fw, &start, &len);
    char shown[512];
    snprintf(shown, sizeof shown, "%.*s", (int)len, lineedit_text(cs->q) + start);
    tui_text(stdscr, 2, fx, fw, shown);
    mvaddch(2, fx + fw, ']');
    search_draw_rows(t, cs);
    if (cs->confirm) {
        attron(tui_attr(t, TUI_PAIR_ERROR));
        mvhline(LINES - 3, 0, ' ', COLS);
        tui_text(stdscr, LINES - 3, 1, COLS - 2, "Leave the new referral? (y/n)");
        attroff(tui_attr(t, TUI_PAIR_ERROR));
    } else if (*cs->error) {
        attron(tui_attr(t, TUI_PAIR_ERROR));
        tui_text(stdscr, LINES - 3, 1, COLS - 2, cs->error);
        attroff(tui_attr(t, TUI_PAIR_ERROR));
    }
    attron(tui_attr(t, TUI_PAIR_STATUS));
    mvhline(LINES - 2, 0, ' ', COLS);
    tui_text(stdscr, LINES - 2, 1, COLS - 2,
             "Type to search  Up/Down choose  Enter take  Esc cancel");
    attroff(tui_attr(t, TUI_PAIR_STATUS));
    return fx + col;
}

/* A function key in the search: moves, Enter, editing the query. */
static int search_fkey(child_search *cs, int ch)
{
    lineedit *q = cs->q;
    switch (ch) {
    case KEY_UP: cs->sel = cs->sel > 0 ? cs->sel - 1 : 0; break;
    case KEY_DOWN: cs->sel = cs->sel < cs->nfound ? cs->sel + 1 : cs->nfound; break;
    case KEY_ENTER: return FIND_TAKE;
    case KEY_LEFT: lineedit_do(q, LE_LEFT); break;
    case KEY_RIGHT: lineedit_do(q, LE_RIGHT); break;
    case KEY_HOME: lineedit_do(q, LE_HOME); break;
    case KEY_END: lineedit_do(q, LE_END); break;
    case KEY_BACKSPACE: cs->stale = lineedit_do(q, LE_BACKSPACE); break;
    case KEY_DC: cs->stale = lineedit_do(q, LE_DELETE); break;
    default: break;
    }
    if (cs->stale) cs->sel = 0;
    return FIND_GO_ON;
}

/* A key (or a paste) in the search. */
static int search_key(child_search *cs, int ch, bool is_key, const char *paste)
{
    if (is_key && ch == TUI_KEY_PASTE) { /* into the search, newlines as spaces */
        if (!cs->confirm) {
            lineedit_paste(cs->q, paste, strlen(paste));
            cs->stale = true; /* search again, as after a typed key */
            cs->sel = 0;
        }
        return FIND_GO_ON;
    }
    if (cs->confirm) {
        cs->confirm = false;
        return !is_key && (ch == 'y' || ch == 'Y') ? FIND_CANCEL : FIND_GO_ON;
    }
    if (is_key) return search_fkey(cs, ch);
    if (ch == KEY_ESC) {
        if (!*lineedit_text(cs->q)) return FIND_CANCEL;
        cs->confirm = true;
        return FIND_GO_ON;
    }
    if (ch == '\n' || ch == '\r') return FIND_TAKE;
    if (ch == '\t') {
        cs->sel = cs->sel < cs->nfound ? cs->sel + 1 : 0;
        return FIND_GO_ON;
    }
    if (ch < 0x20 || ch == 0x7f) {
        int op = lineedit_control_op(ch);
        if (op >= 0) cs->stale = lineedit_do(cs->q, (lineedit_op)op) && op >= LE_BACKSPACE;
    } else {
        cs->stale = lineedit_insert(cs->q, (uint32_t)ch);
    }
    if (cs->stale) cs->sel = 0;
    return FIND_GO_ON;
}

/* The child search of the new-referral flow. Returns the chosen child's id, 0 for "new child",
 * -1 when cancelled. The typed query stays in q. */
static int64_t find_child(tui *t, lineedit *q)
{
    child_search cs = {.q = q, .stale = true};
    for (;;) {
        if (cs.stale) search_refresh(t, &cs);
        erase();
        int cur_x = -1;
        if (tui_too_small())
            tui_draw_too_small();
        else
            cur_x = search_draw(t, &cs);
        if (cur_x >= 0 && !cs.confirm) {
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
        int r = search_key(&cs, ch, is_key, paste);
        if (r == FIND_CANCEL) return -1;
        if (r == FIND_TAKE) {
            curs_set(0);
            return cs.sel < cs.nfound ? cs.found[cs.sel].id : 0;
        }
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
        tuiform_show_problem(f, rc, &p);
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
    char why[FIELD_WHY];
    if (field_date(query, qn, FIELD_DMY, &d, why)) {
        date_format(d, dob);
    } else if (upn_shaped(query)) { /* as the finder read it: a UPN */
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

/* Whether the referral may be saved for child cx->child_id with primary issue `issue`: yes when
 * the child has no live referral (new or open) of that issue, or the officer says so when asked;
 * else the form says which referral it duplicates. */
static bool duplicate_confirmed(form *f, referral_ctx *cx, const char *issue)
{
    tui *t = cx->t;
    browse_row live;
    bool found = false;
    int rc = browse_child_live_issue(t->db, cx->child_id, issue, &t->cfg->scoring, t->as_of, &live,
                                     &found);
    if (rc) {
        record_problem p = {0};
        snprintf(p.message, sizeof p.message, "%s", store_error(t->db));
        tuiform_show_problem(f, rc, &p);
        return false;
    }
    if (!found) return true;
    char q[160];
    snprintf(q, sizeof q, "%s (received %s) is open for this issue. Save another?", live.ref,
             live.received);
    if (form_confirm(t, q)) return true;
    char msg[300];
    snprintf(msg, sizeof msg,
             "Not saved: %s (received %s) is this child's open referral for this issue; add to "
             "it, or change the issue",
             live.ref, live.received);
    form_set_error(f, "issue", msg);
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
    /* A second live referral of the child for the same issue is most likely a duplicate (the
     * same case referred twice): saved only when the officer says so. */
    if (cx->child_id && r.issue[0] && !duplicate_confirmed(f, cx, r.issue)) return false;
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
        tuiform_show_problem(f, rc, &p);
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
    tuiform_officer_field(t, f, tuiform_default_officer(), true);
    form_note(f, "summary", "Summary", 1000, NULL, false);
}

/* The new-referral flow as it stands: the query, the child's form (a new child), the referral's
 * form, the child chosen. */
typedef struct {
    tui *t;
    lineedit q;
    form child_form, ref_form;
    bool have_child_form, have_ref_form;
    int64_t child_id; /* the child chosen, 0 for a new one */
    browse_child child;
    referral_ctx rcx;
    int result;
} new_referral;

enum { STEP_FIND, STEP_CHILD, STEP_REFERRAL, STEP_DONE };

static void drop_ref_form(new_referral *nr)
{
    if (!nr->have_ref_form) return;
    form_free(&nr->ref_form);
    nr->have_ref_form = false;
}

/* Reads the child chosen; false (the status line says why) when it cannot be read. */
static bool read_child(new_referral *nr, int64_t id)
{
    nr->child_id = id;
    if (browse_child_get(nr->t->db, id, &nr->child) == EXIT_OK) return true;
    tui_status_error(nr->t, "Cannot read the child: %s", store_error(nr->t->db));
    return false;
}

/* Find the child: one found goes to the referral, "new child" to the child's form. */
static int step_find(new_referral *nr)
{
    int64_t id = find_child(nr->t, &nr->q);
    if (id < 0) return STEP_DONE;
    nr->child_id = id;
    drop_ref_form(nr);
    if (id > 0) return read_child(nr, id) ? STEP_REFERRAL : STEP_DONE;
    if (!nr->have_child_form) build_child_form(&nr->child_form, lineedit_text(&nr->q));
    nr->have_child_form = true;
    return STEP_CHILD;
}

/* The new child's form; Esc goes back to the search, a likely duplicate taken instead is read. */
static int step_child(new_referral *nr)
{
    child_ctx cx = {.t = nr->t};
    if (!form_run(nr->t, &nr->child_form, save_child, &cx)) return STEP_FIND;
    if (cx.chosen) {
        if (!read_child(nr, cx.chosen)) return STEP_DONE;
        drop_ref_form(nr);
    }
    return STEP_REFERRAL;
}

/* The referral's form, saved with the new child if there is one. */
static int step_referral(new_referral *nr)
{
    tui *t = nr->t;
    referral_ctx *rcx = &nr->rcx;
    form *child_form = &nr->child_form;
    if (!nr->have_ref_form) {
        const char *care =
            nr->child_id ? nr->child.care_status : form_value(form_find(child_form, "care_status"));
        const char *sen = nr->child_id ? nr->child.sen : form_value(form_find(child_form, "sen"));
        build_referral_form(t, &nr->ref_form, nr->child_id ? &nr->child : NULL, child_form, care,
                            sen, rcx->default_ref, sizeof rcx->default_ref);
        nr->have_ref_form = true;
    }
    rcx->child_id = nr->child_id;
    rcx->child_form = nr->child_id ? NULL : child_form;
    rcx->child_error = false;
    if (!form_run(t, &nr->ref_form, save_referral, rcx)) {
        /* The referral form asked before discarding what was typed in it; ask too for a new
         * child typed in before, unless it already asked. */
        if (!nr->child_id && !form_dirty(&nr->ref_form) && form_dirty(child_form) &&
            !form_confirm(t, "Discard the new child's details?"))
            return STEP_REFERRAL;
        return STEP_DONE;
    }
    if (rcx->child_error) {
        char msg[400];
        form_field *fl = form_find(child_form, rcx->problem.field);
        snprintf(msg, sizeof msg, "%s: %s", fl ? fl->label : rcx->problem.field,
                 rcx->problem.message);
        form_set_error(child_form, rcx->problem.field, msg);
        return STEP_CHILD;
    }
    t->selected = rcx->referral_id;
    tui_status(t, "Saved: referral %s", rcx->ref);
    nr->result = TUI_RELOAD | TUI_REDRAW;
    return STEP_DONE;
}

/* The flow from finding the child, or, for_child > 0, from the referral form for that child. */
static int new_referral_flow(tui *t, int64_t for_child)
{
    new_referral nr = {.t = t, .rcx = {.t = t}, .result = TUI_REDRAW};
    lineedit_init(&nr.q, 120);
    int step = STEP_FIND;
    if (for_child > 0) step = read_child(&nr, for_child) ? STEP_REFERRAL : STEP_DONE;
    while (step != STEP_DONE) {
        if (step == STEP_FIND)
            step = step_find(&nr);
        else if (step == STEP_CHILD)
            step = step_child(&nr);
        else
            step = step_referral(&nr);
    }
    if (nr.have_child_form) form_free(&nr.child_form);
    drop_ref_form(&nr);
    lineedit_free(&nr.q);
    return nr.result;
}

int tuiform_new_referral(tui *t)
{
    return new_referral_flow(t, 0);
}

int tuiform_new_referral_for(tui *t, int64_t child_id)
{
    return new_referral_flow(t, child_id);
}
