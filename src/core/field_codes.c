/* field_codes.c: the rules of codes (their leniency: case, labels, aliases; the hint for one not
 * known), lists of codes, flags and UPNs (field.h). */
#include "field_internal.h"

#include "caseload/text.h"
#include "caseload/upn.h"
#include <string.h>

/* ---- codes and flags ---- */

typedef struct {
    codes_list list;
    const char *alias;
    int code;
} alias;

static const alias aliases[] = {
    {CODES_CARE_STATUS, "LAC", CARE_CLA},
    {CODES_CARE_STATUS, "CLA", CARE_CLA},
    {CODES_CARE_STATUS, "CP", CARE_CP},
    {CODES_CARE_STATUS, "CPP", CARE_CP},
    {CODES_CARE_STATUS, "CIN", CARE_CIN},
    {CODES_SEN, "N", SEN_NONE},
    {CODES_SEN, "K", SEN_SUPPORT},
    {CODES_SEN, "E", SEN_EHCP},
    {CODES_EXCLUSION_CATEGORY, "FIXD", EXCL_SUSPENSION},
    {CODES_EXCLUSION_CATEGORY, "PERM", EXCL_PERMANENT},
};

/* Whether the n bytes of s equal the string w, ignoring ASCII case. */
static bool same_word(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++)
        if (fld_lower((unsigned char)s[i]) != fld_lower((unsigned char)w[i])) return false;
    return i == n && !w[i];
}

int field_code(codes_list l, const char *s, size_t n)
{
    size_t count = codes_count(l);
    if (!s || !n) return -1;
    for (size_t i = 0; i < count; i++)
        if (same_word(s, n, codes_code(l, i))) return (int)i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (aliases[i].list == l && same_word(s, n, aliases[i].alias)) return aliases[i].code;
    for (size_t i = 0; i < count; i++)
        if (same_word(s, n, codes_label(l, i))) return (int)i;
    return -1;
}

/* The closest name (code, alias or label) within typo distance: *code is its code, *d its
 * distance; returns whether another code is as close. */
static void consider(const char *s, size_t n, const char *name, int code, int *best, size_t *bestd,
                     bool *tie)
{
    size_t k = strlen(name);
    size_t limit = k <= 3 ? 1 : k <= 6 ? 2 : 3;
    size_t d = text_edit_distance(s, n, name);
    if (d > limit || d > *bestd) return;
    if (d < *bestd) {
        *bestd = d;
        *best = code;
        *tie = false;
    } else if (code != *best) {
        *tie = true;
    }
}

void field_code_hint(codes_list l, const char *s, size_t n, buf *out)
{
    size_t count = codes_count(l);
    int best = -1;
    size_t bestd = TEXT_FAR;
    bool tie = false;
    for (size_t i = 0; i < count; i++) {
        consider(s, n, codes_code(l, i), (int)i, &best, &bestd, &tie);
        consider(s, n, codes_label(l, i), (int)i, &best, &bestd, &tie);
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (aliases[i].list == l)
            consider(s, n, aliases[i].alias, aliases[i].code, &best, &bestd, &tie);
    if (best >= 0 && !tie) {
        buf_printf(out, " (did you mean '%s'?)", codes_code(l, (size_t)best));
        return;
    }
    buf_puts(out, " (one of: ");
    for (size_t i = 0; i < count; i++)
        buf_printf(out, "%s%s", i ? ", " : "", codes_code(l, i));
    buf_putc(out, ')');
}

int field_flag(const char *s, size_t n)
{
    static const char *const yes[] = {"yes", "y", "true"}, *const no[] = {"no", "n", "false"};
    for (size_t i = 0; i < 3; i++) {
        if (same_word(s, n, yes[i])) return 1;
        if (same_word(s, n, no[i])) return 0;
    }
    return -1;
}

int field_flag_why(const char *s, size_t n, char why[FIELD_WHY])
{
    int f = field_flag(s, n);
    if (f < 0) fld_say(why, "is not yes or no (also Y/N, true/false)", NULL);
    return f;
}

/* ---- UPNs ---- */

bool field_upn(const char *s, size_t n, char out[14], char why[FIELD_WHY])
{
    char u[32];
    const char *reason = NULL;
    if (n >= sizeof u) {
        fld_say(why, "is not a UPN (13 characters)", NULL);
        return false;
    }
    memcpy(u, s, n);
    u[n] = '\0';
    if (upn_check(u, out, &reason) == UPN_INVALID) {
        fld_say(why, "is not a UPN: ", reason ? reason : "not a UPN", NULL);
        return false;
    }
    return true;
}

void field_code_why(codes_list l, const char *s, size_t n, char why[FIELD_WHY])
{
    buf b = BUF_INIT;
    buf_puts(&b, "is not ");
    const char *name = codes_list_name(l);
    /* The list's name in words: '_' a space, SEN an abbreviation ("an SEN need"). */
    bool sen = strncmp(name, "sen", 3) == 0 && (!name[3] || name[3] == '_');
    buf_puts(&b, sen || strchr("aeiou", name[0]) ? "an " : "a ");
    if (sen) {
        buf_puts(&b, "SEN");
        name += 3;
    }
    for (const char *p = name; *p; p++)
        buf_putc(&b, *p == '_' ? ' ' : *p);
    field_code_hint(l, s, n, &b);
    fld_say(why, buf_str(&b), NULL);
    buf_free(&b);
}

bool field_codes(codes_list l, const char *s, size_t n, buf *out, const char **bad, size_t *badn)
{
    size_t start = out->len;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && s[j] != ';')
            j++;
        size_t a = i, b = j;
        while (a < b && fld_blank(s[a]))
            a++;
        while (b > a && fld_blank(s[b - 1]))
            b--;
        i = j + 1;
        if (a == b) continue; /* ";;", a ';' at the end */
        int c = field_code(l, s + a, b - a);
        if (c < 0) {
            out->len = start;
            if (out->data) out->data[start] = '\0';
            if (bad) *bad = s + a;
            if (badn) *badn = b - a;
            return false;
        }
        const char *code = codes_code(l, (size_t)c);
        size_t k = strlen(code);
        bool seen = false;
        for (size_t p = start; p < out->len && !seen; p++) {
            size_t e = p;
            while (e < out->len && out->data[e] != ';')
                e++;
            seen = e - p == k && memcmp(out->data + p, code, k) == 0;
            p = e;
        }
        if (!seen) buf_printf(out, "%s%s", out->len > start ? ";" : "", code);
    }
    return true;
}
