-- 0008: children's data (SPEC section 10, issue 12): the cohort, the access log and tombstones.
--
-- children.social_work_ended: the date the child's last plan ended (CIN, CP, looked after); NULL
-- while one is open. With the as-of date it places the child in the current cohort, Ever6 or out
-- of the cohort (src/core/retention.c), and starts the retention rule years_after_social_work_ended.
ALTER TABLE children ADD COLUMN social_work_ended TEXT;

-- The audit table becomes the access log too: besides every change, it records each look at a
-- child's data (a child's or referral's screen, `score`, `sar`, exports) and each purge, always
-- with ids only. `who` stays the name recorded so far (the officer, else the OS user); now also:
--   officer   the initials of a known officer named by --officer / $CASELOAD_OFFICER, else NULL
--   claimed   what --officer / $CASELOAD_OFFICER said when it named no known officer, else NULL
--   os_user   the operating-system user (getpwuid), which the officer cannot choose
--   child_id  the child the row is about, where there is one (for the child's access log)
ALTER TABLE audit ADD COLUMN officer TEXT;
ALTER TABLE audit ADD COLUMN claimed TEXT;
ALTER TABLE audit ADD COLUMN os_user TEXT;
ALTER TABLE audit ADD COLUMN child_id INTEGER;
CREATE INDEX audit_child ON audit(child_id, at) WHERE child_id IS NOT NULL;

-- What is left of a purged child: its row key and why, who and when; never a name, UPN, date of
-- birth or note. A fact table like the others, keyed like them (device id << 32 | counter), so a
-- sync can carry it: a copy that applies a tombstone erases the child with that key, and a copy
-- holding a tombstone refuses to bring the child (or any row of it) back.
--   tbl      the table of the erased row ('children': its referrals, actions, outcomes, events
--            and access log went with it)
--   row_key  the erased row's id (children.id)
--   rule     the retention rule that made the child due (years_after_social_work_ended,
--            years_after_last_activity, age) or 'request' (erased on request, not by the schedule)
--   officer  initials of the officer who purged; os_user the operating-system user
--   on_date  the date of the purge (YYYY-MM-DD, the as-of date)
--   reason   the --reason given (checked to hold no name or UPN of the child)
CREATE TABLE tombstones (
    id         INTEGER PRIMARY KEY,
    tbl        TEXT NOT NULL,
    row_key    INTEGER NOT NULL,
    rule       TEXT NOT NULL,
    officer    TEXT NOT NULL,
    os_user    TEXT,
    on_date    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (tbl, row_key)
);
