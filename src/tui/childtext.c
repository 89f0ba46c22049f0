/* childtext.c: a child, a band and the events of a timeline as text view lines (childtext.h). */
#include "childtext.h"
#include "caseload/buf.h"
#include "caseload/cal.h"
#include "caseload/exitcode.h"
#include "caseload/retention.h"
#include "caseload/syncstore.h"
#include "tui.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *tui_label(codes_list l, const char *code)
{
    return code && code[0] ? codes_label_of(l, code) : "unknown";
}

const char *tui_plural(long n)
{
    return n == 1 ? "" : "s";
}

void tui_year_text(const char *dob, date_t as_of, char *out, size_t n)
{
    date_t d;
    char t[CAL_YEAR_TEXT];
    cal_year_text(date_parse(dob, strlen(dob), &d) ? cal_year_group(d, as_of) : CAL_YEAR_UNKNOWN,
                  CAL_YEAR_LONG, t);
    snprintf(out, n, "%s", t);
}

const char *tui_band_name(score_band_t b, int *pair)
{
    if (pair)
        *pair = b == BAND_RED ? TUI_PAIR_RED : b == BAND_AMBER ? TUI_PAIR_AMBER : TUI_PAIR_GREEN;
    return codes_band_label(b);
}

#define add(tv, ...) textview_addf((tv), __VA_ARGS__)

const char *tui_conflict_mark(tui *t, const char *table, int64_t row_id, const char *fields)
{
    for (const char *p = fields; *p;) {
        size_t len = strcspn(p, " ");
        char field[40];
        snprintf(field, sizeof field, "%.*s", (int)len, p);
        bool open = false;
        if (syncstore_conflict_open_field(t->db, table, row_id, strcmp(field, "-") ? field : NULL,
                                          &open) == EXIT_OK &&
            open)
            return "  ! open conflict";
        p += len;
        p += strspn(p, " ");
    }
    return "";
}

void tui_add_child_details(tui *t, textview *tv, const browse_child *c, date_t as_of,
                           const char *more_flags, const char *more_mark)
{
    char yg[48];
    tui_year_text(c->dob, as_of, yg, sizeof yg);
#define MARK(fields) tui_conflict_mark(t, "children", c->id, fields)
    add(tv, TUI_PAIR_TITLE, true, "Child%s", MARK("-"));
    add(tv, 0, false, "  Name          %s %s%s", c->first_name, c->last_name,
        MARK("first_name last_name"));
    add(tv, 0, false, "  UPN           %s%s%s%s", c->upn[0] ? c->upn : "(none)",
        c->la_child_id[0] ? "    LA child id " : "", c->la_child_id, MARK("upn la_child_id"));
    add(tv, 0, false, "  Date of birth %s    %s    gender %s%s", c->dob, yg,
        tui_label(CODES_GENDER, c->gender), MARK("dob gender"));
    add(tv, 0, false, "  School        %s%s%s%s%s", c->school[0] ? c->school : "(none)",
        c->school_urn[0] ? " (URN " : "", c->school_urn, c->school_urn[0] ? ")" : "",
        MARK("school_id"));
    add(tv, 0, false, "  Care status   %s%s", tui_label(CODES_CARE_STATUS, c->care_status),
        MARK("care_status"));
    date_t ended = 0;
    bool has = c->social_work_ended[0] &&
               date_parse(c->social_work_ended, strlen(c->social_work_ended), &ended);
    retention_cohort_t co = retention_cohort(has, ended, as_of);
    add(tv, 0, false, "  Cohort        %s%s%s%s", codes_cohort_label(co, false),
        has ? "    social work ended " : "", has ? c->social_work_ended : "",
        MARK("social_work_ended"));
    add(tv, 0, false, "  SEN           %s%s%s%s", tui_label(CODES_SEN, c->sen),
        c->sen_need[0] ? ", primary need " : "", c->sen_need, MARK("sen sen_need"));
    char flags[200] = "";
    if (c->youth_justice) snprintf(flags, sizeof flags, "known to youth justice");
    if (more_flags && more_flags[0]) {
        size_t l = strlen(flags);
        snprintf(flags + l, sizeof flags - l, "%s%s", l ? "; " : "", more_flags);
    }
    const char *mark = MARK("youth_justice");
    add(tv, 0, false, "  Flags         %s%s", flags[0] ? flags : "none",
        *mark       ? mark
        : more_mark ? more_mark
                    : "");
#undef MARK
}

/* "  DATE  " then text, wrapped under itself. */
static void event_line(textview *tv, int pair, bool bold, const char *date, const char *ref,
                       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void event_line(textview *tv, int pair, bool bold, const char *date, const char *ref,
                       const char *fmt, ...)
{
    char prefix[32];
    buf text = BUF_INIT; /* whole, however long: the textview wraps it */
    if (ref && ref[0]) buf_printf(&text, "%s: ", ref);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&text, fmt, ap);
    va_end(ap);
    snprintf(prefix, sizeof prefix, "  %s  ", date);
    textview_add(tv, pair, bold, prefix, buf_str(&text));
    buf_free(&text);
}

/* Under a corrected entry: the correction, and for an amendment what the entry was, its kind
 * (words w) or outcome (codes l) as a label: "amended 2022-03-01 by SK: typo; was Call of
 * 2021-12-05 by AB: note". */
static void correction_line(textview *tv, const browse_event *e, int w, int l)
{
    if (!e->correction[0]) return;
    const char *was = !e->was_code[0] ? ""
                      : w >= 0        ? codes_word_label_of((codes_words)w, e->was_code)
                                      : codes_label_of((codes_list)l, e->was_code);
    event_line(tv, TUI_PAIR_DIM, false, "          ", NULL, "  %s%s%s%s%s", e->correction,
               was[0] ? "; was " : "", was, was[0] && e->was[0] ? " " : "", was[0] ? e->was : "");
}

const char *tui_event_mark(tui *t, const browse_event *e)
{
    const char *table = e->kind == BROWSE_EV_ACTION       ? "actions"
                        : e->kind == BROWSE_EV_OUTCOME    ? "outcomes"
                        : e->kind == BROWSE_EV_EXCLUSION  ? "exclusions"
                        : e->kind == BROWSE_EV_ATTENDANCE ? "attendance"
                        : e->kind == BROWSE_EV_EPISODE    ? "episodes"
                                                          : NULL;
    int64_t n = 0;
    if (!table || syncstore_conflict_open_count(t->db, table, e->id, &n) != EXIT_OK) return "";
    return n > 0 ? "  ! open conflict" : "";
}

void tui_add_event(textview *tv, const browse_event *e, bool with_ref, const char *mark)
{
    const char *ref = with_ref ? e->ref : NULL;
    switch (e->kind) {
    case BROWSE_EV_RECEIVED:
        event_line(tv, 0, false, e->date, ref, "referral received from %s",
                   tui_label(CODES_SOURCE, e->code));
        break;
    case BROWSE_EV_CLOSED: event_line(tv, 0, false, e->date, ref, "referral closed"); break;
    case BROWSE_EV_REOPENED:
        event_line(tv, 0, true, e->date, ref, "referral reopened%s%s%s%s%s",
                   e->officer[0] ? " by " : "", e->officer, e->extra[0] ? " (closed on " : "",
                   e->extra, e->extra[0] ? ")" : "");
        if (e->text[0]) event_line(tv, 0, false, "          ", NULL, "  why: %s", e->text);
        break;
    /* A corrected entry: its current version, withdrawn ones marked and dim, and the correction
     * under it (migration 0015). */
    case BROWSE_EV_ACTION:
        event_line(tv, e->withdrawn ? TUI_PAIR_DIM : 0, false, e->date, ref,
                   "%saction %s%s%s%s: %s%s%s%s", e->withdrawn ? "WITHDRAWN " : "",
                   codes_word_label_of(CODES_W_ACTION_KIND, e->code), e->officer[0] ? " (" : "",
                   e->officer, e->officer[0] ? ")" : "", e->text,
                   /* NBSP: the date stays with its label */
                   e->extra[0] ? "   follow-up\xc2\xa0" : "", e->extra, mark);
        correction_line(tv, e, CODES_W_ACTION_KIND, -1);
        break;
    case BROWSE_EV_OUTCOME:
        event_line(tv, e->withdrawn ? TUI_PAIR_DIM : 0, !e->withdrawn, e->date, ref,
                   "%soutcome: %s%s%s%s", e->withdrawn ? "WITHDRAWN " : "",
                   tui_label(CODES_OUTCOME, e->code), e->text[0] ? ": " : "", e->text, mark);
        correction_line(tv, e, -1, CODES_OUTCOME);
        break;
    case BROWSE_EV_EXCLUSION:
        event_line(tv, TUI_PAIR_AMBER, false, e->date, ref, "%s %s%s%s%s",
                   tui_label(CODES_EXCLUSION_CATEGORY, e->code), e->text,
                   e->extra[0] ? ", reason: " : "",
                   e->extra[0] ? tui_label(CODES_EXCLUSION_REASON, e->extra) : "", mark);
        break;
    case BROWSE_EV_ATTENDANCE:
        event_line(tv, 0, false, e->date, ref, "attendance %s (%s)%s", e->text, e->extra, mark);
        break;
    case BROWSE_EV_EPISODE:
        event_line(tv, 0, false, e->date, ref, "episode: %s %s%s%s%s",
                   tui_label(CODES_EPISODE_KIND, e->code), e->extra, e->text[0] ? ", " : "",
                   e->text, mark);
        break;
    }
}
