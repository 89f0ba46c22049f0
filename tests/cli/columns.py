"""columns.py FILE HEADING TEXT: every line of FILE after the first shows TEXT at the display
column where the first line shows HEADING (columns as a terminal counts them: East Asian wide
characters 2, combining marks and other zero-width characters 0). Prints the lines that do not."""
import sys
import unicodedata


def width(s):
    w = 0
    for ch in s:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
want = width(lines[0][: lines[0].index(sys.argv[2])])
for line in lines[1:]:
    at = line.find(sys.argv[3])
    if at < 0 or width(line[:at]) != want:
        print("column %s, not %d: %s" % (width(line[:at]) if at >= 0 else "-", want, line))
