"""Check a claim against the stories: supported, contradicted, or not in the story — with the deciding quote.

No language model decides anything. The engine retrieves the passages closest to the claim; then
checks anyone can follow compare the claim with them (see index/checking/facts.py for how facts are read):

  * numbers with what they count: "24 countries voted in favor" against "87 countries voting in
    favor, 24 countries voting against" (same stance, other number; same number, other stance),
    durations as intervals ("up to two years" against "between one to two years"), comparisons
    ("more countries abstained than voted against");
  * days and months, tied to the event they date ("sworn in ... on Thursday");
  * predicates with polarity and who did them: how an actor voted ("voted against" / "did not
    attend"), how someone felt ("happy" / "didn't like"), whether someone committed ("promised" /
    "didn't commit to anything"), gave ("had given aid" / "refusal to provide"); and who did what
    to whom ("Zelensky called Netanyahu" when the story says Netanyahu called Zelensky);
  * for "supported", the claim's names must be in the passage, its words (or their synonyms)
    must be there too, and if the claim says who said it, the passage must say so as well.

A conflict makes the claim contradicted; everything verified makes it supported; anything else is
"not in the story" — the checker says so rather than guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from storybot.index.language import lexicon as lx
from storybot.index.language.acronyms import name_initials
from storybot.index.errors import InputError, StorybotError
from storybot.index.language.inputs import require_text
from storybot.index.checking.facts import Frame, Sentence, predicate_kind, verb_like
from storybot.index.checking.mentions import Mention, same_head, same_party, speaker_mention
from storybot.index.checking.quantities import Quantity
from storybot.index.checking.quotes import claim_attribution, claimed_speaker
from storybot.index.checking.verdict import Candidate, Reading, judge
from storybot.index.models import ClaimCheck, Paragraph, Passage
from storybot.index.answering.search import Engine
from storybot.index.reading.load import load_reader
from storybot.index.language.text import normalise

CANDIDATES = 8  # passages examined per claim
READ_PARAGRAPHS = 5  # paragraphs whose sentences the reader reads against the claim
FALLBACK_READER = "ms-marco-l12"
SUPPORT_COVERAGE = 0.8  # share (IDF-weighted) of the claim's words the supporting passage must contain
CONTEXT_WEIGHT = 0.5  # words found only in the context (the point above, the lede, the headline) count half
MAX_CLAIM_CHARS = 1000
_DIMENSIONS = {"vote", "affect", "commit", "agree", "provide"}
_COMPARATIVES = {"more": 1, "fewer": -1, "less": -1}


def validate_claim(claim: str) -> str:
    if len(claim or "") > MAX_CLAIM_CHARS:
        raise InputError(f"the claim is too long ({len(claim)} characters; at most {MAX_CLAIM_CHARS}); "
                         "check one statement at a time")
    require_text(claim or "", "claim")
    if not normalise(claim or "").strip():
        raise InputError("the claim is empty; give a statement to check, e.g. \"87 countries voted in favor\"")
    return " ".join(claim.split())


def check_claim(engine: Engine, claim: str, *, source: str | None = None, reader=None) -> ClaimCheck:
    """The verdict on `claim` against the story `source` (or all stories)."""
    return Checker(engine, reader=reader).check(claim, source=source)


@dataclass
class _Para:
    passage: Passage
    paragraph: Paragraph
    sentences: list[Sentence]
    context: list[Sentence]
    words: frozenset[str]  # lower-cased words, for names
    stems: frozenset[str]
    context_words: frozenset[str]  # context: the paragraph above, the lede, the headline
    context_stems: frozenset[str]


@dataclass
class _Finding:
    conflict: bool
    para: _Para
    sentence: Sentence
    reason: str


@dataclass
class _Claim:
    text: str
    sentence: Sentence
    excluded: set[int] = field(default_factory=set)  # token indices of "X said" / "according to X"
    attribution: Mention | None = None
    frames: list[Frame] = field(default_factory=list)  # its asserted predicates, checked one by one


class Checker:
    """Holds per-story word statistics between claims; cheap to create."""

    def __init__(self, engine: Engine, *, reader=None) -> None:
        """`reader` (a cross-encoder: .score(text, passages) -> logits) finds the sentences a claim is
        about; without one the engine's reader is used, else ms-marco-l12 is loaded on first use, and
        if it cannot load, sentences are picked by the words they share with the claim."""
        self.engine = engine
        # The on-topic and support thresholds (verdict.py) are set for ms-marco-l12's logits: another
        # reader the engine runs is not reused here.
        engine_reader = getattr(engine, "reader", None)
        if reader is None and engine_reader is not None and engine_reader.name == FALLBACK_READER:
            reader = engine_reader
        self._reader = reader
        self._reader_tried = self._reader is not None
        self._idf: dict[str, tuple[dict[str, float], float]] = {}
        self._sentences: dict[tuple[str, int], list[Sentence]] = {}

    def check(self, claim: str, *, source: str | None = None) -> ClaimCheck:
        text = validate_claim(claim)
        answer = self.engine.ask(text, top_k=CANDIDATES, source=source)
        # One story decides: the one whose passage is closest to the claim.
        paras = [self._para(p) for p in answer.passages if p.source == answer.passages[0].source]
        parsed = _parse_claim(text)
        runs = _name_runs(parsed)
        named = [p for p in paras if all(_run_in(run, p) for run in runs)]  # where the claim's names are
        findings: list[_Finding] = []
        unverified: list[str] = []

        for q in _claim_quantities(parsed):
            found = self._quantity(parsed, q, named)
            _collect(_merge_conflicts(found, f', not "{q.text}"'), findings, unverified,
                     f'the story gives no such figure ("{q.text}")')
        for item in self._dates(parsed, named):
            findings.extend(item[0])
            if item[1]:
                unverified.append(item[1])
        for comparison in _comparisons(parsed):
            found = self._comparison(comparison, paras)
            _collect(found, findings, unverified, f'the story gives no figures to compare ("{comparison[3]}")')
        unread_acts: list[str] = []  # predicates the frame reading could not find: the general rules can't either
        for frame in parsed.frames:
            found = self._frame(parsed, frame, paras)
            if frame.kind in _DIMENSIONS and frame.realis:
                _collect(found, findings, unread_acts, f"the story doesn't say that {_short(frame.text.strip(), 100)}")
            else:
                findings.extend(f for f in found if f.conflict)

        conflicts = [f for f in findings if f.conflict]
        reading = self._general(text, parsed, paras)
        if conflicts:
            best = max(conflicts, key=lambda f: (self._attributed(parsed, f.para, f.sentence), f.para.passage.score))
            evidence = [_evidence(best)]
            return ClaimCheck(claim=text, verdict="contradicted", reason=best.reason, evidence=evidence)
        if reading.verdict == "contradicted" and reading.candidate is not None:
            c = reading.candidate
            evidence = [c.passage.model_copy(update={"highlight": c.sentence.text})]
            return ClaimCheck(claim=text, verdict="contradicted", reason=reading.reason, evidence=evidence)

        support = self._support(parsed, paras)
        if support is not None and not unverified and not unread_acts:
            para, sentence, reason = support
            if findings:
                reason = "; ".join(dict.fromkeys(f.reason for f in findings[:2])) + f" (¶{findings[0].para.passage.paragraph})"
            evidence = [para.passage.model_copy(update={"highlight": sentence.text})]
            for f in findings:  # the passages that verified numbers, dates and predicates
                if all(e.paragraph != f.para.passage.paragraph for e in evidence):
                    evidence.append(_evidence(f))
            return ClaimCheck(claim=text, verdict="supported", reason=reason, evidence=evidence)
        if reading.verdict == "supported" and reading.candidate is not None and not unread_acts:
            c = reading.candidate
            evidence = [c.passage.model_copy(update={"highlight": c.sentence.text})]
            return ClaimCheck(claim=text, verdict="supported", reason=reading.reason, evidence=evidence)
        reason = reading.reason if reading.absent else self._absent_reason(parsed, paras, unverified + unread_acts)
        return ClaimCheck(claim=text, verdict="not_in_story", reason=reason, evidence=[])

    # -- the general comparison (index/checking/verdict.py) -------------------------------------

    def reader(self):
        """The cross-encoder, loaded on first use; None when none can load (the checker reads words only)."""
        if not self._reader_tried:
            self._reader_tried = True
            try:
                self._reader = load_reader(FALLBACK_READER)
            except (StorybotError, ImportError, OSError):
                self._reader = None
        return self._reader

    def _general(self, text: str, claim: _Claim, paras: list[_Para]) -> Reading:
        candidates = self._candidates(text, claim, paras[:READ_PARAGRAPHS])
        return judge(claim.sentence, candidates, speaker=claim.attribution.text if claim.attribution else None)

    def _candidates(self, text: str, claim: _Claim, paras: list[_Para]) -> list[Candidate]:
        runs = _name_runs(claim)
        speaker = _speaker_tokens(claim)
        out: list[Candidate] = []
        for para in paras:
            # A conflict needs the claim's names in the paragraph itself or the title, not only in the lede.
            own = _Para(para.passage, para.paragraph, para.sentences, para.context[-1:], para.words,
                        para.stems, frozenset(t.low for s in para.context[-1:] for t in s.toks), frozenset())
            present = all(_run_in(run, own) for run in runs)
            present_but_speaker = all(_run_in(run, own) for run in runs if not set(run) & speaker)
            for s in para.sentences:
                neighbours = [n for n in para.sentences if n is not s]
                out.append(Candidate(para.passage, para.paragraph, s, neighbours, 0.0, present, present_but_speaker,
                                     self._sentence_coverage(claim, s, para)))
        if not out:
            return out
        reader = self.reader()
        if reader is not None:
            logits = reader.score(text, [c.sentence.text for c in out])
            for c, logit in zip(out, logits.tolist()):
                c.logit = float(logit)
        else:  # no reader: a sentence is on-topic by the words it shares with the claim
            for c in out:
                c.logit = (c.coverage - 0.5) * 10
        return sorted(out, key=lambda c: -c.logit)

    def _sentence_coverage(self, claim: _Claim, s: Sentence, para: _Para) -> float:
        """IDF-weighted share of the claim's content words in the sentence, its paragraph and the title."""
        idf, top = self._weights(para.passage.source)
        title = para.context[-1] if para.context else None
        pool = [s, *para.sentences] + ([title] if title is not None else [])
        words = frozenset(t.low for x in pool for t in x.toks) | para.words
        stems = frozenset().union(*(x.stems for x in pool))
        stems |= frozenset(lx.spelling_key(s) for s in stems)
        total = found = 0.0
        for i, t in enumerate(claim.sentence.toks):
            if not _is_content(t) or _is_item(claim.sentence, i):
                continue
            w = idf.get(t.stem, top)
            total += w
            if _word_in(t, words, stems) or lx.spelling_key(t.stem) in stems:
                found += w
        return found / total if total else 0.0

    # -- story data ---------------------------------------------------------------------------

    def _para(self, passage: Passage) -> _Para:
        index = self.engine.index
        paragraph = index.paragraph(passage.source, passage.paragraph)
        assert paragraph is not None
        previous = index.paragraph(passage.source, passage.paragraph - 1) if passage.paragraph > 1 else None
        sentences = self._paragraph_sentences(paragraph)
        # Context a reader has for any paragraph: the point just above it, the lede and the headline.
        prev_sentences = self._paragraph_sentences(previous) if previous else []
        lede = index.paragraph(passage.source, 1)
        if lede is not None and paragraph.number > 2:
            prev_sentences = prev_sentences + self._paragraph_sentences(lede)
        prev_sentences = prev_sentences + [Sentence(index.stories[passage.source].title)]
        return _Para(
            passage, paragraph, sentences, prev_sentences,
            frozenset(t.low for s in sentences for t in s.toks) | name_initials(s.text for s in sentences),
            frozenset().union(*(s.stems for s in sentences)),
            frozenset(t.low for s in prev_sentences for t in s.toks) | name_initials(s.text for s in prev_sentences),
            frozenset().union(*(s.stems for s in prev_sentences)) if prev_sentences else frozenset(),
        )

    def _paragraph_sentences(self, paragraph: Paragraph) -> list[Sentence]:
        key = (paragraph.story, paragraph.number)
        if key not in self._sentences:
            speaker = speaker_mention(paragraph.speaker)
            out: list[Sentence] = []
            for text in paragraph.sentences:
                out.append(Sentence(text, speaker, list(out)))
            self._sentences[key] = out
        return self._sentences[key]

    def _weights(self, story: str) -> tuple[dict[str, float], float]:
        """IDF of each stem over the story's paragraphs; words the story never uses weigh the most."""
        if story not in self._idf:
            first, end = self.engine.index.story_ranges[story]
            df: dict[str, int] = {}
            for row in range(first, end):
                paragraph = self.engine.index.paragraphs[row]
                seen = frozenset().union(*(s.stems for s in self._paragraph_sentences(paragraph)))
                for s in seen:
                    df[s] = df.get(s, 0) + 1
            n = end - first
            idf = {s: math.log(1 + (n - d + 0.5) / (d + 0.5)) for s, d in df.items()}
            self._idf[story] = (idf, math.log(1 + (n + 0.5) / 0.5))
        return self._idf[story]

    def _common(self, story: str, stem: str) -> bool:
        """A word in over 40% of the story's paragraphs says nothing about which occasion is meant."""
        idf, top = self._weights(story)
        first, end = self.engine.index.story_ranges[story]
        n = end - first
        return stem in idf and idf[stem] < math.log(1 + (n - 0.4 * n + 0.5) / (0.4 * n + 0.5))

    # -- numbers -------------------------------------------------------------------------------

    def _quantity(self, claim: _Claim, q: Quantity, paras: list[_Para]) -> list[_Finding]:
        context = _content_stems(claim, exclude=range(q.start, q.end))
        out: list[_Finding] = []
        for para in paras:
            for s in para.sentences:
                for sq in s.quantities:
                    if sq.duration != q.duration or sq.ordinal != q.ordinal:
                        continue
                    finding = _compare_quantity(q, sq, context, para, s)
                    if finding is not None:
                        out.append(finding)
        return out

    def _comparison(self, comparison: tuple[int, str, str, str], paras: list[_Para]) -> list[_Finding]:
        sign, first, second, text = comparison
        for para in paras:
            for s in para.sentences:
                counts = {q.stance: q for q in s.quantities if q.stance and not q.duration}
                if first in counts and second in counts:
                    a, b = counts[first], counts[second]
                    holds = (a.low - b.low) * sign > 0
                    reason = (f'the story says "{a.text}" and "{b.text}"' if holds
                              else f'the story says "{a.text}" and "{b.text}", so the claim "{text}" is wrong')
                    return [_Finding(not holds, para, s, reason)]
        return []

    # -- dates ---------------------------------------------------------------------------------

    def _dates(self, claim: _Claim, paras: list[_Para]) -> list[tuple[list[_Finding], str | None]]:
        out = []
        cs = claim.sentence
        for d in cs.dates:
            event = _content_stems(claim, exclude={d.index})
            best = self._best_date(event, d.kind, paras)
            if best is None:
                out.append(([], f"the story gives no {'day' if d.kind == 'day' else 'date'} for that ({d.text})"))
                continue
            para, s, sd, clause = best
            if sd.value == d.value and (d.day_of_month is None or sd.day_of_month == d.day_of_month):
                out.append(([_Finding(False, para, s, f'the story dates it {sd.text}: "{clause}"')], None))
            else:
                out.append(([_Finding(True, para, s, f'the story says {sd.text}, not {d.text}: "{clause}"')], None))
        for offset, anchor_range in _relative_days(cs):
            anchor = frozenset(cs.toks[i].stem for i in anchor_range if _is_content(cs.toks[i]))
            main = _content_stems(claim, exclude=set(anchor_range))
            a = self._best_date(anchor, "day", paras)
            m = self._best_date(main, "day", paras)
            if a is None or m is None:
                out.append(([], "the story gives no days to compare"))
                continue
            expected = (a[2].value + offset) % 7
            holds = m[2].value == expected
            reason = (f'the story says "{m[3]}" and "{a[3]}"')
            out.append(([_Finding(not holds, m[0], m[1], reason)], None))
        return out

    def _best_date(self, event: frozenset[str], kind: str, paras: list[_Para]):
        """The story date that dates the claim's event: its predicate or the words right next to it must be
        among the claim's words ("sworn in ... on Thursday", "a phone call late Friday"); ties go to the
        date whose surroundings share the most (IDF- and distance-weighted) words with the claim."""
        wanted = set().union(*(lx.synonyms(e) for e in event)) if event else set()
        best, best_score = None, 0.0
        for para in paras:
            idf, top = self._weights(para.passage.source)
            for s in para.sentences:
                for sd in s.dates:
                    if sd.kind != kind:
                        continue
                    lo, hi = s.clause(sd.index)
                    near = {t.stem for j, t in enumerate(s.toks[lo:hi], lo) if abs(j - sd.index) <= 3 and not t.cap}
                    anchor = _anchor_verb(s, sd.index, lo, hi)
                    if anchor is not None:
                        near.add(s.toks[anchor].stem)
                    if not near & wanted:
                        continue
                    score = sum(idf.get(t.stem, top) / (1 + abs(j - sd.index) / 4)
                                for j, t in enumerate(s.toks[max(0, lo - 4):hi], max(0, lo - 4))
                                if t.stem in event and j != sd.index)
                    if score > best_score:
                        quote = s.span(max(lo, sd.index - 7), min(hi, sd.index + 4))
                        best, best_score = (para, s, sd, quote), score
        return best

    # -- predicates ----------------------------------------------------------------------------

    def _frame(self, claim: _Claim, cf: Frame, paras: list[_Para]) -> list[_Finding]:
        """Story statements about the claim's predicate that say the same (matches) or the opposite (conflicts).

        A wished or ordered act ("instructed X to vote against") is compared only with what the story
        says was wished or ordered by the same kind of verb ("instructed X to not attend").
        """
        stems = _frame_stems(cf) | lx.antonyms(cf.stem)
        matches: list[_Finding] = []
        conflicts: list[_Finding] = []
        context = _frame_context(claim.sentence, cf)
        for para in paras:
            for s in para.sentences:
                if cf.realis:
                    frames = [f for f in s.frames(stems) if f.realis]
                else:
                    frames = [f for f in s.frames(stems) if not f.realis and f.governor is not None
                              and f.governor in lx.synonyms(cf.governor or "")]
                for sf in frames:
                    if _swapped(cf, sf):
                        conflicts.append(_Finding(True, para, s, _swap_reason(sf, s)))
                        continue
                    if sf.stem in lx.antonyms(cf.stem):
                        if sf.negated == cf.negated and same_party(cf.agent, sf.agent) and _objects_meet(cf, sf):
                            conflicts.append(_Finding(True, para, s, f"the story says {_frame_quote(sf, s)}"))
                        continue
                    if cf.kind not in _DIMENSIONS or not self._same_occasion(para.passage.source, context, sf, s, frames):
                        continue
                    verdict = _compare_frames(cf, sf)
                    if verdict is not None:
                        matches.append(_Finding(not verdict, para, s, f"the story says {_frame_quote(sf, s)}"))
        conflicts += [m for m in matches if m.conflict]
        matches = [m for m in matches if not m.conflict]
        if matches and conflicts and claim.attribution is not None:
            # The claim names its source: what that source says settles which occasion is meant.
            attributed = [m for m in matches if self._attributed(claim, m.para, m.sentence)]
            if attributed:
                return attributed
        if matches and cf.kind in _DIMENSIONS:
            # Two occasions (a committee vote and a General Assembly vote) and the claim names neither: undecided.
            return matches if not conflicts else [f for f in conflicts if f.reason.startswith("it was")]
        return conflicts

    def _same_occasion(self, story: str, context: frozenset[tuple[str, str]], sf: Frame, s: Sentence,
                       frames: list[Frame]) -> bool:
        """Whether a story vote can be the one the claim names ("at the General Assembly", "in committee").

        The claim's occasion words must be in the story frame's clause, or in its sentence when the
        sentence reports only that one vote by that actor.
        """
        if sf.kind != "vote":
            return True
        wanted = {(low, st) for low, st in context if not self._common(story, st)}
        if not wanted:
            return True
        if _words_in(wanted, s.toks[sf.window[0]:sf.window[1]]):
            return True
        same = [f for f in frames if f.kind == sf.kind and same_party(f.agent, sf.agent)]
        return len(same) <= 1 and _words_in(wanted, s.toks)

    # -- support -------------------------------------------------------------------------------

    def _support(self, claim: _Claim, paras: list[_Para]) -> tuple[_Para, Sentence, str] | None:
        runs = _name_runs(claim)
        best = None
        for para in paras:
            if any(not _run_in(run, para) for run in runs):
                continue
            if claim.attribution is not None and not self._attributed(claim, para, None):
                continue
            if any(not lx.synonyms(f.stem) & (para.stems | para.context_stems) for f in claim.frames
                   if f.kind not in _DIMENSIONS and f.realis and f.stem not in lx.LIGHT
                   and not _implicative(claim.sentence, f.index)):
                continue  # the passage must say the claim's verbs, not only its nouns
            coverage = self._coverage(claim, para)
            if coverage < SUPPORT_COVERAGE:
                continue
            if best is None or coverage > best[0]:
                best = (coverage, para)
        if best is None:
            return None
        para = best[1]
        sentence = max(para.sentences, key=lambda s: self._sentence_overlap(claim, s, para.passage.source))
        return para, sentence, f"¶{para.passage.paragraph} says so: \"{_short(sentence.text)}\""

    def _coverage(self, claim: _Claim, para: _Para) -> float:
        idf, top = self._weights(para.passage.source)
        total = found = 0.0
        checked = {f.index for f in claim.frames if f.kind in _DIMENSIONS and f.realis}
        for i, t in enumerate(claim.sentence.toks):
            if i in claim.excluded or i in checked or not _is_content(t) or _is_item(claim.sentence, i) \
                    or _implicative(claim.sentence, i):
                continue
            if checked and t.low in {"favor", "favour"}:
                continue  # part of a vote predicate, checked as one
            w = idf.get(t.stem, top)
            total += w
            if _word_in(t, para.words, para.stems):
                found += w
            elif _word_in(t, para.context_words, para.context_stems):
                found += w * CONTEXT_WEIGHT
        return found / total if total else 0.0

    def _sentence_overlap(self, claim: _Claim, s: Sentence, story: str) -> float:
        idf, top = self._weights(story)
        words = frozenset(t.low for t in s.toks)
        return sum(idf.get(t.stem, top) for i, t in enumerate(claim.sentence.toks)
                   if i not in claim.excluded and _is_content(t) and not _implicative(claim.sentence, i)
                   and _word_in(t, words, s.stems))

    def _attributed(self, claim: _Claim, para: _Para, sentence: Sentence | None) -> bool:
        """Whether the passage has the claim's source saying it (the paragraph's speaker, or "X said" in it)."""
        who = claim.attribution
        if who is None:
            return False
        if _same_source(who, speaker_mention(para.paragraph.speaker)):
            return True
        return any(_same_source(who, f.agent) for s in (para.sentences if sentence is None else [sentence])
                   for f in s.frames(lx.SAY_STEMS))

    def _absent_reason(self, claim: _Claim, paras: list[_Para], unverified: list[str]) -> str:
        story_words: set[str] = set()
        for para in paras:
            first, end = self.engine.index.story_ranges[para.passage.source]
            for row in range(first, end):
                for s in self._paragraph_sentences(self.engine.index.paragraphs[row]):
                    story_words.update(t.low for t in s.toks)
        missing = [n for n in _claim_names(claim) if not _name_in(n, frozenset(story_words))]
        if missing and paras:
            return f"the story never mentions {_display_names(claim, missing)}"
        if unverified:
            return unverified[0]
        if claim.attribution is not None:
            return f"the story doesn't quote {claim.attribution.text} saying this"
        if paras:
            return f"no passage says this; the closest, ¶{paras[0].passage.paragraph}, doesn't settle it"
        return "no passage says this"


# -- claim parsing ---------------------------------------------------------------------------------


def _parse_claim(text: str) -> _Claim:
    s = Sentence(text)
    claim = _Claim(text, s)
    found = claim_attribution(s)
    if found is not None:
        claim.attribution, excluded = found
        claim.excluded.update(excluded)
    claim.frames = _claim_frames(claim)
    return claim


def _speaker_tokens(claim: _Claim) -> set[str]:
    """The lower-cased words of whom the claim says said it."""
    who = claimed_speaker(claim.text)
    return {w.lower().strip(".,") for w in who.split()} if who else set()


def _is_content(t) -> bool:
    return (t.kind == "word" and t.low not in lx.FUNCTION and t.stem not in lx.LIGHT and t.low not in lx.NEGATORS
            and t.low not in lx.NUMBER_WORDS)


def _implicative(s: Sentence, i: int) -> bool:
    """ "declined to comment", "refused to give": the first verb only says the second did not happen."""
    return s.toks[i].stem in lx.NEGATIVE_IMPLICATIVES and i + 1 < len(s.toks) and s.toks[i + 1].low == "to"


def _is_item(s: Sentence, i: int) -> bool:
    """Days, months and numbers are checked as items, not as words."""
    t = s.toks[i]
    relative = t.low in {"day", "days"} and i + 1 < len(s.toks) and s.toks[i + 1].low in {"after", "before"}
    money = t.stem in lx.MONEY_WORDS and any(q.unit in lx.CURRENCIES.values() for q in s.quantities)
    return t.low in lx.DAYS or t.low in lx.MONTHS or t.kind == "num" or t.low in lx.ORDINALS or relative or money


def _content_stems(claim: _Claim, exclude) -> frozenset[str]:
    excluded = set(exclude)
    return frozenset(t.stem for i, t in enumerate(claim.sentence.toks)
                     if i not in excluded and _is_content(t) and not _is_item(claim.sentence, i)
                     and not _implicative(claim.sentence, i))


def _claim_quantities(claim: _Claim) -> list[Quantity]:
    toks = claim.sentence.toks
    return [q for q in claim.sentence.quantities if q.start not in claim.excluded
            and not (q.start + 1 < len(toks) and toks[q.start + 1].low == "of")]  # "one of several calls"


def _claim_frames(claim: _Claim) -> list[Frame]:
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
    return kind in _DIMENSIONS or verb_like(s, i)


def _quantified(s: Sentence, m: Mention) -> bool:
    j = m.start
    toks = s.toks
    window = toks[max(0, j - 1):j + 1]
    return any(t.kind == "num" or t.low in lx.NUMBER_WORDS or t.low in _COMPARATIVES or t.low in {"most", "than"}
               for t in window)


def _frame_stems(cf: Frame) -> frozenset[str]:
    if cf.kind == "vote":
        return frozenset(lx.VOTE_TRIGGERS) | lx.VOTE_WORDS | {lx.STAY_AWAY}
    if cf.kind == "affect":
        return frozenset(lx.AFFECT_TRIGGERS)
    if cf.kind in {"commit", "agree"}:
        return lx.COMMIT_STEMS | lx.AGREE_STEMS
    if cf.kind == "provide":
        return lx.PROVIDE_STEMS
    return lx.synonyms(cf.stem)


def _frame_context(s: Sentence, cf: Frame) -> frozenset[tuple[str, str]]:
    """What occasion the claim names after its predicate: "in the UN committee", "the General Assembly vote"."""
    out: set[tuple[str, str]] = set()
    for m in s.mentions:
        if m.start > cf.index and m.start < cf.window[1] and not m.pronoun:
            out.update((s.toks[j].low, s.toks[j].stem) for j in range(m.start, m.end) if _is_content(s.toks[j]))
    for d in s.dates:
        if d.index > cf.index:
            out.add((s.toks[d.index].low, s.toks[d.index].stem))
    return frozenset(out)


def _words_in(wanted: set[tuple[str, str]], toks) -> bool:
    return all(any(t.stem == st or (t.cap and lx.same_name(low, t.low)) for t in toks) for low, st in wanted)


def _compare_frames(cf: Frame, sf: Frame) -> bool | None:
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
        if sf.kind != "affect" or not _objects_meet(cf, sf):
            return None
        if not cf.values & sf.values:
            return False
        return True if sf.values <= cf.values else None
    if cf.kind in {"commit", "agree", "provide"}:
        if cf.kind == "provide" and sf.kind != "provide":
            return None
        if cf.kind in {"commit", "agree"} and sf.kind not in {"commit", "agree"}:
            return None
        if not (sf.universal_object or _objects_meet(cf, sf)):
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


def _objects_meet(cf: Frame, sf: Frame) -> bool:
    """Whether two predicates are about the same thing: shared (or synonymous) words, else shared names."""
    if cf.object_stems:
        expanded = set().union(*(lx.synonyms(w) for w in sf.object_stems)) if sf.object_stems else set()
        return bool(cf.object_stems & expanded) or not sf.object_stems and not sf.object_names
    if cf.object_names:
        return any(lx.same_name(a, b) for a in cf.object_names for b in sf.object_names)
    return True


def _swapped(cf: Frame, sf: Frame) -> bool:
    """"Zelensky called Netanyahu" against "Netanyahu called Zelensky": the same act, the roles reversed."""
    if cf.agent is None or cf.patient is None or sf.agent is None or sf.patient is None:
        return False
    if not (cf.agent.names and cf.patient.names and sf.agent.names and sf.patient.names):
        return False
    if cf.negated != sf.negated or sf.stem not in lx.synonyms(cf.stem):
        return False
    return same_head(cf.agent, sf.patient) and same_head(cf.patient, sf.agent) and not same_head(cf.agent, sf.agent)


def _frame_quote(sf: Frame, s: Sentence) -> str:
    """The story's words for a predicate, with its actor when the clause alone doesn't name them."""
    lo, hi = sf.window
    agent = sf.agent
    if agent is not None and any(m is agent for m in s.mentions):
        lo, hi = min(lo, agent.start), max(hi, s.clause(agent.start)[1])  # "instead of abstaining, Kyiv decided …"
    elif agent is not None and not agent.pronoun and agent.text not in sf.text:
        return f'{agent.text} "{_short(sf.text.strip())}"'
    return f'"{_short(s.span(lo, hi).strip())}"'


def _swap_reason(sf: Frame, s: Sentence) -> str:
    return f"it was the other way round: the story says {_frame_quote(sf, s)}"


def _anchor_verb(s: Sentence, i: int, lo: int, hi: int) -> int | None:
    """The predicate a date belongs to: the nearest verb in its clause, an infinitive only if nothing else."""
    best = None
    for j in sorted(range(lo, hi), key=lambda j: abs(j - i)):
        if j != i and verb_like(s, j):
            if j == 0 or s.toks[j - 1].low != "to":
                return j
            best = best if best is not None else j
    return best


def _comparisons(claim: _Claim) -> list[tuple[int, str, str, str]]:
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


def _relative_days(s: Sentence) -> list[tuple[int, range]]:
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


# -- comparing quantities --------------------------------------------------------------------------


def _units_compatible(q: Quantity, sq: Quantity) -> bool:
    money = set(lx.CURRENCIES.values())
    if (q.unit in money) != (sq.unit in money):
        return False  # "$40 million" counts no countries
    if q.unit is None or sq.unit is None or (q.stance and sq.stance):
        return True
    return q.unit == sq.unit or sq.unit in lx.synonyms(q.unit)


def _close(a: float, b: float, tolerance: float = 0.0) -> bool:
    return abs(a - b) <= max(tolerance * max(abs(a), abs(b)), 1e-9)


def _compare_quantity(q: Quantity, sq: Quantity, context: frozenset[str], para: _Para, s: Sentence) -> _Finding | None:
    if q.duration:
        if not context & s.stems - {lx.lemma_stem(u) for u in lx.TIME_UNITS}:
            return None  # a duration of something else
        return _Finding(not _duration_agrees(q, sq), para, s, f'the story says "{sq.text}"')
    if q.ordinal:
        if q.unit != sq.unit:
            return None
        return _Finding(not _close(q.low, sq.low), para, s, f'the story says "{sq.text}"')
    if not _units_compatible(q, sq):
        return None
    same_value = _close(q.low, sq.low) and _close(q.high, sq.high)
    if q.stance or sq.stance:
        if not (q.stance and sq.stance):
            return None
        if q.stance == sq.stance:
            if same_value:
                return _Finding(False, para, s, f'the story says "{sq.text}"')
            return _Finding(True, para, s, f'the story says "{sq.text}"')
        if same_value:
            return _Finding(True, para, s, f'the story says "{sq.text}"')
        return None
    role = q.role - {q.unit or ""}
    story_role = sq.role - {sq.unit or ""}
    if role and story_role and not (role & set().union(*(lx.synonyms(r) for r in story_role))):
        return None
    if not (context & s.stems):
        return None
    if same_value:
        return _Finding(False, para, s, f'the story says "{sq.text}"')
    if q.unit and sq.unit and (role and story_role or q.unit in lx.CURRENCIES.values()):
        return _Finding(True, para, s, f'the story says "{sq.text}"')  # another figure for the same thing
    return None


def _duration_agrees(q: Quantity, sq: Quantity) -> bool:
    """ "up to two years" states the longest; "at least" the shortest; a single figure must fall in the story's range."""
    tolerance = 0.2 if q.bound == "approx" or sq.bound == "approx" else 0.0
    if q.bound == "upper":
        return _close(q.high, sq.high, tolerance)
    if q.bound == "lower":
        return _close(q.low, sq.low, tolerance)
    if q.bound == "range":
        return _close(q.low, sq.low, tolerance) and _close(q.high, sq.high, tolerance)
    lo, hi = (0.0, sq.high) if sq.bound == "upper" else (sq.low, math.inf) if sq.bound == "lower" else (sq.low, sq.high)
    return lo * (1 - tolerance) <= q.low <= hi * (1 + tolerance)


# -- names and words ---------------------------------------------------------------------------------


def _same_source(a: Mention | None, b: Mention | None) -> bool:
    """Stricter than same_party: "Netanyahu's office" is not Netanyahu, "a Ukrainian official" is not Ukraine."""
    if not same_party(a, b):
        return False
    assert a is not None and b is not None
    roles_a = {lx.lemma_stem(r) for r in a.roles}
    roles_b = {lx.lemma_stem(r) for r in b.roles}
    return roles_a == roles_b or bool(roles_a & set().union(*(lx.synonyms(r) for r in roles_b)) if roles_b else False)


def _claim_names(claim: _Claim) -> list[str]:
    names: list[str] = []
    for m in claim.sentence.mentions:
        if m.start in claim.excluded or m.pronoun:
            continue
        for n in sorted(m.names, key=lambda w: m.text.lower().find(w)):
            if n not in names:
                names.append(n)
    return names


def _name_runs(claim: _Claim) -> list[list[str]]:
    """The claim's names as written together: "United States" must be in the story as "United States"."""
    s = claim.sentence
    runs: list[list[str]] = []
    current: list[str] = []
    for i, t in enumerate(s.toks):
        m = s.mention_at(i)
        is_name = m is not None and i not in claim.excluded and not m.pronoun and t.low in m.names
        if is_name:
            current.append(t.low)
        if (not is_name or t.possessive) and current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _run_in(run: list[str], para: _Para) -> bool:
    if len(run) == 1:
        return _name_in(run[0], para.words | para.context_words)
    for sentences in (para.sentences, para.context):
        for s in sentences:
            lows = [t.low for t in s.toks]
            for start in range(len(lows) - len(run) + 1):
                if all(lx.same_name(a, b) for a, b in zip(run, lows[start:start + len(run)])):
                    return True
    return False


def _name_in(name: str, words: frozenset[str]) -> bool:
    return name in words or any(lx.same_name(name, w) for w in words if w[:2] == name[:2])


def _display_names(claim: _Claim, names: list[str]) -> str:
    shown = []
    for t in claim.sentence.toks:
        if t.low in names and t.text not in shown:
            shown.append(t.text)
    return " or ".join(shown[:3])


def _word_in(t, words: frozenset[str], stems: frozenset[str]) -> bool:
    if t.stem in stems or t.low in words:
        return True
    if t.cap and _name_in(t.low, words):
        return True
    return bool(lx.synonyms(t.stem) & stems)


def _merge_conflicts(found: list[_Finding], suffix: str) -> list[_Finding]:
    """Conflicting figures in one sentence make one reason: 'the story says "A" and "B", not "C"'."""
    conflicts = [f for f in found if f.conflict]
    if not conflicts or len(conflicts) < len(found):
        return found
    first = conflicts[0]
    quotes: list[str] = []
    for f in conflicts:
        quote = f.reason.removeprefix("the story says ")
        if f.sentence is first.sentence and quote not in quotes:
            quotes.append(quote)
    return [_Finding(True, first.para, first.sentence, f"the story says {' and '.join(quotes)}{suffix}")]


def _collect(found: list[_Finding], findings: list[_Finding], unverified: list[str], what: str) -> None:
    matches = [f for f in found if not f.conflict]
    if matches:
        findings.append(matches[0])
    elif found:
        findings.extend(found)
    else:
        unverified.append(what)


def _evidence(f: _Finding) -> Passage:
    return f.para.passage.model_copy(update={"highlight": f.sentence.text})


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
