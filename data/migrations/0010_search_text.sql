-- 0010: the search text is defined once, and folded (issues 8 and 10).
--
-- Until now the text behind `/` was written out six times (the view of 0004, four trigger bodies
-- that restated it from OLD rows, and the row-by-row LIKE of src/store/browse.c), and the two
-- ways of searching disagreed: the index matched the fields joined into one string, the fallback
-- checked them one by one. Now:
-- - referral_search_source (a view) is the one definition of a referral's search text: ref, UPN,
--   LA child id, first and last name, school URN and name, summary;
-- - referral_search holds that text folded by core's text_fold (ICU "NFD; Latin-ASCII;
--   Any-Lower; NFC": Oisín is stored as oisin), indexed by trigrams (case_sensitive 1: the text
--   is folded already, so a match is an exact substring of the stored text); the row-by-row
--   check of a short or very common text reads the same stored text (src/store/browse.c);
-- - child_names holds every child's first and last name folded the same way, for the
--   new-referral form's child finder (prefix ranges of its two indexes);
-- - the triggers only note WHICH rows must be folded again (search_stale, child_names_stale):
--   they restate no text. The store folds them in C (src/store/search.c, store_search_refresh)
--   before every commit, and before a search finds rows noted by another program.
-- Folding happens in C, not in an SQL function registered on the connection, so that a trigger
-- never calls a function the sqlite3 shell (or any other program writing the file) lacks: such a
-- program's changes are noted and folded by the next caseload that writes or searches.
-- The list of every derived table is data/DERIVED.md.

DROP TRIGGER referral_search_insert;
DROP TRIGGER referral_search_delete;
DROP TRIGGER referral_search_update;
DROP TRIGGER referral_search_child;
DROP TRIGGER referral_search_school;
DROP TABLE referral_search;
DROP VIEW referral_search_source;

CREATE VIEW referral_search_source AS
SELECT r.id AS id,
       r.ref || ' ' || coalesce(c.upn, '') || ' ' || coalesce(c.la_child_id, '') || ' ' ||
       c.first_name || ' ' || c.last_name || ' ' || coalesce(sc.urn, '') || ' ' ||
       coalesce(sc.name, '') || ' ' || r.summary AS body
  FROM referrals r JOIN children c ON c.id = r.child_id LEFT JOIN schools sc ON sc.id = c.school_id;

-- rowid = referrals.id; body = text_fold(referral_search_source.body).
CREATE VIRTUAL TABLE referral_search USING fts5(body, tokenize = 'trigram case_sensitive 1',
    columnsize = 0);
-- Terms are buffered up to 64 MB before they are written, so a large import writes one segment.
INSERT INTO referral_search(referral_search, rank) VALUES ('hashsize', 67108864);

-- The referrals whose search text changed since it was last folded.
CREATE TABLE search_stale (id INTEGER PRIMARY KEY);
INSERT INTO search_stale(id) SELECT id FROM referrals;

CREATE TRIGGER search_stale_insert AFTER INSERT ON referrals BEGIN
    INSERT OR IGNORE INTO search_stale(id) VALUES (NEW.id);
END;
CREATE TRIGGER search_stale_delete AFTER DELETE ON referrals BEGIN
    INSERT OR IGNORE INTO search_stale(id) VALUES (OLD.id);
END;
CREATE TRIGGER search_stale_update AFTER UPDATE OF id, ref, summary, child_id ON referrals
    WHEN OLD.id IS NOT NEW.id OR OLD.ref IS NOT NEW.ref OR OLD.summary IS NOT NEW.summary OR
         OLD.child_id IS NOT NEW.child_id BEGIN
    INSERT OR IGNORE INTO search_stale(id) VALUES (OLD.id), (NEW.id);
END;
CREATE TRIGGER search_stale_child AFTER UPDATE OF upn, la_child_id, first_name, last_name,
    school_id ON children
    WHEN OLD.upn IS NOT NEW.upn OR OLD.la_child_id IS NOT NEW.la_child_id OR
         OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name OR
         OLD.school_id IS NOT NEW.school_id BEGIN
    INSERT OR IGNORE INTO search_stale(id) SELECT id FROM referrals WHERE child_id = NEW.id;
END;
CREATE TRIGGER search_stale_school AFTER UPDATE OF urn, name ON schools
    WHEN OLD.urn IS NOT NEW.urn OR OLD.name IS NOT NEW.name BEGIN
    INSERT OR IGNORE INTO search_stale(id)
    SELECT r.id FROM children c JOIN referrals r ON r.child_id = c.id WHERE c.school_id = NEW.id;
END;

-- id = children.id; first, last = text_fold(children.first_name), text_fold(children.last_name).
CREATE TABLE child_names (
    id    INTEGER PRIMARY KEY,
    first TEXT NOT NULL,
    last  TEXT NOT NULL
);
CREATE INDEX child_names_last ON child_names(last, first);
CREATE INDEX child_names_first ON child_names(first);

-- The children whose names changed since they were last folded.
CREATE TABLE child_names_stale (id INTEGER PRIMARY KEY);
INSERT INTO child_names_stale(id) SELECT id FROM children;

CREATE TRIGGER child_names_insert AFTER INSERT ON children BEGIN
    INSERT OR IGNORE INTO child_names_stale(id) VALUES (NEW.id);
END;
CREATE TRIGGER child_names_delete AFTER DELETE ON children BEGIN
    INSERT OR IGNORE INTO child_names_stale(id) VALUES (OLD.id);
END;
CREATE TRIGGER child_names_update AFTER UPDATE OF id, first_name, last_name ON children
    WHEN OLD.id IS NOT NEW.id OR OLD.first_name IS NOT NEW.first_name OR
         OLD.last_name IS NOT NEW.last_name BEGIN
    INSERT OR IGNORE INTO child_names_stale(id) VALUES (OLD.id), (NEW.id);
END;
