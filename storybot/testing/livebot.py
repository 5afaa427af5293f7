"""The real Application as `storybot run` configures it, against the local Bot API over real HTTP.

`running_bot` polls with the test defaults; `live_bot` configures it exactly as `storybot run` does
(polling with the same allowed_updates, or a webhook server on 127.0.0.1). `GatedEngine` and
`LossyBotAPI` inject slow searches, failing searches and lost responses.
"""

from __future__ import annotations

import asyncio
import json
import socket
import tempfile
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from aiohttp import web
from telegram import Update
from telegram.ext import Application, TypeHandler

from storybot.bot.app import ALLOWED_UPDATES, build_application
from storybot.bot.service import StoryService
from storybot.settings import load_settings
from storybot.testing.botapi import FakeBotAPI, SentMessage

COUNT_QUESTION = "How many countries voted in favor of the resolution?"
OFF_TOPIC = "Who won the 2018 football world cup?"


def buttons(message: SentMessage) -> list[dict]:
    return [b for row in (message.reply_markup or {}).get("inline_keyboard", []) for b in row]


def button(message: SentMessage, text: str) -> str:
    [data] = [b["callback_data"] for b in buttons(message) if b["text"].startswith(text)]
    return data


def entities_of(message: SentMessage, kind: str) -> list[str]:
    raw = message.visible_text.encode("utf-16-le")
    return [raw[2 * e["offset"]: 2 * (e["offset"] + e["length"])].decode("utf-16-le")
            for e in message.entities if e["type"] == kind]


class RunningBot:
    """The in-process bot and its fake API, with a way to wait until an update is handled."""

    def __init__(self, api: FakeBotAPI, app: Application) -> None:
        self.api = api
        self.app = app
        self._handled: dict[int, asyncio.Event] = {}
        # Runs after the bot's own handlers (group 0) have finished with the update.
        app.add_handler(TypeHandler(Update, self._record), group=99)

    async def _record(self, update: Update, context) -> None:
        self._event(update.update_id).set()

    def _event(self, update_id: int) -> asyncio.Event:
        return self._handled.setdefault(update_id, asyncio.Event())

    async def handled(self, update: dict, timeout: float = 60) -> None:
        await asyncio.wait_for(self._event(update["update_id"]).wait(), timeout)

    def was_handled(self, update: dict) -> bool:
        """Whether `update` reached the bot (so far: updates arrive in order, so once a later one
        is handled, an earlier one that was not never will be)."""
        return self._event(update["update_id"]).is_set()

    async def send(self, push, *args, **kwargs) -> list[SentMessage]:
        """Push an update (api.push_message, push_callback_query …); return what the bot sent for it."""
        before = len(self.api.sent_messages())
        update = push(*args, **kwargs)
        await self.handled(update)
        return self.api.sent_messages()[before:]


    async def drain(self) -> None:
        """Stop polling and return once every update fetched so far has been handled."""
        if self.app.running:
            await self.app.updater.stop()
            await self.app.stop()


@asynccontextmanager
async def running_bot(engine, **settings) -> AsyncIterator[RunningBot]:
    """The real Application, polling a fresh fake Bot API; bot state (the database) in a temporary
    directory unless `data_dir` is given, never the checkout's data/."""
    with tempfile.TemporaryDirectory(prefix="storybot-bot-") as data_dir:
        async with _running_bot(engine, **{"data_dir": Path(data_dir), **settings}) as running:
            yield running


@asynccontextmanager
async def _running_bot(engine, **settings) -> AsyncIterator[RunningBot]:
    async with FakeBotAPI() as api:
        config = load_settings(telegram_bot_token=api.token, telegram_base_url=api.base_url,
                               **{"telegram_allowed_chats": [], **settings})
        app = build_application(config, StoryService(engine, top_k=config.top_k))
        running = RunningBot(api, app)
        async with app:
            await app.post_init(app)  # what run_polling does before polling
            await app.updater.start_polling(timeout=1)
            await app.start()
            try:
                yield running
            finally:
                await running.drain()


class GatedEngine:
    """The real engine, except that a question with "(slow)" waits for `release` and one with
    "(boom)" fails."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.index = engine.index
        self.threshold = engine.threshold
        self.release = threading.Event()

    def ask(self, question: str, **kwargs):
        if "(slow)" in question:
            assert self.release.wait(60)
        if "(boom)" in question:
            raise RuntimeError("the search fell over")
        return self.engine.ask(question, **kwargs)


class LossyBotAPI(FakeBotAPI):
    """A fake that can carry out a call and then lose the answer (drop the connection before
    responding), as when Telegram delivered a message but the response never arrived."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lose = Counter()  # method -> answers still to lose

    def lose_answer(self, method: str, count: int = 1) -> None:
        self.lose[method] += count

    async def _handle(self, request: web.Request) -> web.Response:
        response = await super()._handle(request)
        method = request.path.rsplit("/", 1)[-1]
        if self.lose[method] > 0:
            self.lose[method] -= 1
            request.transport.close()
        return response


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
    """The bot from storybot.bot.app.build_application with `settings`, polling (or serving a webhook on
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
