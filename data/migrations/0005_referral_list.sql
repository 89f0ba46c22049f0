-- 0005: the list's sort keys leave the wide referral rows (issue 2: a full score recompute).
--
-- Every referral carried a copy of its child's score, and five indexes held (filter columns,
-- score, id). A weight change that moves a third of the children rewrote a third of the referral
-- rows (most pages of the biggest table) and moved each of their entries in all five indexes.
-- Now one narrow row per referral holds what the list filters and sorts by, and three indexes
-- serve every list query (src/store/browse.c):
--   referral_list_score         (score DESC, id)                every issue, no status, no officer
--   referral_list_issue_status  (issue, status, score DESC, id) an issue and a status; an issue
--                                                               alone or a status alone merges the
--                                                               ranges of each status or issue
--   referral_list_officer       (officer_id, score DESC, id)    an officer
-- The triggers keep it true: a new referral takes its child's score; a child's new score goes to
-- each of its referrals; issue, status, officer and child follow the referral.
CREATE TABLE referral_list (
    id         INTEGER PRIMARY KEY,        -- referrals.id
    child_id   INTEGER NOT NULL,           -- referrals.child_id
    score      INTEGER NOT NULL DEFAULT 0, -- the child's score (children.score)
    issue      TEXT NOT NULL,
    status     TEXT NOT NULL,
    officer_id INTEGER
);
INSERT INTO referral_list(id, child_id, score, issue, status, officer_id)
SELECT r.id, r.child_id, coalesce(c.score, 0), r.issue, r.status, r.officer_id
  FROM referrals r LEFT JOIN children c ON c.id = r.child_id ORDER BY r.id;

DROP INDEX referrals_score;
DROP INDEX referrals_issue_score;
DROP INDEX referrals_status_score;
DROP INDEX referrals_issue_status_score;
DROP INDEX referrals_officer_score;
ALTER TABLE referrals DROP COLUMN score;

CREATE INDEX referral_list_score ON referral_list(score DESC, id);
CREATE INDEX referral_list_issue_status ON referral_list(issue, status, score DESC, id);
CREATE INDEX referral_list_officer ON referral_list(officer_id, score DESC, id);
-- A child's referrals, for its new score.
CREATE INDEX referral_list_child ON referral_list(child_id);

-- The referrals flagged at risk of permanent exclusion (the pex_risk factor), so that a full
-- recompute reads them alone instead of every referral row (pex_risk is a column too: SQLite
-- counts an index as covering only for the columns it holds).
CREATE INDEX referrals_pex_risk ON referrals(child_id, received, status, closed, pex_risk)
    WHERE pex_risk = 1;

CREATE TRIGGER referral_list_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_list(id, child_id, score, issue, status, officer_id)
    VALUES (NEW.id, NEW.child_id, coalesce((SELECT score FROM children WHERE id = NEW.child_id), 0),
            NEW.issue, NEW.status, NEW.officer_id);
END;

CREATE TRIGGER referral_list_delete AFTER DELETE ON referrals BEGIN
    DELETE FROM referral_list WHERE id = OLD.id;
END;

CREATE TRIGGER referral_list_update AFTER UPDATE OF id, issue, status, officer_id ON referrals
    WHEN OLD.id IS NOT NEW.id OR OLD.issue IS NOT NEW.issue OR OLD.status IS NOT NEW.status OR
         OLD.officer_id IS NOT NEW.officer_id BEGIN
    UPDATE referral_list SET id = NEW.id, issue = NEW.issue, status = NEW.status,
                             officer_id = NEW.officer_id
     WHERE id = OLD.id;
END;

CREATE TRIGGER referral_list_child AFTER UPDATE OF child_id ON referrals
    WHEN OLD.child_id IS NOT NEW.child_id BEGIN
    UPDATE referral_list
       SET child_id = NEW.child_id,
           score = coalesce((SELECT score FROM children WHERE id = NEW.child_id), 0)
     WHERE id = NEW.id;
END;

CREATE TRIGGER referral_list_score AFTER UPDATE OF score ON children
    WHEN OLD.score IS NOT NEW.score BEGIN
    UPDATE referral_list SET score = NEW.score WHERE child_id = NEW.id;
END;
