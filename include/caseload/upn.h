/* upn: the DfE Unique Pupil Number check (SPEC section 2). */
#ifndef CASELOAD_UPN_H
#define CASELOAD_UPN_H

typedef enum { UPN_INVALID = 0, UPN_VALID, UPN_VALID_TEMPORARY } upn_status;

/* Checks a UPN. Lower-case letters are upper-cased into norm (13 characters and a NUL) when the
 * UPN is valid (norm is untouched otherwise; it may be NULL). On UPN_INVALID, *reason (if reason
 * is not NULL) points to a static English sentence fragment such as "must be 13 characters (too
 * short)", "characters 2-12 must be digits" or "check letter is 'A', expected 'B'"; the latter is
 * written into a static buffer only for the most recent call: copy it if needed. On a valid UPN
 * *reason is set to NULL. */
upn_status upn_check(const char *s, char norm[14], const char **reason);

#endif
