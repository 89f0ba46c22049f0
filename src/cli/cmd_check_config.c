/* cmd_check_config.c: placeholder until its module is written. */
