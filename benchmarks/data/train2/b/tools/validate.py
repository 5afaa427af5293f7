#!/usr/bin/env python3
"""Stdlib-only validator for the newtrain10b set.

Usage: python3 tools/validate.py [--show]
  --show  also print every story's numbered paragraphs (for manual review)
Prints OK when every check passes; otherwise lists the problems and exits 1.
"""
import json
import os
import re
import sys
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "sources")

Q_KEYS = {"source", "question", "paragraphs", "style"}
C_KEYS = {"source", "claim", "verdict", "paragraphs", "kind"}
STYLES = {"full", "lowercase", "fragment", "yesno", "typo", "reporter", "speaker", "unanswerable"}
KINDS = {
    "supported": {"paraphrase", "quote_attribution", "number"},
    "contradicted": {"number_changed", "negation", "wrong_speaker", "wrong_entity"},
    "not_in_story": {"on_topic_missing", "off_topic"},
}
VERDICT_COUNTS = {"supported": 6, "contradicted": 6, "not_in_story": 4}
Q_PER_STORY = 22
C_PER_STORY = 16
MIN_UNANSWERABLE = 7
MIN_ON_TOPIC_MISSING = 3
FM_KEYS = ["title", "outlet", "published", "author"]

errors = []


def err(msg):
    errors.append(msg)


def load_story(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    if len(lines) < 6 or lines[0] != "---" or lines[5] != "---":
        err(f"{path}: front matter must be 4 keys between '---' lines")
        return None
    for i, key in enumerate(FM_KEYS, start=1):
        m = re.match(rf"^{key}: (.+)$", lines[i])
        if not m:
            err(f"{path}: line {i+1} should be '{key}: ...'")
        elif key == "published" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.group(1)):
            err(f"{path}: bad published date {m.group(1)!r}")
    body = [l for l in lines[6:] if l.strip()]
    if not 15 <= len(body) <= 20:
        err(f"{path}: {len(body)} body paragraphs (need 15-20)")
    bullets = [l for l in body if l.startswith("- ")]
    if not 2 <= len(bullets) <= 4:
        err(f"{path}: {len(bullets)} bullet lines (need 2-4)")
    return body


def load_jsonl(path, keys):
    rows = []
    for n, line in enumerate(open(path, encoding="utf-8"), start=1):
        if not line.strip():
            err(f"{path}:{n}: blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"{path}:{n}: JSON error {e}")
            continue
        if not isinstance(obj, dict) or set(obj) != keys:
            err(f"{path}:{n}: keys {sorted(obj) if isinstance(obj, dict) else type(obj)} != {sorted(keys)}")
            continue
        obj["_line"] = n
        rows.append(obj)
    return rows


def check_paras(where, paras, n_body, must_be_empty):
    if not isinstance(paras, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in paras):
        err(f"{where}: paragraphs must be a list of ints")
        return
    if must_be_empty and paras:
        err(f"{where}: paragraphs must be [] here")
    if not must_be_empty and not paras:
        err(f"{where}: paragraphs must not be empty")
    if paras != sorted(set(paras)):
        err(f"{where}: paragraphs not sorted/distinct {paras}")
    for p in paras:
        if not 1 <= p <= n_body:
            err(f"{where}: paragraph {p} out of range 1..{n_body}")


def main():
    show = "--show" in sys.argv
    stories = {}
    for fn in sorted(os.listdir(SRC)):
        if fn.endswith(".md"):
            body = load_story(os.path.join(SRC, fn))
            if body is not None:
                stories[fn[:-3]] = body
    if len(stories) != 4:
        err(f"expected 4 stories, found {len(stories)}")

    # questions
    qs = load_jsonl(os.path.join(ROOT, "questions.jsonl"), Q_KEYS)
    seen = set()
    per = defaultdict(Counter)
    for q in qs:
        where = f"questions.jsonl:{q['_line']}"
        src = q["source"]
        if src not in stories:
            err(f"{where}: unknown source {src!r}")
            continue
        if q["style"] not in STYLES:
            err(f"{where}: bad style {q['style']!r}")
            continue
        text = q["question"]
        if not isinstance(text, str) or not text.strip():
            err(f"{where}: empty question")
            continue
        key = re.sub(r"\s+", " ", text.strip().lower())
        if key in seen:
            err(f"{where}: duplicate question")
        seen.add(key)
        if q["style"] == "lowercase" and re.search(r"[A-Z]|[^\w\s]", text):
            err(f"{where}: lowercase question has capitals or punctuation")
        check_paras(where, q["paragraphs"], len(stories[src]), q["style"] == "unanswerable")
        per[src][q["style"]] += 1
    for src in stories:
        c = per[src]
        if sum(c.values()) != Q_PER_STORY:
            err(f"{src}: {sum(c.values())} questions (need {Q_PER_STORY})")
        if c["unanswerable"] < MIN_UNANSWERABLE:
            err(f"{src}: only {c['unanswerable']} unanswerable questions")
        for st in STYLES - {"unanswerable"}:
            if c[st] < 1:
                err(f"{src}: style {st} unused")

    # claims
    cs = load_jsonl(os.path.join(ROOT, "claims.jsonl"), C_KEYS)
    seen = set()
    perv = defaultdict(Counter)
    perk = defaultdict(lambda: defaultdict(set))
    kindcount = defaultdict(Counter)
    for c in cs:
        where = f"claims.jsonl:{c['_line']}"
        src = c["source"]
        if src not in stories:
            err(f"{where}: unknown source {src!r}")
            continue
        v, k = c["verdict"], c["kind"]
        if v not in KINDS:
            err(f"{where}: bad verdict {v!r}")
            continue
        if k not in KINDS[v]:
            err(f"{where}: kind {k!r} not legal for verdict {v!r}")
            continue
        text = c["claim"]
        if not isinstance(text, str) or not text.strip():
            err(f"{where}: empty claim")
            continue
        key = re.sub(r"\s+", " ", text.strip().lower())
        if key in seen:
            err(f"{where}: duplicate claim")
        seen.add(key)
        check_paras(where, c["paragraphs"], len(stories[src]), v == "not_in_story")
        perv[src][v] += 1
        perk[src][v].add(k)
        kindcount[src][k] += 1
    for src in stories:
        total = sum(perv[src].values())
        if total != C_PER_STORY:
            err(f"{src}: {total} claims (need {C_PER_STORY})")
        for v, n in VERDICT_COUNTS.items():
            if perv[src][v] != n:
                err(f"{src}: {perv[src][v]} {v} claims (need {n})")
            if len(perk[src][v]) < 2:
                err(f"{src}: verdict {v} uses fewer than 2 kinds")
        if kindcount[src]["on_topic_missing"] < MIN_ON_TOPIC_MISSING:
            err(f"{src}: fewer than {MIN_ON_TOPIC_MISSING} on_topic_missing claims")

    if show:
        for src, body in stories.items():
            print(f"== {src}")
            for i, l in enumerate(body, start=1):
                print(f"{i:2d} {l}")
        print()
        print("question styles:", dict(sum(per.values(), Counter())))
        print("claim kinds:", dict(sum(kindcount.values(), Counter())))

    if errors:
        for e in errors:
            print("ERROR", e)
        print(f"{len(errors)} problem(s)")
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
