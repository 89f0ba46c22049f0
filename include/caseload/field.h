/* field: the rule of each field a person or a file gives caseload, written once (SPEC sections 2,
 * 6 and 11). Import, the app's forms and the command line all call these, so what one accepts
 * the others accept. Pure rules: no I/O.
 *
 * The functions that can refuse a value write why into a buffer of FIELD_WHY bytes as a sentence
 * fragment that follows the value, e.g. "is not a date (YYYY-MM-DD)", so that callers may say
 * "dob: '31/02/2010' is not a date (YYYY-MM-DD)" where the value may be shown, or
 * "dob: is not a date" where it may not. The fragments never hold the value itself. */
#ifndef CASELOAD_FIELD_H
#define CASELOAD_FIELD_H

#include "caseload/buf.h"
#include "caseload/codes.h"
#include "caseload/date.h"
#include <stdbool.h>
#include <stddef.h>

#define FIELD_WHY 200

/* ---- dates ---- */

/* Every date lies in 1990-01-01 ... 2100-12-31: a child born before 1990 is past the age anyone
 * in a Virtual School's cohort can be, and a later year is a typing slip. */
#define FIELD_DATE_MIN_Y 1990
#define FIELD_DATE_MAX_Y 2100

enum {
    FIELD_DMY = 1, /* also read DD/MM/YYYY and D/M/YYYY (the app's forms; --date-format dmy) */
};

/* Reads the n bytes of s (no surrounding blanks) as a date: YYYY-MM-DD, or with FIELD_DMY also
 * DD/MM/YYYY and D/M/YYYY. A time part " 00:00:00" (or " 00:00", or 'T' for the space) after
 * the date is dropped; any other time is refused. Returns true with *out set; false with why
 * ("is not a date (YYYY-MM-DD)", "is before 1990-01-01 ...", "is after 2100-12-31 ..."; a
 * DD/MM/YYYY date without FIELD_DMY says to read it with --date-format dmy). */
bool field_date(const char *s, size_t n, unsigned flags, date_t *out, char why[FIELD_WHY]);
/* A date of something that has happened (received, dob, closed, an outcome, an action) is not
 * after today. Returns true when d <= today; else false with why "is after today (YYYY-MM-DD)". */
bool field_date_past(date_t d, date_t today, char why[FIELD_WHY]);
/* A date that cannot come before another one of the same record (closed after received, a
 * follow-up after its action, a child born on or before the referral is received, an end after
 * its start). Returns true when d >= first; else false with why "is before NAME (YYYY-MM-DD)". */
bool field_date_from(date_t d, date_t first, const char *name, char why[FIELD_WHY]);
/* The names field_date_from gives the dates another may not come before, so that import, the
 * app's forms and the command line word the same rule alike. */
#define FIELD_FROM_BIRTH "the child's date of birth"
#define FIELD_FROM_ACTION "the action's date"              /* a follow-up, and when it was done */
#define FIELD_FROM_RECEIVED "the referral's received date" /* an outcome */
#define FIELD_FROM_EPISODE "the episode's start"           /* its end */

/* ---- numbers ---- */

/* Plausible maxima: a record of attendance covers at most a few school years (380 sessions a
 * year), an exclusion at most a school year of days, an episode a full week of school hours. */
#define FIELD_MAX_SESSIONS 1000
#define FIELD_MAX_DAYS 200
#define FIELD_MAX_HOURS 60

/* Numbers are plain decimals: digits, and for days and hours one '.' with digits after it
 * (0.5, 2.5). No sign, blank, thousands separator, hex (0x10) or exponent (1e3).
 * field_sessions: a whole number 0 ... FIELD_MAX_SESSIONS.
 * field_days: a number above 0, at most FIELD_MAX_DAYS (exclusions).
 * field_hours: a number 0 ... FIELD_MAX_HOURS (hours a week of an episode).
 * Each returns true with *out set, or false with why. */
bool field_sessions(const char *s, size_t n, long *out, char why[FIELD_WHY]);
bool field_days(const char *s, size_t n, double *out, char why[FIELD_WHY]);
bool field_hours(const char *s, size_t n, double *out, char why[FIELD_WHY]);
/* A record's attended sessions are at most its possible ones. Returns true when
 * attended <= possible; else false with why "is more than possible_sessions N". */
bool field_attended(long attended, long possible, char why[FIELD_WHY]);

/* ---- codes and flags ---- */

/* The index of the code of list l that the n bytes of s stand for, or -1. Lenient about form,
 * strict about meaning: case is ignored; the label of SPEC section 2 stands for its code
 * ("Looked after", "Child protection"); and the aliases: care status LAC/CLA -> cla, CP/CPP -> cp,
 * CIN -> cin; SEN N/K/E -> none/sen_support/ehcp; exclusion FIXD/PERM -> suspension/permanent. */
int field_code(codes_list l, const char *s, size_t n);
/* Appends to out a hint for a value of list l that field_code did not know:
 * " (did you mean 'x'?)" when one code (through its code, label or alias) is a likely typo and no
 * code of another meaning is as close, else " (one of: a, b, ...)". So 'LACC' is offered 'cla',
 * never 'plac'. */
void field_code_hint(codes_list l, const char *s, size_t n, buf *out);
/* Why the n bytes of s are not a code of list l (field_code gave -1), the one wording of import,
 * sync resolve and the conflicts screen: "is not a care status" and field_code_hint's hint. */
void field_code_why(codes_list l, const char *s, size_t n, char why[FIELD_WHY]);
/* A list of codes of list l separated by ';' (a referral's other issues), the n bytes of s: each
 * item without the blanks around it is read by field_code; empty items (";;", a ';' at the end)
 * are skipped and a code given twice counts once. Appends the codes as stored (canonical, in the
 * order first given, joined by ';'; nothing when there is none) to out and returns true; or
 * returns false, out as it was, with *bad and *badn (each may be NULL) the first item that is not
 * a code of l. */
bool field_codes(codes_list l, const char *s, size_t n, buf *out, const char **bad, size_t *badn);
/* A flag: yes/no, y/n, true/false in any case. Returns 1, 0, or -1 when it is none of them. */
int field_flag(const char *s, size_t n);
/* field_flag, or -1 with why "is not yes or no (also Y/N, true/false)". */
int field_flag_why(const char *s, size_t n, char why[FIELD_WHY]);

/* ---- UPNs ---- */

/* A UPN (upn_check, SPEC section 2): the n bytes of s as stored (upper case) with a NUL into out;
 * or false with why "is not a UPN: REASON" (the reason of upn_check). */
bool field_upn(const char *s, size_t n, char out[14], char why[FIELD_WHY]);

/* ---- officers ---- */

/* Officer initials are 1 to FIELD_INITIALS_MAX letters A-Z, kept upper case ("jh" is "JH"). */
#define FIELD_INITIALS_MAX 4
/* Checks the n bytes of s as initials and writes them upper-cased with a NUL into out. Returns
 * true, or false with why. */
bool field_initials(const char *s, size_t n, char out[FIELD_INITIALS_MAX + 1], char why[FIELD_WHY]);

/* ---- kinds of action ---- */

/* A kind of action (call, email, meeting, visit, ...) is a word of 1 to FIELD_KIND_MAX letters,
 * digits and '_', kept lower case; a space or hyphen stands for '_' ("Home visit" is
 * home_visit). */
#define FIELD_KIND_MAX 31
/* Checks the n bytes of s and writes the kind with a NUL into out. Returns true, or false with
 * why. */
bool field_action_kind(const char *s, size_t n, char out[FIELD_KIND_MAX + 1], char why[FIELD_WHY]);

/* ---- text ---- */

typedef enum {
    FIELD_TEXT_OK = 0,
    FIELD_TEXT_NOT_UTF8, /* a byte that is not part of valid UTF-8 */
    FIELD_TEXT_CONTROL,  /* a C0 control, DEL or a C1 control (newline and tab where allowed) */
    FIELD_TEXT_BIDI,     /* a bidirectional override or isolate, U+202A-U+202E, U+2066-U+2069 */
    FIELD_TEXT_MOJIBAKE, /* UTF-8 once read as Windows-1252 and saved again: "Ã©" for "é" */
} field_text_fault;

/* Checks the n bytes of s as stored text: valid UTF-8, no control character (newline and tab
 * only when multiline: notes and summaries), no bidirectional override or isolate anywhere, and
 * no mojibake: a character U+00C2-U+00DF or U+00E2 (the Windows-1252 reading of a UTF-8 lead
 * byte) followed by one that Windows-1252 makes of a continuation byte 0x80-0xBF (U+00A0-U+00BF,
 * or one of the 27 characters of 0x80-0x9F such as U+20AC and U+2019).
 * Returns FIELD_TEXT_OK, or the fault with why ("holds a control character (U+001B)"; for bad
 * bytes "is not UTF-8 (byte 0xE9 at character 4)"); why may be NULL. */
field_text_fault field_text(const char *s, size_t n, bool multiline, char why[FIELD_WHY]);

/* A spreadsheet's guard: when the n bytes of *s start with ' followed by '=', '+', '-' or '@'
 * (how a CSV for Excel keeps text from becoming a formula), the ' is removed from *s and *n. */
void field_unguard(const char **s, size_t *n);

/* ---- columns and names ---- */

/* The index among cols[0..ncols) of the column a header cell names, or -1: case is ignored and a
 * space or hyphen stands for '_' ("First Name" is first_name, "LA Child ID" is la_child_id, "DOB"
 * is dob). The n bytes of s have no surrounding blanks. */
int field_column(const char *s, size_t n, const char *const *cols, size_t ncols);
/* Appends the n bytes of s as field_column compares them (lower case, '_' for space and '-'). */
void field_column_key(const char *s, size_t n, buf *out);

/* ---- the stored fields ---- */

/* What rule a column of a stored row follows, for a value typed by hand for it (resolving a
 * conflict of offline copies: `sync resolve ID set VALUE` and the app's conflicts screen). */
typedef enum {
    FIELD_RULE_FIXED = 0, /* not set by hand: keys, links between rows, timestamps, the log */
    FIELD_RULE_TEXT,      /* one line of text (field_text) */
    FIELD_RULE_NOTE,      /* text of several lines: notes and summaries */
    FIELD_RULE_DATE,      /* a date (field_date with FIELD_DMY) */
    FIELD_RULE_PAST,      /* a date of something that happened: also field_date_past */
    FIELD_RULE_CODE,      /* a code of list `list` (field_code: labels and aliases too) */
    FIELD_RULE_CODES,     /* codes of list `list` separated by ';' (other issues: field_codes) */
    FIELD_RULE_FLAG,      /* field_flag, stored 1 or 0 */
    FIELD_RULE_UPN,       /* a UPN (upn_check), stored upper case */
    FIELD_RULE_INITIALS,  /* officer initials (field_initials) */
    FIELD_RULE_KIND,      /* a kind of action (field_action_kind) */
    FIELD_RULE_SESSIONS,  /* field_sessions, stored as an integer */
    FIELD_RULE_DAYS,      /* field_days, stored as a number */
    FIELD_RULE_HOURS,     /* field_hours, stored as a number */
    FIELD_RULE_OFFICER,   /* officer_id: typed as the officer's initials (field_initials) */
    FIELD_RULE_SCHOOL     /* school_id: typed as the school's URN (clean text) */
} field_rule_kind;

/* A column of a stored row: its table and column as the schema names them, its label as the app
 * shows it ("Date of birth"), its rule. */
typedef struct field_rule {
    const char *table, *column, *label;
    field_rule_kind kind;
    codes_list list; /* FIELD_RULE_CODE, FIELD_RULE_CODES */
    bool required;   /* "" (no value) is refused */
} field_rule;

/* The rule of column `column` of table `table`, or NULL when caseload has no such column (a
 * column that exists but is not set by hand has a rule of kind FIELD_RULE_FIXED). */
const field_rule *field_rule_of(const char *table, const char *column);

/* Checks the n bytes of s (surrounding blanks are dropped) by rule r as of today, and writes the
 * value as it is stored into out (appended): the code, not its label; YYYY-MM-DD; initials and
 * UPNs upper case; 1 or 0 for a flag; numbers as read; for FIELD_RULE_OFFICER the initials and
 * for FIELD_RULE_SCHOOL the URN (the caller finds the row). "" (no value) is accepted where not
 * required and writes nothing. On failure out may hold part of a value. Returns true, or false
 * with why ("is required", "is after today
 * (2024-02-01)", "is not a care status (one of: cin, ...)", "cannot be set by hand"); why never
 * holds the value. */
bool field_value(const field_rule *r, const char *s, size_t n, date_t today, buf *out,
                 char why[FIELD_WHY]);

#endif
