-- 0019: the child finder finds a child by any word of its names (issue 8: "berg" finds Tom van der
-- Berg, "jane" Amy Jane Smith, "khan" Ali Patel-Khan), not only by a name's first word.
-- child_name_words holds, for each word of a name but its first (src/core/name.c name_words_n:
-- words are parted by spaces and hyphens), that name's key from that word on (name_key of the rest:
-- "derberg" and "berg" for van der Berg), with the child's keys as child_names holds them, so that
-- a range of words gives its children in the finder's order (last, first, id); and the words of
-- both names (name_words_n), by which the finder's rule (name_found) reads the rest of what is
-- typed. Only names of more than one word have rows: a few of the children. Folded in C, like
-- child_names (src/store/search.c), so this migration only notes every child: the next caseload
-- that writes or searches derives their words.
CREATE TABLE child_name_words (
    word        TEXT NOT NULL,    -- name_key of a name from one of its words but the first on
    last        TEXT NOT NULL,    -- child_names.last
    first       TEXT NOT NULL,    -- child_names.first
    id          INTEGER NOT NULL, -- the child (children.id, child_names.id)
    first_words TEXT NOT NULL,    -- name_words_n(children.first_name)
    last_words  TEXT NOT NULL,    -- name_words_n(children.last_name)
    PRIMARY KEY (word, last, first, id)
) WITHOUT ROWID;
CREATE INDEX child_name_words_id ON child_name_words(id);
INSERT OR IGNORE INTO child_names_stale(id) SELECT id FROM children;
