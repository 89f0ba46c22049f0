/* cmd_demo.c: placeholder until its module is written. */
