#!/usr/bin/env python3
"""Stdlib-only validator for the newtrain10a training set."""
import json, os, re, string, sys
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STYLES = {"full", "lowercase", "fragment", "yesno", "typo", "reporter", "speaker", "unanswerable"}
KINDS = {
    "supported": {"paraphrase", "quote_attribution", "number"},
    "contradicted": {"number_changed", "negation", "wrong_speaker", "wrong_entity"},
    "not_in_story": {"on_topic_missing", "off_topic"},
}
Q_KEYS = {"source", "question", "paragraphs", "style"}
C_KEYS = {"source", "claim", "verdict", "paragraphs", "kind"}
errors = []

def err(msg):
    errors.append(msg)

def load_story(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines[0] != "---":
        err(f"{path}: must start with ---"); return None
    try:
        end = lines.index("---", 1)
    except ValueError:
        err(f"{path}: no closing ---"); return None
    fm = lines[1:end]
    keys = [l.split(":", 1)[0] for l in fm]
    if keys != ["title", "outlet", "published", "author"]:
        err(f"{path}: front matter keys {keys}")
    for l in fm:
        k, _, v = l.partition(":")
        if not v.strip():
            err(f"{path}: empty {k}")
        if k == "published" and not re.fullmatch(r" \d{4}-\d{2}-\d{2}", v):
            err(f"{path}: bad date {v!r}")
    body = [l for l in lines[end + 1:] if l.strip()]
    if not 15 <= len(body) <= 20:
        err(f"{path}: {len(body)} body paragraphs (need 15-20)")
    bullets = sum(1 for l in body if l.startswith("- "))
    if not 2 <= bullets <= 4:
        err(f"{path}: {bullets} bullets (need 2-4)")
    return len(body)

def check_paras(where, paras, n, empty):
    if not isinstance(paras, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in paras):
        err(f"{where}: paragraphs must be a list of ints"); return
    if empty and paras:
        err(f"{where}: paragraphs must be []")
    if not empty and not paras:
        err(f"{where}: paragraphs must be non-empty")
    if paras != sorted(set(paras)):
        err(f"{where}: paragraphs not sorted/distinct")
    if n is not None and any(p < 1 or p > n for p in paras):
        err(f"{where}: paragraph out of range 1..{n}")

def load_jsonl(name):
    rows = []
    with open(os.path.join(ROOT, name), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                err(f"{name}:{i}: blank line"); continue
            try:
                rows.append((i, json.loads(line)))
            except json.JSONDecodeError as e:
                err(f"{name}:{i}: bad JSON ({e})")
    return rows

def main():
    sdir = os.path.join(ROOT, "sources")
    stories = {}
    for fn in sorted(os.listdir(sdir)):
        if fn.endswith(".md"):
            stories[fn[:-3]] = load_story(os.path.join(sdir, fn))
    if len(stories) != 4:
        err(f"expected 4 stories, found {len(stories)}")

    qs = load_jsonl("questions.jsonl")
    seen = set()
    per = defaultdict(Counter)
    for i, r in qs:
        w = f"questions.jsonl:{i}"
        if not isinstance(r, dict) or set(r) != Q_KEYS:
            err(f"{w}: keys must be exactly {sorted(Q_KEYS)}"); continue
        if r["source"] not in stories:
            err(f"{w}: unknown source {r['source']}"); continue
        if r["style"] not in STYLES:
            err(f"{w}: bad style {r['style']}"); continue
        t = r["question"]
        if not isinstance(t, str) or not t.strip():
            err(f"{w}: empty question"); continue
        key = t.strip().lower()
        if key in seen:
            err(f"{w}: duplicate question")
        seen.add(key)
        if r["style"] == "lowercase":
            if any(ch.isupper() for ch in t) or any(ch in string.punctuation or ch in "‘’“”–—" for ch in t):
                err(f"{w}: lowercase question has capitals or punctuation")
        check_paras(w, r["paragraphs"], stories[r["source"]], r["style"] == "unanswerable")
        per[r["source"]][r["style"]] += 1
    for s in stories:
        c = per[s]
        if sum(c.values()) != 22:
            err(f"{s}: {sum(c.values())} questions (need 22)")
        if c["unanswerable"] < 7:
            err(f"{s}: only {c['unanswerable']} unanswerable")
        for st in STYLES - {"unanswerable"}:
            if c[st] < 1:
                err(f"{s}: style {st} unused")

    cs = load_jsonl("claims.jsonl")
    seen = set()
    perv = defaultdict(Counter)
    perk = defaultdict(lambda: defaultdict(Counter))
    for i, r in cs:
        w = f"claims.jsonl:{i}"
        if not isinstance(r, dict) or set(r) != C_KEYS:
            err(f"{w}: keys must be exactly {sorted(C_KEYS)}"); continue
        if r["source"] not in stories:
            err(f"{w}: unknown source {r['source']}"); continue
        if r["verdict"] not in KINDS:
            err(f"{w}: bad verdict {r['verdict']}"); continue
        if r["kind"] not in KINDS[r["verdict"]]:
            err(f"{w}: kind {r['kind']} not legal for {r['verdict']}"); continue
        t = r["claim"]
        if not isinstance(t, str) or not t.strip():
            err(f"{w}: empty claim"); continue
        key = t.strip().lower()
        if key in seen:
            err(f"{w}: duplicate claim")
        seen.add(key)
        check_paras(w, r["paragraphs"], stories[r["source"]], r["verdict"] == "not_in_story")
        perv[r["source"]][r["verdict"]] += 1
        perk[r["source"]][r["verdict"]][r["kind"]] += 1
    need = {"supported": 6, "contradicted": 6, "not_in_story": 4}
    for s in stories:
        for v, n in need.items():
            if perv[s][v] != n:
                err(f"{s}: {perv[s][v]} {v} claims (need {n})")
            if len(perk[s][v]) < 2:
                err(f"{s}: verdict {v} uses fewer than 2 kinds")
        if perk[s]["not_in_story"]["on_topic_missing"] < 3:
            err(f"{s}: fewer than 3 on_topic_missing claims")

    if errors:
        print("\n".join(errors))
        print(f"FAILED: {len(errors)} problem(s)")
        sys.exit(1)
    print("OK")

if __name__ == "__main__":
    main()
