#!/usr/bin/python3
"""publish_check.py REPORT THRESHOLD PLAIN.md PUBLISHED.md: tries to work out the figures a
published report (SPEC section 10) hides, as someone holding only the published report would, and
prints one line per figure it can work out ("leak: ..."), or nothing. Used by test_privacy.sh.

What it knows: every figure the md output shows (tables, Total rows, notes); that a hidden count
("c") is at least 1 (0 stays 0); and how the figures of each report add up:
- every table with a Total row: each count column adds up to it (the grand total included);
- every table with an All column: each row's counts add up to it;
- summary: each table of referrals by a code, and by month, adds up to the referrals received;
  the at-risk referrals by SEN status add up to the at-risk referrals;
- suspensions: each care status's children by number of suspensions add up to its children, and
  n times each of them to its suspensions;
- cme: the episodes in county, out of county and not recorded (a note) add up to all episodes.
A relation that does not hold in the unpublished report (e.g. a code outside the lists) is not
used. From the equations left once the shown figures are put in, a hidden figure is worked out
when linear algebra fixes it (its row of the reduced equations is that figure alone) or when the
bounds (each hidden count >= 1) pin it to one value. It also checks that no percentage or mean is
shown that is built on a hidden count (SPEC: "suppresses the percentages built on them")."""
import re
import sys
from fractions import Fraction


def parse_md(text):
    tables, notes, cur = [], [], None
    for line in text.splitlines():
        if line.startswith("## "):
            cur = {"title": line[3:], "cols": None, "rows": []}
            tables.append(cur)
        elif line.startswith("|") and cur is not None:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cur["cols"] is None:
                cur["cols"] = cells[1:]
            elif not set(line) <= set("|:- "):
                label = cells[0].replace("**", "")
                cur["rows"].append((label, cells[1:]))
        elif line.startswith("- "):
            notes.append(line[2:])
    return tables, notes


def figures(text):
    """{(table, row, column): cell text}, the tables (in order) and the notes."""
    tables, notes = parse_md(text)
    cells = {}
    for t in tables:
        for label, row in t["rows"]:
            for col, v in zip(t["cols"], row):
                cells[(t["title"], label, col)] = v
    return cells, tables, notes


def count_cols(t):
    """The columns of table t that hold counts (whole numbers or c in every row)."""
    out = []
    for i, col in enumerate(t["cols"]):
        vals = [row[i] for _, row in t["rows"]]
        if vals and "%" not in col and not col.startswith("Mean") and col != "School days" and all(
            re.fullmatch(r"\d+|c", v) for v in vals
        ):
            out.append(col)
    return out


def relations(report, tables, notes):
    """[(terms, why)]: each terms a list of (coefficient, key) adding up to 0."""
    rels = []
    by_title = {t["title"]: t for t in tables}
    for t in tables:
        rows = [label for label, _ in t["rows"]]
        counts = count_cols(t)
        if "Total" in rows:
            for col in counts:
                terms = [(1, (t["title"], r, col)) for r in rows if r != "Total"]
                rels.append((terms + [(-1, (t["title"], "Total", col))], "%s: %s adds up to its Total" % (t["title"], col)))
        if "All" in counts:
            for r in rows:
                terms = [(1, (t["title"], r, col)) for col in counts if col != "All"]
                rels.append((terms + [(-1, (t["title"], r, "All"))], "%s: row %s adds up to All" % (t["title"], r)))
    if report == "summary":
        total = ("Referrals received", "Referrals received", "Number")
        for t in tables:
            if t["title"].startswith("Referrals by") or t["title"] == "Referrals received per month":
                terms = [(1, (t["title"], r, "Referrals")) for r, _ in t["rows"]]
                rels.append((terms + [(-1, total)], "%s adds up to the referrals received" % t["title"]))
        sen = "At risk of permanent exclusion by SEN status (at referral)"
        if sen in by_title:
            at_risk = ("At risk of permanent exclusion", "Referrals at risk of permanent exclusion", "Referrals")
            rels.append(([(1, (sen, "Total", "At risk")), (-1, at_risk)], "at risk by SEN adds up to at risk"))
    if report == "suspensions":
        t1 = by_title.get("Suspensions by current care status")
        t2 = by_title.get("Children by number of suspensions in the period")
        if t1 and t2:
            statuses = [r for r, _ in t1["rows"] if r != "Total"]
            cols = [c for c in count_cols(t2) if c != "All"]
            for status, col in zip(statuses, cols):
                ns = [r for r, _ in t2["rows"] if r != "Total"]
                rels.append(([(1, (t2["title"], n, col)) for n in ns] + [(-1, (t1["title"], status, "Children"))],
                             "%s: children by number add up to its children" % status))
                rels.append(([(int(n), (t2["title"], n, col)) for n in ns] + [(-1, (t1["title"], status, "Suspensions"))],
                             "%s: n x children with n add up to its suspensions" % status))
            rels.append(([(1, (t2["title"], "Total", "All")), (-1, (t1["title"], "Total", "Children"))],
                         "all children by number add up to all children"))
    if report == "cme":
        t = "CME episodes ended in the period"
        rels.append(([(1, (t, "In county", "Episodes")), (1, (t, "Out of county", "Episodes")),
                      (1, ("note", "unknown", "")), (-1, (t, "All episodes", "Episodes"))],
                     "in county + out of county + not recorded = all episodes"))
    return rels


def note_figures(report, notes):
    out = {}
    if report == "cme":
        for n in notes:
            m = re.search(r"count in All episodes only \((\w+) in this period\)", n)
            if m:
                out[("note", "unknown", "")] = m.group(1)
    return out


def den_of(report, t, label, counts, left):
    """The figure a percentage of table t, row label, is taken of (its numerator: left[-1])."""
    if len(left) >= 2 and left[0] != left[-1]:
        return (t["title"], label, left[0])
    if report == "summary" and t["title"].startswith("Referrals by"):
        return ("Referrals received", "Referrals received", "Number")
    if t["title"] == "At risk of permanent exclusion":
        return (t["title"], "Referrals at risk of permanent exclusion", "Referrals")
    if t["title"] == "Admissions referrals received in the period":
        return (t["title"], "Admissions referrals", "Referrals")
    return None


def value(v):
    return None if v == "c" else int(v)


def solve(eqs, unknowns):
    """The unknowns fixed by eqs (each {unknown: coefficient}, constant), by elimination and bounds."""
    idx = {u: i for i, u in enumerate(unknowns)}
    rows = []
    for coef, const in eqs:
        r = [Fraction(0)] * (len(unknowns) + 1)
        for u, a in coef.items():
            r[idx[u]] += a
        r[-1] = Fraction(const)
        rows.append(r)
    # reduced row echelon form
    piv_row = 0
    m = [r[:] for r in rows]
    for c in range(len(unknowns)):
        p = next((i for i in range(piv_row, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[piv_row], m[p] = m[p], m[piv_row]
        pv = m[piv_row][c]
        m[piv_row] = [x / pv for x in m[piv_row]]
        for i in range(len(m)):
            if i != piv_row and m[i][c] != 0:
                f = m[i][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[piv_row])]
        piv_row += 1
    fixed = {}
    for r in m:
        nz = [i for i in range(len(unknowns)) if r[i] != 0]
        if len(nz) == 1:
            fixed[unknowns[nz[0]]] = r[-1] / r[nz[0]]
    # bounds: every hidden count >= 1; propagated through the equations and the reduced ones
    lo = {u: Fraction(1) for u in unknowns}
    hi = {u: None for u in unknowns}
    allrows = rows + m
    for _ in range(50):
        changed = False
        for r in allrows:
            nz = [i for i in range(len(unknowns)) if r[i] != 0]
            for i in nz:
                # r[i] x_i = const - sum_{j != i} r[j] x_j
                rlo, rhi = r[-1], r[-1]
                for j in nz:
                    if j == i:
                        continue
                    a, u = r[j], unknowns[j]
                    if a > 0:
                        rlo = None if rlo is None or hi[u] is None else rlo - a * hi[u]
                        rhi = None if rhi is None else rhi - a * lo[u]
                    else:
                        rlo = None if rlo is None else rlo - a * lo[u]
                        rhi = None if rhi is None or hi[u] is None else rhi - a * hi[u]
                a, u = r[i], unknowns[i]
                if a < 0:
                    rlo, rhi = (None if rhi is None else rhi / a), (None if rlo is None else rlo / a)
                else:
                    rlo, rhi = (None if rlo is None else rlo / a), (None if rhi is None else rhi / a)
                if rlo is not None:
                    nlo = Fraction(-(-rlo.numerator // rlo.denominator))  # ceil
                    if nlo > lo[u]:
                        lo[u], changed = nlo, True
                if rhi is not None:
                    nhi = Fraction(rhi.numerator // rhi.denominator)  # floor
                    if hi[u] is None or nhi < hi[u]:
                        hi[u], changed = nhi, True
        if not changed:
            break
    for u in unknowns:
        if hi[u] is not None and lo[u] == hi[u]:
            fixed.setdefault(u, lo[u])
    return fixed


def check(report, threshold, plain_text, pub_text):
    plain, tables, notes = figures(plain_text)
    pub, ptables, pnotes = figures(pub_text)
    plain.update(note_figures(report, notes))
    pub.update(note_figures(report, pnotes))
    problems = []
    eqs, unknowns = [], []
    for terms, why in relations(report, tables, notes):
        if any(k not in plain or not re.fullmatch(r"\d+", plain[k]) for _, k in terms):
            continue
        if sum(a * int(plain[k]) for a, k in terms) != 0:
            continue  # does not hold here (e.g. a code outside the lists)
        coef, const = {}, 0
        for a, k in terms:
            v = value(pub[k])
            if v is None:
                coef[k] = coef.get(k, 0) + a
                if k not in unknowns:
                    unknowns.append(k)
            else:
                const -= a * v
        if coef:
            eqs.append((coef, const))
    for k, v in solve(eqs, unknowns).items():
        problems.append("leak: %s / %s / %s = %s (hidden, worked out from the published figures)" % (k[0], k[1], k[2], v))
    # percentages and means built on a hidden count
    for t in ptables:
        counts = count_cols(t)
        for label, row in t["rows"]:
            for i, col in enumerate(t["cols"]):
                shown = row[i] not in ("c", "-", "")
                if not shown or col in counts:
                    continue
                left = [c for c in counts if t["cols"].index(c) < i]
                if "%" in col and left and pub[(t["title"], label, left[-1])] == "c":
                    problems.append("percentage shown on a hidden count: %s / %s / %s" % (t["title"], label, col))
                base = den_of(report, t, label, counts, left)
                if "%" in col and base and pub.get(base) == "c" and row[i] != "0%":
                    problems.append("percentage shown on a hidden total: %s / %s / %s" % (t["title"], label, col))
                if col.startswith("Mean") and counts and pub[(t["title"], label, counts[0])] == "c":
                    problems.append("mean shown on a hidden count: %s / %s / %s" % (t["title"], label, col))
    return problems


def main():
    report, threshold = sys.argv[1], int(sys.argv[2])
    with open(sys.argv[3], encoding="utf-8") as f:
        plain = f.read()
    with open(sys.argv[4], encoding="utf-8") as f:
        pub = f.read()
    for p in check(report, threshold, plain, pub):
        print(p)


if __name__ == "__main__":
    main()
