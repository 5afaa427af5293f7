"""Whether a claim and a story sentence say opposite things: one negates what the other asserts
("did not develop" / "developed"), or they use opposite words ("increase" / "reduce", "acquitted" /
"convicted", "free" / "a $2 fare", "will close" / "will stay open").

Each word of the claim that is negated, or that has an opposite in the lexicon (lexicon.ANTONYMS), is
lined up with the occurrence of itself, a synonym or an opposite in the sentences (one, or a whole
paragraph) whose surrounding words it shares most; their signs (a negation flips, an opposite flips)
must agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from storybot.index.checking.facts import Sentence, phrasal_meanings
from storybot.index.language import lexicon as lx

WINDOW = 5  # words either side that say what a word is about
MIN_SHARED = 2  # surrounding words two occurrences must share to be about the same thing
# "not going to declare" denies as "will not declare" does
_SCOPE_SKIP = lx.AUXILIARIES | lx.ADVERBS | {"been", "be", "yet", "entirely", "fully", "always", "ever", "to", "going",
                                            "a", "an", "any"}  # "without a contract" is "no contract"
_NOT_NEGATION = {"only", "just", "merely", "least", "less", "more", "longer", "later"}  # "not only", "no later than"


@dataclass(frozen=True)
class Opposition:
    claim_word: str
    story_text: str  # the story's clause around the opposing word
    index: int  # of the opposing word in the story sentence


def negated(s: Sentence, i: int) -> bool:
    """Whether the word at i is under a negator: "did not develop", "was not filmed", "never profited",
    "declined to comment"."""
    toks = s.toks
    if i >= 2 and toks[i - 1].low == "of" and toks[i - 2].low == "instead":
        return True  # "instead of abstaining"
    j = i - 1
    while j >= 0 and i - j <= 4 and toks[j].kind == "word":
        w = toks[j].low
        if (w in lx.NEGATORS and w != "nor") or w == "cannot":
            return not (j + 1 < len(toks) and toks[j + 1].low in _NOT_NEGATION)
        if w == "to" and j > 0 and toks[j - 1].stem in lx.NEGATIVE_IMPLICATIVES:
            return True  # "declined to comment", "refused to pay": it did not happen
        if w not in _SCOPE_SKIP:
            return False
        j -= 1
    return False


def denies_another_act(claim: Sentence, story: Sentence) -> tuple[str, str] | None:
    """(the story's denied verb, the claim's word it acts on) when the story denies, with a verb the claim
    does not use, an act on what the claim is about: "leaders … have not scheduled a vote" against "The House
    has already set a date to vote". The claim may say that act in its own words, so the sentence supports
    nothing (a claim that denies something itself is compared by said_otherwise)."""
    if any(negated(claim, i) for i in range(len(claim.toks))):
        return None
    words = {lx.spelling_key(t.stem) for t in claim.toks if _content(t)}
    said = set().union(*(lx.synonyms(t.stem) for t in claim.toks if _content(t)))
    toks = story.toks
    for j, t in enumerate(toks):
        if not _content(t) or t.stem in said or lx.spelling_key(t.stem) in words or not negated(story, j):
            continue
        _, hi = story.clause(j)
        acted_on = next((u for u in toks[j + 1:min(hi, j + 4)] if _content(u) and lx.spelling_key(u.stem) in words), None)
        if acted_on is not None:
            return t.text, acted_on.text
    return None


def _content(t) -> bool:
    return t.kind == "word" and t.low not in lx.FUNCTION and t.low not in lx.NEGATORS


def _compared(t) -> bool:
    """A content word, or a function word with an opposite: "above" / "below" a limit decides a claim."""
    return _content(t) or (t.kind == "word" and bool(lx.antonyms(t.stem)))


def _around(s: Sentence, i: int, phrase: frozenset[str] = frozenset()) -> frozenset[str]:
    """The content words within WINDOW of the word at i (of its particle too, when it has one)."""
    toks = s.toks
    last = i + 1 if phrase else i
    return frozenset(toks[k].stem for k in range(max(0, i - WINDOW), min(len(toks), last + WINDOW + 1))
                     if k not in (i, last) and _content(toks[k]))


def _object(s: Sentence, i: int) -> str | None:
    """The head of the noun phrase right after the word at i: "veto the fare-free ordinance" -> ordinance."""
    toks = s.toks
    head = None
    for k in range(i + 1, min(len(toks), i + 1 + WINDOW)):
        u = toks[k]
        if u.text == "-":
            continue
        if u.kind != "word" or (head is not None and not _content(u)):
            break
        if _content(u):
            head = u.stem
    return head


def _acted_on(s: Sentence, i: int) -> str | None:
    """What the word at i acts on: the noun after it ("veto the ordinance"), or a passive's subject ("the
    sanctions, which bar …, were not lifted"), past a relative clause set off by commas."""
    toks = s.toks
    k = i - 1
    while k >= 0 and toks[k].low in lx.NEGATORS | lx.ADVERBS:
        k -= 1
    if k < 0 or toks[k].low not in lx.BE:
        return _object(s, i)
    while k >= 0 and toks[k].low in lx.AUXILIARIES | lx.NEGATORS | lx.ADVERBS:
        k -= 1  # "have not been"
    if k >= 0 and toks[k].text == ",":
        opening = next((c for c in range(k - 1, -1, -1) if toks[c].text == ","), None)
        if opening is not None and opening + 1 < k and toks[opening + 1].low in lx.RELATIVES:
            k = opening - 1
    return toks[k].stem if k >= 0 and _content(toks[k]) else None


def _infinitive(s: Sentence, i: int) -> bool:
    """ "to veto", "not to veto": the word at i is an infinitive."""
    j = i - 1
    while j >= 0 and s.toks[j].low in lx.NEGATORS | lx.ADVERBS:
        j -= 1
    return j >= 0 and s.toks[j].low == "to"


def said_otherwise(claim: Sentence, stories: list[Sentence]) -> tuple[Sentence, Opposition] | None:
    """The first claim word that the story sentences say the opposite of, and the sentence that says it:
    each claim word is lined up with the occurrence of itself, a synonym or an opposite, in any of the
    sentences (a sentence, or a whole passage), whose surroundings it shares most. A passage that says
    "Residents will travel free" says the opposite of "residents get half price", however many of the
    claim's words it has."""
    for i, t in enumerate(claim.toks):
        if not _compared(t) or t.cap:
            continue
        # a verb with its particle means what the one verb would: "ruled out" is "excluded", "open to" "considering"
        phrase = phrasal_meanings(claim, i)
        meant = {t.stem, *phrase}
        opposites = frozenset().union(*(lx.antonyms(m) for m in meant))
        same = frozenset().union(*(lx.synonyms(m) for m in meant))
        general = frozenset().union(*(lx.GENERAL.get(m, frozenset()) for m in meant)) - same
        sign = negated(claim, i)
        if not opposites and not sign and not any(negated(story, j) and story.toks[j].stem in same
                                                  for story in stories for j in range(len(story.toks))):
            continue
        wanted = _around(claim, i, phrase)
        obj = _acted_on(claim, i)
        best = None
        for story in stories:
            for j, u in enumerate(story.toks):
                if not _compared(u):
                    continue
                also = phrasal_meanings(story, j)
                read = {u.stem, *also}
                if read & general and negated(story, j):
                    read |= same  # "fees will not change" denies that they rise
                flip = bool(read & opposites) and not read & same
                if not read & same and not flip:
                    continue
                shared = len(wanted & _around(story, j, also)) + (0.5 if u.stem == t.stem else 0)
                if obj is not None and obj == _acted_on(story, j) and (flip or not _infinitive(story, j)):
                    # acts on the same thing ("veto the ordinance" / "sign the ordinance", "were not lifted");
                    # "asked her not to veto the plan" is a wish, not a denial of the act
                    shared += 1
                if best is None or shared > best[0]:
                    best = (shared, story, j, flip)
        if best is None or best[0] < MIN_SHARED:
            continue
        _, story, j, flip = best
        if (negated(story, j) != flip) != sign:
            lo, hi = story.clause(j)
            return story, Opposition(t.text, story.span(lo, hi).strip(), j)
    return None


_EVER = {"ever"}


def _no_earlier(s: Sentence) -> int | None:
    """Where the sentence says there was none before: "had never gone on strike before", "the first-ever
    strike", "for the first time ever"."""
    toks = s.toks
    for i, t in enumerate(toks):
        if t.low == "never" and any(u.low == "before" for u in toks[i + 1:]):
            return i
        if t.low == "first" and any(u.low in _EVER for u in toks[i + 1:i + 4]):
            return i
    return None


def _first_since(s: Sentence) -> int | None:
    """Where the sentence says there was one before: "the first at Harlow State since 2011"."""
    toks = s.toks
    for i, t in enumerate(toks):
        if t.low == "first":
            for k in range(i + 1, min(len(toks) - 1, i + 8)):
                if toks[k].text in lx.CLAUSE_PUNCT and toks[k].text != "-":
                    break
                if toks[k].low == "since":
                    return i
    return None


def earlier_one(claim: Sentence, story: Sentence) -> Opposition | None:
    """ "The first since 2011" says there was one before; "never before" and "first ever" say there was
    none: one against the other contradicts, when the two share what they are about."""
    for denies, asserts in ((claim, story), (story, claim)):
        i, j = _no_earlier(denies), _first_since(asserts)
        if i is None or j is None:
            continue
        shared = {t.stem for t in claim.toks if _content(t)} & {t.stem for t in story.toks if _content(t)}
        if shared - {"first", "never", "befor", "sinc", "ever"}:
            k = j if asserts is story else i
            lo, hi = story.clause(k)
            return Opposition(claim.toks[i if denies is claim else j].text, story.span(lo, hi).strip(), k)
    return None


def contrary_word(claim: Sentence, story: Sentence) -> tuple[str, str] | None:
    """A claim word the story sentence lacks while it has an opposite of it (lexicon.contraries), both
    asserted or both denied: ("cheap", "expensive") for "repairs were cheap" against "too expensive to
    repair". Meaning-based support can't tell the two apart, so such a sentence supports nothing in other
    words; the wider net is not sure enough to call the claim contradicted."""
    for i, t in enumerate(claim.toks):
        if not _compared(t) or t.cap or lx.synonyms(t.stem) & story.stems or _bounds(claim, i):
            continue
        opposites = lx.contraries(t.stem) - claim.stems
        for j, u in enumerate(story.toks):
            if u.kind == "word" and u.stem in opposites and negated(story, j) == negated(claim, i) \
                    and not _bounds(story, j):
                return t.text, u.text
    return None


def _bounds(s: Sentence, i: int) -> bool:
    """Whether the word at i bounds a figure ("more than 300", "in less than 30 hours"): the figures are
    compared as figures, so "more" there is no opposite of "less"."""
    toks = s.toks
    return toks[i].low in {"more", "less", "fewer", "over", "under"} and i + 1 < len(toks) and (
        toks[i + 1].kind == "num" or toks[i + 1].low in lx.NUMBER_WORDS
        or (toks[i + 1].low == "than" and i + 2 < len(toks)
            and (toks[i + 2].kind == "num" or toks[i + 2].low in lx.NUMBER_WORDS
                 or toks[i + 2].low in {"a", "an", "half"})))
