-- 0004: cheaper writes for a large import (issue 2), with the same search results and counts.
--
-- The search index of 0002 kept a second copy of every body and a size per row, and was filled
-- row by row through 1 MB of pending terms at a time, each flush merged again into larger
-- segments. Now:
-- - the index reads its text from a view (external content): the body is not stored twice;
--   every trigger that takes a row out of the index names the text it was indexed with (taken
--   from the OLD row and the current rows of the other two tables, so it is always the indexed
--   text: each trigger fires for one row of one table, right after that row changed);
-- - no row sizes (columnsize=0: nothing ranks the matches);
-- - terms are buffered up to 64 MB before they are written (hashsize), so an import of 100,000
--   referrals writes one segment instead of merging dozens;
-- - while the meta key 'bulk_insert' exists (only inside records_referral_flush, in the writing
--   transaction, so no other connection ever sees it), a new referral is neither indexed nor
--   counted by the triggers: the flush does both for all its rows in one statement each.
-- The index is filled again from the view, so it holds exactly what it held before.
-- referrals_received (received, issue) goes: it is the first two columns of referrals_report,
-- which serves every query it served.

DROP TRIGGER referral_search_insert;
DROP TRIGGER referral_search_delete;
DROP TRIGGER referral_search_update;
DROP TRIGGER referral_search_child;
DROP TRIGGER referral_search_school;
DROP TABLE referral_search;

-- What the `/` filter searches: ref, UPN, first and last name, school name and summary.
CREATE VIEW referral_search_source AS
SELECT r.id AS id,
       r.ref || ' ' || coalesce(c.upn, '') || ' ' || c.first_name || ' ' || c.last_name || ' ' ||
       coalesce(sc.name, '') || ' ' || r.summary AS body
  FROM referrals r JOIN children c ON c.id = r.child_id LEFT JOIN schools sc ON sc.id = c.school_id;

CREATE VIRTUAL TABLE referral_search USING fts5(body, tokenize = 'trigram',
    content = 'referral_search_source', content_rowid = 'id', columnsize = 0);
INSERT INTO referral_search(referral_search, rank) VALUES ('hashsize', 67108864);
-- (Filled in key order: rowids that go down make the index write out its pending terms.)
INSERT INTO referral_search(rowid, body) SELECT id, body FROM referral_search_source ORDER BY id;

CREATE TRIGGER referral_search_insert AFTER INSERT ON referrals
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_insert') BEGIN
    INSERT INTO referral_search(rowid, body)
    SELECT id, body FROM referral_search_source WHERE id = NEW.id;
END;

CREATE TRIGGER referral_search_delete AFTER DELETE ON referrals BEGIN
    INSERT INTO referral_search(referral_search, rowid, body)
    SELECT 'delete', OLD.id, OLD.ref || ' ' || coalesce(c.upn, '') || ' ' || c.first_name || ' ' ||
                             c.last_name || ' ' || coalesce(sc.name, '') || ' ' || OLD.summary
      FROM children c LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.id = OLD.child_id;
END;

CREATE TRIGGER referral_search_update AFTER UPDATE OF ref, summary, child_id ON referrals
    WHEN OLD.ref IS NOT NEW.ref OR OLD.summary IS NOT NEW.summary OR
         OLD.child_id IS NOT NEW.child_id BEGIN
    INSERT INTO referral_search(referral_search, rowid, body)
    SELECT 'delete', OLD.id, OLD.ref || ' ' || coalesce(c.upn, '') || ' ' || c.first_name || ' ' ||
                             c.last_name || ' ' || coalesce(sc.name, '') || ' ' || OLD.summary
      FROM children c LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.id = OLD.child_id;
    INSERT INTO referral_search(rowid, body)
    SELECT id, body FROM referral_search_source WHERE id = NEW.id;
END;

CREATE TRIGGER referral_search_child AFTER UPDATE OF upn, first_name, last_name, school_id
    ON children
    WHEN OLD.upn IS NOT NEW.upn OR OLD.first_name IS NOT NEW.first_name OR
         OLD.last_name IS NOT NEW.last_name OR OLD.school_id IS NOT NEW.school_id BEGIN
    INSERT INTO referral_search(referral_search, rowid, body)
    SELECT 'delete', r.id, r.ref || ' ' || coalesce(OLD.upn, '') || ' ' || OLD.first_name || ' ' ||
                           OLD.last_name || ' ' ||
                           coalesce((SELECT name FROM schools WHERE id = OLD.school_id), '') ||
                           ' ' || r.summary
      FROM referrals r WHERE r.child_id = OLD.id;
    INSERT INTO referral_search(rowid, body)
    SELECT s.id, s.body FROM referrals r JOIN referral_search_source s ON s.id = r.id
     WHERE r.child_id = NEW.id;
END;

CREATE TRIGGER referral_search_school AFTER UPDATE OF name ON schools
    WHEN OLD.name IS NOT NEW.name BEGIN
    INSERT INTO referral_search(referral_search, rowid, body)
    SELECT 'delete', r.id, r.ref || ' ' || coalesce(c.upn, '') || ' ' || c.first_name || ' ' ||
                           c.last_name || ' ' || coalesce(OLD.name, '') || ' ' || r.summary
      FROM children c JOIN referrals r ON r.child_id = c.id WHERE c.school_id = OLD.id;
    INSERT INTO referral_search(rowid, body)
    SELECT s.id, s.body FROM children c JOIN referrals r ON r.child_id = c.id
      JOIN referral_search_source s ON s.id = r.id WHERE c.school_id = NEW.id;
END;

DROP TRIGGER referrals_count_insert;
CREATE TRIGGER referrals_count_insert AFTER INSERT ON referrals
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_insert') BEGIN
    INSERT INTO referral_counts(issue, status, n) VALUES (NEW.issue, NEW.status, 1)
        ON CONFLICT(issue, status) DO UPDATE SET n = n + 1;
END;

DROP INDEX referrals_received;
