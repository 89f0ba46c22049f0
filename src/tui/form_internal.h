/* form_internal: what the files of the form widget (form.c, form_text.c, form_lookup.c,
 * form_editor.c) share. Internal to src/tui. */
#ifndef CASELOAD_TUI_FORM_INTERNAL_H
#define CASELOAD_TUI_FORM_INTERNAL_H

#include "form.h"

/* Adds a field of kind (at most FORM_MAX_FIELDS; aborts beyond, a programming error). */
form_field *form_add_field(form *f, form_kind kind, const char *name, const char *label,
                           bool required);
/* A field's value changed: the error about it is answered. */
void form_edited(form *f);
/* A key in a text, date, UPN or lookup field's text. Returns FORM_*. */
int form_text_key(form *f, form_field *fl, int ch, bool is_key);
/* The keys a note takes before the form's: Enter a new line, Up/Down its rows, Ctrl-X (when
 * prefix: Ctrl-X came just before) Ctrl-E the editor. Returns FORM_* when the key was the note's,
 * -1 to let the form have it (form_text.c). */
int form_note_key(form *f, form_field *fl, int ch, bool is_key, bool prefix);

/* A lookup's typed text without leading and trailing blanks, into out (n bytes). */
void form_lookup_typed(const form_field *fl, char *out, size_t n);
/* The known entry a lookup's typed text names (the same value in any case or accents), or -1. */
int form_lookup_known(const form_field *fl);
/* Narrows a lookup's list to the entries holding the typed text. */
void form_lookup_narrow(form_field *fl);
/* What a lookup would save (see form_lookup.c); *known when it names a known entry, *why (may be
 * NULL) check_new's reason when a new value is refused. */
const char *form_lookup_value(form_field *fl, bool *known, char *why, size_t nwhy);
/* A key typed into a lookup, and a key while its list is open. Return FORM_*. */
int form_lookup_type(form *f, form_field *fl, int ch, bool is_key);
int form_lookup_popup_key(form *f, form_field *fl, int ch, bool is_key);

#endif
