/* lineedit.c: placeholder until its module is written. */
