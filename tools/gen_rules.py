#!/usr/bin/env python3
"""Helpers for the validation rule table (src/validation/rules.rs), which is written by hand.

Structure sizes are not generated here: the rules take them from the structure catalogue
(src/structures/catalogue.rs, StructDesc::min_size), the one source of truth.

  gen_rules.py bullets  - every bullet of 3.1.4.2, numbered as the rule ids are ("47.3")
  gen_rules.py codes    - for each rule, whether its error code is listed in the packet's
                          return-value table (2.2.4.1.x); the ones that are not are the
                          choices recorded in spec-notes/validation.md
"""
import re
import sys

SPEC = "/work/shared/spec/MS-TRP/MS-TRP.md"
L = open(SPEC).read().split("\n")


def bullets():
    start = next(i for i, l in enumerate(L) if l.startswith("#### 3.1.4.2 "))
    end = next(i for i, l in enumerate(L) if l.startswith("#### 3.1.4.3 "))
    blk, n = None, 0
    for l in L[start:end]:
        m = re.match(r"When Req_Func is equal to (\d+) \(([^)]*)\)", l)
        if m:
            blk, n = m.group(1), 0
            print("##", blk, m.group(2))
            continue
        if blk and l.startswith("- "):
            n += 1
            print(f"{blk}.{n}", l[2:].strip())


def codes():
    cat = open("src/requests/catalogue.rs").read()
    pk = {m.group(1): m.group(3) for m in re.finditer(r'(\w+) = (\d+), "(\w+)", "([\d.]+)"', cat)}
    secs = {m.group(1): m.group(2) for m in re.finditer(r'(\w+) = \d+, "\w+", "([\d.]+)"', cat)}
    heads = {}
    for i, l in enumerate(L):
        m = re.match(r"^#+ (2\.2\.4\.1\.[\d.]+) ", l)
        if m:
            heads[m.group(1)] = i
    table = {}
    for name, sec in secs.items():
        i = heads[sec]
        j = i + 1
        while j < len(L) and not re.match(r"^#+ \d", L[j]):
            j += 1
        table[name] = set(re.findall(r"^\| *\**((?:LINEERR|PHONEERR)_\w+)", "\n".join(L[i:j]), re.M))
    rules = open("src/validation/rules.rs").read()
    func = None
    for l in rules.split("\n"):
        m = re.match(r"    (\w+) = \d+ \{", l)
        if m:
            func = m.group(1)
            continue
        m = re.match(r"\s+\[(pkt )?(\d+): .*=> (L|P) (\w+),", l)
        if m and func:
            code = ("LINEERR_" if m.group(3) == "L" else "PHONEERR_") + m.group(4).upper()
            listed = code in table[func]
            if not listed:
                t = table[func]
                print(f"{func} {m.group(1) or ''}{m.group(2)} {code} not listed" + ("" if t else " (packet has no return table)"))


{"bullets": bullets, "codes": codes}[sys.argv[1]]()
