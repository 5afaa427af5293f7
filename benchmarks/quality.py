"""Answer quality through the public CLI contract (`storybot ask --json -`), printed as one table.

    python benchmarks/quality.py [WIKIQA_TSV] [--work DIR] [--verbose] [--sets blind2,dev] [--skip-squad] [--skip-wikiqa]

Story questions: benchmarks/data/story_questions.jsonl (written by hand before any tuning; the
engine's weights were fitted on it), story_questions_heldout.jsonl (written later, before
looking at how the system answers them, never used for fitting) and story_questions_fresh.jsonl
(written in session 3 by someone who saw only the story, never the code or its answers; its
first run is recorded in benchmarks/data/README.md). Top-1 is correct when the first
passage is one of the question's paragraphs; "answered" is the contract's `answered` flag.

WikiQA (Yang et al. 2015, test split; read from ../shared/data/WikiQA-test.tsv unless a path is
given, never copied into the repository): every DocumentID becomes a story whose sentences are
its paragraphs, written to a temporary sources directory; every question is asked restricted to
its own document ("source"). MAP and MRR are over the questions with a correct sentence (the
CLI returns at most 20 passages; a correct sentence ranked lower counts as missed). Answer
triggering (all questions): precision = answered questions whose top passage is correct /
answered questions; recall = the same / questions that have a correct sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import squad
from claims import claim_accuracy
from wikiqa import DEFAULT_TSV, average_precision, reciprocal_rank, write_stories

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
BLIND = DATA / "blind"
BLIND2 = DATA / "blind2"  # written in session 5 by a helper who saw only its own stories
BLIND3 = DATA / "blind3"  # written in session 9 the same way
MAX_TOP_K = 20  # the CLI's limit
SET_KEYS = ("set1", "set2", "set3", "dev", "blind", "blind2", "blind3")


def storybot_command() -> list[str]:
    beside = Path(sys.executable).parent / "storybot"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("storybot")
    return [found] if found else [sys.executable, "-m", "storybot"]


def ask_batch(lines: list[dict], *, sources: Path, index: Path, top_k: int) -> tuple[list[dict], float]:
    """Run one `storybot ask --json -` over `lines`; return the answers in order and the seconds per
    question after the first answer (model loading and index building excluded)."""
    command = storybot_command() + ["ask", "--json", "-", "--top-k", str(top_k),
                                    "--sources", str(sources), "--index", str(index)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               encoding="utf-8", cwd=ROOT)
    assert process.stdin and process.stdout
    feed = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    # Writing all questions first would block on a full pipe once answers pile up unread; a
    # thread feeds stdin while this thread reads.
    def write() -> None:
        process.stdin.write(feed)
        process.stdin.close()

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    answers: list[dict] = []
    first = last = 0.0
    for raw in process.stdout:
        last = time.perf_counter()
        if not answers:
            first = last
        answers.append(json.loads(raw))
    writer.join()
    if process.wait() != 0 or len(answers) != len(lines):
        raise SystemExit(f"storybot ask failed (exit {process.returncode}, {len(answers)}/{len(lines)} answers)")
    errors = [a for a in answers if "error" in a]
    if errors:
        raise SystemExit(f"storybot could not answer {len(errors)} question(s): {errors[0]}")
    per_question = (last - first) / (len(answers) - 1) if len(answers) > 1 else 0.0
    return answers, per_question


def story_scores(path: Path, answers: list[dict], verbose: bool) -> dict:
    questions = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    answerable = [(q, a) for q, a in zip(questions, answers) if q["paragraphs"]]
    unanswerable = [(q, a) for q, a in zip(questions, answers) if not q["paragraphs"]]
    correct = [q for q, a in answerable if a["passages"] and a["passages"][0]["paragraph"] in q["paragraphs"]]
    answered = [q for q, a in answerable if a["answered"]]
    answered_right = [q for q, a in answerable if a["answered"] and a["passages"][0]["paragraph"] in q["paragraphs"]]
    declined = [q for q, a in unanswerable if not a["answered"]]
    if verbose:
        for q, a in answerable:
            top = a["passages"][0]["paragraph"] if a["passages"] else None
            if top not in q["paragraphs"]:
                print(f"  {path.name}: top-1 ¶{top}, wanted {q['paragraphs']}: {q['question']}", file=sys.stderr)
            if not a["answered"]:
                print(f"  {path.name}: declined an answerable question: {q['question']}", file=sys.stderr)
        for q, a in unanswerable:
            if a["answered"]:
                print(f"  {path.name}: answered an unanswerable question (¶{a['passages'][0]['paragraph']}): "
                      f"{q['question']}", file=sys.stderr)
    return {"answerable": len(answerable), "unanswerable": len(unanswerable), "correct": len(correct),
            "answered": len(answered), "answered_right": len(answered_right), "declined": len(declined)}


def wikiqa_scores(questions, answers: list[dict]) -> dict:
    aps, rrs = [], []
    answered = right = 0
    for q, a in zip(questions, answers):
        ranked = [p["paragraph"] for p in a["passages"]]
        if q.answerable:
            aps.append(average_precision(ranked, q.labels))
            rrs.append(reciprocal_rank(ranked, q.labels))
        if a["answered"]:
            answered += 1
            right += bool(ranked and q.labels.get(ranked[0]))
    with_answer = sum(q.answerable for q in questions)
    precision = right / answered if answered else 0.0
    recall = right / with_answer if with_answer else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"questions": len(questions), "with_answer": with_answer, "map": sum(aps) / len(aps),
            "mrr": sum(rrs) / len(rrs), "answered": answered, "precision": precision, "recall": recall, "f1": f1}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def reader_seen() -> dict:
    """What the reader the shipped weights run was trained on (its meta.json "seen"), if any."""
    from storybot.index.answering.weights import load_weights
    from storybot.index.reading.load import reader_meta

    fitted = load_weights().reader
    return reader_meta(fitted.model).get("seen", {}) if fitted is not None else {}


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wikiqa", nargs="?", type=Path, default=DEFAULT_TSV, help="WikiQA-test.tsv")
    parser.add_argument("--work", type=Path, help="keep indexes here between runs (default: a temp dir)")
    parser.add_argument("--squad", type=Path, default=squad.DEFAULT_DEV, help="SQuAD 2.0 dev JSON")
    parser.add_argument("--skip-wikiqa", action="store_true", help="no WikiQA")
    parser.add_argument("--skip-squad", action="store_true", help="no SQuAD 2.0")
    parser.add_argument("--verbose", action="store_true", help="list every miss on stderr")
    parser.add_argument("--sets", default=",".join(SET_KEYS),
                        help=f"story sets to run, comma-separated (default: all of {','.join(SET_KEYS)})")
    args = parser.parse_args()
    if not args.skip_wikiqa and not args.wikiqa.is_file():
        raise SystemExit(f"WikiQA file not found: {args.wikiqa} (give its path, or --skip-wikiqa)")

    work = args.work or Path(tempfile.mkdtemp(prefix="storybot-quality-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        rows: list[tuple[str, str, str, str]] = []
        timings: list[str] = []
        # (key, label, questions, sources, index name); blind questions name their story and are asked of it.
        story_sets = [("set1", "bundled story, set 1 (hand weights were fitted on it)", DATA / "story_questions.jsonl",
                       ROOT / "sources", "story-index"),
                      ("set2", "bundled story, set 2 (used to choose features)", DATA / "story_questions_heldout.jsonl",
                       ROOT / "sources", "story-index"),
                      ("set3", "bundled story, set 3 (used to choose rules)", DATA / "story_questions_fresh.jsonl",
                       ROOT / "sources", "story-index"),
                      ("dev", "dev: 4 new stories (used to choose settings)", DATA / "dev" / "questions.jsonl",
                       DATA / "dev" / "sources", "dev-index"),
                      ("blind", "blind: 5 new stories", BLIND / "questions.jsonl", BLIND / "sources", "blind-index"),
                      ("blind2", "blind 2: 4 new stories", BLIND2 / "questions.jsonl", BLIND2 / "sources", "blind2-index"),
                      ("blind3", "blind 3: 4 new stories", BLIND3 / "questions.jsonl", BLIND3 / "sources", "blind3-index")]
        wanted = {key.strip() for key in args.sets.split(",")}
        if wanted - set(SET_KEYS):
            raise SystemExit(f"unknown set(s): {', '.join(sorted(wanted - set(SET_KEYS)))}; choose from {', '.join(SET_KEYS)}")
        for key, label, path, sources, index_name in story_sets:
            if key not in wanted:
                continue
            questions = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
            answers, seconds = ask_batch([{"question": q["question"], **({"source": q["source"]} if "source" in q else {})}
                                          for q in questions],
                                         sources=sources, index=work / index_name, top_k=3)
            s = story_scores(path, answers, args.verbose)
            rows += [(label, "right paragraph first (answerable)", pct(s["correct"], s["answerable"]), "≥ 95%"),
                     (label, "answered (answerable)", pct(s["answered"], s["answerable"]), "≥ 95%"),
                     (label, "answered with the right paragraph", pct(s["answered_right"], s["answerable"]), ""),
                     (label, "declined (unanswerable)", pct(s["declined"], s["unanswerable"]), "≥ 90%")]
            timings.append(f"{label}: {1000 * seconds:.1f} ms/question")
        for key, label, blind, index_name in (("blind", "blind: 5 new stories", BLIND, "blind-index"),
                                              ("blind2", "blind 2: 4 new stories", BLIND2, "blind2-index"),
                                              ("blind3", "blind 3: 4 new stories", BLIND3, "blind3-index")):
            if key not in wanted:
                continue
            report = claim_accuracy(blind / "claims.jsonl", sources=blind / "sources", index=work / index_name)
            if args.verbose:
                for claim, expected, got, reason in report.misses:
                    print(f"  {label} claims: {got}, wanted {expected}: {claim}", file=sys.stderr)
            rows.append((label, "claims checked right", pct(report.correct, report.total), "≥ 90%"))
        if not args.skip_squad and args.squad.is_file():
            sources = work / "squad-sources"
            if sources.exists():
                shutil.rmtree(sources)
            # Never score an article the shipped reader was trained on (its meta.json "seen").
            seen = set(reader_seen().get("squad", []))
            questions = squad.write_stories(args.squad, sources, skip=seen)
            articles = len({q.source for q in questions})
            answers, seconds = ask_batch([{"question": q.question, "source": q.source} for q in questions],
                                         sources=sources, index=work / "squad-index", top_k=3)
            q = squad.scores(questions, answers)
            label = (f"SQuAD 2.0 dev, {articles} articles{' the reader never saw' if seen else ''} "
                     f"({q['questions']} q, {q['answerable']} answerable)")
            rows += [(label, "right paragraph first (answerable)", f"{q['right'] / q['answerable']:.3f}", "≥ 0.93"),
                     (label, "answer sentence holds the answer", f"{q['held'] / q['answerable']:.3f}", ""),
                     (label, "answer/no-answer accuracy", f"{q['decision']:.3f} (always declining "
                                                          f"{q['always_decline']:.3f})", "≥ 0.75"),
                     (label, "… strict (answers only from the right paragraph)", f"{q['strict']:.3f}", "")]
            timings.append(f"SQuAD: {1000 * seconds:.1f} ms/question")
        if not args.skip_wikiqa:
            sources = work / "wikiqa-sources"
            if sources.exists():
                shutil.rmtree(sources)
            questions = write_stories(args.wikiqa, sources)
            answers, seconds = ask_batch([{"question": q.question, "source": q.source} for q in questions],
                                         sources=sources, index=work / "wikiqa-index", top_k=MAX_TOP_K)
            w = wikiqa_scores(questions, answers)
            label = f"WikiQA test ({w['questions']} q, {w['with_answer']} with answer)"
            rows += [(label, "MAP", f"{w['map']:.4f}", "≥ 0.85"),
                     (label, "MRR", f"{w['mrr']:.4f}", ""),
                     (label, "answer triggering P / R / F1",
                      f"{w['precision']:.3f} / {w['recall']:.3f} / {w['f1']:.3f} ({w['answered']} answered)", "F1 ≥ 0.50")]
            timings.append(f"WikiQA: {1000 * seconds:.1f} ms/question")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    print(f"storybot answer quality — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — {machine()}")
    print()
    print("| benchmark | metric | value | target |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print("Answer path through the CLI, batch mode, after start-up: " + "; ".join(timings))
    print("Where a target is missed, what was tried and the best reached: docs/reader.md and docs/quality-history.md.")


if __name__ == "__main__":
    main()
