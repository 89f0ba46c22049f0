-- 0011: follow-ups are tasks (SPEC section 8), and the next follow-up leaves the referrals table.
--
-- referrals.follow_up was a trigger-kept copy of the newest action's follow-up, inside a fact
-- table: an action without a follow-up wiped a pending one, a back-dated action's was ignored.
-- Now:
--   follow_up_done      (fact, appended) an action's follow-up marked done: on the referral
--                       screen (`d`), or by a later action that says so (by_action_id).
--   referral_follow_up  (derived) the next follow-up of each referral not closed that has a
--                       pending one: the earliest follow-up of its actions not marked done.
--                       Defined once, by the view referral_follow_up_source; the triggers below
--                       keep it true and `DELETE FROM referral_follow_up; INSERT INTO
--                       referral_follow_up SELECT * FROM referral_follow_up_source` rebuilds it.
-- A closed referral has no pending follow-up; reopened, its follow-ups not done are pending again.
CREATE TABLE follow_up_done (
    id           INTEGER PRIMARY KEY,
    action_id    INTEGER NOT NULL REFERENCES actions(id),  -- the action whose follow-up is done
    date         TEXT NOT NULL,                            -- the day it was marked done
    officer_id   INTEGER REFERENCES officers(id),
    by_action_id INTEGER REFERENCES actions(id),           -- the later action that said so
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX follow_up_done_action ON follow_up_done(action_id);

-- An action's follow-up is pending when it has one, is not marked done, and its referral is
-- not closed.
CREATE VIEW referral_follow_up_source AS
SELECT a.referral_id AS id, min(a.follow_up) AS follow_up
  FROM actions a JOIN referrals r ON r.id = a.referral_id
 WHERE a.follow_up IS NOT NULL AND r.status <> 'closed'
   AND NOT EXISTS (SELECT 1 FROM follow_up_done d WHERE d.action_id = a.id)
 GROUP BY a.referral_id;

CREATE TABLE referral_follow_up (
    id        INTEGER PRIMARY KEY,  -- referrals.id
    follow_up TEXT NOT NULL         -- YYYY-MM-DD, the earliest pending follow-up
);
CREATE INDEX referral_follow_up_date ON referral_follow_up(follow_up);
CREATE INDEX actions_follow_up ON actions(referral_id, follow_up) WHERE follow_up IS NOT NULL;

DROP TRIGGER actions_follow_up_insert;
DROP TRIGGER actions_follow_up_delete;
DROP INDEX referrals_follow_up;
ALTER TABLE referrals DROP COLUMN follow_up;

INSERT INTO referral_follow_up(id, follow_up) SELECT id, follow_up FROM referral_follow_up_source;

CREATE TRIGGER actions_follow_up_insert AFTER INSERT ON actions WHEN NEW.follow_up IS NOT NULL
BEGIN
    DELETE FROM referral_follow_up WHERE id = NEW.referral_id;
    INSERT INTO referral_follow_up(id, follow_up)
    SELECT id, follow_up FROM referral_follow_up_source WHERE id = NEW.referral_id;
END;
CREATE TRIGGER actions_follow_up_delete AFTER DELETE ON actions WHEN OLD.follow_up IS NOT NULL
BEGIN
    DELETE FROM referral_follow_up WHERE id = OLD.referral_id;
    INSERT INTO referral_follow_up(id, follow_up)
    SELECT id, follow_up FROM referral_follow_up_source WHERE id = OLD.referral_id;
END;
CREATE TRIGGER actions_follow_up_update AFTER UPDATE OF referral_id, follow_up ON actions
    WHEN OLD.referral_id IS NOT NEW.referral_id OR OLD.follow_up IS NOT NEW.follow_up BEGIN
    DELETE FROM referral_follow_up WHERE id IN (OLD.referral_id, NEW.referral_id);
    INSERT INTO referral_follow_up(id, follow_up)
    SELECT id, follow_up FROM referral_follow_up_source WHERE id IN (OLD.referral_id, NEW.referral_id);
END;
CREATE TRIGGER follow_up_done_insert AFTER INSERT ON follow_up_done BEGIN
    DELETE FROM referral_follow_up WHERE id = (SELECT referral_id FROM actions WHERE id = NEW.action_id);
    INSERT INTO referral_follow_up(id, follow_up)
    SELECT id, follow_up FROM referral_follow_up_source
     WHERE id = (SELECT referral_id FROM actions WHERE id = NEW.action_id);
END;
CREATE TRIGGER follow_up_done_delete AFTER DELETE ON follow_up_done BEGIN
    DELETE FROM referral_follow_up WHERE id = (SELECT referral_id FROM actions WHERE id = OLD.action_id);
    INSERT INTO referral_follow_up(id, follow_up)
    SELECT id, follow_up FROM referral_follow_up_source
     WHERE id = (SELECT referral_id FROM actions WHERE id = OLD.action_id);
END;
CREATE TRIGGER referrals_follow_up_status AFTER UPDATE OF status ON referrals
    WHEN OLD.status IS NOT NEW.status BEGIN
    DELETE FROM referral_follow_up WHERE id = NEW.id;
    INSERT INTO referral_follow_up(id, follow_up)
    SELECT id, follow_up FROM referral_follow_up_source WHERE id = NEW.id;
END;
CREATE TRIGGER referrals_follow_up_delete AFTER DELETE ON referrals BEGIN
    DELETE FROM referral_follow_up WHERE id = OLD.id;
END;
