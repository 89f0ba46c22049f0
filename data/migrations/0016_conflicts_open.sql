-- 0016: the app's conflicts screen lists the open conflicts of offline copies oldest first, a
-- page at a time (keyset on at, id: syncstore_conflict_page); this index serves that order from
-- the first row of a page, without reading the resolved ones or sorting.
CREATE INDEX conflicts_open ON conflicts(state, at, id);
