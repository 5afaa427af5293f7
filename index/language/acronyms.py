"""Acronyms and the names they stand for: "the ICJ" is the "International Court of Justice".

A news story names a body in full once and by its initials after; a reader asks with either form.
`story_acronyms` finds, in one story's own text, each run of capitalised words ("of", "and", "for",
"the", "on" allowed inside) whose initials are an all-capitals word of the same story. The index
keeps them (acronyms.json: acronym → the stemmed words of the name), and a question that says one
form matches paragraphs that say the other (index/answering/search.py). The abbreviations people type for
names a story spells out ("PM", "UN"; `SHORT_FORMS`) are added at question time.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from storybot.index.language.text import normalise, tokens

FILE = "acronyms.json"
# Short forms people type for names a story spells out ("Did the PM's office confirm it?"): a name
# in a question is mentioned when either form is. General English, not any story's: search adds
# them to the acronyms each story spells out (`story_acronyms`).
SHORT_FORMS = {
    "pm": "prime minister", "fm": "foreign minister", "un": "united nations", "us": "united states",
    "usa": "united states", "uk": "united kingdom", "eu": "european union", "gop": "republican",
    "potus": "president", "mp": "parliament", "mps": "parliament", "ag": "attorney general",
    "dod": "pentagon", "imf": "international monetary fund",
    # Titles and terms business and economy copy writes both ways ("the CEO" / "chief executive").
    "ceo": "chief executive", "cfo": "chief financial officer", "coo": "chief operating officer",
    "cto": "chief technology officer", "gdp": "gross domestic product", "ipo": "initial public offering",
    "q1": "first quarter", "q2": "second quarter", "q3": "third quarter", "q4": "fourth quarter",
    # Places, offices and agencies news copy names both ways ("the ER" / "emergency rooms").
    "er": "emergency room", "icu": "intensive care", "da": "district attorney", "doj": "justice department",
    "fbi": "federal bureau of investigation", "cdc": "centers for disease control",
    "fda": "food and drug administration", "epa": "environmental protection agency",
    "ev": "electric vehicle", "evs": "electric vehicles", "ai": "artificial intelligence",
}
_CAPS = re.compile(r"\b([A-Z]{2,6})(?:s|'s|’s)?\b")
_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|for|the|on)\s+)*[A-Z][a-z]+)+")
_SMALL = frozenset({"of", "and", "for", "the", "on"})


def story_acronyms(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """{acronym (lower case): stems of the name it stands for} for the acronyms one story spells out."""
    texts = [normalise(t) for t in texts]
    used = {m.group(1) for text in texts for m in _CAPS.finditer(text)}
    if not used:
        return {}
    found: dict[str, Counter[tuple[str, ...]]] = {}
    for text in texts:
        for run in _RUN.finditer(text):
            words = run.group(0).split()
            capitals = [i for i, w in enumerate(words) if w not in _SMALL]
            # Every stretch of the run from one capitalised word to a later one: "Israeli Prime Minister"
            # holds "Prime Minister" (PM).
            for a, first in enumerate(capitals):
                for last in capitals[a + 1:]:
                    name = words[first:last + 1]
                    initials = "".join(w[0] for w in name if w not in _SMALL)
                    if initials in used:
                        found.setdefault(initials.lower(), Counter())[tuple(tokens(" ".join(name)))] += 1
    return {acronym: names.most_common(1)[0][0] for acronym, names in found.items() if names.most_common(1)[0][0]}


def name_initials(texts: Iterable[str]) -> frozenset[str]:
    """The initials of every stretch of capitalised words ("International Court of Justice" → "icj",
    "the United Nations General Assembly" → "un", "unga", "ga" …), so a text's own spelled-out names
    are found by their acronyms."""
    out: set[str] = set()
    for text in texts:
        for run in _RUN.finditer(normalise(text)):
            capitals = [w[0].lower() for w in run.group(0).split() if w not in _SMALL]
            out.update("".join(capitals[a:b]) for a in range(len(capitals)) for b in range(a + 2, len(capitals) + 1))
    return frozenset(out)


def short_forms_in(texts: Iterable[str]) -> frozenset[str]:
    """The SHORT_FORMS whose spelled-out words the texts have in a row, in any case ("Tallwind chief
    executive Oswin Darrowby" → "ceo"), so a claim's "CEO" is found where the story writes it out."""
    lowered = " " + " ".join(normalise(text).lower() for text in texts)
    return frozenset(short for short, spelled in SHORT_FORMS.items() if f" {spelled}" in lowered)


def index_acronyms(stories: Iterable[Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """The acronyms of every story (each story's texts: its paragraphs and title); where stories
    spell one acronym differently, the spelling most stories use."""
    votes: dict[str, Counter[tuple[str, ...]]] = {}
    for texts in stories:
        for acronym, name in story_acronyms(texts).items():
            votes.setdefault(acronym, Counter())[name] += 1
    return {acronym: names.most_common(1)[0][0] for acronym, names in sorted(votes.items())}


def save(path: Path, acronyms: dict[str, tuple[str, ...]]) -> None:
    path.write_text(json.dumps({k: list(v) for k, v in acronyms.items()}, ensure_ascii=False), "utf-8")


def load(path: Path) -> dict[str, tuple[str, ...]]:
    """The saved table; empty for an index built before acronyms were kept."""
    if not path.exists():
        return {}
    return {k: tuple(v) for k, v in json.loads(path.read_text("utf-8")).items()}
