/* forms_internal: what the files of the modal forms (forms.c, forms_correct.c, forms_referral.c,
 * forms_facts.c) share. Internal to src/tui. */
#ifndef CASELOAD_TUI_FORMS_INTERNAL_H
#define CASELOAD_TUI_FORMS_INTERNAL_H

#include "caseload/browse.h"
#include "caseload/record.h"
#include "form.h"

/* The officer a new action or referral is offered: $CASELOAD_OFFICER, or "". */
const char *tuiform_default_officer(void);
/* The officer field "officer": picked from the known officers (any case, narrowed as typed;
 * form_lookup); a new one only after asking and by the initials rule, when allow_new (the
 * filters take only known ones). When the list cannot be read the status line says so, and the
 * field still takes initials. */
form_field *tuiform_officer_field(tui *t, form *f, const char *initial, bool allow_new);
/* Shows a failed save in the form: on the field at fault, or as a database message. */
void tuiform_show_problem(form *f, int rc, const record_problem *p);
/* The end of a save made against what the form opened with (record_edit.opened,
 * record_child_change.opened; SPEC section 8), rc and *p its result: true when saved. A save
 * stopped by another program's change (p->conflict) shows both values on the field and that
 * Enter saves the user's value over it, and reopen(ctx) makes the form stand on the row as it is
 * now; another failure is shown as tuiform_show_problem. */
bool tuiform_save_done(form *f, int rc, const record_problem *p, void (*reopen)(void *), void *ctx);
/* A form's save on one referral. */
typedef struct {
    tui *t;
    int64_t referral_id;
} tuiform_ctx;

/* "Referral R-2024-00001: Ada Lovelace" for the context line; false when there is no such
 * referral (the status line then says why). */
bool tuiform_referral_context(tui *t, int64_t referral_id, browse_detail *d, char *out, size_t n);
/* The kind field: the usual kinds (codes.h), and kind itself when it is another word. */
void tuiform_action_kind_field(form *f, const char *kind);

#endif
