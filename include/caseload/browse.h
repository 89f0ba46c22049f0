/* browse: the read queries the full-screen app and `caseload list` share. Referrals are listed
 * highest score first, keyset-paginated on (score DESC, id) over the indexes of the schema, so
 * only the rows on screen are ever fetched; counts come from the referral_counts table kept by
 * triggers. Also the detail of one referral (child, timeline, the child's other referrals) and the
 * child search of the new-referral form. Every function returns an exit code of exitcode.h
 * (EXIT_OK, or EXIT_IO / EXIT_BUSY with store_error() set). Nothing here writes, except that a
 * search first folds the search text of rows another program changed (store_search_current). */
#ifndef CASELOAD_BROWSE_H
#define CASELOAD_BROWSE_H

#include "caseload/codes.h"
#include "caseload/date.h"
#include "caseload/score.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stdint.h>

enum {
    BROWSE_FOLLOW_ANY = 0, /* no follow-up condition */
    BROWSE_FOLLOW_DUE,     /* a follow-up on or before the as-of date (overdue ones included) */
    BROWSE_FOLLOW_OVERDUE  /* a follow-up before the as-of date */
};

/* What the user chose to see. browse_filter_init sets "everything". */
typedef struct browse_filter {
    int issue;         /* index in CODES_ISSUE, -1 for every issue */
    unsigned statuses; /* BROWSE_STATUS bits of the statuses shown, 0 for any */
    int band;          /* score_band_t, -1 for any */
    char officer[16];  /* officer initials, "" for any */
    int follow_up;     /* BROWSE_FOLLOW_* (only referrals not closed have a due follow-up) */
    char text[128];    /* the `/` filter: words (any order, case and accents folded) each found in
                          the ref, UPN, LA child id, name, school URN and name or summary of a
                          referral (migration 0010); "" for none */
    int cohort;        /* retention_cohort_t of the child as of the as-of date, -1 for any */
} browse_filter;

/* Where a page starts or ends: the (score, id) of a row, or, when the filter asks for due
 * follow-ups (listed earliest first), its (follow_up, id). browse_key_of makes one from a row. */
typedef struct browse_key {
    int score;
    int64_t id;
    char follow_up[11];
} browse_key;

/* One line of the list. Text fields are truncated on a UTF-8 boundary when longer; they hold the
 * data as stored (callers sanitize before printing to a terminal). */
typedef struct browse_row {
    int64_t id;
    int64_t child_id;
    char ref[40];
    int score;
    score_band_t band;
    char upn[16];
    char la_child_id[40];
    char child[160];    /* "First Last" */
    int year_group;     /* as of the as-of date (cal_year_group) */
    char school[160];   /* name, else URN, else "" */
    char issue[24];     /* code */
    char status[8];     /* code */
    char officer[16];   /* initials or "" */
    char received[11];  /* YYYY-MM-DD */
    int days_open;      /* received to closed, or to the as-of date when not closed */
    char follow_up[11]; /* next follow-up (the earliest pending) or "" */
    bool overdue;       /* follow-up before the as-of date on a referral not closed */
} browse_row;

/* A status (index in CODES_STATUS) as a bit of browse_filter.statuses. */
#define BROWSE_STATUS(i) (1u << (i))
#define BROWSE_LIVE (BROWSE_STATUS(STATUS_NEW) | BROWSE_STATUS(STATUS_OPEN))
#define BROWSE_ALL_STATUSES (BROWSE_LIVE | BROWSE_STATUS(STATUS_CLOSED))

/* Sets f to show every referral. */
void browse_filter_init(browse_filter *f);
/* Sets f to what the app and `list` show by default: the live referrals (new and open). */
void browse_filter_default(browse_filter *f);
/* Parses "all" (0: any status), a status code (as field_code reads it: any case), or a comma list
 * of them ("new,open") into *out.
 * Returns 0, or -1 for an unknown code or an empty item. */
int browse_statuses_parse(const char *s, unsigned *out);
/* Whether f restricts anything beyond the issue type (for "filter: ..." in a status line). */
bool browse_filter_active(const browse_filter *f);
/* Writes a short description of the active filter in labels, for the screen ("status Open, band
 * RED, /smith"), "" if none. */
void browse_filter_describe(const browse_filter *f, char *out, int n);

/* The key of row r (for browse_page and browse_page_before). */
browse_key browse_key_of(const struct browse_row *r);

/* Up to limit rows after `after` (NULL: from the top) in list order (score DESC, id; with a
 * follow-up filter: follow_up, id, earliest first), into rows,
 * *n of them. w gives the band thresholds, as_of the date for days open and follow-ups. */
int browse_page(store *s, const browse_filter *f, const score_weights *w, date_t as_of,
                const browse_key *after, int limit, browse_row *rows, int *n);
/* Up to limit rows before `before` (NULL: the last rows of the list), returned in list order
 * (the last row of the list last), *n of them. `G` uses it to show the end without counting. */
int browse_page_before(store *s, const browse_filter *f, const score_weights *w, date_t as_of,
                       const browse_key *before, int limit, browse_row *rows, int *n);
/* How many referrals match f: exact from referral_counts when only issue/status are set,
 * otherwise counted up to cap (then *more is true and *count == cap), whatever the budget: a count
 * that runs out of time is finished by looking at every referral (browse_scan). */
int browse_count(store *s, const browse_filter *f, const score_weights *w, date_t as_of, long cap,
                 long *count, bool *more);
/* A text filter of one or two characters (too short for the trigram index), or one that matches
 * so many referrals that the trigram index cannot sort them within half the budget, is checked
 * row by row while walking the list order, within a budget of BROWSE_SHORT_TEXT_MS per call so that
 * typing stays responsive on a million referrals. browse_partial(s) tells whether the last
 * browse_page, browse_page_before, browse_issue_counts_filtered or browse_count on s stopped at
 * that budget: then the rows are the first ones of the page (a page's first rows in list order),
 * and the rest is found by browse_scan, whose answer is the one with no budget (browse_count
 * does that itself); a budget decides only how long an answer takes, never what it is. */
#define BROWSE_SHORT_TEXT_MS 8.0
bool browse_partial(const store *s);
/* The budgets in force on s instead of BROWSE_SHORT_TEXT_MS (or $CASELOAD_SEARCH_BUDGET_MS), for
 * tests: index_ms for the trigram index before a text gives way to the walk, walk_ms for the
 * walk (and half of it for counts), each in milliseconds or BROWSE_NO_BUDGET. Either way a search
 * finds the same rows (the index and the walk read one folded text); only a walk that runs out
 * stops short. browse_default_budget goes back to the usual ones. Both forget, as browse_forget
 * does, what earlier searches on s learnt. Each store keeps its own: two stores in one process
 * answer independently. */
#define BROWSE_NO_BUDGET (-1.0)
void browse_set_budget(store *s, double index_ms, double walk_ms);
void browse_default_budget(store *s);
/* Forgets which text was too common for the index (learnt by earlier calls on s, to choose the
 * faster way at once). */
void browse_forget(store *s);
/* Referral counts per issue (counts[i] for CODES_ISSUE index i) and over all issues (*all), for
 * the statuses of `statuses` (BROWSE_STATUS bits; 0 for every status), from referral_counts.
 * counts has room for codes_count(CODES_ISSUE) entries. */
int browse_issue_counts(store *s, unsigned statuses, long *counts, long *all);
/* The same under every condition of f but its issue (the sidebar under a filter): exact from
 * referral_counts when f holds only statuses, else counted up to cap rows in all (then *more is
 * true). When the count ran out of time (browse_partial), *more is true too and the counts are not
 * the answer: a browse_scan with counts finds it (the app does, slice by slice). */
int browse_issue_counts_filtered(store *s, const browse_filter *f, const score_weights *w,
                                 date_t as_of, long cap, long *counts, long *all, bool *more);
/* Whether the sidebar's counts under f (every condition but its issue) are counted by slices
 * (browse_scan_slice) rather than tried at once: f's text has no word for the trigram index (one
 * or two characters), so counting means checking every referral's text, which on a million
 * referrals no keypress can wait for; and f has no follow-up filter (its own walk). */
bool browse_counts_sliced(const browse_filter *f);
/* The referrals of one slice of the app's counts. */
#define BROWSE_SLICE_IDS 2000
/* A search finished slice by slice, when the answer at once (browse_page, browse_page_before,
 * browse_issue_counts_filtered) stopped at its budget (browse_partial) or, for the counts of
 * browse_counts_sliced, instead of it: every referral is looked at, `ids` of them a slice in the
 * order of their ids, with every condition of the filter and no time budget, so each slice costs
 * the same whatever the machine's load and, once done, the answer is the one the query gives with
 * no budget at all (the same rows in the same order, the same counts): a budget only decides
 * how long the answer takes, never what it is.
 * What it finds: with counts, the sidebar's counts under f (every condition but its issue, as
 * browse_issue_counts_filtered with no cap); with a page (browse_scan_page), the limit rows of f
 * after key (NULL: from the top), or before it (NULL: the last ones), as browse_page and
 * browse_page_before give them with no budget. */
typedef struct browse_scan {
    int64_t from; /* the last id looked at (INT64_MIN before the first slice) */
    bool done;    /* every referral looked at */
    bool counts;  /* counts wanted: */
    long issue_counts[32], all;
    bool page;   /* a page wanted: */
    bool before; /* before key (else after it) */
    bool keyed;  /* key given (else from the top, or the end) */
    browse_key key;
    int limit;
    browse_key *found; /* the best rows so far, in list order (n of them, at most limit) */
    int n;
} browse_scan;
/* Starts a scan (counts: whether it counts). */
void browse_scan_init(browse_scan *sc, bool counts);
/* Asks the scan, before its first slice, for a page too. Returns EXIT_IO when out of memory. */
int browse_scan_page(browse_scan *sc, bool before, const browse_key *key, int limit);
/* The next slice of `ids` referrals under f (done: nothing; the last sets sc->done). */
int browse_scan_slice(store *s, const browse_filter *f, const score_weights *w, date_t as_of,
                      int ids, browse_scan *sc);
/* The page of a done scan, in list order, into rows (room for sc->limit), *n of them. */
int browse_scan_rows(store *s, const score_weights *w, date_t as_of, const browse_scan *sc,
                     browse_row *rows, int *n);
/* Frees what the scan holds (then it is as after browse_scan_init(sc, false) and done). */
void browse_scan_free(browse_scan *sc);
/* Adds to counts and *all the sidebar's counts under f (as browse_issue_counts_filtered, f's
 * issue aside) of the next `ids` referrals in the order of their ids after *from (INT64_MIN for
 * the first slice), as browse_scan_slice counts them. Moves *from on to the last id counted. */
int browse_issue_counts_slice(store *s, const browse_filter *f, const score_weights *w,
                              date_t as_of, int ids, int64_t *from, long *counts, long *all,
                              bool *done);
/* Number of referrals not closed whose next follow-up is before as_of. */
int browse_overdue_count(store *s, date_t as_of, long *count);

/* A follow-up still pending (SPEC section 8): an action's follow-up date, not marked done, on a
 * referral not closed. */
typedef struct browse_follow_up {
    int64_t action_id;
    char date[11];      /* the action's date */
    char follow_up[11]; /* YYYY-MM-DD */
    char kind[32];      /* the action's kind */
    char note[2048];    /* its note, whole (a note holds < 2048 bytes) */
} browse_follow_up;
/* The pending follow-ups of referral_id, earliest first, up to max into out (*n of them). */
int browse_follow_ups_pending(store *s, int64_t referral_id, browse_follow_up *out, int max,
                              int *n);

/* A known officer (for the app's officer picker). */
typedef struct browse_officer {
    char initials[16]; /* as stored (older rows may not follow today's initials rule) */
    char name[80];     /* "" when none */
} browse_officer;
/* The officers, by initials, up to max into out (*n of them; *more, may be NULL, is set when
 * there are more). */
int browse_officers(store *s, browse_officer *out, int max, int *n, bool *more);

/* An action or outcome that can be corrected (the current version of an entry not withdrawn). */
typedef struct browse_entry {
    bool outcome; /* false: an action */
    int64_t id;   /* actions.id or outcomes.id */
    char date[11];
    char code[32]; /* the action's kind, or the outcome code */
    char officer[16];
    char note[2048]; /* whole (a note holds < 2048 bytes) */
    char follow_up[11];
} browse_entry;
/* The current actions and outcomes of referral_id, newest first, up to max into out (*n). */
int browse_entries(store *s, int64_t referral_id, browse_entry *out, int max, int *n);

/* One referral with what the detail screen shows beyond its list row. */
typedef struct browse_detail {
    browse_row row;
    char source[24];
    char other_issues[200]; /* ';'-separated codes */
    bool pex_risk;
    char care_status[12]; /* as recorded at referral */
    char sen[20];         /* as recorded at referral */
    char closed[11];
    char summary[2048]; /* whole: a summary holds < 2048 bytes */
} browse_detail;
/* Fills *out for referral id. Returns EXIT_OK, EXIT_FOUND when there is no such referral, or an
 * error. */
int browse_referral(store *s, int64_t id, const score_weights *w, date_t as_of, browse_detail *out);
/* The referral id of a ref; EXIT_FOUND when there is none. */
int browse_referral_by_ref(store *s, const char *ref, int64_t *id);

/* A child's record. */
typedef struct browse_child {
    int64_t id;
    char upn[16];
    char la_child_id[40];
    char first_name[80];
    char last_name[80];
    char dob[11];
    char gender[12];
    char school[160];
    char school_urn[16];
    char care_status[12];
    char sen[20];
    char sen_need[8];
    bool youth_justice;
    int score;                  /* as stored */
    char social_work_ended[11]; /* "" while a plan is open */
    int64_t school_id;          /* 0: none */
} browse_child;
/* Fills *out for child id. Returns EXIT_OK, EXIT_FOUND when there is no such child, or an error. */
int browse_child_get(store *s, int64_t id, browse_child *out);

typedef enum {
    BROWSE_EV_RECEIVED,   /* the referral was received: text = source */
    BROWSE_EV_ACTION,     /* text = note; extra = follow-up date, then ", done YYYY-MM-DD" once
                             it is marked done */
    BROWSE_EV_OUTCOME,    /* text = outcome code, note */
    BROWSE_EV_EXCLUSION,  /* text = category, days, reason */
    BROWSE_EV_ATTENDANCE, /* text = "attended/possible (NN%)"; date = to date */
    BROWSE_EV_EPISODE,    /* text = kind, end date; date = start */
    BROWSE_EV_CLOSED,     /* the referral was closed (also each closing a reopening undid) */
    BROWSE_EV_REOPENED    /* the referral was reopened: text = reason, extra = the closed date */
} browse_event_kind;

typedef struct browse_event {
    char date[11];
    browse_event_kind kind;
    char officer[16];    /* for actions */
    char code[32];       /* action kind, outcome, exclusion category, episode kind */
    char text[2100];     /* what else there is to say, e.g. the note (whole: notes hold < 2048) */
    char extra[40];      /* follow-up date, episode end, attendance percentage */
    int64_t id;          /* the row's id (the referral's for RECEIVED and CLOSED) */
    int64_t referral_id; /* the referral it belongs to; 0 for the child's exclusions,
                            attendance and episodes */
    char ref[40];        /* that referral's ref, "" for the child's events */
    /* Actions and outcomes as corrected (migration 0015): the current version is shown, with
     * "amended 2026-12-01 by SK: reason" or "withdrawn 2026-12-01 by SK: reason" ("" when never
     * corrected); withdrawn marks a withdrawn one. An amended one has the version it superseded
     * in was_code (its kind or outcome, a code: "call") and was ("of 2026-11-30 by AB: note").
     * Both whole: a reason and a note hold < 2048 bytes, initials < 16. */
    char correction[2100];
    bool withdrawn;
    char was_code[32];
    char was[2100];
} browse_event;
/* The timeline of referral id, newest first: the referral received, closed and reopened, its
 * actions and outcomes (the current version of each, a withdrawn one marked), and the child's
 * exclusions, attendance records and episodes. Up to max events into out, *n of them.
 */
int browse_timeline(store *s, int64_t referral_id, browse_event *out, int max, int *n);

/* Where a page of events ends (browse_event_key_of makes one from its last event): the order of
 * a timeline is (date, kind, id), newest first. */
typedef struct browse_event_key {
    char date[11];
    browse_event_kind kind;
    int64_t id;
} browse_event_key;
browse_event_key browse_event_key_of(const browse_event *e);
/* The chronology of child_id, newest first in the order of a timeline: every referral of the
 * child received and closed, their actions and outcomes, and the child's exclusions, attendance
 * records and episodes. Up to max events after `after` (NULL: from the newest) into out, *n of
 * them: fewer than max only at the end. Each event names its referral (ref, referral_id). */
int browse_child_chronology(store *s, int64_t child_id, const browse_event_key *after,
                            browse_event *out, int max, int *n);
/* The child's referrals other than except_id, newest received first, up to max. */
int browse_child_referrals(store *s, int64_t child_id, int64_t except_id, const score_weights *w,
                           date_t as_of, browse_row *out, int max, int *n);
/* A live referral (status new or open) of child_id with issue as its primary issue, the newest
 * received, into *out: *found false when there is none (a new referral for that issue would not
 * duplicate one). */
int browse_child_live_issue(store *s, int64_t child_id, const char *issue, const score_weights *w,
                            date_t as_of, browse_row *out, bool *found);

/* Children matching query, best first, up to max into out (*n of them): a UPN (exact, any case), a
 * date of birth (YYYY-MM-DD, exact), an LA child id (exact), or a name: the first and the last
 * word each a prefix of the first or the last name, compared folded (text_fold: case and accents
 * do not matter, "lucja dab" finds Łucja Dąbrowska). */
int browse_child_search(store *s, const char *query, browse_child *out, int max, int *n);
/* Likely duplicates of a new child: same date of birth and a similar name (name_match: NAME_SIMILAR
 * or NAME_SAME). */
int browse_child_duplicates(store *s, const char *first_name, const char *last_name,
                            const char *dob, browse_child *out, int max, int *n);
/* A known school. */
typedef struct browse_school {
    int64_t id;
    char urn[16];   /* "" when it has none */
    char name[160]; /* "" when it has none */
} browse_school;
/* The schools whose URN or name holds every word of query (compared folded, text_fold: case and
 * accents do not matter; "" matches every school), by name, up to max into out (*n of them);
 * *more (may be NULL) tells whether more schools match. */
int browse_schools(store *s, const char *query, browse_school *out, int max, int *n, bool *more);
/* Fills *out for school id. Returns EXIT_OK, EXIT_FOUND when there is no such school, or an
 * error. */
int browse_school_get(store *s, int64_t id, browse_school *out);
/* The children born on dob (YYYY-MM-DD), oldest record first, up to max into out (*n of them):
 * for import's possible-duplicate check, which compares their names by name_match. */
int browse_child_born(store *s, const char *dob, browse_child *out, int max, int *n);

#endif
