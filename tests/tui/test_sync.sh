#!/bin/sh
# Offline copies in the app (SPEC section 9): the status line counts the open conflicts ("N to
# review") while any wait for a person, and says nothing of them when there are none; a referral's
# screen marks every field it shows that has an open conflict, the child's fields too.
. "$SOURCE_ROOT/tests/tui/lib.sh"
fixture

app_start 80 24
wait_for "referrals"
screen_lacks "to review" "no conflict: the status line says nothing of them"
app_stop

sqlite3 -cmd ".timeout 10000" "$CASELOAD_DB" "INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop,
    laptop_name, at) SELECT 1, 'field', 'referrals', id, 'summary', 'was', 'hub text', 'laptop text',
    'L2', '2022-03-01T09:00:00.000Z' FROM referrals ORDER BY id LIMIT 1"
sqlite3 -cmd ".timeout 10000" "$CASELOAD_DB" "INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop,
    laptop_name, at, state) SELECT 2, 'field', 'referrals', id, 'status', 'new', 'open', 'closed',
    'L2', '2022-03-01T09:00:00.000Z', 'resolved' FROM referrals ORDER BY id LIMIT 1"
app_start 80 24
wait_for "referrals"
screen_has "1 to review" "one open conflict: the status line says 1 to review (resolved ones do not count)"
app_stop

# A referral screen marks the fields with an open conflict: every referral's summary and status.
sqlite3 -cmd ".timeout 10000" "$CASELOAD_DB" "INSERT INTO conflicts(id, kind, tbl, row_id, field,
    base, hub, laptop, laptop_name, at) SELECT id + 10, 'field', 'referrals', id, 'summary', 'was',
    'hub text', 'laptop text', 'L2', '2022-03-01T09:00:00.000Z' FROM referrals;
    INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at)
    SELECT id + 1000000, 'field', 'referrals', id, 'status', 'new', 'open', 'closed', 'L2',
    '2022-03-01T09:00:00.000Z' FROM referrals"
app_start 80 24
wait_for "referrals"
keys Enter
wait_for "Referral R-"
screen_has "Summary       ! open conflict (sync conflicts shows both values)" \
    "the referral screen marks the summary that has an open conflict"
capture
check_true "... and the status" grep -qE "^ *Status .*! open conflict" "$SCREEN"
check_true "a field with no conflict (the issue) is not marked" sh -c \
    "! grep -qE '^ *Issue .*! open conflict' '$SCREEN' && grep -qE '^ *Issue ' '$SCREEN'"
app_stop

# Every field the referral screen shows is marked, the child's too, and the referral itself when
# it was deleted on one copy and edited on the other.
sqlite3 -cmd ".timeout 10000" "$CASELOAD_DB" "INSERT INTO conflicts(id, kind, tbl, row_id, field,
    base, hub, laptop, laptop_name, at) SELECT id + 2000000, 'field', 'referrals', id, 'received',
    '2021-09-01', '2021-09-02', '2021-09-03', 'L2', '2022-03-01T09:00:00.000Z' FROM referrals;
    INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at)
    SELECT id + 3000000, 'field', 'children', id, 'care_status', 'cin', 'cp', 'cla', 'L2',
    '2022-03-01T09:00:00.000Z' FROM children;
    INSERT INTO conflicts(id, kind, tbl, row_id, field, base, hub, laptop, laptop_name, at)
    SELECT id + 4000000, 'delete_vs_edit', 'referrals', id, NULL, NULL, NULL, NULL, 'L2',
    '2022-03-01T09:00:00.000Z' FROM referrals"
app_start 100 40
wait_for "referrals"
keys Enter
wait_for "Referral R-"
capture
check_true "the referral's received date is marked" grep -qE "^ *Received .*! open conflict" "$SCREEN"
check_true "the child's care status is marked" grep -qE "^ *Care status .*! open conflict" "$SCREEN"
check_true "the referral deleted on one copy and edited on the other is marked at its heading" \
    grep -qE "^Referral [^ ]+  ! open conflict" "$SCREEN"
check_true "the child's name and date of birth (no conflict) are not" sh -c \
    "! grep -qE '^ *(Name|Date of birth) .*! open conflict' '$SCREEN' && grep -qE '^ *Date of birth ' '$SCREEN'"
keys v
wait_for "Referrals ("
capture
check_true "the child view marks the child's care status too" grep -qE "^ *Care status .*! open conflict" "$SCREEN"
app_stop

finish
