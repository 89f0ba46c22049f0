-- 0014: the rows of purged children, by key (SPEC sections 9 and 10, issue 12).
--
-- erased_rows: every row a purge erased on this copy (tbl, row_id), with the key of the child it
-- belonged to (child_id, the row_key of its tombstone); ids only, never a value. A copy keeps it
-- for itself (it is not synced: each copy that applies a tombstone erases what it holds and notes
-- it here). With it:
--   * the purge finds the child's rows in the change log of offline copies (sync_log), including
--     rows gone before the purge, and rewrites those change sets without them;
--   * a change arriving in a pack from a copy that had not yet seen the tombstone (an edit of the
--     child's referral, a new action on it) is recognised and dropped, even where the row it
--     names is no longer here to say whose it is; a row dropped so is noted too, so the rows
--     under it are recognised in turn.
CREATE TABLE erased_rows (
    tbl      TEXT NOT NULL,
    row_id   INTEGER NOT NULL,
    child_id INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;
CREATE INDEX erased_rows_child ON erased_rows(child_id, tbl);
