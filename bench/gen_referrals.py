#!/usr/bin/env python3
"""gen_referrals.py N [SEED]: writes N referrals (one child each, valid UPNs) as the referrals CSV of
SPEC section 6 to standard output, for bench_import.sh. Deterministic for a seed."""
import random
import sys

LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(n):
    body = "%011d" % (801000000000 // 10 + n)  # characters 2-12
    body = body[-11:] + str(n % 10)  # character 13: a digit
    total = sum(int(c) * (p + 2) for p, c in enumerate(body))
    return LETTERS[total % 23] + body


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    issues = ["attendance"] * 25 + ["admissions"] * 20 + ["cme"] * 12 + ["exclusion"] * 12 + \
        ["sen"] * 10 + ["reduced_timetable", "managed_move", "ehe", "neet", "other"] * 4
    sources = ["social_worker", "school", "other_professional", "parent_carer", "self", "other"]
    care = ["cin", "cp", "cla", "plac", "ever6"]
    sen = ["none", "none", "none", "sen_support", "ehcp", "ehcp_in_progress"]
    firsts = ["Zoë", "Chloé", "Oliver", "Amelia", "Mohammed", "Siobhán", "Jack", "Aisha", "Noah"]
    lasts = ["O'Brien", "Smith-Jones", "Nowak", "Okafor", "Begum", "Ahmed", "Kowalski", "Taylor"]
    out = sys.stdout
    out.write("ref,received,source,issue,other_issues,pex_risk,upn,la_child_id,first_name,"
              "last_name,dob,gender,school_urn,school_name,care_status,sen,sen_need,"
              "youth_justice,officer,status,closed,summary\n")
    for i in range(n):
        month = 1 + rng.randrange(12)
        day = 1 + rng.randrange(28)
        received = "2023-%02d-%02d" % (month, day)
        status = rng.choice(["new", "open", "open", "closed"])
        closed = "2023-%02d-28" % month if status == "closed" else ""  # received <= closed <= today
        urn = 100000 + rng.randrange(300)
        out.write("R-%07d,%s,%s,%s,%s,%s,%s,LA%07d,%s,%s,%d-%02d-%02d,%s,%d,\"School %d, Town\","
                  "%s,%s,%s,%s,%s,%s,%s,\"Referral %d: concerns about %s\"\n" % (
                      i, received, rng.choice(sources), rng.choice(issues),
                      "cme" if rng.random() < 0.1 else "", "yes" if rng.random() < 0.1 else "no",
                      upn(i), i, rng.choice(firsts), rng.choice(lasts), 2008 + rng.randrange(10),
                      1 + rng.randrange(12), 1 + rng.randrange(28),
                      rng.choice(["female", "male"]), urn, urn, rng.choice(care),
                      rng.choice(sen), rng.choice(["SEMH", "ASD", "SLCN", "MLD", ""]),
                      "yes" if rng.random() < 0.05 else "no",
                      rng.choice(["AB", "CD", "EF", "GH"]), status, closed, i,
                      rng.choice(["attendance", "behaviour", "a school place"])))


if __name__ == "__main__":
    main()
