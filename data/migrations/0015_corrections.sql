-- 0015: corrections (issue 11 item 6): an action or outcome amended or withdrawn, and a closed
-- referral reopened, each recorded, never silently gone.
--
-- An amendment or a withdrawal is a NEW row of actions (or outcomes) that supersedes the row it
-- corrects; both stay (and both have their audit rows):
--   supersedes    the row it corrects (always the current version of that entry);
--   withdrawn     1: the entry is withdrawn (the row repeats the values it withdraws);
--   corrected_on  the day the correction was made; corrected_by the officer who made it;
--   reason        why, as the officer said it ('' when not said).
-- The CURRENT version of an entry is its row that no other row supersedes; a withdrawn entry has
-- none that counts. Everything that counts actions or outcomes (reports, follow-ups, export)
-- reads the current versions only: the views actions_current and outcomes_current say which. So
-- a withdrawn action's pending follow-up is no longer pending, and an amended one's is the
-- amended row's. Nothing here is derived state: "current" is read through the views, not stored.
--
-- reopenings: a closed referral reopened (key O on the referral screen, or its status edited
-- from closed): when, by whom, the closed date it had, and why.
ALTER TABLE actions ADD COLUMN supersedes INTEGER REFERENCES actions(id);
ALTER TABLE actions ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1));
ALTER TABLE actions ADD COLUMN corrected_on TEXT;
ALTER TABLE actions ADD COLUMN corrected_by INTEGER REFERENCES officers(id);
ALTER TABLE actions ADD COLUMN reason TEXT;
CREATE INDEX actions_supersedes ON actions(supersedes) WHERE supersedes IS NOT NULL;

ALTER TABLE outcomes ADD COLUMN supersedes INTEGER REFERENCES outcomes(id);
ALTER TABLE outcomes ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1));
ALTER TABLE outcomes ADD COLUMN corrected_on TEXT;
ALTER TABLE outcomes ADD COLUMN corrected_by INTEGER REFERENCES officers(id);
ALTER TABLE outcomes ADD COLUMN reason TEXT;
CREATE INDEX outcomes_supersedes ON outcomes(supersedes) WHERE supersedes IS NOT NULL;
-- The reports read outcomes_current by outcome (outcomes_report, migration 0003, with withdrawn).
CREATE INDEX outcomes_report_current ON outcomes(outcome, referral_id, date, withdrawn);

CREATE VIEW actions_current AS
SELECT a.* FROM actions a
 WHERE a.withdrawn = 0
   AND NOT EXISTS (SELECT 1 FROM actions n WHERE n.supersedes = a.id);

CREATE VIEW outcomes_current AS
SELECT o.* FROM outcomes o
 WHERE o.withdrawn = 0
   AND NOT EXISTS (SELECT 1 FROM outcomes n WHERE n.supersedes = o.id);

CREATE TABLE reopenings (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id),
    date        TEXT NOT NULL,                   -- the day it was reopened
    officer_id  INTEGER REFERENCES officers(id), -- who reopened it
    closed      TEXT,                            -- the closed date it had
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX reopenings_referral ON reopenings(referral_id, date);

-- The next follow-up (migration 0011) counts the current versions only.
DROP VIEW referral_follow_up_source;
CREATE VIEW referral_follow_up_source AS
SELECT a.referral_id AS id, min(a.follow_up) AS follow_up
  FROM actions_current a JOIN referrals r ON r.id = a.referral_id
 WHERE a.follow_up IS NOT NULL AND r.status <> 'closed'
   AND NOT EXISTS (SELECT 1 FROM follow_up_done d WHERE d.action_id = a.id)
 GROUP BY a.referral_id;

-- A correction changes which follow-ups are pending even when it sets none.
DROP TRIGGER actions_follow_up_insert;
CREATE TRIGGER actions_follow_up_insert AFTER INSERT ON actions
    WHEN NEW.follow_up IS NOT NULL OR NEW.supersedes IS NOT NULL BEGIN
    DELETE FROM referral_follow_up WHERE id = NEW.referral_id;
    INSERT INTO referral_follow_up(id, follow_up)
    SELECT id, follow_up FROM referral_follow_up_source WHERE id = NEW.referral_id;
END;
CREATE TRIGGER actions_follow_up_delete_correction AFTER DELETE ON actions
    WHEN OLD.follow_up IS NULL AND OLD.supersedes IS NOT NULL BEGIN
    DELETE FROM referral_follow_up WHERE id = OLD.referral_id;
    INSERT INTO referral_follow_up(id, follow_up)
    SELECT id, follow_up FROM referral_follow_up_source WHERE id = OLD.referral_id;
END;
CREATE TRIGGER actions_follow_up_update_correction AFTER UPDATE OF supersedes, withdrawn ON actions
    WHEN OLD.supersedes IS NOT NEW.supersedes OR OLD.withdrawn IS NOT NEW.withdrawn BEGIN
    DELETE FROM referral_follow_up WHERE id = NEW.referral_id;
    INSERT INTO referral_follow_up(id, follow_up)
    SELECT id, follow_up FROM referral_follow_up_source WHERE id = NEW.referral_id;
END;
