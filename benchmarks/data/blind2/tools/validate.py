#!/usr/bin/env python3
"""Validate the blind2 evaluation set: sources, questions.jsonl, claims.jsonl."""
import json, os, re, sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the set, above tools/
STYLES = {"full", "lowercase", "fragment", "yesno", "typo", "reporter", "unanswerable"}
VERDICTS = {"supported", "contradicted", "not_in_story"}
errors = []

def err(msg): errors.append(msg)

# ---- sources
npara, bodies = {}, {}
for fn in sorted(os.listdir(os.path.join(HERE, "sources"))):
    if not fn.endswith(".md"): continue
    sid = fn[:-3]
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", sid): err(f"{fn}: bad id")
    lines = open(os.path.join(HERE, "sources", fn), encoding="utf-8").read().split("\n")
    if lines[0] != "---": err(f"{fn}: no front matter"); continue
    end = lines.index("---", 1)
    fm = dict(l.split(": ", 1) for l in lines[1:end] if ": " in l)
    for k in ("title", "outlet", "published", "author"):
        if not fm.get(k): err(f"{fn}: missing {k}")
    if not re.fullmatch(r"2026-\d\d-\d\d", fm.get("published", "")): err(f"{fn}: bad date")
    body = [l for l in lines[end + 1:] if l.strip()]
    npara[sid], bodies[sid] = len(body), body
    if not 14 <= len(body) <= 20: err(f"{fn}: {len(body)} paragraphs (want 14-20)")
    nb = sum(l.startswith("- ") for l in body)
    if not 2 <= nb <= 4: err(f"{fn}: {nb} bullets (want 2-4)")
if len(npara) != 4: err(f"expected 4 sources, found {len(npara)}")

def check_paras(where, obj):
    ps = obj.get("paragraphs")
    if not isinstance(ps, list) or not all(isinstance(p, int) for p in ps):
        err(f"{where}: paragraphs must be a list of ints"); return []
    if len(set(ps)) != len(ps): err(f"{where}: duplicate paragraph numbers")
    for p in ps:
        if not 1 <= p <= npara.get(obj.get("source"), 0): err(f"{where}: paragraph {p} out of range")
    return ps

# ---- questions
qcount, qstyle, qunans = Counter(), defaultdict(Counter), Counter()
seen = set()
for i, line in enumerate(open(os.path.join(HERE, "questions.jsonl"), encoding="utf-8"), 1):
    where = f"questions.jsonl:{i}"
    try: o = json.loads(line)
    except Exception as e: err(f"{where}: parse error {e}"); continue
    if set(o) != {"source", "question", "paragraphs", "style"}: err(f"{where}: keys {sorted(o)}"); continue
    if o["source"] not in npara: err(f"{where}: unknown source"); continue
    if o["style"] not in STYLES: err(f"{where}: bad style {o['style']}")
    if not o["question"].strip(): err(f"{where}: empty question")
    if o["question"] in seen: err(f"{where}: duplicate question")
    seen.add(o["question"])
    ps = check_paras(where, o)
    if (ps == []) != (o["style"] == "unanswerable"): err(f"{where}: [] must go with style unanswerable and vice versa")
    if o["style"] == "lowercase" and (o["question"] != o["question"].lower() or re.search(r"[?.!,]", o["question"])):
        err(f"{where}: lowercase style has capitals/punctuation")
    qcount[o["source"]] += 1; qstyle[o["source"]][o["style"]] += 1
    if o["style"] == "unanswerable": qunans[o["source"]] += 1
if sum(qcount.values()) < 72: err(f"only {sum(qcount.values())} questions (want >=72)")
if sum(qunans.values()) < 20: err(f"only {sum(qunans.values())} unanswerable (want >=20)")
for sid in npara:
    if qcount[sid] < 18: err(f"{sid}: {qcount[sid]} questions (want >=18)")
    if qunans[sid] < 5: err(f"{sid}: {qunans[sid]} unanswerable (want >=5)")
    for st in STYLES:
        if qstyle[sid][st] == 0: err(f"{sid}: no question of style {st}")

# ---- claims
ccount, cverd = Counter(), defaultdict(Counter)
for i, line in enumerate(open(os.path.join(HERE, "claims.jsonl"), encoding="utf-8"), 1):
    where = f"claims.jsonl:{i}"
    try: o = json.loads(line)
    except Exception as e: err(f"{where}: parse error {e}"); continue
    if set(o) != {"source", "claim", "verdict", "paragraphs", "reason"}: err(f"{where}: keys {sorted(o)}"); continue
    if o["source"] not in npara: err(f"{where}: unknown source"); continue
    if o["verdict"] not in VERDICTS: err(f"{where}: bad verdict {o['verdict']}")
    ps = check_paras(where, o)
    if (ps == []) != (o["verdict"] == "not_in_story"): err(f"{where}: [] must go with not_in_story and vice versa")
    if ps:
        m = re.match(r"P(\d+):", o["reason"])
        if not m or int(m.group(1)) not in ps: err(f"{where}: reason must start with P<N>: for a listed paragraph")
    ccount[o["source"]] += 1; cverd[o["source"]][o["verdict"]] += 1
if sum(ccount.values()) < 40: err(f"only {sum(ccount.values())} claims (want >=40)")
for sid in npara:
    if ccount[sid] < 10: err(f"{sid}: {ccount[sid]} claims (want >=10)")
    if cverd[sid]["supported"] < 3 or cverd[sid]["contradicted"] < 3 or cverd[sid]["not_in_story"] < 2:
        err(f"{sid}: verdict mix {dict(cverd[sid])}")

# ---- no person name shared across stories (capitalised First Last pairs)
names = defaultdict(set)
for sid, body in bodies.items():
    for m in re.finditer(r"\b([A-Z][a-z]+ [A-Z][a-z]+)\b", " ".join(body)):
        names[m.group(1)].add(sid)
for n, s in names.items():
    if len(s) > 1: err(f"name-like phrase '{n}' appears in several stories: {sorted(s)}")

if errors:
    print("\n".join(errors)); print(f"FAILED ({len(errors)} problems)"); sys.exit(1)
print(f"sources: {dict(npara)}")
print(f"questions: {dict(qcount)} total={sum(qcount.values())} unanswerable={sum(qunans.values())}")
print(f"claims: {dict(ccount)} total={sum(ccount.values())}")
print("OK")
