/* form_text.c: the keys of the form widget's text fields (form.h): one-line text, dates and UPNs
 * as typed, a note's keys of its own (Enter a new line, Up/Down its rows, Ctrl-X Ctrl-E the
 * editor), and pasted text. */
#include "form.h"
#include "form_internal.h"

#include <string.h>

int form_text_key(form *f, form_field *fl, int ch, bool is_key)
{
    if (is_key) {
        int op = -1;
        switch (ch) {
        case KEY_LEFT: op = LE_LEFT; break;
        case KEY_RIGHT: op = LE_RIGHT; break;
        case KEY_HOME: op = LE_HOME; break;
        case KEY_END: op = LE_END; break;
        case KEY_BACKSPACE: op = LE_BACKSPACE; break;
        case KEY_DC: op = LE_DELETE; break;
        case KEY_SLEFT: op = LE_WORD_LEFT; break;
        case KEY_SRIGHT: op = LE_WORD_RIGHT; break;
        default: break;
        }
        if (op >= 0 && lineedit_do(&fl->edit, (lineedit_op)op) && op >= LE_BACKSPACE)
            form_edited(f);
        return FORM_CONTINUE;
    }
    if (ch < 0x20 || ch == 0x7f) {
        int op = lineedit_control_op(ch);
        if (op >= 0 && lineedit_do(&fl->edit, (lineedit_op)op) && op >= LE_BACKSPACE)
            form_edited(f);
        return FORM_CONTINUE;
    }
    /* YYYY-MM-DD or DD/MM/YYYY (field_date with FIELD_DMY). */
    if (fl->kind == FORM_DATE && !((ch >= '0' && ch <= '9') || ch == '-' || ch == '/'))
        return FORM_CONTINUE;
    if (fl->kind == FORM_UPN) {
        if (ch >= 'a' && ch <= 'z') ch = ch - 'a' + 'A';
        if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z'))) return FORM_CONTINUE;
    }
    if (lineedit_insert(&fl->edit, (uint32_t)ch)) form_edited(f);
    return FORM_CONTINUE;
}

int form_note_key(form *f, form_field *fl, int ch, bool is_key, bool prefix)
{
    if (prefix && !is_key && (ch == 5 || ch == 'e')) return FORM_EDITOR; /* Ctrl-X Ctrl-E */
    if (!is_key && ch == FORM_KEY_PREFIX) {
        f->prefix = true;
        return FORM_CONTINUE;
    }
    if ((!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER)) {
        if (lineedit_insert(&fl->edit, '\n'))
            form_edited(f);
        else
            form_set_error(f, fl->name, "The note is full.");
        return FORM_CONTINUE;
    }
    if (is_key && (ch == KEY_UP || ch == KEY_DOWN)) {
        int width = fl->wrap_width > 0 ? fl->wrap_width : 44;
        if (lineedit_row_move(&fl->edit, width, ch == KEY_UP ? -1 : 1)) return FORM_CONTINUE;
    }
    return -1;
}

bool form_paste(form *f, const char *s, size_t n)
{
    if (f->nfields == 0 || f->confirm_esc || f->confirm_new) return false;
    form_field *fl = &f->fields[f->focus];
    if (f->popup && fl->kind != FORM_LOOKUP) return false;
    if (fl->kind != FORM_TEXT && fl->kind != FORM_DATE && fl->kind != FORM_UPN &&
        fl->kind != FORM_LOOKUP)
        return false;
    if (fl->kind == FORM_LOOKUP) fl->lk_created[0] = '\0';
    if (!lineedit_paste(&fl->edit, s, n))
        form_set_error(f, fl->name, "Part of the pasted text did not fit or was not text.");
    else
        f->error[0] = '\0';
    if (fl->kind == FORM_LOOKUP) {
        form_lookup_narrow(fl);
        f->popup = fl->lk_n > 0;
        f->popup_sel = 0;
    }
    return true;
}
