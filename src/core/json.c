/* json.c: a small streaming JSON writer (see json.h). Compact output looks like the examples of
 * SPEC section 5 ({"a": 1, "b": [1, 2]}); pretty output puts each element on its own line,
 * indented by two spaces per level. */
#include "caseload/json.h"
#include "caseload/text.h"
#include <math.h>
#include <string.h>

void json_init(json_writer *w, buf *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
    w->first[0] = true;
}

static int slot(int depth)
{
    return depth < 0 ? 0 : depth >= JSON_MAX_DEPTH ? JSON_MAX_DEPTH - 1 : depth;
}

static void indent(json_writer *w)
{
    buf_putc(w->out, '\n');
    for (int i = 0; i < w->depth; i++)
        buf_append(w->out, "  ", 2);
}

/* What goes before a value or a key: nothing after a key, else a comma and a space or newline. */
static void prefix(json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0) return;
    int d = slot(w->depth);
    if (!w->first[d]) buf_putc(w->out, ',');
    if (w->pretty)
        indent(w);
    else if (!w->first[d])
        buf_putc(w->out, ' ');
    w->first[d] = false;
}

static void open_container(json_writer *w, char c)
{
    prefix(w);
    buf_putc(w->out, c);
    w->depth++;
    w->first[slot(w->depth)] = true;
}

static void close_container(json_writer *w, char c)
{
    bool empty = w->first[slot(w->depth)];
    if (w->depth > 0) w->depth--;
    if (w->pretty && !empty) indent(w);
    buf_putc(w->out, c);
    w->after_key = false;
}

void json_begin_object(json_writer *w)
{
    open_container(w, '{');
}

void json_end_object(json_writer *w)
{
    close_container(w, '}');
}

void json_begin_array(json_writer *w)
{
    open_container(w, '[');
}

void json_end_array(json_writer *w)
{
    close_container(w, ']');
}

void json_key(json_writer *w, const char *k)
{
    prefix(w);
    json_escape(w->out, k ? k : "");
    buf_append(w->out, ": ", 2);
    w->after_key = true;
}

void json_string(json_writer *w, const char *s)
{
    prefix(w);
    if (s)
        json_escape(w->out, s);
    else
        buf_append(w->out, "null", 4);
}

void json_int(json_writer *w, long long v)
{
    prefix(w);
    buf_printf(w->out, "%lld", v);
}

void json_number(json_writer *w, double v, int decimals)
{
    prefix(w);
    if (!isfinite(v)) {
        buf_append(w->out, "null", 4);
        return;
    }
    if (decimals < 0) decimals = 0;
    if (decimals > 9) decimals = 9;
    long long p = 1;
    for (int i = 0; i < decimals; i++)
        p *= 10;
    double scaled = fabs(v) * (double)p;
    if (scaled >= 9e15) { /* too large for exact integer arithmetic: let printf round */
        buf_printf(w->out, "%.*f", decimals, v);
        return;
    }
    /* Half away from zero on the decimal value the user meant: 0.15 is stored as
     * 0.1499999..., so nudge by a relative 1e-12 before rounding. */
    long long r = (long long)floor(scaled * (1 + 1e-12) + 0.5);
    if (v < 0 && r != 0) buf_putc(w->out, '-');
    buf_printf(w->out, "%lld", r / p);
    if (decimals) buf_printf(w->out, ".%0*lld", decimals, r % p);
}

void json_bool(json_writer *w, bool v)
{
    prefix(w);
    buf_puts(w->out, v ? "true" : "false");
}

void json_null(json_writer *w)
{
    prefix(w);
    buf_append(w->out, "null", 4);
}

void json_escape(buf *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(out, '"');
    if (!s) s = "";
    size_t n = strlen(s), i = 0, run = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F && c < 0x80) {
            i++;
            continue;
        }
        size_t k = 0;
        if (c >= 0x80) {
            k = text_utf8_len(s + i, n - i, NULL);
            if (k) { /* valid UTF-8 passes through */
                i += k;
                continue;
            }
        }
        buf_append(out, s + run, i - run);
        switch (c) {
        case '"': buf_append(out, "\\\"", 2); break;
        case '\\': buf_append(out, "\\\\", 2); break;
        case '\n': buf_append(out, "\\n", 2); break;
        case '\r': buf_append(out, "\\r", 2); break;
        case '\t': buf_append(out, "\\t", 2); break;
        case '\b': buf_append(out, "\\b", 2); break;
        case '\f': buf_append(out, "\\f", 2); break;
        default:
            if (c >= 0x80) { /* a byte that is not UTF-8: the replacement character */
                buf_append(out, "\\ufffd", 6);
            } else {
                char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                buf_append(out, e, 6);
            }
        }
        i++;
        run = i;
    }
    buf_append(out, s + run, n - run);
    buf_putc(out, '"');
}
