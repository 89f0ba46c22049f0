/* bench_finder: the child finder's keypress (`n` in the app, browse_child_search) on a database,
 * e.g. one made by `caseload demo --children 100000`: for each query (the arguments after the
 * database; a default set without them), CPU time to the 40 rows the finder shows, the median of
 * RUNS runs (default 9; environment BENCH_RUNS), and how many rows it found (with BENCH_IDS set,
 * their ids in order too).
 * Run: build/bench/bench_finder DB [QUERY...]. Not a test: no thresholds. */
#include "caseload/browse.h"
#include "caseload/exitcode.h"
#include "caseload/store.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    static const char *const fallback[] = {
        "a",   "o",     "am",   "amelia",  "ol sm",   "oliver smith", "smith oliver",
        "o s", "jones", "hill", "jones o", "o jones", "davies amelia"};
    if (argc < 2) {
        fprintf(stderr, "usage: bench_finder DB [QUERY...]\n");
        return EXIT_USAGE;
    }
    const char *env = getenv("BENCH_RUNS");
    bool ids = getenv("BENCH_IDS") != NULL;
    int runs = env ? atoi(env) : 9;
    if (runs < 1 || runs > 99) runs = 9;
    store *s = NULL;
    char err[512];
    if (store_open(argv[1], STORE_READONLY, &s, err, sizeof err) != EXIT_OK) {
        fprintf(stderr, "bench_finder: %s\n", err);
        return EXIT_IO;
    }
    int nq = argc > 2 ? argc - 2 : (int)(sizeof fallback / sizeof fallback[0]);
    browse_child found[40];
    double t[99];
    for (int q = 0; q < nq; q++) {
        const char *typed = argc > 2 ? argv[q + 2] : fallback[q];
        int n = 0;
        for (int r = 0; r < runs; r++) {
            double from = cpu_ms();
            if (browse_child_search(s, typed, found, 40, &n) != EXIT_OK) {
                fprintf(stderr, "bench_finder: '%s' failed\n", typed);
                store_close(s);
                return EXIT_IO;
            }
            t[r] = cpu_ms() - from;
        }
        qsort(t, (size_t)runs, sizeof t[0], by_value);
        printf("%-16s %8.3f ms  %2d rows", typed, t[runs / 2], n);
        for (int i = 0; ids && i < n; i++) /* to compare two builds' rows and their order */
            printf(" %lld", (long long)found[i].id);
        printf("\n");
    }
    store_close(s);
    return EXIT_OK;
}
