/* bench_core: speed of the pure rules that imports and reports call most: the CSV reader on a
 * 20 MB file of 100,000 referral rows (target: well under 100 ms) and cal_school_days called
 * 100,000 times on short and on two-year ranges over a calendar like config.example.yaml.
 * Run: build/bench/bench_core (prints the best of five runs of each). Not a test: no thresholds. */
#include "caseload/buf.h"
#include "caseload/cal.h"
#include "caseload/csv.h"
#include <stdio.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void make_csv(buf *b)
{
    buf_puts(b, "ref,received,source,issue,other_issues,pex_risk,upn,la_child_id,first_name,"
                "last_name,dob,gender,school_urn,school_name,care_status,sen,sen_need,"
                "youth_justice,officer,status,closed,summary\n");
    for (int i = 0; i < 100000; i++) {
        size_t start = b->len;
        buf_printf(b,
                   "R%06d,2022-01-05,school,attendance,cme;exclusion,yes,B801200005001,LA%06d,"
                   "Zoë,O'Brien-Smith,2010-09-01,female,100000,\"St Mary's C of E, Primary\","
                   "cla,sen_support,SEMH,no,AB,open,,\"Absent; mum says \"\"he won't go\"\".\n",
                   i, i);
        while (b->len - start < 199)
            buf_putc(b, 'x');
        buf_puts(b, "\"\n");
    }
}

int main(void)
{
    buf text = BUF_INIT;
    make_csv(&text);
    double best = 1e9;
    long records = 0, fields = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        csv_reader r;
        csv_init(&r, text.data, text.len);
        records = fields = 0;
        int rc;
        while ((rc = csv_next(&r)) == 1) {
            records++;
            fields += (long)csv_nfields(&r);
        }
        double t = now() - t0;
        if (rc < 0) fprintf(stderr, "bench_core: line %ld: %s\n", r.error_line, r.error);
        if (t < best) best = t;
        csv_free(&r);
    }
    printf("csv: %.1f MB, %ld records, %ld fields: %.1f ms\n", (double)text.len / 1e6, records,
           fields, best * 1e3);
    buf_free(&text);

    /* Three academic years of six terms and 28 closures, like config.example.yaml. */
    cal_range terms[18];
    date_t closures[28];
    for (int y = 0; y < 3; y++) {
        date_t s = date_academic_year_start(2024 + y);
        for (int k = 0; k < 6; k++) {
            terms[y * 6 + k].from = s + 1 + k * 55;
            terms[y * 6 + k].to = s + 1 + k * 55 + 45;
        }
    }
    for (int i = 0; i < 28; i++)
        closures[i] = date_academic_year_start(2024) + i * 38;
    cal_calendar c = {terms, 18, closures, 28};
    const int spans[] = {20, 60, 730};
    for (int k = 0; k < 3; k++) {
        best = 1e9;
        long sum = 0;
        for (int rep = 0; rep < 5; rep++) {
            double t0 = now();
            sum = 0;
            for (int i = 0; i < 100000; i++) {
                date_t from = date_academic_year_start(2024) + i % 300;
                sum += cal_school_days(&c, from, from + spans[k]);
            }
            double t = now() - t0;
            if (t < best) best = t;
        }
        printf("cal_school_days: 100,000 calls over %d days: %.1f ms (checksum %ld)\n", spans[k],
               best * 1e3, sum);
    }
    return 0;
}
