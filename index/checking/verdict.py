"""The general comparison: the reader picks the story sentences a claim is about; figures, polarity
and the speaker are compared with them; a claim is supported when an on-topic sentence (with its
paragraph) covers it and nothing conflicts, and not in the story when a key fact is missing.

Decline rather than guess: a conflict counts only in a sentence the reader finds on-topic and whose
paragraph names everyone the claim names; support needs a clearly on-topic sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storybot.index.checking.facts import Sentence
from storybot.index.checking.numbers import (Figure, about_the_same, comparable, derived, read_figures, relation,
                                             remainders, same_value, shares, spans, time_in_days)
from storybot.index.checking.polarity import contrary_word, denies_another_act, earlier_one, said_otherwise
from storybot.index.checking.predicates import dates_deadline, dates_saying, reports_saying
from storybot.index.language import lexicon as lx
from storybot.index.checking.quantity_match import split_group
from storybot.index.checking.quotes import claimed_speaker, same_speaker, story_speaker
from storybot.index.models import Paragraph, Passage

ON_TOPIC = 0.0  # reader logit: the sentence is about the claim
SUPPORT_LOGIT = 1.0  # reader logit a supporting sentence needs
SUPPORT_COVERAGE = 0.6  # IDF-weighted share of the claim's words in the sentence, its paragraph and the title
SURE_LOGIT = 6.0  # a sentence the reader is sure of may word the claim more differently
SURE_COVERAGE = 0.4
# A paraphrase ("a floor rather than a ceiling" for "a floor, not a ceiling") shares meaning, not words:
# a sentence the reader is sure of, whose meaning is close to the claim's (embedding cosine), that has some
# of the claim's words and whose paragraph has its verbs supports it. Embeddings and the reader do not see
# a changed fact, so this rule comes after every figure, polarity and speaker check (and no supported
# sentence may hold an opposite of a claim word: polarity.contrary_word), and its thresholds
# keep a margin from the on-topic sentences of the training claims that do not say them. Fitted on the
# training claims only (benchmarks/fit_claims.py); None switches the rule off.
PARAPHRASE_LOGIT: float | None = 7.5
PARAPHRASE_SIMILARITY = 0.75
PARAPHRASE_COVERAGE = 0.2
# A sentence the story gives to the claim's own speaker ("the provost" for "Harlow State's provost, Gerald
# Okafor") may word the claim with fewer of its words: the speaker is the fact most checked. Fitted on the
# training claims (benchmarks/fit_claims.py); None switches the rule off.
QUOTED_COVERAGE: float | None = 0.5
CONFLICT_SENTENCES = 2  # how many of the best on-topic sentences may show a conflict
_DATES = {"weekday", "month", "day"}


@dataclass
class Candidate:
    """A story sentence a claim may be about, with the reader's logit for the pair."""

    passage: Passage
    paragraph: Paragraph
    sentence: Sentence
    neighbours: list[Sentence]  # the paragraph's other sentences
    logit: float
    names_present: bool = True  # every name of the claim is in the paragraph or its context
    names_present_but_speaker: bool = True  # the same, leaving out whom the claim says said it
    coverage: float = 0.0
    similarity: float = 0.0  # cosine of the claim's and the sentence's embeddings (the best few only)
    verbs_said: bool = True  # the paragraph or its context has the claim's verbs or their synonyms


@dataclass
class Reading:
    verdict: str | None  # "supported", "contradicted", or None: the general rules settle nothing
    candidate: Candidate | None = None
    reason: str = ""
    absent: list[Figure] = field(default_factory=list)  # the claim's figures the story does not give


def _figures(s: Sentence) -> list[Figure]:
    return read_figures(s)


def judge(claim: Sentence, candidates: list[Candidate], *, speaker: str | None = None) -> Reading:
    """What the general rules say about `claim`, given candidate sentences best first; `speaker` is whom
    the claim says said it (else read from the claim)."""
    top = [c for c in candidates if c.logit >= ON_TOPIC]
    if not top:
        return Reading(None, reason="no sentence of the story is about this")
    best = top[0]
    conflict: Reading | None = None
    absent: list[Figure] = []
    worked_out: Candidate | None = None  # the sentence whose figures, worked out, give the claim's
    denial_read = False  # a share agreed as the rest of the story's: its "not" is no opposite
    for figure in _figures(claim):
        how = relation(claim, figure)
        if how is not None:
            # A gap or a share is no level to contradict: the story's figures, worked out, show it or not.
            paragraphs = {c.passage.paragraph for c in top[:3]}
            shown = next((c for c in candidates if c.passage.paragraph in paragraphs
                          and any(_agrees(figure, f) for f in derived(c.sentence, how))), None)
            # or the story states the change itself: "fell by nearly a quarter" against "dropped by almost half"
            stated = [(c, f) for c in top[:CONFLICT_SENTENCES] if c.names_present for f in _figures(c.sentence)
                      if relation(c.sentence, f) == how and comparable(figure, f)]
            shown = shown or next((c for c, f in stated if same_value(figure, f)), None)
            if shown is None:
                other = next(((c, f) for c, f in stated if about_the_same(figure, f)), None)
                if other is not None and conflict is None:
                    c, f = other
                    conflict = Reading("contradicted", c, f'the story says "{f.text}", not "{figure.text}": '
                                                          f'"{_short(c.sentence.text)}"')
                elif other is None:
                    absent.append(figure)
            worked_out = worked_out or shown
            continue
        if figure.rest:  # "all but four of the people" / "19 of the 23 patients": no count to compare as such
            if not any(f.value == figure.value for c in top[:3] for f in remainders([c.sentence, *c.neighbours])):
                absent.append(figure)
            continue
        agreeing = [f for c in top[:3] for s in [c.sentence, *c.neighbours] for f in _agreeing(figure, s)]
        if agreeing:
            # "six in ten did not take place" agrees with "38% went ahead": the denial is the share's
            denial_read = denial_read or any(f.denied != figure.denied for f in agreeing)
            continue
        # A share the story gives as two figures ("380 of them" of "1,450 homes"; "$210 million" of a
        # "$640 million stadium"), in the sentences the reader finds on-topic
        if figure.kind == "percent" and not figure.denied \
                and any(same_value(figure, f) for f in shares([c.sentence for c in top[:3] if c.names_present])):
            continue
        # A time taken the story gives as two times of day ("began at 5:40 a.m. … lifted at 10:25 a.m.")
        if _short_time(figure) and any(_agrees(figure, f) for c in top[:3] for f in spans([c.sentence, *c.neighbours])):
            continue
        # The figure may be stated once, away from the sentence the claim is about ("six of the city's bus
        # routes" in the lede): found with the words around it, it is in the story.
        if any(about_the_same(figure, f) for c in candidates if c.names_present for f in _agreeing(figure, c.sentence)):
            continue
        clash = _range_conflict(figure, top[:CONFLICT_SENTENCES]) \
            or _figure_conflict(figure, top[:CONFLICT_SENTENCES], reports_saying(claim), claim) \
            or _span_conflict(figure, top[:CONFLICT_SENTENCES])
        if clash is not None and conflict is None:
            conflict = clash
        elif clash is None:
            absent.append(figure)
    named = [c for c in top[:CONFLICT_SENTENCES] if c.names_present]
    if conflict is None and named and not denial_read:
        # the sentence the claim is about, or another of its paragraph that says the same thing the other way
        found = said_otherwise(claim, [named[0].sentence, *named[0].neighbours])
        if found is not None:
            sentence, opposite = found
            where = next((c for c in candidates if c.sentence is sentence), named[0])
            conflict = Reading("contradicted", where, f'the story says the opposite: "{_short(opposite.story_text)}"')
    if conflict is None and named:
        split = split_group(claim, named[0].sentence)  # "every member backed it" / "five for, two against"
        if split is not None:
            conflict = Reading("contradicted", named[0], f'the story says not {split[0].lower()}: {split[1]}: '
                                                         f'"{_short(named[0].sentence.text)}"')
    for c in named if conflict is None else []:
        found = earlier_one(claim, c.sentence)
        if found is not None:
            conflict = Reading("contradicted", c, f'the story says otherwise: "{_short(found.story_text)}"')
            break
    as_named = speaker  # as the claim's attribution names it
    subject = claimed_speaker(claim.text)
    if speaker is None or (subject is not None and subject.lower().endswith(speaker.lower())):
        speaker = subject  # the whole subject: "a retiree on Ferris Street", not only its name
    said_by = story_speaker(best.sentence.text, best.paragraph) if speaker is not None else None
    same = same_speaker(speaker, *said_by) if said_by is not None else None  # the claim's speaker is the story's?
    # "X said Y said …": a sentence that names the claim's speaker may be reporting them.
    if conflict is None and said_by is not None and best.names_present_but_speaker \
            and not _names_in(as_named or speaker, best.sentence.text):
        if same is False:
            conflict = Reading("contradicted", best, f'the story has {said_by[0]} saying this, not {speaker}: '
                                                     f'"{_short(best.sentence.text)}"')
    if conflict is not None:
        return conflict
    if absent:
        return Reading(None, best, f'the story gives no such figure ("{absent[0].text}")', absent)
    if worked_out is not None and worked_out.logit >= SUPPORT_LOGIT:
        best = worked_out  # the sentence that shows the gap or share is the one to quote
    needed = SUPPORT_COVERAGE if best.logit < SURE_LOGIT else SURE_COVERAGE
    quoted = same is True
    attributed = speaker is None or quoted
    if quoted and QUOTED_COVERAGE is not None:
        needed = min(needed, QUOTED_COVERAGE)  # the story has the claim's speaker saying the sentence
    if best.names_present and attributed and best.logit >= SUPPORT_LOGIT \
            and (best.coverage >= needed or _paraphrased(best)) and contrary_word(claim, best.sentence) is None \
            and denies_another_act(claim, best.sentence) is None \
            and (denial_read or said_otherwise(claim, [best.sentence, *best.neighbours]) is None):
        return Reading("supported", best, f'¶{best.passage.paragraph} says so: "{_short(best.sentence.text)}"')
    return Reading(None, best, "")


def _paraphrased(c: Candidate) -> bool:
    """Whether the sentence says the claim in other words."""
    return PARAPHRASE_LOGIT is not None and c.verbs_said and c.logit >= PARAPHRASE_LOGIT \
        and c.similarity >= PARAPHRASE_SIMILARITY and c.coverage >= PARAPHRASE_COVERAGE


def _agrees(claim: Figure, story: Figure) -> bool:
    """Same figure; a count also agrees with either side of a tally ("seven members voted for" / "7 to 2")."""
    if claim.kind == "count" and story.kind == "pair":
        return claim.value in (story.value, story.second)
    return comparable(claim, story) and same_value(claim, story)


def _agreeing(claim: Figure, s: Sentence) -> list[Figure]:
    """The figures of `s` that agree with the claim's. Of several times of day, only the one the claim's
    words are most about may: "lifted before 9 a.m." is not agreed by "began at 5:40 a.m."."""
    found = [f for f in _figures(s) if _agrees(claim, f)]
    if claim.kind == "clock" and found:
        closest = max(about_the_same(claim, f) for f in _figures(s) if f.kind == "clock")
        found = [f for f in found if about_the_same(claim, f) == closest]
    return found


def _names_in(speaker: str, text: str) -> bool:
    """Whether the sentence names the speaker; a title ("Councillor", "Sen.") names no one."""
    words = {w.strip(".,;:'\"").lower() for w in text.split()}
    return any(w[:1].isupper() and w.lower() in words and w.strip(".").lower() not in lx.TITLES
               for w in speaker.split())


_WHEN = {"year", "month", "day", "weekday"}


def _figure_conflict(figure: Figure, top: list[Candidate], said: bool, claim: Sentence) -> Reading | None:
    """A figure of the sentence the claim is about that gives another value for the same thing; a date of a
    saying ("officials said Monday") is another thing unless the claim, too, is about what was `said`."""
    for c in top:
        if not c.names_present:
            continue
        rivals = [f for f in _figures(c.sentence) if comparable(figure, f)
                  and (said or f.kind not in _DATES or not dates_saying(c.sentence, f.start))
                  and (figure.kind not in _WHEN or dates_deadline(claim, figure.start) <= dates_deadline(c.sentence, f.start))]
        if not rivals:
            continue
        rival = max(rivals, key=lambda f: about_the_same(figure, f))
        # The words around the figures must say they measure the same thing, unless the sentence the
        # claim is most clearly about has just the one figure of that kind ("applied … in 1981",
        # "postponed until March 16"; the two ends of "between 1912 and 1913" are one figure).
        ranges = {min(f.value, f.end_of[1]) if f.end_of else f.value for f in rivals}
        alone = len(ranges) == 1 and c is top[0] and c.logit >= SUPPORT_LOGIT and figure.kind in {"year", "month", "day"}
        if about_the_same(figure, rival) == 0 and not alone:
            continue
        return Reading("contradicted", c, f'the story says "{rival.text}", not "{figure.text}": '
                                          f'"{_short(c.sentence.text)}"')
    return None


def _short_time(figure: Figure) -> bool:
    """A time taken of under a day ("4 hours and 45 minutes"), which two times of day may give."""
    days = time_in_days(figure) if figure.kind == "count" else None
    return days is not None and 0 < days < 1


def _span_conflict(figure: Figure, top: list[Candidate]) -> Reading | None:
    """A time taken that the one sentence giving two times of day, about the same thing, puts otherwise:
    "about three hours passed" against "began at 5:40 a.m. … lifted its ground stop at 10:25 a.m."."""
    if not _short_time(figure):
        return None
    for c in top:
        clocks = [f for f in _figures(c.sentence) if f.kind == "clock"] if c.names_present else []
        # the one span two times of day bound: the shorter way round ("12:40 a.m., ending a hearing that opened at 6 p.m.")
        found = [min(spans([c.sentence]), key=lambda f: f.value)] if len(clocks) == 2 else []
        if found and about_the_same(figure, found[0]) and not _agrees(figure, found[0]):
            hours, minutes = divmod(int(found[0].value), 60)
            took = " ".join(part for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "") if part)
            return Reading("contradicted", c, f'the story says "{found[0].text}" ({took}), not "{figure.text}": '
                                              f'"{_short(c.sentence.text)}"')
    return None


def _range_conflict(figure: Figure, top: list[Candidate]) -> Reading | None:
    """One end of a range changed: "between $129 and $199" against "between $129 and $179". The end the
    two share says the ranges are the same one, however far apart the words about it are."""
    if figure.end_of is None:
        return None
    side, other = figure.end_of
    for c in top:
        if not c.names_present:
            continue
        for f in _figures(c.sentence):
            if f.end_of is None or f.end_of[0] != side or not comparable(figure, f) or same_value(figure, f):
                continue
            if abs(f.end_of[1] - other) <= 1e-9 * max(1.0, abs(other)):
                return Reading("contradicted", c, f'the story says "{f.text}", not "{figure.text}": '
                                                  f'"{_short(c.sentence.text)}"')
    return None


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
