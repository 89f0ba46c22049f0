/* cmd_calendar.c: placeholder until its module is written. */
