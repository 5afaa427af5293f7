"""Comparing a claim's predicates with the story's: how an actor voted, felt, committed or gave, who
did what to whom, and the story's words for it."""

from __future__ import annotations

from storybot.index.checking.claim import is_content
from storybot.index.checking.facts import Frame, Sentence, verb_like
from storybot.index.checking.mentions import Mention, same_head, same_party
from storybot.index.checking.passage import short
from storybot.index.language import lexicon as lx


def frame_stems(cf: Frame) -> frozenset[str]:
    if cf.kind == "vote":
        return frozenset(lx.VOTE_TRIGGERS) | lx.VOTE_WORDS | {lx.STAY_AWAY}
    if cf.kind == "affect":
        return frozenset(lx.AFFECT_TRIGGERS)
    if cf.kind in {"commit", "agree"}:
        return lx.COMMIT_STEMS | lx.AGREE_STEMS
    if cf.kind == "provide":
        return lx.PROVIDE_STEMS
    return lx.synonyms(cf.stem)


def frame_context(s: Sentence, cf: Frame) -> frozenset[tuple[str, str]]:
    """What occasion the claim names after its predicate: "in the UN committee", "the General Assembly vote"."""
    out: set[tuple[str, str]] = set()
    for m in s.mentions:
        if m.start > cf.index and m.start < cf.window[1] and not m.pronoun:
            out.update((s.toks[j].low, s.toks[j].stem) for j in range(m.start, m.end) if is_content(s.toks[j]))
    for d in s.dates:
        if d.index > cf.index:
            out.add((s.toks[d.index].low, s.toks[d.index].stem))
    return frozenset(out)


def words_in(wanted: set[tuple[str, str]], toks) -> bool:
    return all(any(t.stem == st or (t.cap and lx.same_name(low, t.low)) for t in toks) for low, st in wanted)


def compare_frames(cf: Frame, sf: Frame) -> bool | None:
    """True: the story frame says what the claim says; False: it says the opposite; None: unrelated."""
    if same_party(cf.agent, sf.agent) is not True:
        return None
    if cf.kind == "vote":
        if sf.kind != "vote" or cf.values is None or sf.values is None:
            return None
        if not cf.values & sf.values:
            return False
        return True if sf.values <= cf.values else None
    if cf.kind == "affect":
        if sf.kind != "affect" or not objects_meet(cf, sf):
            return None
        if not cf.values & sf.values:
            return False
        return True if sf.values <= cf.values else None
    if cf.kind in {"commit", "agree", "provide"}:
        if cf.kind == "provide" and sf.kind != "provide":
            return None
        if cf.kind in {"commit", "agree"} and sf.kind not in {"commit", "agree"}:
            return None
        if not (sf.universal_object or objects_meet(cf, sf)):
            return None
        if cf.negated == sf.negated:
            # "agreed" is not shown by "committed", but "committed" is by "agreed" only when both are negative
            if cf.kind == sf.kind or (cf.kind == "agree" and sf.kind == "commit") or cf.negated:
                return True
            return None
        # Promising entails agreeing: "didn't agree to X" contradicts "promised X"; "didn't commit" doesn't contradict "agreed".
        if not cf.negated and cf.kind == "agree" and sf.kind == "commit":
            return None
        if cf.negated and cf.kind == "commit" and sf.kind == "agree":
            return None
        return False
    return None


def objects_meet(cf: Frame, sf: Frame) -> bool:
    """Whether two predicates are about the same thing: shared (or synonymous) words, else shared names."""
    if cf.object_stems:
        expanded = set().union(*(lx.synonyms(w) for w in sf.object_stems)) if sf.object_stems else set()
        return bool(cf.object_stems & expanded) or not sf.object_stems and not sf.object_names
    if cf.object_names:
        return any(lx.same_name(a, b) for a in cf.object_names for b in sf.object_names)
    return True


def swapped(cf: Frame, sf: Frame) -> bool:
    """"Zelensky called Netanyahu" against "Netanyahu called Zelensky": the same act, the roles reversed."""
    if cf.agent is None or cf.patient is None or sf.agent is None or sf.patient is None:
        return False
    if not (cf.agent.names and cf.patient.names and sf.agent.names and sf.patient.names):
        return False
    if cf.negated != sf.negated or sf.stem not in lx.synonyms(cf.stem):
        return False
    return same_head(cf.agent, sf.patient) and same_head(cf.patient, sf.agent) and not same_head(cf.agent, sf.agent)


def crossed(cf: Frame, frames: list[Frame]) -> bool:
    """"Denholm advised Orvane" against "Hallorann & Pike advised Orvane, and Denholm advised Lumatrace": the
    sentence pairs the claim's actor with another party and the claim's party with another actor."""
    if cf.agent is None or cf.patient is None or not (cf.agent.names and cf.patient.names):
        return False
    same = [f for f in frames if f.agent is not None and f.patient is not None and f.agent.names
            and f.patient.names and f.negated == cf.negated and f.stem in lx.synonyms(cf.stem)]
    if any(same_head(cf.agent, f.agent) and same_head(cf.patient, f.patient) for f in same):
        return False
    return any(same_head(cf.agent, f.agent) for f in same) and any(same_head(cf.patient, f.patient) for f in same)


def frame_quote(sf: Frame, s: Sentence) -> str:
    """The story's words for a predicate, with its actor when the clause alone doesn't name them."""
    lo, hi = sf.window
    agent = sf.agent
    if agent is not None and any(m is agent for m in s.mentions):
        lo, hi = min(lo, agent.start), max(hi, s.clause(agent.start)[1])  # "instead of abstaining, Kyiv decided …"
    elif agent is not None and not agent.pronoun and agent.text not in sf.text:
        return f'{agent.text} "{short(sf.text.strip())}"'
    return f'"{short(s.span(lo, hi).strip())}"'


def swap_reason(sf: Frame, s: Sentence) -> str:
    return f"it was the other way round: the story says {frame_quote(sf, s)}"


def anchor_verb(s: Sentence, i: int, lo: int, hi: int) -> int | None:
    """The predicate a date belongs to: the nearest verb in its clause, an infinitive only if nothing else."""
    best = None
    for j in sorted(range(lo, hi), key=lambda j: abs(j - i)):
        if j != i and verb_like(s, j):
            if j == 0 or s.toks[j - 1].low != "to":
                return j
            best = best if best is not None else j
    return best


def dates_saying(s: Sentence, i: int) -> bool:
    """Whether the date at i dates a saying ("state officials said Monday"), not the act reported."""
    lo, hi = s.clause(i)
    anchor = anchor_verb(s, i, lo, hi)
    return anchor is not None and s.toks[anchor].stem in lx.SAY_STEMS


def dates_deadline(s: Sentence, i: int) -> bool:
    """Whether the date at i is a deadline ("back on by Friday", "by mid-2026"): it dates no event, so only
    another deadline or limit gives it another value ("on Monday night" says when something was)."""
    k = i - 1
    while k >= 0 and s.toks[k].low in {"mid", "early", "late", "the", "end", "of", "-"}:
        k -= 1
    return k >= 0 and s.toks[k].low in {"by", "until", "till", "before", "through"}


def reports_saying(s: Sentence) -> bool:
    """Whether the sentence tells of someone saying something ("announced", "said"), not "a state of emergency"."""
    return any(t.stem in lx.SAY_STEMS and verb_like(s, i) for i, t in enumerate(s.toks))


def other_actor(claim: Sentence, story: Sentence, story_words: frozenset[str]) -> tuple[Frame, Frame] | None:
    """The story has someone else doing what the claim says its actor did, to the same thing:
    "Kowalczyk called the bill a mandate" when the story has Haldane calling the bill that and never
    names Kowalczyk there. (claim frame, story frame) or None."""
    # Who said it is the speaker check's (quotes.py); here, what else someone did.
    verbs = frozenset(t.stem for t in claim.toks if t.kind == "word" and not t.cap and t.low not in lx.FUNCTION
                      and t.stem not in lx.SAY_STEMS and t.stem not in lx.LIGHT and t.low not in lx.AUXILIARIES
                      and t.stem not in _HAVE_BE)
    for cf in claim.frames(verbs):
        if not _named(cf.agent) or cf.negated or not cf.realis or not verb_like(claim, cf.index):
            continue  # "help-wanted signs" are no act
        if any(n in story_words for n in cf.agent.names):
            continue  # the claim's actor is in the paragraph: perhaps both did it
        for sf in story.frames(lx.synonyms(cf.stem)):
            if not _named(sf.agent) or sf.negated or not sf.realis or not verb_like(story, sf.index):
                continue
            if same_party(cf.agent, sf.agent) is False and len(cf.object_stems & sf.object_stems) >= OBJECT_WORDS:
                return cf, sf
    return None


_HAVE_BE = {lx.lemma_stem(w) for w in ("have", "has", "had", "be", "is", "was", "were", "been", "do", "did")}
OBJECT_WORDS = 2  # words of the object both must share to be the same act ("called the bill … mandate")


def _named(m: Mention | None) -> bool:
    """A party with a name: one capitalised word opening the sentence may be any word ("Prosecutors showed")."""
    return m is not None and bool(m.names) and (m.start > 0 or m.end - m.start > 1)
