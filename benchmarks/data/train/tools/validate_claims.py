#!/usr/bin/env python3
"""Check claims.jsonl against the stories in sources/ (stdlib only).

Paragraphs are the body blocks after the front-matter header (--- ... ---):
each non-empty line is one paragraph (bullet lines "- " included), numbered from 1.
"""
import collections
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent.parent
KINDS = {
    "supported": {"paraphrase", "quote_attribution", "number"},
    "contradicted": {"number_changed", "negation", "wrong_speaker", "wrong_entity"},
    "not_in_story": {"on_topic_missing", "off_topic"},
}
MIX = {"supported": 4, "contradicted": 5, "not_in_story": 3}
FIELDS = {"source", "claim", "verdict", "paragraphs", "kind"}


def count_paragraphs(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    body = lines
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        body = lines[end + 1:]
    return sum(1 for ln in body if ln.strip())


def main(argv):
    claims_path = pathlib.Path(argv[1]) if len(argv) > 1 else HERE / "claims.jsonl"
    sizes = {p.stem: count_paragraphs(p) for p in sorted((HERE / "sources").glob("*.md"))}
    errors = []
    by_verdict = collections.Counter()
    by_kind = collections.Counter()
    per_story = collections.defaultdict(collections.Counter)
    seen = set()
    for n, line in enumerate(claims_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errors.append(f"line {n}: blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: bad JSON ({e})")
            continue
        if not isinstance(obj, dict) or set(obj) != FIELDS:
            errors.append(f"line {n}: fields must be exactly {sorted(FIELDS)}")
            continue
        src, claim, verdict, paras, kind = (obj[k] for k in ("source", "claim", "verdict", "paragraphs", "kind"))
        if src not in sizes:
            errors.append(f"line {n}: unknown source {src!r}")
            continue
        if not isinstance(claim, str) or not claim.strip():
            errors.append(f"line {n}: empty claim")
        elif claim.strip().lower() in seen:
            errors.append(f"line {n}: duplicate claim")
        else:
            seen.add(claim.strip().lower())
        if verdict not in KINDS:
            errors.append(f"line {n}: bad verdict {verdict!r}")
            continue
        if kind not in KINDS[verdict]:
            errors.append(f"line {n}: kind {kind!r} not allowed for {verdict}")
        if not isinstance(paras, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in paras):
            errors.append(f"line {n}: paragraphs must be a list of ints")
            continue
        if (verdict == "not_in_story") != (paras == []):
            errors.append(f"line {n}: paragraphs must be [] iff not_in_story")
        if len(set(paras)) != len(paras):
            errors.append(f"line {n}: repeated paragraph number")
        for p in paras:
            if not 1 <= p <= sizes[src]:
                errors.append(f"line {n}: paragraph {p} out of range 1..{sizes[src]} for {src}")
        by_verdict[verdict] += 1
        by_kind[(verdict, kind)] += 1
        per_story[src][verdict] += 1
    for src in sizes:
        got = per_story.get(src, collections.Counter())
        if dict(got) != MIX:
            errors.append(f"{src}: verdict mix {dict(got)} != {MIX}")
        # at least 2 of 3 not_in_story claims on-topic is checked over kinds below
    on_topic = collections.Counter()
    for n, line in enumerate(claims_path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            o = json.loads(line)
        except Exception:
            continue
        if isinstance(o, dict) and o.get("kind") == "on_topic_missing":
            on_topic[o.get("source")] += 1
    for src in sizes:
        if on_topic[src] < 2:
            errors.append(f"{src}: fewer than 2 on_topic_missing claims")

    print(f"{sum(by_verdict.values())} claims, {len(sizes)} stories")
    for verdict in KINDS:
        print(f"  {verdict:13s} {by_verdict[verdict]:3d}")
        for kind in sorted(KINDS[verdict]):
            print(f"    {kind:17s} {by_kind[(verdict, kind)]:3d}")
    if errors:
        print(f"{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
