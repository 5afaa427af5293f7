"""Inline keyboards and their callback data.

Callback data must fit in 64 bytes, so a button carries a short token for an answer the bot
remembers (see bot.service.AnswerCache) plus the rank of the passage it is about:

    q:<token>:<rank>   show the quote at <rank> ("More quotes", "Back"; rank 0 is the first card)
    x:<token>:<rank>   show the context of the quote at <rank> ("Context")
    e:<n>              ask example question n (the /start buttons)
    s:<story id>       make <story id> the chat's story (/sources, /story)
    b:<story id>       make <story id> the chat's story and send its brief (/brief with several stories)

Anything else is forged or from another version of the bot; decode() returns None for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from storybot.index.models import StoryInfo

MAX_CALLBACK_BYTES = 64
STORY_DATA = re.compile(r"(?P<action>[sb]):(?P<story>[A-Za-z0-9][A-Za-z0-9_-]{0,39})")  # story ids are short file stems
MAX_BUTTON_TEXT = 100  # longer titles are cut with "…" (clients also shorten to the width)
_DATA = re.compile(r"(?P<action>[qx]):(?P<token>[A-Za-z0-9_-]{1,32}):(?P<rank>\d{1,3})|e:(?P<example>\d{1,2})")


@dataclass(frozen=True)
class Press:
    """A decoded button press."""

    action: Literal["quote", "context", "example"]
    token: str = ""
    rank: int = 0


def encode(press: Press) -> str:
    if press.action == "example":
        data = f"e:{press.rank}"
    else:
        data = f"{'q' if press.action == 'quote' else 'x'}:{press.token}:{press.rank}"
    assert len(data.encode()) <= MAX_CALLBACK_BYTES, data
    return data


def decode(data: str | None) -> Press | None:
    """The press `data` stands for, or None when it is not one of ours."""
    match = _DATA.fullmatch(data or "")
    if not match:
        return None
    if match["example"] is not None:
        return Press("example", rank=int(match["example"]))
    return Press("quote" if match["action"] == "q" else "context", match["token"], int(match["rank"]))


def _button(text: str, press: Press) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=encode(press))


def quote_keyboard(token: str, rank: int, previous_rank: int | None, next_rank: int | None) -> InlineKeyboardMarkup:
    """Under a quote: "Back" (on further quotes), "More quotes" (when there are more), "Context"."""
    row = []
    if previous_rank is not None:
        row.append(_button("‹ Back", Press("quote", token, previous_rank)))
    if next_rank is not None:
        row.append(_button("More quotes ›", Press("quote", token, next_rank)))
    row.append(_button("Context", Press("context", token, rank)))
    return InlineKeyboardMarkup([row])


def context_keyboard(token: str, rank: int, next_rank: int | None) -> InlineKeyboardMarkup:
    """Under a context view: back to the quote, and on to more quotes."""
    row = [_button("‹ Back", Press("quote", token, rank))]
    if next_rank is not None:
        row.append(_button("More quotes ›", Press("quote", token, next_rank)))
    return InlineKeyboardMarkup([row])


def examples_keyboard(examples: list[str]) -> InlineKeyboardMarkup | None:
    """One button per example question (the button text is the question)."""
    if not examples:
        return None
    return InlineKeyboardMarkup([[_button(q, Press("example", rank=i))] for i, q in enumerate(examples)])


@dataclass(frozen=True)
class StoryPress:
    """A press on a story button: choose `story` for the chat, and send its brief when `brief`."""

    story: str
    brief: bool


def stories_keyboard(stories: list[StoryInfo], *, brief: bool, chosen: str | None = None) -> InlineKeyboardMarkup:
    """One button per story (its title, ✓ on the chat's story); pressing one chooses it."""
    rows = []
    for story in stories:
        title = story.title if len(story.title) <= MAX_BUTTON_TEXT else story.title[:MAX_BUTTON_TEXT - 1].rstrip() + "…"
        data = f"{'b' if brief else 's'}:{story.id}"
        assert len(data.encode()) <= MAX_CALLBACK_BYTES, data
        rows.append([InlineKeyboardButton(("✓ " if story.id == chosen else "") + title, callback_data=data)])
    return InlineKeyboardMarkup(rows)


def decode_story(data: str | None) -> StoryPress | None:
    match = STORY_DATA.fullmatch(data or "")
    return StoryPress(match["story"], match["action"] == "b") if match else None
