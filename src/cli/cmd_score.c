/* cmd_score.c: placeholder until its module is written. */
