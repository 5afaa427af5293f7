"""What the bot's handlers need from the index, with the search kept off the event loop.

Also decides what an answer shows: the best passage, further passages only when they answer
too (and almost as well), the closest passage of a non-answer only when it is near enough to be
worth a look, and remembers recent answers so their buttons work.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from threading import Lock
from typing import Callable, Iterator

import numpy as np

from storybot.index.answering.brief import make_brief
from storybot.index.checking.check import Checker
from storybot.index.errors import StorybotError
from storybot.index.models import Answer, Brief, ClaimCheck, Paragraph, Passage, StoryInfo
from storybot.index.answering.search import Engine
from storybot.index.storage.table import ParagraphTable

log = logging.getLogger(__name__)

DEPTH = 8  # passages fetched per question: what "More quotes" can page through
EXTRA_MARGIN = 0.08  # a further passage joins the first card only this close to the best score
CLOSEST_FLOOR = 0.7  # × threshold: below this the closest passage of a non-answer is not shown
MAX_EXAMPLES = 3
SPEAKER_PARAGRAPHS = 200  # example questions come from the first paragraphs with a speaker, not all of an archive
STORY_KEY = "story"  # chat_data key: the story a chat chose with /story (kept across restarts)


@dataclass(frozen=True)
class Asked:
    """A question and its answer, as the cards and buttons present it."""

    answer: Answer
    threshold: float
    first_page: int  # passages on the first card (0: a non-answer with nothing close)
    source: str | None = None  # the one story searched (the chat's choice), None: every story

    @property
    def total(self) -> int:
        return len(self.answer.passages) if self.answer.answered else self.first_page

    def answers(self, rank: int) -> bool:
        """Whether the passage at `rank` answers the question (and may be shown in bold)."""
        return self.answer.answered and self.answer.passages[rank].score >= self.threshold

    def next_rank(self, rank: int) -> int | None:
        """The rank "More quotes" leads to from the card showing `rank`."""
        following = self.first_page if rank == 0 else rank + 1
        return following if following < self.total else None

    def previous_rank(self, rank: int) -> int | None:
        """The rank "Back" leads to from the card showing `rank` (the first card is rank 0)."""
        if rank == 0:
            return None
        return 0 if rank - 1 < self.first_page else rank - 1


def present(answer: Answer, threshold: float, top_k: int) -> Asked:
    """Decide how many passages the first card shows."""
    passages = answer.passages
    if not passages:
        return Asked(answer, threshold, 0)
    if not answer.answered:
        return Asked(answer, threshold, 1 if passages[0].score >= CLOSEST_FLOOR * threshold else 0)
    best = passages[0].score
    shown = 1
    while (shown < min(top_k, len(passages)) and passages[shown].score >= threshold
           and passages[shown].score >= best - EXTRA_MARGIN):
        shown += 1
    return Asked(answer, threshold, shown)


class AnswerCache:
    """Recent answers by short random token (what buttons carry); the oldest are forgotten."""

    def __init__(self, size: int = 4096) -> None:
        self._items: OrderedDict[str, Asked] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def put(self, asked: Asked) -> str:
        token = secrets.token_urlsafe(6)
        with self._lock:
            self._items[token] = asked
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> Asked | None:
        with self._lock:
            asked = self._items.get(token)
            if asked is not None:
                self._items.move_to_end(token)
            return asked


class StoryService:
    """The engine as the bot uses it: asynchronous questions, story metadata, example questions."""

    def __init__(self, engine: Engine, *, top_k: int = 3, examples: list[str] | None = None) -> None:
        self.engine = engine
        self.top_k = top_k
        self.cache = AnswerCache()
        self.examples = pick_examples(engine, examples or [])
        self._checker: Checker | None = None
        # Keeps a declined question (question, story) for `storybot gaps`; None: not kept.
        self.record_declined: Callable[[str, str | None], None] | None = None

    async def ask(self, question: str, *, source: str | None = None, record: bool = False) -> Asked:
        """Answer `question` (from story `source`, or all) in a worker thread, so other chats are served meanwhile.

        With `record`, a question the story does not answer is kept (without who asked): what
        readers wanted that the story did not say."""
        engine = self.engine  # one engine for the whole question, even if it is swapped meanwhile
        answer = await asyncio.to_thread(engine.ask, question, top_k=max(DEPTH, self.top_k), source=source)
        if record and not answer.answered and self.record_declined is not None:
            try:
                await asyncio.to_thread(self.record_declined, question, source)
            except Exception as exc:  # the reader still gets the answer
                log.warning("could not record a declined question: %s", exc)
        return replace(present(answer, engine.threshold, self.top_k), source=source)

    async def check(self, claim: str, *, source: str | None = None) -> ClaimCheck:
        """The verdict on `claim`, worked out in a worker thread."""
        checker = self._checker
        if checker is None or checker.engine is not self.engine:  # a new index build: fresh statistics
            checker = self._checker = Checker(self.engine)
        return await asyncio.to_thread(checker.check, claim, source=source)

    async def brief(self, source: str | None) -> Brief:
        """The key points of story `source` (or the only story), in a worker thread."""
        return await asyncio.to_thread(make_brief, self.engine, source)

    def story(self, story_id: str | None) -> StoryInfo | None:
        return self.engine.index.stories.get(story_id) if story_id else None

    def story_of(self, chat_data: Mapping[str, object] | None) -> str | None:
        """The story a chat chose with /story while the index still has it; None: every story."""
        chosen = (chat_data or {}).get(STORY_KEY)
        return chosen if isinstance(chosen, str) and chosen in self.engine.index.stories else None

    def chosen_title(self, asked: Asked) -> str | None:
        """The title of the one story `asked` searched, when there are others it did not search."""
        story = self.engine.index.stories.get(asked.source) if asked.source and self.several_stories else None
        return story.title if story else None

    def stories(self) -> list[StoryInfo]:
        return sorted(self.engine.index.stories.values(), key=lambda s: s.title.lower())

    def url(self, story_id: str) -> str | None:
        story = self.engine.index.stories.get(story_id)
        return story.url if story else None

    @property
    def several_stories(self) -> bool:
        return len(self.engine.index.stories) > 1

    def neighbours(self, passage: Passage) -> tuple[Paragraph | None, Paragraph | None]:
        """The paragraphs before and after `passage` in its story (None at either end)."""
        index = self.engine.index
        return index.paragraph(passage.source, passage.paragraph - 1), index.paragraph(passage.source, passage.paragraph + 1)


def pick_examples(engine: Engine, configured: list[str]) -> list[str]:
    """Up to three example questions the index really answers, each quoting a different paragraph.

    The configured ones come first; then questions about the stories' own speakers ("What did
    the Ukrainian official say?"), kept only when the answer quotes that speaker, and one per
    speaker, so the examples show different sides of the story.
    """
    chosen: list[str] = []
    quoted: set[tuple[str, int]] = set()
    speakers_done: set[str] = set()

    def consider(question: str, speaker: str | None) -> None:
        if speaker and _speaker_key(speaker) in speakers_done:
            return
        try:
            answer = engine.ask(question, top_k=1)
        except StorybotError:
            return
        if not answer.answered:
            return
        top = answer.passages[0]
        if (top.source, top.paragraph) in quoted:
            return
        if speaker and _speaker_key(top.speaker or "") != _speaker_key(speaker):
            return
        quoted.add((top.source, top.paragraph))
        if speaker:
            speakers_done.add(_speaker_key(speaker))
        chosen.append(question)

    for question in configured:
        consider(question, None)
    for question, speaker in _speaker_questions(engine.index.paragraphs):
        if len(chosen) >= MAX_EXAMPLES:
            break
        consider(question, speaker)
    return chosen[:MAX_EXAMPLES]


_SPEECH_VERBS = {"said": "say", "says": "say", "told": "tell", "tweeted": "tweet", "wrote": "write",
                 "added": "add", "stated": "state", "announced": "announce", "posted": "post",
                 "claimed": "claim", "warned": "warn", "explained": "explain"}


def _speaker_questions(paragraphs: ParagraphTable) -> Iterator[tuple[str, str]]:
    """("What did <speaker> <verb>?", speaker) for paragraphs where a named speaker speaks, in index
    order, each question once; read lazily from the first SPEAKER_PARAGRAPHS paragraphs with a speaker."""
    seen: set[str] = set()
    for row in np.flatnonzero(paragraphs.speaker >= 0)[:SPEAKER_PARAGRAPHS].tolist():
        speaker, text = paragraphs.speaker_of(row), paragraphs.text(row)
        if not speaker:
            continue
        match = re.search(re.escape(speaker) + r"\s+(?:had\s+|has\s+)?(\w+)(?:\s+([A-Z]\w+))?", text)
        if not match or match.group(1) not in _SPEECH_VERBS:
            continue
        verb = _SPEECH_VERBS[match.group(1)]
        if verb == "tell" and match.group(2):
            verb += f" {match.group(2)}"  # "tell Axios"
        question = f"What did {speaker} {verb}?"
        if question not in seen:
            seen.add(question)
            yield question, speaker


def _speaker_key(speaker: str) -> str:
    """"a Ukrainian official", "the Ukrainian official", "Ukrainian officials" are one speaker."""
    words = [w for w in speaker.lower().split() if w not in ("a", "an", "the")]
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)
