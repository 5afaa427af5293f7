"""Token hygiene, the allowlist, the webhook secret and the per-user rate limit, over real HTTP."""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
from urllib.parse import quote

import pytest

from storybot.bot.app import RATE_LIMIT_GROUP, bot_token, check_connection
from storybot.bot.logs import configure_logging
from storybot.settings import load_settings
from storybot.testing.paths import ROOT, SOURCES
from storybot.testing.botapi import FakeBotAPI
from storybot.index.errors import StorybotError
from storybot.testing.livebot import WEBHOOK_SECRET, free_port, live_bot
from storybot.testing.livebot import COUNT_QUESTION, GatedEngine
from storybot.testing.livebot import LossyBotAPI

TOKEN = "7654321:AAH-SeCrEt_t0ken-value-Zz"
SECRET_PART = TOKEN.split(":")[1]
SLOW_DOWN = "Please slow down"


def leaks(text: str) -> list[str]:
    return [form for form in (TOKEN, SECRET_PART, quote(TOKEN, safe="")) if form in text]


class LeakyEngine(GatedEngine):
    """Fails on "(leak)" with an error whose message carries the token, as a library error
    quoting a request URL would."""

    base_url = ""

    def ask(self, question: str, **kwargs):
        if "(leak)" in question:
            raise RuntimeError(f"POST {self.base_url}{TOKEN}/sendMessage failed")
        return super().ask(question, **kwargs)


@pytest.fixture
def saved_logging():
    """configure_logging rewires the root logger: put everything back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "apscheduler", "telegram")}
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


# ---------------------------------------------------------------------------------------------
# The token never appears in a log line or an error message


async def test_no_log_line_at_debug_shows_the_token(engine, saved_logging):
    """A full session with everything logging at DEBUG — httpx and httpcore (which log every
    request URL), telegram, tracebacks of a failing handler and of network errors — through the
    handler `storybot run` installs."""
    api = LossyBotAPI(token=TOKEN)
    handler = configure_logging([TOKEN, SECRET_PART, WEBHOOK_SECRET], level=logging.DEBUG)
    captured = io.StringIO()
    handler.setStream(captured)
    for name in ("", "httpx", "httpcore", "telegram", "apscheduler"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    leaky = LeakyEngine(engine)
    async with live_bot(leaky, api=api) as bot:
        leaky.base_url = api.base_url
        [card] = await bot.send(api.push_message, "/start")
        [answer] = await bot.send(api.push_message, COUNT_QUESTION)
        data = answer.reply_markup["inline_keyboard"][0][-1]["callback_data"]
        await bot.send(api.push_callback_query, data, answer.message_dict)
        await bot.handled(api.push_inline_query("countries in favor"))
        [apology] = await bot.send(api.push_message, "(leak)")
        api.fail("sendMessage", 502, count=1)  # retried
        await bot.send(api.push_message, COUNT_QUESTION, user_id=2)
        api.flood("sendMessage", retry_after=1, count=1)  # waited out
        await bot.send(api.push_message, COUNT_QUESTION, user_id=3)
        api.lose_answer("sendMessage")  # lost answer: a warning with the error
        await bot.handled(api.push_message(COUNT_QUESTION, user_id=4))
        api.refuse_connections(1.5)  # polling fails and recovers
        await bot.send(api.push_message, COUNT_QUESTION, user_id=5)
    log = captured.getvalue()
    # The session really logged what could leak: request URLs, bodies, tracebacks.
    assert "HTTP Request: POST http://127.0.0.1" in log and "/bot[REDACTED]/sendMessage" in log
    assert "Traceback" in log and "RuntimeError: POST http://127.0.0.1" in log
    assert "retrying in" in log and "could not reply" in log
    assert leaks(log) == []
    sent = [m.text or "" for m in api.sent_messages()] + [str(c.params) for c in api.calls]
    assert leaks("\n".join(sent)) == []
    assert apology.visible_text.startswith("Sorry")


@pytest.mark.slow
def test_storybot_run_at_debug_never_prints_the_token(bot_index_dir, tmp_path):
    """`storybot run` itself at STORYBOT_LOG_LEVEL=DEBUG, through network errors and flood control."""
    with FakeBotAPI(token=TOKEN) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYBOT_", "TELEGRAM_"))}
        env.update(HF_HUB_OFFLINE="1", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url,
                   STORYBOT_LOG_LEVEL="DEBUG", STORYBOT_DATA_DIR=str(bot_index_dir.parent / "data"))
        output = (tmp_path / "output").open("w+")  # DEBUG is a lot: a file, not a pipe that could fill up
        process = subprocess.Popen(
            [sys.executable, "-m", "storybot", "run", "--sources", str(SOURCES), "--index", str(bot_index_dir)],
            cwd=ROOT, env=env, stdout=output, stderr=output)
        try:
            api.wait_for_sync("setMyCommands", timeout=240)
            api.fail("sendMessage", 502, count=1)
            api.push_message(COUNT_QUESTION)
            api.wait_for_sync("sendMessage", timeout=60)
            api.flood("sendMessage", retry_after=1, count=1)
            api.push_message(COUNT_QUESTION, user_id=2)
            api.wait_for_sync("sendMessage", count=2, timeout=60)
            api.refuse_connections(1.5)
            api.push_message(COUNT_QUESTION, user_id=3)
            api.wait_for_sync("sendMessage", count=3, timeout=60)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    log = (tmp_path / "output").read_text()
    assert process.returncode == 0, log
    assert "HTTP Request: POST" in log and "[REDACTED]" in log  # DEBUG really was on, httpx included
    assert "retrying in" in log and "could not reach the Bot API" in log  # the 502, the refused connections
    assert leaks(log) == []


@pytest.fixture(scope="module")
def bot_index_dir(tmp_path_factory, embedder):
    from storybot.index.storage.store import build_index

    index_dir = tmp_path_factory.mktemp("security-index")
    build_index(SOURCES, index_dir, embedder)
    return index_dir


def test_error_messages_never_show_the_token():
    closed = free_port()  # nothing listens there
    for base_url in (f"http://127.0.0.1:{closed}/bot", f"http://127.0.0.1:{closed}/bot{TOKEN}/"):
        settings = load_settings(telegram_bot_token=TOKEN, telegram_base_url=base_url)
        with pytest.raises(StorybotError) as error:
            check_connection(settings)
        assert "cannot reach the Bot API" in str(error.value) and leaks(str(error.value)) == []
    with FakeBotAPI(token="1:other") as api:
        for token in (TOKEN, f"  {TOKEN}\n"):
            with pytest.raises(StorybotError) as error:
                check_connection(load_settings(telegram_bot_token=token, telegram_base_url=api.base_url))
            assert str(error.value) == "Telegram rejected TELEGRAM_BOT_TOKEN; copy the token from @BotFather again"
    assert bot_token(load_settings(telegram_bot_token=f"  {TOKEN}\n")) == TOKEN
    assert TOKEN not in repr(load_settings(telegram_bot_token=TOKEN))


# ---------------------------------------------------------------------------------------------
# Allowlist


async def test_allowlist_covers_messages_buttons_and_inline_queries(engine):
    async with live_bot(engine, telegram_allowed_chats=[1001, -4_001_001]) as bot:
        api = bot.api
        [card] = await bot.send(api.push_message, COUNT_QUESTION)
        context_button = card.reply_markup["inline_keyboard"][0][-1]["callback_data"]
        # A stranger's private message (told once), group message, button and inline query.
        api.push_message(COUNT_QUESTION, user_id=4004)
        api.push_message(COUNT_QUESTION, user_id=4004)
        api.push_message(f"/ask {COUNT_QUESTION}", chat_type="supergroup", user_id=1001)
        stranger_card = dict(card.message_dict, chat={"id": 4004, "type": "private", "first_name": "X"})
        api.push_callback_query(context_button, stranger_card, user_id=4004)
        api.push_callback_query(context_button, inline_message_id="shared-card", user_id=4004)
        api.push_inline_query(COUNT_QUESTION, user_id=4004)
        # Meanwhile the listed chats are served, buttons included.
        await bot.handled(api.push_message(f"/ask {COUNT_QUESTION}", chat_type="group", user_id=4004))
        await bot.handled(api.push_callback_query(context_button, card.message_dict))
        await bot.drain()
    [in_group] = bot.replies(-4_001_001)
    assert in_group.reply_to_message_id
    [edit] = [m for m in api.sent_messages(1001) if m.method == "editMessageText"]
    assert edit.message_id == card.message_id
    [refusal] = bot.replies(4004)
    assert refusal.visible_text == "Sorry, this bot only answers in the chats it was set up for."
    assert not bot.replies(-1_001_000_001_001)
    assert len(api.calls_for("answerCallbackQuery")) == 1  # ours only
    assert not api.calls_for("answerInlineQuery")
    assert not [m for m in api.sent_messages() if m.inline_message_id]


# ---------------------------------------------------------------------------------------------
# Webhook


async def test_webhook_refuses_requests_without_the_right_secret(engine):
    async with live_bot(engine, webhook=True) as bot:
        [registered] = bot.api.calls_for("setWebhook")
        assert registered.params["secret_token"] == WEBHOOK_SECRET
        update = bot.api.push_message(COUNT_QUESTION)
        for secret in (None, "", "wrong", WEBHOOK_SECRET[:-1], WEBHOOK_SECRET + "x", WEBHOOK_SECRET.lower(), TOKEN):
            assert await bot.post(update, secret) == 403
        assert await bot.post(update, WEBHOOK_SECRET, body=b"not json") != 200
        assert bot.replies() == []
        assert await bot.post(update) == 200
        await bot.handled(update)
        assert len(bot.replies()) == 1


# ---------------------------------------------------------------------------------------------
# Per-user rate limit


async def test_a_user_over_the_rate_limit_is_told_once_and_others_are_served(engine):
    async with live_bot(engine, user_rate_limit=3) as bot:
        api = bot.api
        limiter = bot.app.handlers[RATE_LIMIT_GROUP][0].callback
        now = [1000.0]
        limiter.clock = lambda: now[0]
        for i in range(5):  # chatter the bot ignores costs nothing ...
            api.push_message(f"Group chatter {i}", chat_type="group", user_id=7007)
        for i in range(7):  # ... so three of these are answered
            api.push_message(f"{COUNT_QUESTION} ({i})", user_id=7007)
        other = api.push_message(COUNT_QUESTION, user_id=8008)
        await bot.handled(other)
        assert len(bot.replies(8008)) == 1
        await bot.until(lambda: len(bot.replies(7007)) >= 4, what="3 answers and a notice")
        [card] = [m for m in bot.replies(7007) if not m.visible_text.startswith(SLOW_DOWN)][:1]
        button = card.reply_markup["inline_keyboard"][0][-1]["callback_data"]
        api.push_inline_query("countries", user_id=7007)
        api.push_callback_query(button, card.message_dict, user_id=7007)  # fetched with the query
        await bot.until(lambda: api.calls_for("answerCallbackQuery"), what="the button's answer")
        await bot.drain()
    replies = [m.visible_text for m in bot.replies(7007)]
    notices = [t for t in replies if t.startswith(SLOW_DOWN)]
    assert len(replies) == 4 and len(notices) == 1  # 3 answers, and one notice for the 4 others
    assert notices[0] == "Please slow down — I can take your next question in 20 seconds."
    assert not bot.replies(-4_001_001)  # group chatter cost nothing and got nothing
    [press] = api.calls_for("answerCallbackQuery")  # the spinner stops, without a second notice
    assert not press.params.get("text")
    assert not api.calls_for("answerInlineQuery")


async def test_the_rate_limit_refills_and_tells_again_next_time(engine):
    async with live_bot(engine, user_rate_limit=2) as bot:
        api = bot.api
        limiter = bot.app.handlers[RATE_LIMIT_GROUP][0].callback
        now = [0.0]
        limiter.clock = lambda: now[0]
        for _ in range(2):
            await bot.send(api.push_message, COUNT_QUESTION)
        api.push_message(f"/ask {COUNT_QUESTION}", chat_type="group")  # stopped: waited for by its notice
        await bot.until(lambda: bot.replies(-4_001_001), what="the notice")
        [notice] = bot.replies(-4_001_001)
        assert notice.visible_text.startswith(SLOW_DOWN) and notice.reply_to_message_id
        now[0] += 30  # one question back (2 a minute)
        [answer] = await bot.send(api.push_message, COUNT_QUESTION)
        assert not answer.visible_text.startswith(SLOW_DOWN)
        api.push_callback_query(answer.reply_markup["inline_keyboard"][0][-1]["callback_data"], answer.message_dict)
        await bot.until(lambda: api.calls_for("answerCallbackQuery"), what="the button's answer")
        await bot.drain()
    assert not [m for m in api.sent_messages() if m.method == "editMessageText"]  # the press did nothing else
    [toast] = api.calls_for("answerCallbackQuery")
    assert toast.params["text"].startswith(SLOW_DOWN)  # a new episode: told again, as a toast
