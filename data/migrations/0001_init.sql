-- 0001: the first schema of caseload.
-- Keys: every row's id is (device id << 32) | counter, allocated by src/store/store.c, so two copies
-- of one database (an officer's laptop and the office) never hand out the same key.
-- Dates are 'YYYY-MM-DD' text; timestamps are UTC ISO 8601 text. Codes are the words of SPEC section 2.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE officers (
    id         INTEGER PRIMARY KEY,
    initials   TEXT NOT NULL UNIQUE,
    name       TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE schools (
    id         INTEGER PRIMARY KEY,
    urn        TEXT UNIQUE,
    name       TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (urn IS NOT NULL OR name IS NOT NULL)
);
CREATE UNIQUE INDEX schools_name_only ON schools(name) WHERE urn IS NULL;

CREATE TABLE children (
    id            INTEGER PRIMARY KEY,
    upn           TEXT UNIQUE,
    la_child_id   TEXT UNIQUE,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    dob           TEXT NOT NULL,
    gender        TEXT,
    school_id     INTEGER REFERENCES schools(id),
    care_status   TEXT,
    sen           TEXT,
    sen_need      TEXT,
    youth_justice INTEGER NOT NULL DEFAULT 0,
    score         INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (upn IS NOT NULL OR la_child_id IS NOT NULL)
);
CREATE INDEX children_name ON children(last_name COLLATE NOCASE, first_name COLLATE NOCASE);
CREATE INDEX children_first_name ON children(first_name COLLATE NOCASE);
CREATE INDEX children_dob ON children(dob);
CREATE INDEX children_school ON children(school_id);

CREATE TABLE referrals (
    id           INTEGER PRIMARY KEY,
    ref          TEXT NOT NULL UNIQUE,
    child_id     INTEGER NOT NULL REFERENCES children(id),
    received     TEXT NOT NULL,
    source       TEXT NOT NULL,
    issue        TEXT NOT NULL,
    other_issues TEXT NOT NULL DEFAULT '',   -- ';'-separated issue codes
    pex_risk     INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'new',
    closed       TEXT,
    officer_id   INTEGER REFERENCES officers(id),
    care_status  TEXT NOT NULL,              -- as recorded at referral
    sen          TEXT NOT NULL,              -- as recorded at referral
    summary      TEXT NOT NULL DEFAULT '',
    score        INTEGER NOT NULL DEFAULT 0, -- the child's score, copied here so lists sort by an index
    follow_up    TEXT,                       -- follow-up date of the latest action (kept by triggers)
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (status <> 'closed' OR closed IS NOT NULL)
);
-- The list: by issue type and status, highest score first, keyset-paginated on (score, id).
CREATE INDEX referrals_score ON referrals(score DESC, id);
CREATE INDEX referrals_issue_score ON referrals(issue, score DESC, id);
CREATE INDEX referrals_status_score ON referrals(status, score DESC, id);
CREATE INDEX referrals_issue_status_score ON referrals(issue, status, score DESC, id);
CREATE INDEX referrals_officer_score ON referrals(officer_id, score DESC, id);
CREATE INDEX referrals_child ON referrals(child_id, received);
CREATE INDEX referrals_received ON referrals(received, issue);
CREATE INDEX referrals_follow_up ON referrals(follow_up) WHERE follow_up IS NOT NULL AND status <> 'closed';

-- Live counts for the sidebar, kept by triggers so no screen counts a million rows.
CREATE TABLE referral_counts (
    issue  TEXT NOT NULL,
    status TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (issue, status)
) WITHOUT ROWID;

CREATE TRIGGER referrals_count_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_counts(issue, status, n) VALUES (NEW.issue, NEW.status, 1)
        ON CONFLICT(issue, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER referrals_count_delete AFTER DELETE ON referrals BEGIN
    UPDATE referral_counts SET n = n - 1 WHERE issue = OLD.issue AND status = OLD.status;
END;
CREATE TRIGGER referrals_count_update AFTER UPDATE OF issue, status ON referrals
    WHEN OLD.issue <> NEW.issue OR OLD.status <> NEW.status BEGIN
    UPDATE referral_counts SET n = n - 1 WHERE issue = OLD.issue AND status = OLD.status;
    INSERT INTO referral_counts(issue, status, n) VALUES (NEW.issue, NEW.status, 1)
        ON CONFLICT(issue, status) DO UPDATE SET n = n + 1;
END;

-- Actions, outcomes and events are appended, never edited: corrections are new rows.
CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id),
    date        TEXT NOT NULL,
    officer_id  INTEGER REFERENCES officers(id),
    kind        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    follow_up   TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX actions_referral ON actions(referral_id, date, id);

CREATE TRIGGER actions_follow_up_insert AFTER INSERT ON actions BEGIN
    UPDATE referrals SET follow_up = (SELECT follow_up FROM actions WHERE referral_id = NEW.referral_id
                                      ORDER BY date DESC, id DESC LIMIT 1)
     WHERE id = NEW.referral_id;
END;
CREATE TRIGGER actions_follow_up_delete AFTER DELETE ON actions BEGIN
    UPDATE referrals SET follow_up = (SELECT follow_up FROM actions WHERE referral_id = OLD.referral_id
                                      ORDER BY date DESC, id DESC LIMIT 1)
     WHERE id = OLD.referral_id;
END;

CREATE TABLE outcomes (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id),
    date        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX outcomes_referral ON outcomes(referral_id, date, id);
CREATE INDEX outcomes_outcome ON outcomes(outcome, referral_id);

CREATE TABLE exclusions (
    id         INTEGER PRIMARY KEY,
    child_id   INTEGER NOT NULL REFERENCES children(id),
    start      TEXT NOT NULL,
    category   TEXT NOT NULL,   -- suspension | permanent
    days       REAL,
    reason     TEXT,
    school_id  INTEGER REFERENCES schools(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX exclusions_child ON exclusions(child_id, category, start);
CREATE INDEX exclusions_start ON exclusions(start, category, child_id);

CREATE TABLE attendance (
    id         INTEGER PRIMARY KEY,
    child_id   INTEGER NOT NULL REFERENCES children(id),
    from_date  TEXT NOT NULL,
    to_date    TEXT NOT NULL,
    possible   INTEGER NOT NULL,
    attended   INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX attendance_child ON attendance(child_id, to_date, id);
CREATE INDEX attendance_to ON attendance(to_date, child_id);

CREATE TABLE episodes (
    id             INTEGER PRIMARY KEY,
    child_id       INTEGER NOT NULL REFERENCES children(id),
    kind           TEXT NOT NULL,   -- cme | part_time | ehe | alternative_provision
    start          TEXT NOT NULL,
    end_date       TEXT,
    hours_per_week REAL,
    in_county      INTEGER,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX episodes_child ON episodes(child_id, kind, start);
CREATE INDEX episodes_kind_end ON episodes(kind, end_date);

-- Who changed what, and when. Holds ids and the kind of change, never a child's details.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    who       TEXT NOT NULL,
    action    TEXT NOT NULL,
    tbl       TEXT,
    row_id    INTEGER,
    detail    TEXT
);
CREATE INDEX audit_row ON audit(tbl, row_id);
