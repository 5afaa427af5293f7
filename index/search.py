"""Answer a question from a loaded index: hybrid scoring, the answering sentence, abstention.

Each candidate paragraph gets a score from four signals:
  * dense similarity of the question to the paragraph (embedded with its story title),
  * dense similarity to the paragraph's best sentence (answers usually live in one sentence),
  * BM25 over stemmed words, scaled by the best BM25 score among candidates,
  * coverage: the IDF-weighted share of the question's content words the paragraph contains.
The top paragraph answers when its score clears a threshold calibrated on our own questions
(benchmarks/data/story_questions.jsonl); otherwise `answered` is false and the closest passages
are still returned for the caller to show, clearly labelled, or not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import faiss
import numpy as np

from index.embedder import Embedder
from index.errors import InputError
from index.models import Answer, Passage
from index.store import StoryIndex
from index.text import normalise, tokens

# Fusion weights and the answer threshold (see benchmarks/quality.py for how they were chosen).
W_PARAGRAPH, W_SENTENCE, W_BM25, W_COVERAGE = 0.35, 0.35, 0.15, 0.15
ANSWER_THRESHOLD = 0.42
EXHAUSTIVE_LIMIT = 20_000  # up to this many paragraphs every one is scored; above, FAISS + BM25 pick
CANDIDATES = 100
MAX_QUESTION_CHARS = 4096


@dataclass
class _Scored:
    row: int
    score: float
    sentence: int  # index of the best sentence within the paragraph


class Engine:
    """The question → Answer core shared by the CLI and the bot."""

    def __init__(self, index: StoryIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder
        indptr = np.asarray(index.bm25.scores["indptr"])
        n_docs = max(int(index.bm25.scores["num_docs"]), 1)
        df = np.diff(indptr).astype(np.float64)
        self._idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        self._vocab: dict[str, int] = index.bm25.vocab_dict
        self._default_idf = math.log(1.0 + (n_docs + 0.5) / 0.5)

    @property
    def threshold(self) -> float:
        return ANSWER_THRESHOLD

    def ask(self, question: str, *, top_k: int = 3, source: str | None = None) -> Answer:
        """Return the best `top_k` passages for `question`, best first, and whether they answer it."""
        question = validate_question(question)
        if top_k < 1:
            raise InputError("--top-k must be at least 1")
        rows = self._rows(source)
        qvec = self.embedder.encode_query(normalise(question))
        qtokens = tokens(question)
        scored = self._score(qvec, qtokens, self._candidates(qvec, qtokens, rows))
        passages: list[Passage] = []
        seen_texts: set[str] = set()
        for item in scored:
            paragraph = self.index.paragraphs[item.row]
            key = " ".join(normalise(paragraph.text).lower().split())
            if key in seen_texts:  # the same paragraph carried by two stories is shown once
                continue
            seen_texts.add(key)
            story = self.index.stories[paragraph.story]
            passages.append(Passage(
                source=story.id, title=story.title, outlet=story.outlet, paragraph=paragraph.number,
                text=paragraph.text, highlight=paragraph.sentences[item.sentence], speaker=paragraph.speaker,
                score=round(item.score, 4),
            ))
            if len(passages) == top_k:
                break
        answered = bool(passages) and passages[0].score >= self.threshold
        return Answer(question=question, answered=answered, passages=passages)

    def _rows(self, source: str | None) -> tuple[int, int]:
        if source is None:
            return 0, len(self.index.paragraphs)
        if source not in self.index.story_ranges:
            known = ", ".join(sorted(self.index.story_ranges)[:10])
            raise InputError(f"no story with id {source!r} (known: {known})")
        return self.index.story_ranges[source]

    def _candidates(self, qvec: np.ndarray, qtokens: list[str], rows: tuple[int, int]) -> np.ndarray:
        first, end = rows
        if end - first <= EXHAUSTIVE_LIMIT:
            return np.arange(first, end)
        params = None
        if (first, end) != (0, len(self.index.paragraphs)):
            params = faiss.SearchParameters(sel=faiss.IDSelectorRange(first, end))
        _, ids = self.index.faiss_index.search(qvec[None, :], CANDIDATES, params=params)
        found = set(int(i) for i in ids[0] if i >= 0)
        if qtokens:
            lexical = self.index.bm25.get_scores(qtokens)[first:end]
            top = np.argpartition(-lexical, min(CANDIDATES, len(lexical) - 1))[:CANDIDATES]
            found.update(int(first + i) for i in top if lexical[i] > 0)
        return np.fromiter(sorted(found), dtype=np.int64)

    def _score(self, qvec: np.ndarray, qtokens: list[str], rows: np.ndarray) -> list[_Scored]:
        if len(rows) == 0:
            return []
        dense_p = np.asarray(self.index.paragraph_vectors[rows]) @ qvec
        offsets = self.index.sentence_offsets
        best_sentence = np.empty(len(rows))
        best_index = np.zeros(len(rows), dtype=np.int64)
        for i, row in enumerate(rows):
            lo, hi = int(offsets[row]), int(offsets[row + 1])
            sims = np.asarray(self.index.sentence_vectors[lo:hi]) @ qvec
            best_index[i] = int(np.argmax(sims))
            best_sentence[i] = float(sims[best_index[i]])
        if qtokens:
            bm25 = self.index.bm25.get_scores(qtokens)[rows]
            top = float(bm25.max())
            bm25_norm = bm25 / top if top > 0 else np.zeros(len(rows))
            coverage = self._coverage(qtokens, rows)
        else:
            bm25_norm = coverage = np.zeros(len(rows))
        fused = W_PARAGRAPH * dense_p + W_SENTENCE * best_sentence + W_BM25 * bm25_norm + W_COVERAGE * coverage
        order = np.argsort(-fused, kind="stable")
        return [_Scored(int(rows[i]), float(fused[i]), int(best_index[i])) for i in order]

    def _coverage(self, qtokens: list[str], rows: np.ndarray) -> np.ndarray:
        """IDF-weighted share of the question's distinct content words found in each paragraph."""
        unique = list(dict.fromkeys(qtokens))
        weights = np.array([self._idf[self._vocab[t]] if t in self._vocab else self._default_idf for t in unique])
        paragraph_tokens = [set(tokens(self.index.paragraphs[r].text)) for r in rows]
        hits = np.array([[t in toks for t in unique] for toks in paragraph_tokens], dtype=np.float64)
        return hits @ weights / weights.sum()


def validate_question(question: str) -> str:
    """Strip the question; refuse empty or absurdly long ones with a clear message."""
    cleaned = normalise(question or "").strip()
    if not cleaned:
        raise InputError("the question is empty; ask something about the story")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"the question is too long ({len(question)} characters; at most {MAX_QUESTION_CHARS})")
    return question.strip()
