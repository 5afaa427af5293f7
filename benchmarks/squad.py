"""SQuAD 2.0 (Rajpurkar et al. 2018; CC BY-SA 4.0) as storybot stories: each article becomes a
story, each context one paragraph, each question is asked with `source` its article.

The JSON is read from where it lives (../shared/data/squad2-dev-10articles.json by default) and
never copied into the repository; stories go to a directory the caller owns (a temp dir).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "squad2-dev-10articles.json"


@dataclass
class SquadQuestion:
    qid: str
    question: str
    source: str  # story id: the article's slug
    paragraph: int  # 1-based paragraph of its own context (unanswerable ones too: asked of that article)
    answers: list[str]  # empty when the question is unanswerable

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "article"


def write_stories(path: Path, out_dir: Path, skip: frozenset[str] | set[str] = frozenset()) -> list[SquadQuestion]:
    """Write one .md story per article into `out_dir`, except the articles titled in `skip`;
    return the questions in file order."""
    data = [article for article in json.loads(path.read_text("utf-8"))["data"] if article["title"] not in skip]
    out_dir.mkdir(parents=True, exist_ok=True)
    questions: list[SquadQuestion] = []
    for article in data:
        source = slug(article["title"])
        title = article["title"].replace("_", " ")
        paragraphs = [" ".join(p["context"].split()) for p in article["paragraphs"]]
        front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\noutlet: Wikipedia\n---\n"
        (out_dir / f"{source}.md").write_text(front + "\n".join(paragraphs) + "\n", "utf-8")
        for number, p in enumerate(article["paragraphs"], 1):
            for qa in p["qas"]:
                answers = [] if qa.get("is_impossible") else sorted({a["text"] for a in qa["answers"]})
                questions.append(SquadQuestion(qa["id"], qa["question"], source, number, answers))
    return questions


def scores(questions: list[SquadQuestion], answers: list[dict]) -> dict:
    """Right paragraph first and answer sentence (over answerable questions); answer/no-answer
    accuracy two ways: the decision alone, and strict (an answer counts only from the right paragraph)."""
    answerable = [(q, a) for q, a in zip(questions, answers) if q.answerable]
    right = [(q, a) for q, a in answerable if a["passages"] and a["passages"][0]["paragraph"] == q.paragraph]
    held = [q for q, a in right if any(t in a["passages"][0]["highlight"] for t in q.answers)]
    decision = sum(a["answered"] == q.answerable for q, a in zip(questions, answers))
    strict = sum((not a["answered"]) if not q.answerable else
                 (a["answered"] and a["passages"][0]["paragraph"] == q.paragraph)
                 for q, a in zip(questions, answers))
    return {"questions": len(questions), "answerable": len(answerable), "right": len(right), "held": len(held),
            "decision": decision / len(questions), "strict": strict / len(questions),
            "always_decline": 1 - len(answerable) / len(questions)}
