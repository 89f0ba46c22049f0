/* fuzz_upn: libFuzzer harness of the UPN check, and of the other small parsers that see what
 * users type: date_parse and text_sanitize.
 *  - upn_check: never crashes; an invalid UPN always has a reason; a valid one normalises to 13
 *    upper-case characters that check the same way again, and only differs from the input in case.
 *  - date_parse: an accepted date formats back to the same 10 characters.
 *  - text_sanitize: the output is valid UTF-8 with no control characters (text_is_clean), and
 *    clean input comes through unchanged.
 * Build: CC=clang meson setup build-fuzz -Dfuzz=true && ninja -C build-fuzz, then
 * build-fuzz/tests/fuzz/fuzz_upn -max_total_time=60 (a corpus folder is optional). */
#include "caseload/buf.h"
#include "caseload/date.h"
#include "caseload/text.h"
#include "caseload/upn.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    if (size) memcpy(s, data, size);
    s[size] = '\0';

    char norm[14];
    const char *reason = NULL;
    upn_status st = upn_check(s, norm, &reason);
    if (st == UPN_INVALID) {
        if (!reason || !*reason) abort();
    } else {
        if (strlen(norm) != 13 || strlen(s) != 13) abort();
        for (int i = 0; i < 13; i++) {
            char a = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
            if (a != norm[i] || (a >= 'a' && a <= 'z')) abort();
        }
        char again[14];
        if (upn_check(norm, again, NULL) != st || memcmp(again, norm, 14) != 0) abort();
        if ((st == UPN_VALID_TEMPORARY) != (norm[12] >= 'A' && norm[12] <= 'Z')) abort();
    }

    date_t d;
    if (date_parse((const char *)data, size, &d)) {
        char out[11];
        date_format(d, out);
        if (size != 10 || memcmp(out, data, 10) != 0) abort();
    }

    buf clean = BUF_INIT;
    size_t replaced = text_sanitize_n(&clean, (const char *)data, size);
    if (!text_is_clean(buf_str(&clean)) || !text_utf8_valid(clean.data, clean.len)) abort();
    if (strlen(buf_str(&clean)) != clean.len) abort(); /* no NUL survives */
    if (replaced == 0 && (clean.len != size || (size && memcmp(clean.data, data, size) != 0)))
        abort();
    buf_free(&clean);
    free(s);
    return 0;
}
