/* cmd_sync.c: `caseload sync ...`: offline copies (SPEC section 9): checkout, pack, apply, with,
 * status, conflicts, resolve and revoke, each a thin face of src/app/sync.c. */
#include "caseload/buf.h"
#include "caseload/cli.h"
#include "caseload/exitcode.h"
#include "caseload/json.h"
#include "caseload/sync.h"
#include "caseload/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int exec_sync(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_cmd_sync = {
    "sync",
    "sync checkout FILE --name NAME | pack OUT [--for NAME] | apply PACK | with OTHER | "
    "status [--format text|json] | conflicts [--all] [--format table|json] | "
    "resolve ID keep|take|set VALUE | revoke NAME",
    "offline copies: a laptop copy taken out, its work brought back as a pack and merged field by "
    "field, every same-field clash kept for a person to decide",
    "  checkout FILE  on the hub: writes a laptop copy to FILE (a new file, 0600)\n"
    "                 with its own device id and pack key\n"
    "  --name NAME    the laptop copy's name (letters, digits, '-', '_'; at most 16):\n"
    "                 its packs and refs (R-YYYY-NAME-00001) carry it\n"
    "  pack OUT       writes to OUT a pack of every change the other side has not\n"
    "                 acknowledged (encrypted; written to a temporary name, renamed)\n"
    "  --for NAME     on the hub: the laptop copy the pack is for\n"
    "  apply PACK     applies a pack in one transaction; prints what it added, merged\n"
    "                 and held as conflicts (a pack applied twice changes nothing)\n"
    "  with OTHER     both directions at once with OTHER (the hub's or the laptop\n"
    "                 copy's database path)\n"
    "  status         this copy's role, its peers, when each last synced, changes not\n"
    "                 yet acknowledged, open conflicts\n"
    "  conflicts      open conflicts, oldest first, as the app's conflicts screen\n"
    "                 names them: the referral and child (or the row), the field,\n"
    "                 the base, hub's and laptop's values, how to resolve each\n"
    "  --all          conflicts: resolved ones too\n"
    "  --format F     status: text (default) or json; conflicts: table (default) or\n"
    "                 json\n"
    "  resolve ID     keep (the hub's value), take (the laptop's) or set VALUE; the\n"
    "                 decision is audited and travels in the next pack\n"
    "  VALUE          checked by the field's rule, as import checks it (a code or its\n"
    "                 label, a date, an officer's initials, a school's URN)\n"
    "  revoke NAME    on the hub: refuses every pack of laptop copy NAME from now on\n",
    exec_sync,
};

static int usage(void)
{
    return cli_usage(&cli_cmd_sync);
}

static void print_sanitized(FILE *f, const char *s)
{
    buf b = BUF_INIT;
    text_sanitize(&b, s);
    fputs(buf_str(&b), f);
    buf_free(&b);
}

static int fail(const char *err, int rc)
{
    fprintf(stderr, "caseload sync: ");
    print_sanitized(stderr, err);
    fputc('\n', stderr);
    return rc;
}

/* The value of option name (--name V or --name=V) at argv[*i], or NULL when it is not that. */
static const char *option(int argc, char **argv, int *i, const char *name)
{
    size_t len = strlen(name);
    if (strcmp(argv[*i], name) == 0 && *i + 1 < argc) return argv[++*i];
    if (strncmp(argv[*i], name, len) == 0 && argv[*i][len] == '=') return argv[*i] + len + 1;
    return NULL;
}

static int open_rw(cli_ctx *ctx, store **s)
{
    return cli_store(ctx, 0, s);
}

static void print_result(const char *where, const sync_apply_result *r)
{
    if (r->nothing_new) {
        printf("%snothing new from %s\n", where, r->peer);
        return;
    }
    if (!r->entries) {
        /* Only the acknowledgement moved: say so, not "applied 0 changes". */
        printf("%snothing new from %s; recorded that %s has applied this copy's changes up to "
               "change %lld",
               where, r->peer, r->peer, (long long)r->acked);
        if (r->skipped) printf(" (%lld already applied)", (long long)r->skipped);
        putchar('\n');
        return;
    }
    printf("%sapplied %lld change%s from %s: %lld added, %lld merged, %lld deleted, %lld held as "
           "conflict%s",
           where, (long long)r->entries, r->entries == 1 ? "" : "s", r->peer, (long long)r->added,
           (long long)r->merged, (long long)r->deleted, (long long)r->conflicts,
           r->conflicts == 1 ? "" : "s");
    if (r->skipped) printf(" (%lld already applied)", (long long)r->skipped);
    if (r->erased)
        printf("; %lld child%s erased (purged on another copy)", (long long)r->erased,
               r->erased == 1 ? "" : "ren");
    if (r->dropped)
        printf("; %lld change%s dropped: their child was purged", (long long)r->dropped,
               r->dropped == 1 ? "" : "s");
    putchar('\n');
    if (r->wal_kept)
        fprintf(stderr, "caseload sync: another program has the database open: the write-ahead "
                        "log still holds the erased pages until it closes\n");
    if (r->search_later)
        fprintf(stderr, "caseload sync: another program kept the database busy: the search text "
                        "of what changed is brought up to date by the next caseload that writes "
                        "or searches\n");
}

static int cmd_checkout(cli_ctx *ctx, int argc, char **argv)
{
    const char *file = NULL, *name = NULL;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = option(argc, argv, &i, "--name")))
            name = v;
        else if (argv[i][0] == '-' || file)
            return usage();
        else
            file = argv[i];
    }
    if (!file || !name) return usage();
    store *s;
    int rc = open_rw(ctx, &s);
    if (rc) return rc;
    char err[1024];
    if ((rc = sync_checkout(s, file, name, err, sizeof err))) return fail(err, rc);
    printf("laptop copy %s written to ", name);
    print_sanitized(stdout, file);
    printf("\n");
    return EXIT_OK;
}

static int cmd_pack(cli_ctx *ctx, int argc, char **argv)
{
    const char *out = NULL, *for_name = NULL;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = option(argc, argv, &i, "--for")))
            for_name = v;
        else if (argv[i][0] == '-' || out)
            return usage();
        else
            out = argv[i];
    }
    if (!out) return usage();
    store *s;
    int rc = cli_store(ctx, STORE_READONLY, &s);
    if (rc) return rc;
    char err[1024];
    sync_pack_info info;
    if ((rc = sync_pack_write(s, for_name, out, &info, err, sizeof err))) return fail(err, rc);
    printf("pack for %s written to ", info.peer);
    print_sanitized(stdout, out);
    printf(": %lld change%s\n", (long long)info.entries, info.entries == 1 ? "" : "s");
    return EXIT_OK;
}

static int cmd_apply(cli_ctx *ctx, int argc, char **argv)
{
    if (argc != 3 || argv[2][0] == '-') return usage();
    int rc = cli_config(ctx);
    if (rc) return rc;
    char err[1024];
    buf pack = BUF_INIT;
    store *s;
    sync_apply_result r;
    if ((rc = sync_pack_read(argv[2], &pack, err, sizeof err))) {
        rc = fail(err, rc);
        goto out;
    }
    if ((rc = open_rw(ctx, &s))) goto out;
    rc = sync_pack_apply(s, &ctx->cfg, ctx->as_of, argv[2], pack.data, pack.len, &r, err,
                         sizeof err);
    if (rc)
        rc = fail(err, rc);
    else
        print_result("", &r);
out:
    buf_free(&pack);
    return rc;
}

static int cmd_with(cli_ctx *ctx, int argc, char **argv)
{
    if (argc != 3 || argv[2][0] == '-') return usage();
    int rc = cli_config(ctx);
    if (rc) return rc;
    store *s, *other;
    if ((rc = open_rw(ctx, &s))) return rc;
    char err[1024];
    if ((rc = store_open(argv[2], 0, &other, err, sizeof err))) {
        fprintf(stderr, "caseload: %s\n", err);
        return rc;
    }
    sync_apply_result to_hub, to_laptop;
    rc = sync_with(s, other, &ctx->cfg, ctx->as_of, &to_hub, &to_laptop, err, sizeof err);
    store_close(other);
    if (rc) return fail(err, rc);
    print_result("hub: ", &to_hub);
    print_result("laptop: ", &to_laptop);
    return EXIT_OK;
}

typedef struct status_ctx {
    store *s;
    json_writer *w;
    int64_t unsent; /* the most any peer has not acknowledged */
    int rc;
} status_ctx;

static int status_peer(void *vctx, const syncstore_peer *p)
{
    status_ctx *c = vctx;
    int64_t n = 0;
    int rc = sync_unsent(c->s, p, &n);
    if (rc) return rc;
    if (n > c->unsent) c->unsent = n;
    if (c->w) {
        json_begin_object(c->w);
        json_key(c->w, "name");
        json_string(c->w, p->name);
        json_key(c->w, "last_sync");
        json_string(c->w, *p->last_sync ? p->last_sync : NULL);
        json_key(c->w, "unsent");
        json_int(c->w, n);
        if (*p->revoked) {
            json_key(c->w, "revoked");
            json_string(c->w, p->revoked);
        }
        json_end_object(c->w);
    } else {
        printf("  %-16s last sync %-24s %lld not yet acknowledged%s\n", p->name,
               *p->last_sync ? p->last_sync : "never", (long long)n,
               *p->revoked ? " (key revoked)" : "");
    }
    return EXIT_OK;
}

static int cmd_status(cli_ctx *ctx, int argc, char **argv)
{
    const char *format = "text";
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = option(argc, argv, &i, "--format")))
            format = v;
        else
            return usage();
    }
    bool json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0) return usage();
    store *s;
    int rc = cli_store(ctx, STORE_READONLY, &s);
    if (rc) return rc;
    char role[16], name[64];
    sync_role(s, role, name);
    int64_t open = 0;
    if ((rc = syncstore_conflict_open_count(s, NULL, 0, &open))) return fail(store_error(s), rc);
    buf out = BUF_INIT;
    json_writer w;
    status_ctx c = {s, json ? &w : NULL, 0, 0};
    if (json) {
        json_init(&w, &out, true);
        json_begin_object(&w);
        json_key(&w, "role");
        json_string(&w, *role ? role : NULL);
        json_key(&w, "name");
        json_string(&w, *name ? name : NULL);
        json_key(&w, "peers");
        json_begin_array(&w);
    } else {
        printf("role: %s\n", *role ? role : "none (no laptop copy was made from this database)");
        if (*name) printf("name: %s\n", name);
        printf("peers:\n");
    }
    if ((rc = syncstore_peer_each(s, status_peer, &c))) {
        rc = fail(store_error(s), rc);
        goto out;
    }
    if (json) {
        json_end_array(&w);
        json_key(&w, "unsent");
        json_int(&w, c.unsent);
        json_key(&w, "conflicts");
        json_int(&w, open);
        json_end_object(&w);
        printf("%s\n", buf_str(&out));
    } else {
        printf("not yet acknowledged: %lld change%s\nopen conflicts: %lld\n", (long long)c.unsent,
               c.unsent == 1 ? "" : "s", (long long)open);
    }
out:
    buf_free(&out);
    return rc;
}

/* A value as JSON: numbers as numbers, text as strings, NULL as null. */
static void json_value(json_writer *w, const merge_value *v)
{
    char t[64];
    switch (v->type) {
    case MERGE_INT: json_int(w, v->i); break;
    case MERGE_REAL:
        snprintf(t, sizeof t, "%.17g", v->d);
        json_number(w, v->d, strchr(t, '.') ? (int)strlen(strchr(t, '.') + 1) : 0);
        break;
    case MERGE_TEXT:
    case MERGE_BLOB: {
        buf b = BUF_INIT;
        buf_append(&b, (const char *)v->p, (size_t)v->n);
        json_string(w, buf_str(&b));
        buf_free(&b);
        break;
    }
    default: json_null(w);
    }
}

typedef struct list_ctx {
    json_writer *w;
    int n;
} list_ctx;

/* "  LABEL VALUE" for the text listing: the label padded to width, the value's lines under one
 * another, sanitized. */
static void value_lines(const char *label, int width, const char *value)
{
    printf("  %-*s ", width, label);
    for (const char *p = value;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        buf b = BUF_INIT;
        text_sanitize_n(&b, p, len);
        printf("%s\n", buf_str(&b));
        buf_free(&b);
        if (!nl) break;
        p = nl + 1;
        printf("  %-*s ", width, "");
    }
}

/* One conflict as JSON, with the keys of SPEC section 9. */
static void list_json(json_writer *w, const sync_conflict_item *it)
{
    const sync_conflict_row *r = it->row;
    json_begin_object(w);
    json_key(w, "id");
    json_int(w, r->id);
    json_key(w, "kind");
    json_string(w, r->kind);
    json_key(w, "table");
    json_string(w, r->table);
    json_key(w, "ref");
    json_string(w, r->ref[0] ? r->ref : NULL);
    json_key(w, "child");
    json_string(w, r->child[0] ? r->child : NULL);
    json_key(w, "field");
    json_string(w, r->field[0] ? r->field : NULL);
    static const char *const names[3] = {"base", "hub", "laptop"};
    for (int i = 0; i < 3; i++) {
        json_key(w, names[i]);
        json_value(w, &it->value[i]);
    }
    json_key(w, "laptop_name");
    json_string(w, r->laptop_name);
    json_key(w, "at");
    json_string(w, r->key.at);
    json_key(w, "state");
    json_string(w, it->state);
    json_end_object(w);
}

/* One conflict as a person reads it (the conflicts screen's words): its number and state, the
 * heading, the three values whole, and for an open one how to resolve it. */
static int list_one(void *vctx, const sync_conflict_item *it)
{
    list_ctx *l = vctx;
    l->n++;
    if (l->w) {
        list_json(l->w, it);
        return EXIT_OK;
    }
    const sync_conflict_row *r = it->row;
    bool open = strcmp(it->state, "open") == 0;
    buf b = BUF_INIT, head = BUF_INIT;
    sync_conflict_heading(r, &head);
    text_sanitize(&b, buf_str(&head));
    printf("%s%lld %s%s%s%s: %s\n", l->n > 1 ? "\n" : "", (long long)r->id, it->state,
           open ? "" : " (", open ? "" : it->resolution, open ? "" : ")", buf_str(&b));
    buf_reset(&head);
    text_sanitize(&head, r->laptop_name);
    buf_puts(&head, "'s:");
    int width = (int)head.len > 17 ? (int)head.len : 17;
    value_lines("Base (both had):", width, it->shown[0]);
    value_lines(open ? "Hub's (kept now):" : "Hub's:", width, it->shown[1]);
    value_lines(buf_str(&head), width, it->shown[2]);
    if (open)
        printf("  resolve: caseload sync resolve %lld keep%s%s\n", (long long)r->id,
               r->can_take ? "|take" : "", r->can_set ? "|set VALUE" : "");
    buf_free(&b);
    buf_free(&head);
    return EXIT_OK;
}

static int cmd_conflicts(cli_ctx *ctx, int argc, char **argv)
{
    const char *format = "table";
    bool all = false;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if (strcmp(argv[i], "--all") == 0)
            all = true;
        else if ((v = option(argc, argv, &i, "--format")))
            format = v;
        else
            return usage();
    }
    bool json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "table") != 0) return usage();
    store *s;
    int rc = cli_store(ctx, STORE_READONLY, &s);
    if (rc) return rc;
    buf out = BUF_INIT;
    json_writer w;
    list_ctx l = {json ? &w : NULL, 0};
    if (json) {
        json_init(&w, &out, true);
        json_begin_array(&w);
    }
    if ((rc = sync_conflicts_each(s, all, list_one, &l))) {
        rc = fail(store_error(s), rc);
        goto out;
    }
    if (json) {
        json_end_array(&w);
        printf("%s\n", buf_str(&out));
    } else if (!l.n) {
        printf("(no %sconflicts)\n", all ? "" : "open ");
    }
out:
    buf_free(&out);
    return rc;
}

static int cmd_resolve(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 4 || argc > 5) return usage();
    char *end;
    long long id = strtoll(argv[2], &end, 10);
    if (!*argv[2] || *end || id <= 0) {
        fprintf(stderr, "caseload sync: resolve: ID is a conflict's number (sync conflicts)\n");
        return usage();
    }
    const char *how = argv[3], *value = argc == 5 ? argv[4] : NULL;
    if ((strcmp(how, "set") == 0) != (value != NULL)) return usage();
    int rc = cli_config(ctx);
    if (rc) return rc;
    store *s;
    if ((rc = open_rw(ctx, &s))) return rc;
    char err[1024];
    if ((rc = sync_resolve(s, &ctx->cfg, ctx->as_of, id, how, value, err, sizeof err)))
        return fail(err, rc);
    printf("conflict %lld resolved (%s)\n", id, how);
    return EXIT_OK;
}

static int cmd_revoke(cli_ctx *ctx, int argc, char **argv)
{
    if (argc != 3) return usage();
    store *s;
    int rc = open_rw(ctx, &s);
    if (rc) return rc;
    char err[1024];
    if ((rc = sync_revoke(s, argv[2], err, sizeof err))) return fail(err, rc);
    printf("the key of %s is revoked: its packs are refused\n", argv[2]);
    return EXIT_OK;
}

static int exec_sync(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) return usage();
    const char *sub = argv[1];
    if (strcmp(sub, "checkout") == 0) return cmd_checkout(ctx, argc, argv);
    if (strcmp(sub, "pack") == 0) return cmd_pack(ctx, argc, argv);
    if (strcmp(sub, "apply") == 0) return cmd_apply(ctx, argc, argv);
    if (strcmp(sub, "with") == 0) return cmd_with(ctx, argc, argv);
    if (strcmp(sub, "status") == 0) return cmd_status(ctx, argc, argv);
    if (strcmp(sub, "conflicts") == 0) return cmd_conflicts(ctx, argc, argv);
    if (strcmp(sub, "resolve") == 0) return cmd_resolve(ctx, argc, argv);
    if (strcmp(sub, "revoke") == 0) return cmd_revoke(ctx, argc, argv);
    fprintf(stderr, "caseload sync: unknown subcommand '");
    print_sanitized(stderr, sub);
    fprintf(stderr, "' (checkout, pack, apply, with, status, conflicts, resolve, revoke)\n");
    return usage();
}
