"""The story passages a claim is checked against, and what the checks found in them.

A finding is one story sentence that confirms (or, `conflict`, contradicts) one part of the claim,
with the reason shown to the reader."""

from __future__ import annotations

from dataclasses import dataclass

from storybot.index.checking.facts import Sentence
from storybot.index.models import Paragraph, Passage


@dataclass
class Para:
    """A retrieved paragraph, its sentences read once, with the context a reader has for it."""

    passage: Passage
    paragraph: Paragraph
    sentences: list[Sentence]
    context: list[Sentence]
    words: frozenset[str]  # lower-cased words, for names
    stems: frozenset[str]
    context_words: frozenset[str]  # context: the paragraph above, the lede, the headline
    context_stems: frozenset[str]


@dataclass
class Finding:
    conflict: bool
    para: Para
    sentence: Sentence
    reason: str


def merge_conflicts(found: list[Finding], suffix: str) -> list[Finding]:
    """Conflicting figures in one sentence make one reason: 'the story says "A" and "B", not "C"'."""
    conflicts = [f for f in found if f.conflict]
    if not conflicts or len(conflicts) < len(found):
        return found
    first = conflicts[0]
    quotes: list[str] = []
    for f in conflicts:
        quote = f.reason.removeprefix("the story says ")
        if f.sentence is first.sentence and quote not in quotes:
            quotes.append(quote)
    return [Finding(True, first.para, first.sentence, f"the story says {' and '.join(quotes)}{suffix}")]


def collect(found: list[Finding], findings: list[Finding], unverified: list[str], what: str) -> None:
    matches = [f for f in found if not f.conflict]
    if matches:
        findings.append(matches[0])
    elif found:
        findings.extend(found)
    else:
        unverified.append(what)


def evidence_of(f: Finding) -> Passage:
    return f.para.passage.model_copy(update={"highlight": f.sentence.text})


def short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
