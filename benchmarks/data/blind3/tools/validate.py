#!/usr/bin/env python3
"""Validate the blind3 evaluation set. Prints OK when every check passes."""
import json
import os
import re
import string
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = os.path.join(ROOT, "sources")

STYLES = {"full", "lowercase", "fragment", "yesno", "typo", "reporter", "unanswerable"}
VERDICTS = {"supported", "contradicted", "not_in_story"}
Q_KEYS = {"source", "question", "paragraphs", "style"}
C_KEYS = {"source", "claim", "verdict", "paragraphs", "reason"}
FM_KEYS = ["title", "outlet", "published", "author"]

# Capitalised words that commonly start sentences or are generic; a pair whose
# first word is one of these is not treated as a name.
STOP = set("""The A An In On At But And Or Of For To From By With As It Its This That These Those
He She They We I You His Her Their Our My Your If When While After Before Under Over About
Among Without Because Some Any Every Each Nobody Tonight Either Rain Shares Police Women
Dr Two Three Four Five Six Seven Eight Nine Ten""".split())

errors = []


def err(msg):
    errors.append(msg)


def load_story(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[0] != "---":
        err("%s: front matter must start with ---" % path)
        return None, []
    try:
        end = lines.index("---", 1)
    except ValueError:
        err("%s: unterminated front matter" % path)
        return None, []
    fm_lines = lines[1:end]
    keys = [l.split(":", 1)[0] for l in fm_lines]
    if keys != FM_KEYS:
        err("%s: front matter keys %r != %r" % (path, keys, FM_KEYS))
    fm = {}
    for l in fm_lines:
        k, _, v = l.partition(":")
        fm[k] = v.strip()
        if not v.startswith(" ") or not v.strip():
            err("%s: bad front matter line %r" % (path, l))
    if not re.fullmatch(r"2026-\d\d-\d\d", fm.get("published", "")):
        err("%s: published must be 2026-MM-DD" % path)
    paras = [l for l in lines[end + 1:] if l.strip()]
    return fm, paras


def main():
    stories = {}
    names = defaultdict(set)
    for fn in sorted(os.listdir(SRC)):
        if not fn.endswith(".md"):
            continue
        sid = fn[:-3]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", sid):
            err("bad id %s" % sid)
        fm, paras = load_story(os.path.join(SRC, fn))
        if fm is None:
            continue
        stories[sid] = (fm, paras)
        if not 14 <= len(paras) <= 20:
            err("%s: %d paragraphs (need 14-20)" % (sid, len(paras)))
        bullets = sum(1 for p in paras if p.startswith("- "))
        if not 2 <= bullets <= 4:
            err("%s: %d bullets (need 2-4)" % (sid, bullets))
        text = "\n".join([fm.get("title", ""), fm.get("author", "")] + paras)
        for m in re.finditer(r"(?=\b([A-Z][a-zà-ÿ'’\-]+) ([A-Z][a-zà-ÿ'’\-]+)\b)", text):
            a, b = m.group(1), m.group(2)
            if a in STOP:
                continue
            names["%s %s" % (a, b)].add(sid)
    if len(stories) != 4:
        err("expected 4 stories, found %d" % len(stories))
    for pair, sids in sorted(names.items()):
        if len(sids) > 1:
            err("capitalised pair %r appears in %s" % (pair, sorted(sids)))

    # questions
    qcount = Counter()
    qstyle = defaultdict(Counter)
    seen = set()
    with open(os.path.join(ROOT, "questions.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                o = json.loads(line)
            except Exception as e:
                err("questions line %d: %s" % (n, e))
                continue
            if set(o) != Q_KEYS:
                err("questions line %d: keys %s" % (n, sorted(o)))
                continue
            sid, q, ps, st = o["source"], o["question"], o["paragraphs"], o["style"]
            if sid not in stories:
                err("questions line %d: unknown source %s" % (n, sid))
                continue
            if st not in STYLES:
                err("questions line %d: bad style %s" % (n, st))
            if not isinstance(q, str) or not q.strip():
                err("questions line %d: empty question" % n)
            if not isinstance(ps, list) or ps != sorted(set(ps)) or not all(isinstance(p, int) for p in ps):
                err("questions line %d: paragraphs must be a sorted list of distinct ints" % n)
                ps = []
            npar = len(stories[sid][1])
            for p in ps:
                if not 1 <= p <= npar:
                    err("questions line %d: paragraph %d out of range 1-%d" % (n, p, npar))
            if (st == "unanswerable") != (ps == []):
                err("questions line %d: [] iff unanswerable violated" % n)
            if st == "lowercase":
                if any(c.isupper() for c in q) or any(c in string.punctuation for c in q):
                    err("questions line %d: lowercase style has capitals or punctuation" % n)
            key = q.strip().lower()
            if key in seen:
                err("questions line %d: duplicate question" % n)
            seen.add(key)
            qcount[sid] += 1
            qstyle[sid][st] += 1
    for sid in stories:
        if qcount[sid] < 20:
            err("%s: only %d questions" % (sid, qcount[sid]))
        for st in STYLES:
            if qstyle[sid][st] == 0:
                err("%s: no %s question" % (sid, st))
        if qstyle[sid]["unanswerable"] < 6:
            err("%s: only %d unanswerable" % (sid, qstyle[sid]["unanswerable"]))
    if sum(qcount.values()) < 80:
        err("only %d questions total" % sum(qcount.values()))

    # claims
    ccount = defaultdict(Counter)
    cseen = set()
    with open(os.path.join(ROOT, "claims.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                o = json.loads(line)
            except Exception as e:
                err("claims line %d: %s" % (n, e))
                continue
            if set(o) != C_KEYS:
                err("claims line %d: keys %s" % (n, sorted(o)))
                continue
            sid, c, v, ps, r = o["source"], o["claim"], o["verdict"], o["paragraphs"], o["reason"]
            if sid not in stories:
                err("claims line %d: unknown source %s" % (n, sid))
                continue
            if v not in VERDICTS:
                err("claims line %d: bad verdict %s" % (n, v))
            if not isinstance(ps, list) or ps != sorted(set(ps)) or not all(isinstance(p, int) for p in ps):
                err("claims line %d: paragraphs must be a sorted list of distinct ints" % n)
                ps = []
            npar = len(stories[sid][1])
            for p in ps:
                if not 1 <= p <= npar:
                    err("claims line %d: paragraph %d out of range" % (n, p))
            if (v == "not_in_story") != (ps == []):
                err("claims line %d: [] iff not_in_story violated" % n)
            if v in ("supported", "contradicted"):
                m = re.match(r"P(\d+): ", r)
                if not m or int(m.group(1)) not in ps:
                    err("claims line %d: reason must start with P<N>: of a listed paragraph" % n)
            elif not r.strip():
                err("claims line %d: empty reason" % n)
            if c.strip().lower() in cseen:
                err("claims line %d: duplicate claim" % n)
            cseen.add(c.strip().lower())
            ccount[sid][v] += 1
    for sid in stories:
        want = {"supported": 5, "contradicted": 5, "not_in_story": 2}
        if dict(ccount[sid]) != want:
            err("%s: claim mix %s != %s" % (sid, dict(ccount[sid]), want))

    if errors:
        for e in errors:
            print("ERROR:", e)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
