/* import_child.c: finding the child a row names, by UPN or LA child id, among the earlier rows of
 * the file and in the database, and the checks of a new child (SPEC section 6). */
#include "import_internal.h"

#include "caseload/browse.h"
#include "caseload/exitcode.h"
#include "caseload/name.h"
#include "caseload/records.h"
#include <string.h>

/* ---- children ---- */

static int new_slot(imp *m, int64_t id, const char *upn, const char *lid, long line)
{
    if (m->nslots == m->capslots) {
        m->capslots = m->capslots ? 2 * m->capslots : 1024;
        m->slots = imp_xrealloc(m->slots, m->capslots * sizeof *m->slots);
    }
    child_slot *c = &m->slots[m->nslots];
    memset(c, 0, sizeof *c);
    c->id = id;
    c->upn = upn;
    c->lid = lid;
    c->line = line;
    return (int)m->nslots++;
}

static int64_t *child_key(imp *m, char tag, const char *v, bool put, int64_t slot)
{
    buf_reset(&m->key);
    buf_putc(&m->key, tag);
    buf_puts(&m->key, v);
    if (put) return imp_hmap_put(&m->children, &m->a, m->key.data, m->key.len, slot, NULL);
    return imp_hmap_get(&m->children, m->key.data, m->key.len);
}

/* The slot of a child found in the database (registering its keys). */
static int db_slot(imp *m, const records_child_key *k, long line)
{
    const char *upn = k->upn[0] ? imp_arena_dup(&m->a, k->upn, strlen(k->upn)) : NULL;
    const char *lid =
        k->la_child_id[0] ? imp_arena_dup(&m->a, k->la_child_id, strlen(k->la_child_id)) : NULL;
    int slot = new_slot(m, k->id, upn, lid, line);
    m->slots[slot].existed = true;
    date_t dob;
    if (date_parse(k->dob, strlen(k->dob), &dob)) m->slots[slot].dob = dob;
    if (upn) child_key(m, 'U', upn, true, slot);
    if (lid) child_key(m, 'L', lid, true, slot);
    return slot;
}

/* records_child_find, but for a first import (imp.none_stored), where no child is stored. */
static int find_child(imp *m, const char *upn, const char *la_child_id, records_child_key *out)
{
    if (!m->none_stored) return records_child_find(m->s, upn, la_child_id, out);
    memset(out, 0, sizeof *out);
    return EXIT_OK;
}

/* Finds the child a row names, in the file's earlier rows or the database; when may_create, a
 * child found nowhere gets a new slot. Returns the slot, or -1 (reported; or a store error in
 * m->fatal). updates: the row may set the child's la_child_id. */
int imp_resolve_child(imp *m, size_t row, int cu, int cl, bool may_create)
{
    const char *upn = V(m, row, cu), *lid = V(m, row, cl);
    long line = m->meta[row].line;
    const char *ucol = m->def->cols[cu], *lcol = m->def->cols[cl];
    if (!upn && !lid) {
        imp_problem(m, line, ucol, "needs upn or la_child_id");
        return -1;
    }
    int slot = -1;
    int64_t *p;
    records_child_key k;
    bool lid_free = false; /* looked up: no child in the database has it */
    if (upn && (p = child_key(m, 'U', upn, false, 0))) slot = (int)*p;
    if (slot < 0 && upn) {
        if ((m->fatal = find_child(m, upn, NULL, &k))) return -1;
        if (k.id) slot = db_slot(m, &k, line);
    }
    if (slot < 0 && lid) {
        if ((p = child_key(m, 'L', lid, false, 0))) {
            slot = (int)*p;
        } else {
            if ((m->fatal = find_child(m, NULL, lid, &k))) return -1;
            if (k.id) slot = db_slot(m, &k, line);
            lid_free = !k.id;
        }
        if (slot >= 0 && upn && m->slots[slot].upn && strcmp(m->slots[slot].upn, upn) != 0) {
            imp_problem(m, line, lcol, "la_child_id '%s' belongs to a child with another UPN",
                        imp_safe(m, lid));
            return -1;
        }
    }
    if (slot < 0) {
        if (!may_create) {
            if (upn)
                imp_problem(m, line, ucol,
                            "no child with UPN '%s' in the database or earlier in the file",
                            imp_safe(m, upn));
            else
                imp_problem(m, line, lcol,
                            "no child with la_child_id '%s' in the database or earlier in the file",
                            imp_safe(m, lid));
            return -1;
        }
        slot = new_slot(m, 0, NULL, NULL, line);
    }
    child_slot *c = &m->slots[slot];
    if (!may_create) return slot; /* events only name the child */
    if (upn && !c->upn) {
        c->upn = upn;
        child_key(m, 'U', upn, true, slot);
    }
    if (lid && (!c->lid || strcmp(c->lid, lid) != 0)) {
        /* The row gives the child a la_child_id: it must not be another child's. */
        p = child_key(m, 'L', lid, false, 0);
        if (p && *p != slot) {
            imp_problem(m, line, lcol, "la_child_id '%s' belongs to another child (line %ld)",
                        imp_safe(m, lid), m->slots[*p].line);
            return -1;
        }
        if (!p && !lid_free) {
            if ((m->fatal = find_child(m, NULL, lid, &k))) return -1;
            if (k.id && k.id != c->id) {
                imp_problem(m, line, lcol,
                            "la_child_id '%s' belongs to another child in the database",
                            imp_safe(m, lid));
                return -1;
            }
        }
        c->lid = lid;
        child_key(m, 'L', lid, true, slot);
    }
    return slot;
}

/* A child already in the database with the same first name, last name and date of birth as the
 * new child of a row (a child known by another UPN or LA id, perhaps after a spreadsheet dropped
 * a leading zero): an error unless --allow-duplicates. */
static void check_duplicate(imp *m, size_t row, int cf, int cl, int cd)
{
    const char *first = V(m, row, cf), *last = V(m, row, cl), *dob = V(m, row, cd);
    browse_child same[32];
    int n = 0;
    if ((m->fatal = browse_child_born(m->s, dob, same, 32, &n))) return;
    for (int i = 0; i < n; i++) {
        if (name_match(first, last, same[i].first_name, same[i].last_name) != NAME_SAME) continue;
        buf who = BUF_INIT;
        if (same[i].upn[0]) buf_printf(&who, "UPN %s", same[i].upn);
        if (same[i].la_child_id[0])
            buf_printf(&who, "%sLA child id %s", same[i].upn[0] ? ", " : "",
                       imp_safe(m, same[i].la_child_id));
        imp_problem(
            m, m->meta[row].line, NULL,
            "possible duplicate of the child with %s in the database (same first name, last "
            "name and date of birth); use that child's UPN or LA child id, or import with "
            "--allow-duplicates if they are two children",
            buf_str(&who));
        buf_free(&who);
        return;
    }
}

/* A new child needs a name and a date of birth, and must not look like a child already known. */
void imp_check_new_child(imp *m, size_t row, int slot, int cf, int cl, int cd, bool dob_ok)
{
    /* Only the row that creates the child (the first row of the file naming it) needs them. */
    if (slot < 0 || m->slots[slot].id || m->slots[slot].line != m->meta[row].line) return;
    int cols[3] = {cf, cl, cd};
    bool all = true;
    for (int i = 0; i < 3; i++) {
        if (!V(m, row, cols[i])) {
            imp_problem(m, m->meta[row].line, m->def->cols[cols[i]], "required for a new child");
            all = false;
        }
    }
    if (all && dob_ok && !m->allow_duplicates && !m->none_stored)
        check_duplicate(m, row, cf, cl, cd);
}
