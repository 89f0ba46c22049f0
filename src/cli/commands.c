/* commands.c: the table of every command (each defined in its own file of src/cli/). */
#include "caseload/cli.h"

extern const cli_command cli_cmd_demo;
extern const cli_command cli_cmd_import;
extern const cli_command cli_cmd_export;
extern const cli_command cli_cmd_list;
extern const cli_command cli_cmd_score;
extern const cli_command cli_cmd_report;
extern const cli_command cli_cmd_upn;
extern const cli_command cli_cmd_calendar;
extern const cli_command cli_cmd_check_config;
extern const cli_command cli_cmd_retention;
extern const cli_command cli_cmd_sar;
extern const cli_command cli_cmd_sync;
extern const cli_command cli_cmd_check;
extern const cli_command cli_cmd_backup;

/* Keep in the order of SPEC section 5; `caseload --help` lists them in this order. */
const cli_command *const cli_commands[] = {
    &cli_cmd_demo,   &cli_cmd_import, &cli_cmd_export,   &cli_cmd_list,         &cli_cmd_score,
    &cli_cmd_report, &cli_cmd_upn,    &cli_cmd_calendar, &cli_cmd_check_config, &cli_cmd_retention,
    &cli_cmd_sar,    &cli_cmd_sync,   &cli_cmd_check,    &cli_cmd_backup,       NULL,
};
