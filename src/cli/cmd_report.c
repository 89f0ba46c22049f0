/* cmd_report.c: placeholder until its module is written. */
