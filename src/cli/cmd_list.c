/* cmd_list.c: placeholder until its module is written. */
