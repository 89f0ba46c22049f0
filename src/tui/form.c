/* form.c: placeholder until its module is written. */
