"""Find who is speaking in a paragraph, from the story's own wording.

"a Ukrainian official told Axios", "According to the resolution", "Zelensky tweeted" … The
attribution that names the outlet ("told Axios") wins, because that is the story's source; then
"According to X"; then "X said/tweeted/…". Pronouns ("he said") are not speakers.
"""

from __future__ import annotations

import re

_VERB = (
    r"(?:told\s+(?:Axios|reporters|[A-Z][\w.]+)|(?:had\s+|has\s+|have\s+)?"
    r"(?:said|says|tweeted|wrote|added|stated|announced|reads|read|posted|claimed|warned|explained)\b)"
)
_TOLD_OUTLET = re.compile(r"\btold\s+(?:Axios|[A-Z][\w.]+)\b")
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;:]{2,80}?)\s*[,.;:]")
_SPEECH = re.compile(_VERB)

# Lower-case words that may sit inside a speaker's noun phrase ("a senior Israeli official").
_PHRASE_WORDS = {
    "a", "an", "the", "and", "of", "senior", "top", "foreign", "ministry", "minister", "official",
    "officials", "office", "spokesperson", "spokesman", "spokeswoman", "government", "military",
    "defense", "defence", "security", "diplomat", "diplomats", "source", "sources", "aide", "aides",
    "adviser", "advisers", "advisor", "spokespeople", "statement", "resolution", "report",
    "prime", "president", "ambassador", "former", "current", "western", "u.s.",
}
_ARTICLES = {"a", "an", "the"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "but"}


def find_speaker(paragraph: str) -> str | None:
    """Return the in-story speaker of `paragraph` as worded there, or None for narration."""
    for match in _TOLD_OUTLET.finditer(paragraph):
        who = _phrase_before(paragraph, match.start())
        if who:
            return who
    match = _ACCORDING_TO.search(paragraph)
    if match:
        return _normalise(match.group("who"))
    for match in _SPEECH.finditer(paragraph):
        who = _phrase_before(paragraph, match.start())
        if who:
            return who
    return None


def _phrase_before(text: str, end: int) -> str | None:
    """Walk back from `end` over words that can form a speaker's noun phrase."""
    words = text[:end].rstrip().split(" ")
    taken: list[str] = []
    for raw in reversed(words):
        word = raw.strip()
        if not word or word[-1] in ",;:\"”“." or len(taken) >= 7:
            break
        bare = word.strip("\"“”'‘(")
        lowered = bare.lower()
        if lowered in _PRONOUNS:
            break
        if not (bare[:1].isupper() or lowered in _PHRASE_WORDS):
            break
        taken.append(bare)
        if lowered in _ARTICLES:
            break
        if word != bare:  # an opening quote or bracket starts the phrase
            break
    taken.reverse()
    while taken and taken[-1].lower() in _ARTICLES | {"and", "of"}:
        taken.pop()
    if not taken or all(w.lower() in _ARTICLES for w in taken):
        return None
    return _normalise(" ".join(taken))


def _normalise(phrase: str) -> str:
    phrase = phrase.strip()
    first, _, rest = phrase.partition(" ")
    if first in {"A", "An", "The"} and rest:
        return f"{first.lower()} {rest}"
    return phrase
