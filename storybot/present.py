"""Presentation shared by the terminal and Telegram renderers: the attribution line under every
quote, the verdict labels of a fact-check, and messages written as one sentence."""

from __future__ import annotations

from storybot.index.models import Passage

VERDICT_LABELS = {"supported": "Supported", "contradicted": "Contradicted", "not_in_story": "Not in the story"}


def attribution(passage: Passage) -> str:
    """"speaker, outlet, "title", ¶N" — the line under every quote, in the terminal and in Telegram."""
    parts = [p for p in (passage.speaker, passage.outlet) if p]
    parts.append(f"“{passage.title}”")
    parts.append(f"¶{passage.paragraph}")
    return ", ".join(parts)


def sentence_case(text: str) -> str:
    """`text` as one sentence: whitespace collapsed, a capital first letter, one closing full stop."""
    text = " ".join(text.split())
    return (text[:1].upper() + text[1:]).rstrip(".") + "."
