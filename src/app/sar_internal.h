/* sar_internal: what the files of the subject access request (sar.c gathering, sar_json.c and
 * sar_md.c writing) share. Internal to src/app. */
#ifndef CASELOAD_APP_SAR_INTERNAL_H
#define CASELOAD_APP_SAR_INTERNAL_H

#include "caseload/buf.h"
#include "caseload/config.h"
#include "caseload/import.h"
#include "caseload/privacy.h"
#include "caseload/retention.h"
#include "caseload/scoring.h"
#include <stdbool.h>
#include <stddef.h>

/* One exported row about the child. */
typedef struct {
    import_kind kind;
    size_t n;
    char **f; /* NULL for an empty field */
} sar_row;

typedef struct {
    store *s;
    const char *upn, *la; /* the child's keys as stored ("" for none) */
    import_kind kind;
    sar_row *rows;
    size_t nrows, cap;
    char **refs; /* the child's referrals' refs */
    size_t nrefs;
    bool oom;
} sar_ctx;

typedef struct {
    privacy_access *v;
    size_t n, cap;
} access_list;

/* What a subject access request holds, once gathered. */
typedef struct {
    const sar_ctx *x;
    const char *as_of, *officer, *now;
    const config *cfg;
    const score_result *sr;
    retention_cohort_t cohort;
    const access_list *log;
} sar_doc;

/* The order of the JSON keys and of the Markdown sections (sar.c); the columns of a conflict,
 * kept as a row of kind KIND_COUNT. */
extern const import_kind sar_order[7];
extern const char *const sar_conflict_cols[11];
/* A conflict's row holds those 11 columns (base, hub and laptop as `sync conflicts --format json`
 * gives them: an officer's initials, a school's URN, never another row's key), then its words as
 * `sync conflicts` says them: the heading (sync_conflict_heading), base, hub's, laptop's. */
enum { SAR_CONFLICT_HEADING = 11, SAR_CONFLICT_WORDS = 12, SAR_CONFLICT_FIELDS = 15 };

/* The document as JSON (sar_json.c) and as Markdown (sar_md.c). */
void sar_write_json(buf *out, const sar_doc *d);
void sar_write_md(buf *out, const sar_doc *d);

#endif
