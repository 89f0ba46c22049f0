-- 0006: a bulk import's new referrals go into referral_list (0005) in one statement, as they go
-- into the search index and the sidebar counts (0004): while the meta key 'bulk_insert' exists
-- (only inside records_referral_flush, in the writing transaction), the insert trigger stands
-- aside and the flush adds the rows itself, each with its child's score, as the trigger would.
-- About 3% of a 100,000-referral import (a trigger program run and a score lookup per row).
DROP TRIGGER referral_list_insert;
CREATE TRIGGER referral_list_insert AFTER INSERT ON referrals
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_insert') BEGIN
    INSERT INTO referral_list(id, child_id, score, issue, status, officer_id)
    VALUES (NEW.id, NEW.child_id, coalesce((SELECT score FROM children WHERE id = NEW.child_id), 0),
            NEW.issue, NEW.status, NEW.officer_id);
END;
