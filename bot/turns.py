"""One update at a time per chat, in the order Telegram sent them.

Private answers are not replies, so a user who sends three questions must get three answers in
the order asked; and a chat that sends many questions at once (or one whose searches are slow)
should occupy one search thread, not all of them, while other chats are served.

Taking turns inside a handler is too late: before any handler runs, PTB reads the chat's data
from the database in a worker thread (persistence.refresh_chat_data), and those reads finish in
any order under load. So the turn is taken when the update enters the application, before
anything awaits: updates in one chat are processed in arrival order, different chats never
wait for each other, and updates without a chat (inline queries) are not held up at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class ChatTurns:
    """A FIFO lock per chat that exists only while someone holds it or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # chat id -> (lock, holders + waiters)

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class ChatOrderedUpdates(BaseUpdateProcessor):
    """Up to `max_concurrent_updates` updates at once, but one at a time within a chat."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self.turns = ChatTurns()

    async def process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        # The chat's turn is queued for before the concurrency limit: PTB starts each update's task
        # in arrival order and this is its first await, so the FIFO lock records arrival order even
        # when a burst has more updates waiting than the limit admits.
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await super().process_update(update, coroutine)
            return
        async with self.turns.turn(chat.id):
            await super().process_update(update, coroutine)

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
