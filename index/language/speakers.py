"""Find who is speaking in a paragraph, from the story's own wording: the one speaker reader, also
used for whom a claim names as its source (index/checking/quotes.py).

"a Ukrainian official told Axios", "According to the resolution", "Zelensky tweeted",
"“…,” said Priya Nair", "Business owners on Dock Street said" … The attribution that names the
outlet ("told Axios") wins, because that is the story's source; then "According to X"; then
"…,” said X"; then "X said/tweeted/…". Pronouns ("he said") are not speakers.

What counts as a speaker, where that is a choice:
  * a person named with a lower-case description ("union president Tom Alvarez") is the person,
    "Tom Alvarez" (the speaker is a name to quote and ask about; a title written as part of the name,
    "Mayor Jane Ortiz", stays);
  * a group is the group with what places it ("business owners on Dock Street", "the teachers' union");
  * a text that says something ("the resolution reads", "according to a statement") is the story's
    source and is kept; numbers ("according to department figures", "data", "a survey") speak for
    nobody, so they give no speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from storybot.index.language import lexicon as lx
from storybot.index.language.text import WORD, lemma_stem

_SAY = r"(?:said|says|tweeted|wrote|added|stated|announced|reads|read|posted|claimed|warned|explained)"
_VERB = rf"(?:told\s+(?:Axios|reporters|[A-Z][\w.]+)|(?:had\s+|has\s+|have\s+)?{_SAY}\b)"
_TOLD_OUTLET = re.compile(r"\btold\s+(?:Axios|[A-Z][\w.]+)\b")
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;:]{2,80}?)\s*[,.;:]")
_SPEECH = re.compile(_VERB)
# "“We will reopen it,” said Priya Nair": the verb straight after the quote's closing comma.
_SAID_AFTER_QUOTE = re.compile(rf"[,?!][\"”’']?\s+{_SAY}\s+(?=\S)")

# Lower-case words that may sit inside a speaker's noun phrase, besides the people and bodies of
# lx.ROLE_NOUNS ("a senior Israeli official", "the teachers' union").
_PHRASE_WORDS = lx.ROLE_NOUNS | {
    "a", "an", "the", "and", "of", "senior", "top", "foreign", "defense", "defence", "security", "source",
    "sources", "statement", "resolution", "report", "prime", "former", "current", "western", "local", "u.s.",
    "union", "unions", "group", "groups", "association", "coalition", "organization", "organisation",
    "board", "commission", "campaigners", "activists", "officers", "director", "chief", "head", "chair",
    "chairman", "chairwoman", "manager", "secretary", "lawyer", "lawyers", "attorney", "representative",
    "representatives", "organizers", "organisers", "leadership", "staff", "firm", "bank", "city", "state",
}
# Numbers a story cites are not a party that speaks ("according to department figures").
_NUMBERS = {"figures", "data", "statistics", "numbers", "estimates", "estimate", "records", "tally", "count",
            "census", "poll", "polls", "polling", "survey", "surveys", "counts", "projections"}
_ARTICLES = {"a", "an", "the"}
_PRONOUNS = lx.PRONOUNS | {"it", "you", "who", "which", "that", "but"}
_STOPS = ",;:\"”“."
_OPENERS = "\"“‘'("
_MAX_WORDS = 8


@dataclass(frozen=True)
class Attribution:
    """A speaker a text names, and where: `text[start:end]` holds the speaker's words and
    `text[cue:cue_end]` the words that attribute ("said", "told Axios", "according to")."""

    speaker: str
    start: int
    end: int
    cue: int
    cue_end: int
    kind: str  # "told" (an outlet), "according", "quoted" ("…,” said X) or "said"


def find_speaker(paragraph: str) -> str | None:
    """Return the in-story speaker of `paragraph` as worded there, or None for narration."""
    return next((a.speaker for a in attributions(paragraph)), None)


def attributions(text: str, *, any_form: bool = False) -> Iterator[Attribution]:
    """Every attribution in `text` that names a speaker, the strongest kind first (see the module notes).

    `any_form` reads the saying verbs of lx.SAY_STEMS in any form ("confirmed", "tells", "tweets")
    instead of those listed in _SAY: a claim is a reader's own sentence in any tense, and its "warned"
    or "explained" is an act to check, not its source. Story paragraphs keep _SAY, which every built
    index's attribution lines were read with."""
    for match in _TOLD_OUTLET.finditer(text):
        found = _phrase_before(text, match.start())
        if found:
            yield Attribution(*found, match.start(), match.end(), "told")
    for match in _ACCORDING_TO.finditer(text):
        words = match.group("who").split()
        if words and words[-1].lower() not in _NUMBERS:
            yield Attribution(_normalise(" ".join(words)), match.start("who"), match.end("who"),
                              match.start(), match.start("who"), "according")
    for match in _SAID_AFTER_QUOTE.finditer(text):
        found = _phrase_after(text, match.end())
        if found:
            yield Attribution(*found, match.start(), match.end(), "quoted")
    for start, end in _speech_verbs(text, any_form):
        found = _phrase_before(text, start)
        if found:
            yield Attribution(*found, start, end, "said")


def _speech_verbs(text: str, any_form: bool) -> Iterator[tuple[int, int]]:
    if not any_form:
        yield from (m.span() for m in _SPEECH.finditer(text))
        return
    for m in WORD.finditer(text):
        if lemma_stem(m.group().lower()) in lx.SAY_STEMS:
            yield m.span()


def _phrase_before(text: str, end: int) -> tuple[str, int, int] | None:
    """Walk back from `end` over words that can form a speaker's noun phrase."""
    taken: list[tuple[str, int]] = []  # (word, where it starts)
    at = len(text[:end].rstrip())
    for raw in reversed(text[:at].split(" ")):
        at -= len(raw) + 1
        word = raw.strip()
        if not word or word[-1] in _STOPS or len(taken) >= _MAX_WORDS:
            break
        bare = word.lstrip(_OPENERS)
        if not _fits(bare, taken[-1][0] if taken else None):
            break
        taken.append((bare, at + 1 + raw.index(bare)))
        if bare.lower() in _ARTICLES or word != bare:  # an article or an opening quote starts the phrase
            break
    taken.reverse()
    return _speaker(taken)


def _phrase_after(text: str, start: int) -> tuple[str, int, int] | None:
    """Read forward from `start` ("said the city's engineer, …") over a speaker's noun phrase."""
    taken: list[tuple[str, int]] = []
    at = start
    for raw in text[start:].split(" "):
        where, at = at, at + len(raw) + 1
        word = raw.strip()
        if not word or len(taken) >= _MAX_WORDS:
            break
        bare = word.rstrip(_STOPS + "!?)")
        if not bare or bare.lower() in _PRONOUNS or bare.lower() in lx.DAYS:
            break
        if taken and bare.lower() in _ARTICLES:
            break
        if not (bare[:1].isupper() or _phrase_word(bare) or (taken and bare.lower() in lx.PREPOSITIONS)):
            break
        taken.append((bare, where + raw.index(bare)))
        if bare != word:  # punctuation ends the phrase: "said Priya Nair, a nurse"
            break
    return _speaker(taken)


def _fits(bare: str, after: str | None) -> bool:
    """Whether `bare` can stand in a speaker's phrase before the word `after` (walking back)."""
    lowered = bare.lower()
    if lowered in _PRONOUNS:
        return False
    if after is not None and lowered in lx.PREPOSITIONS:
        return True  # kept only if a group comes before it: see _speaker
    if bare[:1].isupper() or _phrase_word(bare):
        return True
    # "business owners", "retired teachers": a plain word describing the people after it
    return after is not None and bare.isalpha() and _phrase_word(after) and lowered not in lx.FUNCTION


def _phrase_word(word: str) -> bool:
    return word.lower().rstrip("'’").removesuffix("’s").removesuffix("'s") in _PHRASE_WORDS


def _speaker(taken: list[tuple[str, int]]) -> tuple[str, int, int] | None:
    """The speaker the phrase names, with where its words start and end: a preposition stays only after
    the group it places ("owners on Dock Street"); a lower-case description before a name gives way to
    the name."""
    words = [w for w, _ in taken]
    first = len(words) - len(_placed(words))
    last = len(words)
    while last > first and words[last - 1].lower() in _ARTICLES | {"and", "of"} | lx.PREPOSITIONS:
        last -= 1
    if last == first or all(w.lower() in _ARTICLES for w in words[first:last]):
        return None
    first = last - len(_name_over_description(words[first:last]))
    end = taken[last - 1][1] + len(words[last - 1])
    return _normalise(" ".join(words[first:last])), taken[first][1], end


def _placed(words: list[str]) -> list[str]:
    """Drop what comes before a preposition unless it names people the preposition places: "Business
    owners on Dock Street" keeps all, "the closure on Dock Street" (no group) keeps "Dock Street"."""
    for i, word in enumerate(words):
        if word.lower() in lx.PREPOSITIONS and word.lower() != "of":
            if i == 0 or not _phrase_word(words[i - 1]) or words[i - 1].lower() in _ARTICLES:
                return _placed(words[i + 1:])
    return list(words)


def _name_over_description(words: list[str]) -> list[str]:
    """ "union president Tom Alvarez" → "Tom Alvarez"; "Mayor Jane Ortiz", "a senior Israeli official" stay."""
    if not words[-1][:1].isupper() or any(w.lower() in lx.PREPOSITIONS | {"and"} for w in words):
        return words
    first = len(words)
    while first > 0 and words[first - 1][:1].isupper():
        first -= 1
    if first == 0 or words[first - 1].lower() in _ARTICLES:
        return words
    return words[first:]


def _normalise(phrase: str) -> str:
    phrase = phrase.strip()
    first, _, rest = phrase.partition(" ")
    if first in {"A", "An", "The"} and rest:
        return f"{first.lower()} {rest}"
    return phrase
