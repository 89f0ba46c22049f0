#!/usr/bin/env python3
"""Writes a copy of a CSV file with some cells changed (for the tests that change rows through
import, such as the sync tests: a change made with the sqlite3 shell is never captured).

usage: csv_edit.py [--only] IN OUT KEY COLUMN VALUE [KEY COLUMN VALUE...]
KEY is the value of a row's first column (a referral's ref); COLUMN a header name. With --only,
OUT holds the header and the rows named only (as named before the change: a key may change).
"""
import csv
import sys

args = sys.argv[1:]
only = args[:1] == ["--only"]
if only:
    args = args[1:]
src, dst, rest = args[0], args[1], args[2:]
rows = list(csv.reader(open(src, newline="", encoding="utf-8")))
h = rows[0]
named = set(id(r) for r in rows[1:] if r[0] in set(rest[0::3]))
for i in range(0, len(rest), 3):
    key, col, val = rest[i:i + 3]
    for r in rows[1:]:
        if r[0] == key:
            r[h.index(col)] = val
if only:
    rows = [h] + [r for r in rows[1:] if id(r) in named]
csv.writer(open(dst, "w", newline="", encoding="utf-8")).writerows(rows)
