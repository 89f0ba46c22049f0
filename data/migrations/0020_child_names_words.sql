-- 0020: child_names.words is 1 for a child whose names may have more than one word
-- (caseload_name_words, src/store/name_words.c: either name not of one word, name_one_word), else
-- 0, and child_names_words indexes those few children (about one in eight) by id, so that the
-- words of a large import's new children (child_name_words, migration 0019) are derived from the
-- rows the statement that keys them flagged, read by a range of that index, instead of by reading
-- every new child's row again (issue 8: the import's cost). Set in C, like child_names
-- (src/store/search.c), so this migration only notes every child: the next caseload that writes or
-- searches sets their flags.
ALTER TABLE child_names ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
CREATE INDEX child_names_words ON child_names(id) WHERE words;
INSERT OR IGNORE INTO child_names_stale(id) SELECT id FROM children;
