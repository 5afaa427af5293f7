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
    must be there too — or, fewer of them, in a sentence the reader is sure of and whose embedding
    is close to the claim's (a paraphrase) — and if the claim says who said it, the passage must say
    so as well.

A conflict makes the claim contradicted; everything verified makes it supported; anything else is
"not in the story" — the checker says so rather than guess.

This module runs the checks and decides; each part lives in a module named for what it reads or
compares: claim.py (what the claim asserts), quotes.py (whom it names as its source),
quantity_match.py (figures), predicates.py (who did what), claim_names.py (names and words in the
story), rivals.py (another place, body or affiliation of the same kind), verdict.py (the general
comparison of sentences), passage.py (passages and findings).
"""

from __future__ import annotations

import math
from typing import Callable

from storybot.index.language import lexicon as lx
from storybot.index.language.acronyms import name_initials, short_forms_in
from storybot.index.errors import InputError, StorybotError
from storybot.index.language.inputs import require_text
from storybot.index.checking.claim import (DIMENSIONS, Claim, claim_quantities, comparisons, content_stems,
                                           implicative, is_content, is_item, parse_claim, relative_days,
                                           speaker_tokens)
from storybot.index.checking.claim_names import (claim_names, display_names, name_in, name_runs, plain_initial,
                                                 run_in, same_source, word_in)
from storybot.index.checking.facts import Frame, Sentence, phrasal_meanings
from storybot.index.checking.mentions import same_party, speaker_mention
from storybot.index.checking.numbers import Figure, comparable, read_figures, relation, same_value, spans_in
from storybot.index.checking.passage import Finding, Para, collect, evidence_of, merge_conflicts, short
from storybot.index.checking.polarity import contrary_word, said_otherwise
from storybot.index.checking.predicates import (anchor_verb, compare_frames, crossed, dates_deadline, dates_saying,
                                                frame_context, frame_quote, frame_stems, objects_meet, other_actor,
                                                reports_saying, swap_reason, swapped, words_in)
from storybot.index.checking.quantities import Quantity
from storybot.index.checking.rivals import aligned_rival, other_affiliation, rival_name
from storybot.index.checking.quantity_match import compare_quantity, duration_agrees
from storybot.index.checking.verdict import PARAPHRASE_LOGIT, SUPPORT_LOGIT, Candidate, Reading, judge
from storybot.index.models import ClaimCheck, Paragraph, Passage
from storybot.index.answering.search import Engine
from storybot.index.reading.load import load_reader
from storybot.index.language.text import normalise

CANDIDATES = 8  # passages examined per claim
READ_PARAGRAPHS = 5  # paragraphs whose sentences the reader reads against the claim
SIMILAR_SENTENCES = 3  # the reader's best sentences compared with the claim by meaning (verdict.PARAPHRASE_*)
FALLBACK_READER = "ms-marco-l12"
SUPPORT_COVERAGE = 0.8  # share (IDF-weighted) of the claim's words the supporting passage must contain
CONTEXT_WEIGHT = 0.5  # words found only in the context (the point above, the lede, the headline) count half
MAX_CLAIM_CHARS = 1000


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


def _rival(text: str, claim: Claim, passage: Passage, sentences: list[Sentence], supporting: Sentence) -> ClaimCheck | None:
    """Contradicted when the passage that would support the claim names another place or body of the
    same kind ("Door County") where the claim names one it never mentions ("Hadley County"), or the
    `supporting` sentence says the claim's words and then another name in its place."""
    found = rival_name(claim.sentence, sentences)
    if found is None:
        other_name = aligned_rival(claim.sentence, supporting)
        if other_name is None:
            return None
        found = (*other_name, supporting)
    name, other, sentence = found
    evidence = [passage.model_copy(update={"highlight": sentence.text})]
    return ClaimCheck(claim=text, verdict="contradicted", evidence=evidence,
                      reason=f'the story says {other}, not {name}: "{short(sentence.text)}"')


def _other_affiliation(text: str, claim: Claim, c: Candidate | None) -> ClaimCheck | None:
    """Contradicted when the paragraph the claim is clearly about puts the claim's person with another body."""
    if c is None or c.logit < SUPPORT_LOGIT:
        return None
    found = other_affiliation(claim.sentence, [c.sentence, *c.neighbours])
    if found is None:
        return None
    mine, other, sentence = found
    evidence = [c.passage.model_copy(update={"highlight": sentence.text})]
    return ClaimCheck(claim=text, verdict="contradicted", evidence=evidence,
                      reason=f'the story says {other}, not {mine}: "{short(sentence.text)}"')


def _other_actor(text: str, claim: Claim, c: Candidate | None) -> ClaimCheck | None:
    """Contradicted when the sentence the claim is clearly about has someone else doing the claim's act to the
    same thing, and its paragraph never names the claim's actor ("Haldane called the bill …")."""
    if c is None or c.logit < SUPPORT_LOGIT:
        return None
    words = frozenset(t.low for s in [c.sentence, *c.neighbours] for t in s.toks)
    found = other_actor(claim.sentence, c.sentence, words)
    if found is None:
        return None
    evidence = [c.passage.model_copy(update={"highlight": c.sentence.text})]
    return ClaimCheck(claim=text, verdict="contradicted", evidence=evidence,
                      reason=f'the story says {found[1].agent.text} did this, not {found[0].agent.text}: '
                             f'"{short(c.sentence.text)}"')


def _names_written(sentences: list[Sentence]) -> frozenset[str]:
    """The sentences' words, with the acronyms of their capitalised names and the short forms they spell
    out: what a claim's name is looked up in."""
    texts = [s.text for s in sentences]
    return frozenset(t.low for s in sentences for t in s.toks) | name_initials(texts) | short_forms_in(texts)


def _own(para: Para) -> Para:
    """The paragraph with only the title for context: a conflict needs the claim's names in the paragraph
    itself or the title, not only in the lede."""
    return Para(para.passage, para.paragraph, para.sentences, para.context[-1:], para.words, para.stems,
                frozenset(t.low for s in para.context[-1:] for t in s.toks), frozenset())


def _named_in(run: list[str], own: Para, para: Para) -> bool:
    """Whether the paragraph (or the title) names the claim's name: a full name ("Beatrice Olufemi") also
    by its last word alone when the context above gives it in full, as news copy names people again."""
    return run_in(run, own) or (len(run) > 1 and run[-1] in own.words and run_in(run, para))


NEAR_DATE = 3  # content words either side of a date that say what it dates


def _says_verbs(claim: Claim, para: Para) -> bool:
    """Whether the passage (or its context) has the claim's verbs or their synonyms: support needs what was
    done, not only who and what it was done to."""
    stems = para.stems | para.context_stems
    return all(lx.synonyms(f.stem) & stems for f in claim.frames
               if f.kind not in DIMENSIONS and f.realis and f.stem not in lx.LIGHT
               and not implicative(claim.sentence, f.index))


def _distinctive(value: float) -> bool:
    """A figure unlikely to be in a story by chance (7.5, 120, 2,400), unlike "two": the same one elsewhere,
    about something else, is worth pointing to."""
    return value >= 10 or value != int(value)


def _gives_quantity(q: Quantity) -> Callable[[Sentence], bool]:
    """Whether a sentence gives the claim's quantity (a small number only in the same unit)."""
    return lambda s: any((sq.low, sq.high, sq.duration) == (q.low, q.high, q.duration)
                         and (_distinctive(q.low) or sq.unit == q.unit) for sq in s.quantities)


def _gives_figure(figure: Figure) -> Callable[[Sentence], bool]:
    """Whether a sentence gives the claim's figure (a small number only about the same thing)."""
    return lambda s: any(f.kind == figure.kind and same_value(figure, f)
                         and (_distinctive(figure.value) or comparable(figure, f)) for f in read_figures(s))


def _near_date(s: Sentence, i: int, lo: int, hi: int) -> set[str]:
    """The words of the clause next to the date at i. A date follows what it dates, so the words before it
    are counted in content words (in "classes went ahead on Monday", "classes" is as near as "scheduled
    for Thursday" is); after it, words are counted as they come ("on Monday to ask her not to veto" does
    not date the veto)."""
    near = {t.stem for t in s.toks[i + 1:min(hi, i + 1 + NEAR_DATE)] if not t.cap}
    j, count = i - 1, 0
    while j >= lo and count < NEAR_DATE:
        t = s.toks[j]
        if not t.cap:
            near.add(t.stem)
        count += t.kind == "word" and t.low not in lx.FUNCTION and t.stem not in lx.LIGHT
        j -= 1
    return near


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
        parsed = parse_claim(text)
        if paras:
            parsed.plain = plain_initial(parsed, self._story_sentences(paras[0].passage.source))
        runs = name_runs(parsed)
        named = [p for p in paras if all(run_in(run, p) for run in runs)]  # where the claim's names are
        findings: list[Finding] = []
        unverified: list[str] = []

        verified: dict[int, set[int]] = {}  # ¶ → the claim's words of figures it gives, maybe in other units
        # A length of time the story never gives ("spoke for an hour"): its unit is no word to find (claim.is_item),
        # so the general reading, which reads no "an hour", must not support the claim without it.
        lengths_missing = False
        for q in claim_quantities(parsed):
            found = self._quantity(parsed, q, named)
            lengths_missing = lengths_missing or (q.duration and not found)
            collect(merge_conflicts(found, f', not "{q.text}"'), findings, unverified,
                    "" if found else self._given_elsewhere(paras, _gives_quantity(q))
                    or f'the story gives no such figure ("{q.text}")')
            if not any(f.conflict for f in found):
                for f in found:
                    verified.setdefault(f.para.passage.paragraph, set()).update(range(q.start, q.end))
        for item in self._dates(parsed, named):
            findings.extend(item[0])
            if item[1]:
                unverified.append(item[1])
        for comparison in comparisons(parsed):
            found = self._comparison(comparison, paras)
            collect(found, findings, unverified, f'the story gives no figures to compare ("{comparison[3]}")')
        unread_acts: list[str] = []  # predicates the frame reading could not find: the general rules can't either
        for frame in parsed.frames:
            found = self._frame(parsed, frame, paras)
            if frame.kind in DIMENSIONS and frame.realis:
                collect(found, findings, unread_acts, f"the story doesn't say that {short(frame.text.strip(), 100)}")
            else:
                findings.extend(f for f in found if f.conflict)

        conflicts = [f for f in findings if f.conflict]
        reading = self._general(text, parsed, paras)
        if conflicts:
            best = max(conflicts, key=lambda f: (self._attributed(parsed, f.para, f.sentence), f.para.passage.score))
            evidence = [evidence_of(best)]
            return ClaimCheck(claim=text, verdict="contradicted", reason=best.reason, evidence=evidence)
        if reading.verdict == "contradicted" and reading.candidate is not None:
            c = reading.candidate
            evidence = [c.passage.model_copy(update={"highlight": c.sentence.text})]
            return ClaimCheck(claim=text, verdict="contradicted", reason=reading.reason, evidence=evidence)

        actor = _other_actor(text, parsed, reading.candidate) or _other_affiliation(text, parsed, reading.candidate)
        if actor is not None:
            return actor
        support = self._support(parsed, paras, verified)
        # a gap or share the claim states ("shrank by $32 million") only the general reading works out
        unworked = [f for f in reading.absent if relation(parsed.sentence, f) is not None]
        if support is not None and not unverified and not unread_acts and not unworked:
            para, sentence, reason = support
            rival = _rival(text, parsed, para.passage, para.sentences, sentence)
            if rival is not None:
                return rival
            if findings:
                reason = "; ".join(dict.fromkeys(f.reason for f in findings[:2])) + f" (¶{findings[0].para.passage.paragraph})"
            evidence = [para.passage.model_copy(update={"highlight": sentence.text})]
            for f in findings:  # the passages that verified numbers, dates and predicates
                if all(e.paragraph != f.para.passage.paragraph for e in evidence):
                    evidence.append(evidence_of(f))
            return ClaimCheck(claim=text, verdict="supported", reason=reason, evidence=evidence)
        # A claim that says who said it ("X told supporters that Carrowmore had voted for change") is
        # supported by the story quoting X (judge asks who says the sentence), however the acts X spoke of
        # are worded; an act said otherwise has already contradicted it above.
        if reading.verdict == "supported" and reading.candidate is not None and not lengths_missing \
                and (not unread_acts or self._attributed(parsed, self._para(reading.candidate.passage),
                                                         reading.candidate.sentence)):
            c = reading.candidate
            rival = _rival(text, parsed, c.passage, [c.sentence, *c.neighbours], c.sentence)
            if rival is not None:
                return rival
            evidence = [c.passage.model_copy(update={"highlight": c.sentence.text})]
            return ClaimCheck(claim=text, verdict="supported", reason=reading.reason, evidence=evidence)
        swapped = self._swapped_name(text, parsed, reading.candidate, paras)
        if swapped is not None:
            return swapped
        if reading.absent:
            reason = self._given_elsewhere(paras, _gives_figure(reading.absent[0])) or reading.reason
        else:
            reason = self._absent_reason(parsed, paras, unverified + unread_acts)
        return ClaimCheck(claim=text, verdict="not_in_story", reason=reason, evidence=[])

    def _swapped_name(self, text: str, claim: Claim, c: Candidate | None, paras: list[Para]) -> ClaimCheck | None:
        """Contradicted when the sentence the reader is sure the claim is about says the claim's words and
        then another name where the claim's is ("a former mayor of Eastreach" / "a former mayor of
        Dunvarrow"), and its paragraph names everyone else the claim names."""
        if c is None or c.logit < SUPPORT_LOGIT:
            return None
        found = aligned_rival(claim.sentence, c.sentence)
        para = next((p for p in paras if p.passage.paragraph == c.passage.paragraph), None)
        if found is None or para is None:
            return None
        own = _own(para)
        swapped = set(found[0].lower().split())
        if any(not set(run) <= swapped and not _named_in(run, own, para) for run in name_runs(claim)):
            return None
        evidence = [c.passage.model_copy(update={"highlight": c.sentence.text})]
        return ClaimCheck(claim=text, verdict="contradicted", evidence=evidence,
                          reason=f'the story says {found[1]}, not {found[0]}: "{short(c.sentence.text)}"')

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

    def _general(self, text: str, claim: Claim, paras: list[Para]) -> Reading:
        candidates = self._candidates(text, claim, paras[:READ_PARAGRAPHS])
        return judge(claim.sentence, candidates, speaker=claim.attribution.text if claim.attribution else None)

    def _candidates(self, text: str, claim: Claim, paras: list[Para]) -> list[Candidate]:
        runs = name_runs(claim)
        speaker = speaker_tokens(claim)
        out: list[Candidate] = []
        for para in paras:
            own = _own(para)
            present = all(_named_in(run, own, para) for run in runs)
            present_but_speaker = all(_named_in(run, own, para) for run in runs if not set(run) & speaker)
            verbs = _says_verbs(claim, para)
            for s in para.sentences:
                neighbours = [n for n in para.sentences if n is not s]
                out.append(Candidate(para.passage, para.paragraph, s, neighbours, 0.0, present, present_but_speaker,
                                     self._sentence_coverage(claim, s, para), verbs_said=verbs))
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
        out.sort(key=lambda c: -c.logit)
        embedder = getattr(self.engine, "embedder", None)
        # Only a sentence the reader is sure of can support a paraphrase (verdict._paraphrased): the others
        # are not embedded, which spares most claims three encodings.
        sure = [c for c in out[:SIMILAR_SENTENCES] if PARAPHRASE_LOGIT is not None and c.logit >= PARAPHRASE_LOGIT]
        if embedder is not None and sure:
            # The query encoder, not the build one (which may be a second model in memory); its cache
            # already holds the claim, which the engine was asked first.
            claim_vector = embedder.encode_query(text)
            for c in sure:
                c.similarity = float(embedder.encode_query(c.sentence.text) @ claim_vector)
        return out

    def _sentence_coverage(self, claim: Claim, s: Sentence, para: Para) -> float:
        """IDF-weighted share of the claim's content words in the sentence, its paragraph and the title."""
        idf, top = self._weights(para.passage.source)
        title = para.context[-1] if para.context else None
        pool = [s, *para.sentences] + ([title] if title is not None else [])
        words = frozenset(t.low for x in pool for t in x.toks) | para.words
        stems = frozenset().union(*(x.stems for x in pool))
        stems |= frozenset(lx.spelling_key(s) for s in stems)
        total = found = 0.0
        for i, t in enumerate(claim.sentence.toks):
            if not is_content(t) or is_item(claim.sentence, i):
                continue
            w = idf.get(t.stem, top)
            total += w
            # "turned out" / "turnout", "pull out" / "withdraw"
            if word_in(t, words, stems) or lx.spelling_key(t.stem) in stems \
                    or phrasal_meanings(claim.sentence, i) & stems:
                found += w
        return found / total if total else 0.0

    # -- story data ---------------------------------------------------------------------------

    def _para(self, passage: Passage) -> Para:
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
        return Para(
            passage, paragraph, sentences, prev_sentences, _names_written(sentences),
            frozenset().union(*(s.stems for s in sentences)), _names_written(prev_sentences),
            frozenset().union(*(s.stems for s in prev_sentences)) if prev_sentences else frozenset(),
        )

    def _story_sentences(self, story: str) -> list[Sentence]:
        first, end = self.engine.index.story_ranges[story]
        return [s for row in range(first, end) for s in self._paragraph_sentences(self.engine.index.paragraphs[row])]

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

    def _quantity(self, claim: Claim, q: Quantity, paras: list[Para]) -> list[Finding]:
        context = content_stems(claim, exclude=range(q.start, q.end))
        out: list[Finding] = []
        for para in paras:
            for s in para.sentences:
                for sq in s.quantities:
                    if sq.duration != q.duration or sq.ordinal != q.ordinal:
                        continue
                    finding = compare_quantity(q, sq, context, para, s)
                    if finding is not None:
                        out.append(finding)
        if q.duration and not any(not f.conflict for f in out):
            # a time taken the story gives as two times of day ("jammed at 2:15 p.m. … not replaced until 3:45 p.m.")
            time = {lx.lemma_stem(u) for u in lx.TIME_UNITS}
            for para in paras:
                for span, s in spans_in(para.sentences):
                    days = span.value / 1440
                    sq = Quantity(days, days, "approx" if span.approximate else "exact", lx.lemma_stem("minute"),
                                  True, None, frozenset(), span.start, span.end, span.text)
                    if context & (s.stems - time) and duration_agrees(q, sq):
                        return [Finding(False, para, s, f'the story says "{span.text}"')]
        return out

    def _given_elsewhere(self, paras: list[Para], holds: Callable[[Sentence], bool]) -> str | None:
        """Why a figure of the claim the story does give is not verified: it is where the story says something
        else than the claim ("About 120 positions … in Columbus" against "120 jobs … in Lancaster")."""
        if not paras:
            return None
        index = self.engine.index
        first, end = index.story_ranges[paras[0].passage.source]
        for row in range(first, end):
            paragraph = index.paragraphs[row]
            for sentence in self._paragraph_sentences(paragraph):
                if holds(sentence):
                    return (f'the story gives that figure only where it says something else (¶{paragraph.number}: '
                            f'"{short(sentence.text)}")')
        return None

    def _comparison(self, comparison: tuple[int, str, str, str], paras: list[Para]) -> list[Finding]:
        sign, first, second, text = comparison
        for para in paras:
            for s in para.sentences:
                counts = {q.stance: q for q in s.quantities if q.stance and not q.duration}
                if first in counts and second in counts:
                    a, b = counts[first], counts[second]
                    holds = (a.low - b.low) * sign > 0
                    reason = (f'the story says "{a.text}" and "{b.text}"' if holds
                              else f'the story says "{a.text}" and "{b.text}", so the claim "{text}" is wrong')
                    return [Finding(not holds, para, s, reason)]
        return []

    # -- dates ---------------------------------------------------------------------------------

    def _dates(self, claim: Claim, paras: list[Para]) -> list[tuple[list[Finding], str | None]]:
        out = []
        cs = claim.sentence
        said = reports_saying(cs)
        for d in cs.dates:
            event = content_stems(claim, exclude={d.index})
            best = self._best_date(event, d.kind, paras, said)
            if best is None:
                out.append(([], f"the story gives no {'day' if d.kind == 'day' else 'date'} for that ({d.text})"))
                continue
            para, s, sd, clause = best
            # "between Sunday evening and Monday": the sentence gives the claim's other day too ("by Monday
            # night, up from … on Sunday evening"), so each of the claim's days is found in it
            same = next((x for x in s.dates if x.kind == d.kind and x.value == d.value
                         and (d.day_of_month is None or x.day_of_month == d.day_of_month)), None)
            if len(cs.dates) > 1 and same is not None and same is not sd:
                sd = same
                lo, hi = s.clause(sd.index)
                clause = s.span(max(lo, sd.index - 7), min(hi, sd.index + 4))
            if sd.value == d.value and (d.day_of_month is None or sd.day_of_month == d.day_of_month):
                out.append(([Finding(False, para, s, f'the story dates it {sd.text}: "{clause}"')], None))
            elif dates_deadline(cs, d.index) and not dates_deadline(s, sd.index):
                out.append(([], f"the story gives no such deadline ({d.text})"))  # "by Friday" / "on Monday"
            else:
                out.append(([Finding(True, para, s, f'the story says {sd.text}, not {d.text}: "{clause}"')], None))
        for offset, anchor_range in relative_days(cs):
            anchor = frozenset(cs.toks[i].stem for i in anchor_range if is_content(cs.toks[i]))
            main = content_stems(claim, exclude=set(anchor_range))
            a = self._best_date(anchor, "day", paras, said)
            m = self._best_date(main, "day", paras, said)
            if a is None or m is None:
                out.append(([], "the story gives no days to compare"))
                continue
            expected = (a[2].value + offset) % 7
            holds = m[2].value == expected
            reason = (f'the story says "{m[3]}" and "{a[3]}"')
            out.append(([Finding(not holds, m[0], m[1], reason)], None))
        return out

    def _best_date(self, event: frozenset[str], kind: str, paras: list[Para], said: bool):
        """The story date that dates the claim's event: its predicate or the words right next to it must be
        among the claim's words ("sworn in ... on Thursday", "a phone call late Friday"); ties go to the
        date whose surroundings share the most (IDF- and distance-weighted) words with the claim. A date of
        a saying ("officials said Monday") dates only a claim about what was `said`."""
        wanted = set().union(*(lx.synonyms(e) for e in event)) if event else set()
        best, best_score = None, 0.0
        for para in paras:
            idf, top = self._weights(para.passage.source)
            for s in para.sentences:
                for sd in s.dates:
                    if sd.kind != kind:
                        continue
                    lo, hi = s.clause(sd.index)
                    near = _near_date(s, sd.index, lo, hi)
                    if dates_saying(s, sd.index) and not said:
                        continue  # "officials said Monday" dates the saying, not what was said
                    anchor = anchor_verb(s, sd.index, lo, hi)
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

    def _frame(self, claim: Claim, cf: Frame, paras: list[Para]) -> list[Finding]:
        """Story statements about the claim's predicate that say the same (matches) or the opposite (conflicts).

        A wished or ordered act ("instructed X to vote against") is compared only with what the story
        says was wished or ordered by the same kind of verb ("instructed X to not attend").
        """
        stems = frame_stems(cf) | lx.antonyms(cf.stem)
        matches: list[Finding] = []
        conflicts: list[Finding] = []
        context = frame_context(claim.sentence, cf)
        for para in paras:
            for s in para.sentences:
                if cf.realis:
                    frames = [f for f in s.frames(stems) if f.realis]
                else:
                    frames = [f for f in s.frames(stems) if not f.realis and f.governor is not None
                              and f.governor in lx.synonyms(cf.governor or "")]
                if cf.realis and crossed(cf, frames):
                    conflicts.append(Finding(True, para, s, f'the story pairs them otherwise: "{short(s.text)}"'))
                for sf in frames:
                    if swapped(cf, sf):
                        conflicts.append(Finding(True, para, s, swap_reason(sf, s)))
                        continue
                    if sf.stem in lx.antonyms(cf.stem):
                        if sf.negated == cf.negated and same_party(cf.agent, sf.agent) and objects_meet(cf, sf):
                            conflicts.append(Finding(True, para, s, f"the story says {frame_quote(sf, s)}"))
                        continue
                    if cf.kind not in DIMENSIONS or not self._same_occasion(para.passage.source, context, sf, s, frames):
                        continue
                    verdict = compare_frames(cf, sf)
                    if verdict is not None:
                        matches.append(Finding(not verdict, para, s, f"the story says {frame_quote(sf, s)}"))
        conflicts += [m for m in matches if m.conflict]
        matches = [m for m in matches if not m.conflict]
        if matches and conflicts and claim.attribution is not None:
            # The claim names its source: what that source says settles which occasion is meant.
            attributed = [m for m in matches if self._attributed(claim, m.para, m.sentence)]
            if attributed:
                return attributed
        if matches and cf.kind in DIMENSIONS:
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
        if words_in(wanted, s.toks[sf.window[0]:sf.window[1]]):
            return True
        same = [f for f in frames if f.kind == sf.kind and same_party(f.agent, sf.agent)]
        return len(same) <= 1 and words_in(wanted, s.toks)

    # -- support -------------------------------------------------------------------------------

    def _support(self, claim: Claim, paras: list[Para], verified: dict[int, set[int]]
                 ) -> tuple[Para, Sentence, str] | None:
        runs = name_runs(claim)
        best = None
        for para in paras:
            if any(not run_in(run, para) for run in runs):
                continue
            if claim.attribution is not None and not self._attributed(claim, para, None):
                continue
            if not _says_verbs(claim, para):
                continue
            coverage = self._coverage(claim, para, verified.get(para.passage.paragraph, set()))
            if coverage < SUPPORT_COVERAGE or said_otherwise(claim.sentence, para.sentences) is not None \
                    or any(contrary_word(claim.sentence, s) for s in para.sentences):
                continue  # too few of the claim's words, or some said the other way ("free" / "half price")
            if best is None or coverage > best[0]:
                best = (coverage, para)
        if best is None:
            return None
        para = best[1]
        sentence = max(para.sentences, key=lambda s: self._sentence_overlap(claim, s, para.passage.source))
        return para, sentence, f"¶{para.passage.paragraph} says so: \"{short(sentence.text)}\""

    def _coverage(self, claim: Claim, para: Para, verified: set[int] = frozenset()) -> float:
        """IDF-weighted share of the claim's words the paragraph says; the words of a figure the story gives
        count as said even in other words ("two days" where the story says "48 hours")."""
        idf, top = self._weights(para.passage.source)
        total = found = 0.0
        checked = {f.index for f in claim.frames if f.kind in DIMENSIONS and f.realis}
        for i, t in enumerate(claim.sentence.toks):
            if i in claim.excluded or i in checked or not is_content(t) or is_item(claim.sentence, i) \
                    or implicative(claim.sentence, i):
                continue
            if checked and t.low in lx.STANCE_AFTER_VOTE:
                continue  # part of a vote predicate, checked as one
            w = idf.get(t.stem, top)
            total += w
            if i in verified or word_in(t, para.words, para.stems):
                found += w
            elif word_in(t, para.context_words, para.context_stems):
                found += w * CONTEXT_WEIGHT
        return found / total if total else 0.0

    def _sentence_overlap(self, claim: Claim, s: Sentence, story: str) -> float:
        idf, top = self._weights(story)
        words = frozenset(t.low for t in s.toks)
        return sum(idf.get(t.stem, top) for i, t in enumerate(claim.sentence.toks)
                   if i not in claim.excluded and is_content(t) and not implicative(claim.sentence, i)
                   and word_in(t, words, s.stems))

    def _attributed(self, claim: Claim, para: Para, sentence: Sentence | None) -> bool:
        """Whether the passage has the claim's source saying it (the paragraph's speaker, or "X said" in it)."""
        who = claim.attribution
        if who is None:
            return False
        if same_source(who, speaker_mention(para.paragraph.speaker)):
            return True
        return any(same_source(who, f.agent) for s in (para.sentences if sentence is None else [sentence])
                   for f in s.frames(lx.SAY_STEMS))

    def _absent_reason(self, claim: Claim, paras: list[Para], unverified: list[str]) -> str:
        # Every passage in `paras` is from the one story that decides (check): its words are read once.
        story_words = _names_written(self._story_sentences(paras[0].passage.source)) if paras else frozenset()
        missing = [n for n in claim_names(claim) if not name_in(n, story_words)]
        if missing and paras:
            return f"the story never mentions {display_names(claim, missing)}"
        if unverified:
            return unverified[0]
        if claim.attribution is not None:
            return f"the story doesn't quote {claim.attribution.text} saying this"
        if paras:
            return f"no passage says this; the closest, ¶{paras[0].passage.paragraph}, doesn't settle it"
        return "no passage says this"


