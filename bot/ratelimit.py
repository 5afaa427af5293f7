"""Per-user rate limit, so one user cannot keep the bot busy for everyone else.

Each user (or, for anonymous group admins and channels, the sending chat) has a bucket of
`per_minute` requests that refills continuously at `per_minute` a minute: a burst of questions
is fine, a steady stream faster than that is not. Counted is what makes the bot work: any
message in a private chat, group messages addressed to the bot (commands, mentions, replies to
it), button presses and inline queries; group chatter the bot ignores anyway is not counted.

Over the limit the bot says "slow down" once — with how long to wait — and then stays silent
until the user may ask again: further messages get nothing, inline queries get no results, and
button presses get an empty answer so the button stops spinning. The next time the user runs
over, they are told again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from telegram import Chat, Message, MessageEntity, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from storybot.bot import render
from storybot.bot.chat import addressed_question
from storybot.bot.entities import entity_text

MAX_TRACKED = 10_000  # above this many users, those whose bucket is full again are forgotten


@dataclass
class _Bucket:
    tokens: float
    updated: float
    told: bool = False


class UserRateLimit:
    """A handler for group -1 (before the real ones): lets counted updates through while the
    user has budget, stops them otherwise."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def take(self, key: int) -> tuple[bool, bool, int]:
        """Spend one request of `key`'s budget: (allowed, tell them to slow down, seconds to wait)."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED:
                self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.told = False
            return True, False, 0
        tell, bucket.told = not bucket.told, True
        return False, tell, max(1, math.ceil((1 - bucket.tokens) / self.rate))

    def _forget_idle(self, now: float) -> None:
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.updated) * self.rate >= self.capacity]
        for key in full:
            del self._buckets[key]

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        key = _requester(update, context)
        if key is None:
            return
        allowed, tell, wait = self.take(key)
        if allowed:
            return
        text = f"Please slow down — I can take your next question in {wait} seconds."
        with suppress(TelegramError):
            if update.callback_query:
                await update.callback_query.answer(text if tell else None)
            elif tell and update.message:
                await update.message.reply_html(render.notice(text))
        raise ApplicationHandlerStop


def _requester(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """Whose budget `update` spends, or None when it costs nothing (see the module docstring)."""
    if update.callback_query or update.inline_query:
        return update.effective_user.id if update.effective_user else None
    message = update.message
    if message is None:
        return None  # edited messages, membership changes …: the bot does not act on them
    if message.chat.type != Chat.PRIVATE and not _addressed(message, context):
        return None
    sender = message.sender_chat or message.from_user
    return sender.id if sender else None


def _addressed(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A group message the bot acts on: a command for it, a mention of it, a reply to it."""
    bot = context.bot
    command = next((e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0), None)
    if command is not None:
        _, _, target = entity_text(message.text or "", command).partition("@")
        return not target or target.lower() == bot.username.lower()
    return addressed_question(message, bot.id, bot.username) is not None
