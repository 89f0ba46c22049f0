/* sar_md.c: a subject access request as Markdown: the child, the score, a timeline of every
 * dated row oldest first, the conflicts and the access log, text escaped so that nothing held
 * reads as markup. */
#include "sar_internal.h"

#include "caseload/store.h"
#include "caseload/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text for a Markdown table cell or line: control characters replaced, newlines as spaces, the
 * characters Markdown would read as markup escaped. */
static void md_text(buf *out, const char *s)
{
    if (!s) return;
    buf clean = BUF_INIT;
    text_sanitize(&clean, s);
    for (const char *p = buf_str(&clean); *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            buf_putc(out, ' ');
            continue;
        }
        if (strchr("\\|*_`[]<>#", *p)) buf_putc(out, '\\');
        buf_putc(out, *p);
    }
    buf_free(&clean);
}

static const char *field(const sar_row *r, const char *col)
{
    size_t ncols;
    const char *const *cols = import_columns(r->kind, &ncols);
    for (size_t i = 0; i < ncols && i < r->n; i++)
        if (strcmp(cols[i], col) == 0) return r->f[i];
    return NULL;
}

typedef struct {
    const char *date;
    const sar_row *row;
    int what; /* 0 the row's own date, 1 a referral closed, 2 an episode ended */
} md_event;

static int by_date(const void *a, const void *b)
{
    const md_event *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    return c ? c : (x->row < y->row ? -1 : x->row > y->row);
}

static void md_fields(buf *out, const sar_row *r, const char *skip)
{
    size_t ncols;
    const char *const *cols = import_columns(r->kind, &ncols);
    bool first = true;
    for (size_t i = 0; i < ncols && i < r->n; i++) {
        char word[40];
        snprintf(word, sizeof word, " %s ", cols[i]);
        if (!r->f[i] || (skip && strstr(skip, word))) continue;
        buf_puts(out, first ? "" : "; ");
        buf_printf(out, "%s: ", cols[i]);
        md_text(out, r->f[i]);
        first = false;
    }
}

static void md_child(buf *out, const sar_doc *d)
{
    buf_puts(out, "# Subject access request: everything held about one child\n\n");
    buf_printf(out, "Made %s, as of %s, by officer ", d->now, d->as_of);
    md_text(out, d->officer && *d->officer ? d->officer : "(not known)");
    buf_puts(out, " (operating-system user ");
    md_text(out, store_os_user());
    buf_puts(out, "). For the information governance team to review before it is released.\n\n");

    buf_puts(out, "## The child\n\n| field | value |\n|---|---|\n");
    for (size_t i = 0; i < d->x->nrows; i++) {
        const sar_row *r = &d->x->rows[i];
        if (r->kind != KIND_CHILDREN) continue;
        size_t ncols;
        const char *const *cols = import_columns(r->kind, &ncols);
        for (size_t k = 0; k < ncols && k < r->n; k++) {
            buf_printf(out, "| %s | ", cols[k]);
            md_text(out, r->f[k] ? r->f[k] : "");
            buf_puts(out, " |\n");
        }
    }
    buf_printf(out, "| cohort | %s |\n\n", retention_cohort_name(d->cohort));
}

static void md_score(buf *out, const sar_doc *d)
{
    const score_result *sr = d->sr;
    buf_printf(out, "## Score as of %s: %d (%s)\n\n", d->as_of, sr->total,
               score_band_name(sr->band));
    buf_puts(out, "| factor | value | weight | points |\n|---|---:|---:|---:|\n");
    for (int f = 0; f < SCORE_NFACTORS; f++)
        buf_printf(out, "| %s | %d | %d | %d |\n", score_factor_name((score_factor)f), sr->value[f],
                   d->cfg->scoring.weight[f], sr->points[f]);
    buf_putc(out, '\n');
}

/* Every dated row of x as events (a referral or episode twice: its start and its end), oldest
 * first: an array of *n (calloc'd: free it; NULL when memory ran out). */
static md_event *md_events(const sar_ctx *x, size_t *n)
{
    md_event *ev = calloc(2 * x->nrows + 1, sizeof *ev);
    size_t nev = 0;
    for (size_t i = 0; ev && i < x->nrows; i++) {
        const sar_row *r = &x->rows[i];
        const char *d = NULL, *d2 = NULL;
        switch (r->kind) {
        case KIND_REFERRALS:
            d = field(r, "received");
            d2 = field(r, "closed");
            break;
        case KIND_ACTIONS:
        case KIND_OUTCOMES: d = field(r, "date"); break;
        case KIND_EXCLUSIONS: d = field(r, "start"); break;
        case KIND_ATTENDANCE: d = field(r, "to"); break;
        case KIND_EPISODES:
            d = field(r, "start");
            d2 = field(r, "end");
            break;
        default: break;
        }
        if (d) ev[nev++] = (md_event){d, r, 0};
        if (d2) ev[nev++] = (md_event){d2, r, r->kind == KIND_REFERRALS ? 1 : 2};
    }
    if (ev) qsort(ev, nev, sizeof *ev, by_date);
    *n = nev;
    return ev;
}

/* One line of the timeline: what happened, then the row's fields (the child's details, in the
 * first section, left out). */
static void md_event_line(buf *out, const md_event *e)
{
    const sar_row *r = e->row;
    buf_printf(out, "- **%s** ", e->date);
    switch (r->kind) {
    case KIND_REFERRALS:
        buf_puts(out, e->what ? "referral closed: " : "referral received: ");
        md_fields(out, r,
                  e->what ? " ref upn la_child_id first_name last_name dob gender "
                            "school_urn school_name sen_need youth_justice received "
                            "source issue other_issues pex_risk care_status sen officer "
                            "summary status "
                          : " upn la_child_id first_name last_name dob gender school_urn "
                            "school_name sen_need youth_justice closed ");
        break;
    case KIND_ACTIONS:
        buf_puts(out, "action: ");
        md_fields(out, r, NULL);
        break;
    case KIND_OUTCOMES:
        buf_puts(out, "outcome: ");
        md_fields(out, r, NULL);
        break;
    case KIND_EXCLUSIONS:
        buf_puts(out, "exclusion: ");
        md_fields(out, r, " upn la_child_id ");
        break;
    case KIND_ATTENDANCE:
        buf_puts(out, "attendance record: ");
        md_fields(out, r, " upn la_child_id ");
        break;
    case KIND_EPISODES:
        buf_puts(out, e->what ? "episode ended: " : "episode started: ");
        md_fields(out, r, " upn la_child_id ");
        break;
    default: break;
    }
    buf_putc(out, '\n');
}

static void md_timeline(buf *out, const sar_ctx *x)
{
    size_t nev = 0;
    md_event *ev = md_events(x, &nev);
    buf_puts(out, "## Timeline (oldest first)\n\n");
    if (!nev) buf_puts(out, "Nothing recorded.\n");
    for (size_t i = 0; i < nev; i++)
        md_event_line(out, &ev[i]);
    free(ev);
}

/* Each conflict in the words of `sync conflicts`: its number, state and heading, then the base,
 * the hub's and the laptop's values. */
static void md_conflicts(buf *out, const sar_ctx *x)
{
    buf_puts(out, "\n## Conflicts between copies\n\n");
    size_t nconf = 0;
    for (size_t i = 0; i < x->nrows; i++) {
        const sar_row *r = &x->rows[i];
        if (r->kind != KIND_COUNT || r->n < SAR_CONFLICT_FIELDS) continue;
        nconf++;
        buf_puts(out, "- ");
        md_text(out, r->f[0]);
        buf_putc(out, ' ');
        md_text(out, r->f[10]);
        buf_puts(out, ": ");
        md_text(out, r->f[SAR_CONFLICT_HEADING]);
        buf_puts(out, "\n  - Base (both had): ");
        md_text(out, r->f[SAR_CONFLICT_WORDS]);
        buf_puts(out, "\n  - Hub's: ");
        md_text(out, r->f[SAR_CONFLICT_WORDS + 1]);
        buf_puts(out, "\n  - ");
        md_text(out, r->f[8]);
        buf_puts(out, "'s: ");
        md_text(out, r->f[SAR_CONFLICT_WORDS + 2]);
        buf_putc(out, '\n');
    }
    buf_puts(out, nconf ? "\n" : "None held.\n\n");
}

static void md_access_log(buf *out, const access_list *log)
{
    buf_puts(out, "## Access log (newest first)\n\n");
    buf_puts(out, "| at | action | table | row | officer | os user | detail |\n"
                  "|---|---|---|---:|---|---|---|\n");
    for (size_t i = 0; i < log->n; i++) {
        const privacy_access *a = &log->v[i];
        buf_printf(out, "| %s | ", a->at);
        md_text(out, a->action);
        buf_puts(out, " | ");
        md_text(out, a->tbl);
        buf_printf(out, " | %lld | ", (long long)a->row_id);
        if (a->officer[0])
            md_text(out, a->officer);
        else if (a->claimed[0]) {
            md_text(out, a->claimed);
            buf_puts(out, " (not a known officer)");
        }
        buf_puts(out, " | ");
        md_text(out, a->os_user);
        buf_puts(out, " | ");
        md_text(out, a->detail);
        buf_puts(out, " |\n");
    }
}

void sar_write_md(buf *out, const sar_doc *d)
{
    md_child(out, d);
    md_score(out, d);
    md_timeline(out, d->x);
    md_conflicts(out, d->x);
    md_access_log(out, d->log);
}
