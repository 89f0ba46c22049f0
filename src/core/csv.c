/* csv.c: an RFC 4180 reader over text in memory (see csv.h), and the quoting rule for writing.
 * A line break is LF, CRLF or a lone CR; line numbers count every one of them, also those inside
 * quoted fields, so that each record knows the line on which it starts. */
#include "caseload/csv.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bytes that end an unquoted run: separator, line breaks, quote, NUL. */
static const unsigned char special[256] = {[','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1, [0] = 1};

static void fail(csv_reader *r, const char *msg, long line);

/* Eight bytes with every byte set to c. */
#define ALL(c) (0x0101010101010101ULL * (unsigned char)(c))
/* Nonzero when one of the eight bytes of x is zero. */
#define HAS_ZERO(x) (((x)-ALL(1)) & ~(x)&ALL(0x80))

/* Index of the first special byte at or after i (len when there is none), eight bytes at a time:
 * most of a file is plain field text. In each HAS_ZERO mask the lowest flagged byte is exact (a
 * false flag can only follow a true one), so on a little-endian machine the first special byte is
 * the lowest flag of all the masks. */
static size_t scan_plain(const char *t, size_t i, size_t len)
{
    while (i + 8 <= len) {
        uint64_t v;
        memcpy(&v, t + i, 8);
        uint64_t m = HAS_ZERO(v ^ ALL(',')) | HAS_ZERO(v ^ ALL('\n')) | HAS_ZERO(v ^ ALL('\r')) |
                     HAS_ZERO(v ^ ALL('"')) | HAS_ZERO(v);
        if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return i + (size_t)(__builtin_ctzll(m) / 8);
#else
            break;
#endif
        }
        i += 8;
    }
    while (i < len && !special[(unsigned char)t[i]])
        i++;
    return i;
}

/* Counts the line breaks in t[a, b) (the inside of a quoted field) into r->line; fails on a NUL. */
static int count_lines(csv_reader *r, size_t a, size_t b)
{
    const char *t = r->text;
    if (a >= b) return 0;
    if (memchr(t + a, '\0', b - a)) {
        fail(r, "NUL byte in the text (is the file UTF-8?)", r->line);
        return -1;
    }
    if (!memchr(t + a, '\r', b - a)) { /* the usual case: LF only */
        for (const char *p = t + a, *e = t + b; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            r->line++;
        return 0;
    }
    for (size_t i = a; i < b; i++) {
        if (t[i] == '\n')
            r->line++;
        else if (t[i] == '\r' && (i + 1 >= r->len || t[i + 1] != '\n'))
            r->line++;
    }
    return 0;
}

void csv_init(csv_reader *r, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->text = text;
    r->len = len;
    r->line = 1;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        r->pos = 3;
}

static void fail(csv_reader *r, const char *msg, long line)
{
    r->error = msg;
    r->error_line = line;
    r->pos = r->len;
}

static void start_field(csv_reader *r)
{
    if (r->nfields == r->cap_fields) {
        size_t cap = r->cap_fields ? r->cap_fields * 2 : 32;
        size_t *p = realloc(r->offsets, cap * sizeof *p);
        if (!p) abort();
        r->offsets = p;
        r->cap_fields = cap;
    }
    r->offsets[r->nfields++] = r->field_text.len;
}

/* Appends an unquoted field's n bytes and the NUL that ends it: inline when there is room, as
 * it is for every field once the first records have sized the buffer. */
static void put_field(csv_reader *r, const char *src, size_t n)
{
    buf *b = &r->field_text;
    if (b->data && b->len + n + 1 < b->cap) {
        memcpy(b->data + b->len, src, n);
        b->len += n;
        b->data[b->len++] = '\0';
        b->data[b->len] = '\0';
    } else {
        buf_append(b, src, n);
        buf_putc(b, '\0');
    }
}

/* Consumes a line break at pos if there is one; returns whether it did. */
static int take_newline(csv_reader *r)
{
    const char *t = r->text;
    if (r->pos >= r->len) return 0;
    if (t[r->pos] == '\n') {
        r->pos++;
    } else if (t[r->pos] == '\r') {
        r->pos++;
        if (r->pos < r->len && t[r->pos] == '\n') r->pos++;
    } else {
        return 0;
    }
    r->line++;
    return 1;
}

/* Appends t[a, b) (inside a quoted field) to the field text, each CRLF or lone CR as LF: a line
 * break in a field is a newline, whichever program wrote the file. */
static void put_quoted(csv_reader *r, size_t a, size_t b)
{
    const char *t = r->text;
    const char *cr = memchr(t + a, '\r', b - a);
    if (!cr) {
        buf_append(&r->field_text, t + a, b - a);
        return;
    }
    for (size_t i = a; i < b;) {
        const char *p = memchr(t + i, '\r', b - i);
        size_t e = p ? (size_t)(p - t) : b;
        buf_append(&r->field_text, t + i, e - i);
        if (!p) break;
        buf_putc(&r->field_text, '\n');
        i = e + 1;
        if (i < b && t[i] == '\n') i++;
    }
}

/* Reads a quoted field whose opening quote is at pos. Returns 0, or -1 after fail(). */
static int quoted_field(csv_reader *r)
{
    const char *t = r->text;
    long start_line = r->line;
    r->pos++; /* the opening quote */
    for (;;) {
        const char *q = memchr(t + r->pos, '"', r->len - r->pos);
        if (!q) {
            fail(r, "unterminated quoted field", start_line);
            return -1;
        }
        size_t end = (size_t)(q - t);
        if (count_lines(r, r->pos, end) < 0) return -1;
        put_quoted(r, r->pos, end);
        r->pos = end + 1;
        if (r->pos < r->len && t[r->pos] == '"') { /* "" stands for one quote */
            buf_putc(&r->field_text, '"');
            r->pos++;
            continue;
        }
        break;
    }
    if (r->pos < r->len) {
        char c = t[r->pos];
        if (c != ',' && c != '\n' && c != '\r') {
            fail(r, "text after a closing quote", r->line);
            return -1;
        }
    }
    return 0;
}

int csv_next(csv_reader *r)
{
    const char *t = r->text;
    if (r->error) return -1;
    buf_reset(&r->field_text);
    r->nfields = 0;
    /* Blank lines are not records. */
    while (take_newline(r)) {
    }
    if (r->pos >= r->len) return 0;
    r->record_line = r->line;
    for (;;) {
        start_field(r);
        if (t[r->pos] == '"') {
            if (quoted_field(r) < 0) return -1;
            buf_putc(&r->field_text, '\0');
        } else {
            size_t i = scan_plain(t, r->pos, r->len);
            if (i < r->len && t[i] == '"') {
                fail(r,
                     "quote inside an unquoted field (quote the whole field and double the quote)",
                     r->line);
                return -1;
            }
            if (i < r->len && t[i] == '\0') {
                fail(r, "NUL byte in the text (is the file UTF-8?)", r->line);
                return -1;
            }
            put_field(r, t + r->pos, i - r->pos);
            r->pos = i;
        }
        if (r->pos >= r->len) return 1;
        if (t[r->pos] == ',') {
            r->pos++;
            if (r->pos >= r->len) { /* "a,b," at the very end: one last empty field */
                start_field(r);
                put_field(r, "", 0);
                return 1;
            }
            continue;
        }
        take_newline(r);
        return 1;
    }
}

size_t csv_nfields(const csv_reader *r)
{
    return r->nfields;
}

const char *csv_field(const csv_reader *r, size_t i)
{
    if (i >= r->nfields) return "";
    return r->field_text.data + r->offsets[i];
}

void csv_free(csv_reader *r)
{
    buf_free(&r->field_text);
    free(r->offsets);
    r->offsets = NULL;
    r->nfields = r->cap_fields = 0;
}

void csv_write_field(buf *out, const char *s)
{
    if (!s) return;
    /* A field starting with a byte order mark is quoted too, or a reader would skip the mark
     * when the field opens the file. */
    if (!s[strcspn(s, ",\"\r\n")] && strncmp(s, "\xEF\xBB\xBF", 3) != 0) {
        buf_puts(out, s);
        return;
    }
    buf_putc(out, '"');
    for (const char *p = s;;) {
        const char *q = strchr(p, '"');
        if (!q) {
            buf_puts(out, p);
            break;
        }
        buf_append(out, p, (size_t)(q - p + 1));
        buf_putc(out, '"');
        p = q + 1;
    }
    buf_putc(out, '"');
}
