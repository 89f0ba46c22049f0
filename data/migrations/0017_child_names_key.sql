-- 0017: the child finder's names (child_names) are keyed as every other comparison of names keys
-- them (src/core/name.c name_key: folded, without spaces, hyphens and apostrophes), so that
-- "OBrien" finds O'Brien and "Mary Jane" Mary-Jane. The folding is done in C
-- (src/store/search.c), so this migration only notes every child: the next caseload that writes
-- or searches folds their names again by the new key.
INSERT OR IGNORE INTO child_names_stale(id) SELECT id FROM children;
