#!/usr/bin/env python3
"""Fills a caseload database (already created and migrated by `caseload`) with a small fixed caseload
for the list and screen tests: 30 children, 45 referrals over every issue type, actions with follow-ups
(some overdue as of 2022-03-01), outcomes, exclusions, attendance, episodes, a UTF-8 name and a name
holding terminal escape sequences.

usage: make_fixture.py DATABASE
"""
import sqlite3
import sys

ISSUES = ['attendance', 'cme', 'exclusion', 'admissions', 'sen', 'reduced_timetable', 'managed_move',
          'ehe', 'neet', 'other']
FIRST = ['Amara', 'Ben', 'Chloe', 'Dylan', 'Ella', 'Finn', 'Grace', 'Harry', 'Isla', 'Jack', 'Kian',
         'Lily', 'Mia', 'Noah', 'Olivia', 'Priya', 'Quinn', 'Ruby', 'Sam', 'Tia', 'Umar', 'Vera',
         'Will', 'Xena', 'Yusuf', 'Zara', 'Aled', 'Bethan', 'Cerys', 'Dafydd']
LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel',
        'Wright', 'Evans', 'Thomas', 'Roberts', 'Khan', 'Walker', 'White', 'Green', 'Hall', 'Wood',
        'Clarke']
SCHOOLS = [('100001', 'Oakfield Primary'), ('100002', 'Riverside Academy'),
           ('100003', 'St Mary\'s CE School'), ('100004', 'Hillcrest High'), (None, 'Brook PRU')]
CARE = ['cin', 'cp', 'cla', 'plac', 'ever6']
SEN = ['none', 'sen_support', 'ehcp', 'ehcp_in_progress']
SOURCES = ['social_worker', 'school', 'other_professional', 'parent_carer', 'self', 'other']
OFFICERS = [('AB', 'Alex Brown'), ('CD', 'Chris Day'), ('EF', 'Eve Ford')]
LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'
LONG_SUMMARY = ('Referral 1 about attendance; school worried that attendance has fallen every week since '
                'the October half term and that the child is often sent home early\nAgreed: weekly call')


def upn(n):
    body = '8012000%05d' % n  # 12 digits: characters 2-13
    total = sum(int(ch) * (p + 2) for p, ch in enumerate(body))
    return LETTERS[total % 23] + body


def main():
    db = sqlite3.connect(sys.argv[1])
    c = db.cursor()
    for i, (ini, name) in enumerate(OFFICERS, 1):
        c.execute('INSERT INTO officers(id, initials, name) VALUES (?,?,?)', (i, ini, name))
    for i, (urn, name) in enumerate(SCHOOLS, 1):
        c.execute('INSERT INTO schools(id, urn, name) VALUES (?,?,?)', (i, urn, name))
    for i in range(1, 31):
        first, last = FIRST[i - 1], LAST[(i * 7) % len(LAST)]
        if i == 7:
            first, last = 'Zoë', 'Ødegård'
        if i == 13:
            first, last = 'Evil\x1b[31m', 'Name\x07\x1b]0;pwned\x07'
        dob = '%04d-%02d-%02d' % (2005 + i % 12, 1 + (i * 5) % 12, 1 + (i * 3) % 28)
        c.execute('INSERT INTO children(id, upn, la_child_id, first_name, last_name, dob, gender, '
                  'school_id, care_status, sen, sen_need, youth_justice) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                  (i, upn(i) if i % 6 else None, 'LA%04d' % i, first, last, dob,
                   ['female', 'male'][i % 2], 1 + i % 5, CARE[i % 5], SEN[i % 4],
                   'SEMH' if i % 4 else None, 1 if i % 9 == 0 else 0))
    # A near-duplicate pair for the new-referral form: same dob, similar name.
    c.execute("INSERT INTO children(id, upn, la_child_id, first_name, last_name, dob, gender, school_id, "
              "care_status, sen) VALUES (31, ?, 'LA0031', 'Jon', 'Smyth', '2014-05-05', 'male', 2, "
              "'cin', 'none')", (upn(31),))
    rid = 0
    for k in range(45):
        rid += 1
        child = 1 + (k * 11) % 31
        issue = ISSUES[k % 10] if k < 40 else 'attendance'
        status = ['new', 'open', 'open', 'closed'][k % 4]
        received = '2021-%02d-%02d' % (9 + k % 4, 1 + (k * 7) % 28)
        closed = '2022-02-%02d' % (1 + k % 20) if status == 'closed' else None
        c.execute('INSERT INTO referrals(id, ref, child_id, received, source, issue, other_issues, '
                  'pex_risk, status, closed, officer_id, care_status, sen, summary) '
                  'VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                  (rid, 'R21-%03d' % rid, child, received, SOURCES[k % 6], issue,
                   'sen' if k % 7 == 0 else '', 1 if k % 5 == 0 else 0, status, closed,
                   None if k % 8 == 7 else 1 + k % 3, CARE[child % 5], SEN[child % 4],
                   LONG_SUMMARY if rid == 1 else 'Referral %d about %s; school worried' % (rid, issue)))
        for a in range(k % 3):
            fu = '2022-%02d-%02d' % (2 + (k + a) % 3, 1 + (k * 3 + a) % 27)
            c.execute('INSERT INTO actions(id, referral_id, date, officer_id, kind, note, follow_up) '
                      'VALUES (?,?,?,?,?,?,?)',
                      (rid * 10 + a, rid, '2021-12-%02d' % (1 + a * 5 + k % 5), 1 + a % 3,
                       ['call', 'email', 'meeting'][a], 'Spoke to school (%d)' % a, fu))
        if status == 'closed':
            c.execute('INSERT INTO outcomes(id, referral_id, date, outcome, note) VALUES (?,?,?,?,?)',
                      (rid, rid, closed, ['exclusion_avoided', 'placed_on_roll', 'attendance_improved',
                                          'no_further_action'][k % 4], 'Closed after review'))
    for i in range(1, 31, 3):
        c.execute("INSERT INTO exclusions(id, child_id, start, category, days, reason, school_id) "
                  "VALUES (?,?,?,?,?,?,?)", (i, i, '2021-11-%02d' % (1 + i % 27),
                                             'permanent' if i == 10 else 'suspension', 2.5, 'PP', 1 + i % 5))
        c.execute("INSERT INTO exclusions(id, child_id, start, category, days, reason, school_id) "
                  "VALUES (?,?,?,?,?,?,?)", (100 + i, i, '2022-01-%02d' % (1 + i % 27), 'suspension',
                                             1, 'VA', 1 + i % 5))
    for i in range(1, 31, 2):
        c.execute('INSERT INTO attendance(id, child_id, from_date, to_date, possible, attended) '
                  'VALUES (?,?,?,?,?,?)', (i, i, '2021-09-01', '2021-12-17', 140, 40 + (i * 9) % 100))
    for i in range(2, 31, 4):
        kind = ['cme', 'part_time', 'ehe', 'alternative_provision'][i % 4 if i % 4 else 0]
        kind = ['cme', 'part_time', 'ehe', 'alternative_provision'][(i // 4) % 4]
        c.execute('INSERT INTO episodes(id, child_id, kind, start, end_date, hours_per_week, in_county) '
                  'VALUES (?,?,?,?,?,?,?)', (i, i, kind, '2021-10-%02d' % (1 + i % 27),
                                             None if i % 8 == 2 else '2022-01-10', 15 if kind == 'part_time'
                                             else None, 1))
    c.execute("DELETE FROM meta WHERE key LIKE 'scores%'")  # make caseload recompute the scores
    db.commit()


main()
