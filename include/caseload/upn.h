/* upn: the DfE Unique Pupil Number check (SPEC section 2). */
#ifndef CASELOAD_UPN_H
#define CASELOAD_UPN_H

#include <stdbool.h>

typedef enum { UPN_INVALID = 0, UPN_VALID, UPN_VALID_TEMPORARY } upn_status;

/* Checks a UPN. Lower-case letters are upper-cased into norm (13 characters and a NUL) when the
 * UPN is valid (norm is untouched otherwise; it may be NULL). On UPN_INVALID, *reason (if reason
 * is not NULL) points to a static English sentence fragment such as "must be 13 characters (too
 * short)", "characters 2-12 must be digits" or "check letter is 'A', expected 'B'" (each a fixed
 * string: a later call never changes it). On a valid UPN *reason is set to NULL. */
upn_status upn_check(const char *s, char norm[14], const char **reason);
/* Whether s has the shape of a UPN, whatever its check letter: 13 characters, a letter, eleven
 * digits, then a digit or a letter (any case). What a person types that has this shape is meant
 * as a UPN (the child finder looks it up as one; a failed check is reported as a bad UPN rather
 * than as an unknown LA child id). */
bool upn_shaped(const char *s);

#endif
