"""What the bot remembers per chat across restarts (which story a chat chose), in the database.

PTB's persistence hook with only `chat_data` stored: the search engine and other live objects
in `bot_data` are never written. The data live in storybot.storage (SQLite, or PostgreSQL shared
by every replica): each update reads its chat's row afresh, so a choice made through one replica
holds on all of them. A `chats.json` from older versions is imported on first start and renamed;
a damaged one is set aside with a warning instead of stopping the bot.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from storybot.storage import Storage

log = logging.getLogger(__name__)

CHAT_STATE_FILE = "chats.json"  # where versions before the database kept chat data


def migrate_chat_file(path: Path, storage: Storage) -> int:
    """Import `path` (a chats.json) into `storage` once, then rename it; how many chats were new.

    Chats the database already knows keep their stored data: another replica may have changed
    them since."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        chats = {int(chat): dict(data) for chat, data in raw.items() if data}
    except FileNotFoundError:
        return 0
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        damaged = path.with_name(path.name + ".damaged")
        log.warning("could not read %s (%s); starting without its chats, the file is kept as %s",
                    path, exc, damaged.name)
        with suppress(OSError):
            os.replace(path, damaged)
        return 0
    added = storage.add_chats(chats)
    os.replace(path, path.with_name(path.name + ".migrated"))
    log.info("moved %d chat(s) from %s into the database %s", added, path, storage.where)
    return added


class ChatStatePersistence(BasePersistence[dict, dict, dict]):
    """chat_data in `storage`; written whenever a chat's data changes (empty data is not kept)."""

    def __init__(self, storage: Storage, legacy_file: Path | None = None, update_interval: float = 60) -> None:
        super().__init__(PersistenceInput(bot_data=False, chat_data=True, user_data=False, callback_data=False),
                         update_interval=update_interval)
        self.storage = storage
        self.legacy_file = legacy_file
        # What the database held when last read or written: PTB also saves chats whose data did not
        # change, and such a write must not undo a change another replica made meanwhile.
        self._known: dict[int, dict] = {}

    async def get_chat_data(self) -> dict[int, dict]:
        if self.legacy_file is not None:
            await asyncio.to_thread(migrate_chat_file, self.legacy_file, self.storage)
        chats = await asyncio.to_thread(self.storage.chats)
        self._known = {chat: dict(data) for chat, data in chats.items()}
        return chats

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        if self._known.get(chat_id, {}) == data:
            return
        await asyncio.to_thread(self.storage.set_chat, chat_id, dict(data))
        self._known[chat_id] = dict(data)

    async def drop_chat_data(self, chat_id: int) -> None:
        await asyncio.to_thread(self.storage.set_chat, chat_id, {})
        self._known.pop(chat_id, None)

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        """Another replica may have changed the chat since: read its row before each update."""
        stored = await asyncio.to_thread(self.storage.chat, chat_id)
        self._known[chat_id] = dict(stored)
        chat_data.clear()
        chat_data.update(stored)

    async def flush(self) -> None:
        """Nothing to do: every change is written when it is made."""

    # Not stored (see PersistenceInput above); PTB requires the methods all the same.

    async def get_user_data(self) -> dict[int, dict]:
        return {}

    async def get_bot_data(self) -> dict:
        return {}

    async def get_callback_data(self) -> Any:
        return None

    async def get_conversations(self, name: str) -> dict:
        return {}

    async def update_conversation(self, name: str, key: Any, new_state: object | None) -> None:
        pass

    async def update_user_data(self, user_id: int, data: dict) -> None:
        pass

    async def update_bot_data(self, data: dict) -> None:
        pass

    async def update_callback_data(self, data: Any) -> None:
        pass

    async def drop_user_data(self, user_id: int) -> None:
        pass

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        pass

    async def refresh_bot_data(self, bot_data: dict) -> None:
        pass
