#!/usr/bin/env python3
"""Validate the train4/C data set (stdlib only). Prints OK or a list of problems."""
import datetime, json, os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = os.path.join(ROOT, "sources")

FRONT_KEYS = ["title", "outlet", "published", "author"]
CLAIM_KEYS = {"source", "claim", "verdict", "paragraphs", "kind"}
QUESTION_KEYS = {"source", "question", "paragraphs", "style"}

KIND_VERDICT = {
    "paraphrase": "supported", "quote_attribution": "supported", "number": "supported",
    "number_changed": "contradicted", "negation": "contradicted",
    "wrong_speaker": "contradicted", "wrong_entity": "contradicted",
    "on_topic_missing": "not_in_story", "off_topic": "not_in_story",
}
KIND_COUNTS = {"paraphrase": 2, "quote_attribution": 2, "number": 2,
               "number_changed": 2, "negation": 2, "wrong_speaker": 1, "wrong_entity": 1,
               "on_topic_missing": 3, "off_topic": 1}
VERDICT_COUNTS = {"supported": 6, "contradicted": 6, "not_in_story": 4}
STYLE_COUNTS = {"full": 3, "lowercase": 2, "fragment": 3, "yesno": 3, "typo": 2,
                "reporter": 2, "speaker": 3, "unanswerable": 12}
CLAIMS_PER_STORY = 16
QUESTIONS_PER_STORY = 30

errors = []


def err(msg):
    errors.append(msg)


def parse_story(path):
    """Return (front matter dict, list of paragraphs) or None."""
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if not lines or lines[0] != "---":
        err(f"{name}: first line must be '---'")
        return None
    try:
        end = lines.index("---", 1)
    except ValueError:
        err(f"{name}: front matter not closed")
        return None
    front = {}
    keys = []
    for ln in lines[1:end]:
        m = re.match(r"^([a-z]+): (.+)$", ln)
        if not m:
            err(f"{name}: bad front-matter line {ln!r}")
            continue
        keys.append(m.group(1))
        front[m.group(1)] = m.group(2).strip()
    if keys != FRONT_KEYS:
        err(f"{name}: front-matter keys {keys} != {FRONT_KEYS}")
    pub = front.get("published", "")
    try:
        d = datetime.date.fromisoformat(pub)
        if d.year != 2026 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", pub):
            err(f"{name}: published must be 2026-MM-DD, got {pub!r}")
    except ValueError:
        err(f"{name}: bad published date {pub!r}")
    paras = [ln for ln in lines[end + 1:] if ln.strip()]
    for i, p in enumerate(paras, 1):
        if p != p.strip():
            err(f"{name}: paragraph {i} has leading/trailing whitespace")
        if p.startswith("-") and not p.startswith("- "):
            err(f"{name}: paragraph {i} bullet must start with '- '")
    if not 15 <= len(paras) <= 20:
        err(f"{name}: {len(paras)} paragraphs (need 15-20)")
    bullets = sum(1 for p in paras if p.startswith("- "))
    if not 2 <= bullets <= 4:
        err(f"{name}: {bullets} bullet paragraphs (need 2-4)")
    if paras and paras[0].startswith("- "):
        err(f"{name}: the lede must not be a bullet")
    return front, paras


def load_jsonl(path):
    rows = []
    if not os.path.exists(path):
        err(f"missing {os.path.basename(path)}")
        return rows
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                err(f"{os.path.basename(path)}:{n}: blank line")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                err(f"{os.path.basename(path)}:{n}: JSON error {e}")
                continue
            if not isinstance(obj, dict):
                err(f"{os.path.basename(path)}:{n}: not an object")
                continue
            rows.append((n, obj))
    return rows


def check_paragraphs(where, paras, n_paras, must_be_empty):
    if not isinstance(paras, list) or not all(type(x) is int for x in paras):
        err(f"{where}: paragraphs must be a list of ints")
        return
    if must_be_empty:
        if paras != []:
            err(f"{where}: paragraphs must be [] for this label")
        return
    if not paras:
        err(f"{where}: paragraphs must not be empty for this label")
        return
    if paras != sorted(paras):
        err(f"{where}: paragraphs not sorted")
    if len(set(paras)) != len(paras):
        err(f"{where}: duplicate paragraph numbers")
    if n_paras is not None:
        for p in paras:
            if not 1 <= p <= n_paras:
                err(f"{where}: paragraph {p} out of range 1..{n_paras}")


def main():
    stories = {}
    if not os.path.isdir(SRC):
        err("missing sources/")
    else:
        for fn in sorted(os.listdir(SRC)):
            if not fn.endswith(".md"):
                err(f"sources/{fn}: unexpected file")
                continue
            res = parse_story(os.path.join(SRC, fn))
            if res:
                stories[fn[:-3]] = res
    if len(stories) != 4:
        err(f"expected 4 stories, found {len(stories)}")
    for field in ("outlet", "author", "title"):
        vals = [fm.get(field) for fm, _ in stories.values()]
        if len(set(vals)) != len(vals):
            err(f"{field} repeated across stories")

    # claims
    claims = load_jsonl(os.path.join(ROOT, "claims.jsonl"))
    per_story = {s: [] for s in stories}
    seen = set()
    for n, c in claims:
        where = f"claims.jsonl:{n}"
        if set(c) != CLAIM_KEYS:
            err(f"{where}: keys {sorted(c)} != {sorted(CLAIM_KEYS)}")
            continue
        if c["source"] not in stories:
            err(f"{where}: unknown source {c['source']!r}")
            continue
        if not isinstance(c["claim"], str) or not c["claim"].strip():
            err(f"{where}: empty claim")
            continue
        if c["kind"] not in KIND_VERDICT:
            err(f"{where}: bad kind {c['kind']!r}")
            continue
        if c["verdict"] not in VERDICT_COUNTS:
            err(f"{where}: bad verdict {c['verdict']!r}")
            continue
        if KIND_VERDICT[c["kind"]] != c["verdict"]:
            err(f"{where}: kind {c['kind']} needs verdict {KIND_VERDICT[c['kind']]}")
        n_paras = len(stories[c["source"]][1])
        check_paragraphs(where, c["paragraphs"], n_paras, c["verdict"] == "not_in_story")
        key = c["claim"].strip().lower()
        if key in seen:
            err(f"{where}: duplicate claim")
        seen.add(key)
        per_story[c["source"]].append(c)
    for s, rows in per_story.items():
        if len(rows) != CLAIMS_PER_STORY:
            err(f"{s}: {len(rows)} claims (need {CLAIMS_PER_STORY})")
        kc = Counter(r["kind"] for r in rows)
        if dict(kc) != KIND_COUNTS:
            err(f"{s}: claim kinds {dict(kc)} != {KIND_COUNTS}")
        vc = Counter(r["verdict"] for r in rows)
        if dict(vc) != VERDICT_COUNTS:
            err(f"{s}: claim verdicts {dict(vc)} != {VERDICT_COUNTS}")

    # questions
    questions = load_jsonl(os.path.join(ROOT, "questions.jsonl"))
    per_story_q = {s: [] for s in stories}
    seen_q = set()
    for n, q in questions:
        where = f"questions.jsonl:{n}"
        if set(q) != QUESTION_KEYS:
            err(f"{where}: keys {sorted(q)} != {sorted(QUESTION_KEYS)}")
            continue
        if q["source"] not in stories:
            err(f"{where}: unknown source {q['source']!r}")
            continue
        if q["style"] not in STYLE_COUNTS:
            err(f"{where}: bad style {q['style']!r}")
            continue
        text = q["question"]
        if not isinstance(text, str) or not text.strip():
            err(f"{where}: empty question")
            continue
        if q["style"] == "lowercase" and not re.fullmatch(r"[a-z0-9 ]+", text):
            err(f"{where}: lowercase question has capitals or punctuation")
        n_paras = len(stories[q["source"]][1])
        check_paragraphs(where, q["paragraphs"], n_paras, q["style"] == "unanswerable")
        key = text.strip().lower()
        if key in seen_q:
            err(f"{where}: duplicate question")
        seen_q.add(key)
        per_story_q[q["source"]].append(q)
    for s, rows in per_story_q.items():
        if len(rows) != QUESTIONS_PER_STORY:
            err(f"{s}: {len(rows)} questions (need {QUESTIONS_PER_STORY})")
        sc = Counter(r["style"] for r in rows)
        if dict(sc) != STYLE_COUNTS:
            err(f"{s}: question styles {dict(sc)} != {STYLE_COUNTS}")

    if errors:
        for e in errors:
            print("ERROR:", e)
        print(f"{len(errors)} problem(s)")
        return 1
    print(f"OK: {len(stories)} stories, {len(claims)} claims, {len(questions)} questions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
