/* text: making text from data safe to show on a terminal, and UTF-8 validation.
 * Nothing from a file or the database may move the cursor, change colours or retitle a window,
 * so every control character and every byte that is not valid UTF-8 is replaced before display. */
#ifndef CASELOAD_TEXT_H
#define CASELOAD_TEXT_H

#include "caseload/buf.h"
#include <stdbool.h>
#include <stddef.h>

/* The placeholder written for each character text_sanitize replaces: '?' (one column wide,
 * ASCII, so it also survives terminals that are not UTF-8). */
#define TEXT_PLACEHOLDER '?'

/* Length (1-4) of the valid UTF-8 sequence at s (at most n bytes available), or 0 when the bytes
 * at s are not valid UTF-8 (bad lead byte, truncated or bad continuation, overlong form,
 * a surrogate U+D800-U+DFFF, or above U+10FFFF). n == 0 returns 0. If cp is not NULL it receives
 * the code point of a valid sequence. */
size_t text_utf8_len(const char *s, size_t n, unsigned *cp);
/* Whether the n bytes of s are valid UTF-8 throughout. */
bool text_utf8_valid(const char *s, size_t n);
/* Whether cp is a bidirectional override, embedding or isolate (U+202A-U+202E, U+2066-U+2069):
 * characters that make text read in another order than it is stored ("Trojan source"). */
bool text_is_bidi_control(unsigned cp);
/* Appends the n bytes of s to out, replacing with TEXT_PLACEHOLDER each C0 control (U+0000-U+001F,
 * including ESC, CR, LF and TAB), DEL (U+007F), C1 control (U+0080-U+009F), bidi control
 * (text_is_bidi_control) and each byte that is not part of valid UTF-8 (one placeholder per bad
 * byte). Everything else is copied unchanged. Returns the number of characters replaced. */
size_t text_sanitize_n(buf *out, const char *s, size_t n);
/* text_sanitize_n for whole lines of output on their way to a terminal (CSV, JSON, tables): the
 * same, except that LF and a CR directly before an LF are kept. */
size_t text_sanitize_lines(buf *out, const char *s, size_t n);
/* text_sanitize_n over a NUL-terminated string; NULL appends nothing. */
void text_sanitize(buf *out, const char *s);
/* Whether s (NUL-terminated) would come through text_sanitize unchanged (no control character,
 * no bidi control, valid UTF-8). */
bool text_is_clean(const char *s);

/* Display width on a terminal, the one measure of the app and the command line: in a UTF-8
 * locale (LC_CTYPE) wcwidth's columns (2 for Chinese, Korean and other wide characters, 0 for
 * combining marks such as U+0301 or Devanagari vowel signs); elsewhere every non-ASCII
 * character is shown as the placeholder, one column. text_cp_width: one code point (those
 * wcwidth does not know count 1). */
int text_cp_width(unsigned cp);
/* Appends to out as much of s (already sanitized) as fits in width columns, characters the
 * locale cannot show written as TEXT_PLACEHOLDER; a wide character that would overflow is left
 * out. Returns the columns used. */
int text_fit(buf *out, const char *s, int width);
/* The columns s (already sanitized) takes, as text_fit shows it. */
int text_width(const char *s);

/* "Did you mean": the edit distance (optimal string alignment: insert, delete, substitute, swap
 * two neighbours; ASCII letters compared ignoring case) between the la bytes of a and the string b;
 * TEXT_FAR when either is longer than 63 bytes. */
#define TEXT_FAR 99
size_t text_edit_distance(const char *a, size_t la, const char *b);
/* The closest of names[0..n) to the len bytes of word, or NULL when none is close enough to be a
 * likely typo (at most 1 edit for names of up to 3 bytes, 2 up to 6, else 3). */
const char *text_closest(const char *word, size_t len, const char *const *names, size_t n);

/* Search folding: appends s (NUL-terminated; NULL appends nothing) to out as ICU's transliterator
 * "NFD; Latin-ASCII; Any-Lower; NFC" writes it: Latin letters lose their accents and case and
 * ligatures are spelt out (Oisín -> oisin, Łucja Dąbrowska -> lucja dabrowska, Straße -> strasse,
 * Æ -> ae), other scripts are only lower-cased where they have case (Devanagari stays as it is).
 * ASCII text is lower-cased without ICU. Bytes that are not valid UTF-8 become U+FFFD. If ICU
 * cannot be opened, non-ASCII text is appended unchanged (ASCII still lower-cased). The one rule
 * of "the same name however it is typed": the `/` search, the child finder and import's
 * possible-duplicate check all compare text_fold of both sides. */
void text_fold(buf *out, const char *s);
/* text_fold of the n bytes at s. */
void text_fold_n(buf *out, const char *s, size_t n);

#endif
