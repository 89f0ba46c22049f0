/* form: the form widget of the full-screen app. A form is a title, an optional line of context
 * and labelled fields of five kinds: text (a lineedit), date (checked as typed), UPN (checked as
 * typed with upn_check: valid / temporary / invalid shown live), a choice from a list (codes of
 * codes.h shown by their labels, or any fixed list: never typed, moved through with ←/→ or picked
 * from a list opened with Space), several choices (Space opens a list with check boxes), and
 * yes/no. Tab / ↓ and Shift-Tab / ↑ move between fields, Enter saves, Esc cancels and asks first
 * when anything was typed. A failed save shows its message in the form and keeps everything typed.
 * A note (form_note) takes several lines: it is drawn FORM_NOTE_ROWS rows tall, wrapped at its
 * width on word boundaries and scrolled with the cursor; in it Enter starts a new line, ↑/↓ move
 * between its rows (and to the field before or after it from its first or last row), Ctrl-X
 * Ctrl-E edits it in $VISUAL / $EDITOR (form_run), and Ctrl-S or F2 saves, as they do in every
 * field.
 *
 * form_key is the whole key logic with no drawing, so it can be driven without a terminal;
 * form_run draws and reads keys until the form is saved or cancelled. */
#ifndef CASELOAD_TUI_FORM_H
#define CASELOAD_TUI_FORM_H

#include "caseload/codes.h"
#include "lineedit.h"
#include "tui.h"
#include <stdbool.h>
#include <stddef.h>

#define FORM_MAX_FIELDS 16
#define FORM_MAX_CHOICES 24
#define FORM_NOTE_ROWS 5   /* the rows a note (form_note) takes on the screen */
#define FORM_KEY_SAVE 19   /* Ctrl-S: saves from any field (F2 too) */
#define FORM_KEY_PREFIX 24 /* Ctrl-X: with Ctrl-E after it, the note in $EDITOR */

typedef enum {
    FORM_TEXT,
    FORM_DATE,
    FORM_UPN,
    FORM_CHOICE,
    FORM_MULTI,
    FORM_YESNO,
    FORM_LOOKUP
} form_kind;

/* FORM_LOOKUP: checks a value that is not in the list (what the user typed, trimmed) and writes
 * it as it would be saved into out (n bytes), e.g. initials upper-cased. Returns false with a
 * short reason in why (nwhy bytes). */
typedef bool (*form_new_fn)(const char *typed, char *out, size_t n, char *why, size_t nwhy);

typedef struct form_field {
    form_kind kind;
    const char *name;  /* as in record_problem.field, so save errors land on the right field */
    const char *label; /* shown before the value */
    bool required;
    lineedit edit; /* FORM_TEXT, FORM_DATE, FORM_UPN */
    /* FORM_CHOICE, FORM_MULTI: what is saved (NULL or "" for "none") and what is shown. */
    const char *values[FORM_MAX_CHOICES];
    const char *labels[FORM_MAX_CHOICES];
    int nchoices;
    int choice;                    /* FORM_CHOICE: the chosen index, -1 for none chosen yet */
    bool picked[FORM_MAX_CHOICES]; /* FORM_MULTI */
    bool yes;                      /* FORM_YESNO */
    bool touched;                  /* a choice or flag changed by a key */
    char value[256];               /* what form_value returns for choices, flags and lists */
    /* FORM_LOOKUP: the known entries (the arrays outlive the form), narrowed as the user types. */
    const char *const *lk_values; /* what is saved, lk_n of them */
    const char *const *lk_labels; /* what the list shows (NULL: the values) */
    int lk_n;
    char **lk_folded;     /* text_fold of value and label, for narrowing (form.c) */
    int *lk_match;        /* the entries matching the typed text, best first */
    int lk_nmatch;        /* how many */
    const char *lk_noun;  /* "officer": "Create officer XYZ?" */
    form_new_fn lk_new;   /* a value not in the list: checks it; NULL when only known ones */
    char lk_created[128]; /* the new value the user agreed to create */
    /* A note (FORM_TEXT with edit.multiline): its wrapping as last drawn. */
    int wrap_width; /* the columns it was wrapped at (0 before the first draw) */
    int top_row;    /* the first row shown */
} form_field;

typedef struct form {
    char title[128];
    char context[256]; /* a line under the title (data: drawn sanitized), "" for none */
    form_field fields[FORM_MAX_FIELDS];
    int nfields;
    int focus;
    char error[320];  /* shown above the hint line until the next key; "" for none */
    int error_field;  /* the field the error is about, -1 for none */
    bool popup;       /* a list is open on the focused field (Space) */
    int popup_sel;    /* its highlighted entry */
    bool confirm_esc; /* asking "discard what you typed?" */
    bool confirm_new; /* asking "create officer XYZ?" about the focused FORM_LOOKUP */
    bool prefix;      /* Ctrl-X was typed in a note: Ctrl-E next opens the editor */
} form;

/* What form_key asks its caller to do next: FORM_EDITOR, edit the focused note in $EDITOR. */
enum { FORM_CONTINUE, FORM_SAVE, FORM_CANCEL, FORM_EDITOR };

void form_init(form *f, const char *title);
/* Frees the fields' editors. */
void form_free(form *f);
/* Adds a field (at most FORM_MAX_FIELDS; aborts beyond, a programming error). initial may be NULL.
 */
form_field *form_text(form *f, const char *name, const char *label, size_t max, const char *initial,
                      bool required);
/* A text of several lines (notes, summaries): newlines typed (Enter), pasted or in initial stay
 * in it. */
form_field *form_note(form *f, const char *name, const char *label, size_t max, const char *initial,
                      bool required);
/* Whether fl takes several lines (form_note). */
bool form_is_note(const form_field *fl);
form_field *form_date(form *f, const char *name, const char *label, const char *initial,
                      bool required);
form_field *form_upn(form *f, const char *name, const char *label, const char *initial);
/* A code of list l, shown by label; initial is a code or NULL. none_label (e.g. "(none)" or
 * "any") adds a first entry meaning no code; with none_label NULL a code must be chosen when
 * required, and nothing is chosen until the user picks one unless initial names one. */
form_field *form_codes(form *f, codes_list l, const char *label, const char *initial,
                       const char *none_label, bool required);
/* A choice from fixed lists (values may hold NULL or "" for "none"); initial index or -1. The
 * arrays must outlive the form. */
form_field *form_choice(form *f, const char *name, const char *label, const char *const *values,
                        const char *const *labels, int n, int initial, bool required);
/* Several codes of list l; initial is ';'-separated codes or NULL. */
form_field *form_multi(form *f, codes_list l, const char *name, const char *label,
                       const char *initial);
form_field *form_yesno(form *f, const char *name, const char *label, bool initial);
/* A value picked from a long list of known ones (officers, schools): typed into, the field opens
 * a list of the entries whose value or label holds the typed text (case and accents ignored,
 * those beginning with it first); Up/Down move in it, Enter takes one (and saves the form when
 * there is none to take or the text names it already), Esc closes it, Tab goes on. Text that is a
 * known value in another case is that value ("sk" is "SK"). A value not in the list is refused when
 * check_new is NULL; otherwise check_new checks it and saving asks first "Create <noun> <value>?".
 * values/labels (labels may be NULL) must outlive the form. */
form_field *form_lookup(form *f, const char *name, const char *label, size_t max,
                        const char *initial, bool required, const char *const *values,
                        const char *const *labels, int n, const char *noun, form_new_fn check_new);

/* What the list of lookup fl shows for its entry i (its label, else its value). */
const char *form_lookup_label(const form_field *fl, int i);

/* The field called name, or NULL. */
form_field *form_find(form *f, const char *name);
/* The field's value as text: the text typed (dates and UPNs as typed, trimmed by the caller's
 * checks), the chosen value ("" for none), the picked values ';'-separated, "yes"/"no". */
const char *form_value(form_field *fl);
/* Whether anything was typed or changed since the form was built. */
bool form_dirty(const form *f);
/* Shows message in the form, on the field called field when there is one (focus moves there). */
void form_set_error(form *f, const char *field, const char *message);

/* How a date may be typed in a date field (field_date with FIELD_DMY): the note beside an empty
 * or unfinished one. */
#define FORM_DATE_HINT "YYYY-MM-DD or DD/MM/YYYY"

/* Live check of a date or UPN field for display: "" when nothing to say, else a short note;
 * *bad is set when the note is an error. */
const char *form_field_note(form_field *fl, bool *bad);

/* Applies one key (as read by get_wch: is_key true for KEY_* codes, else a character). */
int form_key(form *f, int ch, bool is_key);
/* Checks required fields and live checks (dates, UPNs, lookups); sets the error and returns false
 * when one fails. A lookup holding a new value not yet agreed to sets confirm_new instead (the
 * question is drawn; y answers it and form_key returns FORM_SAVE). */
bool form_check(form *f);

/* Called by form_run on Enter once form_check passes. Returns true when saved (the form closes);
 * false to stay, after form_set_error. */
typedef bool (*form_save_fn)(form *f, void *ctx);
/* Edits note fl of f in $VISUAL, else $EDITOR, else vi, the screen left meanwhile: the text
 * goes to a 0600 file in a private directory under $TMPDIR (0700), comes back cleaned by the
 * note's rule, and the directory and all in it are removed whatever happens. An editor that
 * cannot run or fails leaves the note as it was; the form's error says why (form_editor.c). */
void form_edit_note(form *f, form_field *fl);
/* Runs the form on the whole screen until saved or cancelled (Ctrl-X Ctrl-E in a note runs
 * form_edit_note). Returns true when saved. */
bool form_run(tui *t, form *f, form_save_fn save, void *ctx);

/* A list to choose from on the whole screen (lines are data: drawn sanitized). Returns the chosen
 * index, or -1 on Esc. */
int form_pick(tui *t, const char *title, const char *prompt, const char *const *lines, int n,
              int initial);
/* Asks a yes/no question over the current screen; true for y. */
bool form_confirm(tui *t, const char *question);

/* The keys of every form, for the `?` help of the screens (keys.c): n rows of what is typed
 * and what it does. */
typedef struct form_key_help {
    const char *keys, *does;
} form_key_help;
const form_key_help *form_help(int *n);

/* Draws the form (and its open list or question) on stdscr. */
void form_draw(tui *t, form *f);
/* Reads one key with get_wch: returns the key or character, *is_key for KEY_* codes; ERR when
 * nothing was read. A paste is read whole and dropped (it never runs as keys). */
int form_read_key(bool *is_key);
/* The same, but a paste is returned as the key TUI_KEY_PASTE with its text in paste (n bytes,
 * NUL ended; paste may be NULL to drop it). */
int form_read_key_paste(bool *is_key, char *paste, size_t n);
/* Inserts pasted text into the focused text, date or UPN field (newlines kept where the field
 * takes several lines, form_note). Returns false when the focused field takes no text. */
bool form_paste(form *f, const char *s, size_t n);

#endif
