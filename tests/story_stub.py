"""A made-up story held in memory, checked by the real Checker: the engine returns its paragraphs best
first by the words they share with the claim, and the reader scores sentences the same way."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from storybot.index.checking.check import Checker
from storybot.index.language.sentences import split_sentences
from storybot.index.language.speakers import find_speaker
from storybot.index.language.text import tokens
from storybot.index.models import Answer, ClaimCheck, Paragraph, Passage


def _overlap(a: str, b: str) -> float:
    wanted = set(tokens(a))
    return len(wanted & set(tokens(b))) / max(1, len(wanted))


class _WordReader:
    name = "words"

    def score(self, text: str, passages: list[str]) -> np.ndarray:
        return np.array([10.0 * _overlap(text, p) - 2.0 for p in passages])


class _Engine:
    def __init__(self, title: str, paragraphs: list[str]) -> None:
        # each paragraph's speaker read as an index build reads it (storage/sources.py)
        self.paragraphs = [Paragraph(story="s", number=k, text=p, sentences=split_sentences(p), speaker=find_speaker(p))
                           for k, p in enumerate(paragraphs, 1)]
        self.index = SimpleNamespace(
            story_ranges={"s": (0, len(self.paragraphs))}, paragraphs=self.paragraphs,
            stories={"s": SimpleNamespace(title=title)},
            paragraph=lambda source, n: self.paragraphs[n - 1] if 1 <= n <= len(self.paragraphs) else None)
        self.reader = None

    def ask(self, text: str, top_k: int, source: str | None = None) -> Answer:
        ranked = sorted(self.paragraphs, key=lambda p: -_overlap(text, p.text))[:top_k]
        passages = [Passage(source="s", title="t", outlet=None, paragraph=p.number, text=p.text,
                            highlight=p.sentences[0], speaker=None, score=1.0) for p in ranked]
        return Answer(question=text, answered=True, passages=passages)


def checked(claim: str, *paragraphs: str, title: str = "A story") -> ClaimCheck:
    """The check of `claim` against a story of these paragraphs: verdict, reason and evidence."""
    return Checker(_Engine(title, list(paragraphs)), reader=_WordReader()).check(claim)


def check(claim: str, *paragraphs: str, title: str = "A story") -> str:
    """The verdict on `claim` against a story of these paragraphs."""
    return checked(claim, *paragraphs, title=title).verdict
