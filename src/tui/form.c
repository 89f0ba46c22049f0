/* form.c: the form widget of the full-screen app (form.h): fields, their keys, live checks of
 * dates and UPNs, the lists to pick codes from; the keys typed into text fields and notes, and
 * pasted text, are form_text.c; the lookups (a text field with a list that narrows as you type)
 * are form_lookup.c; a note in $EDITOR is form_editor.c; drawing, the key loop and the
 * whole-screen pick list and question are form_screen.c. */
#include "form.h"
#include "form_internal.h"

#include "caseload/buf.h"
#include "caseload/date.h"
#include "caseload/field.h"
#include "caseload/text.h"
#include "caseload/upn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC 27

void form_init(form *f, const char *title)
{
    memset(f, 0, sizeof *f);
    snprintf(f->title, sizeof f->title, "%s", title);
    f->error_field = -1;
}

void form_free(form *f)
{
    for (int i = 0; i < f->nfields; i++) {
        form_field *fl = &f->fields[i];
        lineedit_free(&fl->edit);
        if (fl->lk_folded)
            for (int k = 0; k < fl->lk_n; k++)
                free(fl->lk_folded[k]);
        free(fl->lk_folded);
        free(fl->lk_match);
    }
    f->nfields = 0;
}

form_field *form_add_field(form *f, form_kind kind, const char *name, const char *label,
                           bool required)
{
    if (f->nfields >= FORM_MAX_FIELDS) abort(); /* a programming error */
    form_field *fl = &f->fields[f->nfields++];
    memset(fl, 0, sizeof *fl);
    fl->kind = kind;
    fl->name = name;
    fl->label = label;
    fl->required = required;
    fl->choice = -1;
    return fl;
}

form_field *form_text(form *f, const char *name, const char *label, size_t max, const char *initial,
                      bool required)
{
    form_field *fl = form_add_field(f, FORM_TEXT, name, label, required);
    lineedit_init(&fl->edit, max);
    lineedit_set(&fl->edit, initial);
    return fl;
}

form_field *form_note(form *f, const char *name, const char *label, size_t max, const char *initial,
                      bool required)
{
    form_field *fl = form_add_field(f, FORM_TEXT, name, label, required);
    lineedit_init(&fl->edit, max);
    fl->edit.multiline = true;
    lineedit_set(&fl->edit, initial);
    return fl;
}

bool form_is_note(const form_field *fl)
{
    return fl->kind == FORM_TEXT && fl->edit.multiline;
}

form_field *form_date(form *f, const char *name, const char *label, const char *initial,
                      bool required)
{
    form_field *fl = form_add_field(f, FORM_DATE, name, label, required);
    lineedit_init(&fl->edit, 10);
    lineedit_set(&fl->edit, initial);
    return fl;
}

form_field *form_upn(form *f, const char *name, const char *label, const char *initial)
{
    form_field *fl = form_add_field(f, FORM_UPN, name, label, false);
    lineedit_init(&fl->edit, 13);
    lineedit_set(&fl->edit, initial);
    return fl;
}

form_field *form_codes(form *f, codes_list l, const char *label, const char *initial,
                       const char *none_label, bool required)
{
    form_field *fl = form_add_field(f, FORM_CHOICE, codes_list_name(l), label, required);
    int base = 0;
    if (none_label) {
        fl->values[0] = NULL;
        fl->labels[0] = none_label;
        base = 1;
    }
    size_t n = codes_count(l);
    for (size_t i = 0; i < n && base + (int)i < FORM_MAX_CHOICES; i++) {
        fl->values[base + (int)i] = codes_code(l, i);
        fl->labels[base + (int)i] = codes_label(l, i);
    }
    fl->nchoices = base + (int)n;
    if (fl->nchoices > FORM_MAX_CHOICES) fl->nchoices = FORM_MAX_CHOICES;
    int k = initial && *initial ? codes_find(l, initial) : -1;
    fl->choice = k >= 0 ? base + k : none_label ? 0 : -1;
    return fl;
}

form_field *form_choice(form *f, const char *name, const char *label, const char *const *values,
                        const char *const *labels, int n, int initial, bool required)
{
    form_field *fl = form_add_field(f, FORM_CHOICE, name, label, required);
    if (n > FORM_MAX_CHOICES) n = FORM_MAX_CHOICES;
    for (int i = 0; i < n; i++) {
        fl->values[i] = values[i];
        fl->labels[i] = labels[i];
    }
    fl->nchoices = n;
    fl->choice = initial >= 0 && initial < n ? initial : -1;
    return fl;
}

form_field *form_multi(form *f, codes_list l, const char *name, const char *label,
                       const char *initial)
{
    form_field *fl = form_add_field(f, FORM_MULTI, name, label, false);
    size_t n = codes_count(l);
    for (size_t i = 0; i < n && (int)i < FORM_MAX_CHOICES; i++) {
        fl->values[i] = codes_code(l, i);
        fl->labels[i] = codes_label(l, i);
        fl->nchoices++;
    }
    if (initial) {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s", initial);
        char *save = NULL;
        for (char *tok = strtok_r(tmp, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
            int k = codes_find(l, tok);
            if (k >= 0 && k < fl->nchoices) fl->picked[k] = true;
        }
    }
    return fl;
}

form_field *form_yesno(form *f, const char *name, const char *label, bool initial)
{
    form_field *fl = form_add_field(f, FORM_YESNO, name, label, false);
    fl->yes = initial;
    return fl;
}

form_field *form_find(form *f, const char *name)
{
    for (int i = 0; i < f->nfields; i++)
        if (f->fields[i].name && strcmp(f->fields[i].name, name) == 0) return &f->fields[i];
    return NULL;
}

const char *form_value(form_field *fl)
{
    switch (fl->kind) {
    case FORM_TEXT:
    case FORM_DATE:
    case FORM_UPN: return lineedit_text(&fl->edit);
    case FORM_CHOICE:
        return fl->choice >= 0 && fl->values[fl->choice] ? fl->values[fl->choice] : "";
    case FORM_MULTI: {
        size_t used = 0;
        fl->value[0] = '\0';
        for (int i = 0; i < fl->nchoices; i++) {
            if (!fl->picked[i]) continue;
            int w = snprintf(fl->value + used, sizeof fl->value - used, "%s%s", used ? ";" : "",
                             fl->values[i]);
            if (w < 0 || (size_t)w >= sizeof fl->value - used) break;
            used += (size_t)w;
        }
        return fl->value;
    }
    case FORM_YESNO: return fl->yes ? "yes" : "no";
    case FORM_LOOKUP: {
        bool known;
        return form_lookup_value(fl, &known, NULL, 0);
    }
    }
    return "";
}

bool form_dirty(const form *f)
{
    for (int i = 0; i < f->nfields; i++)
        if (f->fields[i].edit.changed || f->fields[i].touched) return true;
    return false;
}

void form_set_error(form *f, const char *field, const char *message)
{
    snprintf(f->error, sizeof f->error, "%s", message);
    f->error_field = -1;
    if (!field || !*field) return;
    for (int i = 0; i < f->nfields; i++) {
        if (f->fields[i].name && strcmp(f->fields[i].name, field) == 0) {
            f->error_field = i;
            f->focus = i;
            return;
        }
    }
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t') return false;
    return true;
}

const char *form_field_note(form_field *fl, bool *bad)
{
    static char note[160];
    *bad = false;
    const char *s = lineedit_text(&fl->edit);
    size_t n = strlen(s);
    if (fl->kind == FORM_DATE) {
        /* The forms a date may be typed in (field_date with FIELD_DMY); " *" marks a required
         * field, the save says so. */
        if (n == 0 || n < 10) return FORM_DATE_HINT;
        date_t d;
        char why[FIELD_WHY];
        if (field_date(s, n, FIELD_DMY, &d, why)) {
            static const char *const days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                               "Friday", "Saturday", "Sunday"};
            return days[date_weekday(d)];
        }
        *bad = true;
        return "not a date";
    }
    if (fl->kind == FORM_LOOKUP) {
        if (n == 0) return fl->lk_n ? "type to pick from the list" : "";
        bool known;
        char why[200];
        const char *v = form_lookup_value(fl, &known, why, sizeof why);
        if (!*v) return "";
        if (known) {
            int k = form_lookup_known(fl);
            const char *l = form_lookup_label(fl, k);
            /* The label without the value it may begin with ("SK    Sam Kaur": Sam Kaur). */
            size_t vn = strlen(v);
            if (strncmp(l, v, vn) == 0 && l[vn] == ' ') {
                l += vn;
                while (*l == ' ')
                    l++;
            }
            if (*l && strcmp(l, v) != 0) return l;
            snprintf(note, sizeof note, "known %s", fl->lk_noun);
            return note;
        }
        if (!fl->lk_new) {
            *bad = true;
            snprintf(note, sizeof note, "not a known %s", fl->lk_noun);
            return note;
        }
        if (*why) {
            *bad = true;
            snprintf(note, sizeof note, "%.150s", why);
            return note;
        }
        snprintf(note, sizeof note, "new %s", fl->lk_noun);
        return note;
    }
    if (fl->kind == FORM_UPN) {
        if (n == 0) return "";
        if (n < 13 && strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n) {
            snprintf(note, sizeof note, "%zu of 13 characters", n);
            return note;
        }
        char norm[14];
        const char *reason = NULL;
        switch (upn_check(s, norm, &reason)) {
        case UPN_VALID: return "valid";
        case UPN_VALID_TEMPORARY: return "valid (temporary)";
        case UPN_INVALID: break;
        }
        *bad = true;
        snprintf(note, sizeof note, "invalid: %s", reason ? reason : "not a UPN");
        return note;
    }
    return "";
}

bool form_check(form *f)
{
    for (int i = 0; i < f->nfields; i++) {
        form_field *fl = &f->fields[i];
        char msg[200] = "";
        bool bad = false;
        switch (fl->kind) {
        case FORM_TEXT:
            if (fl->required && blank(lineedit_text(&fl->edit)))
                snprintf(msg, sizeof msg, "%s: required", fl->label);
            break;
        case FORM_DATE:
        case FORM_UPN: {
            const char *note = form_field_note(fl, &bad);
            if (fl->required && !*lineedit_text(&fl->edit))
                snprintf(msg, sizeof msg, "%s: required", fl->label);
            else if (*lineedit_text(&fl->edit) && fl->kind == FORM_DATE) {
                date_t d;
                char why[FIELD_WHY];
                const char *s = lineedit_text(&fl->edit);
                if (!field_date(s, strlen(s), FIELD_DMY, &d, why))
                    snprintf(msg, sizeof msg, "%s: %.120s", fl->label, why);
            } else if (bad)
                snprintf(msg, sizeof msg, "%s: %s", fl->label, note);
            break;
        }
        case FORM_CHOICE:
            if (fl->required && !*form_value(fl))
                snprintf(msg, sizeof msg, "%s: choose one (Space opens the list)", fl->label);
            break;
        case FORM_LOOKUP: {
            bool known;
            char why[200];
            char typed[256];
            form_lookup_typed(fl, typed, sizeof typed);
            const char *v = form_lookup_value(fl, &known, why, sizeof why);
            if (!*typed) {
                if (fl->required) snprintf(msg, sizeof msg, "%s: required", fl->label);
            } else if (known) {
            } else if (!fl->lk_new) {
                snprintf(msg, sizeof msg, "%s: not a known %s (type to see the list)", fl->label,
                         fl->lk_noun);
            } else if (*why) {
                snprintf(msg, sizeof msg, "%s: '%.40s' %.120s", fl->label, typed, why);
            } else if (strcmp(fl->lk_created, v) != 0) {
                f->focus = i;
                f->confirm_new = true;
                f->popup = false;
                return false;
            }
            break;
        }
        case FORM_MULTI:
        case FORM_YESNO: break;
        }
        if (*msg) {
            snprintf(f->error, sizeof f->error, "%s", msg);
            f->error_field = i;
            f->focus = i;
            return false;
        }
    }
    return true;
}

/* A field's value changed: the error about it is answered. */
void form_edited(form *f)
{
    if (f->error_field < 0 || f->error_field == f->focus) {
        f->error[0] = '\0';
        f->error_field = -1;
    }
}

static int popup_key(form *f, int ch, bool is_key)
{
    form_field *fl = &f->fields[f->focus];
    int n = fl->nchoices;
    if (is_key) {
        switch (ch) {
        case KEY_UP: f->popup_sel = f->popup_sel > 0 ? f->popup_sel - 1 : 0; break;
        case KEY_DOWN: f->popup_sel = f->popup_sel + 1 < n ? f->popup_sel + 1 : n - 1; break;
        case KEY_HOME: f->popup_sel = 0; break;
        case KEY_END: f->popup_sel = n - 1; break;
        case KEY_PPAGE: f->popup_sel = f->popup_sel > 10 ? f->popup_sel - 10 : 0; break;
        case KEY_NPAGE: f->popup_sel = f->popup_sel + 10 < n ? f->popup_sel + 10 : n - 1; break;
        case KEY_ENTER: goto enter;
        default: break;
        }
        return FORM_CONTINUE;
    }
    switch (ch) {
    case 'k': f->popup_sel = f->popup_sel > 0 ? f->popup_sel - 1 : 0; break;
    case 'j': f->popup_sel = f->popup_sel + 1 < n ? f->popup_sel + 1 : n - 1; break;
    case 'g': f->popup_sel = 0; break;
    case 'G': f->popup_sel = n - 1; break;
    case KEY_ESC: f->popup = false; break;
    case ' ':
        if (fl->kind == FORM_MULTI) {
            fl->picked[f->popup_sel] = !fl->picked[f->popup_sel];
            fl->touched = true;
            form_edited(f);
            break;
        }
        /* Space picks in a one-choice list, as Enter does. */
        __attribute__((fallthrough));
    case '\n':
    case '\r':
    enter:
        if (fl->kind == FORM_CHOICE) {
            if (fl->choice != f->popup_sel) fl->touched = true;
            fl->choice = f->popup_sel;
            form_edited(f);
        }
        f->popup = false;
        break;
    default: break;
    }
    return FORM_CONTINUE;
}

static void lower_ascii(char *c)
{
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
}

/* Moves the choice to the next entry whose label starts with letter c (a way through the list,
 * not typing a code). */
static void jump_to_letter(form_field *fl, int c)
{
    if (fl->nchoices == 0) return;
    char want = (char)c;
    lower_ascii(&want);
    for (int k = 1; k <= fl->nchoices; k++) {
        int i = ((fl->choice < 0 ? -1 : fl->choice) + k) % fl->nchoices;
        char first = fl->labels[i][0] == '(' ? fl->labels[i][1] : fl->labels[i][0];
        lower_ascii(&first);
        if (first == want) {
            fl->choice = i;
            fl->touched = true;
            return;
        }
    }
}

/* A key in a choice, several choices or yes/no: never typed, changed by moves and letters. */
static int pick_key(form *f, form_field *fl, int ch, bool is_key)
{
    switch (fl->kind) {
    case FORM_CHOICE:
        if (is_key && ch == KEY_LEFT && fl->choice > 0) {
            fl->choice--;
            fl->touched = true;
            form_edited(f);
        } else if (is_key && ch == KEY_RIGHT && fl->choice + 1 < fl->nchoices) {
            fl->choice++;
            fl->touched = true;
            form_edited(f);
        } else if (!is_key && ch == ' ') {
            f->popup = true;
            f->popup_sel = fl->choice >= 0 ? fl->choice : 0;
        } else if (!is_key && ch < 0x80 && ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')) {
            jump_to_letter(fl, ch);
            form_edited(f);
        }
        return FORM_CONTINUE;
    case FORM_MULTI:
        if (!is_key && ch == ' ') {
            f->popup = true;
            f->popup_sel = 0;
        }
        return FORM_CONTINUE;
    case FORM_YESNO:
        if ((!is_key && ch == ' ') || (is_key && (ch == KEY_LEFT || ch == KEY_RIGHT))) {
            fl->yes = !fl->yes;
            fl->touched = true;
            form_edited(f);
        } else if (!is_key && (ch == 'y' || ch == 'Y' || ch == 'n' || ch == 'N')) {
            bool yes = ch == 'y' || ch == 'Y';
            if (yes != fl->yes) fl->touched = true;
            fl->yes = yes;
            form_edited(f);
        }
        return FORM_CONTINUE;
    default: return FORM_CONTINUE;
    }
}

int form_key(form *f, int ch, bool is_key)
{
    if (f->nfields == 0) return FORM_CANCEL;
    if (is_key && ch == KEY_RESIZE) return FORM_CONTINUE;
    if (f->confirm_esc) {
        f->confirm_esc = false;
        if (!is_key && (ch == 'y' || ch == 'Y')) return FORM_CANCEL;
        return FORM_CONTINUE;
    }
    if (f->confirm_new) {
        f->confirm_new = false;
        form_field *fl = &f->fields[f->focus];
        if (!is_key && (ch == 'y' || ch == 'Y') && fl->kind == FORM_LOOKUP) {
            snprintf(fl->lk_created, sizeof fl->lk_created, "%s", form_value(fl));
            return FORM_SAVE;
        }
        return FORM_CONTINUE;
    }
    if (f->popup && f->fields[f->focus].kind == FORM_LOOKUP)
        return form_lookup_popup_key(f, &f->fields[f->focus], ch, is_key);
    if (f->popup) return popup_key(f, ch, is_key);
    form_field *fl = &f->fields[f->focus];
    bool prefix = f->prefix; /* Ctrl-X before: only the very next key may follow it */
    f->prefix = false;
    if (!is_key && ch == KEY_ESC) {
        if (!form_dirty(f)) return FORM_CANCEL;
        f->confirm_esc = true;
        return FORM_CONTINUE;
    }
    if ((!is_key && ch == FORM_KEY_SAVE) || (is_key && ch == KEY_F(2))) return FORM_SAVE;
    if (form_is_note(fl)) {
        int r = form_note_key(f, fl, ch, is_key, prefix);
        if (r >= 0) return r;
    }
    if ((!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER)) return FORM_SAVE;
    if ((!is_key && ch == '\t') || (is_key && ch == KEY_DOWN)) {
        f->focus = (f->focus + 1) % f->nfields;
        return FORM_CONTINUE;
    }
    if (is_key && (ch == KEY_BTAB || ch == KEY_UP)) {
        f->focus = (f->focus + f->nfields - 1) % f->nfields;
        return FORM_CONTINUE;
    }
    switch (fl->kind) {
    case FORM_TEXT:
    case FORM_DATE:
    case FORM_UPN: return form_text_key(f, fl, ch, is_key);
    case FORM_LOOKUP: return form_lookup_type(f, fl, ch, is_key);
    case FORM_CHOICE:
    case FORM_MULTI:
    case FORM_YESNO: return pick_key(f, fl, ch, is_key);
    }
    return FORM_CONTINUE;
}
