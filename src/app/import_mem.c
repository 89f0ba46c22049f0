/* import_mem.c: the memory of one import: an arena the fields are copied into (no allocation
 * per row) and a hash map from byte strings to integers (see import_internal.h). */
#include "import_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *imp_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("caseload: out of memory\n", stderr);
        abort();
    }
    return q;
}

char *imp_arena_dup(arena *a, const char *s, size_t n)
{
    if (!a->head || a->head->cap - a->head->used < n + 1) {
        size_t cap = n + 1 > (1u << 20) ? n + 1 : (1u << 20);
        chunk *c = imp_xrealloc(NULL, sizeof *c + cap);
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    char *p = a->head->data + a->head->used;
    memcpy(p, s, n);
    p[n] = '\0';
    a->head->used += n + 1;
    return p;
}

void imp_arena_free(arena *a)
{
    while (a->head) {
        chunk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

/* ---- a hash map from byte strings to integers ---- */

static uint64_t hash_bytes(const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)k[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}

static hent *hmap_slot(hmap *m, const char *k, size_t n, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        hent *e = &m->e[i];
        if (!e->key || (e->h == h && e->klen == n && memcmp(e->key, k, n) == 0)) return e;
    }
}

/* The value stored under k, or NULL. */
int64_t *imp_hmap_get(hmap *m, const char *k, size_t n)
{
    if (!m->cap) return NULL;
    hent *e = hmap_slot(m, k, n, hash_bytes(k, n));
    return e->key ? &e->val : NULL;
}

/* Stores val under k unless k is there; returns the value slot (new or existing) and whether it
 * was added. */
int64_t *imp_hmap_put(hmap *m, arena *a, const char *k, size_t n, int64_t val, bool *added)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        hent *old = m->e;
        size_t oldcap = m->cap;
        m->e = imp_xrealloc(NULL, cap * sizeof *m->e);
        memset(m->e, 0, cap * sizeof *m->e);
        m->cap = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].key) *hmap_slot(m, old[i].key, old[i].klen, old[i].h) = old[i];
        free(old);
    }
    uint64_t h = hash_bytes(k, n);
    hent *e = hmap_slot(m, k, n, h);
    if (e->key) {
        if (added) *added = false;
        return &e->val;
    }
    e->key = imp_arena_dup(a, k, n);
    e->klen = n;
    e->h = h;
    e->val = val;
    m->n++;
    if (added) *added = true;
    return &e->val;
}

void imp_hmap_free(hmap *m)
{
    free(m->e);
    m->e = NULL;
    m->cap = m->n = 0;
}
