/* sar.c: a subject access request (SPEC section 10): everything held about one child, gathered
 * with the same readers as export (records.h), so that each row appears with the columns and
 * values an export gives it, as a Markdown timeline or one JSON object (keys in caseload(1)). */
#include "caseload/protect.h"

#include "caseload/browse.h"
#include "caseload/exitcode.h"
#include "caseload/export.h"
#include "caseload/import.h"
#include "caseload/json.h"
#include "caseload/outfile.h"
#include "caseload/privacy.h"
#include "caseload/records.h"
#include "caseload/scoring.h"
#include "caseload/text.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One exported row about the child. */
typedef struct {
    import_kind kind;
    size_t n;
    char **f; /* NULL for an empty field */
} sar_row;

typedef struct {
    const char *upn, *la; /* the child's keys as stored ("" for none) */
    import_kind kind;
    sar_row *rows;
    size_t nrows, cap;
    char **refs; /* the child's referrals' refs */
    size_t nrefs;
    bool oom;
} sar_ctx;

static bool same(const char *field, const char *key)
{
    return field ? strcmp(field, key) == 0 : key[0] == '\0';
}

static bool has_ref(const sar_ctx *x, const char *ref)
{
    for (size_t i = 0; ref && i < x->nrefs; i++)
        if (strcmp(x->refs[i], ref) == 0) return true;
    return false;
}

static char *dup_text(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int collect(void *ctx, const char *const *fields, size_t n)
{
    sar_ctx *x = ctx;
    bool mine;
    switch (x->kind) {
    case KIND_REFERRALS: mine = same(fields[6], x->upn) && same(fields[7], x->la); break;
    case KIND_OUTCOMES:
    case KIND_ACTIONS: mine = has_ref(x, fields[0]); break;
    default: mine = same(fields[0], x->upn) && same(fields[1], x->la); break;
    }
    if (!mine) return 0;
    if (x->nrows == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 32;
        sar_row *r = realloc(x->rows, cap * sizeof *r);
        if (!r) goto oom;
        x->rows = r;
        x->cap = cap;
    }
    sar_row *r = &x->rows[x->nrows];
    r->kind = x->kind;
    r->n = n;
    r->f = calloc(n ? n : 1, sizeof *r->f);
    if (!r->f) goto oom;
    x->nrows++;
    for (size_t i = 0; i < n; i++)
        if (fields[i] && !(r->f[i] = dup_text(fields[i]))) goto oom;
    if (x->kind == KIND_REFERRALS) {
        char **refs = realloc(x->refs, (x->nrefs + 1) * sizeof *refs);
        if (!refs) goto oom;
        x->refs = refs;
        if (!(x->refs[x->nrefs] = dup_text(fields[0]))) goto oom;
        x->nrefs++;
    }
    return 0;
oom:
    x->oom = true;
    return EXIT_IO;
}

static void free_ctx(sar_ctx *x)
{
    for (size_t i = 0; i < x->nrows; i++) {
        for (size_t k = 0; k < x->rows[i].n; k++)
            free(x->rows[i].f[k]);
        free(x->rows[i].f);
    }
    free(x->rows);
    for (size_t i = 0; i < x->nrefs; i++)
        free(x->refs[i]);
    free(x->refs);
}

/* The order of the JSON keys and of the Markdown sections; referrals come first: the actions and
 * outcomes are found by their refs. */
static const import_kind order[] = {KIND_CHILDREN,   KIND_REFERRALS,  KIND_ACTIONS, KIND_OUTCOMES,
                                    KIND_EXCLUSIONS, KIND_ATTENDANCE, KIND_EPISODES};
static const char *const key_of[KIND_COUNT] = {
    [KIND_REFERRALS] = "referrals",   [KIND_OUTCOMES] = "outcomes",
    [KIND_ACTIONS] = "actions",       [KIND_EXCLUSIONS] = "exclusions",
    [KIND_ATTENDANCE] = "attendance", [KIND_EPISODES] = "episodes",
    [KIND_CHILDREN] = "child",
};

static int gather(store *s, sar_ctx *x)
{
    static int (*const each[KIND_COUNT])(store *, records_row_fn, void *) = {
        [KIND_REFERRALS] = records_each_referral,    [KIND_OUTCOMES] = records_each_outcome,
        [KIND_ACTIONS] = records_each_action,        [KIND_EXCLUSIONS] = records_each_exclusion,
        [KIND_ATTENDANCE] = records_each_attendance, [KIND_EPISODES] = records_each_episode,
        [KIND_CHILDREN] = records_each_child,
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        x->kind = order[i];
        int rc = each[order[i]](s, collect, x);
        if (rc) return x->oom ? EXIT_IO : rc;
    }
    return EXIT_OK;
}

/* ---- the access log and the conflicts ---- */

static const char *const conflict_cols[] = {"id",          "kind", "table", "row_id",
                                            "field",       "base", "hub",   "laptop",
                                            "laptop_name", "at",   "state"};

/* A conflict held about one of the child's rows, kept as a row of kind KIND_COUNT. */
static int keep_conflict(void *ctx, const char *const *v, size_t n)
{
    sar_ctx *x = ctx;
    x->kind = KIND_COUNT;
    if (x->nrows == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 32;
        sar_row *r = realloc(x->rows, cap * sizeof *r);
        if (!r) return EXIT_IO;
        x->rows = r;
        x->cap = cap;
    }
    sar_row *r = &x->rows[x->nrows];
    r->kind = KIND_COUNT;
    r->n = n;
    r->f = calloc(n, sizeof *r->f);
    if (!r->f) return EXIT_IO;
    x->nrows++;
    for (size_t i = 0; i < n; i++)
        if (v[i] && !(r->f[i] = dup_text(v[i]))) return EXIT_IO;
    return 0;
}

typedef struct {
    privacy_access *v;
    size_t n, cap;
} access_list;

static int keep_access(void *ctx, const privacy_access *a)
{
    access_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        privacy_access *v = realloc(l->v, cap * sizeof *v);
        if (!v) return EXIT_IO;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *a;
    return 0;
}

/* ---- JSON ---- */

static void json_text_or_null(json_writer *j, const char *key, const char *v)
{
    json_key(j, key);
    if (v && *v)
        json_string(j, v);
    else
        json_null(j);
}

static void json_row(json_writer *j, const sar_row *r)
{
    size_t ncols;
    const char *const *cols = import_columns(r->kind, &ncols);
    json_begin_object(j);
    for (size_t i = 0; i < r->n && i < ncols; i++) {
        json_key(j, cols[i]);
        export_json_value(j, cols[i], r->f[i]);
    }
}

/* What a subject access request holds, once gathered. */
typedef struct {
    const sar_ctx *x;
    const char *as_of, *officer, *now;
    const config *cfg;
    const score_result *sr;
    retention_cohort_t cohort;
    const access_list *log;
} sar_doc;

/* The rows of each kind, in order: the child an object (with its cohort), the others arrays. */
static void json_rows(json_writer *j, const sar_doc *d)
{
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        import_kind kind = order[k];
        json_key(j, key_of[kind]);
        if (kind != KIND_CHILDREN) json_begin_array(j);
        for (size_t i = 0; i < d->x->nrows; i++) {
            if (d->x->rows[i].kind != kind) continue;
            json_row(j, &d->x->rows[i]);
            if (kind == KIND_CHILDREN) {
                json_key(j, "cohort");
                json_string(j, retention_cohort_name(d->cohort));
            }
            json_end_object(j);
        }
        if (kind != KIND_CHILDREN) json_end_array(j);
    }
}

static void json_score(json_writer *j, const sar_doc *d)
{
    json_key(j, "score");
    json_begin_object(j);
    json_key(j, "score");
    json_int(j, d->sr->total);
    json_key(j, "band");
    json_string(j, score_band_name(d->sr->band));
    json_key(j, "factors");
    json_begin_array(j);
    for (int f = 0; f < SCORE_NFACTORS; f++) {
        json_begin_object(j);
        json_key(j, "factor");
        json_string(j, score_factor_name((score_factor)f));
        json_key(j, "value");
        json_int(j, d->sr->value[f]);
        json_key(j, "weight");
        json_int(j, d->cfg->scoring.weight[f]);
        json_key(j, "points");
        json_int(j, d->sr->points[f]);
        json_end_object(j);
    }
    json_end_array(j);
    json_end_object(j);
}

static void json_conflicts(json_writer *j, const sar_ctx *x)
{
    json_key(j, "conflicts");
    json_begin_array(j);
    for (size_t i = 0; i < x->nrows; i++) {
        const sar_row *r = &x->rows[i];
        if (r->kind != KIND_COUNT) continue;
        json_begin_object(j);
        for (size_t k = 0; k < r->n; k++) {
            json_key(j, conflict_cols[k]);
            if (!r->f[k])
                json_null(j);
            else if (k == 0 || k == 3)
                json_int(j, strtoll(r->f[k], NULL, 10));
            else
                json_string(j, r->f[k]);
        }
        json_end_object(j);
    }
    json_end_array(j);
}

static void json_access_log(json_writer *j, const access_list *log)
{
    json_key(j, "access_log");
    json_begin_array(j);
    for (size_t i = 0; i < log->n; i++) {
        const privacy_access *a = &log->v[i];
        json_begin_object(j);
        json_key(j, "at");
        json_string(j, a->at);
        json_key(j, "action");
        json_string(j, a->action);
        json_text_or_null(j, "table", a->tbl);
        json_key(j, "row_id");
        if (a->row_id)
            json_int(j, a->row_id);
        else
            json_null(j);
        json_text_or_null(j, "officer", a->officer);
        json_text_or_null(j, "claimed", a->claimed);
        json_text_or_null(j, "os_user", a->os_user);
        json_text_or_null(j, "detail", a->detail);
        json_end_object(j);
    }
    json_end_array(j);
}

static void write_json(buf *out, const sar_doc *d)
{
    json_writer j;
    json_init(&j, out, true);
    json_begin_object(&j);
    json_key(&j, "as_of");
    json_string(&j, d->as_of);
    json_key(&j, "generated_at");
    json_string(&j, d->now);
    json_text_or_null(&j, "officer", d->officer);
    json_key(&j, "os_user");
    json_string(&j, store_os_user());
    json_rows(&j, d);
    json_score(&j, d);
    json_conflicts(&j, d->x);
    json_access_log(&j, d->log);
    json_end_object(&j);
    buf_putc(out, '\n');
}

/* ---- Markdown ---- */

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

static void md_conflicts(buf *out, const sar_ctx *x)
{
    buf_puts(out, "\n## Conflicts between copies\n\n");
    size_t nconf = 0;
    for (size_t i = 0; i < x->nrows; i++) {
        const sar_row *r = &x->rows[i];
        if (r->kind != KIND_COUNT) continue;
        nconf++;
        buf_puts(out, "- ");
        for (size_t k = 0; k < r->n; k++) {
            if (!r->f[k]) continue;
            buf_printf(out, "%s%s: ", k ? "; " : "", conflict_cols[k]);
            md_text(out, r->f[k]);
        }
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

static void write_md(buf *out, const sar_doc *d)
{
    md_child(out, d);
    md_score(out, d);
    md_timeline(out, d->x);
    md_conflicts(out, d->x);
    md_access_log(out, d->log);
}

int protect_sar(store *s, const config *cfg, date_t as_of, int64_t child_id, int format, buf *out)
{
    browse_child c;
    int rc = browse_child_get(s, child_id, &c);
    if (rc) return rc;
    sar_ctx x = {.upn = c.upn, .la = c.la_child_id};
    access_list log = {0};
    score_result sr;
    if ((rc = gather(s, &x))) goto done;
    if ((rc = privacy_each_conflict(s, child_id, keep_conflict, &x))) goto done;
    if ((rc = scoring_child(s, cfg, as_of, child_id, &sr))) goto done;
    if ((rc = privacy_each_access(s, child_id, NULL, 0, keep_access, &log))) goto done;
    date_t ended = 0;
    bool has = c.social_work_ended[0] &&
               date_parse(c.social_work_ended, strlen(c.social_work_ended), &ended);
    retention_cohort_t cohort = retention_cohort(has, ended, as_of);
    char d[11];
    date_format(as_of, d);
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sar_doc doc = {&x, d, store_officer(s), now, cfg, &sr, cohort, &log};
    if (format == PROTECT_SAR_JSON)
        write_json(out, &doc);
    else
        write_md(out, &doc);
done:
    free(log.v);
    free_ctx(&x);
    return rc;
}

int protect_sar_write(store *s, const config *cfg, date_t as_of, int64_t child_id, int format,
                      const char *path, bool replace, char *written, size_t wn, char *err,
                      size_t errn)
{
    if (!store_officer(s)[0]) {
        snprintf(err, errn,
                 "a subject access request needs a known officer (--officer INITIALS "
                 "or $CASELOAD_OFFICER): it is recorded");
        return EXIT_USAGE;
    }
    buf out = BUF_INIT;
    int rc = protect_sar(s, cfg, as_of, child_id, format, &out);
    if (rc) {
        snprintf(err, errn, "%s", store_error(s));
        buf_free(&out);
        return rc;
    }
    outfile of;
    char msg[4200];
    rc = outfile_open(&of, path, replace, msg, sizeof msg);
    if (!rc) {
        if (out.len && fwrite(out.data, 1, out.len, of.f) != out.len) {
            snprintf(msg, sizeof msg, "writing %s failed: %s", of.path, strerror(errno));
            outfile_abort(&of);
            rc = EXIT_IO;
        } else {
            rc = outfile_commit(&of, msg, sizeof msg);
        }
    }
    buf_free(&out);
    if (rc) {
        buf b = BUF_INIT;
        text_sanitize(&b, msg);
        snprintf(err, errn, "%s: nothing was kept", buf_str(&b));
        buf_free(&b);
        return rc;
    }
    /* Recorded once the file is whole; a request that cannot be recorded is not kept either. */
    const char *detail = format == PROTECT_SAR_JSON ? "json" : "md";
    if ((rc = store_access(s, "sar", "children", child_id, child_id, detail))) {
        unlink(of.path);
        snprintf(err, errn, "%s: the file was removed", store_error(s));
        return rc;
    }
    snprintf(written, wn, "%s", of.path);
    return EXIT_OK;
}
