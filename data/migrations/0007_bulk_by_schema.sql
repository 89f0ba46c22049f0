-- 0007: a large import sets the insert triggers of referrals aside by dropping them inside its
-- transaction and creating them again, from their own text in sqlite_schema, before it commits
-- (src/store/records.c, referral_flush_new); no other connection ever sees
-- them missing. The meta key 'bulk_insert' of 0004 and 0006, which each trigger looked up for
-- every new referral (a fifth of the time of adding 100,000), is no longer used: the triggers
-- are as they were before it.
DROP TRIGGER referral_search_insert;
CREATE TRIGGER referral_search_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_search(rowid, body)
    SELECT id, body FROM referral_search_source WHERE id = NEW.id;
END;

DROP TRIGGER referrals_count_insert;
CREATE TRIGGER referrals_count_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_counts(issue, status, n) VALUES (NEW.issue, NEW.status, 1)
        ON CONFLICT(issue, status) DO UPDATE SET n = n + 1;
END;

DROP TRIGGER referral_list_insert;
CREATE TRIGGER referral_list_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_list(id, child_id, score, issue, status, officer_id)
    VALUES (NEW.id, NEW.child_id, coalesce((SELECT score FROM children WHERE id = NEW.child_id), 0),
            NEW.issue, NEW.status, NEW.officer_id);
END;

DELETE FROM meta WHERE key = 'bulk_insert';
