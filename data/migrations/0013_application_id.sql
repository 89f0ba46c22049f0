-- 0013: a caseload database says what it is in SQLite's header: application_id 0x43534c44
-- ("CSLD", STORE_APPLICATION_ID in include/caseload/store.h), so that `file` and caseload itself
-- tell it from another program's SQLite file, which caseload refuses untouched. Databases made
-- before this migration are known by their schema version and tables (src/store/store.c,
-- identify) and get it here.
PRAGMA application_id = 1129532484;
