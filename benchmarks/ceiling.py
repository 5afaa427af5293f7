"""How far the engine's signals can go on the story questions: weights fitted on the test itself.

    python benchmarks/ceiling.py [--work DIR]

The ranking is a weighted sum of per-paragraph features and the answer decision a logistic model
over a few more (index/answering/search.py). This script refits both on every story question file at once
(the questions they are then scored on) and prints what those best-case weights reach:

  * ranking: a listwise softmax over each question's paragraphs (maximising the probability of its
    right paragraphs), then a coordinate search on the top-1 count itself from there and from the
    shipped weights; top-1 correct with the shipped weights and with the best found;
  * answer decision: a logistic model over the top passage's signals, its threshold set so that
    95% of answerable questions stay answered; how many unanswerable ones it then declines.

Weights fitted on the test overstate what any weights can do on new questions, so when even these
miss the issue's targets (95% top-1; 90% declined at 95% answered), better weights cannot close
the gap: it needs a signal the features do not carry (a model that reads the question and
passage together). Nothing here is used by storybot itself.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]

from storybot.index.embedding.embedder import DEFAULT_MODEL  # noqa: E402
from storybot.index.answering.search import FEATURES, Engine, answer_inputs  # noqa: E402
from storybot.index.answering.weights import load_weights  # noqa: E402
from storybot.index.service import open_engine  # noqa: E402

SHIPPED = load_weights()
RANK_WEIGHTS, ANSWER_WEIGHTS = SHIPPED.rank_array, SHIPPED.answer_array
QUESTION_FILES = ("story_questions.jsonl", "story_questions_heldout.jsonl", "story_questions_fresh.jsonl")


def features(engine: Engine, questions: list[dict]) -> list[dict]:
    """Per question: the candidates' ranking features, answer-model inputs and which are right."""
    rows = (0, len(engine.index.paragraphs))
    out = []
    for q in questions:
        scored = engine.score(engine.read(q["question"]), rows)
        ranking = scored.features @ RANK_WEIGHTS
        answer_x = answer_inputs(scored, ranking)
        right = np.isin(engine.index.paragraphs.number[scored.rows], q["paragraphs"])
        out.append({"features": scored.features, "answer_x": answer_x, "ranking": ranking, "right": right,
                    "answerable": bool(q["paragraphs"])})
    return out


def fit_ranking(items: list[dict]) -> np.ndarray:
    """Weights maximising each answerable question's probability of its right paragraphs."""
    answerable = [(d["features"], d["right"]) for d in items if d["answerable"]]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for x, right in answerable:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            mass = p[right].sum()
            total -= np.log(mass + 1e-12)
            grad -= (p[right] @ x[right]) / (mass + 1e-12) - p @ x
        return total / len(answerable), grad / len(answerable)

    best = None
    for scale in (1.0, 5.0, 20.0):  # the softmax temperature is part of the fit: try a few starts
        result = minimize(loss, RANK_WEIGHTS * scale, jac=True, method="L-BFGS-B")
        if best is None or result.fun < best.fun:
            best = result
    return best.x


def search_top1(items: list[dict], starts: list[np.ndarray], rounds: int = 4) -> np.ndarray:
    """Coordinate search for the weights with the most top-1 hits (the count itself, not a smooth
    stand-in for it): each weight in turn is tried at many values, the best kept."""
    best_w, best = None, -1
    grid = np.concatenate([-np.logspace(-2, 1, 16)[::-1], [0.0], np.logspace(-2, 1, 16)])
    for start in starts:
        w = start.copy()
        score = top1(items, w)
        for _ in range(rounds):
            for k in range(len(w)):
                for value in grid:
                    trial = w.copy()
                    trial[k] = value
                    hits = top1(items, trial)
                    if hits > score:
                        w, score = trial, hits
        if score > best:
            best_w, best = w, score
    return best_w


def top1(items: list[dict], weights: np.ndarray) -> int:
    return sum(bool(d["right"][int(np.argmax(d["features"] @ weights))]) for d in items if d["answerable"])


def declined_at_95(items: list[dict], probability) -> tuple[int, int]:
    """Unanswerable questions declined when the threshold keeps 95% of answerable ones answered."""
    answerable = sorted(probability(d) for d in items if d["answerable"])
    threshold = answerable[int(0.05 * len(answerable))]
    return sum(probability(d) < threshold for d in items if not d["answerable"]), \
        sum(not d["answerable"] for d in items)


def fit_answer(items: list[dict]) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([d["answer_x"][int(np.argmax(d["ranking"]))] for d in items])
    y = np.array([d["answerable"] and bool(d["right"][int(np.argmax(d["ranking"]))]) for d in items])
    return LogisticRegression(C=100.0, fit_intercept=False, max_iter=10_000).fit(x, y).coef_[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, help="keep the index here (default: a temp dir)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="storybot-ceiling-"))
    try:
        engine = open_engine(ROOT / "sources", work / "story-index", DEFAULT_MODEL)
        questions = []
        for name in QUESTION_FILES:
            path = ROOT / "benchmarks" / "data" / name
            if path.exists():
                questions += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        items = features(engine, questions)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    n = sum(d["answerable"] for d in items)
    fitted = search_top1(items, [RANK_WEIGHTS.copy(), fit_ranking(items)])
    answer = fit_answer(items)

    def shipped(d: dict) -> float:
        i = int(np.argmax(d["ranking"]))
        return float(d["answer_x"][i] @ ANSWER_WEIGHTS)

    def refit(d: dict) -> float:
        return float(d["answer_x"][int(np.argmax(d["ranking"]))] @ answer)

    print(f"storybot ceiling — {len(items)} story questions ({n} answerable), weights fitted on them")
    print(f"  top-1, shipped weights:             {top1(items, RANK_WEIGHTS)}/{n}")
    print(f"  top-1, weights fitted on the test:  {top1(items, fitted)}/{n}")
    print("    those weights: " + ", ".join(f"{f} {w:.3g}" for f, w in zip(FEATURES, fitted)))
    print(f"  right paragraph in the top 3, shipped weights: "
          f"{sum(bool(d['right'][np.argsort(-d['ranking'], kind='stable')[:3]].any()) for d in items if d['answerable'])}/{n}")
    declined, total = declined_at_95(items, shipped)
    print(f"  declined at 95% answered, shipped answer model:          {declined}/{total}")
    declined, total = declined_at_95(items, refit)
    print(f"  declined at 95% answered, answer model fitted on the test: {declined}/{total}")


if __name__ == "__main__":
    main()
