/* report_render.c: a report rendered as csv (one row per figure, with its dotted JSON name), as
 * an Excel workbook of the same rows, and as json (the dotted names gathered into nested objects,
 * every key present); report_render picks the format (text and md: report_text.c). */
#include "report_internal.h"

#include "caseload/csv.h"
#include "caseload/json.h"
#include "caseload/xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The dotted name of a cell: path with {r} and {c} replaced, empty segments dropped. */
static void cell_path(const char *path, const char *rkey, const char *ckey, buf *out)
{
    buf raw = BUF_INIT;
    for (const char *p = path; *p; p++) {
        if (strncmp(p, "{r}", 3) == 0) {
            buf_puts(&raw, rkey);
            p += 2;
        } else if (strncmp(p, "{c}", 3) == 0) {
            buf_puts(&raw, ckey ? ckey : "");
            p += 2;
        } else {
            buf_putc(&raw, *p);
        }
    }
    buf_reset(out);
    const char *s = buf_str(&raw);
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        if (n) {
            if (out->len) buf_putc(out, '.');
            buf_append(out, s, n);
        }
        s += n;
        if (*s == '.') s++;
    }
    buf_free(&raw);
}

static void value_text(const report_col *c, long long v, char *out, size_t n)
{
    if (c->decimals == 1)
        snprintf(out, n, "%lld.%lld", v / 10, v % 10);
    else
        snprintf(out, n, "%lld", v);
}

/* The percentage shown beside value column col of a row ("" when there is none or it is
 * undefined): the first PERCENT column of the table whose numerator is col. */
static void percent_of(const report_table *t, const report_row *row, int col, char *out, size_t n)
{
    out[0] = '\0';
    for (int p = 0; p < t->ncols; p++) {
        const report_col *c = &t->cols[p];
        if (c->type != REPORT_COL_PERCENT || c->num != col) continue;
        if (row->hidden >> p & 1) { /* report_publish: built on a hidden count */
            snprintf(out, n, "c");
            return;
        }
        long long den = c->den >= 0 ? row->v[c->den] : t->base;
        if (den > 0) snprintf(out, n, "%lld", report_percent(row->v[col], den));
        return;
    }
}

/* The fields of the csv format, in order. */
static const char *const long_cols[] = {"section", "item", "measure", "value",
                                        "percent", "from", "to",      "key"};
#define NLONG 8

/* Calls fn with each figure of r as the fields of long_cols. */
static int each_long_row(const report *r, int (*fn)(void *, const char *const *), void *arg)
{
    buf path = BUF_INIT;
    char v[32], pct[32], from[11], to[11];
    date_format(r->from, from);
    date_format(r->to, to);
    int rc = 0;
    for (size_t k = 0; k < r->ntables && !rc; k++) {
        const report_table *t = &r->tables[k];
        for (size_t i = 0; i < t->nrows && !rc; i++) {
            for (int c = 0; c < t->ncols && !rc; c++) {
                const report_col *col = &t->cols[c];
                if (col->type != REPORT_COL_VALUE || !col->key) continue;
                cell_path(t->path, t->rows[i].key, col->key, &path);
                if (t->rows[i].hidden >> c & 1)
                    snprintf(v, sizeof v, "c");
                else
                    value_text(col, t->rows[i].v[c], v, sizeof v);
                percent_of(t, &t->rows[i], c, pct, sizeof pct);
                const char *fields[NLONG] = {t->title, t->rows[i].label, col->label, v, pct, from,
                                             to,       buf_str(&path)};
                rc = fn(arg, fields);
            }
        }
    }
    buf_free(&path);
    return rc;
}

static int csv_long_row(void *arg, const char *const *fields)
{
    buf *out = arg;
    for (int i = 0; i < NLONG; i++) {
        if (i) buf_putc(out, ',');
        csv_write_field(out, fields[i]);
    }
    buf_putc(out, '\n');
    return 0;
}

static void render_csv(const report *r, buf *out)
{
    for (int i = 0; i < NLONG; i++)
        buf_printf(out, "%s%s", i ? "," : "", long_cols[i]);
    buf_putc(out, '\n');
    each_long_row(r, csv_long_row, out);
}

typedef struct {
    xlsx *x;
    char *errmsg;
    size_t n;
} xlsx_ctx;

static int xlsx_long_row(void *arg, const char *const *fields)
{
    xlsx_ctx *c = arg;
    return xlsx_row(c->x, fields, NLONG, c->errmsg, c->n);
}

int report_write_xlsx(const report *r, const char *path, char *errmsg, size_t n)
{
    static const xlsx_type types[NLONG] = {XLSX_TEXT,   XLSX_TEXT, XLSX_TEXT, XLSX_NUMBER,
                                           XLSX_NUMBER, XLSX_DATE, XLSX_DATE, XLSX_TEXT};
    xlsx_ctx c = {NULL, errmsg, n};
    int rc = xlsx_open(&c.x, path, report_kind_name(r->kind), long_cols, types, NLONG, errmsg, n);
    if (rc) return rc;
    rc = each_long_row(r, xlsx_long_row, &c);
    if (rc) {
        xlsx_discard(c.x);
        return rc;
    }
    return xlsx_close(c.x, errmsg, n);
}

/* JSON: the dotted names are gathered into a tree (keys keep the order they first appear in),
 * then written as nested objects. */
typedef struct jnode {
    char *name;
    bool leaf;
    long long v;
    int decimals;
    const char *str; /* a string leaf when not NULL */
    struct jnode **kids;
    size_t nkids;
} jnode;

static jnode *jnode_child(jnode *n, const char *name, size_t len)
{
    for (size_t i = 0; i < n->nkids; i++)
        if (strlen(n->kids[i]->name) == len && memcmp(n->kids[i]->name, name, len) == 0)
            return n->kids[i];
    jnode *k = calloc(1, sizeof *k);
    jnode **kids = realloc(n->kids, (n->nkids + 1) * sizeof *kids);
    if (!k || !kids) abort();
    k->name = strndup(name, len);
    if (!k->name) abort();
    n->kids = kids;
    n->kids[n->nkids++] = k;
    return k;
}

/* The node at a dotted path, created (as objects) on the way. */
static jnode *jnode_at(jnode *root, const char *path)
{
    jnode *n = root;
    while (*path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        n = jnode_child(n, path, len);
        path += len;
        if (*path == '.') path++;
    }
    return n;
}

static void jnode_write(json_writer *w, const jnode *n)
{
    if (n->str) {
        json_string(w, n->str);
    } else if (n->leaf) {
        if (n->decimals == 1)
            json_number(w, (double)n->v / 10.0, 1);
        else
            json_int(w, n->v);
    } else {
        json_begin_object(w);
        for (size_t i = 0; i < n->nkids; i++) {
            json_key(w, n->kids[i]->name);
            jnode_write(w, n->kids[i]);
        }
        json_end_object(w);
    }
}

static void jnode_free(jnode *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        jnode_free(n->kids[i]);
    free(n->kids);
    free(n->name);
    free(n);
}

static void render_json(const report *r, buf *out)
{
    jnode *root = calloc(1, sizeof *root);
    if (!root) abort();
    char f[11], t[11];
    date_format(r->from, f);
    date_format(r->to, t);
    jnode_at(root, "report")->str = report_kind_name(r->kind);
    jnode_at(root, "from")->str = f;
    jnode_at(root, "to")->str = t;
    buf path = BUF_INIT;
    for (size_t k = 0; k < r->ntables; k++) {
        const report_table *tb = &r->tables[k];
        /* The object that holds the rows exists even with no rows (e.g. "repeat": {}). */
        const char *rp = strstr(tb->path, "{r}");
        if (rp) {
            char prefix[128];
            snprintf(prefix, sizeof prefix, "%.*s", (int)(rp - tb->path), tb->path);
            for (int c = 0; c < tb->ncols; c++) {
                if (tb->cols[c].type != REPORT_COL_VALUE || !tb->cols[c].key) continue;
                cell_path(prefix, "", tb->cols[c].key, &path);
                jnode_at(root, buf_str(&path));
            }
        }
        for (size_t i = 0; i < tb->nrows; i++) {
            for (int c = 0; c < tb->ncols; c++) {
                const report_col *col = &tb->cols[c];
                if (col->type != REPORT_COL_VALUE || !col->key) continue;
                cell_path(tb->path, tb->rows[i].key, col->key, &path);
                jnode *n = jnode_at(root, buf_str(&path));
                if (n->nkids) continue; /* a clash between names: keep the object */
                n->leaf = true;
                n->v = tb->rows[i].v[c];
                n->decimals = col->decimals;
                if (tb->rows[i].hidden >> c & 1) n->str = "c";
            }
        }
    }
    buf_free(&path);
    json_writer w;
    json_init(&w, out, true);
    jnode_write(&w, root);
    buf_putc(out, '\n');
    jnode_free(root);
}

void report_render(const report *r, report_format f, int width, buf *out)
{
    if (width < 40) width = 40;
    switch (f) {
    case REPORT_TEXT: report_render_text(r, width, out); break;
    case REPORT_JSON: render_json(r, out); break;
    case REPORT_CSV: render_csv(r, out); break;
    case REPORT_MD: report_render_md(r, out); break;
    default: break; /* REPORT_XLSX: report_write_xlsx */
    }
}
