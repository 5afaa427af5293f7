"""The Telegram bot end to end over real HTTP: the real Application, and `storybot run` as a
subprocess, against the fake Bot API in storybot/testing/botapi.py; every assertion is on what the
bot sent."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storybot.testing.paths import ROOT, SOURCES, STORY_ID
from storybot.testing.botapi import BOT_USERNAME, GROUP_CHAT_ID, FakeBotAPI, SentMessage
from storybot.testing.markup import format_text
from storybot.testing.livebot import (COUNT_QUESTION, OFF_TOPIC, GatedEngine, RunningBot, button, buttons,
                                      entities_of, running_bot)

STORY_URL = "https://www.axios.com/2022/12/31/netanyahu-zelensky-un-vote"


@pytest.fixture(scope="session")
def bot_sources(tmp_path_factory) -> Path:
    """The bundled story with a `url`, so answers carry a link to the quoted sentence."""
    dest = tmp_path_factory.mktemp("bot-sources")
    text = (SOURCES / f"{STORY_ID}.md").read_text(encoding="utf-8")
    with_url = text.replace("outlet: Axios\n", f"outlet: Axios\nurl: {STORY_URL}\n", 1)
    assert with_url != text
    (dest / f"{STORY_ID}.md").write_text(with_url, encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def bot_index(bot_sources, tmp_path_factory, embedder) -> Path:
    from storybot.index.storage.store import build_index

    index_dir = tmp_path_factory.mktemp("bot-index")
    build_index(bot_sources, index_dir, embedder)
    return index_dir


@pytest.fixture(scope="session")
def bot_engine(bot_index, embedder):
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import load_index

    engine = Engine(load_index(bot_index), embedder)
    # What the tests rely on from retrieval (tuned elsewhere): checked here, once, plainly.
    count = engine.ask(COUNT_QUESTION)
    assert count.answered and count.passages[0].paragraph == 3
    assert not engine.ask(OFF_TOPIC).answered
    return engine


@pytest.fixture
async def bot(bot_engine) -> AsyncIterator[RunningBot]:
    async with running_bot(bot_engine) as running:
        yield running


def assert_count_answer(message: SentMessage) -> None:
    """The quote card for COUNT_QUESTION: ¶3 verbatim in a blockquote, its sentence in bold."""
    [quote] = entities_of(message, "blockquote")
    assert "87 countries voting in favor" in quote
    assert any("87 countries" in bold for bold in entities_of(message, "bold"))
    assert "Axios" in message.visible_text and "¶3" in message.visible_text
    assert "The story doesn’t say" not in message.visible_text
    [link] = [e["url"] for e in message.entities if e["type"] == "text_link"]
    assert link.startswith(STORY_URL + "#:~:text=")
    assert message.parse_mode == "HTML"
    assert message.link_preview_options == {"is_disabled": True}


# ---------------------------------------------------------------------------------------------
# Start-up


async def test_commands_are_registered_at_start(bot):
    [call] = bot.api.calls_for("setMyCommands")
    assert [c["command"] for c in call.params["commands"]] == ["ask", "check", "brief", "sources", "story",
                                                              "follow", "unfollow", "help"]


# ---------------------------------------------------------------------------------------------
# Private chats


async def test_private_question_gets_the_quote_card(bot):
    [reply] = await bot.send(bot.api.push_message, COUNT_QUESTION)
    assert reply.chat_id == 1001 and reply.reply_to_message_id is None  # no reply-quote in private
    assert_count_answer(reply)
    assert [b["text"] for b in buttons(reply)] == ["More quotes ›", "Context"]


async def test_start_greets_lists_the_story_and_offers_example_buttons(bot):
    [reply] = await bot.send(bot.api.push_message, "/start")
    assert reply.visible_text.startswith("Hi!")
    assert "Netanyahu asked Zelensky to vote against UN resolution on Israeli occupation" in reply.visible_text
    examples = buttons(reply)
    assert 2 <= len(examples) <= 3
    assert all(b["text"].endswith("?") for b in examples)
    # Pressing an example asks it.
    [answer] = await bot.send(bot.api.push_callback_query, examples[0]["callback_data"], reply.message_dict)
    assert entities_of(answer, "blockquote") and entities_of(answer, "bold")
    assert bot.api.calls_for("answerCallbackQuery")


async def test_help_sources_and_ask_without_question(bot):
    [help_] = await bot.send(bot.api.push_message, "/help")
    assert "/ask <question>" in help_.visible_text and f"@{BOT_USERNAME}" in help_.visible_text
    [sources] = await bot.send(bot.api.push_message, "/sources")
    assert "Netanyahu asked Zelensky" in sources.visible_text and "Axios, 17 paragraphs" in sources.visible_text
    [usage] = await bot.send(bot.api.push_message, "/ask")
    assert usage.visible_text.startswith("Put your question after the command")
    [unknown] = await bot.send(bot.api.push_message, "/frobnicate")
    assert "/help" in unknown.visible_text


async def test_ask_command_in_private(bot):
    [reply] = await bot.send(bot.api.push_message, f"/ask {COUNT_QUESTION}")
    assert_count_answer(reply)


async def test_not_in_the_story_says_so_plainly(bot):
    [reply] = await bot.send(bot.api.push_message, OFF_TOPIC)
    first_line = reply.visible_text.splitlines()[0]
    assert first_line == "The story doesn’t say."
    # Never an unrelated quote presented as the answer: no bold answer sentence, and any
    # passage shown is labelled as not an answer.
    assert not entities_of(reply, "bold")
    assert not entities_of(reply, "blockquote") or "Closest passage (not an answer):" in reply.visible_text


async def test_hostile_question_is_handled_safely(bot):
    question = "<b>votes</b> & </blockquote> *_[] " + "x" * 5000
    [reply] = await bot.send(bot.api.push_message, question)
    assert reply.visible_text == f"The question is too long ({len(question)} characters; at most 4096)."
    [reply] = await bot.send(bot.api.push_message, "How many countries voted in favor? <b>&amp;</b> </blockquote>")
    assert entities_of(reply, "blockquote")
    # Inline cards repeat the question: it must come out as text, not markup.
    update = bot.api.push_inline_query("countries in favor <b>&amp;</b> </blockquote>")
    await bot.handled(update)
    [call] = bot.api.calls_for("answerInlineQuery")
    visible, _ = format_text(call.params["results"][0]["input_message_content"]["message_text"], "HTML")
    assert visible.startswith("Q: countries in favor <b>&amp;</b> </blockquote>\n")
    assert not bot.api.failed_calls


async def test_non_text_gets_a_hint_in_private(bot):
    [reply] = await bot.send(bot.api.push_sticker)
    assert "text" in reply.visible_text


# ---------------------------------------------------------------------------------------------
# Groups


async def test_group_ask_replies_to_the_asker(bot):
    for text in (f"/ask {COUNT_QUESTION}", f"/ask@{BOT_USERNAME} {COUNT_QUESTION}"):
        before = len(bot.api.sent_messages())
        update = bot.api.push_message(text, chat_type="group", user_id=2002)
        await bot.handled(update)
        [reply] = bot.api.sent_messages()[before:]
        assert reply.chat_id == GROUP_CHAT_ID
        assert reply.reply_to_message_id == update["message"]["message_id"]
        assert_count_answer(reply)


async def test_group_chatter_and_other_bots_commands_get_silence(bot):
    for text in ("Did anyone see the news today?", f"/ask@other_bot {COUNT_QUESTION}", "/start@other_bot",
                 "How many countries voted in favor of the resolution?"):
        assert await bot.send(bot.api.push_message, text, chat_type="group") == []
    assert await bot.send(bot.api.push_sticker, chat_type="group") == []


async def test_group_mention_is_a_question(bot):
    update_text = f"@{BOT_USERNAME} how many countries voted in favor?"
    before = len(bot.api.sent_messages())
    update = bot.api.push_message(update_text, chat_type="supergroup")
    await bot.handled(update)
    [reply] = bot.api.sent_messages()[before:]
    assert reply.reply_to_message_id == update["message"]["message_id"]
    assert any("87 countries" in b for b in entities_of(reply, "bold"))
    [hint] = await bot.send(bot.api.push_message, f"@{BOT_USERNAME}", chat_type="supergroup")
    assert hint.visible_text.startswith("Ask me about the story")


async def test_reply_to_the_bot_is_a_question_reply_to_others_is_not(bot):
    [card] = await bot.send(bot.api.push_message, f"/ask {OFF_TOPIC}", chat_type="group")
    update = bot.api.push_message(COUNT_QUESTION, chat_type="group", reply_to=card.message_dict)
    await bot.handled(update)
    reply = bot.api.sent_messages()[-1]
    assert reply.reply_to_message_id == update["message"]["message_id"]
    assert_count_answer(reply)
    someone = bot.api.push_message("What a day.", chat_type="group", user_id=3003)
    assert await bot.send(bot.api.push_message, COUNT_QUESTION, chat_type="group",
                          reply_to=someone["message"]) == []


# ---------------------------------------------------------------------------------------------
# Buttons


async def test_more_quotes_and_context_buttons_edit_the_card(bot):
    [card] = await bot.send(bot.api.push_message, COUNT_QUESTION)
    [more] = await bot.send(bot.api.push_callback_query, button(card, "More quotes"), card.message_dict)
    assert more.method == "editMessageText" and more.message_id == card.message_id
    assert re.match(r"(Quote|Related passage) \d+ of \d+", more.visible_text)
    assert entities_of(more, "blockquote") and entities_of(more, "blockquote") != entities_of(card, "blockquote")
    assert [b["text"] for b in buttons(more)] == ["‹ Back", "More quotes ›", "Context"]
    [back] = await bot.send(bot.api.push_callback_query, button(more, "‹ Back"), card.message_dict)
    assert back.visible_text == card.visible_text and back.reply_markup == card.reply_markup

    [context] = await bot.send(bot.api.push_callback_query, button(card, "Context"), card.message_dict)
    lines = context.visible_text.splitlines()
    assert lines[0] == "Context of ¶3"
    assert lines[1].startswith("¶2 The big picture") and lines[2].startswith("¶3 Catch up quick")
    assert lines[3].startswith("¶4 According to the resolution")
    [quoted] = entities_of(context, "blockquote")
    assert quoted.startswith("¶3 ")
    assert [b["text"] for b in buttons(context)][0] == "‹ Back"

    [back] = await bot.send(bot.api.push_callback_query, button(context, "‹ Back"), card.message_dict)
    assert back.visible_text == card.visible_text
    # Pressing again what is already shown (a double tap) changes nothing and raises nothing.
    assert await bot.send(bot.api.push_callback_query, button(more, "‹ Back"), card.message_dict) == []
    assert len(bot.api.calls_for("answerCallbackQuery")) == 5
    assert not [c for c in bot.api.failed_calls if c.method != "editMessageText"]


async def test_stale_and_forged_buttons_get_a_short_notice(bot):
    [card] = await bot.send(bot.api.push_message, COUNT_QUESTION)
    for data in ("q:NoSuchTk:1", "x:NoSuchTk:0", "nonsense", "e:9", "q:" + button(card, "Context")[2:10] + ":99"):
        assert await bot.send(bot.api.push_callback_query, data, card.message_dict) == []
    answers = [c.params.get("text") for c in bot.api.calls_for("answerCallbackQuery")]
    assert len(answers) == 5 and all(answers)
    assert "expired" in answers[0] and "doesn't work" in answers[2]
    assert not bot.api.failed_calls


# ---------------------------------------------------------------------------------------------
# Inline mode


async def test_inline_query_returns_quote_cards(bot):
    update = bot.api.push_inline_query("how many countries voted in favor")
    await bot.handled(update)
    [call] = bot.api.calls_for("answerInlineQuery")
    results = call.params["results"]
    assert 1 <= len(results) <= 5
    top = results[0]
    assert "87 countries" in top["title"]
    assert top["description"].startswith("Axios, “Netanyahu asked Zelensky") and "¶3" in top["description"]
    content = top["input_message_content"]
    assert content["parse_mode"] == "HTML" and content["link_preview_options"] == {"is_disabled": True}
    assert "<blockquote>" in content["message_text"] and "<b>" in content["message_text"]
    # Choosing it posts the card; its buttons work on the inline message.
    data = top["reply_markup"]["inline_keyboard"][0][-1]["callback_data"]
    before = len(bot.api.sent_messages())
    press = bot.api.push_callback_query(data, inline_message_id="inline-1")
    await bot.handled(press)
    [edit] = bot.api.sent_messages()[before:]
    assert edit.inline_message_id == "inline-1"
    assert edit.visible_text.startswith("Q: how many countries voted in favor\nContext of ¶3")


async def test_empty_inline_query_lists_the_stories(bot):
    update = bot.api.push_inline_query("")
    await bot.handled(update)
    [call] = bot.api.calls_for("answerInlineQuery")
    [story] = call.params["results"]
    assert story["title"].startswith("Netanyahu asked Zelensky")
    assert "17 paragraphs" in story["description"]


async def test_inline_off_topic_says_the_story_does_not_say(bot):
    update = bot.api.push_inline_query(OFF_TOPIC)
    await bot.handled(update)
    [call] = bot.api.calls_for("answerInlineQuery")
    results = call.params["results"]
    assert len(results) == 1
    assert "The story doesn’t say" in results[0]["input_message_content"]["message_text"]


# ---------------------------------------------------------------------------------------------
# Allowlist


async def test_allowlist_serves_listed_chats_only(bot_engine):
    async with running_bot(bot_engine, telegram_allowed_chats=[1001]) as bot:
        api = bot.api
        api.push_message(COUNT_QUESTION, user_id=4004)
        api.push_message("/start", user_id=4004)
        api.push_message(f"/ask {COUNT_QUESTION}", chat_type="group", user_id=1001)
        api.push_inline_query(COUNT_QUESTION, user_id=4004)
        api.push_message(COUNT_QUESTION, user_id=1001)
        await api.wait_for(lambda c: c.method == "sendMessage" and str(c.params.get("chat_id")) == "1001")
        await bot.drain()  # every update above has now been handled
    sent = api.sent_messages()
    assert {m.chat_id for m in sent} == {1001, 4004}
    [refusal] = [m for m in sent if m.chat_id == 4004]  # told once, not per message
    assert "only answers in the chats it was set up for" in refusal.visible_text
    assert not api.calls_for("answerInlineQuery")


# ---------------------------------------------------------------------------------------------
# Concurrency and failures


async def test_a_slow_search_does_not_hold_up_other_chats(bot_engine):
    gated = GatedEngine(bot_engine)
    async with running_bot(gated) as bot:
        slow = bot.api.push_message(f"{COUNT_QUESTION} (slow)", user_id=5005)
        # Answered while the first search is still running: the event loop is free and
        # updates are handled concurrently.
        [fast] = await bot.send(bot.api.push_message, COUNT_QUESTION, user_id=6006)
        assert fast.chat_id == 6006
        assert not bot.api.sent_messages(5005)
        gated.release.set()
        await bot.handled(slow)
        assert_count_answer(bot.api.sent_messages(5005)[-1])


async def test_a_failing_search_gets_an_apology_and_the_bot_goes_on(bot_engine, caplog):
    async with running_bot(GatedEngine(bot_engine)) as bot:
        [apology] = await bot.send(bot.api.push_message, "(boom)")
        assert apology.visible_text == "Sorry, something went wrong while answering. Please try again."
        [apology] = await bot.send(bot.api.push_message, "/ask (boom)", chat_type="group")
        assert apology.visible_text.startswith("Sorry")
        [answer] = await bot.send(bot.api.push_message, COUNT_QUESTION)
        assert_count_answer(answer)
    assert any("the search fell over" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


# ---------------------------------------------------------------------------------------------
# `storybot run` as a user starts it


def _env(token: str, api: FakeBotAPI, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYBOT_", "TELEGRAM_"))}
    # Bot state goes to a temporary database, not the checkout's data/.
    state = f"sqlite:///{tempfile.mkdtemp(prefix='storybot-run-')}/storybot.db"
    return {**env, "HF_HUB_OFFLINE": "1", "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_BASE_URL": api.base_url,
            "STORYBOT_DATABASE_URL": state, **extra}


def _stop(process: subprocess.Popen) -> tuple[str, str]:
    process.send_signal(signal.SIGTERM)
    try:
        return process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()


@pytest.mark.slow
def test_storybot_run_polls_builds_the_index_and_answers(bot_sources, tmp_path):
    token = "7654321:SeCrEt-token_value"
    with FakeBotAPI(token=token) as api:
        process = subprocess.Popen(
            [sys.executable, "-m", "storybot", "run", "--sources", str(bot_sources), "--index", str(tmp_path / "index")],
            cwd=ROOT, env=_env(token, api), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # Registered at start-up, after the model and index are loaded and before polling.
            [commands] = api.wait_for_sync("setMyCommands", timeout=240)
            assert [c["command"] for c in commands.params["commands"]] == ["ask", "check", "brief", "sources", "story",
                                                              "follow", "unfollow", "help"]
            api.push_message(COUNT_QUESTION)
            group = api.push_message(f"/ask@{BOT_USERNAME} {COUNT_QUESTION}", chat_type="group")
            api.push_message("just chatting", chat_type="group")
            api.wait_for_sync("sendMessage", count=2, timeout=60)
            api.push_message("/start")
            api.wait_for_sync("sendMessage", count=3, timeout=60)
        finally:
            out, err = _stop(process)
    assert process.returncode == 0, err
    private, start = api.sent_messages(1001)  # /start was sent after the first answer came
    [in_group] = api.sent_messages(GROUP_CHAT_ID)  # the chatter got nothing
    assert_count_answer(private)
    assert_count_answer(in_group)
    assert in_group.reply_to_message_id == group["message"]["message_id"]
    assert 2 <= len(buttons(start)) <= 3
    assert "building it" in err  # the index was missing: built before polling started
    for secret in (token, token.split(":")[1]):
        assert secret not in out and secret not in err


def test_storybot_run_without_token_exits_2(bot_sources, bot_index):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYBOT_", "TELEGRAM_"))}
    result = subprocess.run([sys.executable, "-m", "storybot", "run", "--sources", str(bot_sources),
                             "--index", str(bot_index)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "storybot: TELEGRAM_BOT_TOKEN is not set; create a bot with @BotFather and export TELEGRAM_BOT_TOKEN=<its token>"]


def test_storybot_run_with_a_rejected_token_exits_2_without_printing_it(bot_sources, bot_index):
    with FakeBotAPI(token="123:abc") as api:
        result = subprocess.run([sys.executable, "-m", "storybot", "run", "--sources", str(bot_sources),
                                 "--index", str(bot_index)], cwd=ROOT, env=_env("123:WrongSecret", api),
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "storybot: Telegram rejected TELEGRAM_BOT_TOKEN; copy the token from @BotFather again"]
    assert not api.calls  # only getMe was tried, and refused
    assert "WrongSecret" not in result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, timeout: float = 30) -> None:
    """PTB registers the webhook just before its server starts listening: wait for the port."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.slow
def test_storybot_run_webhook_requires_the_secret(bot_sources, bot_index):
    token, secret, port = "7654321:webhook-token", "s3cret_Value-1", _free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    with FakeBotAPI(token=token) as api:
        env = _env(token, api, STORYBOT_WEBHOOK_URL=hook, STORYBOT_WEBHOOK_PORT=str(port),
                   STORYBOT_WEBHOOK_SECRET=secret)
        process = subprocess.Popen(
            [sys.executable, "-m", "storybot", "run", "--sources", str(bot_sources), "--index", str(bot_index)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            [registered] = api.wait_for_sync("setWebhook", timeout=240)
            assert registered.params["url"] == hook and registered.params["secret_token"] == secret
            assert api.calls_for("setMyCommands")
            _wait_listening(port)
            # The update is made by the fake (so the bot may reply to it) but delivered by POST.
            update = api.push_message(COUNT_QUESTION)
            assert _post(hook, update, None) == 403
            assert _post(hook, update, "wrong") == 403
            assert not api.calls_for("sendMessage")
            assert _post(hook, update, secret) == 200
            [call] = api.wait_for_sync("sendMessage", timeout=60)
        finally:
            out, err = _stop(process)
    assert process.returncode == 0, err
    assert_count_answer(api.sent_messages()[0])
    assert not api.calls_for("getUpdates")
    assert secret not in out + err and token not in out + err


def test_log_lines_never_show_the_token():
    import logging

    from storybot.bot.logs import RedactingFormatter

    token = "7654321:SeCrEt-token_value"
    formatter = RedactingFormatter([token, "hook-secret"], "%(name)s %(message)s")
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{token}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "HTTP Request: %s %s", (
            "POST", f"https://api.telegram.org/bot{token.replace(':', '%3A')}/sendMessage?s=hook-secret"), sys.exc_info())
    line = formatter.format(record)
    assert "Traceback" in line and line.count("[REDACTED]") == 3
    assert "SeCrEt" not in line and "hook-secret" not in line
