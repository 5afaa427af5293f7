"""Fit every weight the answering engine uses, on training splits only, and write
index/answering/weights.json.

    python benchmarks/fit_weights.py [--reader storybot-answer-l12|ms-marco-l12|none|DIR] [--work DIR] [--news-train [DIR]]
                                     [--news-ranking-only] [--wrong-answer-cost C]

The shipped weights: `python benchmarks/fit_weights.py --news-train --news-ranking-only`.

Training data (read from ../shared/data, never copied into the repository):
  * SQuAD 2.0 train, 10 articles (CC BY-SA 4.0): each article a story, each context a paragraph;
    every unanswerable question and a seeded sample of the answerable ones;
  * WikiQA train (Microsoft research data licence): a seeded sample of questions, each one's
    candidate sentences a story of one-sentence paragraphs (labels: which sentences answer).
  * with --news-train: news training stories (benchmarks/data/train, written for storybot in
    session 5 by helpers who saw nothing of the code or the other sets), 8 stories and 200
    questions, 57 of them on-topic questions the story does not answer. They then carry as much
    weight in every fit as all the others together. With --news-ranking-only (the shipped weights)
    they join only the ranking fits: they are the only training data that quotes speakers, and
    in the answer models they traded right answers for declines without a better decision
    overall (docs/reader.md).
Nothing here reads the blind sets, the dev set, SQuAD dev, WikiQA test or the bundled story's
question files: those only measure (benchmarks/quality.py).

What is fitted, in order:
  1. the first-stage ranking weights (search.FEATURES): a listwise softmax over each answerable
     question's candidates, maximising the probability of its right paragraphs (L2 towards zero);
  2. the first-stage answer model (search.ANSWER_INPUTS): logistic regression over every candidate,
     label = it is a right paragraph;
  3. with a reader: how much of the first-stage score joins the reader's logit in the order of its
     candidates (a grid, for the most right paragraphs first), and the reader-stage answer model
     (search.READER_INPUTS): logistic regression over the reader's candidates.
The seed fixes the samples; the fits themselves are deterministic.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

import squad
from storybot.index.answering.search import (ANSWER_INPUTS, FEATURES, READER_INPUTS, Engine, answer_inputs,
                                             first_stage_sure, reader_inputs)
from storybot.index.answering.weights import WEIGHTS_FILE, ReaderWeights, Weights, load_weights
from storybot.index.embedding.embedder import Embedder
from storybot.index.reading.load import FINE_TUNED, NAMES, load_reader
from storybot.index.storage.store import build_index, load_index

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NEWS_TRAIN = Path(__file__).resolve().parent / "data" / "train"
READER_CANDIDATES = 3
MARGIN_GRID = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
RANK_GRID = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0)


def wikiqa_train_stories(tsv: Path, out_dir: Path, sample: int, rng: random.Random) -> list[dict]:
    """A story per sampled WikiQA train question; returns {question, source, paragraphs}."""
    grouped: dict[str, list[tuple[str, int]]] = {}
    for i, line in enumerate(tsv.read_text("utf-8").splitlines()):
        fields = line.split("\t")
        if i == 0 or len(fields) != 5 or fields[-1] not in ("0", "1"):
            continue  # the header, and a few rows laid out differently (document ids in the sentence column)
        sentence = " ".join(fields[3].split())
        if sentence:
            grouped.setdefault(fields[1], []).append((sentence, int(fields[-1])))
    questions = sorted(grouped)
    rng.shuffle(questions)
    out = []
    for n, question in enumerate(questions[:sample]):
        source = f"wikiqa-train-{n}"
        sentences = grouped[question]
        front = "---\ntitle: Wikipedia article\noutlet: Wikipedia\n---\n"
        (out_dir / f"{source}.md").write_text(front + "\n".join(s for s, _ in sentences) + "\n", "utf-8")
        out.append({"question": question, "source": source, "domain": "wikiqa",
                    "paragraphs": [k for k, (_, label) in enumerate(sentences, 1) if label]})
    return out


def squad_train_questions(path: Path, out_dir: Path, sample: int, rng: random.Random) -> list[dict]:
    """The SQuAD train articles as stories; every unanswerable question and `sample` answerable ones,
    then the other answerable ones marked `reader_only`: they fit only the reader stage's ranking
    choices, which are made on the questions the reader never saw and need more of them."""
    questions = squad.write_stories(path, out_dir)
    answerable = [q for q in questions if q.answerable]
    rng.shuffle(answerable)
    chosen = [q for q in questions if not q.answerable] + answerable[:sample]
    return [{"question": q.question, "source": q.source, "domain": "squad",
             "paragraphs": [q.paragraph] if q.answerable else []} for q in chosen] + [
        {"question": q.question, "source": q.source, "domain": "squad", "paragraphs": [q.paragraph],
         "reader_only": True} for q in answerable[sample:]]


def reader_saw(reader, question: dict) -> bool:
    """Whether the reader was trained on this question's story (its meta.json "seen": SQuAD articles by
    source name, and whether the news training stories). Such questions fit nothing in the reader stage:
    its logits there are what it memorised, not what it will give on a new story."""
    seen = getattr(reader, "meta", {}).get("seen", {})
    if question["domain"] == "squad":
        return question["source"] in {squad.slug(title) for title in seen.get("squad", [])}
    return question["domain"] == "news" and bool(seen.get("news"))


def news_train_questions(directory: Path, out_dir: Path) -> list[dict]:
    """The news training stories copied into `out_dir`, and their questions."""
    for story in sorted((directory / "sources").glob("*.md")):
        shutil.copy(story, out_dir / story.name)
    lines = (directory / "questions.jsonl").read_text("utf-8").splitlines()
    return [{**json.loads(line), "domain": "news"} for line in lines if line.strip()]


def domain_weights(questions: list[dict]) -> dict[str, float]:
    """Per domain, the weight of one of its questions: news counts as much as the rest together."""
    news = sum(q["domain"] == "news" for q in questions)
    other = len(questions) - news
    return {"news": other / news if news else 0.0, "squad": 1.0, "wikiqa": 1.0}


def balanced(items: list[dict]) -> list[dict]:
    """The items reweighted so that SQuAD and WikiQA count as much as each other (news keeps counting
    as much as both together): the reader stage is fitted on what the reader never saw, where their
    numbers of questions depend on what the reader was trained on, not on what matters more."""
    totals = {domain: sum(d["weight"] for d in items if d["domain"] == domain) for domain in ("squad", "wikiqa")}
    present = [total for total in totals.values() if total]
    scale = {domain: (sum(present) / len(present)) / total for domain, total in totals.items() if total}
    return [{**d, "weight": d["weight"] * scale.get(d["domain"], 1.0),
             "answer_weight": d["answer_weight"] * scale.get(d["domain"], 1.0)} for d in items]


def collect(engine: Engine, questions: list[dict], reader, weights: dict[str, float]) -> list[dict]:
    """Per question: candidate features, answer inputs, which candidates are right, and the reader's
    logits for the first stage's best candidates (under the weights the engine holds)."""
    items = []
    for done, q in enumerate(questions, 1):
        query = engine.read(q["question"])
        scored = engine.score(query, engine.rows_of(q["source"]))
        if len(scored.rows) == 0:
            continue
        right = np.isin(engine.index.paragraphs.number[scored.rows], q["paragraphs"])
        item = {"features": scored.features, "scored": scored, "right": right, "answerable": bool(q["paragraphs"]),
                "query": query, "weight": weights[q["domain"]], "domain": q["domain"], "question": q}
        items.append(item)
        if done % 250 == 0:
            print(f"  features: {done}/{len(questions)} questions", flush=True)
    return items


def fit_ranking(items: list[dict], l2: float = 1e-3) -> np.ndarray:
    """Listwise softmax: maximise each answerable question's probability mass on its right paragraphs."""
    answerable = [(d["features"], d["right"], d["weight"]) for d in items if d["answerable"] and d["right"].any()]
    scale = sum(weight for _, _, weight in answerable)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = l2 * float(w @ w), 2 * l2 * w
        for x, right, weight in answerable:
            s = x @ w
            s = s - s.max()
            p = np.exp(s)
            p /= p.sum()
            mass = p[right].sum()
            total -= weight * np.log(max(mass, 1e-12))
            # d(-log mass)/dw = E_p[x] - E_{p | right}[x]
            grad += weight * (p @ x - (p[right] @ x[right]) / max(mass, 1e-12))
        return total / scale, grad / scale

    # Every feature is evidence for a paragraph (more similar, more of the question's words, the speaker
    # asked for): the fit may weigh one at zero but not turn it around. SQuAD and WikiQA hardly quote
    # anyone, so a free speaker weight there fits noise (it came out negative).
    start = np.ones(len(FEATURES))
    return minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * len(FEATURES)).x


def fit_logistic(x: np.ndarray, y: np.ndarray, sample: np.ndarray | None = None, l2: float = 1e-2,
                 wrong_answer_cost: float = 1.0) -> np.ndarray:
    """Logistic regression by L-BFGS, classes weighted equally (the bias is not penalised); `sample`
    weighs each row (its question's domain weight); `wrong_answer_cost` weighs the rows that do not
    answer that much more (how much worse a wrong quote is than a missed answer)."""
    sample = np.ones(len(y)) if sample is None else sample / sample.mean()
    positive = float(np.average(y, weights=sample))
    weight = sample * np.where(y, 0.5 / max(positive, 1e-9), 0.5 * wrong_answer_cost / max(1 - positive, 1e-9))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        p = 1 / (1 + np.exp(-z))
        eps = 1e-12
        value = -np.sum(weight * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))) / len(y)
        grad = x.T @ (weight * (p - y)) / len(y)
        penalty = w.copy()
        penalty[0] = 0
        return value + l2 * float(penalty @ penalty), grad + 2 * l2 * penalty

    return minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x


def fit_first_answer(items: list[dict], rank: np.ndarray, wrong_answer_cost: float = 1.0) -> np.ndarray:
    xs, ys, ws = [], [], []
    for d in items:
        ranking = d["features"] @ rank
        top = np.argsort(-ranking, kind="stable")[:READER_CANDIDATES]  # what the answer is decided on
        xs.append(answer_inputs(d["scored"], ranking)[top])
        ys.append(d["right"][top])
        ws.append(np.full(len(top), d["answer_weight"]))
    return fit_logistic(np.vstack(xs), np.concatenate(ys).astype(np.float64), np.concatenate(ws),
                        wrong_answer_cost=wrong_answer_cost)


def read_candidates(engine: Engine, items: list[dict], reader, rank: np.ndarray, first: np.ndarray) -> None:
    for done, d in enumerate(items, 1):
        ranking = d["features"] @ rank
        top = np.argsort(-ranking, kind="stable")[:READER_CANDIDATES]
        texts = [engine.reader_text(int(d["scored"].rows[i])) for i in top]
        d["top"] = top
        d["ranking_top"] = ranking[top]
        d["first_top"] = answer_inputs(d["scored"], ranking)[top] @ first
        d["logits"] = reader.score(d["query"].corrected, texts)
        if done % 250 == 0:
            print(f"  reader: {done}/{len(items)} questions", flush=True)


def top1(items: list[dict], rank_weight: float, skip_margin: float | None = None) -> float:
    """Right paragraphs first over the answerable training questions, each counted with its weight."""
    right = 0.0
    for d in items:
        if d["answerable"]:
            r = d["ranking_top"]
            if first_stage_sure(d["ranking_top"], skip_margin):
                best = d["top"][0]
            else:
                best = d["top"][int(np.argmax(d["logits"] + rank_weight * r))]
            right += d["weight"] * bool(d["right"][best])
    return right


def reader_share(items: list[dict], skip_margin: float) -> float:
    """The share of questions on which the reader still re-orders its candidates with this margin."""
    return float(np.mean([not first_stage_sure(d["ranking_top"], skip_margin) for d in items]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reader", default=FINE_TUNED, help=f"{', '.join(NAMES)}, none, or a cross-encoder directory")
    parser.add_argument("--squad-train", type=Path, default=SHARED / "squad2-train-10articles.json")
    parser.add_argument("--wikiqa-train", type=Path, default=SHARED / "WikiQA-train.tsv")
    parser.add_argument("--squad-sample", type=int, default=1200, help="answerable SQuAD questions (all unanswerable are used)")
    parser.add_argument("--wikiqa-sample", type=int, default=800, help="WikiQA train questions")
    parser.add_argument("--news-train", type=Path, nargs="?", const=NEWS_TRAIN,
                        help=f"also fit on news training stories (default directory {NEWS_TRAIN.relative_to(NEWS_TRAIN.parents[2])}); "
                             "not used for the shipped weights, see docs/reader.md")
    parser.add_argument("--news-ranking-only", action="store_true",
                        help="news training questions join only the ranking fits (the shipped weights: they are the "
                             "only training data that quotes speakers), not the answer models")
    parser.add_argument("--wrong-answer-cost", type=float, default=1.0,
                        help="how much worse a wrong quote is than a missed answer, in the answer models")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--work", type=Path, help="keep the training index here (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="storybot-fit-"))
    sources = work / "sources"
    if sources.exists():
        shutil.rmtree(sources)
    sources.mkdir(parents=True)
    questions = squad_train_questions(args.squad_train, sources, args.squad_sample, rng)
    questions += wikiqa_train_stories(args.wikiqa_train, sources, args.wikiqa_sample, rng)
    if args.news_train is not None:
        questions += news_train_questions(args.news_train, sources)
    sampled = [q for q in questions if not q.get("reader_only")]
    weights = domain_weights(sampled)
    print(f"{len(sampled)} training questions ({sum(not q['paragraphs'] for q in sampled)} unanswerable) and "
          f"{len(questions) - len(sampled)} for the reader stage's ranking only; weight of a question by domain: "
          f"{weights}", flush=True)

    embedder = Embedder()
    build_index(sources, work / "index", embedder)
    embedder.release_build_encoder()
    reader = None if args.reader == "none" else load_reader(args.reader)
    shipped = load_weights()
    engine = Engine(load_index(work / "index"), embedder, weights=shipped)
    items = collect(engine, questions, reader, weights)
    for d in items:
        d["answer_weight"] = 0.0 if args.news_ranking_only and d["domain"] == "news" else d["weight"]

    for d in items:
        d["reader_saw"] = reader is not None and reader_saw(reader, d["question"])
    everything, items = items, [d for d in items if not d["question"].get("reader_only")]
    rank = fit_ranking(items)
    print(f"ranking weights: {dict(zip(FEATURES, np.round(rank, 3)))}")
    print(f"  top-1 on training (weighted): {top1_first(items, shipped.rank_array):.0f} (previous weights) → "
          f"{top1_first(items, rank):.0f} of {sum(d['weight'] for d in items if d['answerable']):.0f}")
    first = fit_first_answer(items, rank, args.wrong_answer_cost)
    print(f"first-stage answer weights: {dict(zip(ANSWER_INPUTS, np.round(first, 3)))}")

    reader_weights = None
    if reader is not None:
        engine = Engine(engine.index, embedder, weights=Weights(rank=rank.tolist(), answer=first.tolist(), reader=ReaderWeights(
            model=reader.name, candidates=READER_CANDIDATES, rank_weight=0.0, answer=[0.0] * len(READER_INPUTS))))
        unseen = balanced([d for d in everything if not d["reader_saw"]])
        print(f"reader stage fitted on the {len(unseen)} training questions whose stories the reader never saw "
              f"({len(everything) - len(unseen)} left out); its answer model on the "
              f"{sum(not d['question'].get('reader_only') for d in unseen)} of them sampled", flush=True)
        read_candidates(engine, unseen, reader, rank, first)
        counts = {w: round(top1(unseen, w), 1) for w in RANK_GRID}
        rank_weight = max(RANK_GRID, key=lambda w: (counts[w], -w))
        print(f"reader + first stage, top-1 on training by rank weight: {counts} → {rank_weight}")
        # The smallest margin above which skipping the reader costs no training question its right paragraph.
        skip_margin = next((m for m in MARGIN_GRID if round(top1(unseen, rank_weight, m), 1) >= counts[rank_weight]), None)
        if skip_margin is not None:
            print(f"the reader reads only the first candidate when the first stage leads by ≥ {skip_margin}: "
                  f"re-orders on {100 * reader_share(unseen, skip_margin):.0f}% of training questions")
        xs, ys, ws = [], [], []
        for d in balanced([d for d in unseen if not d["question"].get("reader_only")]):
            # what the engine reads of this question
            n = 1 if first_stage_sure(d["ranking_top"], skip_margin) else len(d["top"])
            xs.append(reader_inputs(d["logits"][:n], d["first_top"][:n]))
            ys.append(d["right"][d["top"][:n]])
            ws.append(np.full(n, d["answer_weight"]))
        answer = fit_logistic(np.vstack(xs), np.concatenate(ys).astype(np.float64), np.concatenate(ws),
                              wrong_answer_cost=args.wrong_answer_cost)
        print(f"reader answer weights: {dict(zip(READER_INPUTS, np.round(answer, 3)))}")
        reader_weights = ReaderWeights(model=reader.name, candidates=READER_CANDIDATES, rank_weight=rank_weight,
                                       answer=[round(float(v), 6) for v in answer], skip_margin=skip_margin)

    weights = Weights(
        rank=[round(float(v), 6) for v in rank], answer=[round(float(v), 6) for v in first], reader=reader_weights,
        provenance={"script": "benchmarks/fit_weights.py", "fitted": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
                    "seed": args.seed, "reader": args.reader, "wrong_answer_cost": args.wrong_answer_cost,
                    "news_ranking_only": args.news_ranking_only,
                    "data": {"squad2-train-10articles.json (CC BY-SA 4.0)": sum(q["domain"] == "squad" for q in sampled),
                             "WikiQA-train.tsv (Microsoft research data licence)": sum(q["domain"] == "wikiqa"
                                                                                        for q in questions),
                             "benchmarks/data/train (news stories written for storybot)": sum(
                                 q["domain"] == "news" for q in questions)}})
    args.out.write_text(weights.model_dump_json(indent=2) + "\n", "utf-8")
    print(f"wrote {args.out}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


def top1_first(items: list[dict], rank: np.ndarray) -> float:
    return sum(d["weight"] * bool(d["right"][int(np.argmax(d["features"] @ rank))]) for d in items if d["answerable"])


if __name__ == "__main__":
    main()
