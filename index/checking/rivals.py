"""Another place or body of the same kind where the claim names one: "in Hadley County" when the
paragraph says "in Door County", "Riverside Park" when it says "Hollins Park"; and a person the
story puts with another body ("a staff attorney with the Prairie Waters Alliance" where the claim
says "a lawyer for the state Department of Environmental Quality").

A name of two or more capitalised words ends in what it is (County, Park, University, River); when
the paragraph never names the claim's one but names another with the same last word and no other
word in common, the claim has the wrong one. A claim name found only in the context (the lede,
the headline) does not make the paragraph say it.
"""

from __future__ import annotations

from storybot.index.checking.facts import Sentence
from storybot.index.language import lexicon as lx
from storybot.index.language.text import Tok

APPOSITIVE = 12  # words after a name that describe the person ("a staff attorney with the …")
_JOINERS = {"of", "and", "for", "the", "&"}  # inside a name: "Department of Environmental Quality"
# What a name of a place or a body ends in. Only these: a person's surname is no kind ("Joe Biden" and
# "Joseph Biden" are one man).
KINDS = frozenset("""
county city town village park river lake creek bay sea ocean island islands mountain mountains valley street
avenue road square bridge station airport port stadium arena hall centre center hospital clinic school
college university academy institute museum library church cathedral court prison state province region
district department ministry agency office bureau commission committee council board assembly senate
party union alliance association federation league foundation fund trust group company corporation
bank club team
""".split())


def capital_runs(s: Sentence) -> list[tuple[str, ...]]:
    """The sentence's names of two or more capitalised words, lower-cased: ("door", "county")."""
    runs: list[tuple[str, ...]] = []
    current: list[str] = []
    toks = s.toks
    for i, t in enumerate(toks):
        if t.kind == "word" and t.cap and not (i == 0 and t.low in lx.FUNCTION):
            current.append(t.low)
            continue
        joins = t.low in _JOINERS and current and i + 1 < len(toks) and toks[i + 1].cap
        if joins:
            current.append(t.low)
            continue
        if len(current) >= 2:
            runs.append(tuple(current))
        current = []
    if len(current) >= 2:
        runs.append(tuple(current))
    return runs


def kind(run: tuple[str, ...]) -> str:
    """What a name says it is: its last word ("Door County"), or the word before "of" ("Department of …")."""
    return run[run.index("of") - 1] if "of" in run[1:] else run[-1]


def rival_name(claim: Sentence, sentences: list[Sentence]) -> tuple[str, str, Sentence] | None:
    """(the claim's name, the story's other name of that kind, the sentence naming it), or None."""
    story_runs = [(run, s) for s in sentences for run in capital_runs(s)]
    present = {run for run, _ in story_runs}
    for run in capital_runs(claim):
        head = kind(run)
        if run in present or head not in KINDS:
            continue
        words = set(run) - _JOINERS - {head}
        for other, s in story_runs:
            if kind(other) == head and not words & (set(other) - _JOINERS - {head}):
                return " ".join(w.title() for w in run), " ".join(w.title() for w in other), s
    return None


def affiliations(s: Sentence) -> dict[str, set[tuple[str, ...]]]:
    """Whom each named person is with, by surname, from the phrase set off after the name: "Luis Ferreira,
    a staff attorney with the Prairie Waters Alliance," -> {"ferreira": {("prairie", "waters", "alliance")}}."""
    toks = s.toks
    out: dict[str, set[tuple[str, ...]]] = {}
    for i in range(1, len(toks) - 1):
        name = toks[i - 1]
        if not (toks[i].text == "," and name.cap and name.kind == "word" and i >= 2 and toks[i - 2].cap):
            continue  # a two-word name ending right before the comma
        end = next((k for k in range(i + 1, min(len(toks), i + 1 + APPOSITIVE)) if toks[k].text in {",", ".", ";"}),
                   None)
        if end is None or toks[i + 1].cap:
            continue  # "Ferreira, Solberg and …" is a list, not a description
        phrase = Sentence(" ".join(t.text for t in toks[i + 1:end]))
        orgs = {run for run in capital_runs(phrase) if kind(run) in KINDS}
        if orgs:
            out.setdefault(name.low, set()).update(orgs)
    return out


def other_affiliation(claim: Sentence, sentences: list[Sentence]) -> tuple[str, str, Sentence] | None:
    """(the claim's body, the story's, the sentence) when the story puts the claim's person with another body
    ("a lawyer for the state Department of Environmental Quality" / "a staff attorney with the Prairie
    Waters Alliance") and never names the claim's one there."""
    named = {run for s in sentences for run in capital_runs(s)}
    for surname, orgs in affiliations(claim).items():
        if orgs & named:
            continue
        for s in sentences:
            theirs = affiliations(s).get(surname)
            if theirs:
                mine, other = sorted(orgs)[0], sorted(theirs)[0]
                return " ".join(w.title() for w in mine), " ".join(w.title() for w in other), s
    return None



ALIGNED = 3  # words before a name that claim and sentence must share for the name to fill the same place


def aligned_rival(claim: Sentence, sentence: Sentence) -> tuple[str, str] | None:
    """(the claim's name, the sentence's) where both say the same words and then name someone or somewhere
    else: "a second shelter opened … at the Grange hall in Ostervale" against "… at the Grange hall in
    Pennick Ford". The words before the name must hold a content word ("in the" alone places anything), and
    the sentence must not name the claim's one anywhere."""
    ctoks, stoks = claim.toks, sentence.toks
    story_words = {t.low for t in stoks}
    for i in range(ALIGNED, len(ctoks)):
        mine = _name_at(ctoks, i)
        if mine is None or any(w in story_words for w in mine):
            continue
        before = [t.low for t in ctoks[i - ALIGNED:i]]
        if all(w in lx.FUNCTION or not w.isalpha() for w in before):
            continue
        for j in range(ALIGNED, len(stoks)):
            if [t.low for t in stoks[j - ALIGNED:j]] != before:
                continue
            at = _next_name(stoks, j)
            theirs = _name_at(stoks, at) if at is not None else None
            if theirs is not None and not any(lx.same_name(a, b) for a in mine for b in theirs):
                return " ".join(ctoks[k].text for k in range(i, i + len(mine))), \
                    " ".join(stoks[k].text for k in range(at, at + len(theirs)))
    return None


DESCRIBED = 3  # words that may describe a name before it: "visit the Kelvarran capital, Orsk-Vallen"


def _next_name(toks: list[Tok], j: int) -> int | None:
    """Where a name starts at j, or within DESCRIBED lower-case words of it ("the capital"), or None."""
    for k in range(j, min(len(toks), j + DESCRIBED + 1)):
        t = toks[k]
        if t.kind == "word" and t.cap:
            return k
        if t.kind != "word":
            return None
    return None


def _name_at(toks: list[Tok], i: int) -> list[str] | None:
    """The capitalised words starting at i (a name), lower-cased, or None."""
    words = []
    while i + len(words) < len(toks) and toks[i + len(words)].kind == "word" and toks[i + len(words)].cap:
        words.append(toks[i + len(words)].low)
    return words or None
