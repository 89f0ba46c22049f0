-- 0003: covering indexes for the reports (SPEC section 7), so that a year of a million referrals is
-- counted from index pages alone, in one sequential pass, with no lookup per row:
-- the summary (referrals by issue, source, care status, SEN, month and child);
CREATE INDEX referrals_report ON referrals(received, issue, source, care_status, sen, pex_risk,
                                           child_id);
-- the attendance report (each child's latest record ending in the period);
CREATE INDEX attendance_report ON attendance(to_date, child_id, possible, attended);
-- the earliest placed_on_roll outcome of a referral (admissions report);
CREATE INDEX outcomes_report ON outcomes(outcome, referral_id, date);
-- the admissions report (referrals of one primary issue received in the period).
CREATE INDEX referrals_issue_received ON referrals(issue, received);
-- the cme report (episodes ending in the period, and those still open, with their start).
CREATE INDEX episodes_report ON episodes(kind, end_date, start, in_county);
-- the suspensions report (every child's current care status, read in one pass).
CREATE INDEX children_care ON children(care_status);
