/* forms_internal: what the files of the modal forms (forms.c, forms_referral.c) share. Internal
 * to src/tui. */
#ifndef CASELOAD_TUI_FORMS_INTERNAL_H
#define CASELOAD_TUI_FORMS_INTERNAL_H

#include "caseload/record.h"
#include "form.h"

/* The officer a new action or referral is offered: $CASELOAD_OFFICER, or "". */
const char *tuiform_default_officer(void);
/* Shows a failed save in the form: on the field at fault, or as a database message. */
void tuiform_show_problem(form *f, int rc, const record_problem *p);

#endif
