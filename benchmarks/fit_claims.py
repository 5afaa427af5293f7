"""Fit the claim checker's paraphrase-support thresholds (index/checking/verdict.py PARAPHRASE_*, then
QUOTED_COVERAGE) on the training claims only, and print what it chose.

    python benchmarks/fit_claims.py [--set DIR ...] [--index DIR] [--cost C]

The rule: a claim the word coverage does not support is supported by the reader's best sentence when the
reader's logit, the embedding cosine of claim and sentence, and the (lower) word coverage all reach their
thresholds. Every claim is checked twice, with the rule off and with it forced on wherever it is asked;
a threshold triple then gives, per claim, one of those two verdicts, so the grid is scored without
checking again. Score: right verdicts minus C × wrong `supported` verdicts the rule makes (a wrong
`supported` is the worst error of a fact-checker; a `not_in_story` is a safe miss), and no threshold
triple may pass an on-topic sentence that does not say the claim: the reader's best sentences outside
the paragraphs the claim's line names (all of them, for a claim the story does not make). Few of those
reach the rule here (stopped earlier by a figure the story lacks, or not the reader's best), but an
unseen claim may bring one to it. Ties go to the strictest thresholds. The grid is fixed and the checks deterministic: the same data gives the same choice.

Also measured, not used by the checker: the cosine of the claim with the sentence joined to its
neighbour (the better of the two), and with the sentence vector stored in the index (pooled inside its
paragraph) — printed with their best scores.

Nothing here reads the dev claims, the bundled story's claims or the blind sets: those only measure
(benchmarks/claims.py).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
# The news training claims: session 5's eight stories, session 10's eight (two helpers, four each), session
# 12's four (train3) and session 14's twelve (train4, three helpers).
TRAINING_SETS = (DATA / "train", DATA / "train2" / "a", DATA / "train2" / "b", DATA / "train3",
                 *(DATA / "train4" / part for part in ("A", "B", "C")))
LOGITS = tuple(0.5 * i for i in range(2, 17))  # 1.0 … 8.0
SIMILARITIES = tuple(round(0.4 + 0.025 * i, 3) for i in range(17))  # 0.40 … 0.80
COVERAGES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
# How near the thresholds an on-topic sentence that does not say the claim may come: unseen ones scatter
# around those seen here (a claim with one fact changed scores a little lower than its paraphrase).
MARGIN_LOGIT, MARGIN_SIMILARITY = 1.0, 0.05


@dataclass
class Row:
    source: str
    claim: str
    expected: str
    off: str  # the verdict with the rule off
    on: str  # the verdict with the rule forced on where it is asked
    features: dict[str, float] | None  # the sentence the rule was asked about (None: never asked)
    # the reader's best sentences that name everything the claim names but are outside the paragraphs that
    # support or contradict it (all of them, for a claim the story does not make), asked or not
    unsaid: list[dict[str, float]]


def collect(claims: list[dict], sources: Path, index: Path) -> list[Row]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import storybot
    from storybot.index.checking import check, verdict
    from storybot.index.checking.check import SIMILAR_SENTENCES, Checker

    engine = storybot.open_engine(sources=sources, index=index)
    checker = Checker(engine)
    embedder, store = engine.embedder, engine.index
    asked: list = []
    mode = {"on": False}

    def spy(c) -> bool:
        asked.append(c)
        return mode["on"]

    read: list = []

    def judge(claim, candidates, **kwargs):
        read[:] = candidates
        return verdict.judge(claim, candidates, **kwargs)

    original = verdict._paraphrased, check.judge
    verdict._paraphrased = spy
    check.judge = judge
    try:
        return _rows(claims, checker, embedder, store, asked, mode, read)
    finally:
        verdict._paraphrased, check.judge = original


def _rows(claims: list[dict], checker, embedder, store, asked: list, mode: dict, read: list) -> list[Row]:
    from storybot.index.checking import verdict
    from storybot.index.checking.check import SIMILAR_SENTENCES

    rows = []
    for item in claims:
        got = {}
        for on in (False, True):
            asked.clear()
            mode["on"] = on
            got[on] = checker.check(item["claim"], source=item.get("source")).verdict
        q = embedder.encode_query(item["claim"])
        features = measure(asked[0], q, embedder, store) if asked else None
        # Only where the rule decides: a sentence with the coverage the word rule asks for is settled by it.
        sentences = [measure(c, q, embedder, store) for c in read[:SIMILAR_SENTENCES]
                     if c.names_present and c.passage.paragraph not in item["paragraphs"]
                     and c.coverage < (verdict.SUPPORT_COVERAGE if c.logit < verdict.SURE_LOGIT else verdict.SURE_COVERAGE)]
        rows.append(Row(item["source"], item["claim"], item["verdict"], got[False], got[True], features, sentences))
    return rows


def passes(f: dict[str, float] | None, kind: str, logit: float, similarity: float, coverage: float) -> bool:
    """Whether the rule supports by sentence `f`; kind "alone+verbs" (what the checker does) also asks that
    the paragraph say the claim's verbs or their synonyms."""
    cosine, _, verbs = kind.partition("+")
    return f is not None and (f["verbs"] or not verbs) and f["logit"] >= logit and f[cosine] >= similarity \
        and f["coverage"] >= coverage


def measure(c, q: np.ndarray, embedder, store) -> dict[str, float]:
    """The rule's inputs for candidate `c` and claim vector `q`, with the two cosines it does not use."""
    sentences = c.paragraph.sentences
    k = sentences.index(c.sentence.text)
    pairs = [" ".join(sentences[j:j + 2]) for j in (k - 1, k) if 0 <= j and j + 1 < len(sentences)]
    first, _ = store.story_ranges[c.passage.source]
    row = int(store.sentence_offsets[first + c.passage.paragraph - 1]) + k
    # The checker embeds only sentences above its current logit threshold; the grid needs every one.
    alone = float(embedder.encode_query(c.sentence.text) @ q)
    return {
        "logit": c.logit, "coverage": c.coverage, "alone": alone, "verbs": c.verbs_said,
        "pair": max([alone] + [float(embedder.encode_query(p) @ q) for p in pairs]),
        "pooled": float(np.asarray(store.sentence_vectors[row]) @ q),
    }


def score(rows: list[Row], kind: str, logit: float, similarity: float, coverage: float, cost: float,
          constrained: bool = True):
    """The score, right verdicts and new wrong `supported`; None when an on-topic sentence that does not say
    the claim would pass: few such sentences reach the rule here (most are stopped by a figure the story
    lacks, or are not the reader's best), but an unseen claim may bring one to it."""
    near = (logit - MARGIN_LOGIT, similarity - MARGIN_SIMILARITY, coverage)
    if constrained and any(passes(f, kind, *near) for r in rows for f in r.unsaid):
        return None
    right = wrong_supported = 0
    for r in rows:
        fires = passes(r.features, kind, logit, similarity, coverage)
        got = r.on if fires else r.off
        right += got == r.expected
        wrong_supported += fires and got == "supported" and r.off != "supported" and r.expected != "supported"
    return right - cost * wrong_supported, right, wrong_supported


def fit(rows: list[Row], kind: str, cost: float, constrained: bool = True):
    """The best (score, thresholds); ties go to the strictest (highest similarity, then logit, then coverage)."""
    best = None
    for logit, similarity, coverage in itertools.product(LOGITS, SIMILARITIES, COVERAGES):
        scored = score(rows, kind, logit, similarity, coverage, cost, constrained)
        if scored is None:
            continue
        total, right, wrong = scored
        key = (total, similarity, logit, coverage)
        if best is None or key > best[0]:
            best = (key, (logit, similarity, coverage), right, wrong)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="sets", type=Path, action="append",
                        help="a training set: a directory with sources/ and claims.jsonl (repeatable; default: "
                             "data/train, data/train2/a and b, data/train3, data/train4/A, B and C)")
    parser.add_argument("--index", type=Path, default=Path("/tmp/storybot-fit-claims-index"),
                        help="where each set's index is built (one subdirectory a set)")
    parser.add_argument("--cost", type=float, default=2.0, help="what one wrong `supported` costs, in right verdicts")
    parser.add_argument("--unconstrained", action="store_true",
                        help="also fit without keeping every unsaid claim's sentences out (what the first fit did)")
    parser.add_argument("--dump", type=Path, help="write the collected rows (JSON lines) here")
    args = parser.parse_args(argv)
    rows = []
    for directory in args.sets or TRAINING_SETS:
        claims = [json.loads(line) for line in (directory / "claims.jsonl").read_text("utf-8").splitlines()
                  if line.strip()]
        name = "-".join(directory.resolve().parts[-2:])
        rows += collect(claims, directory / "sources", args.index / name)
    if args.dump:
        args.dump.write_text("".join(json.dumps(r.__dict__) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} claims; right with the rule off: {sum(r.off == r.expected for r in rows)}; "
          f"asked about {sum(r.features is not None for r in rows)}")
    for r in rows:
        if r.features is not None:
            f = r.features
            print(f"  {r.expected[:4]} off={r.off[:4]} on={r.on[:4]} logit={f['logit']:5.2f} cov={f['coverage']:.2f} "
                  f"alone={f['alone']:.3f} pair={f['pair']:.3f} pooled={f['pooled']:.3f} verbs={f['verbs']:d}  {r.claim[:70]}")
    kinds = ("alone+verbs", "alone", "pair+verbs", "pair", "pooled+verbs", "pooled")  # ties: the first
    chosen = None
    for kind, constrained in itertools.product(kinds, (True, False)[:1 + args.unconstrained]):
        (total, *_), (logit, similarity, coverage), right, wrong = fit(rows, kind, args.cost, constrained)
        print(f"{kind:>12}{'' if constrained else ' (unconstrained)'}: PARAPHRASE_LOGIT={logit} "
              f"PARAPHRASE_SIMILARITY={similarity} PARAPHRASE_COVERAGE={coverage} "
              f"-> {right}/{len(rows)} right, {wrong} new wrong supported (score {total:g})")
        if constrained and (chosen is None or total > chosen[0]):
            chosen = (total, kind, (logit, similarity, coverage))
    print(f"chosen: {chosen[1]} {chosen[2]} (the checker uses alone+verbs)")
    leave_one_story_out(rows, chosen[1], args.cost)
    fit_quoted(args.sets or TRAINING_SETS, args.index, args.cost)
    return 0


# Not below 0.2: at 0.1 a quote of the claim's speaker with one fact changed passes ("… until the county
# chipped in" for "… until the state agreed to share the cost": tests/test_claims_paraphrase.py), which
# the training claims, scored on their verdicts alone, do not catch (session 11: 0.1 gained one of them).
QUOTED_COVERAGES = (None, 0.5, 0.4, 0.3, 0.2)


def fit_quoted(sets: list[Path], index: Path, cost: float) -> None:
    """verdict.QUOTED_COVERAGE: the word coverage a sentence needs when the story gives it to the claim's own
    speaker. Every training claim is checked at each value of a fixed grid; score as above (right verdicts
    minus `cost` × wrong `supported`); ties go to the strictest (None, then the highest)."""
    import storybot
    from storybot.index.checking import verdict
    from storybot.index.checking.check import Checker

    checked = []
    for directory in sets:
        claims = [json.loads(line) for line in (directory / "claims.jsonl").read_text("utf-8").splitlines()
                  if line.strip()]
        engine = storybot.open_engine(sources=directory / "sources",
                                      index=index / "-".join(directory.resolve().parts[-2:]))
        checked.append((Checker(engine), claims))
    best = None
    for value in QUOTED_COVERAGES:
        verdict.QUOTED_COVERAGE = value
        right = wrong = 0
        for checker, claims in checked:
            for item in claims:
                got = checker.check(item["claim"], source=item.get("source")).verdict
                right += got == item["verdict"]
                wrong += got == "supported" and item["verdict"] != "supported"
        print(f"QUOTED_COVERAGE={value}: {right} right, {wrong} wrong supported")
        if best is None or right - cost * wrong > best[0]:
            best = (right - cost * wrong, value)
    print(f"chosen: QUOTED_COVERAGE={best[1]}")


def leave_one_story_out(rows: list[Row], kind: str, cost: float) -> None:
    """How the fit carries to a story it did not see: fitted on the other stories, measured on this one."""
    gained = lost = wrong = 0
    for story in sorted({r.source for r in rows}):
        held = [r for r in rows if r.source == story]
        found = fit([r for r in rows if r.source != story], kind, cost)
        if found is None:
            continue
        thresholds = found[1]
        for r in held:
            got = r.on if passes(r.features, kind, *thresholds) else r.off
            gained += got == r.expected and r.off != r.expected
            lost += got != r.expected and r.off == r.expected
            wrong += got == "supported" and r.off != "supported" and r.expected != "supported"
        print(f"  without {story}: {thresholds}")
    print(f"leave one story out ({kind}): {gained} claims put right, {lost} put wrong, {wrong} new wrong supported")


if __name__ == "__main__":
    raise SystemExit(main())
