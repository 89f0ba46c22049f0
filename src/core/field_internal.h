/* field_internal.h: what the field*.c files share (field.h is their contract). Not for use outside
 * src/core/field*.c. */
#ifndef CASELOAD_FIELD_INTERNAL_H
#define CASELOAD_FIELD_INTERNAL_H

#include "caseload/field.h"
#include <stdbool.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* Writes the strings given (up to a NULL) one after another into why (core does no stdio). */
void fld_say(char why[FIELD_WHY], ...) __attribute__((sentinel));
/* v in decimal, or in hex with at least `width` digits when width > 0, into out. */
const char *fld_num(unsigned long v, int width, char out[24]);

static inline int fld_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static inline bool fld_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A header's or a kind's character as compared: lower case, '_' for a space or hyphen. */
static inline int fld_column_char(int c)
{
    return c == ' ' || c == '-' ? '_' : fld_lower(c);
}

static inline bool fld_blank(char c)
{
    return c == ' ' || c == '\t';
}

#endif
