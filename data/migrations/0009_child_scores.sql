-- 0009: a child's score leaves the children table (issues 9 and 13).
--
-- The score is derived state (computed from the facts and the weights as of a date), and the
-- children table holds facts: kept there, every recompute rewrote fact rows, and a copy made for
-- offline work would carry each rewrite as a change of the child. Now one narrow row per child
-- that has ever scored holds it; a child with no row scores 0. The meta keys scores_as_of and
-- scores_weights (src/app/scoring.c) still say for which date and weights every row holds.
-- The triggers of 0005 and 0007 that read children.score read child_scores instead; a new score
-- still goes onto each of the child's referrals in referral_list, which the list sorts by.
CREATE TABLE child_scores (
    child_id INTEGER PRIMARY KEY, -- children.id
    score    INTEGER NOT NULL
);
INSERT INTO child_scores(child_id, score) SELECT id, score FROM children WHERE score <> 0;

DROP TRIGGER referral_list_score;
DROP TRIGGER referral_list_insert;
DROP TRIGGER referral_list_child;
ALTER TABLE children DROP COLUMN score;

CREATE TRIGGER referral_list_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_list(id, child_id, score, issue, status, officer_id)
    VALUES (NEW.id, NEW.child_id,
            coalesce((SELECT score FROM child_scores WHERE child_id = NEW.child_id), 0),
            NEW.issue, NEW.status, NEW.officer_id);
END;

CREATE TRIGGER referral_list_child AFTER UPDATE OF child_id ON referrals
    WHEN OLD.child_id IS NOT NEW.child_id BEGIN
    UPDATE referral_list
       SET child_id = NEW.child_id,
           score = coalesce((SELECT score FROM child_scores WHERE child_id = NEW.child_id), 0)
     WHERE id = NEW.id;
END;

CREATE TRIGGER child_scores_insert AFTER INSERT ON child_scores BEGIN
    UPDATE referral_list SET score = NEW.score WHERE child_id = NEW.child_id;
END;

CREATE TRIGGER child_scores_update AFTER UPDATE OF score ON child_scores
    WHEN OLD.score IS NOT NEW.score BEGIN
    UPDATE referral_list SET score = NEW.score WHERE child_id = NEW.child_id;
END;

-- A child erased (a retention purge) takes its score with it.
CREATE TRIGGER child_scores_child_delete AFTER DELETE ON children BEGIN
    DELETE FROM child_scores WHERE child_id = OLD.id;
END;
