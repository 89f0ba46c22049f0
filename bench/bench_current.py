#!/usr/bin/env python3
"""bench_current: what the corrections' NOT EXISTS (migration 0015: an action or outcome is current
when no row supersedes it) costs the queries that read actions and outcomes, on a database of your
choice (a big one: `caseload demo --children 250000`, about 1,000,000 referrals and their actions).

Each query is run as the app runs it and again with the NOT EXISTS taken out, alternately, for the
same referrals (a quarter those with the most actions, the rest a random sample, each read once
first so that both find its pages in the cache), through the same SQLite
library the program links (Python's sqlite3 module uses the system's); medians and the worst, in
microseconds (median and 90th percentile), and the query plans, so that each NOT EXISTS is seen to be answered by the partial
index actions_supersedes / outcomes_supersedes (one probe per row, no scan).

  - the referral screen's timeline (browse_timeline: its own NOT EXISTS, withdrawn ones shown);
  - the corrections' and follow-ups' lists (browse_entries, browse_follow_ups_pending, through
    actions_current and outcomes_current);
  - the next follow-up of one referral (referral_follow_up_source: the derived table's source,
    run by the triggers when an action is added; `list` itself reads only the derived table
    referral_follow_up, never the views: its plan is printed to show it).

usage: bench/bench_current.py DATABASE [N] [--as-of YYYY-MM-DD]
The database is opened read-only; nothing is written.
"""
import argparse
import random
import sqlite3
import statistics
import time

NE_ACTIONS = "WHERE NOT EXISTS (SELECT 1 FROM actions n WHERE n.supersedes = a.id) "
NE_OUTCOMES = "WHERE NOT EXISTS (SELECT 1 FROM outcomes n WHERE n.supersedes = u.id) "

# browse_timeline's statement (src/store/detail.c, EVENTS_SQL with the CTEs of browse_timeline),
# its correction columns left out (the same with or without the NOT EXISTS).
TIMELINE = (
    "WITH refs AS (SELECT id, ref, received, source, closed, child_id FROM referrals WHERE id = ?1), "
    "kid AS (SELECT child_id FROM refs) "
    "SELECT * FROM (SELECT received AS ev_date, 0 AS ev_kind, '' AS officer, source AS code, "
    "'' AS text, '' AS extra, id AS ev_id, ref AS ref, id AS referral_id FROM refs "
    "UNION ALL SELECT closed, 6, '', '', '', '', id, ref, id FROM refs WHERE closed IS NOT NULL "
    "UNION ALL SELECT p.closed, 6, '', '', '', '', p.id, refs.ref, refs.id FROM refs "
    "CROSS JOIN reopenings p ON p.referral_id = refs.id WHERE p.closed IS NOT NULL "
    "UNION ALL SELECT p.date, 7, coalesce(o.initials, ''), '', p.reason, coalesce(p.closed, ''), "
    "p.id, refs.ref, refs.id FROM refs CROSS JOIN reopenings p ON p.referral_id = refs.id "
    "LEFT JOIN officers o ON o.id = p.officer_id "
    "UNION ALL SELECT a.date, 1, coalesce(o.initials, ''), a.kind, a.note, "
    "CASE WHEN a.withdrawn THEN '' ELSE coalesce(a.follow_up || coalesce(', done ' || "
    "(SELECT min(d.date) FROM follow_up_done d WHERE d.action_id = a.id), ''), '') END, "
    "a.id, refs.ref, refs.id FROM refs CROSS JOIN actions a ON a.referral_id = refs.id "
    "LEFT JOIN officers o ON o.id = a.officer_id " + NE_ACTIONS +
    "UNION ALL SELECT u.date, 2, '', u.outcome, u.note, '', u.id, refs.ref, refs.id FROM refs "
    "CROSS JOIN outcomes u ON u.referral_id = refs.id " + NE_OUTCOMES +
    "UNION ALL SELECT e.start, 3, '', e.category, '', coalesce(e.reason, ''), e.id, '', 0 "
    "FROM kid CROSS JOIN exclusions e ON e.child_id = kid.child_id "
    "UNION ALL SELECT t.to_date, 4, '', '', '', '', t.id, '', 0 FROM kid "
    "CROSS JOIN attendance t ON t.child_id = kid.child_id "
    "UNION ALL SELECT p.start, 5, '', p.kind, '', coalesce('until ' || p.end_date, 'open'), "
    "p.id, '', 0 FROM kid CROSS JOIN episodes p ON p.child_id = kid.child_id) "
    "ORDER BY ev_date DESC, ev_kind DESC, ev_id DESC LIMIT 300")

# browse_entries and browse_follow_ups_pending (src/store/detail.c) read the views.
ENTRIES = (
    "SELECT 0, a.id, a.date, a.kind, coalesce(o.initials, ''), substr(a.note, 1, 190), "
    "coalesce(a.follow_up, '') FROM {actions} a LEFT JOIN officers o ON o.id = a.officer_id "
    "WHERE a.referral_id = ?1 UNION ALL SELECT 1, c.id, c.date, c.outcome, '', "
    "substr(c.note, 1, 190), '' FROM {outcomes} c WHERE c.referral_id = ?1 "
    "ORDER BY 3 DESC, 2 DESC LIMIT 60")
PENDING = (
    "SELECT a.id, a.date, a.follow_up, a.kind, a.note FROM {actions} a "
    "JOIN referrals r ON r.id = a.referral_id "
    "WHERE a.referral_id = ?1 AND a.follow_up IS NOT NULL AND r.status <> 'closed' "
    "AND NOT EXISTS (SELECT 1 FROM follow_up_done d WHERE d.action_id = a.id) "
    "ORDER BY a.follow_up, a.id LIMIT 40")
# referral_follow_up_source (migration 0015) for one referral, as the triggers run it.
FOLLOW = (
    "SELECT a.referral_id AS id, min(a.follow_up) AS follow_up FROM {actions} a "
    "JOIN referrals r ON r.id = a.referral_id WHERE a.follow_up IS NOT NULL AND "
    "r.status <> 'closed' AND NOT EXISTS (SELECT 1 FROM follow_up_done d WHERE d.action_id = a.id) "
    "AND a.referral_id = ?1 GROUP BY a.referral_id")
# The views without their NOT EXISTS.
PLAIN_ACTIONS = "(SELECT * FROM actions WHERE withdrawn = 0)"
PLAIN_OUTCOMES = "(SELECT * FROM outcomes WHERE withdrawn = 0)"
# `list`'s first page (src/store/list_query.c, the default live filter, score order).
LIST = ("SELECT l.id FROM referral_list l WHERE l.status IN ('new', 'open') "
        "ORDER BY l.score DESC, l.id LIMIT 50")


def timed(db, sql, arg):
    t0 = time.perf_counter()
    db.execute(sql, (arg,)).fetchall()
    return (time.perf_counter() - t0) * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('database')
    ap.add_argument('n', nargs='?', type=int, default=400)
    a = ap.parse_args()
    db = sqlite3.connect('file:%s?mode=ro' % a.database, uri=True)
    print('SQLite %s; actions %d (superseding %d), outcomes %d (superseding %d)' % (
        sqlite3.sqlite_version,
        db.execute('SELECT count(*) FROM actions').fetchone()[0],
        db.execute('SELECT count(*) FROM actions WHERE supersedes IS NOT NULL').fetchone()[0],
        db.execute('SELECT count(*) FROM outcomes').fetchone()[0],
        db.execute('SELECT count(*) FROM outcomes WHERE supersedes IS NOT NULL').fetchone()[0]))
    busiest = [r[0] for r in db.execute(
        'SELECT referral_id FROM actions GROUP BY referral_id ORDER BY count(*) DESC LIMIT ?',
        (a.n // 4,))]
    lo, hi = db.execute('SELECT min(id), max(id) FROM referrals').fetchone()
    rng = random.Random(1)
    sample = busiest + [db.execute('SELECT id FROM referrals WHERE id >= ? ORDER BY id LIMIT 1',
                                   (rng.randint(lo, hi),)).fetchone()[0]
                        for _ in range(a.n - len(busiest))]
    for rid in sample:  # read once, so that both variants find the pages in the cache
        db.execute(TIMELINE, (rid,)).fetchall()
    cases = [
        ('timeline (opening a referral)', TIMELINE,
         TIMELINE.replace(NE_ACTIONS, '').replace(NE_OUTCOMES, '')),
        ('entries (amend/withdraw list)', ENTRIES.format(actions='actions_current',
                                                         outcomes='outcomes_current'),
         ENTRIES.format(actions=PLAIN_ACTIONS, outcomes=PLAIN_OUTCOMES)),
        ('pending follow-ups (d, a)', PENDING.format(actions='actions_current'),
         PENDING.format(actions=PLAIN_ACTIONS)),
        ('next follow-up (trigger)', FOLLOW.format(actions='actions_current'),
         FOLLOW.format(actions=PLAIN_ACTIONS)),
    ]
    print('%-32s %12s %12s %12s %12s %7s' % ('query (us per referral)', 'with median',
                                            'without med', 'with p90', 'without p90',
                                            'ratio'))
    for label, with_ne, without in cases:
        w, wo = [], []
        for rid in sample:  # alternately, the same referral each time
            w.append(timed(db, with_ne, rid))
            wo.append(timed(db, without, rid))
        mw, mwo = statistics.median(w), statistics.median(wo)
        p90 = lambda xs: statistics.quantiles(xs, n=10)[-1]
        print('%-32s %12.1f %12.1f %12.1f %12.1f %6.2fx' % (label, mw, mwo, p90(w), p90(wo),
                                                          mw / mwo if mwo else 0))
    print('\nquery plans (with the NOT EXISTS):')
    for label, with_ne, _ in cases:
        print('-- ' + label)
        for row in db.execute('EXPLAIN QUERY PLAN ' + with_ne, (1,)):
            if 'supersedes' in row[3] or ' n ' in row[3] or 'SCAN' in row[3]:
                print('   ' + row[3])
    print('-- list (first page)')
    for row in db.execute('EXPLAIN QUERY PLAN ' + LIST):
        print('   ' + row[3])
    return 0


raise SystemExit(main())
