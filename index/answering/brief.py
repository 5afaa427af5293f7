"""A story's key points for a group chat: 3–6 verbatim sentences, in story order, chosen without a model.

What a news editor would pick, by the story's own structure:
  * the lede (the first paragraph's first sentence),
  * the paragraphs the story itself labels as context — "The big picture:", "Catch up quick:",
    "Behind the scenes:", "What they're saying:" … (a short capitalised label ending in a colon),
  * what each side says: the first quoted or attributed paragraph of each speaker not heard yet,
  * then, if fewer than three points, the earliest remaining paragraphs.
Links and teasers ("Go deeper: …" with no full stop) are not points. The brief stays within one
Telegram message (4096 characters, header and attributions included).
"""

from __future__ import annotations

import re

from storybot.index.language import lexicon as lx
from storybot.index.errors import InputError
from storybot.index.checking.mentions import speaker_mention
from storybot.index.models import Brief, Paragraph, Passage, StoryInfo
from storybot.index.answering.search import Engine

MIN_POINTS, MAX_POINTS = 3, 6
MAX_CHARS = 3200  # the points' text; header and attributions take the rest of Telegram's 4096
_LABEL = re.compile(r"^(?P<label>[A-Z][^:.!?\"“]{1,40}):\s+\S")
_SPEECH_VERBS = {"said", "says", "told", "tells", "wrote", "writes", "tweeted", "added", "stated", "reads"}
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_QUOTE = re.compile(r"[\"“”]")


def story_choice(engine: Engine, source: str | None) -> StoryInfo:
    """The story a brief is about: `source`, or the only story; several stories and no choice is an error."""
    stories = engine.index.stories
    if source is not None:
        if source not in stories:
            known = ", ".join(sorted(stories)[:10])
            raise InputError(f"no story with id {source!r} (known: {known})")
        return stories[source]
    if len(stories) == 1:
        return next(iter(stories.values()))
    raise InputError("there are several stories; choose one with --source ID: "
                     + "; ".join(f"{s.id} ({s.title})" for s in sorted(stories.values(), key=lambda s: s.id)))


def make_brief(engine: Engine, source: str | None = None) -> Brief:
    """The key points of story `source` (or the only story)."""
    story = story_choice(engine, source)
    first, end = engine.index.story_ranges[story.id]
    paragraphs = [engine.index.paragraphs[row] for row in range(first, end)]
    chosen = _choose(paragraphs)
    points = [
        Passage(source=story.id, title=story.title, outlet=story.outlet, paragraph=p.number, text=p.text,
                highlight=sentence, speaker=p.speaker, score=round(score, 2))
        for p, sentence, score in sorted(chosen, key=lambda c: c[0].number)
    ]
    return Brief(source=story.id, title=story.title, outlet=story.outlet, points=points)


def _choose(paragraphs: list[Paragraph]) -> list[tuple[Paragraph, str, float]]:
    usable = [p for p in paragraphs if _is_statement(p)]
    chosen: list[tuple[Paragraph, str, float]] = []
    used = 0

    def take(p: Paragraph, score: float) -> bool:
        nonlocal used
        sentence = _point_sentence(p)
        if len(chosen) >= MAX_POINTS or any(c[0].number == p.number for c in chosen):
            return False
        if used + len(sentence) > MAX_CHARS and len(chosen) >= MIN_POINTS:
            return False
        chosen.append((p, sentence, score))
        used += len(sentence)
        return True

    if usable:
        take(usable[0], 1.0)  # the lede
    for p in usable[1:]:
        if _labelled(p):
            take(p, 0.8)
    heard = {key for c in chosen[1:] for key in _side(c[0])}
    for p in usable:
        sides = _side(p)
        if sides and not sides & heard and (_QUOTE.search(p.text) or p.speaker):
            if take(p, 0.6):
                heard |= sides
    for p in usable:
        if len(chosen) >= MIN_POINTS:
            break
        take(p, 0.4)
    return chosen


def _labelled(p: Paragraph) -> bool:
    """ "The big picture: …", "What they're saying: …" — but not "Netanyahu's office told Axios: …"."""
    m = _LABEL.match(p.text)
    if m is None:
        return False
    words = m.group("label").split()
    return len(words) <= 5 and not any(w[:1].isupper() for w in words[1:]) and words[-1].lower() not in _SPEECH_VERBS


def _is_statement(p: Paragraph) -> bool:
    """A paragraph that says something: ends like a sentence (a "Go deeper: …" link does not)."""
    return bool(_SENTENCE_END.search(p.text)) and len(p.text.split()) >= 6


def _point_sentence(p: Paragraph) -> str:
    """The paragraph's first sentence: where news writing puts the point (and the label, if any).

    A quotation the sentence opens is followed to its close, sentence by sentence, so a point never
    stops mid-quote; a quote still open at the paragraph's end (news style for one that runs on into
    the next paragraph) makes the point the rest of the paragraph — whole sentences either way."""
    start = p.text.find(p.sentences[0])
    if start < 0:  # sentences are verbatim pieces of the text; this guards a hand-made Paragraph
        return p.sentences[0]
    end = start
    for sentence in p.sentences:
        found = p.text.find(sentence, end)
        if found < 0:
            break
        end = found + len(sentence)
        if not _quote_open(p.text[start:end]):
            return p.text[start:end]
    return p.text[start:].rstrip()


def _quote_open(text: str) -> bool:
    """Whether a quotation is left open: “ opens, ” closes, and a straight " closes an open quote (stories
    mix the two: “…," ) or else opens one. Single quotes are left out: ’ is also the apostrophe."""
    depth = 0
    for mark in _QUOTE.findall(text):
        if mark == "“":
            depth += 1
        elif mark == "”":
            depth = max(depth - 1, 0)
        else:
            depth = depth - 1 if depth else 1
    return depth > 0


def _side(p: Paragraph) -> frozenset[str]:
    """Who is speaking, as the names that identify a side ("the Ukrainian official" → ukrainian)."""
    m = speaker_mention(p.speaker)
    if m is None:
        return frozenset()
    if m.names:
        return frozenset(_fold(n) for n in m.names)
    return frozenset(lx.lemma_stem(r) for r in m.roles)


def _fold(name: str) -> str:
    """One key for "Israel"/"Israeli", "Ukraine"/"Ukrainian": the shortest form the demonym rule accepts."""
    for cut in range(4, len(name) + 1):
        if lx.same_name(name[:cut], name):
            return name[:cut]
    return name
