/* upn.c: the DfE Unique Pupil Number check of SPEC section 2. A UPN is 13 characters: a check
 * letter, eleven digits, and a digit (or, for a temporary UPN, a letter). The check letter is
 * LETTERS[(sum of v(char p) * p for p = 2..13) mod 23], v being a digit's value or, for the last
 * character, a letter's index in LETTERS. */
#include "caseload/upn.h"
#include <string.h>

static const char letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ"; /* no I, O, S; index 0-22 */

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Index of c in letters, or -1. */
static int letter_index(char c)
{
    if (c < 'A' || c > 'Z') return -1;
    const char *p = strchr(letters, c);
    return p ? (int)(p - letters) : -1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "check letter is 'G', expected 'E'" for every given letter G and expected E (both in letters),
 * fixed strings: a later call never changes the reason an earlier one returned. */
#define R(g, e) "check letter is '" #g "', expected '" #e "'"
#define ROW(g)                                                                                     \
    {                                                                                              \
        R(g, A), R(g, B), R(g, C), R(g, D), R(g, E), R(g, F), R(g, G), R(g, H), R(g, J), R(g, K),  \
            R(g, L), R(g, M), R(g, N), R(g, P), R(g, Q), R(g, R), R(g, T), R(g, U), R(g, V),       \
            R(g, W), R(g, X), R(g, Y), R(g, Z)                                                     \
    }
static const char *const check_reasons[23][23] = {
    ROW(A), ROW(B), ROW(C), ROW(D), ROW(E), ROW(F), ROW(G), ROW(H), ROW(J), ROW(K), ROW(L), ROW(M),
    ROW(N), ROW(P), ROW(Q), ROW(R), ROW(T), ROW(U), ROW(V), ROW(W), ROW(X), ROW(Y), ROW(Z)};
#undef ROW
#undef R

static upn_status invalid(const char **reason, const char *why)
{
    if (reason) *reason = why;
    return UPN_INVALID;
}

upn_status upn_check(const char *s, char norm[14], const char **reason)
{
    if (!s || !*s) return invalid(reason, "is empty");
    if (strchr(s, ' ') || strchr(s, '\t')) return invalid(reason, "must not contain spaces");
    size_t chars = 0; /* characters, counting a UTF-8 sequence as one */
    for (const char *p = s; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80) chars++;
    if (chars < 13) return invalid(reason, "must be 13 characters (too short)");
    if (chars > 13) return invalid(reason, "must be 13 characters (too long)");
    if (strlen(s) != 13) return invalid(reason, "must hold only letters and digits");
    char u[14];
    for (int i = 0; i < 13; i++)
        u[i] = upper(s[i]);
    u[13] = '\0';
    if (letter_index(u[0]) < 0)
        return invalid(reason, "character 1 must be a check letter (A-Z but not I, O or S)");
    for (int i = 1; i < 12; i++)
        if (!is_digit(u[i])) return invalid(reason, "characters 2-12 must be digits");
    int last;
    if (is_digit(u[12])) {
        last = u[12] - '0';
    } else {
        last = letter_index(u[12]);
        if (last < 0)
            return invalid(reason, "character 13 must be a digit, or a letter (not I, O or S) "
                                   "for a temporary UPN");
    }
    long sum = (long)last * 13;
    for (int p = 2; p <= 12; p++)
        sum += (long)(u[p - 1] - '0') * p;
    char expected = letters[sum % 23];
    if (expected != u[0]) {
        return invalid(reason, check_reasons[letter_index(u[0])][letter_index(expected)]);
    }
    if (norm) memcpy(norm, u, 14);
    if (reason) *reason = NULL;
    return is_digit(u[12]) ? UPN_VALID : UPN_VALID_TEMPORARY;
}

static int is_letter(char c)
{
    c = upper(c);
    return c >= 'A' && c <= 'Z';
}

bool upn_shaped(const char *s)
{
    if (!s || strlen(s) != 13 || !is_letter(s[0])) return false;
    for (int i = 1; i < 12; i++)
        if (!is_digit(s[i])) return false;
    return is_digit(s[12]) || is_letter(s[12]);
}
