/* demo.c: the demo caseload. Every child's story is drawn from its own splitmix64 stream (seed and
 * child number), so any range of children can be generated alone and the same seed always gives
 * the same rows; the rows are written as the CSV files of SPEC section 6 and imported. Here the
 * children, their referrals, actions and outcomes; their exclusions, episodes and attendance in
 * demo_facts.c (demo_internal.h). */
#include "caseload/demo.h"

#include "caseload/codes.h"
#include "caseload/csv.h"
#include "caseload/exitcode.h"
#include "demo_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the vocabulary of a hub ---- */

/* The mix of a real hub (per thousand) over each code list, in the list's order (the codes
 * themselves are codes_code's, codes.c). */
static const int issue_w[] = {250, 125, 125, 200, 100, 60, 40, 40, 30, 30};

static const int source_w[] = {450, 330, 120, 60, 10, 30};

static const int care_w[] = {340, 270, 220, 90, 80};

static const int sen_w[] = {570, 250, 150, 30};

/* The common SEN needs only, most frequent first (not codes.c's order). */
static const char *const needs[] = {"SEMH", "ASD", "SLCN", "MLD", "SPLD", "SLD",
                                    "PD",   "HI",  "VI",   "MSI", "PMLD", "OTH"};
static const int need_w[] = {320, 200, 150, 120, 80, 30, 30, 20, 15, 5, 5, 25};

static const int gender_w[] = {470, 495, 10, 25};

SAME_SIZE(issue_w, ISSUE_COUNT);
SAME_SIZE(source_w, SOURCE_COUNT);
SAME_SIZE(care_w, CARE_COUNT);
SAME_SIZE(sen_w, SEN_COUNT);
SAME_SIZE(need_w, COUNT(needs)); /* the common needs only */
SAME_SIZE(gender_w, GENDER_COUNT);

static const char *const female[] = {
    "Zoë",     "Chloé",  "Siobhán",  "Amelia",  "Olivia",   "Isla",    "Ava",
    "Mia",     "Aisha",  "Fatima",   "Maryam",  "Amira",    "Lily",    "Grace",
    "Freya",   "Ella",   "Poppy",    "Ruby",    "Niamh",    "Aoife",   "Zuzanna",
    "Maja",    "Oliwia", "Chidinma", "Adaeze",  "Precious", "Jessica", "Kayleigh",
    "Shannon", "Renée",  "Anaïs",    "Saoirse", "Hannah",   "Evie",    "Nevaeh"};
static const char *const male[] = {
    "Oliver", "Noah",   "Muhammad",    "Leo",    "Harry",  "Jack",    "Charlie", "Alfie",  "Jayden",
    "Tyler",  "Kai",    "Connor",      "Reece",  "Callum", "Liam",    "Oisín",   "Seán",   "Jakub",
    "Kacper", "Szymon", "Chukwuemeka", "Tobi",   "Emeka",  "Ibrahim", "Yusuf",   "Ayaan",  "Zain",
    "Mason",  "Riley",  "Kian",        "Dáithí", "José",   "Mehmet",  "Darius",  "Brandon"};
static const char *const surnames[] = {
    "Smith",      "Jones",       "Williams",     "Taylor",        "Brown",     "Davies",
    "Evans",      "Wilson",      "Thomas",       "Johnson",       "Roberts",   "Walker",
    "Wright",     "Robinson",    "Thompson",     "Hughes",        "O'Brien",   "O'Connor",
    "McCarthy",   "Smith-Jones", "Lloyd-Davies", "Ashworth-Hill", "Nowak",     "Kowalski",
    "Wiśniewska", "Lewandowski", "Okafor",       "Adeyemi",       "Mensah",    "Okonkwo",
    "Begum",      "Ahmed",       "Khan",         "Hussain",       "Ali",       "Patel",
    "Islam",      "Rahman",      "Yılmaz",       "Popescu",       "Campbell",  "Murphy",
    "Kelly",      "Doherty",     "D'Souza",      "MacLeod",       "Fernández", "Müller",
    "Ward",       "Price",       "Lee",          "Clarke",        "Green",     "Hall"};

static const struct {
    const char *urn, *name;
} schools[] = {
    {"100234", "St Mary's Church of England Primary School"},
    {"100871", "Oakfield Primary School"},
    {"101456", "Riverside Community Primary School"},
    {"102337", "Holy Family Catholic Primary School"},
    {"103902", "Brookside Infant and Nursery School"},
    {"104518", "Greenhill Junior School"},
    {"105760", "Westfield Primary Academy"},
    {"106281", "St Aidan's RC Primary School"},
    {"107144", "Meadowbank Primary School"},
    {"108350", "Hillcrest Primary School"},
    {"110962", "Castle View Primary School"},
    {"112408", "Moorside Community Primary School"},
    {"113575", "Northgate Primary School"},
    {"136294", "Kingsmead Academy"},
    {"137811", "The Ridge Academy"},
    {"138462", "Harbour Side School"},
    {"139077", "Parkview Academy"},
    {"140215", "St Thomas More Catholic High School"},
    {"141630", "Eastbrook School"},
    {"142288", "Millfield Community College"},
    {"143915", "Longdean School"},
    {"144502", "Highfields Academy"},
    {"145773", "Beacon Hill Academy"},
    {"146019", "Fairfax Academy"},
    {"147388", "The Willows Pupil Referral Unit"},
    {"148120", "Oak Tree Special School"},
    {"148857", "Bishop Challoner Sixth Form"},
    {"149301", "Thornbury College"},
};

static const char *const officers[] = {"JH", "SK", "AM", "RB", "TO", "LW", "NP"};
static const int officer_w[] = {220, 200, 180, 150, 120, 80, 50};

static const char *const action_kinds[] = {"call",  "email",  "meeting",
                                           "visit", "advice", "challenge"};
static const int action_w[] = {320, 280, 160, 90, 100, 50};
static const char *const action_notes[] = {
    "Called the school's designated safeguarding lead",
    "Emailed the social worker, awaiting reply",
    "Multi-agency meeting; plan agreed, review in two weeks",
    "Home visit with the education welfare officer",
    "Advice to school on the \"reasonable adjustments\" duty",
    "Challenged the school on the use of a part-time timetable"};

static const char *const summaries[] = {
    [I_ATT] = "Attendance has fallen since October; school asks for support, \"low mood\" reported",
    [I_CME] = "Not on any school roll after a move into the area",
    [I_EXCL] = "Repeated suspensions this term; school considering next steps",
    [I_ADM] = "Awaiting a school place after a change of placement",
    [I_SEN] = "EHC needs assessment requested; school says needs are not met",
    [I_RT] = "On a reduced timetable of mornings only since half-term",
    [I_MM] = "Managed move proposed between two secondary schools",
    [I_EHE] = "Parent has written to the school to say they will home educate",
    [I_NEET] = "Left sixth form, not in education, employment or training",
    [I_OTHER] = "Advice sought by the carer on school transport",
};
SAME_SIZE(summaries, ISSUE_COUNT);

/* ---- UPNs ---- */

static const char upn_letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

/* A valid UPN for 9 digits n: LA 938, then n; temporary UPNs end in a letter. */
static void make_upn(char out[14], long n, bool temporary, int letter)
{
    char digits[32]; /* room for any long, so no build warns of truncation */
    snprintf(digits, sizeof digits, "938%09ld", labs(n) % 1000000000L);
    memcpy(out + 1, digits, 12);
    if (temporary) out[12] = upn_letters[letter % 23];
    long sum = 0;
    for (int p = 2; p <= 13; p++) {
        char c = out[p - 1];
        int v = c >= '0' && c <= '9' ? c - '0' : (int)(strchr(upn_letters, c) - upn_letters);
        sum += (long)v * p;
    }
    out[0] = upn_letters[sum % 23];
    out[13] = '\0';
}

static const char *const outcomes[] = {"exclusion_avoided",   "permanently_excluded",
                                       "placed_on_roll",      "returned_full_time",
                                       "attendance_improved", "ehcp_issued",
                                       "moved_to_ap",         "ehe_confirmed",
                                       "no_further_action",   "other"};
SAME_SIZE(outcomes, OUTCOME_COUNT);

static int pick_outcome(rng *r, const ref_story *f)
{
    static const int att[] = {0, 0, 0, 60, 520, 0, 50, 0, 270, 100};
    static const int cme[] = {0, 0, 620, 0, 0, 0, 40, 100, 160, 80};
    static const int pex[] = {850, 150, 0, 0, 0, 0, 0, 0, 0, 0};
    static const int excl[] = {0, 0, 0, 420, 0, 0, 160, 0, 320, 100};
    static const int adm[] = {0, 0, 820, 0, 0, 0, 30, 0, 80, 70};
    static const int sen[] = {0, 0, 40, 0, 0, 480, 30, 0, 280, 170};
    static const int rt[] = {0, 0, 0, 680, 0, 0, 160, 0, 60, 100};
    static const int mm[] = {0, 0, 620, 0, 0, 0, 250, 0, 60, 70};
    static const int ehe[] = {0, 0, 300, 0, 0, 0, 0, 600, 60, 40};
    static const int neet[] = {0, 0, 200, 0, 0, 0, 0, 0, 400, 400};
    static const int oth[] = {0, 0, 0, 0, 0, 0, 0, 0, 600, 400};
    SAME_SIZE(att, OUTCOME_COUNT);
    SAME_SIZE(cme, OUTCOME_COUNT);
    SAME_SIZE(pex, OUTCOME_COUNT);
    SAME_SIZE(excl, OUTCOME_COUNT);
    SAME_SIZE(adm, OUTCOME_COUNT);
    SAME_SIZE(sen, OUTCOME_COUNT);
    SAME_SIZE(rt, OUTCOME_COUNT);
    SAME_SIZE(mm, OUTCOME_COUNT);
    SAME_SIZE(ehe, OUTCOME_COUNT);
    SAME_SIZE(neet, OUTCOME_COUNT);
    SAME_SIZE(oth, OUTCOME_COUNT);
    if (f->pex) return PICK(r, pex);
    switch (f->issue) {
    case I_ATT: return PICK(r, att);
    case I_CME: return PICK(r, cme);
    case I_EXCL: return PICK(r, excl);
    case I_ADM: return PICK(r, adm);
    case I_SEN: return PICK(r, sen);
    case I_RT: return PICK(r, rt);
    case I_MM: return PICK(r, mm);
    case I_EHE: return PICK(r, ehe);
    case I_NEET: return PICK(r, neet);
    default: return PICK(r, oth);
    }
}

/* The child's referrals (about 1.25 a child for a hub-sized caseload; large caseloads are for
 * benchmarks of a million referrals: 4 referrals a child, fewer actions and attendance records),
 * in date order so the newest is the last, with their status and outcome. */
static void story_referrals(gen *g, story *st)
{
    rng *r = &st->r;
    date_t as_of = g->o->as_of;
    date_t span = as_of - g->start;
    st->large = g->o->children > 2000;
    if (st->large)
        st->nref = (int)between(r, 1, 7);
    else
        st->nref = chance(r, 800) ? 1 : chance(r, 750) ? 2 : 3;
    for (int k = 0; k < st->nref; k++) {
        ref_story *f = &st->refs[k];
        memset(f, 0, sizeof *f);
        f->issue = PICK(r, issue_w);
        f->source = PICK(r, source_w);
        f->officer = PICK(r, officer_w);
        f->nother = chance(r, 250) ? (chance(r, 200) ? 2 : 1) : 0;
        for (int j = 0; j < f->nother; j++) {
            int x = PICK(r, issue_w);
            while (x == f->issue || (j == 1 && x == f->other[0]))
                x = (x + 1) % 10;
            f->other[j] = x;
        }
        f->pex = (f->issue == I_EXCL && chance(r, 700)) || (f->issue == I_MM && chance(r, 150));
        f->received = weekday_before(g->start + (date_t)below(r, span + 1));
        if (f->received < g->start) f->received += 3; /* 1 September on a weekend */
        if (f->received > as_of) f->received = as_of;
    }
    /* In date order, so the newest referral is the last. */
    for (int a = 1; a < st->nref; a++)
        for (int b = a; b > 0 && st->refs[b].received < st->refs[b - 1].received; b--) {
            ref_story t = st->refs[b];
            st->refs[b] = st->refs[b - 1];
            st->refs[b - 1] = t;
        }
    for (int k = 0; k < st->nref; k++) {
        ref_story *f = &st->refs[k];
        st->any[f->issue] = true;
        long age = as_of - f->received;
        int closed_pm = age > 120 ? 870 : age > 30 ? 420 : 60;
        int new_pm = age > 120 ? 0 : age > 30 ? 80 : 450;
        long x = below(r, 1000);
        f->status = x < closed_pm ? 2 : x < closed_pm + new_pm ? 0 : 1;
        f->outcome = -1;
        if (f->status == 2) {
            long most = age < 150 ? age : 150;
            long least = f->issue == I_ADM ? 5 : 7;
            if (most < least) least = most;
            f->closed = f->received + (date_t)between(r, least, most);
            f->outcome = pick_outcome(r, f);
        }
    }
}

/* The child (number i): its keys, name, date of birth and facts, written as its row. */
static void story_child(gen *g, story *st, long i)
{
    const demo_options *o = g->o;
    rng *r = &st->r;
    bool has_upn = !chance(r, 40);
    bool temporary = chance(r, 25);
    if (has_upn)
        make_upn(st->keys.upn, (long)(((uint64_t)i * 7919u + o->seed * 1000003u) % 1000000000u),
                 temporary, (int)below(r, 23));
    else
        st->keys.upn[0] = '\0';
    snprintf(st->keys.la, sizeof st->keys.la, "%llu%07ld", (unsigned long long)o->seed, i + 1);
    int gender = PICK(r, gender_w);
    const char *first = gender == 0   ? female[below(r, COUNT(female))]
                        : gender == 1 ? male[below(r, COUNT(male))]
                                      : (chance(r, 500) ? female[below(r, COUNT(female))]
                                                        : male[below(r, COUNT(male))]);
    const char *last = surnames[below(r, COUNT(surnames))];
    static const int yg_w[] = {20, 20, 25, 30, 35, 40, 50, 70, 90, 110, 130, 120, 40, 20};
    st->yg = PICK(r, yg_w);
    if (st->any[I_NEET]) st->yg = (int)between(r, 12, 13);
    if ((st->any[I_EXCL] || st->any[I_MM]) && st->yg < 5) st->yg = (int)between(r, 7, 11);
    date_t dob = date_academic_year_start(g->year - st->yg - 5) + (date_t)below(r, 365);
    st->care = PICK(r, care_w);
    st->sen = PICK(r, sen_w);
    if (st->any[I_SEN] && st->sen == 0) st->sen = chance(r, 500) ? 3 : 1;
    st->need = st->sen ? needs[PICK(r, need_w)] : "";
    st->yj = st->yg >= 6 && chance(r, st->any[I_EXCL] ? 300 : 70);
    st->no_school = st->any[I_EHE] || (st->any[I_CME] && chance(r, 600)) || st->any[I_NEET];
    int school = (int)below(r, COUNT(schools));
    if (st->yg < 7)
        school %= 13; /* primary age: a primary school */
    else if (school < 13 || (st->yg < 12 && school == 26))
        school = 13 + (int)below(r, 13); /* secondary age: a secondary school */
    st->school_urn = st->no_school ? "" : schools[school].urn;

    buf *b = &g->out[KIND_CHILDREN];
    keys_fields(b, &st->keys);
    field(b, first);
    field(b, last);
    date_field(b, dob);
    field(b, codes_code(CODES_GENDER, (size_t)gender));
    field(b, st->no_school ? "" : schools[school].urn);
    field(b, st->no_school ? "" : schools[school].name);
    field(b, codes_code(CODES_CARE_STATUS, (size_t)st->care));
    field(b, codes_code(CODES_SEN, (size_t)st->sen));
    field(b, st->need);
    buf_puts(b, st->yj ? "yes" : "no");
    row_end(g, KIND_CHILDREN);
}

/* Referral f of the story as its row. */
static void referral_row(gen *g, const story *st, const ref_story *f, const char *ref)
{
    buf *b = &g->out[KIND_REFERRALS];
    field(b, ref);
    date_field(b, f->received);
    field(b, codes_code(CODES_SOURCE, (size_t)f->source));
    field(b, codes_code(CODES_ISSUE, (size_t)f->issue));
    char other[64] = "";
    for (int j = 0; j < f->nother; j++) {
        if (j) strcat(other, ";");
        strcat(other, codes_code(CODES_ISSUE, (size_t)f->other[j]));
    }
    field(b, other);
    field(b, f->pex ? "yes" : "no");
    keys_fields(b, &st->keys);
    field(b, codes_code(CODES_CARE_STATUS, (size_t)st->care));
    field(b, codes_code(CODES_SEN, (size_t)st->sen));
    field(b, st->need);
    field(b, st->yj ? "yes" : "no");
    field(b, officers[f->officer]);
    static const char *const status[] = {"new", "open", "closed"};
    field(b, status[f->status]);
    date_field(b, f->closed);
    csv_write_field(b, summaries[f->issue]);
    row_end(g, KIND_REFERRALS);
}

/* The actions of referral f between received and closed (or today); the last on an open
 * referral has a follow-up, overdue for some. */
static void action_rows(gen *g, story *st, const ref_story *f, const char *ref)
{
    rng *r = &st->r;
    date_t as_of = g->o->as_of;
    buf *b;
    date_t end = f->status == 2 ? f->closed : as_of;
    int nact = f->status == 0 && as_of - f->received < 5 ? 0
               : st->large                               ? (int)between(r, 1, 2)
                                                         : (int)between(r, 1, 4);
    long room = end - f->received;
    for (int a = 0; a < nact; a++) {
        /* The a-th of nact equal slices of the time since the referral came in. */
        date_t d = f->received + (date_t)(room * a / nact + below(r, room / nact + 1));
        if (d > end) d = end;
        int kind = PICK(r, action_w);
        b = &g->out[KIND_ACTIONS];
        field(b, ref);
        date_field(b, d);
        field(b, officers[chance(r, 850) ? f->officer : PICK(r, officer_w)]);
        field(b, action_kinds[kind]);
        field(b, action_notes[kind]);
        if (a == nact - 1 && f->status != 2)
            put_date(b, d + (date_t)between(r, 5, 28));
        else if (a < nact - 1 && chance(r, 300))
            put_date(b, d + (date_t)between(r, 3, 14));
        row_end(g, KIND_ACTIONS);
    }
}

/* The outcome that closed referral f, as its row. */
static void outcome_row(gen *g, const ref_story *f, const char *ref)
{
    buf *b = &g->out[KIND_OUTCOMES];
    field(b, ref);
    date_field(b, f->closed);
    field(b, outcomes[f->outcome]);
    csv_write_field(b, f->outcome == O_NFA ? "Closed: no further action needed, "
                                             "school and social worker informed"
                                           : "Outcome agreed at the closing review");
    row_end(g, KIND_OUTCOMES);
}

static void child_story(gen *g, long i)
{
    const demo_options *o = g->o;
    story st = {.r = {o->seed * 0x2545f4914f6cdd1dULL ^ ((uint64_t)i * 0x9e3779b97f4a7c15ULL)}};
    next(&st.r);
    story_referrals(g, &st);
    story_child(g, &st, i);
    /* Referrals, their actions and outcomes. */
    char ref[64];
    for (int k = 0; k < st.nref; k++) {
        const ref_story *f = &st.refs[k];
        int ay = date_academic_year(f->received) % 100;
        long serial = i * MAX_REFS + k + 1;
        if (o->seed == 1)
            snprintf(ref, sizeof ref, "VLH-%02d-%05ld", ay, serial);
        else
            snprintf(ref, sizeof ref, "VLH%llu-%02d-%05ld", (unsigned long long)o->seed, ay,
                     serial);
        referral_row(g, &st, f, ref);
        action_rows(g, &st, f, ref);
        if (f->outcome >= 0) outcome_row(g, f, ref);
    }
    demo_story_exclusions(g, &st);
    demo_story_episodes(g, &st);
    demo_story_attendance(g, &st);
}

static const char *const headers[KIND_COUNT] = {
    [KIND_REFERRALS] = "ref,received,source,issue,other_issues,pex_risk,upn,la_child_id,"
                       "care_status,sen,sen_need,youth_justice,officer,status,closed,summary\n",
    [KIND_OUTCOMES] = "ref,date,outcome,note\n",
    [KIND_ACTIONS] = "ref,date,officer,kind,note,follow_up\n",
    [KIND_EXCLUSIONS] = "upn,la_child_id,start,category,days,reason,school_urn\n",
    [KIND_ATTENDANCE] = "upn,la_child_id,from,to,possible_sessions,attended_sessions\n",
    [KIND_EPISODES] = "upn,la_child_id,kind,start,end,hours_per_week,in_county\n",
    [KIND_CHILDREN] = "upn,la_child_id,first_name,last_name,dob,gender,school_urn,school_name,"
                      "care_status,sen,sen_need,youth_justice\n",
};

void demo_csv(const demo_options *o, long first, long n, buf out[KIND_COUNT], long *rows)
{
    gen g = {.o = o, .out = out, .rows = rows};
    g.year = date_academic_year(o->as_of);
    g.start = date_academic_year_start(g.year - 1);
    for (int k = 0; k < KIND_COUNT; k++)
        if (out[k].len == 0) buf_puts(&out[k], headers[k]);
    for (long i = first; i < first + n; i++)
        child_story(&g, i);
}

/* The order in which the files are imported: children first, then what refers to them. */
static const import_kind order[] = {KIND_CHILDREN,   KIND_REFERRALS,  KIND_ACTIONS, KIND_OUTCOMES,
                                    KIND_EXCLUSIONS, KIND_ATTENDANCE, KIND_EPISODES};

#define CHUNK 5000

int demo_fill(store *s, const demo_options *o, demo_stats *stats, buf *errors)
{
    memset(stats, 0, sizeof *stats);
    buf out[KIND_COUNT];
    for (int k = 0; k < KIND_COUNT; k++)
        out[k] = (buf)BUF_INIT;
    /* The generated children are distinct children (each its own UPN), though two may share a name
     * and a date of birth as real children do: the duplicate check, which asks a person, is off. */
    import_options io = {.dry_run = false,
                         .progress = false,
                         .allow_duplicates = true,
                         .as_of = o->as_of,
                         .cfg = o->cfg};
    int rc = EXIT_OK;
    for (long first = 0; first < o->children && !rc; first += CHUNK) {
        long n = o->children - first < CHUNK ? o->children - first : CHUNK;
        for (int k = 0; k < KIND_COUNT; k++)
            buf_reset(&out[k]);
        demo_csv(o, first, n, out, stats->rows);
        for (int j = 0; j < COUNT(order) && !rc; j++) {
            import_kind k = order[j];
            char name[64];
            snprintf(name, sizeof name, "demo-%s.csv", import_kind_name(k));
            import_stats is = {0};
            rc = import_text(s, k, name, buf_str(&out[k]), out[k].len, &io, &is, errors);
            stats->inserted += is.inserted;
            stats->updated += is.updated;
            stats->unchanged += is.unchanged;
        }
        if (o->progress)
            fprintf(stderr, "\rcaseload demo: %ld of %ld children", first + n, o->children);
    }
    if (o->progress) fputc('\n', stderr);
    for (int k = 0; k < KIND_COUNT; k++)
        buf_free(&out[k]);
    return rc;
}
