"""One question at a time per chat.

Private answers are not replies, so a user who sends three questions must get three answers in
the order asked; and a chat that sends many questions at once (or one whose searches are slow)
should occupy one search thread, not all of them, while other chats are served. Questions in the
same chat therefore take turns; different chats never wait for each other.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


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
