"""What a claim asserts, read once before the story is searched: its source, its predicates, its
figures, dates and comparisons, and which of its words must be found in the story."""

from __future__ import annotations

from dataclasses import dataclass, field

from storybot.index.checking.facts import Frame, Sentence, phrasal_meanings, predicate_kind, verb_like
from storybot.index.checking.mentions import Mention
from storybot.index.checking.numbers import read_figures, relation
from storybot.index.checking.quantities import Quantity
from storybot.index.checking.quotes import claim_attribution, claimed_speaker
from storybot.index.language import lexicon as lx


DIMENSIONS = {"vote", "affect", "commit", "agree", "provide"}
_COMPARATIVES = {"more": 1, "fewer": -1, "less": -1}


@dataclass
class Claim:
    text: str
    sentence: Sentence
    excluded: set[int] = field(default_factory=set)  # token indices of "X said" / "according to X"
    attribution: Mention | None = None
    frames: list[Frame] = field(default_factory=list)  # its asserted predicates, checked one by one
    plain: set[int] = field(default_factory=set)  # a first word capitalised only as the first (claim_names.plain_initial)


def parse_claim(text: str) -> Claim:
    s = Sentence(text)
    claim = Claim(text, s)
    found = claim_attribution(s)
    if found is not None:
        claim.attribution, excluded = found
        claim.excluded.update(excluded)
    claim.frames = _claim_frames(claim)
    return claim


def speaker_tokens(claim: Claim) -> set[str]:
    """The lower-cased words of whom the claim says said it."""
    who = claimed_speaker(claim.text)
    return {w.lower().strip(".,") for w in who.split()} if who else set()


def is_content(t) -> bool:
    """A word the story must say too: not a function word, a light verb, a negator, a number, or a word
    that only says a figure is rough ("roughly", "nearly": checked with the figure)."""
    return (t.kind == "word" and t.low not in lx.FUNCTION and t.stem not in lx.LIGHT and t.low not in lx.NEGATORS
            and t.low not in lx.NUMBER_WORDS and t.low not in lx.APPROXIMATE)


def implicative(s: Sentence, i: int) -> bool:
    """ "declined to comment", "refused to give": the first verb only says the second did not happen."""
    return s.toks[i].stem in lx.NEGATIVE_IMPLICATIVES and i + 1 < len(s.toks) and s.toks[i + 1].low == "to"


_COMPARED = frozenset({"over", "under", "above", "below", "more", "less", "fewer"})


def is_item(s: Sentence, i: int) -> bool:
    """Days, months and numbers are checked as items, not as words; so are the unit of a length of time
    ("well over a year" is "14 months") and the word that grades a bound ("well over", "a little over")."""
    t = s.toks[i]
    relative = t.low in {"day", "days"} and i + 1 < len(s.toks) and s.toks[i + 1].low in {"after", "before"}
    money = t.stem in lx.MONEY_WORDS and any(q.unit in lx.CURRENCIES.values() for q in s.quantities)
    length = t.low in lx.TIME_UNITS and any(q.duration and q.start <= i < q.end for q in s.quantities)
    graded = t.low in lx.DEGREE and i + 1 < len(s.toks) and s.toks[i + 1].low in _COMPARED \
        or t.low == "close" and i + 2 < len(s.toks) and s.toks[i + 1].low == "to" \
        and (s.toks[i + 2].kind == "num" or s.toks[i + 2].low in lx.NUMBER_WORDS)  # "close to 3,000 acres"
    return t.low in lx.DAYS or t.low in lx.MONTHS or t.kind == "num" or t.low in lx.ORDINALS or relative or money \
        or length or graded or _bounds_figure(s, i)


def _bounds_figure(s: Sentence, i: int) -> bool:
    """ "less than a fifth", "over 300", "more than half": the word is the figure's side, checked with it."""
    toks = s.toks
    if toks[i].low not in _COMPARED:
        return False
    j = i + 2 if i + 1 < len(toks) and toks[i + 1].low == "than" else i + 1
    return j < len(toks) and (toks[j].kind == "num" or toks[j].low in lx.NUMBER_WORDS
                              or toks[j].low in {"a", "an", "half"} or toks[j].text in lx.CURRENCIES)


def content_stems(claim: Claim, exclude) -> frozenset[str]:
    excluded = set(exclude)
    return frozenset(t.stem for i, t in enumerate(claim.sentence.toks)
                     if i not in excluded and is_content(t) and not is_item(claim.sentence, i)
                     and not implicative(claim.sentence, i))


def claim_quantities(claim: Claim) -> list[Quantity]:
    """The claim's figures compared one by one with the story's; a gap or a share ("up by $1,910", "each
    will pay €2.3 million") is left to the general comparison, which works it out from the story's figures,
    and so is a fraction in words ("six in ten", "a third of"), which only it reads as a percentage."""
    s = claim.sentence
    toks = s.toks
    relative = [f for f in read_figures(s) if relation(s, f) is not None
                or (f.kind == "percent" and toks[f.start].kind == "word")]
    return [q for q in s.quantities if q.start not in claim.excluded
            and not (q.start + 1 < len(toks) and toks[q.start + 1].low == "of")  # "one of several calls"
            and not any(f.start < q.end and q.start < f.end for f in relative)]


def _claim_frames(claim: Claim) -> list[Frame]:
    s = claim.sentence
    stems = frozenset(t.stem for i, t in enumerate(s.toks)
                      if i not in claim.excluded and t.kind == "word" and _predicate(s, i))
    frames = []
    for f in s.frames(stems):
        if f.index in claim.excluded or (not f.realis and f.governor is None) or \
                (f.kind == "say" and claim.attribution is not None):
            continue
        counted = any(q.stance and q.start <= f.index < q.end for q in s.quantities)
        if counted or (f.agent is not None and _quantified(s, f.agent)):
            continue  # "53 nations abstained", "more countries abstained": the numbers settle it
        frames.append(f)
    return frames


def _predicate(s: Sentence, i: int) -> bool:
    t = s.toks[i]
    if t.low in lx.FUNCTION or t.cap:
        return False
    kind, _ = predicate_kind(s, i)
    return kind in DIMENSIONS or verb_like(s, i)


def _quantified(s: Sentence, m: Mention) -> bool:
    j = m.start
    toks = s.toks
    window = toks[max(0, j - 1):j + 1]
    return any(t.kind == "num" or t.low in lx.NUMBER_WORDS or t.low in _COMPARATIVES or t.low in {"most", "than"}
               for t in window)


def comparisons(claim: Claim) -> list[tuple[int, str, str, str]]:
    """ "More countries abstained than voted against" → (+1, "abstain", "against", text)."""
    s = claim.sentence
    toks = s.toks
    out = []
    for i, t in enumerate(toks):
        if t.low not in _COMPARATIVES:
            continue
        than = next((j for j in range(i + 1, len(toks)) if toks[j].low == "than"), None)
        if than is None:
            continue
        first = _stance_in(toks[i + 1:than])
        second = _stance_in(toks[than + 1:than + 5])
        if first and second and first != second:
            out.append((_COMPARATIVES[t.low], first, second, s.span(i, min(len(toks), than + 4))))
    return out


def _stance_in(toks) -> str | None:
    for k, t in enumerate(toks):
        if t.low in {"favor", "favour"}:
            return "for"
        if t.low == "against":
            return "against"
        if t.stem in lx.VOTE_TRIGGERS and len(lx.VOTE_TRIGGERS[t.stem]) == 1:
            return next(iter(lx.VOTE_TRIGGERS[t.stem]))
    return None


def relative_days(s: Sentence) -> list[tuple[int, range]]:
    """ "the day after his call with Zelensky" → (+1, tokens of the anchor event)."""
    toks = s.toks
    out = []
    for i in range(len(toks) - 2):
        if toks[i].low in {"day", "days"} and toks[i + 1].low in {"after", "before"}:
            count = 1
            if i > 0 and toks[i - 1].kind == "num":
                count = int(float(toks[i - 1].text))
            elif i > 0 and toks[i - 1].low in lx.NUMBER_WORDS:
                count = int(lx.NUMBER_WORDS[toks[i - 1].low])
            sign = 1 if toks[i + 1].low == "after" else -1
            lo, hi = s.clause(i + 2)
            out.append((sign * count, range(i + 2, hi)))  # the anchor event: "his call with Zelensky"
    return out
