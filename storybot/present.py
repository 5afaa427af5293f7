"""Presentation shared by the terminal and Telegram renderers: the attribution line under every
quote, the verdict labels of a fact-check, and messages written as one sentence."""

from __future__ import annotations

from storybot.index.models import Passage

VERDICT_LABELS = {"supported": "Supported", "contradicted": "Contradicted", "not_in_story": "Not in the story"}


MAX_ROLE_WORDS = 8


def attribution(passage: Passage) -> str:
    """"speaker (role), outlet, "title", ¶N" — the line under every quote, in the terminal and in Telegram."""
    speaker = passage.speaker and speaker_label(passage.speaker, passage.speaker_role)
    parts = [p for p in (speaker, passage.outlet) if p]
    parts.append(f"“{passage.title}”")
    parts.append(f"¶{passage.paragraph}")
    return ", ".join(parts)


def speaker_label(speaker: str, role: str | None) -> str:
    """ "Okafor" with role "Gerald Okafor, Harlow State's provost" → "Gerald Okafor (Harlow State's provost)":
    the story's fullest form of the name and its first short description, so a quote says who is talking."""
    if not role:
        return speaker
    fragments = role.split(", ")
    surname = speaker.split()[-1]
    names = [f for f in fragments if f.endswith(surname) and all(w[:1].isupper() or w.endswith(".") for w in f.split())]
    name = max(names, key=len) if names and len(speaker.split()) == 1 else speaker
    described = next((f for f in fragments if f not in names and not f.startswith(("who ", "whose "))
                      and len(f.split()) <= MAX_ROLE_WORDS and f.lower() not in name.lower()), None)
    return f"{name} ({described})" if described else name


def sentence_case(text: str) -> str:
    """`text` as one sentence: whitespace collapsed, a capital first letter, one closing full stop."""
    text = " ".join(text.split())
    return (text[:1].upper() + text[1:]).rstrip(".") + "."
