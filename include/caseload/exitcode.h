/* exitcode: the program's exit codes (SPEC section 5). Functions across the layers return these
 * so that a failure deep in the store reaches main() with the right code. */
#ifndef CASELOAD_EXITCODE_H
#define CASELOAD_EXITCODE_H

enum {
    EXIT_OK = 0,
    EXIT_FOUND = 1,    /* a check found something */
    EXIT_USAGE = 2,    /* bad usage */
    EXIT_DATA = 65,    /* bad input data */
    EXIT_NOINPUT = 66, /* input file missing */
    EXIT_IO = 74,      /* I/O error: disk full, read-only, a database too new */
    EXIT_BUSY = 75,    /* database busy after retrying */
    EXIT_CONFIG = 78   /* bad configuration */
};

#endif
