"""What the bot remembers per chat across restarts (which story a chat chose), in a JSON file.

PTB's persistence hook with only `chat_data` stored: the search engine and other live objects
in `bot_data` are never written. The file is small and readable ({"<chat id>": {"story": "..."}}),
is replaced atomically, so a crash mid-write leaves the previous version, and a damaged file is
set aside with a warning instead of stopping the bot.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

log = logging.getLogger(__name__)

CHAT_STATE_FILE = "chats.json"


class ChatStatePersistence(BasePersistence[dict, dict, dict]):
    """chat_data as JSON in `path`; written whenever a chat's data changes (empty data is not kept)."""

    def __init__(self, path: Path, update_interval: float = 60) -> None:
        super().__init__(PersistenceInput(bot_data=False, chat_data=True, user_data=False, callback_data=False),
                         update_interval=update_interval)
        self.path = path
        self._chats: dict[int, dict] | None = None

    def _load(self) -> dict[int, dict]:
        if self._chats is None:
            self._chats = {}
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                self._chats = {int(chat): dict(data) for chat, data in raw.items() if data}
            except FileNotFoundError:
                pass
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                damaged = self.path.with_name(self.path.name + ".damaged")
                log.warning("could not read %s (%s); starting without remembered chats, the file is kept as %s",
                            self.path, exc, damaged.name)
                with suppress(OSError):
                    os.replace(self.path, damaged)
        return self._chats

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({str(chat): data for chat, data in sorted(self._load().items())},
                             ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(payload)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def get_chat_data(self) -> dict[int, dict]:
        return {chat: dict(data) for chat, data in self._load().items()}

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        chats = self._load()
        if chats.get(chat_id, {}) == data:
            return
        if data:
            chats[chat_id] = dict(data)
        else:
            chats.pop(chat_id, None)
        self._save()

    async def drop_chat_data(self, chat_id: int) -> None:
        if self._load().pop(chat_id, None) is not None:
            self._save()

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        """Nothing to do: this process is the only writer, so memory is always current."""

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
