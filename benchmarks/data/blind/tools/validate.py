"""Validate the blind set: JSON parses, fields/values legal, paragraph numbers in range, counts."""
import json, os, re, sys, collections
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "sources")

def paragraphs(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    assert lines[0] == "---", path
    end = lines.index("---", 1)
    fm = dict(l.split(": ", 1) for l in lines[1:end])
    for k in ("title", "outlet", "published", "author"):
        assert fm.get(k), (path, k)
    body = lines[end + 1:]
    # no blank lines inside the body (trailing newline only)
    while body and body[-1] == "":
        body.pop()
    assert all(l.strip() for l in body), f"blank line inside body of {path}"
    return [l for l in body if l.strip()]

errors = []
stories = {}
for fn in sorted(os.listdir(SRC)):
    sid = fn[:-3]
    if not re.fullmatch(r"[a-z0-9-]{1,40}", sid):
        errors.append(f"bad id {sid}")
    stories[sid] = paragraphs(os.path.join(SRC, fn))
    if not 12 <= len(stories[sid]) <= 22:
        errors.append(f"{sid}: {len(stories[sid])} paragraphs")

def load(name):
    rows = []
    for i, line in enumerate(open(os.path.join(ROOT, name), encoding="utf-8"), 1):
        try:
            rows.append(json.loads(line))
        except Exception as e:
            errors.append(f"{name}:{i} does not parse: {e}")
    return rows

STYLES = {"full", "fragment", "yesno", "lowercase", "typo", "reporter", "unanswerable"}
qs = load("questions.jsonl")
for i, r in enumerate(qs, 1):
    if set(r) != {"source", "question", "paragraphs", "style"}: errors.append(f"q{i} keys {set(r)}")
    if r["source"] not in stories: errors.append(f"q{i} unknown source"); continue
    n = len(stories[r["source"]])
    if r["paragraphs"] != sorted(set(r["paragraphs"])): errors.append(f"q{i} paragraphs not sorted/unique")
    if any(not isinstance(p, int) or p < 1 or p > n for p in r["paragraphs"]): errors.append(f"q{i} paragraph out of range 1..{n}")
    if r["style"] not in STYLES: errors.append(f"q{i} style {r['style']}")
    if (r["style"] == "unanswerable") != (r["paragraphs"] == []): errors.append(f"q{i} unanswerable/paragraphs mismatch")

cl = load("claims.jsonl")
for i, r in enumerate(cl, 1):
    if set(r) != {"source", "claim", "verdict", "paragraphs", "reason"}: errors.append(f"c{i} keys {set(r)}")
    if r["source"] not in stories: errors.append(f"c{i} unknown source"); continue
    n = len(stories[r["source"]])
    if r["verdict"] not in {"supported", "contradicted", "not_in_story"}: errors.append(f"c{i} verdict")
    if any(not isinstance(p, int) or p < 1 or p > n for p in r["paragraphs"]): errors.append(f"c{i} paragraph out of range 1..{n}")
    if r["paragraphs"] != sorted(set(r["paragraphs"])): errors.append(f"c{i} paragraphs not sorted/unique")
    if (r["verdict"] == "not_in_story") != (r["paragraphs"] == []): errors.append(f"c{i} verdict/paragraphs mismatch")

# counts and minimums
qn = collections.Counter(r["source"] for r in qs)
qu = collections.Counter(r["source"] for r in qs if not r["paragraphs"])
cn = collections.Counter(r["source"] for r in cl)
for sid in stories:
    if qn[sid] < 16: errors.append(f"{sid}: only {qn[sid]} questions")
    if qu[sid] < 4: errors.append(f"{sid}: only {qu[sid]} unanswerable")
    if cn[sid] < 9: errors.append(f"{sid}: only {cn[sid]} claims")
if len(qs) < 80: errors.append("fewer than 80 questions")
if sum(qu.values()) < 22: errors.append("fewer than 22 unanswerable")
if len(cl) < 45: errors.append("fewer than 45 claims")

print("stories (paragraphs):", {k: len(v) for k, v in stories.items()})
print("questions per story:", dict(qn), "total", len(qs))
print("unanswerable per story:", dict(qu), "total", sum(qu.values()))
print("question styles:", dict(collections.Counter(r["style"] for r in qs)))
print("claims per story:", dict(cn), "total", len(cl))
print("claim verdicts:", dict(collections.Counter(r["verdict"] for r in cl)))
print("claim verdicts per story:", {s: dict(collections.Counter(r["verdict"] for r in cl if r["source"] == s)) for s in stories})
cov = {s: sorted(set(range(1, len(stories[s]) + 1)) - {p for r in qs if r["source"] == s for p in r["paragraphs"]}) for s in stories}
print("paragraphs not used by any question:", cov)
if errors:
    print("ERRORS:"); [print(" ", e) for e in errors]; sys.exit(1)
print("OK")
