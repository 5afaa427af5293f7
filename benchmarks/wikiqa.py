"""WikiQA as storybot stories: each DocumentID becomes a story whose sentences are its paragraphs.

The TSV is read from where it lives (../shared/data/WikiQA-test.tsv by default) and never copied
into the repository; the stories are written to a directory the caller owns (a temp dir).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "WikiQA-test.tsv"


@dataclass
class WikiQuestion:
    qid: str
    question: str
    source: str  # story id = DocumentID
    labels: dict[int, int] = field(default_factory=dict)  # paragraph number -> 1/0

    @property
    def answerable(self) -> bool:
        return any(self.labels.values())


def read_wikiqa(tsv: Path) -> tuple[dict[str, tuple[str, list[str]]], list[WikiQuestion]]:
    """Return ({document id: (title, sentences)}, questions in file order)."""
    documents: dict[str, tuple[str, list[str]]] = {}
    questions: dict[str, WikiQuestion] = {}
    with open(tsv, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            doc = row["DocumentID"]
            title, sentences = documents.setdefault(doc, (row["DocumentTitle"], []))
            position = int(row["SentenceID"].rsplit("-", 1)[1])
            while len(sentences) <= position:
                sentences.append("")
            sentences[position] = " ".join(row["Sentence"].split())
            q = questions.setdefault(row["QuestionID"], WikiQuestion(row["QuestionID"], row["Question"], doc))
            q.labels[position] = int(row["Label"])
    return documents, list(questions.values())


def write_stories(tsv: Path, out_dir: Path) -> list[WikiQuestion]:
    """Write one .md story per document into `out_dir`; return the questions with labels keyed by
    the paragraph number storybot will report (empty sentences are not paragraphs)."""
    documents, questions = read_wikiqa(tsv)
    out_dir.mkdir(parents=True, exist_ok=True)
    numbering: dict[str, dict[int, int]] = {}
    for doc, (title, sentences) in documents.items():
        kept = [(i, s) for i, s in enumerate(sentences) if s.strip()]
        numbering[doc] = {i: n for n, (i, _) in enumerate(kept, 1)}
        # JSON strings are valid YAML scalars, so any title survives the front matter verbatim.
        front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\noutlet: Wikipedia\n---\n"
        (out_dir / f"{doc}.md").write_text(front + "\n".join(s for _, s in kept) + "\n", "utf-8")
    for q in questions:
        q.labels = {numbering[q.source][i]: label for i, label in q.labels.items() if i in numbering[q.source]}
    return questions


def average_precision(ranked: list[int], labels: dict[int, int]) -> float:
    """AP of a ranking of paragraph numbers; paragraphs missing from the ranking count as misses."""
    relevant = sum(labels.values())
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for rank, number in enumerate(ranked, 1):
        if labels.get(number):
            hits += 1
            total += hits / rank
    return total / relevant


def reciprocal_rank(ranked: list[int], labels: dict[int, int]) -> float:
    for rank, number in enumerate(ranked, 1):
        if labels.get(number):
            return 1.0 / rank
    return 0.0
