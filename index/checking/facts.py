"""Read checkable facts out of one sentence, without a language model.

A sentence becomes tokens; from the tokens come
  * mentions: who or what is named ("Israeli foreign ministry officials", "Netanyahu's office", "he"),
  * quantities: counts with what they count ("24 countries voting against") and durations
    ("between one to two years") as numeric intervals,
  * dates: days of the week and months, each with the words around it (what happened then),
  * frames: one per predicate the caller asks about (a verb or a noun like "absence"), with who did
    it (agent), to whom (patient), whether it is negated ("didn't commit", "refusal to provide",
    "instead of abstaining") and whether it is asserted as having happened at all ("asked him to
    vote against" asserts no vote).
Every rule is about English in general; nothing here knows about any particular story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from storybot.index.language import lexicon as lx
from storybot.index.language.text import normalise

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*|[^\w\s]")
_CLAUSE_PUNCT = frozenset(',;:.!?()"—–[]')
_CLAUSE_WORDS = frozenset({"but", "because", "while", "although", "though", "whereas", "if", "unless"})
_MODIFIERS = frozenset({"the", "a", "an", "senior", "top", "new", "former", "foreign", "some", "several", "other",
                        "his", "her", "their", "its", "our", "two", "three", "both", "many", "few", "all", "each",
                        "neither", "either", "every", "no", "any", "this", "these", "those", "current"})
_TRAILING = frozenset({"of", "the", "a", "an", "to", "in", "on", "at", "with", "and", "its", "their"})
_ADVERBS = frozenset({"also", "then", "previously", "officially", "already", "still", "later", "reportedly",
                      "just", "never", "ever", "before", "now", "at", "least", "even", "only", "again", "once"})


@dataclass(frozen=True)
class Tok:
    text: str
    low: str
    stem: str
    start: int
    end: int
    kind: str  # "word", "num" or "punct"
    cap: bool = False
    possessive: bool = False


def tokenize(text: str) -> list[Tok]:
    """Words, numbers and punctuation with character offsets; "didn't" → "did" + "not", "Israel's" → "Israel"."""
    out: list[Tok] = []
    for m in _TOKEN.finditer(normalise(text)):
        raw, start, end = m.group(), m.start(), m.end()
        if raw[0].isdigit():
            out.append(Tok(raw, raw, raw, start, end, "num"))
            continue
        if not raw[0].isalpha():
            out.append(Tok(raw, raw, raw, start, end, "punct"))
            continue
        low = raw.lower()
        if low.endswith("n't") and len(low) > 3:
            base = {"ca": "can", "wo": "will", "sha": "shall"}.get(low[:-3], low[:-3])
            out.append(Tok(raw[:-3], base, lx.lemma_stem(base), start, end - 3, "word"))
            out.append(Tok("not", "not", "not", end - 3, end, "word"))
            continue
        possessive = low.endswith("'s") or low.endswith("s'")
        for suffix in ("'s", "'re", "'ve", "'ll", "'d", "'m", "'"):
            if low.endswith(suffix) and len(low) > len(suffix):
                low, raw = low[: -len(suffix)], raw[: -len(suffix)]
                break
        out.append(Tok(raw, low, lx.lemma_stem(low), start, start + len(raw), "word", raw[0].isupper(), possessive))
    return out


@dataclass(frozen=True)
class Mention:
    """A named or described party: token span [start, end), its name words and role nouns."""

    start: int
    end: int
    names: frozenset[str]
    roles: frozenset[str]
    text: str
    in_pp: bool = False  # the object of a preposition ("of the resolution", "during a UN vote")
    pronoun: str | None = None
    plural: bool = False
    head: str | None = None  # the last word when it is a name ("Zelensky" in "President Volodymyr Zelensky")

    @property
    def empty(self) -> bool:
        return not self.names and not self.roles


def same_party(a: Mention | None, b: Mention | None) -> bool | None:
    """True when two mentions name the same party, False when they clearly differ, None when unknowable."""
    if a is None or b is None or a.empty or b.empty:
        return None
    if a.names and b.names:
        return any(lx.same_name(x, y) for x in a.names for y in b.names)
    roles_a = {lx.lemma_stem(r) for r in a.roles}
    roles_b = set().union(*(lx.synonyms(lx.lemma_stem(r)) for r in b.roles)) if b.roles else set()
    if roles_a & roles_b:
        return True  # "business owners" and "local business owners"
    if a.names or b.names:
        return None  # "the two leaders" vs "Netanyahu": cannot tell
    return False


def same_head(a: Mention | None, b: Mention | None) -> bool:
    """Strict identity: "Zelensky" is "President Volodymyr Zelensky", but "Ukraine" is not (a nationality is
    not a person); "Ukraine's foreign ministry" and "the Ukrainian ambassador" share their nation."""
    if a is None or b is None:
        return False
    if a.head and b.head:
        return lx.same_name(a.head, b.head)
    if a.head or b.head:
        return False
    return any(lx.same_name(x, y) for x in a.names for y in b.names)


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


@dataclass(frozen=True)
class DateRef:
    """A day of the week or a month named in the text."""

    kind: str  # "day" or "month"
    value: int
    day_of_month: int | None
    index: int
    text: str


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
        return _mentions(self.toks, self.text)

    @cached_property
    def quantities(self) -> list[Quantity]:
        return _quantities(self.toks, self.text)

    @cached_property
    def dates(self) -> list[DateRef]:
        return _dates(self.toks)

    def span(self, start: int, end: int) -> str:
        """Verbatim text of tokens [start, end)."""
        if start >= end:
            return ""
        return _verbatim(self.text, self.toks[start].start, self.toks[end - 1].end)

    def boundary(self, i: int) -> bool:
        t = self.toks[i]
        return (t.kind == "punct" and t.text in _CLAUSE_PUNCT) or t.low in _CLAUSE_WORDS

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
        prev = _prev_word(self.toks, i, skip=lx.NEGATORS | _ADVERBS)
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
        prev = _prev_word(toks, i, skip=lx.NEGATORS | _ADVERBS)
        if prev is not None and toks[prev].low == "to":
            governor = self._governor(prev)
            if governor is not None and toks[governor].stem in lx.NEGATIVE_IMPLICATIVES:
                negated = not negated
            elif governor is None or toks[governor].stem not in lx.POSITIVE_IMPLICATIVES:
                realis = False
        elif prev is not None and toks[prev].low in lx.MODALS:
            realis = False
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
            if w.kind == "punct" and w.text in _CLAUSE_PUNCT:
                return None
            if w.low in lx.NEGATORS or w.low in _ADVERBS or self.mention_at(j) is not None \
                    or w.low in _MODIFIERS or w.low in lx.PREPOSITIONS:
                j -= 1
                continue
            return j
        return None

    def _passive(self, i: int) -> bool:
        t = self.toks[i]
        if not (t.low.endswith("ed") or t.low.endswith("en") or t.low in lx.IRREGULAR):
            return False
        prev = _prev_word(self.toks, i, skip=lx.NEGATORS | _ADVERBS)
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


def speaker_mention(speaker: str | None) -> Mention | None:
    """The paragraph's speaker ("the Ukrainian official") as a mention, for "we" and attribution checks."""
    if not speaker:
        return None
    mentions = _mentions(tokenize(speaker), speaker)
    names = frozenset().union(*(m.names for m in mentions)) if mentions else frozenset()
    roles = frozenset().union(*(m.roles for m in mentions)) if mentions else frozenset()
    return Mention(0, 0, names, roles, speaker, plural=speaker.rstrip().endswith("s"))


# -- helpers -------------------------------------------------------------------------------------


def _verbatim(text: str, start: int, end: int) -> str:
    normal = normalise(text)
    return text[start:end] if len(normal) == len(text) else normal[start:end]


def _prev_word(toks: list[Tok], i: int, *, skip: frozenset[str]) -> int | None:
    j = i - 1
    while j >= 0 and toks[j].kind == "word" and toks[j].low in skip:
        j -= 1
    if j < 0 or toks[j].kind != "word":
        return None
    return j


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
    prev = _prev_word(s.toks, j, skip=lx.NEGATORS | _ADVERBS)
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
    prev = _prev_word(s.toks, i, skip=lx.NEGATORS | _ADVERBS)
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
    while j < len(s.toks) and s.toks[j].low in lx.NEGATORS | _ADVERBS:
        j += 1
    if j >= len(s.toks):
        return False
    t = s.toks[j]
    return (t.kind == "word" and not t.cap and t.low not in lx.FUNCTION and t.low not in lx.ROLE_NOUNS
            and t.low not in lx.UNIVERSAL_OBJECTS and t.low not in _MODIFIERS and not t.low.endswith("ing"))


def predicate_kind(s: Sentence, i: int) -> tuple[str, frozenset[str] | None]:
    """Which dimension the predicate at i speaks about, and the values it asserts (before negation)."""
    t = s.toks[i]
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
    prev = _prev_word(s.toks, i, skip=lx.NEGATORS | _ADVERBS)
    if prev is None:
        return False
    p = s.toks[prev]
    if p.low in lx.AUXILIARIES | {"to"} | lx.RELATIVES or p.low in lx.PRONOUNS:
        return True
    # "Ukraine vote(s)" is a verb; "the committee vote", "Friday's General Assembly vote" are nouns.
    m = s.mention_at(prev)
    return m is not None and m.names and not m.roles and s.toks[m.start].low not in _MODIFIERS \
        and not p.possessive and not (m.start > 0 and s.toks[m.start - 1].possessive)


def _stance_after(s: Sentence, i: int) -> str | None:
    """ "voted in favor", "voting against", "vote before in favor" → the stance."""
    toks = s.toks
    for j in range(i + 1, min(len(toks), i + 4)):
        w = toks[j].low
        if w in {"favor", "favour"} and toks[j - 1].low == "in":
            return "for"
        if w == "against" or (w == "for" and j == i + 1):
            return lx.STANCE_AFTER_VOTE[w]
        if toks[j].kind != "word" or (w not in _ADVERBS and w != "in"):
            return None
    return None


def _negate_affect(values: frozenset[str]) -> frozenset[str]:
    return lx.AFFECT_VALUES - values


def _is_name(toks: list[Tok], i: int) -> bool:
    t = toks[i]
    if t.kind != "word" or not t.cap or t.low in lx.DAYS or t.low in lx.MONTHS or t.low in lx.NUMBER_WORDS:
        return False
    initial = i == 0 or all(p.kind == "punct" for p in toks[:i]) or toks[i - 1].text in {".", ":", '"'}
    if initial and (t.low in lx.FUNCTION or t.low in lx.SENTENCE_STARTERS or t.low in lx.PRONOUNS
                    or t.low in lx.RELATIVES or t.low in _ADVERBS):
        return False
    return t.low not in lx.PRONOUNS and not (t.low in lx.FUNCTION and t.low not in {"us"})


def _mentions(toks: list[Tok], text: str) -> list[Mention]:
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "word" and t.low in lx.PRONOUNS and not (t.cap and t.low == "us" and i > 0):
            out.append(Mention(i, i + 1, frozenset(), frozenset(), t.text, _in_pp(toks, i), t.low,
                               t.low in {"they", "them", "we", "us"}))
            i += 1
            continue
        if not (_is_name(toks, i) or (t.kind == "word" and t.low in lx.ROLE_NOUNS)):
            i += 1
            continue
        start, j = i, i
        names: set[str] = set()
        roles: set[str] = set()
        while j < len(toks):
            w = toks[j]
            if w.kind == "word" and (_is_name(toks, j) or w.low in lx.ROLE_NOUNS):
                if w.low in lx.ROLE_NOUNS:
                    roles.add(w.low)
                if w.cap and w.low not in lx.TITLES:
                    names.add(w.low)
                j += 1
                if w.possessive and j < len(toks) and toks[j].kind == "word" and toks[j].low in _MODIFIERS:
                    j += 1
                continue
            joiner = w.low in {"and", "-"} or w.text == "-"
            if joiner and j + 1 < len(toks) and j > start and toks[j + 1].kind == "word" \
                    and (_is_name(toks, j + 1) or toks[j + 1].low in lx.ROLE_NOUNS):
                j += 1
                continue
            if w.kind == "word" and w.low in {"foreign", "senior", "top", "new"} and j + 1 < len(toks) \
                    and toks[j + 1].kind == "word" and toks[j + 1].low in lx.ROLE_NOUNS:
                j += 1
                continue
            break
        # Leading modifiers belong to the mention ("the two leaders", "a senior Israeli official").
        k = start
        while k > 0 and toks[k - 1].kind == "word" and toks[k - 1].low in _MODIFIERS and not toks[k - 1].cap \
                or (k > 0 and toks[k - 1].low in _MODIFIERS and k - 1 == 0):
            k -= 1
        last = toks[j - 1]
        plural = last.low.endswith("s") and not last.cap or "and" in {x.low for x in toks[start:j]}
        head = last.low if last.cap and last.low not in lx.TITLES and last.low not in lx.ROLE_NOUNS else None
        out.append(Mention(k, j, frozenset(names), frozenset(roles), _verbatim(text, toks[k].start, last.end),
                           _in_pp(toks, k), None, plural, head))
        i = j
    return out


def _in_pp(toks: list[Tok], start: int) -> bool:
    j = start - 1
    adjectives = 0  # "as prime minister": a plain adjective or two may stand between
    if j >= 0 and toks[j].kind == "punct" and toks[j].text == "-":
        return True  # "anti-Israeli": a modifier, not a party
    while j >= 0 and toks[j].kind == "word" and (toks[j].low in _MODIFIERS or (
            adjectives < 2 and not toks[j].cap and toks[j].low not in lx.FUNCTION and toks[j].low not in lx.NUMBER_WORDS
            and not toks[j].low.endswith(("ed", "ing")) and toks[j].low not in lx.IRREGULAR)):
        adjectives += toks[j].low not in _MODIFIERS
        j -= 1
    return j >= 0 and toks[j].kind == "word" and toks[j].low in lx.PREPOSITIONS


# -- quantities ----------------------------------------------------------------------------------


def _number_at(toks: list[Tok], i: int) -> tuple[float, int] | None:
    """A number starting at token i: (value, index after it). Handles "87", "1,200", "1.5 million", "two",
    "twenty-four", "one hundred twenty", "two thousand five hundred and six", "a dozen", "a thousand"."""
    t = toks[i]
    if t.kind == "num":
        try:
            value = float(t.text.replace(",", ""))
        except ValueError:
            return None
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
    if t.low in lx.NUMBER_WORDS:
        return _spelled_number(toks, i)
    return None


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
            if low == "half" and k + 1 < len(toks) and toks[k].low in {"a", "an"} and toks[k + 1].low in lx.SCALES:
                k += 1  # "half a million"
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


def _quantities(toks: list[Tok], text: str) -> list[Quantity]:
    out: list[Quantity] = []
    i = 0
    last_unit: str | None = None
    while i < len(toks):
        if toks[i].kind == "word" and toks[i].low in lx.ORDINALS and i + 1 < len(toks) and toks[i + 1].kind == "word":
            value = lx.ORDINALS[toks[i].low]
            out.append(Quantity(value, value, "exact", toks[i + 1].stem, False, None, frozenset(), i, i + 2,
                                _verbatim(text, toks[i].start, toks[i + 1].end), True))
            i += 2
            continue
        first = _number_at(toks, i)
        if first is None:
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
            second = _number_at(toks, j + 1)
            if second is not None and (toks[j].low != "and" or (i > 0 and toks[i - 1].low == "between")):
                high, j = second[0], second[1]
                bound = "range"
        prefix = " ".join(t.low for t in toks[max(0, i - 3):i])
        if bound == "exact":
            for phrase, kind in ([(p, "upper") for p in lx.UPPER_BOUND] + [(p, "lower") for p in lx.LOWER_BOUND]
                                 + [(p, "approx") for p in lx.APPROXIMATE]):
                if prefix == phrase or prefix.endswith(" " + phrase):
                    bound = kind
                    start = i - len(phrase.split())
                    break
        if i > 0 and toks[i - 1].low == "between":
            start = i - 1
        # The unit is the last noun of what follows: "council members", "countries", "months"; or money.
        unit = None
        money = i > 0 and toks[i - 1].text in lx.CURRENCIES
        if money:
            start = min(start, i - 1)
        while not money and j < len(toks) and _unit_word(toks[j]):
            unit = toks[j].low
            j += 1
            if unit in lx.TIME_UNITS:
                break
        duration = unit in lx.TIME_UNITS if unit else False
        if duration:
            scale = lx.TIME_UNITS[unit]
            low, high = low * scale, high * scale
        unit_stem = lx.CURRENCIES[toks[i - 1].text] if money else lx.lemma_stem(unit) if unit else None
        if unit_stem is None and not duration:
            unit_stem = last_unit  # "87 votes in favor and 53 against": 53 votes
        last_unit = unit_stem or last_unit
        stance, role, end = None, set(), j
        if not duration:
            stance, role, end = _what_counted(toks, j)
            while end - 1 > j and toks[end - 1].low in _TRAILING:
                end -= 1
        out.append(Quantity(low, high, bound, unit_stem, duration, stance, frozenset(role), start, max(j, end),
                            _verbatim(text, toks[start].start, toks[max(j, end) - 1].end)))
        i = max(j, i + 1)
    return out


def _unit_word(t: Tok) -> bool:
    return (t.kind == "word" and t.low not in lx.FUNCTION and t.low not in {"favor", "favour", "against"}
            and t.stem not in lx.VOTE_WORDS and t.stem not in lx.VOTE_TRIGGERS
            and not t.low.endswith("ed") and not t.low.endswith("ing") and t.low not in lx.IRREGULAR)


def _what_counted(toks: list[Tok], j: int) -> tuple[str | None, set[str], int]:
    """After "87 countries": "voting in favor" → stance "for"; "were killed" → role {"kill"}."""
    stance, role, k = None, set(), j
    while k < len(toks) and k < j + 4:
        w = toks[k]
        if w.kind != "word" or (w.low == "and" and k > j):
            break
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
    first = _number_at(toks, i)
    if first is None:
        return []
    j = first[1]
    votes_between = j < len(toks) and toks[j].stem in lx.VOTE_WORDS  # "87 votes to 24"
    if votes_between:
        j += 1
    if j + 1 >= len(toks) or toks[j].low not in {"to", "-", "against"}:
        return []
    second = _number_at(toks, j + 1)
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
    while end - 1 > second[1] and toks[end - 1].low in _TRAILING:
        end -= 1  # "in favor of the" → "in favor"
    span = _verbatim(text, toks[i - 1 if before in lx.VOTE_WORDS else i].start, toks[end - 1].end)
    return [Quantity(first[0], first[0], "exact", None, False, stance, frozenset(), i, end, span),
            Quantity(second[0], second[0], "exact", None, False, other, frozenset(), i, end, span)]


def _dates(toks: list[Tok]) -> list[DateRef]:
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
