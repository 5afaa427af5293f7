"""Sums, rates and points in time in a claim, compared with the story's figure for the same thing
(index/checking/quantities.py, index/checking/quantity_match.py)."""

from storybot.index.checking.claim import claim_quantities, content_stems, parse_claim
from storybot.index.checking.facts import Sentence
from storybot.index.checking.quantity_match import compare_quantity, value_agrees


def _compare(claim: str, story: str) -> str | None:
    """ "agrees", "conflicts" or None (the story's figure is not the claim's) for the claim's first figure."""
    parsed = parse_claim(claim)
    q = claim_quantities(parsed)[0]
    s = Sentence(story)
    context = content_stems(parsed, exclude=range(q.start, q.end))
    found = [f for sq in s.quantities if sq.duration == q.duration and sq.ordinal == q.ordinal
             and (f := compare_quantity(q, sq, context, None, s)) is not None]
    if not found:
        return None
    return "conflicts" if all(f.conflict for f in found) else "agrees"


def test_a_rate_is_how_often_not_how_long():
    quantities = Sentence("Each country will pay €2.3 million a year toward the commission.").quantities
    assert [(q.low, q.unit, q.duration) for q in quantities] == [(2_300_000, "euro", False)]
    assert not any(q.duration for q in Sentence("Crews worked 40 hours a week.").quantities[1:])
    assert Sentence("It will take a year to build.").quantities[0].duration  # here it is how long


def test_an_ordinal_minute_is_a_point_in_time_not_a_length():
    minute = Sentence("Barrow limped off in the 55th minute.").quantities[0]
    assert minute.ordinal and not minute.duration and minute.low == 55


def test_a_sum_agrees_with_the_bound_the_claim_states():
    story = Sentence("He said the levy would cost a typical garage $105,000 a year.").quantities[0]
    assert value_agrees(Sentence("the levy would cost a garage over $100,000 a year").quantities[0], story)
    assert not value_agrees(Sentence("the levy would cost a garage over $110,000 a year").quantities[0], story)
    assert _compare("The levy would cost a typical garage over $100,000 a year.",
                    "He said the levy would cost a typical garage $105,000 a year.") == "agrees"


def test_another_sum_conflicts_only_when_it_is_the_same_sum():
    assert _compare("The levy would cost a typical garage $90,000 a year.",
                    "He said the levy would cost a typical garage $105,000 a year.") == "conflicts"
    # a name near the sum says whose it is, not which: the budget is not what was stolen
    assert _compare("Millbrook Unified's annual budget is about $110 million.",
                    "A jury convicted the finance director of the Millbrook Unified School District of "
                    "embezzling nearly $1.3 million from the district.") is None
    # "a year" is how often, and one shared word does not tell a revenue from a cost
    assert _compare("The fiscal office projects the bill would raise property tax revenue by $30 million a year.",
                    "The Legislative Fiscal Office estimated the bill would cost about $9.4 million a year "
                    "to administer.") is None
