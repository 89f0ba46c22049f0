-- 0002: the index behind the app's `/` filter (name, UPN, ref, school and summary of a referral).
-- An FTS5 table with the trigram tokenizer finds any substring of three characters or more without
-- reading every referral; one row per referral (rowid = referrals.id), kept by triggers.

CREATE VIRTUAL TABLE referral_search USING fts5(body, tokenize = 'trigram');

INSERT INTO referral_search(rowid, body)
SELECT r.id, r.ref || ' ' || coalesce(c.upn, '') || ' ' || c.first_name || ' ' || c.last_name || ' ' ||
             coalesce(sc.name, '') || ' ' || r.summary
  FROM referrals r JOIN children c ON c.id = r.child_id LEFT JOIN schools sc ON sc.id = c.school_id;

CREATE TRIGGER referral_search_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_search(rowid, body)
    SELECT NEW.id, NEW.ref || ' ' || coalesce(c.upn, '') || ' ' || c.first_name || ' ' || c.last_name ||
                   ' ' || coalesce(sc.name, '') || ' ' || NEW.summary
      FROM children c LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.id = NEW.child_id;
END;

CREATE TRIGGER referral_search_delete AFTER DELETE ON referrals BEGIN
    DELETE FROM referral_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER referral_search_update AFTER UPDATE OF ref, summary, child_id ON referrals BEGIN
    DELETE FROM referral_search WHERE rowid = OLD.id;
    INSERT INTO referral_search(rowid, body)
    SELECT NEW.id, NEW.ref || ' ' || coalesce(c.upn, '') || ' ' || c.first_name || ' ' || c.last_name ||
                   ' ' || coalesce(sc.name, '') || ' ' || NEW.summary
      FROM children c LEFT JOIN schools sc ON sc.id = c.school_id WHERE c.id = NEW.child_id;
END;

CREATE TRIGGER referral_search_child AFTER UPDATE OF upn, first_name, last_name, school_id ON children
BEGIN
    DELETE FROM referral_search WHERE rowid IN (SELECT id FROM referrals WHERE child_id = NEW.id);
    INSERT INTO referral_search(rowid, body)
    SELECT r.id, r.ref || ' ' || coalesce(NEW.upn, '') || ' ' || NEW.first_name || ' ' || NEW.last_name ||
                 ' ' || coalesce(sc.name, '') || ' ' || r.summary
      FROM referrals r LEFT JOIN schools sc ON sc.id = NEW.school_id WHERE r.child_id = NEW.id;
END;

CREATE TRIGGER referral_search_school AFTER UPDATE OF name ON schools BEGIN
    DELETE FROM referral_search WHERE rowid IN
        (SELECT r.id FROM children c JOIN referrals r ON r.child_id = c.id WHERE c.school_id = NEW.id);
    INSERT INTO referral_search(rowid, body)
    SELECT r.id, r.ref || ' ' || coalesce(c.upn, '') || ' ' || c.first_name || ' ' || c.last_name || ' ' ||
                 coalesce(NEW.name, '') || ' ' || r.summary
      FROM children c JOIN referrals r ON r.child_id = c.id WHERE c.school_id = NEW.id;
END;
