/* forms_facts.c: the forms for the facts the vulnerability matrix scores (SPEC section 3), opened
 * from the referral screen for the referral's child (and from the child view): `x` a suspension or
 * permanent exclusion, `t` an attendance record, `P` an episode opened or ended, `E` the child's
 * care status, SEN, school, youth justice flag and social_work_ended. Each saves through
 * src/app/record.c (one transaction, audited, the child's score recomputed for the date shown) and
 * keeps everything typed when saving fails; `E` stops a save that would overwrite a field another
 * program changed since the form opened, as `e` does. */
#include "forms.h"
#include "forms_internal.h"

#include "caseload/browse.h"
#include "caseload/codes.h"
#include "caseload/date.h"
#include "caseload/edit.h"
#include "caseload/exitcode.h"
#include "caseload/record.h"
#include "form.h"
#include "tui.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Child child_id into *c, and the form's context line into out: "Child: Lily Williams (LA0012),
 * born 2005-01-09". False when there is none (the status line says why). */
static bool child_context(tui *t, int64_t child_id, browse_child *c, char *out, size_t n)
{
    int rc = child_id ? browse_child_get(t->db, child_id, c) : EXIT_FOUND;
    if (rc == EXIT_FOUND) {
        tui_status_error(t, child_id ? "That child no longer exists" : "No child selected");
        return false;
    }
    if (rc) {
        tui_status_store(t, rc, "reading the child");
        return false;
    }
    snprintf(out, n, "Child: %s %s (%s), born %s", c->first_name, c->last_name,
             c->upn[0] ? c->upn : c->la_child_id, c->dob);
    return true;
}

/* ---- the school picker ---- */

/* The known schools as a lookup field lists them: "URN Name" (or the name alone, or the URN
 * alone), one string each, and their ids. */
typedef struct {
    browse_school *schools;
    char **values;
    int n;
} school_list;

static void schools_free(school_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->values[i]);
    free(l->values);
    free(l->schools);
    memset(l, 0, sizeof *l);
}

static bool schools_load(tui *t, school_list *l)
{
    memset(l, 0, sizeof *l);
    int cap = 256, n = 0;
    bool more = true;
    while (more) {
        free(l->schools);
        cap *= 2;
        l->schools = calloc((size_t)cap, sizeof *l->schools);
        if (!l->schools) abort(); /* out of memory: nothing sensible follows */
        int rc = browse_schools(t->db, "", l->schools, cap, &n, &more);
        if (rc) {
            schools_free(l);
            tui_status_store(t, rc, "reading the schools");
            return false;
        }
    }
    l->values = calloc((size_t)n + 1, sizeof *l->values);
    if (!l->values) abort();
    for (int i = 0; i < n; i++) {
        const browse_school *s = &l->schools[i];
        size_t len = strlen(s->urn) + strlen(s->name) + 2;
        l->values[i] = malloc(len);
        if (!l->values[i]) abort();
        snprintf(l->values[i], len, "%s%s%s", s->urn, *s->urn && *s->name ? " " : "", s->name);
    }
    l->n = n;
    return true;
}

/* The lookup's text for school id (0: ""). */
static const char *school_value(const school_list *l, int64_t id)
{
    for (int i = 0; i < l->n; i++)
        if (l->schools[i].id == id) return l->values[i];
    return "";
}

/* The id of the school the form's field names, 0 for none (empty); -1, with the error shown in
 * the form, for a value that names no school (the lookup takes only known ones). */
static int64_t school_id_of(form *f, const school_list *l)
{
    const char *value = form_value(form_find(f, "school"));
    if (!*value) return 0;
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->values[i], value) == 0) return l->schools[i].id;
    form_set_error(f, "school", "School: not a known school (type to pick one from the list)");
    return -1;
}

static form_field *school_field(form *f, const school_list *l, const char *label, int64_t initial)
{
    return form_lookup(f, "school", label, 200, school_value(l, initial), false,
                       (const char *const *)l->values, NULL, l->n, "school", NULL);
}

/* ---- x: a suspension or permanent exclusion ---- */

typedef struct {
    tui *t;
    int64_t child_id;
    const school_list *schools;
    browse_child opened; /* E: the child as the form opened */
} fact_ctx;

/* The DfE reason codes with their labels, "PP  Physical assault against a pupil", for the
 * list. */
static const char *reason_values[EXCL_REASON_COUNT + 1];
static const char *reason_labels[EXCL_REASON_COUNT + 1];
static char reason_text[EXCL_REASON_COUNT][120];

static void reasons_init(void)
{
    reason_values[0] = NULL;
    reason_labels[0] = "(not known)";
    for (int i = 0; i < EXCL_REASON_COUNT; i++) {
        snprintf(reason_text[i], sizeof reason_text[i], "%-3s %s",
                 codes_code(CODES_EXCLUSION_REASON, (size_t)i),
                 codes_label(CODES_EXCLUSION_REASON, (size_t)i));
        reason_values[i + 1] = codes_code(CODES_EXCLUSION_REASON, (size_t)i);
        reason_labels[i + 1] = reason_text[i];
    }
}

static bool save_exclusion(form *f, void *vctx)
{
    fact_ctx *cx = vctx;
    int64_t school = school_id_of(f, cx->schools);
    if (school < 0) return false;
    record_exclusion x = {
        .start = form_value(form_find(f, "start")),
        .category = form_value(form_find(f, "category")),
        .days = form_value(form_find(f, "days")),
        .reason = form_value(form_find(f, "reason")),
        .school_id = school,
    };
    record_problem p;
    int rc = record_exclusion_add(cx->t->db, cx->t->cfg, cx->t->as_of, cx->child_id, &x, NULL, &p);
    if (rc) tuiform_show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

int tuiform_exclusion(tui *t, int64_t child_id)
{
    browse_child c;
    form f;
    form_init(&f, "Add a suspension or permanent exclusion");
    if (!child_context(t, child_id, &c, f.context, sizeof f.context)) return TUI_REDRAW;
    school_list schools;
    if (!schools_load(t, &schools)) return TUI_REDRAW;
    reasons_init();
    char today[11];
    date_format(t->as_of, today);
    form_codes(&f, CODES_EXCLUSION_CATEGORY, "Kind", "suspension", NULL, true);
    form_date(&f, "start", "First day", today, true);
    form_text(&f, "days", "Days (e.g. 2.5)", 8, NULL, false);
    form_choice(&f, "reason", "Reason (DfE)", reason_values, reason_labels, EXCL_REASON_COUNT + 1,
                0, false);
    school_field(&f, &schools, "School", c.school_id);
    fact_ctx cx = {.t = t, .child_id = c.id, .schools = &schools};
    bool saved = form_run(t, &f, save_exclusion, &cx);
    char kind[40];
    snprintf(kind, sizeof kind, "%s",
             codes_label_of(CODES_EXCLUSION_CATEGORY, form_value(form_find(&f, "category"))));
    form_free(&f);
    schools_free(&schools);
    if (!saved) return TUI_REDRAW;
    tui_status(t, "Saved: %s of %s %s", kind, c.first_name, c.last_name);
    return TUI_RELOAD | TUI_REDRAW;
}

/* ---- t: an attendance record ---- */

static bool save_attendance(form *f, void *vctx)
{
    fact_ctx *cx = vctx;
    record_attendance a = {
        .from = form_value(form_find(f, "from")),
        .to = form_value(form_find(f, "to")),
        .possible_sessions = form_value(form_find(f, "possible_sessions")),
        .attended_sessions = form_value(form_find(f, "attended_sessions")),
    };
    record_problem p;
    int rc = record_attendance_add(cx->t->db, cx->t->cfg, cx->t->as_of, cx->child_id, &a, NULL, &p);
    if (rc) tuiform_show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

int tuiform_attendance(tui *t, int64_t child_id)
{
    browse_child c;
    form f;
    form_init(&f, "Add an attendance record");
    if (!child_context(t, child_id, &c, f.context, sizeof f.context)) return TUI_REDRAW;
    char today[11];
    date_format(t->as_of, today);
    form_date(&f, "from", "From", NULL, true);
    form_date(&f, "to", "To", today, true);
    form_text(&f, "possible_sessions", "Possible sessions", 5, NULL, true);
    form_text(&f, "attended_sessions", "Attended sessions", 5, NULL, true);
    fact_ctx cx = {.t = t, .child_id = c.id};
    bool saved = form_run(t, &f, save_attendance, &cx);
    form_free(&f);
    if (!saved) return TUI_REDRAW;
    tui_status(t, "Saved: attendance record of %s %s", c.first_name, c.last_name);
    return TUI_RELOAD | TUI_REDRAW;
}

/* ---- P: an episode opened or ended ---- */

static const char *const county_values[] = {NULL, "yes", "no"};
static const char *const county_labels[] = {"(not known)", "yes", "no"};

static bool save_episode_open(form *f, void *vctx)
{
    fact_ctx *cx = vctx;
    const char *county = form_value(form_find(f, "in_county"));
    record_episode e = {
        .kind = form_value(form_find(f, "kind")),
        .start = form_value(form_find(f, "start")),
        .hours_per_week = form_value(form_find(f, "hours_per_week")),
        .in_county = !*county ? -1 : strcmp(county, "yes") == 0,
    };
    record_problem p;
    int rc = record_episode_open(cx->t->db, cx->t->cfg, cx->t->as_of, cx->child_id, &e, NULL, &p);
    if (rc) tuiform_show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

typedef struct {
    tui *t;
    int64_t child_id;
    int64_t episode_id;
} end_ctx;

static bool save_episode_end(form *f, void *vctx)
{
    end_ctx *cx = vctx;
    record_problem p;
    int rc = record_episode_end(cx->t->db, cx->t->cfg, cx->t->as_of, cx->child_id, cx->episode_id,
                                form_value(form_find(f, "end")), &p);
    if (rc) tuiform_show_problem(f, rc, &p);
    return rc == EXIT_OK;
}

enum { MAX_OPEN = 16 };

/* With episodes open (n of them): which to end (its index), n to open another, -1 for Esc. */
static int pick_episode(tui *t, const char *context, const edit_episode *open, int n)
{
    if (n == 0) return 0;
    char text[MAX_OPEN + 1][160];
    const char *lines[MAX_OPEN + 1];
    for (int i = 0; i < n; i++) {
        snprintf(text[i], sizeof text[i], "End: %s, open since %s",
                 codes_label_of(CODES_EPISODE_KIND, open[i].kind), open[i].start);
        lines[i] = text[i];
    }
    snprintf(text[n], sizeof text[n], "Open a new episode");
    lines[n] = text[n];
    return form_pick(t, "Episodes: open or end one", context, lines, n + 1, 0);
}

/* The form that ends episode e; true when saved. what says what was saved. */
static bool end_episode(tui *t, const browse_child *c, const edit_episode *e, char *what, size_t n)
{
    char today[11];
    date_format(t->as_of, today);
    form f;
    form_init(&f, "End an episode");
    snprintf(f.context, sizeof f.context, "%s %s: %s since %s", c->first_name, c->last_name,
             codes_label_of(CODES_EPISODE_KIND, e->kind), e->start);
    form_date(&f, "end", "Ended on", today, true);
    end_ctx cx = {t, c->id, e->id};
    bool saved = form_run(t, &f, save_episode_end, &cx);
    form_free(&f);
    snprintf(what, n, "%s ended", codes_label_of(CODES_EPISODE_KIND, e->kind));
    return saved;
}

/* The form that opens an episode; true when saved. */
static bool open_episode(tui *t, const browse_child *c, const char *context, char *what, size_t n)
{
    char today[11];
    date_format(t->as_of, today);
    form f;
    form_init(&f, "Open an episode");
    snprintf(f.context, sizeof f.context, "%s", context);
    form_codes(&f, CODES_EPISODE_KIND, "Kind", NULL, NULL, true);
    form_date(&f, "start", "Start", today, true);
    form_text(&f, "hours_per_week", "Hours a week", 6, NULL, false);
    form_choice(&f, "in_county", "In county", county_values, county_labels, 3, 0, false);
    fact_ctx cx = {.t = t, .child_id = c->id};
    bool saved = form_run(t, &f, save_episode_open, &cx);
    snprintf(what, n, "%s opened",
             codes_label_of(CODES_EPISODE_KIND, form_value(form_find(&f, "kind"))));
    form_free(&f);
    return saved;
}

int tuiform_episode(tui *t, int64_t child_id)
{
    browse_child c;
    char context[256];
    if (!child_context(t, child_id, &c, context, sizeof context)) return TUI_REDRAW;
    edit_episode open[MAX_OPEN];
    int n = 0;
    int rc = edit_episodes_open(t->db, c.id, open, MAX_OPEN, &n);
    if (rc) {
        return tui_status_store(t, rc, "reading the episodes");
    }
    /* With episodes open: end one of them, or open another. */
    int pick = pick_episode(t, context, open, n);
    if (pick < 0) return TUI_REDRAW;
    char what[80];
    bool saved = pick < n ? end_episode(t, &c, &open[pick], what, sizeof what)
                          : open_episode(t, &c, context, what, sizeof what);
    if (!saved) return TUI_REDRAW;
    tui_status(t, "Saved: %s for %s %s", what, c.first_name, c.last_name);
    return TUI_RELOAD | TUI_REDRAW;
}

/* ---- E: the child ---- */

/* After a conflict: the form stands on the child as it is now. */
static void reopen_child(void *vctx)
{
    fact_ctx *cx = vctx;
    browse_child now;
    if (browse_child_get(cx->t->db, cx->child_id, &now) == EXIT_OK) cx->opened = now;
}

static bool save_child_edit(form *f, void *vctx)
{
    fact_ctx *cx = vctx;
    int64_t school = school_id_of(f, cx->schools);
    if (school < 0) return false;
    record_child_change ch = {
        .care_status = form_value(form_find(f, "care_status")),
        .sen = form_value(form_find(f, "sen")),
        .sen_need = form_value(form_find(f, "sen_need")),
        .school_id = school,
        .youth_justice = form_find(f, "youth_justice")->yes ? 1 : 0,
        .social_work_ended = form_value(form_find(f, "social_work_ended")),
        .opened = &cx->opened,
    };
    record_problem p;
    int rc = record_child_edit(cx->t->db, cx->t->cfg, cx->t->as_of, cx->child_id, &ch, &p);
    return tuiform_save_done(f, rc, &p, reopen_child, cx);
}

int tuiform_child_edit(tui *t, int64_t child_id)
{
    fact_ctx cx = {.t = t};
    form f;
    form_init(&f, "Edit the child");
    if (!child_context(t, child_id, &cx.opened, f.context, sizeof f.context)) return TUI_REDRAW;
    school_list schools;
    if (!schools_load(t, &schools)) return TUI_REDRAW;
    const browse_child *c = &cx.opened;
    form_codes(&f, CODES_CARE_STATUS, "Care status", c->care_status, NULL, true);
    form_codes(&f, CODES_SEN, "SEN status", c->sen, NULL, true);
    form_codes(&f, CODES_SEN_NEED, "SEN need", c->sen_need, "(none)", false);
    school_field(&f, &schools, "School", c->school_id);
    form_yesno(&f, "youth_justice", "Youth justice", c->youth_justice);
    form_date(&f, "social_work_ended", "Social work ended", c->social_work_ended, false);
    cx.child_id = c->id;
    cx.schools = &schools;
    char name[200];
    snprintf(name, sizeof name, "%s %s", c->first_name, c->last_name);
    bool saved = form_run(t, &f, save_child_edit, &cx);
    bool changed = saved && form_dirty(&f);
    form_free(&f);
    schools_free(&schools);
    if (!saved) return TUI_REDRAW;
    tui_status(t, changed ? "Saved: %s" : "Nothing changed for %s", name);
    return TUI_RELOAD | TUI_REDRAW;
}
