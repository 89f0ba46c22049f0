/* fuzz_config: libFuzzer harness of the YAML configuration loader (config_parse). Any input must
 * give EXIT_OK or EXIT_CONFIG without crashing; an accepted configuration must print as YAML that
 * loads back (write -> load) to the same printed text; a rejected one must leave the defaults and
 * messages free of control characters other than the newline ending each line.
 * Build: CC=clang meson setup build-fuzz -Dfuzz=true && ninja -C build-fuzz, then run
 * build-fuzz/tests/fuzz/fuzz_config -max_len=4096 (a corpus folder is optional). */
#include "caseload/buf.h"
#include "caseload/config.h"
#include "caseload/exitcode.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    config c;
    buf errors = BUF_INIT;
    int rc = config_parse("fuzz.yaml", (const char *)data, size, &c, &errors);
    if (rc != EXIT_OK && rc != EXIT_CONFIG) abort();
    if ((rc == EXIT_OK) != (errors.len == 0)) abort();
    for (size_t i = 0; i < errors.len; i++) {
        unsigned char ch = (unsigned char)errors.data[i];
        if ((ch < 0x20 && ch != '\n') || ch == 0x7f) abort();
    }
    if (rc == EXIT_OK) {
        buf once = BUF_INIT, twice = BUF_INIT;
        config_write(&c, &once);
        config back;
        buf_reset(&errors);
        if (config_parse("fuzz.yaml", buf_str(&once), once.len, &back, &errors) != EXIT_OK) abort();
        config_write(&back, &twice);
        if (once.len != twice.len || memcmp(buf_str(&once), buf_str(&twice), once.len) != 0)
            abort();
        config_free(&back);
        buf_free(&once);
        buf_free(&twice);
    } else if (c.source[0] != '\0') {
        abort();
    }
    config_free(&c);
    buf_free(&errors);
    return 0;
}
