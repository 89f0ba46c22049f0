/* crash_save: saves as the full-screen app's forms make them (src/app/record.c), one after
 * another until it is killed, for tests/crash.sh: a referral for a new child, then actions,
 * outcomes and edits on it, round and round. Each save is one transaction with its audit row, so
 * whenever the program is killed every row it wrote has its audit row and every audit row its row.
 *
 *   crash_save DB AS_OF [SAVES]   (SAVES: stop after that many; default: until killed)
 *
 * Its children have an LA child id "CRASH-<tag>-<n>" (tag: the process id, so runs never collide)
 * and its actions the kind "crashtest". Exit 0 after SAVES saves; otherwise the exit code of the
 * first save that failed, with store_error() on standard error. */
#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/exitcode.h"
#include "caseload/record.h"
#include "caseload/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int save(store *s, const config *cfg, date_t as_of, long n, int64_t *referral)
{
    record_problem p;
    memset(&p, 0, sizeof p);
    char day[11];
    date_format(as_of - (n % 20), day);
    int rc = EXIT_OK;
    switch (n % 6) {
    case 0: {
        char id[64], ref[64];
        snprintf(id, sizeof id, "CRASH-%ld-%ld", (long)getpid(), n);
        snprintf(ref, sizeof ref, "CRASH-%ld-%ld", (long)getpid(), n);
        record_child c = {.la_child_id = id,
                          .first_name = "Test",
                          .last_name = "Crash",
                          .dob = "2012-05-06",
                          .care_status = "cin",
                          .sen = "none"};
        record_referral r = {.ref = ref,
                             .received = "2024-09-10",
                             .source = "school",
                             .issue = n % 12 ? "attendance" : "cme",
                             .pex_risk = n % 4 == 0,
                             .officer = "CT",
                             .summary = "crash test"};
        rc = record_referral_create(s, cfg, as_of, 0, &c, &r, referral, NULL, &p);
        break;
    }
    case 1:
    case 3: {
        record_action a = {.date = day,
                           .kind = "crashtest",
                           .note = "crash test",
                           .follow_up = n % 2 ? "2025-03-01" : ""};
        rc = record_action_add(s, cfg, as_of, *referral, &a, NULL, &p);
        break;
    }
    case 2: {
        record_edit e = {.status = "open", .issue = "exclusion", .pex_risk = 1};
        rc = record_referral_edit(s, cfg, as_of, *referral, &e, &p);
        break;
    }
    case 4:
        rc = record_outcome_add(s, cfg, as_of, *referral, "attendance_improved", day, "", NULL, &p);
        break;
    case 5: rc = record_close(s, cfg, as_of, *referral, "no_further_action", "", "", &p); break;
    }
    if (rc) fprintf(stderr, "crash_save: save %ld: %s %s\n", n, p.field, p.message);
    return rc;
}

int main(int argc, char **argv)
{
    date_t as_of;
    if (argc < 3 || !date_parse(argv[2], strlen(argv[2]), &as_of)) {
        fputs("usage: crash_save DB AS_OF [SAVES]\n", stderr);
        return EXIT_USAGE;
    }
    long saves = argc > 3 ? atol(argv[3]) : -1;
    config cfg;
    config_defaults(&cfg);
    store *s = NULL;
    char err[512];
    int rc = store_open(argv[1], 0, &s, err, sizeof err);
    if (rc) {
        fprintf(stderr, "crash_save: %s\n", err);
        config_free(&cfg);
        return rc;
    }
    int64_t referral = 0;
    for (long n = 0; !rc && (saves < 0 || n < saves); n++) {
        rc = save(s, &cfg, as_of, n, &referral);
        if (rc) fprintf(stderr, "crash_save: %s\n", store_error(s));
    }
    store_close(s);
    config_free(&cfg);
    return rc;
}
