-- 0003: a covering index for the summary report, so that counting a year of a million referrals
-- by issue, source, care status, SEN, month and child reads only this index (no table lookups).
CREATE INDEX referrals_report ON referrals(received, issue, source, care_status, sen, pex_risk,
                                           child_id);
