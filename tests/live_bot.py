"""The real Application as `storybot run` configures it (polling with the same allowed_updates, or a
webhook server), against a fake Bot API over real HTTP — for the reliability, hostile-input and
security tests."""

from __future__ import annotations

import asyncio
import json
import socket
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bot.app import ALLOWED_UPDATES, build_application
from bot.service import StoryService
from bot.settings import load_settings
from fake_botapi import FakeBotAPI, SentMessage
from test_bot_e2e import RunningBot

WEBHOOK_SECRET = "hook-Secret_0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveBot(RunningBot):
    """RunningBot plus what these tests need: the service, the webhook, waiting on counts."""

    webhook_url: str | None = None

    @property
    def service(self) -> StoryService:
        return self.app.bot_data["service"]

    async def post(self, update: dict, secret: str | None = WEBHOOK_SECRET, *, body: bytes | None = None) -> int:
        """POST `update` to the bot's webhook as Telegram would; return the HTTP status."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        async with httpx.AsyncClient() as client:
            response = await client.post(self.webhook_url, content=body or json.dumps(update).encode(),
                                         headers=headers, timeout=30)
        return response.status_code

    async def until(self, condition: Callable[[], bool], timeout: float = 60, what: str = "condition") -> None:
        """Poll `condition` cheaply (a wait_for predicate would rescan every call on every call)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            if loop.time() > deadline:
                raise TimeoutError(f"{what} not met within {timeout}s")
            await asyncio.sleep(0.05)

    def replies(self, chat_id: int | None = None) -> list[SentMessage]:
        return [m for m in self.api.sent_messages(chat_id) if m.method == "sendMessage"]


@asynccontextmanager
async def live_bot(engine, *, api: FakeBotAPI | None = None, webhook: bool = False,
                   **settings) -> AsyncIterator[LiveBot]:
    """The bot from bot.app.build_application with `settings`, polling (or serving a webhook on
    127.0.0.1) against `api` (a fresh FakeBotAPI by default); stopped and drained on exit."""
    api = api or FakeBotAPI()
    # Bot state (chat persistence) goes to a temporary directory, never the repository's data/.
    with tempfile.TemporaryDirectory(prefix="storybot-live-") as data_dir:
        async with api:
            config = load_settings(telegram_bot_token=api.token, telegram_base_url=api.base_url,
                                   **{"telegram_allowed_chats": [], "data_dir": Path(data_dir), **settings})
            app = build_application(config, StoryService(engine, top_k=config.top_k))
            bot = LiveBot(api, app)
            async with app:
                await app.post_init(app)
                if webhook:
                    port = free_port()
                    bot.webhook_url = f"http://127.0.0.1:{port}/telegram/hook"
                    await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="telegram/hook",
                                                    webhook_url=bot.webhook_url, secret_token=WEBHOOK_SECRET,
                                                    allowed_updates=ALLOWED_UPDATES)
                else:
                    await app.updater.start_polling(timeout=1, allowed_updates=ALLOWED_UPDATES)
                await app.start()
                try:
                    yield bot
                finally:
                    await bot.drain()
