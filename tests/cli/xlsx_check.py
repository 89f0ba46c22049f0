#!/usr/bin/python3
"""xlsx_check.py: the checks of tests/cli/test_xlsx.sh on workbooks, through openpyxl
(python3-openpyxl), in one run (starting Python and openpyxl costs a second each time).

Reads commands from standard input, one per line, and prints one line per check:
"ok DESCRIPTION" or "not ok DESCRIPTION: what is wrong".
  cells FILE COLUMN=TYPE...       the header row is frozen, no cell holds a formula, and every
                                  non-empty cell of COLUMN has TYPE (s text, n number, d date)
  value FILE COLUMN ROW WANT DESC the cell of COLUMN in the first row whose first cell shows ROW is
                                  "TYPE VALUE" = WANT (fields separated by tabs)
  csv FILE OUT                    saves the first sheet as a spreadsheet saves "CSV UTF-8": a
                                  byte order mark, CRLF, fields quoted only when needed, dates as
                                  their number format shows them (yyyy-mm-dd), whole numbers
                                  without a decimal point
"""
import csv
import datetime
import os
import sys

import openpyxl

books = {}


def sheet(path):
    if path not in books:
        books[path] = list(openpyxl.load_workbook(path).worksheets[0].iter_rows())
    return books[path]


def shown(cell):
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        if cell.number_format.lower() != "yyyy-mm-dd":
            return v.isoformat()
        return v.strftime("%Y-%m-%d")
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def result(desc, problems):
    if problems:
        print("not ok %s: %s" % (desc, "; ".join(problems[:5])))
    else:
        print("ok %s" % desc)


def cells(path, *want):
    problems = []
    ws = openpyxl.load_workbook(path).worksheets[0]
    if ws.freeze_panes != "A2":
        problems.append("header row not frozen: freeze_panes is %r" % ws.freeze_panes)
    rows = sheet(path)
    header = [c.value for c in rows[0]]
    for row in rows:
        for c in row:
            if c.data_type == "f":
                problems.append("formula in %s: %r" % (c.coordinate, c.value))
    for w in want:
        col, t = w.split("=")
        if col not in header:
            problems.append("no column %s" % col)
            continue
        i = header.index(col)
        for row in rows[1:]:
            c = row[i]
            if c.value is not None and c.data_type != t:
                problems.append("%s: %r is %s, not %s" % (c.coordinate, c.value, c.data_type, t))
    result("%s: frozen header, no formula, cell types" % os.path.basename(path), problems)


def value(path, col, key, want, desc):
    rows = sheet(path)
    i = [c.value for c in rows[0]].index(col)
    got = ["%s %s" % (r[i].data_type, r[i].value) for r in rows[1:] if shown(r[0]) == key][:1]
    result(desc, [] if got == [want] else ["got %r, expected %r" % (got, want)])


def save_csv(path, out):
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        for row in sheet(path):
            w.writerow([shown(c) for c in row])


for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    if f[0] == "cells":
        cells(*f[1:])
    elif f[0] == "value":
        value(*f[1:])
    elif f[0] == "csv":
        save_csv(*f[1:])
sys.stdout.flush()
