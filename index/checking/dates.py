"""Days of the week and months named in a sentence."""

from __future__ import annotations

from dataclasses import dataclass

from storybot.index.language import lexicon as lx
from storybot.index.language.text import Tok


@dataclass(frozen=True)
class DateRef:
    """A day of the week or a month named in the text."""

    kind: str  # "day" or "month"
    value: int
    day_of_month: int | None
    index: int
    text: str


def read_dates(toks: list[Tok]) -> list[DateRef]:
    """Each day and month token, with the day of the month written after a month ("March 5")."""
    out = []
    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        if t.low in lx.DAYS:
            out.append(DateRef("day", lx.DAYS.index(t.low), None, i, t.text))
        elif (t.low in lx.MONTHS and (t.cap or t.low != "may")) or (t.low in lx.MONTH_ABBREVIATIONS and t.cap):
            value = lx.MONTHS.index(t.low) + 1 if t.low in lx.MONTHS else lx.MONTH_ABBREVIATIONS[t.low]
            day = None
            for k in (i + 1, i + 2):
                if k < len(toks) and toks[k].kind == "num" and toks[k].text.isdigit() and int(toks[k].text) <= 31:
                    day = int(toks[k].text)
                    break
            out.append(DateRef("month", value, day, i, t.text))
    return out
