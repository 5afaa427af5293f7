"""Whether a figure in the claim agrees with one in the story: counts with their stance ("24 countries
voted against"), amounts with their unit, durations as intervals, ordinals."""

from __future__ import annotations

import math

from storybot.index.checking.facts import Sentence
from storybot.index.checking.numbers import APPROXIMATE_TOLERANCE, UNIT_TOLERANCE, reach_above
from storybot.index.checking.passage import Finding, Para
from storybot.index.checking.quantities import Quantity
from storybot.index.language import lexicon as lx


NEAR = 6  # tokens either side of a story's sum where the claim's words say it is the same sum
NEAR_WORDS = 2  # one shared word ("the bill would cost") does not tell a cost from a revenue


def _units_compatible(q: Quantity, sq: Quantity) -> bool:
    money = set(lx.CURRENCIES.values())
    if (q.unit in money) != (sq.unit in money):
        return False  # "$40 million" counts no countries
    if q.unit is None or sq.unit is None or (q.stance and sq.stance):
        return True
    return q.unit == sq.unit or sq.unit in lx.synonyms(q.unit)


def _close(a: float, b: float, tolerance: float = 0.0) -> bool:
    return abs(a - b) <= max(tolerance * max(abs(a), abs(b)), 1e-9)


def compare_quantity(q: Quantity, sq: Quantity, context: frozenset[str], para: Para, s: Sentence) -> Finding | None:
    if q.duration:
        if not context & s.stems - {lx.lemma_stem(u) for u in lx.TIME_UNITS}:
            return None  # a duration of something else
        return Finding(not duration_agrees(q, sq), para, s, f'the story says "{sq.text}"')
    if q.ordinal:
        if q.unit != sq.unit:
            return None
        return Finding(not _close(q.low, sq.low), para, s, f'the story says "{sq.text}"')
    if not _units_compatible(q, sq):
        return None
    same_value = _close(q.low, sq.low) and _close(q.high, sq.high)
    if q.stance or sq.stance:
        if not (q.stance and sq.stance):
            return None
        if q.stance == sq.stance:
            if same_value:
                return Finding(False, para, s, f'the story says "{sq.text}"')
            return Finding(True, para, s, f'the story says "{sq.text}"')
        if same_value:
            return Finding(True, para, s, f'the story says "{sq.text}"')
        return None
    # "a year" after a sum is how often it is paid, not what it is for
    time = {lx.lemma_stem(u) for u in lx.TIME_UNITS}
    role = q.role - {q.unit or ""} - time
    story_role = sq.role - {sq.unit or ""} - time
    if role and story_role and not (role & set().union(*(lx.synonyms(r) for r in story_role))):
        return None
    if not (context & s.stems):
        return None
    if same_value or value_agrees(q, sq):
        return Finding(False, para, s, f'the story says "{sq.text}"')
    if q.unit and sq.unit and (role and story_role or (q.unit in lx.CURRENCIES.values() and _near(context, s, sq))):
        return Finding(True, para, s, f'the story says "{sq.text}"')  # another figure for the same thing
    return None


def value_agrees(q: Quantity, sq: Quantity) -> bool:
    """ "over $100,000" agrees with "$105,000", "about 640" with "638": the claim's bound or rounding."""
    if q.bound == "lower":
        return sq.low >= q.low
    if q.bound == "upper":
        return sq.high <= q.high
    if q.bound == "approx" or sq.bound == "approx":
        return _close(q.low, sq.low, APPROXIMATE_TOLERANCE)
    return False


def _near(context: frozenset[str], s: Sentence, sq: Quantity) -> bool:
    """Whether a claim's word stands next to the story's sum ("the budget is $110 million" is not
    "embezzled $1.3 million from the district"); words of time ("a year") say nothing about what is paid."""
    time = {lx.lemma_stem(u) for u in lx.TIME_UNITS}
    # Names say whose sum it is, not which sum: "Millbrook Unified's budget" is not what Millbrook Unified lost.
    near = {t.stem for t in s.toks[max(0, sq.start - NEAR):sq.end + NEAR] if not t.cap and t.low not in lx.FUNCTION}
    return len((context - time) & near) >= NEAR_WORDS


def duration_agrees(q: Quantity, sq: Quantity) -> bool:
    """ "up to two years" states the longest; "at least" the shortest; a single figure must fall in the story's range."""
    # Units convert only roughly (a month is 28 to 31 days): "30 days" is "a month", "24 months" "two years".
    tolerance = 0.2 if q.bound == "approx" or sq.bound == "approx" else UNIT_TOLERANCE
    if q.bound == "upper":
        return _close(q.high, sq.high, tolerance)
    if q.bound == "lower" and sq.bound in {"exact", "approx"} and sq.low == sq.high:
        # "a little over a week" is "nine days": more than the claim's figure, short of its next whole unit
        return q.low * (1 - tolerance) <= sq.low <= reach_above(q.low, q.low / _unit_days(q.unit))
    if q.bound == "lower":
        return _close(q.low, sq.low, tolerance)
    if q.bound == "range":
        return _close(q.low, sq.low, tolerance) and _close(q.high, sq.high, tolerance)
    lo, hi = (0.0, sq.high) if sq.bound == "upper" else (sq.low, math.inf) if sq.bound == "lower" else (sq.low, sq.high)
    return lo * (1 - tolerance) <= q.low <= hi * (1 + tolerance)


_DAYS_IN = {lx.lemma_stem(u): d for u, d in lx.TIME_UNITS.items()}  # a duration's unit (its stem) in days


def _unit_days(unit: str | None) -> float:
    return _DAYS_IN.get(unit or "", 1.0)


_ALL = {"every", "all", "each"}


def split_group(claim: Sentence, story: Sentence) -> tuple[str, str] | None:
    """(the claim's words, the story's counts) when the claim's subject is every one of a group and the
    story counts that group split: "Every member of the committee backed the increase" against "Five
    members voted for the increase, while two preferred to hold the rate"."""
    toks = claim.toks
    # the group is the claim's subject ("Every member … backed"), not an object ("power back for all customers")
    if len(toks) < 3 or toks[0].low not in _ALL:
        return None
    i, k = 0, 1 + (toks[1].low == "the")  # "All the members"
    if toks[k].kind != "word" or toks[k].cap:
        return None
    unit = lx.lemma_stem(toks[k].low)
    counts = [q for q in story.quantities if not q.duration and q.unit is not None
              and (q.unit == unit or q.unit in lx.synonyms(unit)) and q.low == q.high and q.low > 0]
    if len(counts) < 2 or len({(q.stance, q.role) for q in counts}) < 2:
        return None
    return claim.span(i, k + 1), " and ".join(f'"{q.text}"' for q in counts[:2])
