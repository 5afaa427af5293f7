"""Spotting questions that are clearly not in English, so the bot can say it answers in English.

The embedding model and the stories are English; a question in another language is still tried
(names and numbers often match), but the reply says so. Only clear cases are flagged — mostly
non-Latin letters, or several function words of another major European language and fewer
English ones — because telling an English speaker "I answer in English" would be absurd.
"""

from __future__ import annotations

import unicodedata

from storybot.bot.render import MAX_LENGTH, visible_length
from storybot.index.language.text import letter_runs

NOTE = "<i>I answer in English, quoting the English story — here is my best try:</i>"

# English function words that are not also common words in the languages below ("a", "in",
# "die", "was", "will" … are left out for that reason; "is", also Dutch, is worth keeping).
_ENGLISH = frozenset(
    "the an is of to on at for with by from about and or but are were be been did does has have had what who whom "
    "whose which when where why how many much this that these those it its he she they them his her their not "
    "would can could should there than then into after before said says".split())
# Function words of German, French, Spanish, Italian, Portuguese and Dutch that English does
# not use (left out: "van", "met", "hat", "per", "pour", "non", and "des", "dem", "han", "os", which
# occur in English news as names and abbreviations).
_FOREIGN = frozenset(
    "der das und ist nicht wie viele wer wann warum haben für über mit ein eine einen zu auf sich auch gegen "
    "le la les du et est qui que quoi quand pourquoi combien comment avec une sur dans pas ont été il elle ils "
    "el los las del y es qué quién quiénes cuándo cuántos cuántas cuánto por para con una en cómo fue se lo "
    "gli della che chi quanti quante perché sono è hanno dos da quem quantos quantas uma em foi não "
    "de het een en wat wanneer waarom hoeveel voor niet zijn heeft hebben".split())


def looks_foreign(question: str) -> bool:
    """Whether `question` is clearly not English."""
    letters = [c for c in question if c.isalpha()]
    if not letters:
        return False  # emoji, numbers: nothing to go on
    latin = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    if latin < len(letters) / 2:
        return True
    words = [w.lower() for w in letter_runs(question)]
    foreign = sum(w in _FOREIGN for w in words)
    english = sum(w in _ENGLISH for w in words)
    return foreign >= 2 and foreign > english


def with_note(question: str, card: str) -> str:
    """`card`, preceded by the note when `question` is not English (and the note fits)."""
    if not looks_foreign(question):
        return card
    noted = f"{NOTE}\n{card}"
    return noted if visible_length(noted) <= MAX_LENGTH else card
