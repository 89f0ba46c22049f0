/* form_lookup.c: the lookup fields of the form widget (form.h, form_lookup): a text field whose
 * list of known entries narrows as you type (matched folded: any case, any accents), taken with
 * Enter, or a new value as the field's check_new writes it. */
#include "form.h"
#include "form_internal.h"

#include "caseload/buf.h"
#include "caseload/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC 27

static char *fold_dup(const char *a, const char *b)
{
    buf out = BUF_INIT;
    text_fold(&out, a);
    if (b) {
        buf_putc(&out, '\n'); /* never typed: a match cannot run from the value into the label */
        text_fold(&out, b);
    }
    if (!out.data) buf_puts(&out, "");
    return out.data;
}

const char *form_lookup_label(const form_field *fl, int i)
{
    return fl->lk_labels && fl->lk_labels[i] ? fl->lk_labels[i] : fl->lk_values[i];
}

/* The typed text without leading and trailing blanks, into out (n bytes). */
void form_lookup_typed(const form_field *fl, char *out, size_t n)
{
    const char *s = lineedit_text(&fl->edit);
    while (*s == ' ')
        s++;
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    if (len >= n) len = n - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

/* The known entry the typed text names (the same value in any case or accents), or -1. */
int form_lookup_known(const form_field *fl)
{
    char typed[256];
    form_lookup_typed(fl, typed, sizeof typed);
    if (!*typed) return -1;
    for (int i = 0; i < fl->lk_n; i++)
        if (strcmp(fl->lk_values[i], typed) == 0) return i;
    buf want = BUF_INIT, have = BUF_INIT;
    text_fold(&want, typed);
    int found = -1;
    for (int i = 0; i < fl->lk_n && found < 0; i++) {
        buf_reset(&have);
        text_fold(&have, fl->lk_values[i]);
        if (strcmp(buf_str(&have), buf_str(&want)) == 0) found = i;
    }
    buf_free(&want);
    buf_free(&have);
    return found;
}

/* Narrows the list to the entries holding the typed text: those whose value or label begins with
 * it first, then the others that hold it, each in the list's order. */
void form_lookup_narrow(form_field *fl)
{
    char typed[256];
    form_lookup_typed(fl, typed, sizeof typed);
    buf want = BUF_INIT;
    text_fold(&want, typed);
    const char *w = buf_str(&want);
    size_t wn = strlen(w);
    fl->lk_nmatch = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < fl->lk_n; i++) {
            const char *h = fl->lk_folded[i];
            const char *at = wn ? strstr(h, w) : h;
            if (!at) continue;
            /* A word of the value or label begins with it. */
            bool starts = at == h || at[-1] == ' ' || at[-1] == '\n';
            if ((pass == 0) == starts) fl->lk_match[fl->lk_nmatch++] = i;
        }
    }
    buf_free(&want);
}

form_field *form_lookup(form *f, const char *name, const char *label, size_t max,
                        const char *initial, bool required, const char *const *values,
                        const char *const *labels, int n, const char *noun, form_new_fn check_new)
{
    form_field *fl = form_add_field(f, FORM_LOOKUP, name, label, required);
    lineedit_init(&fl->edit, max);
    lineedit_set(&fl->edit, initial);
    fl->lk_values = values;
    fl->lk_labels = labels;
    fl->lk_n = n > 0 ? n : 0;
    fl->lk_noun = noun ? noun : "entry";
    fl->lk_new = check_new;
    fl->lk_folded = calloc((size_t)fl->lk_n + 1, sizeof *fl->lk_folded);
    fl->lk_match = calloc((size_t)fl->lk_n + 1, sizeof *fl->lk_match);
    if (!fl->lk_folded || !fl->lk_match) abort(); /* out of memory: nothing sensible follows */
    for (int i = 0; i < fl->lk_n; i++)
        fl->lk_folded[i] = fold_dup(values[i], labels ? labels[i] : NULL);
    form_lookup_narrow(fl);
    return fl;
}

/* What a lookup would save: the known value it names, else the new value as check_new writes
 * it, else the typed text. *known is set when it names a known entry; *why (may be NULL) gets
 * check_new's reason when the new value is refused ("" otherwise). */
const char *form_lookup_value(form_field *fl, bool *known, char *why, size_t nwhy)
{
    if (why) why[0] = '\0';
    int k = form_lookup_known(fl);
    *known = k >= 0;
    if (k >= 0) return fl->lk_values[k];
    char typed[256], reason[200] = "";
    form_lookup_typed(fl, typed, sizeof typed);
    if (*typed && fl->lk_new &&
        fl->lk_new(typed, fl->value, sizeof fl->value, reason, sizeof reason))
        return fl->value;
    if (why) snprintf(why, nwhy, "%s", *reason ? reason : "");
    snprintf(fl->value, sizeof fl->value, "%s", typed);
    return fl->value;
}

/* A key typed into a lookup: edits the text as in a text field, and a change opens the list of
 * the entries that hold it (Space on an empty field opens the whole list). */
int form_lookup_type(form *f, form_field *fl, int ch, bool is_key)
{
    if (!is_key && ch == ' ' && !*lineedit_text(&fl->edit)) {
        form_lookup_narrow(fl);
        f->popup = fl->lk_n > 0;
        f->popup_sel = 0;
        return FORM_CONTINUE;
    }
    char before[256];
    snprintf(before, sizeof before, "%s", lineedit_text(&fl->edit));
    form_text_key(f, fl, ch, is_key);
    if (strcmp(before, lineedit_text(&fl->edit)) != 0) {
        fl->lk_created[0] = '\0';
        form_lookup_narrow(fl);
        f->popup = fl->lk_n > 0;
        f->popup_sel = 0;
    }
    return FORM_CONTINUE;
}

/* The open list of a lookup: typing goes on narrowing it, Up/Down/PgUp/PgDn move in it, Enter
 * takes the entry (or saves when there is none to take), Esc closes it, Tab closes it and goes to
 * the next field. */
int form_lookup_popup_key(form *f, form_field *fl, int ch, bool is_key)
{
    int n = fl->lk_nmatch;
    if (is_key) {
        switch (ch) {
        case KEY_UP: f->popup_sel = f->popup_sel > 0 ? f->popup_sel - 1 : 0; return FORM_CONTINUE;
        case KEY_DOWN:
            f->popup_sel = f->popup_sel + 1 < n ? f->popup_sel + 1 : n > 0 ? n - 1 : 0;
            return FORM_CONTINUE;
        case KEY_PPAGE:
            f->popup_sel = f->popup_sel > 10 ? f->popup_sel - 10 : 0;
            return FORM_CONTINUE;
        case KEY_NPAGE:
            f->popup_sel = f->popup_sel + 10 < n ? f->popup_sel + 10 : n > 0 ? n - 1 : 0;
            return FORM_CONTINUE;
        case KEY_BTAB: f->popup = false; return form_key(f, ch, is_key);
        case KEY_ENTER: goto take;
        default: return form_lookup_type(f, fl, ch, is_key);
        }
    }
    switch (ch) {
    case KEY_ESC: f->popup = false; return FORM_CONTINUE;
    case '\t': f->popup = false; return form_key(f, ch, is_key);
    case '\n':
    case '\r': goto take;
    default: return form_lookup_type(f, fl, ch, is_key);
    }
take:
    /* Enter takes the highlighted entry; when there is none, or the text already names it,
     * Enter saves as everywhere in the form. */
    f->popup = false;
    if (f->popup_sel >= 0 && f->popup_sel < n) {
        int k = fl->lk_match[f->popup_sel];
        if (form_lookup_known(fl) != k) {
            lineedit_set(&fl->edit, fl->lk_values[k]);
            fl->lk_created[0] = '\0';
            fl->touched = true;
            form_edited(f);
            return FORM_CONTINUE;
        }
    }
    return FORM_SAVE;
}
