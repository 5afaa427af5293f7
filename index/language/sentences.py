"""Split a paragraph into verbatim sentences, so the answering one can be highlighted."""

from __future__ import annotations

import re

from storybot.index.language.lexicon import MONTH_ABBREVIATIONS

# Words written with a full stop that does not end the sentence ("Mr. Reyes", "Jan. 5", "U.S.").
# Not index/language/acronyms.py's short forms: those are what a name is typed as ("PM", no stop),
# these only tell the splitter where a sentence cannot end.
_DOTTED_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc", "no", "u.s", "u.k", "u.n", "e.g", "i.e",
} | set(MONTH_ABBREVIATIONS)

# A sentence ends at . ! or ? (optionally followed by closing quotes/brackets), then whitespace,
# then something that can start a sentence: a capital, a digit or an opening quote.
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text`, each a verbatim substring, in order."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        candidate = text[start:end].rstrip()
        if _ends_with_abbreviation(candidate) or _is_ellipsis_inside_quote(text, match) \
                or _time_goes_on(candidate, text[end:]):
            continue
        sentences.append(candidate)
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences or [text]


def _ends_with_abbreviation(candidate: str) -> bool:
    stripped = candidate.rstrip("\"'”’)] ")
    if not stripped.endswith("."):
        return False
    last_word = stripped[:-1].rsplit(maxsplit=1)[-1].lower() if stripped[:-1].strip() else ""
    last_word = last_word.lstrip("\"'“‘([")
    # Single initials ("George W. Bush") and known abbreviations.
    return last_word in _DOTTED_ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())


_CLOCK = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
_TIME_WORDS = re.compile(r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|GMT|UTC|BST|CET"
                         r"|local time)\b", re.IGNORECASE)


def _time_goes_on(candidate: str, rest: str) -> bool:
    # "shortly after 9 a.m. Monday, nearly 10 feet above …", "at 2 p.m. ET": the time goes on to its day or zone
    return bool(_CLOCK.search(candidate)) and bool(_TIME_WORDS.match(rest))


def _is_ellipsis_inside_quote(text: str, match: re.Match[str]) -> bool:
    # "occupation ... including" — an ellipsis followed by more of the same quote is not a break.
    return text[match.start():match.end()].startswith("...") and text[match.end():match.end() + 1].islower()
