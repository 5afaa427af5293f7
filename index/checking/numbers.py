"""Compare a claim's figures with a story sentence's: same kind of figure, same thing counted, same value?

Every number is read with what it is (its kind) and the words around it (what it is about):
  * a percentage ("30%", "30 percent"), money ("$245 million", "10 million dollars"), a year ("in 1981"),
    a month and a day of the month ("26 October", "November 6"), a pair ("voted 5-2", "won 2-1",
    "between 1912 and 1913" is two years), an ordinal ("twenty-fourth", "second"), a multiple
    ("5 times faster"), or a count or measure with the words after it ("three men", "128 GB",
    "70 mph", "14 °C", "11 counts").
Two figures are comparable when their kinds agree and, for counts and measures, what follows them
shares a word; a claim's figure is then matched (the same value, 10% either way when either side
says "about"), contradicted (the sentence the claim is about gives another value for it), or absent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from storybot.index.checking.facts import Sentence
from storybot.index.checking.quantities import (PAIR_JOINERS, and_a_half, and_more_time, clock_at, every, is_label, is_year,
                                                 number_at)
from storybot.index.language import lexicon as lx
from storybot.index.language.text import Tok

CONTEXT = 3  # content words either side of a figure that say what it is about
DATE_CONTEXT = 5  # words (of any kind) either side of a date
_POINTS = {"year", "month", "day", "weekday", "clock"}
APPROXIMATE_TOLERANCE = 0.1
BOUND_REACH = 1.25  # "nearly 70%" stands for 56% to 70%, "a little over a week" for 8 to 14 days
# "less than a fifth" is true of 15% and "more than 300" of 420: a side, still not "more than a tenth" for 40%
COMPARATIVE_REACH = 1.5
MULTIPLE_TOLERANCE = 0.15
_MULTIPLES = {"double": 2, "triple": 3, "quadruple": 4}
_MULTIPLIED = {lx.lemma_stem(w): n for w, n in _MULTIPLES.items()}
_AS_MUCH = frozenset({"as", "more", "the", "higher", "larger", "bigger", "greater", "faster", "over"})
CLOCK_SLACK = 15  # minutes: "around 5:30" is 5:15 to 5:45, "shortly before 10:30" 10:00 to 10:30
CLOCK_SIDE_REACH = 6 * 60  # "before 10:30 a.m." is a time that morning, not the night before
_UNTIL = {"before", "by", "until", "till"}
_SINCE = {"after", "since"}
_SHORTLY = {"shortly", "just", "soon", "right", "minutes"}
UNIT_TOLERANCE = 0.02  # a month is 28 to 31 days: "30 days" is "a month", "24 months" is "two years"
_PERCENT = {"%", "percent", "pct"}
_MONEY_WORDS = {"dollar": "dollar", "dollars": "dollar", "euro": "euro", "euros": "euro", "pound": "pound",
                "pounds": "pound", "yen": "yen", "cents": "cent", "cent": "cent"}
_DEGREES = {"°", "º"}
_OWNERS = {"the", "its", "their", "his", "her", "our", "my", "your"}
_ROUGHLY = {"over", "nearly", "almost", "more", "than", "close", "under", "just"}  # "close to 60 percent"
# A share said as a fraction is a percentage: "a third of", "two-thirds of", "half of", "a quarter of".
_FRACTIONS = lx.FRACTIONS
# Keyed as figure heads are spelled (spelling_key of the stem: "hours" is "hor"), or hours never compare.
_TIME_HEADS = {lx.spelling_key(lx.lemma_stem(u)): days for u, days in lx.TIME_UNITS.items()}
_MINUTES = frozenset({lx.spelling_key(lx.lemma_stem("minutes"))})
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINALS = {**lx.ORDINALS, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
             "twentieth": 20, "thirtieth": 30, "fiftieth": 50, "hundredth": 100}


@dataclass(frozen=True)
class Figure:
    """One number of a sentence: its value(s), what kind of figure it is, and the words it is about."""

    value: float
    kind: str  # percent, money:<currency>, year, month, day, weekday, pair, ordinal, times, count, rate
    head: frozenset[str]  # stems of the words right after a count or measure ("men", "gb", "counts")
    context: frozenset[str]  # content stems within CONTEXT words either side
    start: int
    end: int
    text: str
    approximate: bool = False
    second: float | None = None  # the other number of a pair
    denied: bool = False  # a share of which the clause denies the act: "six in ten classes did not take place"
    bound: str | None = None  # "lower" ("more than 300"), "upper" ("less than half", "nearly 70%") or exact
    # one end of a range ("between $129 and $179", "from 8% to 6.5%"): which end, and the other end's value
    end_of: tuple[str, float] | None = None
    rest: bool = False  # "all but four of the people": what the count leaves out, the whole not given
    modifies: str | None = None  # the noun a hyphenated figure describes: "a six-point lead" is a lead
    comparative: bool = False  # the bound is a side ("less than a fifth"), not a value come close to ("nearly")
    half_day: bool = False  # a time of day without a.m. or p.m. ("5:40"): morning or evening


def read_figures(s: Sentence) -> list[Figure]:
    """Every figure of the sentence, in order."""
    toks = s.toks
    out: list[Figure] = []
    i = 0
    while i < len(toks):
        found = _figure_at(s, i)
        if found is None:
            i += 1
            continue
        out.extend(found)
        i = max(f.end for f in found)
    return _counted_before(toks, _ranges(toks, out))


_RANGE_JOINERS = {"and", "to", "-", "–"}


def _ranges(toks: list[Tok], figures: list[Figure]) -> list[Figure]:
    """Mark the two ends of each range: "between $129 and $179", "from 8% to 6.5%", "$38 million to $45 million"."""
    out = list(figures)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if a.kind != b.kind or a.kind in {"pair", "weekday"} or b.start != a.end + 1 \
                or toks[a.end].low not in _RANGE_JOINERS:
            continue
        opened = a.start > 0 and toks[a.start - 1].low in {"between", "from"}
        if toks[a.end].low == "and" and not opened:
            continue  # "$129 and $179" without "between" are two figures
        out[k] = replace(a, end_of=("low", b.value))
        out[k + 1] = replace(b, end_of=("high", a.value))
    return out


def _counted_before(toks: list[Tok], figures: list[Figure]) -> list[Figure]:
    """ "About 1,450 homes were damaged, roughly 380 of them …": "380 of them" counts homes; so does "1,200
    homes, up from 950" the 950."""
    out = list(figures)
    for k, f in enumerate(out):
        of_them = f.end + 1 < len(toks) and toks[f.end].low == "of" and toks[f.end + 1].low in {"them", "those", "these"}
        # "from the current 38 pharmacies to 140", "216 strokes, compared with 281": the same things counted
        set_against = f.start > 0 and toks[f.start - 1].low in _SET_AGAINST
        if f.kind == "count" and not f.head and (of_them or set_against):
            earlier = [e for e in out[:k] if e.kind == "count" and e.head]
            if earlier:
                out[k] = replace(f, head=earlier[-1].head)
    return out


_SET_AGAINST = frozenset({"to", "with", "against", "versus", "vs", "from"})


def remainders(sentences: list[Sentence]) -> list[Figure]:
    """What each "M of the W" leaves out: "19 of the 23 patients had been admitted" is all but 4."""
    out: list[Figure] = []
    for s in sentences:
        toks = s.toks
        figures = [f for f in read_figures(s) if f.kind == "count"]
        for part, whole in zip(figures, figures[1:]):
            between = [t.low for t in toks[part.end:whole.start]]
            if between in (["of"], ["of", "the"]) and part.value < whole.value:
                out.append(replace(whole, value=whole.value - part.value, text=f"{part.text} of {whole.text}"))
    return out


def shares(sentences: list[Sentence]) -> list[Figure]:
    """The shares the sentences' figures make of one another: "About 1,450 homes were damaged, roughly 380
    of them …" is 26% of the homes, "a $640 million stadium" and "the city will contribute $210 million" 33%.
    Each pair is of one kind (the same currency, or counts of the same thing), the part below the whole."""
    figures = [f for s in sentences for f in read_figures(s) if f.kind == "count" or f.kind.startswith("money:")]
    out: list[Figure] = []
    for part in figures:
        for whole in figures:
            if part is whole or not 0 < part.value < whole.value or not comparable(part, whole):
                continue
            out.append(Figure(100 * part.value / whole.value, "percent", frozenset(), part.context | whole.context,
                              part.start, part.end, f"{part.text} of {whole.text}",
                              part.approximate or whole.approximate))
    return out


def _figure_at(s: Sentence, i: int) -> list[Figure] | None:
    toks = s.toks
    t = toks[i]
    if t.kind == "word" and t.low in lx.MONTHS and (t.cap or t.low != "may"):
        figures = [_make(s, lx.MONTHS.index(t.low) + 1, "month", i, i + 1)]
        for k in (i - 1, i + 1):  # "26 October", "October 26"
            if 0 <= k < len(toks) and toks[k].kind == "num" and toks[k].text.isdigit() and 1 <= int(toks[k].text) <= 31:
                figures.append(_make(s, int(toks[k].text), "day", k, k + 1))
        return figures
    if t.kind == "word" and t.low in lx.DAYS:
        return [_make(s, lx.DAYS.index(t.low), "weekday", i, i + 1)]
    if t.kind == "word" and lx.lemma_stem(t.low) in _MULTIPLIED and _multiplies(toks, i):  # "tripled", "more than double"
        return [_make(s, _MULTIPLIED[lx.lemma_stem(t.low)], "times", i, i + 1, approximate=True)]
    clock = clock_at(toks, i)
    if clock is not None:
        minutes, end, half_day = clock
        approximate = any(toks[k].low in lx.APPROXIMATE for k in range(max(0, i - 2), i))
        before = toks[i - 1].low if i > 0 else ""
        bound = "upper" if before in _UNTIL else "lower" if before in _SINCE else None
        loose = bound is not None and not (i > 1 and toks[i - 2].low in _SHORTLY)
        return [replace(_make(s, minutes, "clock", i, end, approximate=approximate), half_day=half_day,
                        bound=bound, comparative=loose)]
    share = _share_at(toks, i)
    if share is not None:
        value, end = share
        return [_make(s, value, "percent", i, end, approximate=True)]
    all_but = _all_but_at(toks, i)
    if all_but is not None:
        value, end, after = all_but
        return [_make(s, value, "count", i, end, head=_head(toks, after))]
    ordinal = _ordinal_at(toks, i)
    if ordinal is not None:
        value, end = ordinal
        return [_make(s, value, "ordinal", i, end)]
    if t.kind == "num" and i + 1 < len(toks) and toks[i + 1].low in lx.MONTHS:
        return None  # "26 October": the day is read with its month
    number = number_at(toks, i)
    if number is None:
        return None
    value, j = number
    unit = j < len(toks) and toks[j].low in lx.TIME_UNITS
    half = unit and and_a_half(toks, j + 1)  # "a year and a half"
    if t.kind == "word" and t.low in {"a", "an", "half"} and not (t.low == "half" and unit) and not half:
        return None  # "a" and "half" are figures only as "half a year" and "a year and a half"
    value += 0.5 if half else 0.0
    more = and_more_time(toks, j + 1, toks[j].low) if unit and not half else None
    if more is not None:  # "seven years and three months": in the first unit, 7.25 years
        value += more[0] / lx.TIME_UNITS[toks[j].low]
    approximate = any(toks[k].low in lx.APPROXIMATE or toks[k].low in _ROUGHLY for k in range(max(0, i - 2), i))
    # A pair: "5-2", "2 to 1", "45–52"
    if j + 1 < len(toks) and toks[j].text in PAIR_JOINERS and toks[j + 1].kind == "num" and t.kind == "num" \
            and not is_year(toks, i) and (toks[j].text != "to" or i == 0 or toks[i - 1].low != "from"):
        second = number_at(toks, j + 1)
        if second is not None:
            return [_make(s, value, "pair", i, second[1], second=second[0])]
    if j < len(toks) and toks[j].text in _PERCENT:
        return [_make(s, value, "percent", i, j + 1, approximate=approximate)]
    if j + 1 < len(toks) and toks[j].low == "per" and toks[j + 1].low == "cent":
        return [_make(s, value, "percent", i, j + 2, approximate=approximate)]
    if i > 0 and toks[i - 1].text in lx.CURRENCIES:
        return [_make(s, value, f"money:{lx.CURRENCIES[toks[i - 1].text]}", i - 1, j, approximate=approximate)]
    if j < len(toks) and toks[j].low in _MONEY_WORDS:
        return [_make(s, value, f"money:{_MONEY_WORDS[toks[j].low]}", i, j + 1, approximate=approximate)]
    if is_year(toks, i):
        return [_make(s, value, "year", i, j)]
    if j < len(toks) and toks[j].low == "times":
        return [_make(s, value, "times", i, j + 1, approximate=approximate)]
    kind = "rate" if unit and every(toks, i) else "count"  # "every two hours" says how often
    end = j + 4 if half else more[1] if more is not None else j
    figure = _make(s, value, kind, i, end, approximate=approximate, head=_head(toks, j, i))
    if i >= 2 and toks[i - 2].low == "all" and toks[i - 1].low == "but":  # the whole is not given (_all_but_at)
        figure = replace(figure, rest=True)
    if j + 2 < len(toks) and toks[j].text == "-" and toks[j + 1].kind == "word" and toks[j + 2].kind == "word" \
            and toks[j + 2].low not in lx.FUNCTION and not toks[j + 2].cap:
        figure = replace(figure, modifies=lx.spelling_key(toks[j + 2].stem))  # "a 22-point loss" is a loss
    return [figure]


def spans(sentences: list[Sentence]) -> list[Figure]:
    """How long passed between the times of day the sentences give, in minutes: "began at 5:40 a.m. …
    lifted at 10:25 a.m." is 285 minutes; "from 11 p.m. … until 2 a.m." runs past midnight; "came at
    12:40 a.m., ending a hearing that opened at 6 p.m." is read either way round."""
    return [f for f, _ in spans_in(sentences)]


def spans_in(sentences: list[Sentence]) -> list[tuple[Figure, Sentence]]:
    """spans(), each with the sentence of the later time."""
    clocks = [(f, s) for s in sentences for f in read_figures(s) if f.kind == "clock"]
    out: list[tuple[Figure, Sentence]] = []
    for k, (a, sa) in enumerate(clocks):
        for b, sb in clocks[k + 1:]:
            for (x, sx), (y, sy) in (((a, sa), (b, sb)), ((b, sb), (a, sa))):
                gap = y.value - x.value
                if gap <= 0:
                    gap += 720 if x.half_day or y.half_day else 1440
                if 0 < gap < 1440:
                    out.append((Figure(gap, "count", _MINUTES, x.context | y.context, y.start, y.end,
                                       f"{x.text} … {y.text}", x.approximate or y.approximate), sy))
    return out


def _share_at(toks: list[Tok], i: int) -> tuple[float, int] | None:
    """ "a third of" -> 33.3 (percent), "two-thirds of" -> 66.7, "half of" / "half the" -> 50; "one in
    five" / "six in ten" -> 20, 60. The share must be of something ("of", "the") or a change ("fell by
    nearly a quarter"), so "the third quarter" and "in half" are not shares."""
    t = toks[i]
    if t.kind != "word":
        return None
    if t.low in {"a", "one"} and i + 1 < len(toks) and toks[i + 1].low in _FRACTIONS and toks[i + 1].low != "half":
        j, parts = i + 2, 1
    elif t.low == "half":
        j, parts = i + 1, 1
    elif t.low in lx.NUMBER_WORDS and i + 2 < len(toks) and toks[i + 1].text == "-" and toks[i + 2].low in _FRACTIONS:
        j, parts = i + 3, lx.NUMBER_WORDS[t.low]
    elif t.low in lx.NUMBER_WORDS and i + 2 < len(toks) and toks[i + 1].low in {"in", "out"}:
        k = i + 2 + (toks[i + 1].low == "out" and toks[i + 2].low == "of")
        whole = number_at(toks, k) if k < len(toks) else None
        if whole is None or whole[0] <= lx.NUMBER_WORDS[t.low] or whole[0] > 100:
            return None
        return 100 * lx.NUMBER_WORDS[t.low] / whole[0], whole[1]
    else:
        return None
    if (j >= len(toks) or toks[j].low not in {"of", "the"}) and not _changed_by(toks, i):
        return None
    denominator = _FRACTIONS[toks[j - 1].low]
    return 100 * parts / denominator, j


def _changed_by(toks: list[Tok], i: int) -> bool:
    """Whether the share at i is how much something changed: "fell by nearly a quarter", "cut by half"."""
    k = i - 1
    while k >= 0 and (toks[k].low in lx.APPROXIMATE or toks[k].low in _ROUGHLY):
        k -= 1
    return k >= 0 and toks[k].low == "by"


def _all_but_at(toks: list[Tok], i: int) -> tuple[float, int, int] | None:
    """ "all but two of the 16 counts" is 14 counts: (value, end of the phrase, index of what is counted)."""
    if not (toks[i].low == "all" and i + 2 < len(toks) and toks[i + 1].low == "but"):
        return None
    left = number_at(toks, i + 2)
    if left is None or left[1] >= len(toks) or toks[left[1]].low != "of":
        return None
    k = left[1] + 1 + (left[1] + 1 < len(toks) and toks[left[1] + 1].low == "the")
    whole = number_at(toks, k) if k < len(toks) else None
    if whole is None or whole[0] <= left[0]:
        return None
    return whole[0] - left[0], whole[1], whole[1]


def _ordinal_at(toks: list[Tok], i: int) -> tuple[float, int] | None:
    """ "second", "twenty-fourth", "twenty fourth", "24th"."""
    t = toks[i]
    if t.kind == "num" and i + 1 < len(toks) and toks[i + 1].low in {"st", "nd", "rd", "th"} and toks[i + 1].start == t.end:
        return float(t.text), i + 2
    if t.kind != "word":
        return None
    if t.low in _TENS:
        k = i + 1 + (i + 1 < len(toks) and toks[i + 1].text == "-")
        if k < len(toks) and toks[k].low in _ORDINALS and _ORDINALS[toks[k].low] < 10:
            return float(_TENS[t.low] + _ORDINALS[toks[k].low]), k + 1
        return None
    if t.low in _ORDINALS and not (i > 0 and (toks[i - 1].low in _TENS or toks[i - 1].text == "-")):
        if t.low == "second" and i + 1 < len(toks) and toks[i + 1].low in {"of", "half"}:
            return None
        return float(_ORDINALS[t.low]), i + 1
    return None


_ADDED = frozenset({"more", "additional", "extra", "further"})


def _head(toks: list[Tok], j: int, i: int | None = None) -> frozenset[str]:
    """What a count or measure counts: the next two words ("5 GB hard", "three men plotting"); a degree
    sign is "degree". "14 of 16 counts" counts what 16 counts, "six of the city's bus routes" routes,
    "a two-day summit" days; "a crowd of about 21,000" (the figure starting at i) counts the crowd."""
    out: set[str] = set()
    if i is not None:
        k = i - 1
        while k >= 0 and (toks[k].low in lx.APPROXIMATE or toks[k].low in _ROUGHLY):
            k -= 1
        if k >= 1 and toks[k].low == "of" and toks[k - 1].kind == "word" and toks[k - 1].low not in lx.FUNCTION \
                and not toks[k - 1].cap and toks[k - 1].low not in lx.NUMBER_WORDS:
            out.add(lx.spelling_key(toks[k - 1].stem))
    if i is not None and is_label(toks, i):
        return frozenset({lx.spelling_key(toks[i - 1].stem)})  # a label ("Game 7", "Route 9") names the thing
    width = 2
    whole_at = j + 1
    while whole_at < len(toks) and toks[j].low == "of" and toks[whole_at].low in _OWNERS:
        whole_at += 1  # "one of its two lodges" counts what "two" counts
    whole = number_at(toks, whole_at) if whole_at < len(toks) and toks[j].low == "of" else None
    if whole is not None and toks[whole_at].low not in {"a", "an", "half"}:
        j = whole[1]
    elif j + 1 < len(toks) and toks[j].low == "of":
        # "six of Brennick's busiest bus routes" counts routes: past the owner's name to the noun phrase
        j += 1
        while j < len(toks) and toks[j].kind == "word" and (toks[j].low in _OWNERS or toks[j].cap):
            j += 1
        width = 3
    elif j + 1 < len(toks) and toks[j].text == "-" and toks[j + 1].kind == "word":
        j += 1  # "a two-day summit" lasts days
        width = 1
    if j + 1 < len(toks) and (toks[j].low == "other" or toks[j].low in _ADDED
                              and lx.spelling_key(toks[j + 1].stem) in _TIME_HEADS) \
            and not any(t.low == "than" for t in toks[j + 1:j + 6]):
        # "two other universities" counts universities and "three more years" lasts years; "40 more staff" is
        # how many were added, no count of the staff, and "a dozen more seats than" a gap
        j += 1
    for k in range(j, min(len(toks), j + width)):
        w = toks[k]
        if w.text in _DEGREES:
            out.add(lx.lemma_stem("degree"))
            continue
        if w.kind != "word" or w.low in lx.FUNCTION or w.low in lx.NUMBER_WORDS:
            break  # "one of the four": another number, not what is counted
        out.add(lx.spelling_key(w.stem))
    return frozenset(out)


def _make(s: Sentence, value: float, kind: str, start: int, end: int, *, approximate: bool = False,
          head: frozenset[str] = frozenset(), second: float | None = None) -> Figure:
    toks = s.toks
    # Names are checked apart (the claim's names must be in the paragraph); these are the words saying what
    # is measured: CONTEXT of them either side ("the last election, when a record low of 61.6%" is about the
    # election). A sentence's first word is capitalised as any word is there.
    def content(k: int) -> bool:
        t = toks[k]
        return t.kind == "word" and (not t.cap or k == 0) and t.low not in lx.FUNCTION and t.low not in lx.NEGATORS

    if kind in _POINTS:  # a date dates only the words right by it: "on Monday to ask her not to veto"
        around = [k for k in range(max(0, start - DATE_CONTEXT), min(len(toks), end + DATE_CONTEXT))
                  if not start <= k < end and content(k)]
    else:
        around = [k for k in range(start - 1, -1, -1) if content(k)][:CONTEXT] \
            + [k for k in range(end, len(toks)) if content(k)][:CONTEXT]
    context = frozenset(lx.spelling_key(toks[k].stem) for k in around)
    bound, comparative = _bound(toks, start)
    return Figure(value, kind, head, context, start, end, s.span(start, end), approximate, second,
                  kind == "percent" and _denied(s, end), bound, comparative=comparative)


_SHORT_OF = ("nearly", "almost", "just under", "just shy of", "close to")
_COMPARATIVES = ("more than", "over", "less than", "fewer than", "under")


def _bound(toks: list[Tok], start: int) -> tuple[str | None, bool]:
    """Which side of the figure starting at `start` the words before it allow: "more than", "just over"
    (lower), "less than", "nearly", "almost" (upper); and whether the figure is only that side ("less than
    a fifth", "more than 300"), not a value the words come close to ("nearly", "up to", "a little over")."""
    before = [t.low for t in toks[max(0, start - 4):start]]

    def said(phrase: str) -> bool:
        return before[-len(phrase.split()):] == phrase.split()

    side = next((side for phrases, side in ((lx.LOWER_BOUND, "lower"), (lx.UPPER_BOUND + _SHORT_OF, "upper"))
                 if any(said(p) for p in phrases)), None)
    def graded(phrase: str) -> bool:  # "a little over", "well over"
        n = len(phrase.split())
        return len(before) > n and before[-n - 1] in lx.DEGREE

    return side, side is not None and any(said(p) and not graded(p) for p in _COMPARATIVES)


def _denied(s: Sentence, end: int) -> bool:
    """Whether a share ending at `end` ("38% of classes", "six in ten of") is of things that did not do
    what the clause says: "… of classes did not take place"."""
    toks = s.toks
    if end >= len(toks) or toks[end].low != "of":
        return False
    _, hi = s.clause(end)
    return any(t.low in lx.NEGATORS for t in toks[end:hi])


@dataclass(frozen=True)
class Relation:
    """How a figure is stated relative to others: the gap between two ("up by $1,910", "$26 million below
    forecasts") or what each one gets ("each country will pay €2.3 million"; `each` is the stem of who)."""

    kind: str  # "gap", "share" (what each gets), "sum" or "ratio" ("tripled", "three times as many")
    each: str | None = None


_SUM_WORDS = frozenset({"combined", "total", "altogether", "together"})
_LEVELS = {"year", "month", "day", "weekday", "pair", "ordinal", "clock"}  # points and tallies: never a gap or a share
_GAP_AFTER = frozenset({"below", "above", "short", "more", "less", "fewer", "higher", "lower", "ahead", "behind"})


def _multiplying(f: Figure) -> bool:
    """A multiple said as a verb ("tripled", "more than double"), not as a count of times."""
    return f.kind == "times" and lx.lemma_stem(f.text.lower()) in _MULTIPLIED


def _multiplies(toks: list[Tok], i: int) -> bool:
    """ "doubled", "tripling", "double the number", "will triple": a verb of multiplying, not "a double murder"."""
    if toks[i].low not in _MULTIPLES:
        return True  # "doubled", "tripling", "quadruples"
    after = toks[i + 1].low if i + 1 < len(toks) else ""
    before = toks[i - 1].low if i > 0 else ""
    return after in {"the", "its", "their", "his", "her", "that", "what", "in"} \
        or before in {"to", "will", "would", "could", "may", "might", "than", "nearly", "almost", "roughly", "more"}


def relation(s: Sentence, f: Figure) -> Relation | None:
    """Whether the figure is stated as a gap or a share rather than as a level, which the story's figures
    must then be worked out to show (`derived`)."""
    if f.kind in _LEVELS:
        return None
    toks = s.toks
    after = toks[f.end].low if f.end < len(toks) else ""
    if f.kind == "times":
        # "three times as many", "three times the number", "tripled": one figure over another. "Arrested three
        # times" counts how often, and is a level.
        return Relation("ratio") if after in _AS_MUCH or _multiplying(f) else None
    k = f.start - 1
    while k >= 0 and (toks[k].low in lx.APPROXIMATE or toks[k].low in _ROUGHLY):
        k -= 1  # "up by about $26 million"
    before = toks[k].low if k >= 0 else ""
    change = k >= 1 and (toks[k - 1].stem in lx.CHANGE_STEMS or toks[k - 1].low in lx.CHANGE_STEMS)
    if after in _GAP_AFTER or (before in {"by", "of"} and change):
        return Relation("gap")
    if {t.low for t in toks[max(0, f.start - 3):f.start] + toks[f.end:f.end + 2]} & _SUM_WORDS:
        return Relation("sum")  # "$240 in combined vouchers", "a total of 30 seats"
    if after in {"each", "apiece"}:
        return Relation("share")
    lo, hi = s.clause(f.start)
    for j in range(lo, min(hi, len(toks) - 1)):
        if toks[j].low == "each" and toks[j + 1].kind == "word" and toks[j + 1].low not in lx.FUNCTION:
            return Relation("share", lx.spelling_key(toks[j + 1].stem))  # "each country will pay …"
    return None


def derived(s: Sentence, how: Relation) -> list[Figure]:
    """The figures a sentence gives by working out its own: the gap between two figures of the same kind
    ("$27,310, up from $25,400" is $1,910 up), or a figure split equally among a count of the claim's
    `each` ("the two countries will split the costs of €4.6 million equally" is €2.3 million each)."""
    figures = read_figures(s)
    out: list[Figure] = []
    if how.kind == "sum":  # "a $200 hotel voucher and a $40 meal voucher" is $240 combined
        parts = [f for f in figures if f.kind not in _LEVELS and f.kind != "percent"]
        for k, a in enumerate(parts):
            for b in parts[k + 1:]:
                if comparable(a, b):
                    out.append(Figure(a.value + b.value, a.kind, a.head | b.head, a.context | b.context,
                                      a.start, b.end, f"{a.text} + {b.text}", a.approximate or b.approximate))
        return out
    if how.kind == "ratio":  # "from 48 pharmacies to 160" is 3.3 times
        parts = [f for f in figures if f.kind not in _LEVELS and f.kind not in {"percent", "times"} and f.value > 0]
        for k, a in enumerate(parts):
            for b in parts[k + 1:]:
                if comparable(a, b) and a.value != b.value:
                    low, high = sorted((a, b), key=lambda f: f.value)
                    out.append(Figure(high.value / low.value, "times", frozenset(), a.context | b.context, a.start,
                                      b.end, f"{a.text} … {b.text}", a.approximate or b.approximate))
        return out
    if how.kind == "gap":
        for k, a in enumerate(figures):
            for b in figures[k + 1:]:
                if comparable(a, b) and a.value != b.value:
                    out.append(Figure(abs(a.value - b.value), a.kind, a.head | b.head, a.context | b.context,
                                      a.start, b.end, f"{a.text} … {b.text}", a.approximate or b.approximate))
        return out
    if not any(t.stem in lx.DIVIDE_STEMS for t in s.toks):
        return out
    wanted = lx.synonyms(how.each) | {how.each} if how.each else frozenset()
    parties = [f for f in figures if f.kind == "count" and f.value >= 2 and (not wanted or f.head & wanted)]
    for n in parties:
        out.extend(Figure(f.value / n.value, f.kind, f.head, f.context, f.start, f.end, f"{f.text} / {n.text}",
                          f.approximate) for f in figures if f is not n and f.kind != "count")
    return out


def comparable(claim: Figure, story: Figure) -> bool:
    """Whether two figures measure the same kind of thing, so that different values disagree."""
    if claim.kind != story.kind:
        return False
    if claim.modifies and story.modifies and story.modifies not in _expand(frozenset({claim.modifies})):
        return False  # "a six-point lead" is not "a 22-point loss"
    if claim.kind in {"count", "rate"}:
        return bool(_expand(claim.head) & story.head) or (time_in_days(claim) is not None and time_in_days(story) is not None)
    return True


def time_in_days(f: Figure) -> float | None:
    """A count of a unit of time in days ("two years", "24 months"), so either unit compares with the other."""
    units = [_TIME_HEADS[h] for h in f.head if h in _TIME_HEADS]
    return f.value * units[0] if len(units) == 1 else None


def same_value(claim: Figure, story: Figure) -> bool:
    if claim.kind == "clock":
        ahead = claim.value - story.value
        if claim.half_day or story.half_day:  # "5:40" is 5:40 a.m. or p.m.
            ahead = (ahead + 360) % 720 - 360
        if claim.bound is not None and story.bound is None:  # "shortly before 10:30 a.m.", "after 9 p.m."
            reach = CLOCK_SIDE_REACH if claim.comparative else CLOCK_SLACK * 2
            return 0 <= (ahead if claim.bound == "upper" else -ahead) <= reach
        return abs(ahead) <= (CLOCK_SLACK if claim.approximate or story.approximate else 0)
    if claim.kind == "pair":
        return sorted((claim.value, claim.second or 0)) == sorted((story.value, story.second or 0))
    tolerance = APPROXIMATE_TOLERANCE if claim.approximate or story.approximate else 0.0
    if _multiplying(claim):
        tolerance = max(tolerance, MULTIPLE_TOLERANCE)  # "tripled" for 48 → 160 pharmacies, 3.3 times
    a, b = claim.value, story.value
    if claim.denied != story.denied:
        b = 100 - b  # six in ten did not take place: four in ten did
    if claim.kind in {"count", "rate"} and time_in_days(claim) is not None and time_in_days(story) is not None:
        a, b = time_in_days(claim), time_in_days(story)
        tolerance = max(tolerance, UNIT_TOLERANCE)
    if claim.bound is not None and story.bound is None and a > 0 and b > 0:
        # "more than a tenth" is 11.4%, not 40%: the story's figure on the claim's side of it, and near it
        reach = COMPARATIVE_REACH if claim.comparative else BOUND_REACH
        if claim.bound == "lower":
            count = claim.value if claim.kind in {"count", "rate"} else None
            return a <= b <= max(reach_above(a, count), a * reach)
        return 1 <= a / b <= reach
    return abs(a - b) <= max(tolerance * max(abs(a), abs(b)), 1e-9)


def reach_above(low: float, count: float | None = None) -> float:
    """The most a figure said as "more than `low`" may stand for: a quarter more, or up to the next whole
    `count` of its unit when `low` is that many units ("over a week" is 8 to 14 days, "more than two" 3)."""
    reach = low * BOUND_REACH
    if count is not None and count >= 1 and count == int(count):
        reach = max(reach, low * (count + 1) / count)
    return reach


def about_the_same(claim: Figure, story: Figure) -> int:
    """How many words of what the claim's figure is about surround the story's figure. Words of time ("a
    year", "per month") say how often, not what is measured: a revenue a year is not a cost a year."""
    time = _TIME_HEADS.keys()
    return len(_expand((claim.context - time) | claim.head) & ((story.context - time) | story.head))


def _expand(stems: frozenset[str]) -> frozenset[str]:
    return frozenset().union(*(lx.synonyms(s) for s in stems)) | stems if stems else frozenset()
