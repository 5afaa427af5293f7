"""Answer a question from a loaded index: hybrid scoring, the answering sentence, abstention.

The question is first mapped onto the index's own vocabulary (typos; index/language/spelling.py) and read
for cues (index/language/question.py). Each candidate paragraph then gets these features:

  sentence     dense similarity of the question to the paragraph's best sentence
  paragraph    dense similarity to the whole paragraph (both embedded with the story title)
  coverage     IDF-weighted share of the question's content words the paragraph contains, a word
               also found as its acronym or spelled out ("ICJ" / "International Court of Justice")
  bm25         BM25 over stemmed words, relative to the best candidate
  answer_type  the best sentence holds what the question asks for (a number for "how many", a day
               or date for "when", a person or body for "who", a reason for "why" …)
  speaker      the question asks what someone said, and this paragraph's speaker is that someone
  context      coverage of the neighbouring paragraphs ("were furious at the time" needs the
               paragraph before it to say which time)
  lede         1/paragraph number: news ledes and encyclopaedia first sentences summarise

Their weighted sum ranks the paragraphs. Whether a passage answers at all is a second, small
logistic model over the ranking score and the evidence a cosine cannot give: the passage's
coverage of the question (here a synonym counts as the word: "envoy" / "ambassador"), a name in
the question that no story in scope mentions ("How did Germany vote?" is declined although a
paragraph about the vote ranks first), and a missing
number or name where the question needs one ("how many people died" against a paragraph with no
number; "who is Israel's foreign minister" against a sentence whose names hold other roles, "what is
the population of Jerusalem" against one without a population).
With a reader (index/reading: a cross-encoder that reads question and paragraph together), the
reader re-orders the best candidates and its logit decides whether they answer; when the first
stage leads clearly it reads only the best one, to judge it.
`Passage.score` is that probability (never higher than the passage ranked above it);
`Engine.threshold` (0.5) is where "answered" starts. Every weight is fitted by
benchmarks/fit_weights.py on training data only (SQuAD 2.0 train, WikiQA train, the news training
stories); benchmarks/quality.py measures on the sets nothing was fitted on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from storybot.index.embedding.embedder import Embedder, resolve_model
from storybot.index.answering.weights import Weights, load_weights
from storybot.index.errors import InputError
from storybot.index.language.inputs import require_text
from storybot.index.models import Answer, Passage
from storybot.index.language.acronyms import SHORT_FORMS
from storybot.index.language.names import NameIndex
from storybot.index.language.question import QuestionCues, answer_types, frame_words, named_terms, question_cues
from storybot.index.language.spelling import Speller, model_vocabulary
from storybot.index.storage.store import StoryIndex
from storybot.index.storage.table import ParagraphTable
from storybot.index.language.lexicon import IRREGULAR, demonym_partners, lemma_stem, synonyms
from storybot.index.language.text import STOPWORDS, name_words, normalise, replace_words, stem, tokens, typed_words, words
from storybot.index.reading import Reader

FEATURES = ("sentence", "paragraph", "coverage", "bm25", "answer_type", "speaker", "context", "lede")
# P(passage answers), first stage: bias, ranking score, coverage, a name the stories never mention,
# no number or name where the question needs one, distance below the best passage's ranking score,
# asks for the words of someone nobody in scope is quoted as (answer_inputs).
ANSWER_INPUTS = ("bias", "ranking", "coverage", "absent_name", "missing_type", "below_best", "unknown_speaker")
# The reader stage's answer model: bias, reader logit, first-stage answer logit, the logit's distance
# below the best reader logit of the question (reader_inputs).
READER_INPUTS = ("bias", "logit", "first_stage", "below_best")
ANSWER_THRESHOLD = 0.5
VETOED = 0.25  # the most a passage that cannot answer may score (below ANSWER_THRESHOLD)
STRICT_KINDS = ("number", "name")  # an answer to "how many" holds a number, to "who is" a name
EXHAUSTIVE_LIMIT = 2_000  # up to this many paragraphs every one is scored; above, dense + BM25 pick
CANDIDATES = 100
RERANK = 50  # cue features (answer type, speaker) are read for this many best candidates
MAX_QUESTION_CHARS = 4096

# Words that make a question ask for someone's words ("what did X say", "X's statement").
_SPEECH = re.compile(
    r"\b(?:say|said|says|tell|told|tweet\w*|twitter|post(?:ed)?|statement|quotes?|quoted|comments?|commented|"
    r"according|describe[sd]?|claim(?:s|ed)?|words|remarks?|announce[sd]?|confirm(?:s|ed)?|den(?:y|ied)|"
    r"spokes\w*)\b", re.I)
# Stem of a word's base form -> the stems of all its forms ("tell" -> tell, told), as the index has them.
_FORMS: dict[str, set[str]] = {}
for _form, _base in IRREGULAR.items():
    _FORMS.setdefault(lemma_stem(_base), {lemma_stem(_base)}).add(stem(_form))
_SPELL_OUT = re.compile(r"\bwhat(?:\s+(?:does|do|did|is)|'s)\s+(?:the\s+)?(?P<acronym>[A-Za-z]{2,6})\s*"
                        r"(?:stand\s+for|mean|short\s+for|an?\s+(?:acronym|abbreviation)\s+for|\?|$)", re.I)
_POSSESSIVE = re.compile(r"['’]s$")
_TWO_LETTER_WORDS = frozenset("us ad do go me my we he it an am as at be by if in is no of on or so to up ok hi oh "
                              "al ah eh ha lo ma pa".split())


@dataclass(frozen=True)
class Alias:
    """Question words and what else says the same: ("icj",) ↔ ("internat", "court", "justic")."""

    asked: tuple[str, ...]  # stemmed question words
    other: tuple[str, ...]  # a paragraph holding all of these holds `asked` too


@dataclass(frozen=True)
class Query:
    """A question as the engine reads it."""

    text: str               # as asked
    corrected: str          # typos mapped onto the index vocabulary: what is embedded and matched
    tokens: list[str]       # stemmed content words of `corrected`
    cues: QuestionCues
    speech: bool            # asks for someone's words
    names: list[str]        # names the question mentions (lower case)
    vector: np.ndarray
    aliases: tuple[Alias, ...] = ()  # other ways the stories may say some of `tokens` (acronyms)
    paraphrases: tuple[Alias, ...] = ()  # looser ones (synonyms): evidence of an answer, not a ranking


@dataclass(frozen=True)
class Lexical:
    """Word-match scores of every paragraph for one question."""

    bm25: np.ndarray
    found: np.ndarray  # IDF of the question's words each paragraph holds (as they are: no aliases)
    total: float       # IDF of all the question's words

    @property
    def coverage(self) -> np.ndarray:
        return self.found / self.total if self.total > 0 else self.found.copy()


@dataclass
class Scored:
    """Features of the candidate paragraphs of one question (rows in index order of candidates)."""

    rows: np.ndarray
    features: np.ndarray    # len(rows) × len(FEATURES)
    best_sentence: np.ndarray
    absent_names: int       # names in the question that no story in scope mentions
    unknown_speaker: bool   # the question asks what X said and nobody in scope is quoted as X
    missing_type: np.ndarray  # the question needs a number or a name and this paragraph has none
    answer_coverage: np.ndarray  # coverage counting synonyms too: what the answer probability reads


class Engine:
    """The question → Answer core shared by the CLI and the bot."""

    def __init__(self, index: StoryIndex, embedder: Embedder, *, reader: Reader | None = None,
                 weights: Weights | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self.weights = weights or load_weights()
        self._rank_weights = self.weights.rank_array
        self._answer_weights = self.weights.answer_array
        # The reader stage runs only with a reader and weights fitted for that reader.
        fitted = self.weights.reader
        self.reader = reader if reader is not None and fitted is not None and fitted.model == reader.name else None
        # Nothing here reads every paragraph: the index keeps its columns and word tables on disk
        # and reads them as questions need them (index/storage/table.py), so a million paragraphs start
        # in about a second.
        self._postings = index.postings  # read per token (_lexical)
        n_docs = max(self._postings.num_docs, 1)
        df = self._postings.document_frequency().astype(np.float64)
        self._idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        self._unknown_idf = math.log(1.0 + (n_docs + 0.5) / 0.5)
        self._vocab = self._postings.vocab
        paragraphs = index.paragraphs
        self._story_of = paragraphs.story  # int32 per paragraph: its story's position
        self._number = paragraphs.number
        # A speaker is asked for by name or by role ("what did the provost say"): both are its words.
        self._speaker_tokens = _SpeakerTokens(paragraphs)
        self._speakers_of: dict[str, set[frozenset[str]]] = {}
        has = np.flatnonzero(paragraphs.speaker >= 0)
        triples = np.unique(np.column_stack([paragraphs.story[has], paragraphs.speaker[has], paragraphs.role[has]]), axis=0)
        for story, speaker, role in triples.tolist():
            words = self._speaker_tokens.words(speaker, role)
            if words:
                self._speakers_of.setdefault(paragraphs.story_ids[story], set()).add(words)
        self._speller = Speller(index.vocabulary, model_vocabulary(_model_dir(embedder.name)))
        # The names acronyms stand for: general short forms, then what the stories spell out.
        self._acronyms = {**{k: tuple(tokens(v)) for k, v in SHORT_FORMS.items()}, **index.acronyms}
        self._spelled_out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for acronym, name in self._acronyms.items():
            if len(name) > 1:
                self._spelled_out.setdefault(name[0], []).append((acronym, name))
        self._story_names = lru_cache(maxsize=1024)(self._names_of_story)
        self._title_tokens = lru_cache(maxsize=65536)(self._title_words)
        self._types = lru_cache(maxsize=65536)(self._sentence_types)

    @property
    def threshold(self) -> float:
        return ANSWER_THRESHOLD

    def ask(self, question: str, *, top_k: int = 3, source: str | None = None) -> Answer:
        """Return the best `top_k` passages for `question`, best first, and whether they answer it."""
        question = validate_question(question)
        if top_k < 1:
            raise InputError("--top-k must be at least 1")
        query = self.read(question)
        scored = self.score(query, self.rows_of(source))
        order, probability = self.decide(query, scored)
        passages: list[Passage] = []
        seen_texts: set[str] = set()
        ceiling = 1.0  # a passage is never more of an answer than the one ranked above it
        for i in order:
            row = int(scored.rows[i])
            paragraph = self.index.paragraphs[row]
            key = " ".join(normalise(paragraph.text).lower().split())
            if key in seen_texts:  # the same paragraph carried by two stories is shown once
                continue
            seen_texts.add(key)
            story = self.index.stories[paragraph.story]
            ceiling = min(ceiling, float(probability[i]))
            passages.append(Passage(
                source=story.id, title=story.title, outlet=story.outlet, paragraph=paragraph.number,
                text=paragraph.text, highlight=self._highlight(query, row, int(scored.best_sentence[i])),
                speaker=paragraph.speaker, speaker_role=paragraph.speaker_role, score=round(ceiling, 4),
            ))
            if len(passages) == top_k:
                break
        answered = bool(passages) and passages[0].score >= self.threshold
        return Answer(question=question, answered=answered, passages=passages)

    def decide(self, query: Query, scored: Scored) -> tuple[np.ndarray, np.ndarray]:
        """The candidates best first, and each one's probability of answering the question."""
        order, probability = self._rank_and_judge(query, scored)
        # What no model may overrule: a passage cannot answer a question about a name no story in
        # scope mentions, about the words of someone nobody in scope is quoted as, or one that needs
        # a number or a name the passage does not hold.
        if scored.absent_names or scored.unknown_speaker:
            probability = np.minimum(probability, VETOED)
        probability = np.where(scored.missing_type, np.minimum(probability, VETOED), probability)
        return order, probability

    def _rank_and_judge(self, query: Query, scored: Scored) -> tuple[np.ndarray, np.ndarray]:
        ranking = scored.features @ self._rank_weights
        first = answer_inputs(scored, ranking) @ self._answer_weights  # logits
        order = np.argsort(-ranking, kind="stable")
        if self.reader is None or len(order) == 0:
            return order, _sigmoid(first)
        stage = self.weights.reader
        # When the first stage leads clearly the reader would not change the order: it reads only the
        # first candidate, to judge whether it answers (its judgement, not the first stage's, decides).
        top = order[:1 if first_stage_sure(ranking[order[:2]], stage.skip_margin) else stage.candidates]
        logits = self.reader.score(query.corrected, [self.reader_text(int(scored.rows[i])) for i in top])
        combined = logits + stage.rank_weight * ranking[top]
        reordered = top[np.argsort(-combined, kind="stable")]
        probability = _sigmoid(first)
        probability[top] = _sigmoid(reader_inputs(logits, first[top]) @ np.asarray(stage.answer))
        # Below the reader's candidates nothing is more of an answer than what it read.
        rest = order[len(top):]
        probability[rest] = np.minimum(probability[rest], probability[top].min())
        return np.concatenate([reordered, rest]), probability

    def reader_text(self, row: int) -> str:
        """What the reader reads of a paragraph: its text, after the story title when the weights say so."""
        paragraph = self.index.paragraphs[row]
        if self.weights.reader is not None and self.weights.reader.text == "title_paragraph":
            return f"{self.index.stories[paragraph.story].title}: {paragraph.text}"
        return paragraph.text

    def read(self, question: str) -> Query:
        """Correct typos against the index vocabulary, find the cues, embed."""
        corrected = self._correct(normalise(question))
        cues = question_cues(corrected)
        framing = frame_words(corrected, cues)
        every = tokens(corrected)
        found = [t for t in every if t not in framing] or every
        if cues.speaker:  # "what did the CEO say": the words of the "chief executive"
            cues = replace(cues, speaker=frozenset(w for t in cues.speaker for w in self._acronyms.get(t, (t,))))
        asked = _SPELL_OUT.search(corrected)
        if asked and asked.group("acronym").lower() in self._acronyms:
            # "What does ICJ stand for?": the answer is where the story spells it out ("stand for"
            # is not something to look for).
            acronym = asked.group("acronym").lower()
            rest = corrected[:asked.start()] + " " + corrected[asked.end():]
            found = list(dict.fromkeys([acronym, *self._acronyms[acronym], *tokens(rest)]))
            cues = replace(cues, focus=frozenset())  # "what's the UN stand for" has no "X of" to hold
        return Query(
            text=question, corrected=corrected, tokens=found, cues=cues,
            speech=bool(_SPEECH.search(corrected)), names=named_terms(corrected),
            vector=self.embedder.encode_query(corrected), aliases=self._aliases(corrected, found),
            paraphrases=self._paraphrases(corrected),
        )

    def _aliases(self, question: str, found: list[str]) -> tuple[Alias, ...]:
        """The acronyms the question uses and the names it spells out that have an acronym."""
        aliases = []
        asked = set(found)
        for word in typed_words(question):
            word = _POSSESSIVE.sub("", word)
            low = word.lower()
            # "un vote" is the UN, but "tell us" is not the US: a short lower-case word must not be English.
            if low in self._acronyms and (word.isupper() or len(low) > 2 or low not in _TWO_LETTER_WORDS):
                aliases.append(Alias((low,), self._acronyms[low]))
        for word in asked:  # a spelled-out name is looked up by its first word, not by scanning the table
            for acronym, name in self._spelled_out.get(word, ()):
                if asked.issuperset(name) and acronym not in asked:
                    aliases.append(Alias(name, (acronym,)))
        return tuple(dict.fromkeys(aliases))

    def _paraphrases(self, question: str) -> tuple[Alias, ...]:
        """Words of the question said another way in the stories: a synonym ("envoy" / "ambassador",
        index/language/lexicon.py) or another form of an irregular verb ("tell" / "told")."""
        found = []
        for word in words(question):
            if word in STOPWORDS:
                continue
            own, base = stem(word), lemma_stem(word)
            for other in synonyms(base) | {base}:
                found += [Alias((own,), (form,)) for form in _FORMS.get(other, (other,))
                          if form != own and form in self._vocab]
        return tuple(dict.fromkeys(found))

    def score(self, query: Query, rows: tuple[int, int]) -> Scored:
        """Features of every candidate paragraph in `rows` (all of them up to EXHAUSTIVE_LIMIT)."""
        lexical = self._lexical(query)
        candidates = self._candidates(query, rows, lexical.bm25)
        n = len(candidates)
        features = np.zeros((n, len(FEATURES)))
        if n == 0:
            return Scored(candidates, features, np.zeros(0, dtype=np.int64), 0, False, np.zeros(0, dtype=bool),
                          np.zeros(0))
        qvec = query.vector
        features[:, 1] = np.asarray(self.index.paragraph_vectors[candidates]) @ qvec
        features[:, 0], best_sentence = self._best_sentences(qvec, candidates)
        # Aliases are credited on the candidates and their neighbours only: "US" → "united states"
        # holds a large share of a big archive, and only these rows are read.
        bm25, coverage = lexical.bm25[candidates], lexical.coverage  # (coverage: a new array)
        if query.aliases:
            near = np.unique(np.concatenate([candidates, np.maximum(candidates - 1, 0),
                                             np.minimum(candidates + 1, len(self.index.paragraphs) - 1)]))
            found, gained = lexical.found[near].copy(), lexical.bm25[near].copy()
            self._credit(query.aliases, query.tokens, near, found, gained)
            coverage[near] = found / lexical.total if lexical.total > 0 else found
            bm25 = gained[np.searchsorted(near, candidates)]
        top = float(bm25.max()) if n else 0.0
        features[:, 2] = coverage[candidates]
        features[:, 3] = bm25 / top if top > 0 else 0.0
        features[:, 6] = self._neighbour_coverage(coverage, candidates)
        features[:, 7] = 1.0 / self._number[candidates]
        missing_type = np.zeros(n, dtype=bool)
        preliminary = features @ self._rank_weights
        for i in np.argsort(-preliminary, kind="stable")[:RERANK]:
            row = int(candidates[i])
            if query.cues.kind:
                found = query.cues.kind in self._types(row, int(best_sentence[i]))
                features[i, 4] = float(found)
                missing_type[i] = query.cues.kind in STRICT_KINDS and not found
            if query.cues.focus and not missing_type[i]:  # a name, but not of the role asked about …
                sentence = self.index.paragraphs[row].sentences[int(best_sentence[i])]
                missing_type[i] = not query.cues.focus <= set(tokens(sentence))
            if query.cues.speaker or query.speech:
                features[i, 5] = self._speaker_match(query, row)
        # Synonyms count as evidence that a paragraph answers, but not for choosing between
        # paragraphs: in the ranking they cost 4 story questions their right paragraph and 0.004 WikiQA MAP.
        answer_coverage = self._answer_coverage(query, lexical, candidates)
        return Scored(candidates, features, best_sentence, self._absent_names(query.names, rows),
                      self._unknown_speaker(query.cues.speaker, rows), missing_type, answer_coverage)

    def _correct(self, question: str) -> str:
        def fix(word: str) -> str:
            better = self._speller.correct(word.lower())
            if better is None:
                return word
            return better.capitalize() if word[:1].isupper() else better

        return replace_words(question, fix)

    def require_source(self, source: str | None) -> None:
        """Raise InputError, naming the known ids, when `source` is not a story of this index."""
        self.rows_of(source)

    def rows_of(self, source: str | None) -> tuple[int, int]:
        """The paragraph rows a question about `source` (None: every story) searches."""
        if source is None:
            return 0, len(self.index.paragraphs)
        if source not in self.index.story_ranges:
            known = ", ".join(sorted(self.index.story_ranges)[:10])
            raise InputError(f"no story with id {source!r} (known: {known})")
        return self.index.story_ranges[source]

    def _candidates(self, query: Query, rows: tuple[int, int], bm25: np.ndarray) -> np.ndarray:
        first, end = rows
        if end - first <= EXHAUSTIVE_LIMIT:
            return np.arange(first, end)
        found = set(int(i) for i in self.index.nearest(query.vector, CANDIDATES, rows))
        if query.tokens:
            lexical = bm25[first:end]
            top = np.argpartition(-lexical, min(CANDIDATES, len(lexical) - 1))[:CANDIDATES]
            found.update(int(first + i) for i in top if lexical[i] > 0)
        return np.fromiter(sorted(found), dtype=np.int64)

    def _best_sentences(self, qvec: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per paragraph: the highest sentence similarity and that sentence's position."""
        offsets = self.index.sentence_offsets
        if rows[-1] - rows[0] + 1 == len(rows):  # a contiguous range: one slice, no Python loop
            lo, hi = int(offsets[rows[0]]), int(offsets[rows[-1] + 1])
            sims = np.asarray(self.index.sentence_vectors[lo:hi]) @ qvec
            starts = offsets[rows] - lo
        else:
            parts = [np.arange(offsets[r], offsets[r + 1]) for r in rows]
            sims = np.asarray(self.index.sentence_vectors[np.concatenate(parts)]) @ qvec
            starts = np.cumsum([0] + [len(p) for p in parts[:-1]])
        best = np.maximum.reduceat(sims, starts)
        owner = np.repeat(np.arange(len(rows)), np.diff(np.append(starts, len(sims))))
        position = np.arange(len(sims)) - starts[owner]
        is_best = sims >= best[owner]
        first_best = np.full(len(rows), np.iinfo(np.int64).max)
        np.minimum.at(first_best, owner[is_best], position[is_best])
        return best, first_best

    def _lexical(self, query: Query) -> Lexical:
        """BM25 and the IDF of the question's words found, for every paragraph, from the index's postings."""
        n = len(self.index.paragraphs)
        bm25 = np.zeros(n)
        found = np.zeros(n)
        total = 0.0
        for token, count in Counter(query.tokens).items():
            total += self._token_idf(token)
            posting = self._postings.of(token)
            if posting is not None:
                docs, weights = posting
                bm25[docs] += weights * count
                found[docs] += self._token_idf(token)
        return Lexical(bm25, found, total)

    def _credit(self, aliases: tuple[Alias, ...], qtokens: list[str], rows: np.ndarray, found: np.ndarray,
                bm25: np.ndarray | None = None) -> None:
        """Count each aliased question word as found in those of `rows` that hold one of
        its aliases and not the word itself, once however many aliases they hold, with the
        aliases' BM25 weight. `found` and `bm25` are aligned with `rows` and updated in place."""
        holding: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
        for alias in aliases:
            held, weight = np.ones(len(rows), dtype=bool), np.zeros(len(rows))
            for word in alias.other:
                posting = self._postings.of(word)
                if posting is None:
                    held[:] = False
                    break
                here, at = _find(posting[0], rows)
                held &= here
                weight[here] += posting[1][at[here]] / len(alias.other)
            if alias.asked in holding:
                before, heavier = holding[alias.asked]
                held, weight = before | held, np.maximum(heavier, weight)
            holding[alias.asked] = held, np.where(held, weight, 0.0)
        counts = Counter(qtokens)
        for asked, (held, weight) in holding.items():
            for token in asked:
                posting = self._postings.of(token)
                new = held & ~_holds(posting[0], rows) if posting is not None else held
                if token in counts:  # (a stop word the question's tokens dropped adds no coverage)
                    found[new] += self._token_idf(token)
                if bm25 is not None:
                    bm25[new] += weight[new] * counts.get(token, 1)

    def _answer_coverage(self, query: Query, lexical: Lexical, rows: np.ndarray) -> np.ndarray:
        """Coverage of the candidate `rows` with synonyms and irregular verb forms counted as the
        words they stand for, and acronyms as in the ranking."""
        found = lexical.found[rows].copy()
        self._credit(query.aliases + query.paraphrases, query.tokens, rows, found)
        return found / lexical.total if lexical.total > 0 else found

    def _token_idf(self, token: str) -> float:
        tid = self._vocab.get(token)
        return self._unknown_idf if tid is None else float(self._idf[tid])

    def _absent_names(self, names: list[str], rows: tuple[int, int]) -> int:
        """How many of the question's names no story in scope mentions ("How did Germany vote?")."""
        if not names:
            return 0
        first, end = rows
        whole = (first, end) == (0, len(self.index.paragraphs))
        scope = self.index.names if whole else self._story_names(self.index.paragraphs.story_of(first))

        def mentioned(parts: list[str]) -> bool:
            if not all(self.index.names.has_word(w) for w in parts):
                return False
            if len(parts) == 2 and not scope.has_bigram(*parts):
                return False  # "United States": both words occur, the name does not
            return scope.has_all(parts)

        def named(parts: list[str]) -> bool:
            if mentioned(parts):
                return True
            # "the PM" is mentioned as "Prime Minister", "the ER" as "emergency rooms" (not a name)
            expansion = SHORT_FORMS.get(" ".join(parts))
            if expansion and (mentioned(expansion.split()) or self._written_out(tokens(expansion), rows)):
                return True
            if len(parts) == 1:  # "the Swiss envoy" is mentioned as "Switzerland, whose envoy"
                return any(mentioned([p]) for p in demonym_partners(parts[0]))
            # "Tallyfin's CEO" is mentioned as "Tallyfin … chief executive Dana Whitaker"
            short = [p for p in parts if p in SHORT_FORMS]
            rest = [p for p in parts if p not in SHORT_FORMS]
            return bool(short) and bool(rest) and named(rest) and all(named([p]) for p in short)

        return sum(not named(name_words(name)) for name in names)

    def _written_out(self, words: list[str], rows: tuple[int, int]) -> bool:
        """Whether a paragraph among `rows` has these (stemmed) words in a row: "emergency rooms",
        not "the United Nations' member states" for "united states"."""
        common: np.ndarray | None = None
        for word in words:
            posting = self._postings.of(word)
            if posting is None:
                return False
            docs = posting[0][np.searchsorted(posting[0], rows[0]):np.searchsorted(posting[0], rows[1])]
            common = docs if common is None else np.intersect1d(common, docs, assume_unique=True)
            if len(common) == 0:
                return False
        n = len(words)
        for row in [] if common is None else common.tolist():
            found = tokens(self.index.paragraphs.text(row))
            if any(found[i:i + n] == words for i in range(len(found) - n + 1)):
                return True
        return False

    def _names_of_story(self, story: str) -> NameIndex:
        """The name index of one story, read from its paragraphs when a question is restricted to it."""
        first, end = self.index.story_ranges[story]
        texts = [self.index.paragraphs.text(row) for row in range(first, end)] + [self.index.stories[story].title]
        return NameIndex.build(((0, text) for text in texts), 1)

    def _unknown_speaker(self, wanted: frozenset[str], rows: tuple[int, int]) -> bool:
        """"What did Russia say?" when no paragraph in scope is attributed to anyone called that."""
        if not wanted:
            return False
        first, end = rows
        stories = self._speakers_of if (first, end) == (0, len(self.index.paragraphs)) \
            else [self.index.paragraphs.story_of(first)]
        for story in stories:
            told = self._asked_in(story, wanted)
            if any(_overlap(told, speaker) for speaker in self._speakers_of.get(story, ())):
                return False
        return True

    def _asked_in(self, story: str, words: frozenset[str]) -> frozenset[str]:
        """`words` naming a speaker, less the story's subject: its title names no one in particular. In a
        story about Corvane or Pell County, "Corvane's board chairman" asks for a chairman (not "Corvane's
        chief executive"), and "confirmed in Pell County" does not ask the Pell County Health Department."""
        return words - self._title_tokens(story) or words

    def _speaker_match(self, query: Query, row: int) -> float:
        """How well the paragraph's speaker is the one the question asks about."""
        story = self.index.paragraphs.story_of(row)
        if query.cues.speaker:  # "what did X say": how much of X is this paragraph's speaker, by name or role?
            wanted = self._asked_in(story, query.cues.speaker)
            return len(self._speaker_tokens[row] & wanted) / len(wanted)
        own = self._asked_in(story, self._speaker_tokens.name(row))  # "zelensky twitter …": a speaker named
        return len(own & set(query.tokens)) / len(own) if own else 0.0

    def _title_words(self, story: str) -> frozenset[str]:
        return frozenset(tokens(self.index.stories[story].title))

    def _neighbour_coverage(self, coverage: np.ndarray, rows: np.ndarray) -> np.ndarray:
        n = len(coverage)
        before = np.where(rows > 0, coverage[np.maximum(rows - 1, 0)], 0.0)
        after = np.where(rows < n - 1, coverage[np.minimum(rows + 1, n - 1)], 0.0)
        same_before = (rows > 0) & (self._story_of[np.maximum(rows - 1, 0)] == self._story_of[rows])
        same_after = (rows < n - 1) & (self._story_of[np.minimum(rows + 1, n - 1)] == self._story_of[rows])
        return np.maximum(np.where(same_before, before, 0.0), np.where(same_after, after, 0.0))

    def _sentence_types(self, row: int, sentence: int) -> frozenset[str]:
        return answer_types(self.index.paragraphs.sentences(row)[sentence])

    def _highlight(self, query: Query, row: int, best: int) -> str:
        """The sentence that answers: the densest match, unless another sentence holds clearly
        more of the question's words (dense similarity alone favours sentences about the topic)."""
        sentences = self.index.paragraphs[row].sentences
        if len(sentences) == 1:
            return sentences[0]
        lo = int(self.index.sentence_offsets[row])
        sims = np.asarray(self.index.sentence_vectors[lo:lo + len(sentences)]) @ query.vector
        wanted = set(query.tokens)
        overlap = np.array([len(wanted & set(tokens(s))) / max(len(wanted), 1) for s in sentences])
        kind = query.cues.kind
        typed = np.array([kind is not None and kind in self._types(row, i) for i in range(len(sentences))])
        return sentences[int(np.argmax(sims + 0.3 * overlap + 0.05 * typed))]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def first_stage_sure(ranking_top: np.ndarray, skip_margin: float | None) -> bool:
    """Whether the first stage's best candidate leads the next (`ranking_top`: its best scores, best
    first) by enough that the reader only judges it instead of re-ordering the candidates."""
    return skip_margin is not None and len(ranking_top) > 1 and ranking_top[0] - ranking_top[1] >= skip_margin


def reader_inputs(logits: np.ndarray, first_stage: np.ndarray) -> np.ndarray:
    """The reader stage's answer-model inputs per candidate, in READER_INPUTS order."""
    n = len(logits)
    return np.column_stack([np.ones(n), logits, first_stage, logits.max() - logits])


def answer_inputs(scored: Scored, ranking: np.ndarray) -> np.ndarray:
    """The first-stage answer model's inputs per candidate, in ANSWER_INPUTS order."""
    n = len(ranking)
    return np.column_stack([
        np.ones(n), ranking, scored.answer_coverage, np.full(n, min(scored.absent_names, 1)),
        scored.missing_type.astype(np.float64), ranking.max() - ranking, np.full(n, float(scored.unknown_speaker)),
    ])


def _find(postings: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of `rows` are in `postings` (a token's paragraphs, which bm25s stores in ascending
    order), and where: `postings[at[i]] == rows[i]` wherever `found[i]`."""
    at = np.searchsorted(postings, rows)
    inside = at < len(postings)
    found = np.zeros(len(rows), dtype=bool)
    found[inside] = postings[at[inside]] == rows[inside]
    return found, at


def _holds(postings: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return _find(postings, rows)[0]


def _overlap(wanted: frozenset[str], speaker: frozenset[str]) -> bool:
    """Some word names the same one, allowing for word forms the stemmer keeps apart ("israel" / "isra")."""
    return any(a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))
               for a in wanted for b in speaker)


class _SpeakerTokens:
    """Row -> the stemmed words of the paragraph's speaker and of its role (empty for no speaker)."""

    def __init__(self, paragraphs: ParagraphTable) -> None:
        self._speaker, self._role = paragraphs.speaker, paragraphs.role
        self._speakers = [frozenset(tokens(s)) for s in paragraphs.speakers]
        self._roles = [frozenset(tokens(r)) for r in paragraphs.roles]

    def words(self, speaker: int, role: int) -> frozenset[str]:
        if speaker < 0:
            return frozenset()
        return self._speakers[speaker] | self._roles[role] if role >= 0 else self._speakers[speaker]

    def __getitem__(self, row: int) -> frozenset[str]:
        return self.words(int(self._speaker[row]), int(self._role[row]))

    def name(self, row: int) -> frozenset[str]:
        speaker = int(self._speaker[row])
        return self._speakers[speaker] if speaker >= 0 else frozenset()


def _model_dir(name: str) -> str | None:
    try:
        return resolve_model(name)
    except Exception:  # a model that cannot be resolved here has no vocabulary we can read
        return None


def validate_question(question: str) -> str:
    """Strip the question; refuse empty, absurdly long or non-text ones with a clear message."""
    if len(question or "") > MAX_QUESTION_CHARS:
        raise InputError(f"the question is too long ({len(question)} characters; at most {MAX_QUESTION_CHARS})")
    require_text(question or "", "question")
    if not normalise(question or "").strip():
        raise InputError("the question is empty; ask something about the story")
    return question.strip()
