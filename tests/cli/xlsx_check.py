#!/usr/bin/python3
"""xlsx_check.py: what the xlsx tests ask of a workbook, through openpyxl (python3-openpyxl).

  xlsx_check.py cells FILE.xlsx COLUMN=TYPE...   prints one line per check that fails: the header
      row is frozen, no cell holds a formula, and every non-empty cell of COLUMN has TYPE
      (s: text, n: number, d: date)
  xlsx_check.py value FILE.xlsx COLUMN ROWVALUE  prints the cell type and the value of COLUMN in
      the row whose first cell is ROWVALUE
  xlsx_check.py csv FILE.xlsx OUT.csv             saves the sheet the way a spreadsheet saves
      "CSV UTF-8": a byte order mark, CRLF, fields quoted only when needed, dates as shown by
      their number format (yyyy-mm-dd), whole numbers without a decimal point
"""
import csv
import datetime
import sys

import openpyxl


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


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    if cmd == "cells":
        if ws.freeze_panes != "A2":
            print("header row not frozen: freeze_panes is %r" % ws.freeze_panes)
        want = dict(a.split("=") for a in sys.argv[3:])
        for row in rows:
            for c in row:
                if c.data_type == "f":
                    print("formula in %s: %r" % (c.coordinate, c.value))
        for col, t in want.items():
            i = header.index(col)
            for row in rows[1:]:
                c = row[i]
                if c.value is not None and c.data_type != t:
                    print("%s: %r is %s, not %s" % (c.coordinate, c.value, c.data_type, t))
    elif cmd == "value":
        i = header.index(sys.argv[3])
        for row in rows[1:]:
            if shown(row[0]) == sys.argv[4]:
                print("%s %s" % (row[i].data_type, row[i].value))
    elif cmd == "csv":
        with open(sys.argv[3], "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            for row in rows:
                w.writerow([shown(c) for c in row])


main()
