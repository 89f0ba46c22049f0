/* config: the YAML configuration of SPEC section 4, read with libyaml.
 * One table of {key, type, default, help} drives parsing, validation, defaults and check-config. */
#ifndef CASELOAD_CONFIG_H
#define CASELOAD_CONFIG_H

#include "caseload/buf.h"
#include "caseload/cal.h"
#include "caseload/retention.h"
#include "caseload/score.h"
#include <stdbool.h>

/* The `retention:` section (SPEC section 10). */
typedef struct config_retention {
    retention_rules rules;
    char **holds; /* UPNs (upper case) or LA child ids never due; owned: freed by config_free */
    size_t nholds;
} config_retention;

typedef struct config {
    score_weights scoring;
    cal_calendar calendar; /* owned: freed by config_free */
    config_retention retention;
    char source[4096]; /* the file read, "" for the built-in defaults */
} config;

/* Fills c with the built-in defaults (equal to config.example.yaml). c need not be initialised
 * (it is overwritten: config_free a loaded c first). The loaders below do the same with c. */
void config_defaults(config *c);
/* Which file to read: option (--config) if given, else $CASELOAD_CONFIG, else
 * $XDG_CONFIG_HOME/caseload/config.yaml (~/.config/caseload/config.yaml). Writes it into out and
 * returns true when the user named it (a missing file is then an error), false for the default
 * location (a missing file there means the built-in defaults). */
bool config_path(const char *option, char *out, size_t n);
/* Reads the configuration at path into c (defaults first, then the file over them; a
 * scoring.weights map replaces all the default weights, a terms or closures list the default list).
 * Returns EXIT_OK; EXIT_NOINPUT when the file cannot be read; EXIT_CONFIG when it is bad, with one
 * line per problem in errors, each "FILE:LINE:COLUMN: message" (unknown keys get "did you mean"),
 * or one "FILE: message" line when it is larger than 4 MB. Mappings and lists nested deeper than
 * 64 levels are refused (EXIT_CONFIG) before any document is built. On failure c holds the
 * defaults. */
int config_load(const char *path, config *c, buf *errors);
/* The same as config_load for text already in memory (len bytes, need not be NUL-terminated;
 * no size limit of its own); name stands for the file in messages and in c->source. Returns
 * EXIT_OK or EXIT_CONFIG. */
int config_parse(const char *name, const char *text, size_t len, config *c, buf *errors);
/* Resolves and loads as the program does: option or environment, defaults when the default file is
 * missing. Same returns as config_load. */
int config_load_default(const char *option, config *c, buf *errors);
/* Writes the effective configuration as YAML that config_load reads back to the same values. */
void config_write(const config *c, buf *out);
void config_free(config *c);
/* Whether the child with this UPN or LA child id (either may be NULL or "") is under a hold. */
bool config_held(const config *c, const char *upn, const char *la_child_id);

#endif
