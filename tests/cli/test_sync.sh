#!/bin/sh
# test_sync: offline copies (SPEC section 9). A laptop copy is checked out from a hub, both change
# the same referrals, packs go both ways: every case of the merge rule with two and three copies
# (appended rows kept, different fields both kept, a same-field clash held as a conflict with the
# hub's value kept, a natural key created twice kept twice as a duplicate), packs applied twice, late
# and out of order, convergence (every synced table equal, row for row, on both copies), conflicts
# resolved on either side travelling like any change, rows deleted on one side and changed (or
# given a new row) on the other kept as conflicts, and the faults: altered, cut-short, foreign,
# wrong-recipient, other-version and revoked packs (65, nothing changed), a gap (65, naming what to
# bring), a missing pack (66), a full disk (74, nothing under the pack's name), kill -9 during an
# apply (as before or as after).
. "$SOURCE_ROOT/tests/cli/lib.sh"

cd "$TMPDIR_T" || exit 1
D="$DATA"
AS="--as-of 2024-02-01"
TABLES=$SYNCED_TABLES

c() { # DB ARGS...: runs caseload on DB
    db=$1
    shift
    run --db "$db" $AS "$@"
}

unchanged() { # DESC DB DIGEST-FILE
    digest "$2" >"$TMPDIR_T/now"
    if cmp -s "$TMPDIR_T/now" "$3"; then t_ok "$1"; else
        t_notok "$1" "$(diff "$3" "$TMPDIR_T/now" | head -10)"
    fi
}

field() { # DB REF COLUMN: the stored value
    sqlite3 -readonly "$1" "SELECT $3 FROM referrals WHERE ref = '$2'"
}

mode() { stat -c %a "$1"; }

# ---- checkout ----
c hub.db import referrals "$D/import-referrals.csv"
c hub.db sync checkout l2.db --name L2
check_rc 0 "sync checkout writes a laptop copy"
check_out_has "laptop copy L2 written to l2.db" "checkout says what it wrote"
check_true "the laptop copy is 0600" test "$(mode l2.db)" = 600
check_true "the laptop copy has a device id of its own" test \
    "$(sqlite3 -readonly l2.db "SELECT value FROM meta WHERE key = 'device_id'")" != \
    "$(sqlite3 -readonly hub.db "SELECT value FROM meta WHERE key = 'device_id'")"
check_true "the laptop copy knows only its hub" test \
    "$(sqlite3 -readonly l2.db "SELECT group_concat(name) FROM sync_peers")" = hub
check_true "both hold the same pack key" test \
    "$(sqlite3 -readonly l2.db "SELECT hex(key) FROM sync_peers")" = \
    "$(sqlite3 -readonly hub.db "SELECT hex(key) FROM sync_peers WHERE name = 'L2'")"
same "the laptop copy holds the hub's data" hub.db l2.db
c hub.db sync checkout l2.db --name L9
check_rc 74 "checkout to an existing file: 74"
c hub.db sync checkout other.db --name L2
check_rc 65 "checkout with a name already registered: 65"
check_true "... and writes nothing" test ! -e other.db
c hub.db sync checkout other.db --name 'a b'
check_rc 2 "checkout with a bad name: 2"
c l2.db sync checkout other.db --name L5
check_rc 65 "a laptop copy makes no copies: 65"
c hub.db sync checkout l3.db --name L3
check_rc 0 "a second laptop copy"

c l2.db sync status --format json
check_rc 0 "sync status --format json"
check_true "status has the keys of SPEC section 9" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["role", "name", "peers", "unsent", "conflicts"], list(d)
assert d["role"] == "laptop" and d["name"] == "L2" and d["unsent"] == 0 and d["conflicts"] == 0
assert [list(p) for p in d["peers"]] == [["name", "last_sync", "unsent"]]
assert d["peers"][0]["name"] == "hub" and d["peers"][0]["last_sync"] is None' "$OUT"

# ---- two copies: clash, different fields, appended rows ----
# The laptop changes R-2023-001's summary and R-2023-003's status, adds actions; the hub changes
# R-2023-001's summary too and R-2023-003's officer.
edit "$D/import-referrals.csv" lap.csv R-2023-001 summary "laptop summary" R-2023-003 status open
edit "$D/import-referrals.csv" hubed.csv R-2023-001 summary "hub summary" R-2023-003 officer ZZ
c l2.db import referrals lap.csv
c l2.db import actions "$D/import-actions.csv"
c hub.db import referrals hubed.csv
c l2.db sync status
check_out_has "2 not yet acknowledged" "status counts the laptop's unsent changes"
c l2.db sync pack p1.pack
check_rc 0 "sync pack on the laptop"
check_out_has "pack for hub written to p1.pack: 2 changes" "pack says what it holds"
check_true "the pack is 0600" test "$(mode p1.pack)" = 600
check_true "no temporary file is left" test -z "$(ls | grep 'p1.pack.')"
check_true "the pack is encrypted (no summary in clear)" sh -c '! grep -q "laptop summary" p1.pack'
digest hub.db >before-apply
sqlite3 -readonly hub.db "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name" >triggers-before
c hub.db sync apply p1.pack
check_rc 0 "sync apply on the hub"
check_out_has "applied 2 changes from L2: 4 added, 1 merged, 0 deleted, 1 held as conflict" \
    "apply says what it added, merged and held as conflicts"
sqlite3 -readonly hub.db "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name" >triggers-after
check_true "the triggers set aside while it applied are back as they were" cmp triggers-before triggers-after
run --db hub.db $AS check
check_rc 0 "... and every derived table agrees with the facts: the follow-ups of the actions added"
check_true "the same field changed on both: the hub keeps its value" \
    test "$(field hub.db R-2023-001 summary)" = "hub summary"
check_true "different fields of one row: the laptop's status is kept" \
    test "$(field hub.db R-2023-003 status)" = open
check_true "... and the hub's officer too" test "$(sqlite3 -readonly hub.db \
    "SELECT o.initials FROM referrals r JOIN officers o ON o.id = r.officer_id WHERE ref = 'R-2023-003'")" = ZZ
check_true "appended actions are kept" test "$(sqlite3 -readonly hub.db 'SELECT count(*) FROM actions')" = 3
c hub.db sync conflicts --format json
check_rc 0 "sync conflicts --format json"
check_true "a conflict holds base, hub and laptop values with the keys of SPEC section 9" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 1, d
c = d[0]
assert list(c) == ["id", "kind", "table", "ref", "child", "field", "base", "hub", "laptop",
                   "laptop_name", "at", "state"], list(c)
assert c["kind"] == "field" and c["table"] == "referrals" and c["ref"] == "R-2023-001"
assert c["child"] == "B801200005001" and c["field"] == "summary"
assert c["base"].startswith("Attendance 62%") and c["hub"] == "hub summary"
assert c["laptop"] == "laptop summary" and c["laptop_name"] == "L2" and c["state"] == "open"' "$OUT"
digest hub.db >after-apply
c hub.db sync apply p1.pack
check_rc 0 "the same pack applied twice"
check_out_has "nothing new from L2" "... says nothing new"
unchanged "... and changes nothing" hub.db after-apply

c hub.db sync pack r1.pack --for L2
check_rc 0 "sync pack --for L2 on the hub"
c l2.db sync apply r1.pack
check_rc 0 "the laptop applies the hub's reply"
same "after packs both ways the two copies are identical, conflicts included" hub.db l2.db
check_true "the laptop now holds the hub's value of the clash" \
    test "$(field l2.db R-2023-001 summary)" = "hub summary"
c l2.db sync conflicts
check_out_has "laptop summary" "the laptop lists the conflict with both values"
c l2.db sync apply r1.pack
check_out_has "nothing new from hub" "the reply applied twice changes nothing"
c hub.db sync pack h.pack
check_rc 2 "on the hub, sync pack needs --for: 2"
c hub.db sync pack h.pack --for L7
check_rc 65 "sync pack --for an unknown laptop: 65"

# ---- late and out-of-order packs, a gap ----
edit "$D/import-referrals.csv" lap2.csv R-2023-003 summary "second visit"
c l2.db import referrals lap2.csv
c l2.db sync pack p2.pack
edit "$D/import-referrals.csv" lap3.csv R-2023-003 summary "third visit"
c l2.db import referrals lap3.csv
c l2.db sync pack p3.pack
check_out_has ": 2 changes" "packs are cumulative until acknowledged"
c hub.db sync apply p3.pack
check_rc 0 "the later pack first"
check_true "... brings both changes" test "$(field hub.db R-2023-003 summary)" = "third visit"
digest hub.db >after-p3
c hub.db sync apply p2.pack
check_rc 0 "the earlier pack late"
check_out_has "nothing new from L2" "... holds nothing new"
unchanged "... and changes nothing" hub.db after-p3
# A gap: a pack made before the hub acknowledged, from a laptop whose hub lost its last apply.
cp hub.db hub-old.db
c hub.db sync pack r2.pack --for L2
c l2.db sync apply r2.pack
edit "$D/import-referrals.csv" lap4.csv R-2023-003 summary "fourth visit"
c l2.db import referrals lap4.csv
c l2.db sync pack p4.pack
check_out_has ": 1 change" "once acknowledged, a pack holds only the new changes"
rm -f hub-old.db-wal hub-old.db-shm
sqlite3 hub-old.db "UPDATE sync_peers SET applied = 1 WHERE name = 'L2'"
digest hub-old.db >old-digest
run --db hub-old.db $AS sync apply p4.pack
check_rc 65 "a pack that skips changes the hub has not seen: 65"
check_err_has "bring a pack from L2 holding its changes from 2 on" "... and the message says what to bring"
unchanged "... nothing changed" hub-old.db old-digest
c hub.db sync apply p4.pack
check_rc 0 "the hub that has seen the earlier changes applies it"

# ---- faults: nothing changes ----
digest hub.db >hub-digest
python3 -c '
import sys
d = bytearray(open("p4.pack", "rb").read())
d[len(d) // 2 + 40] ^= 1
open("tampered.pack", "wb").write(d)
open("cut.pack", "wb").write(open("p4.pack", "rb").read()[:-30])
h = bytearray(open("p4.pack", "rb").read())
h[20] ^= 1
open("header.pack", "wb").write(h)'
c hub.db sync apply tampered.pack
check_rc 65 "an altered pack: 65"
check_err_has "fails authentication" "... says it was altered"
c hub.db sync apply cut.pack
check_rc 65 "a cut-short pack: 65"
check_err_has "cut short" "... says it is cut short"
c hub.db sync apply header.pack
check_rc 65 "a pack whose header was altered: 65"
printf 'not a pack\n' >junk.pack
c hub.db sync apply junk.pack
check_rc 65 "a file that is no pack: 65"
c hub.db sync apply missing.pack
check_rc 66 "a missing pack file: 66"
c hub.db sync apply r2.pack
check_rc 65 "a pack the hub made for a laptop, applied on the hub: 65"
check_err_has "made for another copy" "... says it is addressed to another copy"
# Another hub's laptop, and a laptop's pack applied on another hub.
c hub2.db import referrals "$D/import-referrals.csv"
c hub2.db sync checkout x.db --name X
c x.db import actions "$D/import-actions.csv"
c x.db sync pack x.pack
c l3.db sync apply x.pack
check_rc 65 "a pack from a foreign copy: 65"
c hub.db sync apply x.pack
check_rc 65 "the same laptop's pack applied on a hub that did not make the copy: 65"
check_err_has "this pack was made for another copy" "... says it is addressed to another copy"
c hub2.db sync apply x.pack
check_rc 0 "... while the hub that made the copy applies it"
unchanged "none of these changed the hub" hub.db hub-digest
# The other laptop applying L2's pack (wrong recipient).
c l3.db sync apply p4.pack
check_rc 65 "a pack for the hub applied on another laptop: 65"
# Other columns: the laptop's program has one more column in a synced table.
c hub2.db sync checkout y.db --name Y
sqlite3 y.db "ALTER TABLE actions ADD COLUMN extra TEXT"
c y.db import actions "$D/import-actions.csv"
c y.db sync pack y.pack
digest hub2.db >hub2-digest
c hub2.db sync apply y.pack
check_rc 65 "a pack from a program whose synced tables have other columns: 65"
check_err_has "with schema $(sqlite3 hub2.db "PRAGMA user_version") (columns" "... names both versions"
unchanged "... and changes nothing" hub2.db hub2-digest

# Revoked key.
c hub2.db sync revoke X
check_rc 0 "sync revoke"
digest hub2.db >hub2-digest
c hub2.db sync apply x.pack
check_rc 65 "a pack from a revoked laptop: 65"
check_err_has "revoked" "... says the key was revoked"
c hub2.db sync pack xr.pack --for X
check_rc 65 "no pack is made for a revoked laptop"
unchanged "the revoked laptop's pack changed nothing" hub2.db hub2-digest
digest x.db >x-digest
c x.db sync with hub2.db
check_rc 65 "sync with from the revoked laptop copy: 65"
check_err_has "revoked" "... says the key was revoked"
unchanged "... the hub is unchanged" hub2.db hub2-digest
unchanged "... and so is the laptop copy" x.db x-digest

# A hub's file copied (cp): the copy has the hub's identity, device id and keys, byte for byte,
# so a pack made before the two part applies on both (nothing can tell them apart). Once each has
# changes of its own and the laptop has synced with one, the laptop's packs are refused on the
# other (it acknowledges changes that are not the other's), and the other's packs on the laptop
# (their changes are not the ones the laptop applied); so is a hub put back from a backup.
c hub3.db import referrals "$D/import-referrals.csv"
c hub3.db sync checkout z.db --name Z
cp hub3.db hub3-copy.db
edit "$D/import-referrals.csv" z1.csv R-2023-001 summary "Z's first"
c z.db import referrals z1.csv
c z.db sync pack z1.pack
c hub3.db sync apply z1.pack
check_rc 0 "a copied hub: the laptop's pack applies on the hub"
c hub3-copy.db sync apply z1.pack
check_rc 0 "... and, made before the two parted, on the copy too (a byte-identical file)"
edit "$D/import-referrals.csv" h3.csv R-2023-002 summary "the hub's"
edit "$D/import-referrals.csv" hc.csv R-2023-003 summary "the copy's"
c hub3.db import referrals h3.csv
c hub3-copy.db import referrals hc.csv
c z.db sync with hub3.db
check_rc 0 "the laptop syncs with its hub"
edit "$D/import-referrals.csv" z2.csv R-2023-001 summary "Z's second"
c z.db import referrals z2.csv
c z.db sync pack z2.pack
digest hub3-copy.db >copy-digest
c hub3-copy.db sync apply z2.pack
check_rc 65 "the laptop's next pack on the copy: 65"
check_err_has "Z has applied changes up to 2 of another database with this one's identity" \
    "... says the laptop syncs with another database of its identity"
unchanged "... and changes nothing" hub3-copy.db copy-digest
c hub3.db sync apply z2.pack
check_rc 0 "... while its hub applies it"
c hub3-copy.db sync pack c.pack --for Z
digest z.db >z-digest
c z.db sync apply c.pack
check_rc 65 "the copy's pack on the laptop: 65"
check_err_has "it comes from another database with hub's identity" "... says so"
unchanged "... and changes nothing" z.db z-digest
check_true "... the copy's change never reached the laptop as if applied" test \
    "$(field z.db R-2023-003 summary)" != "the copy's"
c hub3.db backup hub3-bak.db
edit "$D/import-referrals.csv" h4.csv R-2023-002 summary "the hub's again"
c hub3.db import referrals h4.csv
c z.db sync with hub3.db
check_rc 0 "the laptop syncs with its hub again"
c z.db sync with hub3-bak.db
check_rc 65 "... then with the hub's backup put back: 65"
c z.db sync with hub3.db
check_rc 0 "... and with its hub still"
same "... the laptop and its hub hold the same" hub3.db z.db

# Disk full: a pack never lands half-written under its name.
FULL=""
mkdir -p full
if mount -t tmpfs -o size=256k tmpfs full 2>/dev/null; then
    FULL=full
    dd if=/dev/zero of=full/filler bs=4k count=1000 2>/dev/null
    run --db hub.db $AS sync pack full/r.pack --for L2
    check_rc 74 "a full disk while writing a pack: 74"
    check_err_has "No space left on device" "... says the disk is full"
    check_true "... and leaves nothing under the pack's name or a temporary one" \
        test -z "$(ls full | grep -v filler)"
    # An older pack under that name (packs are cumulative: a new one replaces it) stays whole.
    rm full/filler
    cp r1.pack full/r.pack
    dd if=/dev/zero of=full/filler bs=4k count=1000 2>/dev/null
    run --db hub.db $AS sync pack full/r.pack --for L2
    check_rc 74 "a full disk while replacing an older pack: 74"
    check_true "... the older pack is left whole under its name, and no temporary file" sh -c \
        "cmp -s r1.pack full/r.pack && [ \$(ls full | grep -cv filler) -eq 1 ]"
    umount full
else
    # Not allowed to mount: a file size limit makes the write fail the same way.
    (trap '' XFSZ; ulimit -f 4; "$CASELOAD" --db hub.db $AS sync pack full/r.pack --for L2 \
        >"$OUT" 2>"$ERR")
    RC=$?
    check_rc 74 "a write that fails while writing a pack: 74"
    check_true "... leaves nothing under the pack's name" test -z "$(ls full)"
fi

# ---- resolving ----
ID=$(sqlite3 -readonly hub.db "SELECT id FROM conflicts WHERE field = 'summary' LIMIT 1")
c l2.db sync resolve "$ID" take
check_rc 0 "sync resolve ID take on the laptop"
check_true "... takes the laptop's value" test "$(field l2.db R-2023-001 summary)" = "laptop summary"
c l2.db sync resolve "$ID" keep
check_rc 65 "a conflict already resolved: 65"
c l2.db sync resolve 12345 keep
check_rc 65 "no such conflict: 65"
c l2.db sync resolve "$ID" drop
check_rc 2 "an unknown resolution: 2"
c l2.db sync with hub.db
check_rc 0 "sync with OTHER does both directions"
check_out_has "hub: applied" "... the laptop's pack on the hub"
check_out_has "laptop: applied" "... and the hub's on the laptop"
check_true "the decision travelled to the hub" test "$(field hub.db R-2023-001 summary)" = "laptop summary"
c hub.db sync conflicts
check_out_has "(no open conflicts)" "no open conflict is left"
c hub.db sync conflicts --all --format json
check_true "--all lists the resolved one" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["state"] for x in d] == ["resolved"], d' "$OUT"
check_true "the resolution is audited" test "$(sqlite3 -readonly hub.db \
    "SELECT count(*) FROM audit WHERE action = 'resolve'")" = 1
same "after sync with the copies are identical" hub.db l2.db
# The hub's pack in that sync with was new to the laptop: the next sync with brings the hub no
# change, only the laptop's acknowledgement of it, and says so (not "applied 0 changes").
SEEN=$(sqlite3 -readonly l2.db "SELECT applied FROM sync_peers WHERE name = 'hub'")
c l2.db sync with hub.db
check_rc 0 "sync with again"
check_true "... says the hub recorded the laptop's acknowledgement, and that nothing came" grep -qx \
    "hub: nothing new from L2; recorded that L2 has applied this copy's changes up to change $SEEN" "$OUT"
check_true "... and that nothing came back" grep -qx "laptop: nothing new from hub" "$OUT"
check_true "... the acknowledgement is recorded" test "$(sqlite3 -readonly hub.db \
    "SELECT acked FROM sync_peers WHERE name = 'L2'")" = "$SEEN"
c l2.db sync with hub.db
check_true "... a third time nothing is new on either side" sh -c "grep -qx 'hub: nothing new from L2' '$OUT' &&
    grep -qx 'laptop: nothing new from hub' '$OUT'"
same "... and the copies are still identical" hub.db l2.db

# ---- three copies: two laptops change one field; a duplicate ref ----
c hub.db sync pack r3.pack --for L3
c l3.db sync apply r3.pack
edit "$D/import-referrals.csv" a.csv R-2024-004 summary "from L2"
edit "$D/import-referrals.csv" b.csv R-2024-004 summary "from L3"
c l2.db import referrals a.csv
c l3.db import referrals b.csv
# The same new ref on both laptops.
python3 - "$D/import-referrals.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
r = list(rows[1])
r[0] = "R-2024-900"
csv.writer(open("dup2.csv", "w", newline="", encoding="utf-8")).writerows([rows[0], r])
PY
edit dup2.csv dup3.csv R-2024-900 summary "made on L3"
c l2.db import referrals dup2.csv
c l3.db import referrals dup3.csv
c l2.db sync with hub.db
check_rc 0 "L2 syncs first"
check_true "the hub takes L2's value (it had not changed it)" \
    test "$(field hub.db R-2024-004 summary)" = "from L2"
c l3.db sync with hub.db
check_rc 0 "then L3"
check_true "L3's clash with L2's value: the hub keeps its own" \
    test "$(field hub.db R-2024-004 summary)" = "from L2"
c hub.db sync conflicts --format json
check_true "a field conflict naming L3 and a duplicate for the ref made twice" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
kinds = sorted((x["kind"], x["field"], x["laptop_name"]) for x in d)
assert kinds == [("duplicate", "ref", "L3"), ("field", "summary", "L3")], kinds
dup = [x for x in d if x["kind"] == "duplicate"][0]
assert dup["hub"] == "R-2024-900" and dup["laptop"] == "R-2024-900-L3", dup' "$OUT"
check_true "both rows of the duplicate are kept" test "$(sqlite3 -readonly hub.db \
    "SELECT count(*) FROM referrals WHERE ref LIKE 'R-2024-900%'")" = 2
c l2.db sync with hub.db
c l3.db sync with hub.db
same "three copies converge: L2 and the hub" hub.db l2.db
same "three copies converge: L3 and the hub" hub.db l3.db
DUP=$(sqlite3 -readonly hub.db "SELECT id FROM conflicts WHERE kind = 'duplicate'")
c l3.db sync resolve "$DUP" take
check_rc 65 "a duplicate's key cannot be taken: 65"
c l3.db sync resolve "$DUP" set R-2024-901
check_rc 0 "a duplicate resolved with a key of its own"
c l3.db sync with hub.db
check_true "the new key travelled" test "$(sqlite3 -readonly hub.db \
    "SELECT count(*) FROM referrals WHERE ref = 'R-2024-901'")" = 1
c hub.db sync status --format json
check_true "the hub's status lists both laptops and the open conflict" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["role"] == "hub" and [p["name"] for p in d["peers"]] == ["L2", "L3"], d
assert d["conflicts"] == 1 and all(p["last_sync"] for p in d["peers"]), d' "$OUT"

# ---- a row deleted on one side, changed or given a new row on the other ----
# caseload deletes synced rows only when it resolves a conflict or purges a child; here the sqlite3
# shell deletes referrals in a session and logs the change as caseload logs one of its own
# (logged_delete, lib.sh).
c l2.db sync with hub.db
python3 - "$D/import-referrals.csv" <<'PY2'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
h, r = rows[0], rows[1]
def out(name, body):
    csv.writer(open(name, "w", newline="", encoding="utf-8")).writerows(body)
def ref(n, **cells):
    x = list(r)
    x[0] = "R-2024-%d" % n
    for k, v in cells.items():
        x[h.index(k)] = v
    return x
out("del-new.csv", [h] + [ref(n) for n in (950, 951, 952, 953)])
out("del-950.csv", [h, ref(950, summary="edited on the laptop")])
out("del-953.csv", [h, ref(953, summary="edited on the hub")])
a = ["ref", "date", "officer", "kind", "note", "follow_up"]
out("del-951-action.csv", [a, ["R-2024-951", "2024-01-20", "AB", "call", "on the laptop", ""]])
out("del-952-action.csv", [a, ["R-2024-952", "2024-01-21", "AB", "call", "on the hub", ""]])
PY2
c hub.db import referrals del-new.csv
c l2.db sync with hub.db
c l2.db import referrals del-950.csv
c l2.db import actions del-951-action.csv
c hub.db import actions del-952-action.csv
c hub.db import referrals del-953.csv
logged_delete hub.db R-2024-950
logged_delete hub.db R-2024-951
logged_delete l2.db R-2024-952
logged_delete l2.db R-2024-953
c l2.db sync pack del.pack
c hub.db sync apply del.pack
check_rc 0 "rows deleted on one side and changed on the other: the pack applies"
check_true "an edit against a row the hub deleted: the row is kept, with the laptop's edit" \
    test "$(field hub.db R-2024-950 summary)" = "edited on the laptop"
check_true "an action added to a referral the hub deleted: both are kept" test "$(sqlite3 -readonly \
    hub.db "SELECT count(*) FROM actions a JOIN referrals r ON r.id = a.referral_id
            WHERE r.ref = 'R-2024-951' AND a.note = 'on the laptop'")" = 1
check_true "a referral the laptop deleted while the hub added an action to it: both are kept" \
    test "$(sqlite3 -readonly hub.db "SELECT count(*) FROM actions a JOIN referrals r
            ON r.id = a.referral_id WHERE r.ref = 'R-2024-952' AND a.note = 'on the hub'")" = 1
check_true "a referral the laptop deleted while the hub edited it: kept with the hub's edit" \
    test "$(field hub.db R-2024-953 summary)" = "edited on the hub"
check_true "... each a conflict for a person to decide" test "$(sqlite3 -readonly hub.db \
    "SELECT group_concat(c.kind || ' ' || r.ref, ', ') FROM (SELECT * FROM conflicts
     WHERE state = 'open' AND tbl = 'referrals' ORDER BY row_id) c
     JOIN referrals r ON r.id = c.row_id WHERE r.ref LIKE 'R-2024-95_'")" = \
    "edit_vs_delete R-2024-950, edit_vs_delete R-2024-951, delete_vs_edit R-2024-952, delete_vs_edit R-2024-953"
c hub.db sync pack del-reply.pack --for L2
c l2.db sync apply del-reply.pack
check_rc 0 "the laptop applies the hub's reply"
same "... and the two copies are identical again, the kept rows included" hub.db l2.db
ID=$(sqlite3 -readonly hub.db "SELECT c.id FROM conflicts c JOIN referrals r ON r.id = c.row_id
    WHERE c.tbl = 'referrals' AND r.ref = 'R-2024-950'")
c hub.db sync resolve "$ID" keep
check_rc 0 "an edit against the hub's delete resolved with keep"
check_true "... deletes the row as the hub did" test -z "$(field hub.db R-2024-950 summary)"
c l2.db sync with hub.db
same "... on both copies" hub.db l2.db

# ---- kill -9 during an apply: as before or as after ----
python3 - "$D/import-referrals.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
h, r = rows[0], rows[1]
out = [h]
for i in range(1000):
    x = list(r)
    x[0] = "R-2025-%05d" % i
    x[h.index("upn")] = ""
    x[h.index("la_child_id")] = "LA-K%05d" % i
    out.append(x)
csv.writer(open("many.csv", "w", newline="", encoding="utf-8")).writerows(out)
PY
c l2.db import referrals many.csv
c l2.db sync pack big.pack
counts() { # DB: rows of every synced table and the marks of L2
    for t in $TABLES; do sqlite3 -readonly "$1" "SELECT '$t', count(*) FROM $t"; done
    sqlite3 -readonly "$1" "SELECT acked, applied FROM sync_peers WHERE name = 'L2'"
}
cp hub.db ref.db
c ref.db sync apply big.pack
counts ref.db >after-big
counts hub.db >before-big
c ref.db check
check_rc 0 "after an apply every derived table agrees with the facts (caseload check)"
# Killed early (in the facts) and later (the facts committed, their search text being folded in
# transactions of its own): as before or as after, and the next caseload folds what was left.
cp hub.db hub-late.db
for kill in "0.3 hub.db" "0.7 hub-late.db"; do
    set -- $kill
    "$CASELOAD" --db "$2" $AS sync apply big.pack >/dev/null 2>&1 &
    pid=$!
    sleep "$1"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    counts "$2" >killed
    if cmp -s killed before-big || cmp -s killed after-big; then t_ok "kill -9 during sync apply after $1 s: as before or as after"; else
        t_notok "kill -9 during sync apply after $1 s: as before or as after" "$(diff before-big killed)"
    fi
    check_true "... and sound" test "$(sqlite3 "$2" 'PRAGMA integrity_check')" = ok
    rm -f probe.db
    sqlite3 "$2" ".backup probe.db"
    c probe.db list --search R-2025 >/dev/null
    c probe.db check
    check_rc 0 "... and once a caseload has searched, every derived table agrees with the facts"
done
c hub-late.db sync apply big.pack
check_rc 0 "the pack applies after the later kill (or says nothing new)"
counts hub-late.db >now
check_true "... to the same result" cmp now after-big
c hub.db sync apply big.pack
check_rc 0 "the pack applies after the kill (or says nothing new)"
counts hub.db >now
check_true "... to the same result" cmp now after-big

# ---- a purged child never comes back ----
rm -f hub.db-wal hub.db-shm
sqlite3 hub.db "INSERT INTO tombstones(id, tbl, row_key, rule, officer, on_date, reason)
    SELECT 99, 'children', child_id, 'request', 'AB', '2024-02-01', 'test'
    FROM referrals WHERE ref = 'R-2024-004'"
BEFORE=$(field hub.db R-2024-004 summary)
edit "$D/import-referrals.csv" t.csv R-2024-004 summary "edited after the purge"
c l2.db import referrals t.csv
c l2.db sync with hub.db
check_rc 0 "a laptop's edit of a purged child's referral is applied"
check_true "... and does not bring the child's data back" \
    test "$(field hub.db R-2024-004 summary)" = "$BEFORE"

# ---- a laptop copy made after others synced: the hub's "sync_applied_at NAME" keys ----
# VACUUM INTO copies the hub's meta table, so a new laptop copy holds the hub's key
# "sync_applied_at NAME" of every laptop that synced before (when that laptop's change at the hub's
# applied mark was made: the guard against applying packs of a copied or restored database,
# sync_pack_marks_check). It is harmless: a laptop's one peer is named "hub" (no laptop may be),
# and a copy reads only the key of the peer a pack comes from or goes to, so the inherited keys
# are never read; the key the laptop does read, "sync_applied_at hub", is written at checkout.
# Pinned here: the new laptop holds the inherited key, altered it changes nothing (both laptops
# sync both ways and all three copies end the same), while its own hub key is the live guard.
meta() { sqlite3 -readonly "$1" "SELECT value FROM meta WHERE key = '$2'"; }
c i9.db import referrals "$D/import-referrals.csv"
c i9.db sync checkout ia.db --name IA
edit --only "$D/import-referrals.csv" t.csv R-2023-001 summary "IA's words"
c ia.db import referrals t.csv
c ia.db sync with i9.db
check_true "the hub notes when IA's last applied change was made" test -n "$(meta i9.db 'sync_applied_at IA')"
c i9.db sync checkout ib.db --name IB
check_true "a laptop copy made after holds the hub's key of IA" \
    test "$(meta ib.db 'sync_applied_at IA')" = "$(meta i9.db 'sync_applied_at IA')"
check_true "... and its own of the hub" test -n "$(meta ib.db 'sync_applied_at hub')"
sqlite3 ib.db "UPDATE meta SET value = '2001-01-01T00:00:00.000Z' WHERE key = 'sync_applied_at IA'"
edit --only "$D/import-referrals.csv" t.csv R-2023-002 summary "IB's words"
c ib.db import referrals t.csv
edit --only "$D/import-referrals.csv" t.csv R-2023-003 summary "the hub's words"
c i9.db import referrals t.csv
c ib.db sync with i9.db
check_rc 0 "the new laptop syncs both ways, its inherited key of IA altered"
c ia.db sync with i9.db
check_rc 0 "... so does IA"
c ib.db sync with i9.db
check_rc 0 "... and the new laptop again"
same "... the hub and the new laptop are the same" i9.db ib.db
same "... the hub and IA are the same" i9.db ia.db
check_true "... each holding all three changes" test \
    "$(field ib.db R-2023-001 summary)|$(field ib.db R-2023-002 summary)|$(field ia.db R-2023-003 summary)" = \
    "IA's words|IB's words|the hub's words"
HUBAT=$(meta ib.db 'sync_applied_at hub')
sqlite3 ib.db "UPDATE meta SET value = '2001-01-01T00:00:00.000Z' WHERE key = 'sync_applied_at hub'"
edit --only "$D/import-referrals.csv" t.csv R-2023-003 summary "the hub again"
c i9.db import referrals t.csv
c i9.db sync pack ib.pack --for IB
c ib.db sync apply ib.pack
check_rc 65 "the key the laptop does read (of the hub) is the live guard: altered, the hub's pack is refused"
check_err_has "comes from another database with hub's identity" "... as from a copy of the hub's file"
sqlite3 ib.db "UPDATE meta SET value = '$HUBAT' WHERE key = 'sync_applied_at hub'"
c ib.db sync apply ib.pack
check_rc 0 "... put back, the pack applies"

finish
