/* protect.c: the retention review and purge of SPEC section 10, and the access log's entries for
 * looks at a child's data. The rule itself is src/core/retention.c; the erasing is
 * src/store/privacy.c. */
#include "caseload/protect.h"

#include "caseload/browse.h"
#include "caseload/exitcode.h"
#include "caseload/privacy.h"
#include "caseload/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse(const char *s, date_t *d)
{
    return s[0] && date_parse(s, strlen(s), d);
}

static void judge(const config *cfg, date_t as_of, const privacy_child *c, protect_due *out)
{
    memset(out, 0, sizeof *out);
    out->id = c->id;
    snprintf(out->upn, sizeof out->upn, "%s", c->upn);
    snprintf(out->la_child_id, sizeof out->la_child_id, "%s", c->la_child_id);
    retention_facts f = {0};
    f.has_ended = parse(c->social_work_ended, &f.social_work_ended);
    f.has_activity = parse(c->last_activity, &f.last_activity);
    f.has_dob = parse(c->dob, &f.dob);
    f.held = config_held(cfg, c->upn, c->la_child_id);
    out->held = f.held;
    out->cohort = retention_cohort(f.has_ended, f.social_work_ended, as_of);
    date_t on = 0;
    out->due = retention_is_due(&cfg->retention.rules, &f, as_of, &out->rule, &on);
    if (out->rule != RULE_NONE) date_format(on, out->on);
}

int protect_check(store *s, const config *cfg, date_t as_of, int64_t child_id, protect_due *out)
{
    privacy_child c;
    int rc = privacy_child_get(s, child_id, &c);
    if (rc) return rc;
    judge(cfg, as_of, &c, out);
    return EXIT_OK;
}

typedef struct {
    const config *cfg;
    date_t as_of;
    bool with_held;
    protect_due *v;
    size_t n, cap, held;
} review_ctx;

static int review_one(void *ctx, const privacy_child *c)
{
    review_ctx *r = ctx;
    protect_due d;
    judge(r->cfg, r->as_of, c, &d);
    bool kept = false; /* a rule reached, but held */
    if (d.held && d.rule != RULE_NONE) {
        date_t on;
        kept = parse(d.on, &on) && on <= r->as_of;
        if (kept) r->held++;
    }
    if (!d.due && !(kept && r->with_held)) return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        protect_due *v = realloc(r->v, cap * sizeof *v);
        if (!v) return EXIT_IO;
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = d;
    return 0;
}

int protect_review(store *s, const config *cfg, date_t as_of, bool with_held, protect_due **out,
                   size_t *n, size_t *held)
{
    review_ctx r = {.cfg = cfg, .as_of = as_of, .with_held = with_held};
    int rc = privacy_each_child(s, review_one, &r);
    if (rc) {
        free(r.v);
        r.v = NULL;
        r.n = 0;
    }
    *out = r.v;
    *n = r.n;
    if (held) *held = r.held;
    return rc;
}

/* Whether the folded text of needle (at least two characters) is in the folded text of hay. */
static bool mentions(const char *hay, const char *needle)
{
    if (!needle[0] || strlen(needle) < 2) return false;
    buf h = BUF_INIT, nd = BUF_INIT;
    text_fold(&h, hay);
    text_fold(&nd, needle);
    bool found = nd.len > 0 && strstr(buf_str(&h), buf_str(&nd)) != NULL;
    buf_free(&h);
    buf_free(&nd);
    return found;
}

/* The checks of a purge (protect_purge's contract); rules[i] gets the rule of child i. */
static int check_purge(store *s, const config *cfg, date_t as_of, const int64_t *ids, size_t n,
                       bool request, const char *reason, const char **rules, char *err, size_t errn)
{
    err[0] = '\0';
    if (!store_officer(s)[0]) {
        snprintf(err, errn, "a purge needs a known officer (--officer INITIALS)");
        return EXIT_USAGE;
    }
    if (!reason || !*reason || !text_is_clean(reason) || strlen(reason) > 500) {
        snprintf(err, errn, "the reason must say why, in at most 500 characters on one line");
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        for (size_t j = 0; j < i; j++)
            if (ids[j] == ids[i]) {
                snprintf(err, errn, "child %zu is the same child as child %zu", i + 1, j + 1);
                rc = EXIT_USAGE;
            }
        if (rc) break;
        protect_due d;
        if ((rc = protect_check(s, cfg, as_of, ids[i], &d))) {
            if (rc == EXIT_FOUND) snprintf(err, errn, "child %zu: no such child", i + 1);
            break;
        }
        if (d.held) {
            snprintf(err, errn, "child %zu is under a hold (retention.holds): nothing was purged",
                     i + 1);
            rc = EXIT_FOUND;
        } else if (!d.due && !request) {
            if (d.rule == RULE_NONE)
                snprintf(err, errn,
                         "child %zu is not due: no retention rule applies (use --request for an "
                         "erasure on request): nothing was purged",
                         i + 1);
            else
                snprintf(err, errn,
                         "child %zu is not due until %s (%s; use --request for an erasure on "
                         "request): nothing was purged",
                         i + 1, d.on, retention_rule_name(d.rule));
            rc = EXIT_FOUND;
        } else {
            rules[i] = d.due ? retention_rule_name(d.rule) : retention_rule_name(RULE_NONE);
            browse_child c;
            if ((rc = browse_child_get(s, ids[i], &c))) break;
            if (mentions(reason, c.first_name) || mentions(reason, c.last_name) ||
                mentions(reason, c.upn) || mentions(reason, c.la_child_id)) {
                char which[32];
                if (n == 1)
                    snprintf(which, sizeof which, "the child");
                else
                    snprintf(which, sizeof which, "child %zu", i + 1);
                snprintf(err, errn,
                         "the reason names %s: the tombstone keeps no name or id; say why "
                         "without them",
                         which);
                rc = EXIT_USAGE;
            }
        }
    }
    if (rc && !err[0]) snprintf(err, errn, "%s", store_error(s));
    return rc;
}

int protect_purge_check(store *s, const config *cfg, date_t as_of, const int64_t *ids, size_t n,
                        bool request, const char *reason, char *err, size_t errn)
{
    const char **rules = calloc(n ? n : 1, sizeof *rules);
    if (!rules) return EXIT_IO;
    int rc = check_purge(s, cfg, as_of, ids, n, request, reason, rules, err, errn);
    free(rules);
    return rc;
}

int protect_purge(store *s, const config *cfg, date_t as_of, const int64_t *ids, size_t n,
                  bool request, const char *reason, bool *wal_emptied, char *err, size_t errn)
{
    *wal_emptied = false;
    const char **rules = calloc(n ? n : 1, sizeof *rules);
    if (!rules) return EXIT_IO;
    bool from_store = false, roll_back = false; /* what a failure must still do */
    int rc = check_purge(s, cfg, as_of, ids, n, request, reason, rules, err, errn);
    if (rc) goto done; /* err says why */
    char on[11];
    date_format(as_of, on);
    from_store = roll_back = true;
    if ((rc = store_begin(s))) goto done;
    for (size_t i = 0; i < n; i++)
        if ((rc = privacy_purge(s, ids[i], rules[i], store_officer(s), on, reason))) goto done;
    if ((rc = privacy_compact(s))) goto done;
    roll_back = false; /* committed or not, the transaction is over */
    if ((rc = store_commit(s))) goto done;
    /* Committed: the log is emptied now that the transaction is over. */
    rc = privacy_checkpoint(s, wal_emptied);
done:
    if (rc && from_store) snprintf(err, errn, "%s", store_error(s));
    if (rc && roll_back) store_rollback(s);
    free(rules);
    return rc;
}

int protect_access(store *s, const char *action, const char *table, int64_t row_id,
                   int64_t child_id, const char *detail)
{
    /* A read-only database (a copy on read-only media) cannot record the look: it is allowed. */
    if (store_readonly(s)) return EXIT_OK;
    return store_access(s, action, table, row_id, child_id, detail);
}
