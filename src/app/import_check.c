/* import_check.c: checking each field of a row by field.h's rules (the same as the app's forms
 * and the command line), rewriting it as it is stored, and each row of each kind. */
#include "import_internal.h"

#include "caseload/records.h"
#include <stdio.h>
#include <string.h>

/* ---- checking one field (the rules are field.h's) ---- */

static bool check_required(imp *m, size_t row, int col)
{
    if (V(m, row, col)) return true;
    imp_problem(m, m->meta[row].line, m->def->cols[col], "required but empty");
    return false;
}

/* A value refused for the reason why (field.h). Rows are grouped by the reason without what it
 * says in brackets ("is before received (2023-09-12)" is one problem whatever the date). */
static void refused(imp *m, size_t row, int col, const char *why)
{
    char kind[64];
    size_t k = strcspn(why, "(:");
    if (k >= sizeof kind) k = sizeof kind - 1;
    memcpy(kind, why, k);
    kind[k] = '\0';
    imp_kproblem(m, m->meta[row].line, m->def->cols[col], kind, "'%s' %s",
                 imp_safe(m, V(m, row, col)), why);
}

/* A date column: 1 with *d when it holds a date (rewritten YYYY-MM-DD), 0 when empty, -1 when
 * not a plausible date (reported). */
static int check_date(imp *m, size_t row, int col, date_t *d)
{
    const char *v = V(m, row, col);
    if (!v) return 0;
    char why[FIELD_WHY];
    size_t n = strlen(v);
    if (!field_date(v, n, m->date_flags, d, why)) {
        refused(m, row, col, why);
        return -1;
    }
    if (n != 10 || v[4] != '-') {
        char t[11];
        date_format(*d, t);
        setV(m, row, col, imp_arena_dup(&m->a, t, 10));
    }
    return 1;
}

/* A required date: whether it is there and a date (reported when not). */
static bool need_date(imp *m, size_t row, int col, date_t *d)
{
    return check_required(m, row, col) && check_date(m, row, col, d) > 0;
}

/* A date of something that happened: not after today (reported). */
static bool check_past(imp *m, size_t row, int col, date_t d)
{
    char why[FIELD_WHY];
    if (field_date_past(d, m->today, why)) return true;
    refused(m, row, col, why);
    return false;
}

/* d of column col is not before first, the date called name (reported). */
static bool check_after(imp *m, size_t row, int col, date_t d, const char *name, date_t first)
{
    char why[FIELD_WHY];
    if (field_date_from(d, first, name, why)) return true;
    refused(m, row, col, why);
    return false;
}

/* d of column col is not before first, the date of column first_col (reported). */
static bool check_from(imp *m, size_t row, int col, date_t d, int first_col, date_t first)
{
    return check_after(m, row, col, d, m->def->cols[first_col], first);
}

/* A date of the child's life (d of column col): not before the child was born, when that is known
 * (reported). */
static bool check_born(imp *m, size_t row, int col, date_t d, int slot)
{
    if (slot < 0 || !m->slots[slot].dob) return true;
    return check_after(m, row, col, d, FIELD_FROM_BIRTH, m->slots[slot].dob);
}

/* A required date of something that happened: there, a date and not after today (reported). */
static bool need_past(imp *m, size_t row, int col, date_t *d)
{
    return need_date(m, row, col, d) && check_past(m, row, col, *d);
}

/* Checks a code and replaces it by its canonical word. Returns false on a bad code (reported in
 * the words of field_value, as sync resolve says it). */
static bool check_code(imp *m, size_t row, int col, codes_list l)
{
    const char *v = V(m, row, col);
    if (!v) return true;
    int i = field_code(l, v, strlen(v));
    if (i < 0) {
        char why[FIELD_WHY];
        field_code_why(l, v, strlen(v), why);
        refused(m, row, col, why);
        return false;
    }
    setV(m, row, col, codes_code(l, (size_t)i));
    return true;
}

/* A flag, rewritten yes or no: returns 1, 0, -1 when empty, -2 when bad (reported). */
static int check_flag(imp *m, size_t row, int col)
{
    const char *v = V(m, row, col);
    if (!v) return -1;
    char why[FIELD_WHY];
    int f = field_flag_why(v, strlen(v), why);
    if (f >= 0) {
        setV(m, row, col, f ? "yes" : "no");
        return f;
    }
    refused(m, row, col, why);
    return -2;
}

/* A kind of action, rewritten lower case with '_'. */
static bool check_action_kind(imp *m, size_t row, int col)
{
    const char *v = V(m, row, col);
    char out[FIELD_KIND_MAX + 1], why[FIELD_WHY];
    size_t n = strlen(v);
    if (!field_action_kind(v, n, out, why)) {
        refused(m, row, col, why);
        return false;
    }
    if (memcmp(out, v, n) != 0) setV(m, row, col, imp_arena_dup(&m->a, out, n));
    return true;
}

/* Officer initials, rewritten upper case. */
static void check_initials(imp *m, size_t row, int col)
{
    const char *v = V(m, row, col);
    if (!v) return;
    char out[FIELD_INITIALS_MAX + 1], why[FIELD_WHY];
    size_t n = strlen(v);
    if (!field_initials(v, n, out, why)) {
        refused(m, row, col, why);
        return;
    }
    if (memcmp(out, v, n) != 0) setV(m, row, col, imp_arena_dup(&m->a, out, n));
}

static bool check_upn(imp *m, size_t row, int col)
{
    const char *v = V(m, row, col);
    if (!v) return true;
    char norm[14], why[FIELD_WHY];
    if (!field_upn(v, strlen(v), norm, why)) {
        refused(m, row, col, why);
        return false;
    }
    setV(m, row, col, strcmp(norm, v) == 0 ? v : imp_arena_dup(&m->a, norm, strlen(norm)));
    return true;
}

/* A date of birth: plausible and not after today. Returns whether it is there and good (*dob). */
static bool check_dob(imp *m, size_t row, int col, date_t *dob)
{
    return check_date(m, row, col, dob) > 0 && check_past(m, row, col, *dob);
}

/* The child of a row gave its date of birth: later rows' dates of its life are checked against
 * it. */
static void slot_born(imp *m, int slot, bool dob_ok, date_t dob)
{
    if (slot >= 0 && dob_ok) m->slots[slot].dob = dob;
}

/* A natural key seen twice in the file: reports it and returns false. */
static bool unique_key(imp *m, size_t row, const char *what)
{
    bool added;
    int64_t *first =
        imp_hmap_put(&m->keys, &m->a, m->key.data, m->key.len, m->meta[row].line, &added);
    if (added) return true;
    imp_problem(m, m->meta[row].line, NULL, "the same %s as line %ld", what, (long)*first);
    return false;
}

/* ---- checking one row of each kind ---- */

/* Other issues (field_codes), rewritten as stored: the first item that is not an issue is
 * reported. */
static void check_other_issues(imp *m, size_t row)
{
    const char *v = V(m, row, R_OTHER), *bad;
    if (!v) return;
    buf out = BUF_INIT;
    size_t badn;
    char why[FIELD_WHY];
    if (field_codes(CODES_ISSUE, v, strlen(v), &out, &bad, &badn)) {
        setV(m, row, R_OTHER, out.len ? imp_arena_dup(&m->a, out.data, out.len) : NULL);
    } else {
        field_code_why(CODES_ISSUE, bad, badn, why);
        refused(m, row, R_OTHER, why);
    }
    buf_free(&out);
}

static void check_referral(imp *m, size_t row)
{
    long line = m->meta[row].line;
    const char *ref = V(m, row, R_REF);
    if (check_required(m, row, R_REF)) {
        buf_reset(&m->key);
        buf_printf(&m->key, "%s", ref);
        bool added;
        int64_t *first = imp_hmap_put(&m->keys, &m->a, m->key.data, m->key.len, line, &added);
        if (!added)
            imp_problem(m, line, "ref", "'%s' is repeated (first on line %ld)", imp_safe(m, ref),
                        (long)*first);
        if (!m->none_stored && (m->fatal = records_referral_find(m->s, ref, &m->meta[row].ref_id,
                                                                 &m->meta[row].prev_child)))
            return;
    }
    date_t received = 0, closed_d = 0, dob = 0;
    bool received_ok = need_past(m, row, R_RECEIVED, &received);
    if (check_required(m, row, R_SOURCE)) check_code(m, row, R_SOURCE, CODES_SOURCE);
    if (check_required(m, row, R_ISSUE)) check_code(m, row, R_ISSUE, CODES_ISSUE);
    check_other_issues(m, row);
    check_flag(m, row, R_PEX);
    bool upn_ok = check_upn(m, row, R_UPN);
    bool dob_ok = check_dob(m, row, R_DOB, &dob);
    check_code(m, row, R_GENDER, CODES_GENDER);
    if (check_required(m, row, R_CARE)) check_code(m, row, R_CARE, CODES_CARE_STATUS);
    if (check_required(m, row, R_SEN)) check_code(m, row, R_SEN, CODES_SEN);
    check_code(m, row, R_NEED, CODES_SEN_NEED);
    check_flag(m, row, R_YJ);
    check_initials(m, row, R_OFFICER);
    bool status_ok = check_code(m, row, R_STATUS, CODES_STATUS);
    int closed_rc = check_date(m, row, R_CLOSED, &closed_d);
    const char *status = V(m, row, R_STATUS), *closed = V(m, row, R_CLOSED);
    bool is_closed = status && strcmp(status, "closed") == 0;
    if (status_ok && is_closed && !closed)
        imp_problem(m, line, "closed", "required when status is 'closed'");
    if (status_ok && !is_closed && closed)
        imp_problem(m, line, "closed", "a closed date needs status 'closed' (status is '%s')",
                    status ? status : "new");
    if (closed_rc > 0 && check_past(m, row, R_CLOSED, closed_d) && received_ok)
        check_from(m, row, R_CLOSED, closed_d, R_RECEIVED, received);
    if (!upn_ok) return;
    int slot = imp_resolve_child(m, row, R_UPN, R_LID, true);
    m->meta[row].child = slot;
    imp_check_new_child(m, row, slot, R_FIRST, R_LAST, R_DOB, dob_ok);
    slot_born(m, slot, dob_ok, dob);
    /* A child is born on or before the referral is received. */
    if (received_ok) received_ok = check_born(m, row, R_RECEIVED, received, slot);
    if (slot >= 0 && received_ok && ref) {
        /* The child's newest referral in the file: latest received, then greatest ref. */
        child_slot *c = &m->slots[slot];
        int cmp = 1;
        if (c->newest) {
            cmp = strcmp(V(m, row, R_RECEIVED), V(m, c->newest - 1, R_RECEIVED));
            if (cmp == 0) cmp = strcmp(ref, V(m, c->newest - 1, R_REF));
        }
        if (cmp > 0) c->newest = row + 1;
    }
}

static void check_child_row(imp *m, size_t row)
{
    bool upn_ok = check_upn(m, row, C_UPN);
    date_t dob = 0, ended = 0;
    bool dob_ok = check_dob(m, row, C_DOB, &dob);
    check_code(m, row, C_GENDER, CODES_GENDER);
    check_code(m, row, C_CARE, CODES_CARE_STATUS);
    check_code(m, row, C_SEN, CODES_SEN);
    check_code(m, row, C_NEED, CODES_SEN_NEED);
    check_flag(m, row, C_YJ);
    bool ended_ok = check_date(m, row, C_SWE, &ended) > 0 && check_past(m, row, C_SWE, ended);
    if (!upn_ok) return;
    size_t before = m->nslots;
    int slot = imp_resolve_child(m, row, C_UPN, C_LID, true);
    m->meta[row].child = slot;
    if (slot < 0) return;
    if ((size_t)slot < before && m->slots[slot].line != m->meta[row].line) {
        /* Named already: by an earlier row of this file (a slot of the database is made by the
         * first row that names it). */
        imp_problem(m, m->meta[row].line, NULL, "the same child as line %ld", m->slots[slot].line);
        return;
    }
    imp_check_new_child(m, row, slot, C_FIRST, C_LAST, C_DOB, dob_ok);
    slot_born(m, slot, dob_ok, dob);
    if (ended_ok) check_born(m, row, C_SWE, ended, slot);
}

/* The cache's value under tag+ref: *v (when there) and whether it was there. */
static bool cached(imp *m, char tag, const char *ref, int64_t *v)
{
    buf_reset(&m->key);
    buf_putc(&m->key, tag);
    buf_puts(&m->key, ref);
    int64_t *p = imp_hmap_get(&m->cache, m->key.data, m->key.len);
    if (p) *v = *p;
    return p != NULL;
}

static void cache(imp *m, char tag, const char *ref, int64_t v)
{
    buf_reset(&m->key);
    buf_putc(&m->key, tag);
    buf_puts(&m->key, ref);
    imp_hmap_put(&m->cache, &m->a, m->key.data, m->key.len, v, NULL);
}

/* The referral a row of outcomes or actions names (cached), and when it was received (*received:
 * 0 when there is no such referral). */
static void resolve_ref(imp *m, size_t row, int col, date_t *received)
{
    const char *ref = V(m, row, col);
    int64_t id = 0, child = 0, rec = 0;
    if (cached(m, 'R', ref, &id)) {
        cached(m, 'C', ref, &child);
        cached(m, 'D', ref, &rec);
    } else {
        char day[11];
        date_t d;
        if ((m->fatal = records_referral_find_received(m->s, ref, &id, &child, day))) return;
        rec = date_parse(day, strlen(day), &d) ? d : 0;
        cache(m, 'R', ref, id);
        cache(m, 'C', ref, child);
        cache(m, 'D', ref, rec);
    }
    *received = (date_t)rec;
    m->meta[row].ref_id = id;
    m->meta[row].prev_child = child;
    if (!id)
        imp_problem(m, m->meta[row].line, "ref", "no referral '%s' in the database",
                    imp_safe(m, ref));
}

/* How many rows with the key in m->key came before (for outcomes and actions). */
static long nth_of_key(imp *m)
{
    bool added;
    int64_t *n = imp_hmap_put(&m->keys, &m->a, m->key.data, m->key.len, 0, &added);
    return (long)(*n)++;
}

static void check_outcome(imp *m, size_t row)
{
    bool ok = check_required(m, row, O_REF);
    date_t d;
    bool date_ok = need_past(m, row, O_DATE, &d);
    ok &= check_required(m, row, O_OUTCOME) && check_code(m, row, O_OUTCOME, CODES_OUTCOME);
    date_t received = 0;
    if (V(m, row, O_REF)) resolve_ref(m, row, O_REF, &received);
    /* As the app's form has it: an outcome comes on or after the referral. */
    if (date_ok && received)
        date_ok = check_after(m, row, O_DATE, d, FIELD_FROM_RECEIVED, received);
    if (!ok || !date_ok) return;
    buf_reset(&m->key);
    buf_printf(&m->key, "%s%c%s%c%s%c%s", V(m, row, O_REF), 0, V(m, row, O_DATE), 0,
               V(m, row, O_OUTCOME), 0, V(m, row, O_NOTE) ? V(m, row, O_NOTE) : "");
    m->meta[row].nth = nth_of_key(m);
}

static void check_action(imp *m, size_t row)
{
    bool ok = check_required(m, row, A_REF);
    date_t d, follow;
    bool date_ok = need_past(m, row, A_DATE, &d);
    ok &= date_ok;
    ok &= check_required(m, row, A_KIND) && check_action_kind(m, row, A_KIND);
    check_initials(m, row, A_OFFICER);
    int follow_rc = check_date(m, row, A_FOLLOW, &follow);
    ok &= follow_rc >= 0;
    if (follow_rc > 0 && date_ok) ok &= check_after(m, row, A_FOLLOW, follow, FIELD_FROM_ACTION, d);
    date_t received = 0;
    if (V(m, row, A_REF)) resolve_ref(m, row, A_REF, &received);
    if (!ok) return;
    buf_reset(&m->key);
    const char *vals[] = {V(m, row, A_REF),  V(m, row, A_DATE), V(m, row, A_OFFICER),
                          V(m, row, A_KIND), V(m, row, A_NOTE), V(m, row, A_FOLLOW)};
    for (int i = 0; i < 6; i++) {
        buf_puts(&m->key, vals[i] ? vals[i] : "");
        buf_append(&m->key, "", 1);
    }
    m->meta[row].nth = nth_of_key(m);
}

/* The child of an event row, and the key "slot,..." of the row in m->key. */
static int event_child(imp *m, size_t row)
{
    if (!check_upn(m, row, 0)) return -1;
    int slot = imp_resolve_child(m, row, 0, 1, false);
    m->meta[row].child = slot;
    return slot;
}

static void check_exclusion(imp *m, size_t row)
{
    date_t start;
    bool start_ok = need_past(m, row, X_START, &start);
    bool ok = check_required(m, row, X_CATEGORY) &&
              check_code(m, row, X_CATEGORY, CODES_EXCLUSION_CATEGORY);
    const char *days = V(m, row, X_DAYS);
    double d;
    char why[FIELD_WHY];
    if (days && !field_days(days, strlen(days), &d, why)) refused(m, row, X_DAYS, why);
    check_code(m, row, X_REASON, CODES_EXCLUSION_REASON);
    int slot = event_child(m, row);
    if (start_ok) start_ok = check_born(m, row, X_START, start, slot);
    if (slot < 0 || !ok || !start_ok) return;
    buf_reset(&m->key);
    buf_printf(&m->key, "%d,%s,%s", slot, V(m, row, X_START), V(m, row, X_CATEGORY));
    unique_key(m, row, "child, start and category");
}

static void check_attendance(imp *m, size_t row)
{
    long line = m->meta[row].line;
    date_t from, to;
    /* Of what has happened (field.h's rule of attendance, as the app's form has it): a term
     * still running is recorded once it is over, or up to today. */
    bool from_ok = need_past(m, row, T_FROM, &from);
    bool to_ok = need_past(m, row, T_TO, &to);
    if (from_ok && to_ok) check_from(m, row, T_TO, to, T_FROM, from);
    long possible = -1, attended = -1;
    const char *pv = V(m, row, T_POSSIBLE), *av = V(m, row, T_ATTENDED);
    char why[FIELD_WHY];
    if (check_required(m, row, T_POSSIBLE) && !field_sessions(pv, strlen(pv), &possible, why)) {
        refused(m, row, T_POSSIBLE, why);
        possible = -1;
    }
    if (check_required(m, row, T_ATTENDED) && !field_sessions(av, strlen(av), &attended, why)) {
        refused(m, row, T_ATTENDED, why);
        attended = -1;
    }
    if (possible >= 0 && attended >= 0 && !field_attended(attended, possible, why))
        imp_problem(m, line, "attended_sessions", "%ld %s", attended, why);
    int slot = event_child(m, row);
    if (from_ok) from_ok = check_born(m, row, T_FROM, from, slot);
    if (to_ok) to_ok = check_born(m, row, T_TO, to, slot);
    if (slot < 0 || !from_ok || !to_ok) return;
    buf_reset(&m->key);
    buf_printf(&m->key, "%d,%s,%s", slot, V(m, row, T_FROM), V(m, row, T_TO));
    unique_key(m, row, "child, from and to");
}

static void check_episode(imp *m, size_t row)
{
    bool ok = check_required(m, row, E_KIND) && check_code(m, row, E_KIND, CODES_EPISODE_KIND);
    date_t start, end;
    bool start_ok = need_past(m, row, E_START, &start);
    bool end_ok = check_date(m, row, E_END, &end) > 0 && check_past(m, row, E_END, end);
    if (start_ok && end_ok) check_after(m, row, E_END, end, FIELD_FROM_EPISODE, start);
    const char *hv = V(m, row, E_HOURS);
    double h;
    char why[FIELD_WHY];
    if (hv && !field_hours(hv, strlen(hv), &h, why)) refused(m, row, E_HOURS, why);
    check_flag(m, row, E_COUNTY);
    int slot = event_child(m, row);
    if (start_ok) start_ok = check_born(m, row, E_START, start, slot);
    if (slot < 0 || !ok || !start_ok) return;
    buf_reset(&m->key);
    buf_printf(&m->key, "%d,%s,%s", slot, V(m, row, E_KIND), V(m, row, E_START));
    unique_key(m, row, "child, kind and start");
}

void imp_check_row(imp *m, size_t row)
{
    m->meta[row].child = -1;
    switch (m->kind) {
    case KIND_REFERRALS: check_referral(m, row); break;
    case KIND_OUTCOMES: check_outcome(m, row); break;
    case KIND_ACTIONS: check_action(m, row); break;
    case KIND_EXCLUSIONS: check_exclusion(m, row); break;
    case KIND_ATTENDANCE: check_attendance(m, row); break;
    case KIND_EPISODES: check_episode(m, row); break;
    case KIND_CHILDREN: check_child_row(m, row); break;
    default: break;
    }
}
