/* buf: a growable byte buffer that always keeps a terminating NUL.
 * Used to build output text (CSV, JSON, tables) without fixed-size arrays. */
#ifndef CASELOAD_BUF_H
#define CASELOAD_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} buf;

#define BUF_INIT                                                                                   \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Appends n bytes of s. Aborts the program if memory runs out (nothing sensible can follow). */
void buf_append(buf *b, const char *s, size_t n);
/* Appends a NUL-terminated string. */
void buf_puts(buf *b, const char *s);
/* Appends one byte. */
void buf_putc(buf *b, char c);
/* Appends printf-formatted text. */
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Empties the buffer, keeping its memory. */
void buf_reset(buf *b);
/* Frees the memory; the buffer is then empty and may be reused. */
void buf_free(buf *b);
/* Returns the text, "" when nothing was appended (never NULL). */
const char *buf_str(const buf *b);

#endif
