-- 0012: offline copies (SPEC section 9). A laptop copy is made from the hub with `sync checkout`;
-- packs carry the changes each side has not yet acknowledged (src/app/sync.c).
--
-- sync_log: every committed change of the synced fact tables (src/store/sync.c lists them), as a
-- SQLite changeset written in the same transaction as the change, numbered by this copy (seq).
-- origin is the device id of the copy where the change was made: this one, or, on the hub, the
-- laptop whose pack the hub applied (the hub relays what applying it really changed). Kept only
-- once this database has a role (meta sync_role), so a database never taken out logs nothing.
CREATE TABLE sync_log (
    seq     INTEGER PRIMARY KEY,
    origin  INTEGER NOT NULL,
    at      TEXT NOT NULL,
    changes BLOB NOT NULL
);

-- The other copies this one exchanges packs with: on the hub, one row per laptop checked out; on a
-- laptop, its hub. key is the pack key made at checkout (never synced, never printed).
-- acked: the highest seq of this copy's log the peer has applied (said in its packs);
-- applied: the highest seq of the peer's log applied here.
CREATE TABLE sync_peers (
    name      TEXT PRIMARY KEY,
    device    INTEGER NOT NULL UNIQUE,
    role      TEXT NOT NULL CHECK (role IN ('hub', 'laptop')),
    key       BLOB NOT NULL,
    acked     INTEGER NOT NULL DEFAULT 0,
    applied   INTEGER NOT NULL DEFAULT 0,
    last_sync TEXT,
    revoked   TEXT
);

-- Same-field clashes, deletes against edits and natural keys created twice, found when the hub
-- applies a laptop's pack: facts like any other (synced, audited). The value columns have no
-- type, so a value keeps its own ('007' stays text).
CREATE TABLE conflicts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('field', 'delete_vs_edit', 'edit_vs_delete',
                                              'duplicate')),
    tbl         TEXT NOT NULL,
    row_id      INTEGER NOT NULL,
    field       TEXT,
    base,
    hub,
    laptop,
    laptop_name TEXT NOT NULL,
    at          TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
    resolution  TEXT,
    resolved_by TEXT,
    resolved_at TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX conflicts_state ON conflicts(state, id);
CREATE INDEX conflicts_row ON conflicts(tbl, row_id);
