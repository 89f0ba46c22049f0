/* json: a small streaming JSON writer that takes care of commas and escaping. */
#ifndef CASELOAD_JSON_H
#define CASELOAD_JSON_H

#include "caseload/buf.h"
#include <stdbool.h>

#define JSON_MAX_DEPTH 32

typedef struct {
    buf *out;
    int depth;
    bool first[JSON_MAX_DEPTH]; /* no element written yet at this depth */
    bool after_key;
    bool pretty; /* newlines and two-space indentation */
} json_writer;

void json_init(json_writer *w, buf *out, bool pretty);
void json_begin_object(json_writer *w);
void json_end_object(json_writer *w);
void json_begin_array(json_writer *w);
void json_end_array(json_writer *w);
/* Writes an object key; the next value call writes its value. */
void json_key(json_writer *w, const char *k);
/* Writes a string value (NULL writes null). Control characters are escaped as \u00XX. */
void json_string(json_writer *w, const char *s);
void json_int(json_writer *w, long long v);
/* A number with the given decimal places (e.g. 1 for "12.5"), rounded half away from zero;
 * NaN and infinities are written as null. */
void json_number(json_writer *w, double v, int decimals);
void json_bool(json_writer *w, bool v);
void json_null(json_writer *w);
/* Appends s as a JSON string literal, quotes included, to out. Bytes that are not valid UTF-8
 * are written as \ufffd so the output is always valid JSON. NULL is written as "". */
void json_escape(buf *out, const char *s);

#endif
