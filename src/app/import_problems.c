/* import_problems.c: the problems of an import, each FILE:LINE: COLUMN: message, the same
 * problem on many rows shown five times and then counted (SPEC section 6). */
#include "import_internal.h"

#include "caseload/text.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The group of a problem; NULL when there are too many kinds to count. */
static problem_group *group_of(imp *m, const char *col, const char *fmt, const char *kind)
{
    const char *c = col ? col : "", *k = kind ? kind : "";
    for (size_t i = 0; i < m->ngroups; i++) {
        problem_group *g = &m->groups[i];
        if (g->fmt == fmt && strcmp(g->col, c) == 0 && strncmp(g->kind, k, sizeof g->kind - 1) == 0)
            return g;
    }
    if (m->ngroups == MAX_GROUPS) return NULL;
    problem_group *g = &m->groups[m->ngroups++];
    g->fmt = fmt;
    snprintf(g->col, sizeof g->col, "%s", c);
    snprintf(g->kind, sizeof g->kind, "%s", k);
    g->count = 0;
    return g;
}

/* Appends "NAME:LINE: COLUMN: message" (COLUMN left out when NULL) to the errors; the same
 * problem (format, kind and column) only for its first GROUP_SHOWN rows (problems_end counts the
 * rest). */
static void vproblem(imp *m, long line, const char *col, const char *kind, const char *fmt,
                     va_list ap)
{
    m->nerrors++;
    problem_group *g = group_of(m, col, fmt, kind);
    if (g && g->count++ >= GROUP_SHOWN) {
        g->last_line = line;
        return;
    }
    buf_printf(m->errors, "%s:%ld: ", m->name, line);
    if (col) buf_printf(m->errors, "%s: ", col);
    buf_vprintf(m->errors, fmt, ap);
    buf_putc(m->errors, '\n');
}

void imp_problem(imp *m, long line, const char *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(m, line, col, NULL, fmt, ap);
    va_end(ap);
}

/* A problem of kind `kind`: the kind (a sentence fragment) tells it from others of the same fmt. */
void imp_kproblem(imp *m, long line, const char *col, const char *kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(m, line, col, kind, fmt, ap);
    va_end(ap);
}

/* One line for each problem that came more often than was shown. */
void imp_problems_end(imp *m)
{
    for (size_t i = 0; i < m->ngroups; i++) {
        const problem_group *g = &m->groups[i];
        if (g->count <= GROUP_SHOWN) continue;
        buf_printf(m->errors, "%s: %s%sthe same problem on %ld more rows (the last on line %ld)\n",
                   m->name, g->col, *g->col ? ": " : "", g->count - GROUP_SHOWN, g->last_line);
    }
}

/* A value made safe to quote in a message: control characters replaced, at most 40 bytes. */
const char *imp_safe(imp *m, const char *v)
{
    buf_reset(&m->scratch);
    size_t n = strlen(v);
    bool cut = false;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
        cut = true;
    }
    text_sanitize_n(&m->scratch, v, n);
    if (cut) buf_puts(&m->scratch, "...");
    return buf_str(&m->scratch);
}
