/* sync_conflicts.c: the open conflicts of offline copies as a person reads them (see sync.h,
 * sync_conflicts_page): a page at a time, each value shown by its field's rule (field.h): the
 * label of a code, a date as a date, yes or no, an officer's initials and a school's name for
 * their keys; what keep, take and set VALUE would do follows sync_resolve. */
#include "caseload/codes.h"
#include "caseload/date.h"
#include "caseload/exitcode.h"
#include "caseload/field.h"
#include "caseload/sync.h"
#include "sync_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The label of a whole row of table (a delete against an edit). */
static const char *row_label(const char *table)
{
    static const struct {
        const char *table, *label;
    } rows[] = {
        {"officers", "Officer"},      {"schools", "School"},
        {"children", "Child"},        {"referrals", "Referral"},
        {"actions", "Action"},        {"follow_up_done", "Follow-up done"},
        {"outcomes", "Outcome"},      {"exclusions", "Suspension or exclusion"},
        {"attendance", "Attendance"}, {"episodes", "Episode"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i].table, table) == 0) return rows[i].label;
    return table;
}

/* Column `column` of row id of table as text ("" when none or NULL). */
static int row_text(store *s, const char *table, int64_t id, const char *column, buf *out)
{
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(s, table, &names, &ncol))) return rc;
    merge_value vals[SYNCSTORE_MAX_COLS];
    bool found;
    if ((rc = syncstore_row_get(s, table, id, vals, ncol, &found))) return rc;
    for (int i = 0; found && i < ncol; i++)
        if (strcmp(names[i], column) == 0 && vals[i].type == MERGE_TEXT)
            buf_append(out, (const char *)vals[i].p, (size_t)vals[i].n);
    return EXIT_OK;
}

/* What conflict c's row is to a person: its referral's ref, else its child, else the row by its
 * label and what names it ("Officer AB", "School URN 100001"). */
static int row_what(store *s, const syncstore_conflict *c, char *out, size_t n)
{
    if (c->ref || c->child) {
        snprintf(out, n, "%s", c->ref ? c->ref : c->child);
        return EXIT_OK;
    }
    bool officer = strcmp(c->table, "officers") == 0, school = strcmp(c->table, "schools") == 0;
    buf b = BUF_INIT;
    int rc = EXIT_OK;
    if (officer || school) rc = row_text(s, c->table, c->row_id, officer ? "initials" : "urn", &b);
    bool urn = school && b.len;
    if (school && !rc && !b.len) rc = row_text(s, c->table, c->row_id, "name", &b);
    const char *label = row_label(c->table);
    if (label == c->table) label = codes_word_label_of(CODES_W_TABLE, c->table);
    snprintf(out, n, "%s%s%s%s", label, urn ? " URN" : "", b.len ? " " : "", buf_str(&b));
    buf_free(&b);
    return rc;
}

/* v as text as stored (numbers in decimal), "" for NULL. */
static void raw_text(const merge_value *v, buf *out)
{
    switch (v->type) {
    case MERGE_INT: buf_printf(out, "%lld", (long long)v->i); break;
    case MERGE_REAL: buf_printf(out, "%g", v->d); break;
    case MERGE_TEXT:
    case MERGE_BLOB: buf_append(out, (const char *)v->p, (size_t)v->n); break;
    default: break;
    }
}

/* v of the column of rule r as a person reads it (shown) and as one would type it (typed, may be
 * NULL). */
static int show_value(store *s, const field_rule *r, const merge_value *v, buf *shown, buf *typed)
{
    buf raw = BUF_INIT;
    raw_text(v, &raw);
    const char *t = buf_str(&raw);
    int rc = EXIT_OK;
    field_rule_kind kind = r ? r->kind : FIELD_RULE_TEXT;
    if (v->type == MERGE_NULL || v->type == MERGE_UNDEF) {
        buf_puts(shown, "(none)");
        goto done;
    }
    if (typed) buf_puts(typed, t);
    date_t d;
    switch (kind) {
    case FIELD_RULE_CODE: buf_puts(shown, codes_label_of(r->list, t)); break;
    case FIELD_RULE_CODES:
        for (const char *p = t; *p;) {
            const char *e = strchr(p, ';');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char code[64];
            snprintf(code, sizeof code, "%.*s", (int)len, p);
            buf_printf(shown, "%s%s", p == t ? "" : ", ", codes_label_of(r->list, code));
            p += len + (e ? 1 : 0);
        }
        if (!*t) buf_puts(shown, "(none)");
        break;
    case FIELD_RULE_FLAG: buf_puts(shown, v->type == MERGE_INT && v->i ? "yes" : "no"); break;
    case FIELD_RULE_DATE:
    case FIELD_RULE_PAST:
        if (date_parse(t, strlen(t), &d)) {
            char long_[24];
            date_format_long(d, long_);
            buf_puts(shown, long_);
        } else {
            buf_puts(shown, t);
        }
        break;
    case FIELD_RULE_OFFICER:
    case FIELD_RULE_SCHOOL: {
        bool officer = kind == FIELD_RULE_OFFICER;
        buf b = BUF_INIT;
        if (v->type == MERGE_INT)
            rc = row_text(s, officer ? "officers" : "schools", v->i, officer ? "initials" : "urn",
                          &b);
        if (typed) {
            buf_reset(typed);
            buf_puts(typed, buf_str(&b));
        }
        if (!officer && v->type == MERGE_INT && !rc) {
            buf_reset(&b);
            rc = row_text(s, "schools", v->i, "name", &b);
            if (!rc && !b.len) rc = row_text(s, "schools", v->i, "urn", &b);
        }
        buf_puts(shown, b.len ? buf_str(&b) : "(unknown)");
        buf_free(&b);
        break;
    }
    default: buf_puts(shown, *t ? t : "(empty)"); break;
    }
done:
    buf_free(&raw);
    return rc;
}

/* Row id of actions or outcomes as a person reads it: "Call of 2021-12-05: note", "withdrawn
 * (Call of 2021-12-05)". */
static int entry_text(store *s, const char *table, int64_t id, buf *out)
{
    const char *const *names;
    int ncol, rc;
    if ((rc = syncstore_columns(s, table, &names, &ncol))) return rc;
    merge_value v[SYNCSTORE_MAX_COLS];
    bool found, outcome = strcmp(table, "outcomes") == 0, withdrawn = false;
    if ((rc = syncstore_row_get(s, table, id, v, ncol, &found))) return rc;
    if (!found) {
        buf_puts(out, "(no longer here)");
        return EXIT_OK;
    }
    char code[64] = "", date[16] = "", note[200] = "";
    for (int i = 0; i < ncol; i++) {
        const char *n = names[i];
        char *to = strcmp(n, outcome ? "outcome" : "kind") == 0 ? code
                   : strcmp(n, "date") == 0                     ? date
                   : strcmp(n, "note") == 0                     ? note
                                                                : NULL;
        size_t size = to == code ? sizeof code : to == date ? sizeof date : sizeof note;
        if (to && v[i].type == MERGE_TEXT) snprintf(to, size, "%.*s", v[i].n, (const char *)v[i].p);
        if (strcmp(n, "withdrawn") == 0) withdrawn = v[i].type == MERGE_INT && v[i].i;
    }
    const char *label = outcome ? codes_label_of(CODES_OUTCOME, code)
                                : codes_word_label_of(CODES_W_ACTION_KIND, code);
    if (withdrawn)
        buf_printf(out, "withdrawn (%s of %s)", label, date);
    else
        buf_printf(out, "%s of %s%s%s", label, date, *note ? ": " : "", note);
    return EXIT_OK;
}

/* A version corrected on two copies (sync_corrections.c): the version both corrected, the hub's
 * correction (current until decided) and the laptop's; keep or take, no value to type. */
static int show_corrections(store *s, const syncstore_conflict *c, sync_conflict_row *r,
                            buf shown[3])
{
    snprintf(r->label, sizeof r->label, "%s corrected on both",
             strcmp(c->table, "outcomes") == 0 ? "Outcome" : "Action");
    int rc = EXIT_OK;
    if (c->base.type == MERGE_INT) rc = entry_text(s, c->table, c->base.i, &shown[0]);
    if (!rc) rc = entry_text(s, c->table, c->row_id, &shown[1]);
    if (!rc && c->hub.type == MERGE_INT) rc = entry_text(s, c->table, c->hub.i, &shown[2]);
    return rc;
}

/* What happened to conflict c, as a person says it. */
static const char *happened(const syncstore_conflict *c, bool correction)
{
    if (strcmp(c->kind, "delete_vs_edit") == 0) return "deleted on the laptop, edited on the hub";
    if (strcmp(c->kind, "edit_vs_delete") == 0) return "edited on the laptop, deleted on the hub";
    if (strcmp(c->kind, "duplicate") == 0) return "the same key made on both copies";
    if (correction) return "the hub's current until decided";
    return "changed on both copies";
}

/* Conflict c as the screen shows it, into r; key (NULL, or 3 of them: base, hub, laptop) gets
 * an officer's initials or a school's URN where the field holds its key, and whole (NULL, or 4)
 * the values as r shows them and r's typed, not cut. */
static int fill_row(store *s, const syncstore_conflict *c, sync_conflict_row *r, buf *key,
                    buf *whole)
{
    memset(r, 0, sizeof *r);
    r->id = c->id;
    store_copy_text(r->key.at, sizeof r->key.at, c->at);
    r->key.id = c->id;
    store_copy_text(r->kind, sizeof r->kind, c->kind);
    store_copy_text(r->table, sizeof r->table, c->table);
    store_copy_text(r->field, sizeof r->field, c->field ? c->field : "");
    store_copy_text(r->ref, sizeof r->ref, c->ref ? c->ref : "");
    store_copy_text(r->child, sizeof r->child, c->child ? c->child : "");
    int rc = row_what(s, c, r->what, sizeof r->what);
    store_copy_text(r->laptop_name, sizeof r->laptop_name, c->laptop_name);
    snprintf(r->at, sizeof r->at, "%.10s %.5s", c->at, strlen(c->at) > 11 ? c->at + 11 : "");
    bool field = strcmp(c->kind, "field") == 0, dup = strcmp(c->kind, "duplicate") == 0;
    r->correction = field && sync_correction_conflict(c);
    r->happened = happened(c, r->correction);
    r->can_set = !sync_resolve_refused(c->kind, r->correction, "set");
    r->can_take = !sync_resolve_refused(c->kind, r->correction, "take");
    buf shown[3] = {BUF_INIT, BUF_INIT, BUF_INIT}, typed = BUF_INIT;
    if (rc) {
    } else if (r->correction) {
        rc = show_corrections(s, c, r, shown);
    } else if (field || dup) {
        const field_rule *rule = field_rule_of(c->table, c->field);
        snprintf(r->label, sizeof r->label, "%s", rule ? rule->label : c->field);
        if (dup) {
            buf_puts(&shown[0], "(new on both copies)");
        } else {
            rc = show_value(s, rule, &c->base, &shown[0], key ? &key[0] : NULL);
        }
        if (!rc) rc = show_value(s, rule, &c->hub, &shown[1], &typed);
        if (!rc) rc = show_value(s, rule, &c->laptop, &shown[2], key ? &key[2] : NULL);
        if (key) buf_puts(&key[1], buf_str(&typed));
        /* A duplicate's row holds the laptop's key now: that is the value kept by keep. */
        if (dup) {
            buf_reset(&typed);
            raw_text(&c->laptop, &typed);
        }
    } else {
        snprintf(r->label, sizeof r->label, "%s", row_label(c->table));
        bool hub_deleted = strcmp(c->kind, "edit_vs_delete") == 0;
        buf_puts(&shown[0], "(as both had it)");
        buf_puts(&shown[1],
                 hub_deleted ? "deleted (the row is kept until decided)" : "edited (kept)");
        buf_puts(&shown[2], hub_deleted ? "edited" : "deleted");
    }
    store_copy_text(r->base, sizeof r->base, buf_str(&shown[0]));
    store_copy_text(r->hub, sizeof r->hub, buf_str(&shown[1]));
    store_copy_text(r->laptop, sizeof r->laptop, buf_str(&shown[2]));
    store_copy_text(r->typed, sizeof r->typed, buf_str(&typed));
    for (int i = 0; i < 3; i++) {
        if (whole) buf_puts(&whole[i], buf_str(&shown[i]));
        buf_free(&shown[i]);
    }
    if (whole) buf_puts(&whole[3], buf_str(&typed));
    buf_free(&typed);
    return rc;
}

typedef struct page_ctx {
    store *s;
    sync_conflict_row *rows;
    int n;
} page_ctx;

static int one_row(void *vctx, const syncstore_conflict *c)
{
    page_ctx *p = vctx;
    int rc = fill_row(p->s, c, &p->rows[p->n], NULL, NULL);
    if (!rc) p->n++;
    return rc;
}

void sync_conflict_heading(const sync_conflict_row *r, buf *out)
{
    bool named = r->ref[0] || r->child[0]; /* else the row itself names it (r->what) */
    buf_printf(out, "%s%s%s%s \xc2\xb7 %s: %s, found %s", r->ref,
               r->ref[0] && r->child[0] ? " \xc2\xb7 " : "", r->child, named ? "" : r->what,
               r->label, r->happened ? r->happened : "", r->at);
}

typedef struct each_ctx {
    store *s;
    sync_conflict_item_fn fn;
    void *ctx;
} each_ctx;

/* A value as text (text, NULL for none) pointing into b. */
static merge_value text_value(const buf *b, bool none)
{
    if (none) return (merge_value){MERGE_NULL, 0, 0, NULL, 0};
    return (merge_value){MERGE_TEXT, 0, 0, (const unsigned char *)buf_str(b), (int)b->len};
}

static int each_one(void *vctx, const syncstore_conflict *c)
{
    each_ctx *e = vctx;
    sync_conflict_row *r = malloc(sizeof *r);
    if (!r) abort();
    buf key[3] = {BUF_INIT, BUF_INIT, BUF_INIT};
    buf shown[4] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
    int rc = fill_row(e->s, c, r, key, shown);
    if (rc) goto out;
    sync_conflict_item it = {r,
                             c->state,
                             c->resolution,
                             {c->base, c->hub, c->laptop},
                             {buf_str(&shown[0]), buf_str(&shown[1]), buf_str(&shown[2])},
                             buf_str(&shown[3])};
    const field_rule *rule = c->field ? field_rule_of(c->table, c->field) : NULL;
    bool keyed = rule && (rule->kind == FIELD_RULE_OFFICER || rule->kind == FIELD_RULE_SCHOOL);
    for (int i = 0; i < 3; i++) {
        if (r->correction) {
            it.value[i] = text_value(&shown[i], false);
        } else if (keyed && key[i].len) {
            it.value[i] = text_value(&key[i], false);
        }
    }
    rc = e->fn(e->ctx, &it);
out:
    for (int i = 0; i < 3; i++)
        buf_free(&key[i]);
    for (int i = 0; i < 4; i++)
        buf_free(&shown[i]);
    free(r);
    return rc;
}

int sync_conflicts_each(store *s, bool all, sync_conflict_item_fn fn, void *ctx)
{
    each_ctx e = {s, fn, ctx};
    return syncstore_conflict_each(s, all, each_one, &e);
}

int sync_conflict_item_get(store *s, int64_t id, sync_conflict_item_fn fn, void *ctx)
{
    each_ctx e = {s, fn, ctx};
    return syncstore_conflict_get(s, id, each_one, &e);
}

int sync_conflicts_page(store *s, const syncstore_conflict_key *from, bool backward, int limit,
                        sync_conflict_row *rows, int *n)
{
    page_ctx p = {s, rows, 0};
    *n = 0;
    if (limit <= 0) return EXIT_OK;
    /* A callback fills one row per call: stop at limit (the query's LIMIT is the same). */
    int rc = syncstore_conflict_page(s, from, backward, limit, one_row, &p);
    if (rc) return rc;
    if (backward) /* nearest first: turn into list order */
        for (int i = 0, j = p.n - 1; i < j; i++, j--) {
            sync_conflict_row t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
    *n = p.n;
    return EXIT_OK;
}
