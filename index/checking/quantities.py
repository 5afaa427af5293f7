"""Figures with what they count, read from a sentence's tokens.

Counts ("24 countries voting against"), vote tallies ("voted 7 to 2"), durations as intervals in
days ("between one to two years"), ordinals ("second term"), money ("$40 million"), and numbers
written in words ("twenty-one", "half a million").
"""

from __future__ import annotations

from dataclasses import dataclass

from storybot.index.language import lexicon as lx
from storybot.index.language.text import Tok, verbatim


_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}


@dataclass(frozen=True)
class Quantity:
    """A number from the text with what it measures. Durations are in days; bounds are inclusive."""

    low: float
    high: float
    bound: str  # "exact", "approx", "upper", "lower" or "range"
    unit: str | None
    duration: bool
    stance: str | None  # a vote count: "for", "against", "abstain", "absent"
    role: frozenset[str]  # stems of the words saying what the counted things did
    start: int
    end: int
    text: str
    ordinal: bool = False


def number_at(toks: list[Tok], i: int) -> tuple[float, int] | None:
    """A number starting at token i: (value, index after it). Handles "87", "1,200", "1.5 million", "two",
    "twenty-four", "one hundred twenty", "two thousand five hundred and six", "a dozen", "a thousand"."""
    t = toks[i]
    if t.kind == "num":
        try:
            value = float(t.text.replace(",", ""))
        except ValueError:
            return None
        if and_a_half(toks, i + 1):  # "2 and a half million"
            return _scaled(toks, i + 4, value + 0.5)
        return _scaled(toks, i + 1, value)
    if t.kind != "word":
        return None
    if t.low in {"a", "an"} and i + 1 < len(toks):
        following = toks[i + 1].low
        if following in lx.TIME_UNITS:
            return 1.0, i + 1
        if following in lx.SCALES or following == "dozen":  # "a hundred", "a dozen"
            return _spelled_number(toks, i + 1, implied_one=True)
        return None
    if t.low == "both" and 0 < i < len(toks) - 1 and toks[i + 1].kind == "word" and not toks[i + 1].cap \
            and toks[i + 1].low not in lx.FUNCTION:
        # "halted sales of both models" counts two models; "both the company and …" counts nothing, and a
        # sentence opening "Both people who died …" refers back to a pair the text counts elsewhere
        return 2.0, i + 1
    if t.low == "one" and ((i > 0 and toks[i - 1].low in _PRONOUN_ONE)
                           or any(toks[k].low == "another" for k in range(i + 1, min(len(toks), i + 4)))):
        return None  # "like this one", "no one", "from one person to another": a pronoun, not a count
    if t.low in lx.NUMBER_WORDS:
        found = _spelled_number(toks, i)
        if found is not None and and_a_half(toks, found[1]) and toks[found[1] - 1].low not in lx.SCALES:
            return _scaled(toks, found[1] + 3, found[0] + 0.5)  # "two and a half years", "one and a half million"
        return found
    return None


_PRONOUN_ONE = frozenset({"this", "that", "the", "each", "every", "another", "no", "which", "any", "some"})


def and_a_half(toks: list[Tok], j: int) -> bool:
    """ "and a half" at j: after a number ("two and a half years") or a unit ("a year and a half")."""
    return j + 2 < len(toks) and toks[j].low == "and" and toks[j + 1].low in {"a", "an"} and toks[j + 2].low == "half"


PAIR_JOINERS = {"-", "–", "—", "to"}  # between the two numbers of a pair: "5-2", "2 to 1"


def and_more_time(toks: list[Tok], j: int, unit: str) -> tuple[float, int] | None:
    """ "and three months" at j after "seven years": the days it adds (a smaller unit only) and where it ends,
    so "seven years and three months" is one length, the same as "87 months"."""
    if j >= len(toks) or toks[j].low != "and":
        return None
    number = number_at(toks, j + 1)
    if number is None or number[1] >= len(toks) or toks[j + 1].low in {"a", "an", "half"}:
        return None
    value, k = number
    smaller = toks[k].low
    if smaller not in lx.TIME_UNITS or lx.TIME_UNITS[smaller] >= lx.TIME_UNITS[unit]:
        return None
    return value * lx.TIME_UNITS[smaller], k + 1


def is_label(toks: list[Tok], i: int) -> bool:
    """Whether the number at i labels the capitalised word before it ("Game 7", "Route 9", "Windows 11"):
    a name, not a count."""
    return i >= 2 and toks[i].kind == "num" and toks[i - 1].kind == "word" and toks[i - 1].cap \
        and toks[i - 1].low not in lx.FUNCTION and toks[i - 1].low not in lx.MONTHS \
        and not (i + 1 < len(toks) and (toks[i + 1].text in PAIR_JOINERS or toks[i + 1].text == ","))  # "Foresters 104-97": a score


def every(toks: list[Tok], i: int) -> bool:
    """ "every two hours", "every six months": the figure starting at i says how often, not how long."""
    return i > 0 and toks[i - 1].low == "every"


def _scaled(toks: list[Tok], j: int, value: float) -> tuple[float, int]:
    """ "1.5 million", "3 thousand": a number times the scale words after it, largest last."""
    largest = float("inf")
    while j < len(toks) and toks[j].low in lx.SCALES and lx.SCALES[toks[j].low] < largest:
        largest = lx.SCALES[toks[j].low]
        value *= largest
        j += 1
    return value, j


def _spelled_number(toks: list[Tok], i: int, *, implied_one: bool = False) -> tuple[float, int] | None:
    """Number words read as one number, the way they are said: a group below a thousand ("one hundred
    twenty") is built up, then a scale word ("thousand", "million") closes it; groups add up. Words that
    cannot continue a number ("two three", "twenty thirty") end it, so a list of numbers stays a list."""
    total, group = 0.0, 1.0 if implied_one else 0.0
    last = "unit" if implied_one else None  # what the previous word was: unit, ten, hundred or scale
    largest = float("inf")
    j = i
    while j < len(toks):
        low = toks[j].low if toks[j].kind == "word" else toks[j].text
        small = lx.NUMBER_WORDS.get(low) if low not in {"hundred", "dozen", "dozens", "half"} else None
        if last is None and low in {"dozens", "half"}:  # not part of a compound: "dozens", "half"
            k = j + 1
            if low == "half" and k + 1 < len(toks) and toks[k].low in {"a", "an"} \
                    and (toks[k + 1].low in lx.SCALES or toks[k + 1].low in lx.TIME_UNITS):
                k += 1  # "half a million", "half a year"
            return _scaled(toks, k, float(lx.NUMBER_WORDS[low]))
        if low in {"-", "and"} and last in ({"ten"} if low == "-" else {"hundred", "scale"}) \
                and j + 1 < len(toks) and _joins(toks, j + 1, last):
            j += 1
            continue
        if small is not None and (last in {None, "hundred", "scale"} or (last == "ten" and 1 <= small <= 9)):
            group += small
            last = "ten" if small >= 20 and small % 10 == 0 and last != "ten" else "unit"
        elif low == "hundred" and last in {None, "unit", "ten"} and group < 100:
            group = (group or 1) * 100
            last = "hundred"
        elif low == "dozen" and last in {None, "unit"}:
            group = (group or 1) * 12
            last = "unit"
        elif low in lx.SCALES and low != "hundred" and last is not None and lx.SCALES[low] < largest:
            largest = lx.SCALES[low]
            total += group * largest
            group, last = 0.0, "scale"
        else:
            break
        j += 1
    if j == i:
        return None
    return total + group, j


def _joins(toks: list[Tok], j: int, last: str) -> bool:
    """Whether a hyphen or "and" at j - 1 joins the number word at j to the number before it: "twenty-four",
    "one hundred and six" — but not "between one hundred and two hundred" (a range, read by the caller)."""
    value = lx.NUMBER_WORDS.get(toks[j].low) if toks[j].kind == "word" else None
    if value is None or toks[j].low in {"hundred", "dozen", "dozens", "half"}:
        return False
    if last == "ten":
        return 1 <= value <= 9
    after = toks[j + 1].low if j + 1 < len(toks) else ""
    return 1 <= value <= 99 and after not in lx.SCALES and after != "dozen"


_NAMED_TIMES = {"noon": 720, "midday": 720, "midnight": 0}


def clock_at(toks: list[Tok], i: int) -> tuple[float, int, bool] | None:
    """A time of day as minutes after midnight, where it ends, and whether a.m. or p.m. is left unsaid:
    "5:40 a.m." is 340, "10 p.m." 1320, "14:30" 870, "5:40" 340 or 1060, "noon" 720. A bare number is no time."""
    t = toks[i]
    if t.kind == "word" and t.low in _NAMED_TIMES and not (i + 1 < len(toks) and toks[i + 1].text == "-"):
        return _NAMED_TIMES[t.low], i + 1, False  # "by noon", "at midnight" (not "a midday-meal")
    if t.kind != "num" or not t.text.isdigit() or int(t.text) > 24:
        return None
    hour, minute, j = int(t.text), 0, i + 1
    colon = j + 1 < len(toks) and toks[j].text == ":" and toks[j + 1].text.isdigit() and len(toks[j + 1].text) == 2 \
        and int(toks[j + 1].text) < 60
    if colon:
        minute, j = int(toks[j + 1].text), j + 2
    half, end = meridiem(toks, j)
    if half is None:
        return (hour * 60 + minute, j, hour <= 12) if colon else None
    if not 1 <= hour <= 12:
        return None
    return (hour % 12 + (12 if half == "p" else 0)) * 60 + minute, end, False


_PART_OF_DAY = {"morning": "a", "afternoon": "p", "evening": "p"}


def meridiem(toks: list[Tok], j: int) -> tuple[str | None, int]:
    """ "a.m." / "p.m." / "am" / "pm" / "in the morning" / "in the afternoon" / "in the evening" at j:
    which half of the day, and where it ends."""
    if j < len(toks) and toks[j].low in {"am", "pm"}:
        return toks[j].low[0], j + 1
    if j + 2 < len(toks) and toks[j].low in {"a", "p"} and toks[j + 1].text == "." and toks[j + 2].low == "m":
        end = j + 4 if j + 3 < len(toks) and toks[j + 3].text == "." else j + 3
        return toks[j].low, end
    if j + 2 < len(toks) and toks[j].low == "in" and toks[j + 1].low == "the" and toks[j + 2].low in _PART_OF_DAY:
        return _PART_OF_DAY[toks[j + 2].low], j + 3
    return None, j


def read_quantities(toks: list[Tok], text: str) -> list[Quantity]:
    """The figures of a sentence with what they count: "24 countries voting against", "up to two years"."""
    out: list[Quantity] = []
    i = 0
    last_unit: str | None = None
    while i < len(toks):
        clock = clock_at(toks, i)
        if clock is not None:
            i = clock[1]  # "5:40 a.m." is a time of day (numbers.py reads it), not two counts
            continue
        share = _share_words(toks, i)
        if share:
            i += share  # "a third of", "two-fifths of": a share (numbers.py reads it), not a count or a rank
            continue
        if toks[i].kind == "word" and toks[i].low in lx.ORDINALS and i + 1 < len(toks) and toks[i + 1].kind == "word":
            value = lx.ORDINALS[toks[i].low]
            out.append(Quantity(value, value, "exact", toks[i + 1].stem, False, None, frozenset(), i, i + 2,
                                verbatim(text, toks[i].start, toks[i + 1].end), True))
            i += 2
            continue
        if toks[i].kind == "num" and i + 2 < len(toks) and toks[i + 1].low in _ORDINAL_SUFFIXES \
                and toks[i + 1].start == toks[i].end and toks[i + 2].kind == "word":
            value = float(toks[i].text) if toks[i].text.isdigit() else 0.0  # "55th minute" is a point, not a length
            out.append(Quantity(value, value, "exact", toks[i + 2].stem, False, None, frozenset(), i, i + 3,
                                verbatim(text, toks[i].start, toks[i + 2].end), True))
            i += 3
            continue
        if _rate(toks, i):
            i += 2
            continue
        first = number_at(toks, i)
        if first is None or is_label(toks, i):
            i += 1
            continue
        tally = _tally(toks, text, i)
        if tally:
            out.extend(tally)
            i = tally[-1].end
            continue
        low, j = first
        high, bound, start = low, "exact", i
        # "between one to two years", "one to two years", "1-2 years"
        if j + 1 < len(toks) and toks[j].low in {"to", "and", "-", "or"}:
            second = number_at(toks, j + 1)
            if second is not None and (toks[j].low != "and" or (i > 0 and toks[i - 1].low == "between")) \
                    and not (_year(toks, i) and _year(toks, j + 1) and toks[j].low == "to"):
                # "shrank by $23 million from 2024 to 2025": two years compared, each found on its own
                # ("between 1912 and 1913" stays one period)
                high, j = second[0], second[1]
                bound = "range"
        before = i - 1 if i > 0 and toks[i - 1].text in lx.CURRENCIES else i  # "over $100,000"
        prefix = " ".join(t.low for t in toks[max(0, before - 3):before])
        if bound == "exact":
            for phrase, kind in ([(p, "upper") for p in lx.UPPER_BOUND] + [(p, "lower") for p in lx.LOWER_BOUND]
                                 + [(p, "approx") for p in lx.APPROXIMATE]):
                if prefix == phrase or prefix.endswith(" " + phrase):
                    bound = kind
                    start = before - len(phrase.split())
                    break
        if i > 0 and toks[i - 1].low == "between":
            start = i - 1
        # The unit is the last noun of what follows: "council members", "countries", "months"; or money.
        unit = None
        money = i > 0 and toks[i - 1].text in lx.CURRENCIES
        if money:
            start = min(start, i - 1)
        elif j + 1 < len(toks) and toks[j].low == "other" and _unit_word(toks[j + 1]):
            j += 1  # "two other public universities" counts universities
        while not money and j < len(toks) and _unit_word(toks[j]):
            unit = toks[j].low
            j += 1
            if unit in lx.TIME_UNITS:
                break
        duration = unit in lx.TIME_UNITS if unit else False
        if duration and every(toks, i):
            i = j  # "every two hours": how often, not how long
            continue
        if duration and low == high and and_a_half(toks, j):
            low = high = low + 0.5  # "a year and a half"
            j += 3
        if duration:
            scale = lx.TIME_UNITS[unit]
            low, high = low * scale, high * scale
            more = and_more_time(toks, j, unit) if low == high else None
            if more is not None:
                low = high = low + more[0]
                j = more[1]
        unit_stem = lx.CURRENCIES[toks[i - 1].text] if money else lx.lemma_stem(unit) if unit else None
        if unit_stem is None and not duration and not _year(toks, i):
            unit_stem = last_unit  # "87 votes in favor and 53 against": 53 votes ("$38 million in 2025": no $2,025)
        last_unit = unit_stem or last_unit
        stance, role, end = None, set(), j
        if not duration and unit_stem != _PERCENT:  # a share does nothing: "6 percent of its value", "6.2 percent on Monday"
            stance, role, end = _what_counted(toks, j)
            while end - 1 > j and toks[end - 1].low in lx.TRAILING:
                end -= 1
        out.append(Quantity(low, high, bound, unit_stem, duration, stance, frozenset(role), start, max(j, end),
                            verbatim(text, toks[start].start, toks[max(j, end) - 1].end)))
        i = max(j, i + 1)
    return out


def _share_words(toks: list[Tok], i: int) -> int:
    """How many tokens from i say a share as a fraction ("a tenth", "two - fifths"), before "of" or "the"."""
    for n in (2, 3):
        if i + n < len(toks) and toks[i + n - 1].low in lx.FRACTIONS and toks[i + n].low in {"of", "the"} and (
                (n == 2 and toks[i].low in {"a", "one"}) or
                (n == 3 and toks[i].low in lx.NUMBER_WORDS and toks[i + 1].text == "-")):
            return n
    return 0


def _rate(toks: list[Tok], i: int) -> bool:
    """ "a year" in "$2.3 million a year", "twice a week", "40 hours a week": how often, not how long."""
    if not (toks[i].low in {"a", "an", "per"} and i + 1 < len(toks) and toks[i + 1].low in lx.TIME_UNITS and i > 0):
        return False
    before = toks[i - 1]
    return before.kind == "num" or before.low in lx.SCALES or before.low in {"once", "twice", "times"} \
        or before.text in {"%"} or before.low in lx.TIME_UNITS or before.low == "percent"


def is_year(toks: list[Tok], i: int) -> bool:
    """A four-digit number read as a year ("in 1981"): not a sum ("$2025") or a percentage."""
    t = toks[i]
    return (t.kind == "num" and len(t.text) == 4 and t.text.isdigit() and 1000 <= int(t.text) <= 2100
            and not (i > 0 and toks[i - 1].text in lx.CURRENCIES)
            and not (i + 1 < len(toks) and toks[i + 1].text in {"%", "percent", "pct"}))


def _year(toks: list[Tok], i: int) -> bool:
    """ "in 2025", "from 2024 to 2025": a recent year, no count of what came before it ("1500 against" may be)."""
    return is_year(toks, i) and int(toks[i].text) >= 1800 and not (i + 1 < len(toks) and _unit_word(toks[i + 1]))


def _unit_word(t: Tok) -> bool:
    # another number starts another quantity: "both models nine days later"
    return (t.kind == "word" and t.low not in lx.FUNCTION and t.low not in {"favor", "favour", "against"}
            and t.low not in lx.NUMBER_WORDS
            and t.stem not in lx.VOTE_WORDS and t.stem not in lx.VOTE_TRIGGERS
            and not t.low.endswith("ed") and not t.low.endswith("ing") and t.low not in lx.IRREGULAR)


_PERCENT = lx.lemma_stem("percent")


def _what_counted(toks: list[Tok], j: int) -> tuple[str | None, set[str], int]:
    """After "87 countries": "voting in favor" → stance "for"; "were killed" → role {"kill"}."""
    stance, role, k = None, set(), j
    while k < len(toks) and k < j + 4:
        w = toks[k]
        if w.kind != "word" or (w.low == "and" and k > j) or number_at(toks, k) is not None \
                or w.low in lx.DEGREE or w.low in lx.APPROXIMATE:
            break  # another figure ("both models nine days later", "two models a little over a week")
        if w.low in {"favor", "favour"}:
            stance = "for"
        elif w.low == "against":
            stance = "against"
        elif w.low == "for" and k > 0 and toks[k - 1].stem in lx.VOTE_WORDS:
            stance = "for"
        elif w.stem in lx.VOTE_TRIGGERS and not stance and len(lx.VOTE_TRIGGERS[w.stem]) == 1:
            stance = next(iter(lx.VOTE_TRIGGERS[w.stem]))
        if w.low not in lx.FUNCTION:
            role.add(w.stem)
        k += 1
    return stance, role, k


def _tally(toks: list[Tok], text: str, i: int) -> list[Quantity]:
    """ "voted 7 to 2 in favor", "a 7-2 vote": two counts, the first for the stated side, the second against it."""
    first = number_at(toks, i)
    if first is None:
        return []
    j = first[1]
    votes_between = j < len(toks) and toks[j].stem in lx.VOTE_WORDS  # "87 votes to 24"
    if votes_between:
        j += 1
    if j + 1 >= len(toks) or toks[j].low not in {"to", "-", "against"}:
        return []
    second = number_at(toks, j + 1)
    if second is None:
        return []
    before = toks[i - 1].stem if i > 0 else ""
    if before == "of" and i > 1:
        before = toks[i - 2].stem  # "a vote of 87 to 24"
    after = toks[second[1]].stem if second[1] < len(toks) else ""
    if not votes_between and before not in lx.VOTE_WORDS and after not in lx.VOTE_WORDS:
        return []
    stance, _, end = _what_counted(toks, second[1])
    stance = stance or "for"
    other = "against" if stance == "for" else "for"
    while end - 1 > second[1] and toks[end - 1].low in lx.TRAILING:
        end -= 1  # "in favor of the" → "in favor"
    span = verbatim(text, toks[i - 1 if before in lx.VOTE_WORDS else i].start, toks[end - 1].end)
    return [Quantity(first[0], first[0], "exact", None, False, stance, frozenset(), i, end, span),
            Quantity(second[0], second[0], "exact", None, False, other, frozenset(), i, end, span)]
