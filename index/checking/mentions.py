"""Who or what a sentence names: mentions of people, bodies and places, and whether two name the same party.

"Israeli foreign ministry officials", "Netanyahu's office", "he": a run of names and role nouns with
the modifiers before it; a pronoun is a mention too, resolved by the sentence that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from storybot.index.language import lexicon as lx
from storybot.index.language.text import Tok, tokenize, verbatim


@dataclass(frozen=True)
class Mention:
    """A named or described party: token span [start, end), its name words and role nouns."""

    start: int
    end: int
    names: frozenset[str]
    roles: frozenset[str]
    text: str
    in_pp: bool = False  # the object of a preposition ("of the resolution", "during a UN vote")
    pronoun: str | None = None
    plural: bool = False
    head: str | None = None  # the last word when it is a name ("Zelensky" in "President Volodymyr Zelensky")

    @property
    def empty(self) -> bool:
        return not self.names and not self.roles


def same_party(a: Mention | None, b: Mention | None) -> bool | None:
    """True when two mentions name the same party, False when they clearly differ, None when unknowable."""
    if a is None or b is None or a.empty or b.empty:
        return None
    if a.names and b.names:
        return any(lx.same_name(x, y) for x in a.names for y in b.names)
    roles_a = {lx.lemma_stem(r) for r in a.roles}
    roles_b = set().union(*(lx.synonyms(lx.lemma_stem(r)) for r in b.roles)) if b.roles else set()
    if roles_a & roles_b:
        return True  # "business owners" and "local business owners"
    if a.names or b.names:
        return None  # "the two leaders" vs "Netanyahu": cannot tell
    return False


def same_head(a: Mention | None, b: Mention | None) -> bool:
    """Strict identity: "Zelensky" is "President Volodymyr Zelensky", but "Ukraine" is not (a nationality is
    not a person); "Ukraine's foreign ministry" and "the Ukrainian ambassador" share their nation."""
    if a is None or b is None:
        return False
    if a.head and b.head:
        return lx.same_name(a.head, b.head)
    if a.head or b.head:
        return False
    return any(lx.same_name(x, y) for x in a.names for y in b.names)


def speaker_mention(speaker: str | None) -> Mention | None:
    """The paragraph's speaker ("the Ukrainian official") as a mention, for "we" and attribution checks."""
    if not speaker:
        return None
    mentions = read_mentions(tokenize(speaker), speaker)
    names = frozenset().union(*(m.names for m in mentions)) if mentions else frozenset()
    roles = frozenset().union(*(m.roles for m in mentions)) if mentions else frozenset()
    return Mention(0, 0, names, roles, speaker, plural=speaker.rstrip().endswith("s"))


# "Less than a fifth …", "Fewer than 20 …", "Well over half …": a figure's bound opens the sentence
_BOUND_STARTS = frozenset(p.split()[0] for p in lx.UPPER_BOUND + lx.LOWER_BOUND) | lx.DEGREE


def is_name(toks: list[Tok], i: int) -> bool:
    t = toks[i]
    if t.kind != "word" or not t.cap or t.low in lx.DAYS or t.low in lx.MONTHS or t.low in lx.NUMBER_WORDS:
        return False
    if sentence_initial(toks, i) and (t.low in lx.FUNCTION or t.low in lx.SENTENCE_STARTERS or t.low in lx.PRONOUNS
                    or t.low in lx.RELATIVES or t.low in lx.ADVERBS or t.low in lx.APPROXIMATE or t.low in _BOUND_STARTS):
        return False
    return t.low not in lx.PRONOUNS and not (t.low in lx.FUNCTION and t.low not in {"us"})


def sentence_initial(toks: list[Tok], i: int) -> bool:
    """Whether the word at i starts the sentence (or a quote or what follows a colon): capitalised anyway."""
    return i == 0 or all(p.kind == "punct" for p in toks[:i]) or toks[i - 1].text in {".", ":", '"'}


def read_mentions(toks: list[Tok], text: str) -> list[Mention]:
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "word" and t.low in lx.PRONOUNS and not (t.cap and t.low == "us" and i > 0):
            out.append(Mention(i, i + 1, frozenset(), frozenset(), t.text, in_pp(toks, i), t.low,
                               t.low in {"they", "them", "we", "us"}))
            i += 1
            continue
        if not (is_name(toks, i) or (t.kind == "word" and t.low in lx.ROLE_NOUNS)):
            i += 1
            continue
        start, j = i, i
        names: set[str] = set()
        roles: set[str] = set()
        while j < len(toks):
            w = toks[j]
            if w.kind == "word" and (is_name(toks, j) or w.low in lx.ROLE_NOUNS):
                if w.low in lx.ROLE_NOUNS:
                    roles.add(w.low)
                if w.cap and w.low not in lx.TITLES:
                    names.add(w.low)
                j += 1
                if w.possessive and j < len(toks) and toks[j].kind == "word" and toks[j].low in lx.MODIFIERS:
                    j += 1
                continue
            joiner = w.low in {"and", "-"} or w.text == "-"
            if joiner and j + 1 < len(toks) and j > start and toks[j + 1].kind == "word" \
                    and (is_name(toks, j + 1) or toks[j + 1].low in lx.ROLE_NOUNS):
                j += 1
                continue
            if w.kind == "word" and w.low in {"foreign", "senior", "top", "new"} and j + 1 < len(toks) \
                    and toks[j + 1].kind == "word" and toks[j + 1].low in lx.ROLE_NOUNS:
                j += 1
                continue
            break
        # Leading modifiers belong to the mention ("the two leaders", "a senior Israeli official").
        k = start
        while k > 0 and toks[k - 1].kind == "word" and toks[k - 1].low in lx.MODIFIERS and not toks[k - 1].cap \
                or (k > 0 and toks[k - 1].low in lx.MODIFIERS and k - 1 == 0):
            k -= 1
        last = toks[j - 1]
        plural = last.low.endswith("s") and not last.cap or "and" in {x.low for x in toks[start:j]}
        head = last.low if last.cap and last.low not in lx.TITLES and last.low not in lx.ROLE_NOUNS else None
        out.append(Mention(k, j, frozenset(names), frozenset(roles), verbatim(text, toks[k].start, last.end),
                           in_pp(toks, k), None, plural, head))
        i = j
    return out


def in_pp(toks: list[Tok], start: int) -> bool:
    j = start - 1
    adjectives = 0  # "as prime minister": a plain adjective or two may stand between
    if j >= 0 and toks[j].kind == "punct" and toks[j].text == "-":
        return True  # "anti-Israeli": a modifier, not a party
    while j >= 0 and toks[j].kind == "word" and (toks[j].low in lx.MODIFIERS or (
            adjectives < 2 and not toks[j].cap and toks[j].low not in lx.FUNCTION and toks[j].low not in lx.NUMBER_WORDS
            and not toks[j].low.endswith(("ed", "ing")) and toks[j].low not in lx.IRREGULAR)):
        adjectives += toks[j].low not in lx.MODIFIERS
        j -= 1
    return j >= 0 and toks[j].kind == "word" and toks[j].low in lx.PREPOSITIONS
