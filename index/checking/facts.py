"""Read checkable facts out of one sentence, without a language model.

A sentence becomes tokens (language/text.py); from the tokens come mentions (checking/mentions.py),
quantities (checking/quantities.py), dates (checking/dates.py) and, here,
  * frames: one per predicate the caller asks about (a verb or a noun like "absence"), with who did
    it (agent), to whom (patient), whether it is negated ("didn't commit", "refusal to provide",
    "instead of abstaining") and whether it is asserted as having happened at all ("asked him to
    vote against" asserts no vote).
Every rule is about English in general; nothing here knows about any particular story.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from storybot.index.language import lexicon as lx
from storybot.index.checking.dates import DateRef, read_dates
from storybot.index.checking.mentions import Mention, read_mentions
from storybot.index.checking.quantities import Quantity, read_quantities
from storybot.index.language.text import Tok, tokenize, verbatim

_CEASE = lx.synonyms(lx.lemma_stem("stop")) | {lx.lemma_stem("quit")}  # verbs whose gerund is what ends


@dataclass(frozen=True)
class Frame:
    """One predicate as used in a sentence: who, to whom, negated or not, asserted or only wished."""

    index: int
    stem: str
    kind: str  # "vote", "affect", "commit", "agree", "provide", "say" or "word"
    values: frozenset[str] | None  # for "vote"/"affect": the values the statement leaves possible
    negated: bool
    realis: bool
    agent: Mention | None
    patient: Mention | None
    window: tuple[int, int]
    object_stems: frozenset[str]  # words saying what the predicate is about, names aside
    object_names: frozenset[str]
    universal_object: bool
    text: str
    governor: str | None = None  # for "instructed X to not attend": the stem of "instructed"


@dataclass
class Sentence:
    """One sentence with everything the checker reads from it (computed on first use)."""

    text: str
    speaker: Mention | None = None
    previous: list["Sentence"] = field(default_factory=list)  # earlier sentences of the paragraph

    @cached_property
    def toks(self) -> list[Tok]:
        return tokenize(self.text)

    @cached_property
    def stems(self) -> frozenset[str]:
        return frozenset(t.stem for t in self.toks if t.kind != "punct")

    @cached_property
    def mentions(self) -> list[Mention]:
        return read_mentions(self.toks, self.text)

    @cached_property
    def quantities(self) -> list[Quantity]:
        return read_quantities(self.toks, self.text)

    @cached_property
    def dates(self) -> list[DateRef]:
        return read_dates(self.toks)

    def span(self, start: int, end: int) -> str:
        """Verbatim text of tokens [start, end)."""
        if start >= end:
            return ""
        return verbatim(self.text, self.toks[start].start, self.toks[end - 1].end)

    def boundary(self, i: int) -> bool:
        t = self.toks[i]
        return (t.kind == "punct" and t.text in lx.CLAUSE_PUNCT) or t.low in lx.CLAUSE_WORDS

    def clause(self, i: int) -> tuple[int, int]:
        """Token span of the clause around token i (between commas, "but", quotes …)."""
        lo = i
        while lo > 0 and not self.boundary(lo - 1):
            lo -= 1
        hi = i + 1
        while hi < len(self.toks) and not self.boundary(hi):
            hi += 1
        return lo, hi

    def mention_at(self, i: int) -> Mention | None:
        for m in self.mentions:
            if m.start <= i < m.end:
                return m
        return None

    def frames(self, stems: frozenset[str]) -> list[Frame]:
        """Frames for every predicate in the sentence whose stem is in `stems`."""
        out = []
        for i, t in enumerate(self.toks):
            if t.kind == "word" and t.stem in stems and self.mention_at(i) is None:
                frame = self._frame(i)
                if frame is not None:
                    out.append(frame)
        return out

    # -- frames ---------------------------------------------------------------------------------

    def _frame(self, i: int) -> Frame | None:
        t = self.toks[i]
        kind, values = predicate_kind(self, i)
        if kind == "skip" or (kind in {"vote", "commit", "agree", "provide"} and not _predicate_form(self, i)):
            return None  # "two steel supports", "a promise of aid" (unless a noun the lexicon lists)
        lo, hi = self.clause(i)
        negated, realis = self._polarity(i, lo)
        if values is not None:
            universe = lx.VOTE_VALUES if kind == "vote" else lx.AFFECT_VALUES
            if negated:
                values = (universe - values) if kind == "vote" else _negate_affect(values)
        passive = kind != "affect" and self._passive(i)  # "was disappointed" describes, it is not done by someone
        subject = self._subject(i)
        after = self._object(i, hi)
        if passive:
            agent = self._by_agent(i, hi)
            patient = subject
        else:
            agent, patient = subject, after
        object_stems, object_names = self._object_words(i)
        universal = any(tok.low in lx.UNIVERSAL_OBJECTS for tok in self.toks[i + 1:min(hi, i + 4)])
        governor = None
        prev = _prev_word(self.toks, i, skip=lx.NEGATORS | lx.ADVERBS)
        if not realis and prev is not None and self.toks[prev].low == "to":
            g = self._governor(prev)
            governor = self.toks[g].stem if g is not None else None
        return Frame(i, t.stem, kind, values, negated, realis, agent, patient, (lo, hi), object_stems,
                     object_names, universal, self.span(lo, hi), governor)

    def _object_words(self, i: int) -> tuple[frozenset[str], frozenset[str]]:
        """What the predicate is about: the words after it up to the end of the statement.

        Names of recipients ("to Ukraine", "give Ukraine aid") are left out: they say to whom, not what.
        """
        toks = self.toks
        end = i + 1
        while end < len(toks) and not (toks[end].text in {";", ".", ":", "!", "?"} or toks[end].low == "but"):
            if toks[end].low in {"and", "or"} and end + 1 < len(toks) and (
                    toks[end + 1].low in lx.AUXILIARIES | lx.NEGATORS or verb_like(self, end + 1)):
                break  # "weren't satisfied and didn't get …": the next predicate starts
            end += 1
        stems: set[str] = set()
        names: set[str] = set()
        j = i + 1
        if j < end and toks[j].low in lx.ADJUNCT_WORDS:
            return frozenset(), frozenset()  # "angry after the vote": when, not what
        while j < end:
            if toks[j].low in lx.ADJUNCT_WORDS:
                break
            m = self.mention_at(j)
            if m is not None:
                recipient = (m.start > 0 and toks[m.start - 1].low in {"to", "with"}) or (
                    m.start == i + 1 and m.end < end and toks[m.end].kind == "word" and toks[m.end].low not in lx.FUNCTION)
                if not recipient:
                    names.update(m.names)
                    stems.update(toks[k].stem for k in range(m.start, m.end) if not toks[k].cap
                                 and toks[k].low not in lx.FUNCTION and toks[k].low not in lx.ROLE_NOUNS)
                j = m.end
                continue
            tok = toks[j]
            if tok.kind == "word" and tok.low not in lx.FUNCTION and tok.stem not in lx.LIGHT and not tok.cap:
                stems.add(tok.stem)
            j += 1
        return frozenset(stems), frozenset(names)

    def _polarity(self, i: int, lo: int) -> tuple[bool, bool]:
        """(negated, realis) for the predicate at i."""
        toks = self.toks
        negated, realis = False, True
        # Negators in the same verb group: "didn't commit", "made no commitments", "Neither leader was".
        j = i - 1
        while j >= lo:
            w = toks[j]
            if w.low in lx.NEGATORS:
                negated = True
                break
            if w.low in {"and", "or"} or (j < i - 1 and verb_like(self, j)):
                break
            if i - j > 4:
                break
            j -= 1
        prev = _prev_word(toks, i, skip=lx.NEGATORS | lx.ADVERBS)
        if prev is not None and toks[prev].low == "to":
            governor = self._governor(prev)
            if governor is not None and toks[governor].stem in lx.NEGATIVE_IMPLICATIVES:
                negated = not negated
            elif governor is None or toks[governor].stem not in lx.POSITIVE_IMPLICATIVES:
                realis = False
        elif prev is not None and toks[prev].low in lx.MODALS:
            realis = False
        elif toks[i].low.endswith("ing") and prev is not None and toks[prev].stem in _CEASE:
            realis = False  # "stopped selling": the stopping is the act, the selling no longer happens
        elif toks[i].low.endswith("ing") and prev is not None and toks[prev].low in lx.PREPOSITIONS:
            before = toks[prev - 1].low if prev > 0 else ""
            if toks[prev].low == "of" and before == "instead":
                negated = True
            elif toks[prev].low in {"for", "of", "about", "on", "to"}:
                realis = False
        if realis and self._irrealis_scope(i, lo):
            realis = False
        return negated, realis

    def _irrealis_scope(self, i: int, lo: int) -> bool:
        """Inside "asked X to …", "in exchange for …ing", "if …", "would …": wished or offered, not done."""
        toks = self.toks
        if lo > 0 and toks[lo - 1].low == "if":
            return True
        for j in range(i - 1, lo - 1, -1):
            w = toks[j]
            if w.low in lx.MODALS:
                return True
            if w.low == "to" and j + 1 < len(toks) and _verb_after_to(self, j):
                governor = self._governor(j)
                if governor is None or toks[governor].stem not in lx.POSITIVE_IMPLICATIVES | lx.NEGATIVE_IMPLICATIVES:
                    return True
            if w.low.endswith("ing") and j > 0 and toks[j - 1].low in {"for", "about"}:
                return True
            m = self.mention_at(j)
            if m is not None and m.start == j and not m.in_pp and m.end < i and verb_like(self, m.end):
                return False  # a new subject and its verb start a new statement
        return False

    def _governor(self, to_index: int) -> int | None:
        """The verb or noun that an infinitive's "to" hangs on: "asked Zelensky to", "refusal to", "decided not to"."""
        j = to_index - 1
        while j >= 0:
            w = self.toks[j]
            if w.kind == "punct" and w.text in lx.CLAUSE_PUNCT:
                return None
            if w.low in lx.NEGATORS or w.low in lx.ADVERBS or self.mention_at(j) is not None \
                    or w.low in lx.MODIFIERS or w.low in lx.PREPOSITIONS:
                j -= 1
                continue
            return j
        return None

    def _passive(self, i: int) -> bool:
        t = self.toks[i]
        if not (t.low.endswith("ed") or t.low.endswith("en") or t.low in lx.IRREGULAR):
            return False
        prev = _prev_word(self.toks, i, skip=lx.NEGATORS | lx.ADVERBS)
        return prev is not None and self.toks[prev].low in lx.BE

    def _by_agent(self, i: int, hi: int) -> Mention | None:
        for j in range(i + 1, hi - 1):
            if self.toks[j].low == "by":
                return self.mention_at(j + 1) or self.mention_at(j + 2)
        return None

    def _subject(self, i: int) -> Mention | None:
        """The nearest earlier mention that is not the object of a preposition; pronouns resolved."""
        toks = self.toks
        # A fronted "instead of abstaining, Kyiv decided …": the subject comes after the comma.
        if toks[i].low.endswith("ing"):
            prev = _prev_word(toks, i, skip=frozenset())
            if prev is not None and toks[prev].low in lx.PREPOSITIONS:
                for j in range(i + 1, min(len(toks), i + 6)):
                    if toks[j].text == ",":
                        m = self.mention_at(j + 1)
                        if m is not None:
                            return self._resolve(m)
                        break
        j = i - 1
        while j >= 0:
            w = toks[j]
            if w.text == ",":
                # "Owen Bartley, who chairs the committee, called …": the relative clause is not the subject
                opening = next((c for c in range(j - 1, -1, -1) if toks[c].text == ","), None)
                if opening is not None and opening + 1 < j and toks[opening + 1].low in lx.RELATIVES - {"that"}:
                    j = opening - 1
                    continue
            if w.low in lx.RELATIVES and w.kind == "word":
                antecedent = self._antecedent(j)
                if antecedent is not None:
                    return antecedent
            m = self.mention_at(j)
            if m is not None:
                j = m.start - 1
                if not m.in_pp and m.names | m.roles or m.pronoun:
                    return self._resolve(m)
                continue
            j -= 1
        return None

    def _antecedent(self, j: int) -> Mention | None:
        """What "who"/"which"/"that" at j refers to: the mention just before it (a comma may sit between)."""
        k = j - 1
        if k >= 0 and self.toks[k].text == ",":
            k -= 1
        m = self.mention_at(k) if k >= 0 else None
        if m is None:
            return None  # "said that …" is not a relative clause
        named = self.mention_at(m.start - 2) if m.start >= 2 and self.toks[m.start - 1].text == "," else None
        if named is not None and named.names and not named.pronoun and not m.pronoun:
            # "Sen. Walter Finnegan, a Republican who voted …": the appositive is the named person
            return replace(named, end=m.end, names=named.names | m.names, roles=named.roles | m.roles)
        return self._resolve(m)

    def _object(self, i: int, hi: int) -> Mention | None:
        """The first mention after the predicate, before any other preposition than to/with."""
        j = i + 1
        while j < hi:
            m = self.mention_at(j)
            if m is not None:
                return self._resolve(m)
            w = self.toks[j]
            if w.low in lx.PREPOSITIONS and w.low not in {"to", "with"}:
                return None
            if verb_like(self, j):
                return None
            j += 1
        return None

    def _resolve(self, m: Mention) -> Mention:
        if not m.pronoun:
            return m
        return self._resolve_pronoun(m) or m

    def _resolve_pronoun(self, m: Mention) -> Mention | None:
        if m.pronoun in {"we", "us", "i"}:
            return self.speaker
        want_plural = m.pronoun in {"they", "them"}
        for sentence, end in [(self, m.start)] + [(s, len(s.toks)) for s in reversed(self.previous)]:
            for cand in reversed(sentence.mentions):
                if cand.start >= end or cand.pronoun or cand.in_pp or cand.empty:
                    continue
                if cand.plural == want_plural:
                    return cand
        return None


# -- helpers -------------------------------------------------------------------------------------


def _prev_word(toks: list[Tok], i: int, *, skip: frozenset[str]) -> int | None:
    j = i - 1
    while j >= 0 and toks[j].kind == "word" and toks[j].low in skip:
        j -= 1
    if j < 0 or toks[j].kind != "word":
        return None
    return j


_PARTICLES = frozenset({"out", "off", "down", "up", "over", "back", "into", "forward", "ahead"})


def phrasal_meanings(s: Sentence, i: int) -> frozenset[str]:
    """Stems a story may use for the verb at i and the particle after it: the noun they make ("turned out"
    → "turnout", "shut down" → "shutdown", "took over" → "takeover") and the one verb they mean ("pulled
    out" → "withdraw", "called off" → "cancel"; "open to" a deal → "consider", "held on to" → "keep")."""
    toks = s.toks
    if i + 1 >= len(toks) or toks[i].kind != "word" or toks[i].cap:
        return frozenset()
    verb, particle = lx.lemma_stem(toks[i].low), toks[i + 1].low
    if verb in lx.STAY and particle == "the" and i + 2 < len(toks) and toks[i + 2].low == "same":
        return frozenset({lx.lemma_stem("unchanged")})  # "will remain the same", "stayed the same"
    meant = lx.PHRASAL_VERBS.get((verb, particle), frozenset())
    return meant | {lx.lemma_stem(verb + particle)} if particle in _PARTICLES else meant


def verb_like(s: Sentence, j: int) -> bool:
    """A cheap guess that token j is a verb: an -ed/-ing form, an irregular past, or after an auxiliary."""
    if j >= len(s.toks):
        return False
    t = s.toks[j]
    if t.kind != "word" or t.cap or t.low in lx.FUNCTION or t.low in lx.ROLE_NOUNS:
        return False
    if t.low in lx.IRREGULAR or (len(t.low) > 4 and (t.low.endswith("ed") or t.low.endswith("ing"))):
        return True
    if t.low in lx.NUMBER_WORDS or t.low in lx.UNIVERSAL_OBJECTS:
        return False
    prev = _prev_word(s.toks, j, skip=lx.NEGATORS | lx.ADVERBS)
    if prev is None:
        return False
    if s.toks[prev].low == "to":
        return _verb_after_to(s, prev)
    # After "was"/"has" only a participle is a verb ("was sworn"); after "did"/"will" any word is.
    return s.toks[prev].low in lx.AUXILIARIES - lx.BE - {"has", "have", "had"}


def _predicate_form(s: Sentence, i: int) -> bool:
    """Whether a verbal trigger is used as a verb ("Ukraine supports", "backed", "to attend") — not a noun
    ("two steel supports") — or is one of the nouns that state a predicate ("absence", "commitments")."""
    t = s.toks[i]
    if t.stem in lx.PREDICATE_NOUNS or verb_like(s, i) or t.low.endswith(("ed", "ing")):
        return True
    prev = _prev_word(s.toks, i, skip=lx.NEGATORS | lx.ADVERBS)
    if prev is None:
        return False
    p = s.toks[prev]
    if p.low in lx.AUXILIARIES | {"to"} | lx.RELATIVES | lx.PRONOUNS:
        return True
    m = s.mention_at(prev)
    return m is not None and m.end == prev + 1 and not p.possessive  # "Ukraine supports", not "Ukraine's supports"


def _verb_after_to(s: Sentence, to_index: int) -> bool:
    """Whether "to" at to_index marks an infinitive ("to vote", "to not attend") rather than a preposition."""
    j = to_index + 1
    while j < len(s.toks) and s.toks[j].low in lx.NEGATORS | lx.ADVERBS:
        j += 1
    if j >= len(s.toks):
        return False
    t = s.toks[j]
    return (t.kind == "word" and not t.cap and t.low not in lx.FUNCTION and t.low not in lx.ROLE_NOUNS
            and t.low not in lx.UNIVERSAL_OBJECTS and t.low not in lx.MODIFIERS and not t.low.endswith("ing"))


def predicate_kind(s: Sentence, i: int) -> tuple[str, frozenset[str] | None]:
    """Which dimension the predicate at i speaks about, and the values it asserts (before negation)."""
    t = s.toks[i]
    if t.low.endswith("ly") and t.low[:-2] == t.stem:
        return "word", None  # "likely", "openly": an adverb or adjective made from the word, no act
    if t.stem in lx.VOTE_WORDS:
        stance = _stance_after(s, i)
        verbal = t.low in {"voted", "voting"} or _verbal_vote(s, i)
        if stance:
            return "vote", frozenset({stance})
        if verbal and t.low != "votes":
            return "vote", frozenset({"for", "against", "abstain"})
        return "skip", None
    if t.stem in lx.VOTE_TRIGGERS:
        return "vote", lx.VOTE_TRIGGERS[t.stem]
    if t.stem == lx.STAY_AWAY and i + 1 < len(s.toks) and s.toks[i + 1].low == "away":
        return "vote", frozenset({"absent"})
    if t.stem in lx.AFFECT_TRIGGERS:
        return "affect", lx.AFFECT_TRIGGERS[t.stem]
    if t.stem in lx.COMMIT_STEMS:
        return "commit", None
    if t.stem in lx.AGREE_STEMS:
        return "agree", None
    if t.stem in lx.PROVIDE_STEMS:
        return "provide", None
    if t.stem in lx.SAY_STEMS:
        return "say", None
    return "word", None


def _verbal_vote(s: Sentence, i: int) -> bool:
    prev = _prev_word(s.toks, i, skip=lx.NEGATORS | lx.ADVERBS)
    if prev is None:
        return False
    p = s.toks[prev]
    if p.low in lx.AUXILIARIES | {"to"} | lx.RELATIVES or p.low in lx.PRONOUNS:
        return True
    # "Ukraine vote(s)" is a verb; "the committee vote", "Friday's General Assembly vote" are nouns.
    m = s.mention_at(prev)
    return m is not None and m.names and not m.roles and s.toks[m.start].low not in lx.MODIFIERS \
        and not p.possessive and not (m.start > 0 and s.toks[m.start - 1].possessive)


def _stance_after(s: Sentence, i: int) -> str | None:
    """ "voted in favor", "voting against", "vote before in favor" → the stance."""
    toks = s.toks
    for j in range(i + 1, min(len(toks), i + 4)):
        w = toks[j].low
        if w in {"favor", "favour"} and toks[j - 1].low == "in":
            return "for"
        if w == "against" or (w in {"for", "yes", "no"} and j == i + 1):
            return lx.STANCE_AFTER_VOTE[w]
        if toks[j].kind != "word" or (w not in lx.ADVERBS and w != "in"):
            return None
    return None


def _negate_affect(values: frozenset[str]) -> frozenset[str]:
    return lx.AFFECT_VALUES - values
