/* cmd_upn.c: placeholder until its module is written. */
