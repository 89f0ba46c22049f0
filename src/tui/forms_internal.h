/* forms_internal: what the files of the modal forms (forms.c, forms_referral.c, forms_facts.c)
 * share. Internal to src/tui. */
#ifndef CASELOAD_TUI_FORMS_INTERNAL_H
#define CASELOAD_TUI_FORMS_INTERNAL_H

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
/* Shows a save stopped by another program's change (p->conflict, record.h): both values, on the
 * field, and that Enter saves the user's value over it. */
void tuiform_show_conflict(form *f, const record_problem *p);

#endif
