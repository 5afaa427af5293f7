"""No question lost or answered twice: a burst from many chats, a Bot API outage (502 and refused
connections, for getUpdates and sendMessage alike), flood control, failed sends, slow chats.

Everything runs over real HTTP against storybot/testing/botapi.py; assertions are on what the fake
recorded. Delivery rules under test (bot/delivery.py): a send is retried, with backoff, only
when it surely did not reach Telegram (connection not opened, request not written) or Telegram
answered 5xx; 429 waits as told (AIORateLimiter); anything else is tried once.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import defaultdict

import pytest

from storybot.bot import handlers, language
from storybot.bot.service import StoryService
from storybot.storage import Storage
from storybot.testing.paths import ROOT
from storybot.testing.botapi import BOT_USERNAME
from storybot.testing.markup import format_text
from storybot.testing.livebot import COUNT_QUESTION, GatedEngine, LossyBotAPI, live_bot

QUESTIONS = [json.loads(line)["question"] for line in
             (ROOT / "benchmarks/data/story_questions.jsonl").read_text(encoding="utf-8").splitlines()[:40]]
OUTAGE_SECONDS = 10.0  # as long as the issue asks


async def expected_cards(engine, questions) -> dict[str, str]:
    """The visible text of the card the bot sends for each question (the engine is deterministic)."""
    svc = StoryService(engine)
    cards = {}
    for question in set(questions):
        asked = await svc.ask(question)
        cards[question] = format_text(language.with_note(question, handlers.quote_card(svc, asked, 0)), "HTML")[0]
    return cards


def is_card(text: str) -> bool:
    return text.startswith("The story doesn’t say") or "¶" in text


# ---------------------------------------------------------------------------------------------
# Burst


@pytest.mark.slow
async def test_burst_of_1000_questions_from_50_chats_is_answered_exactly_once(engine):
    private = [30_000 + i for i in range(25)]
    groups = [(-4_100_000 - i, "group") for i in range(12)] + [(-1_002_000_000_000 - i, "supergroup") for i in range(13)]
    per_chat = 20
    expected = await expected_cards(engine, QUESTIONS)
    asked_private: dict[int, list[str]] = defaultdict(list)
    asked_group: dict[int, dict[int, str]] = defaultdict(dict)  # chat -> message id -> question
    # Throughput, not the per-user limit, is under test here: it is off.
    async with live_bot(engine, user_rate_limit=0) as bot:
        api = bot.api
        start = time.perf_counter()
        for round_ in range(per_chat):  # interleaved, as a real burst arrives
            for i, user in enumerate(private):
                question = QUESTIONS[(round_ * 7 + i) % len(QUESTIONS)]
                api.push_message(question, user_id=user)
                asked_private[user].append(question)
            for i, (chat_id, kind) in enumerate(groups):
                question = QUESTIONS[(round_ * 11 + i) % len(QUESTIONS)]
                text = [f"/ask {question}", f"/ask@{BOT_USERNAME} {question}", f"@{BOT_USERNAME} {question}"][round_ % 3]
                update = api.push_message(text, chat_id=chat_id, chat_type=kind, user_id=40_000 + round_)
                asked_group[chat_id][update["message"]["message_id"]] = question
        await bot.until(lambda: len(bot.replies()) >= 1000, timeout=240, what="1000 answers")
        wall = time.perf_counter() - start
        await bot.drain()
    print(f"\nburst: 1000 questions from 50 chats (25 private, 25 groups) answered in {wall:.1f} s "
          f"({1000 / wall:.0f} answers/s)")
    replies = bot.replies()
    assert len(replies) == 1000
    assert not api.failed_calls
    for user, questions in asked_private.items():
        # Private answers are not replies: they come in the order asked, each the right card.
        got = [m.visible_text for m in bot.replies(user)]
        assert got == [expected[q] for q in questions]
    for chat_id, questions in asked_group.items():
        got = bot.replies(chat_id)
        assert sorted(m.reply_to_message_id for m in got) == sorted(questions)  # each message once
        for message in got:
            assert message.visible_text == expected[questions[message.reply_to_message_id]]


# ---------------------------------------------------------------------------------------------
# Outage


@pytest.mark.slow
@pytest.mark.parametrize("outage", ["502", "refused"])
async def test_outage_loses_and_doubles_nothing(engine, outage):
    """A 10-second outage of the Bot API: questions fetched before it whose answers fail to send,
    and questions asked during it, are all answered exactly once afterwards."""
    gated = GatedEngine(engine)
    async with live_bot(gated, user_rate_limit=0) as bot:
        api = bot.api
        # Before: fetched, and held in search so that their answers go out during the outage.
        before = [api.push_message(f"{q} (slow)", user_id=50_000 + i) for i, q in enumerate(QUESTIONS[:4])]
        before.append(api.push_message(f"/ask {COUNT_QUESTION} (slow)", chat_type="group"))
        # "typing…" went out for each: nothing else is on the wire when the outage starts.
        await bot.until(lambda: len(api.calls_for("sendChatAction")) == len(before), what="typing actions")
        if outage == "502":
            api.fail("getUpdates", 502, duration=OUTAGE_SECONDS)
            api.fail("sendMessage", 502, duration=OUTAGE_SECONDS)
        else:
            api.refuse_connections(OUTAGE_SECONDS)
        started = time.time()
        gated.release.set()
        during = []
        for i, q in enumerate(QUESTIONS[4:8]):
            await asyncio.sleep(OUTAGE_SECONDS / 5)
            during.append(api.push_message(q, user_id=60_000 + i))
        during.append(api.push_message(f"@{BOT_USERNAME} {COUNT_QUESTION}", chat_type="supergroup", user_id=7))
        await bot.until(lambda: len(bot.replies()) >= len(before) + len(during), timeout=90, what="all answers")
        # The bot kept running: a question after the outage is answered as usual.
        after = api.push_message(COUNT_QUESTION, user_id=70_000)
        await bot.handled(after)
        assert bot.app.running and bot.app.updater.running
        await bot.drain()

    def reply_to(update: dict):
        message = update["message"]
        replies = bot.replies(message["chat"]["id"])
        if message["chat"]["type"] != "private":
            replies = [r for r in replies if r.reply_to_message_id == message["message_id"]]
        [reply] = replies
        return reply

    for update in before + during + [after]:
        assert is_card(reply_to(update).visible_text)
    assert len(bot.replies()) == len(before) + len(during) + 1  # nothing doubled
    for update in before:  # their first tries failed: sent only once the outage was over
        assert reply_to(update).timestamp >= started + OUTAGE_SECONDS - 0.5
    if outage == "502":
        assert {c.method for c in api.failed_calls} == {"getUpdates", "sendMessage"}
        assert all(c.status == 502 for c in api.failed_calls)


# ---------------------------------------------------------------------------------------------
# Failed sends: what is retried and what is not


async def test_5xx_is_retried_until_delivered_once(engine):
    async with live_bot(engine) as bot:
        bot.api.fail("sendMessage", 500, count=1)
        bot.api.fail("sendMessage", 503, count=1)
        bot.api.fail("sendMessage", 502, count=1)
        [reply] = await bot.send(bot.api.push_message, COUNT_QUESTION)
    assert "87 countries" in reply.visible_text
    assert [c.status for c in bot.api.failed_calls] == [500, 503, 502]


async def test_an_answer_that_may_have_arrived_is_not_sent_again(engine, caplog):
    async with live_bot(engine, api=LossyBotAPI()) as bot:
        bot.api.lose_answer("sendMessage")
        update = bot.api.push_message(COUNT_QUESTION)
        await bot.handled(update)
        assert len(bot.replies()) == 1  # Telegram has it; the bot does not know, and does not repeat it
        [answer] = await bot.send(bot.api.push_message, COUNT_QUESTION)  # and goes on
    assert len(bot.replies()) == 2 and "87 countries" in answer.visible_text
    assert any("could not reply" in r.getMessage() for r in caplog.records)


async def test_a_refused_send_is_neither_retried_nor_apologised_for(engine):
    """400 (our mistake) is tried once and apologised for; 403 (bot blocked) is tried once, quietly."""
    async with live_bot(engine) as bot:
        bot.api.fail("sendMessage", 403, count=1, description="Forbidden: bot was blocked by the user")
        update = bot.api.push_message(COUNT_QUESTION)
        await bot.handled(update)
        assert bot.replies() == []
        bot.api.fail("sendMessage", 400, count=1, description="Bad Request: something is off")
        [apology] = await bot.send(bot.api.push_message, COUNT_QUESTION, user_id=2)
    assert apology.visible_text.startswith("Sorry, something went wrong")
    assert [c.status for c in bot.api.failed_calls] == [403, 400]


# ---------------------------------------------------------------------------------------------
# Flood control


async def test_flood_control_waits_as_told_and_delivers_everything(engine):
    retry_after = 2
    async with live_bot(engine) as bot:
        api = bot.api
        api.flood("sendMessage", retry_after=retry_after, count=3)
        updates = [api.push_message(q, user_id=80_000 + i) for i, q in enumerate(QUESTIONS[:6])]
        updates.append(api.push_message(f"/ask {COUNT_QUESTION}", chat_type="group"))
        await bot.until(lambda: len(bot.replies()) >= len(updates), what="all answers")
        await bot.drain()
    floods = [c for c in api.failed_calls if c.status == 429]
    assert len(floods) == 3
    for flood in floods:  # each refused send came back no sooner than Telegram said
        [reply] = bot.replies(flood.params["chat_id"])
        assert reply.timestamp >= flood.timestamp + retry_after
    assert len(bot.replies()) == len(updates)
    assert {r.chat_id for r in bot.replies()} == {u["message"]["chat"]["id"] for u in updates}


@pytest.mark.slow
async def test_a_busy_group_is_paced_to_telegrams_group_limit(engine):
    """Telegram allows a group about 20 messages a minute: past a burst of 20, answers to one
    group are spaced out (3 s apart) instead of provoking flood control — and none is lost."""
    async with live_bot(engine, user_rate_limit=0) as bot:
        api = bot.api
        updates = [api.push_message(f"/ask {QUESTIONS[i % len(QUESTIONS)]}", chat_type="group", user_id=90_000 + i)
                   for i in range(23)]
        await bot.until(lambda: len(bot.replies()) >= 23, what="23 answers")
        await bot.drain()
    replies = bot.replies()
    assert sorted(r.reply_to_message_id for r in replies) == sorted(u["message"]["message_id"] for u in updates)
    times = sorted(r.timestamp for r in replies)
    for i in range(len(times)):
        for j in range(i, len(times)):
            # A leaky bucket of 20 that refills one every 3 s (+1 for request-arrival jitter).
            assert j - i + 1 <= 20 + (times[j] - times[i]) / 3 + 1


# ---------------------------------------------------------------------------------------------
# Isolation


# Questions whose answers lead with six different paragraphs, none a near tie (¶3, ¶9, ¶16, ¶8, ¶15, ¶13).
DISTINCT = ["How many countries voted against the resolution?", "When was Netanyahu sworn in?",
            "What did Zelensky tweet about the call?", "israeli foriegn ministry furius ukraine",
            "What did Netanyahu's office say?", "What did the Ukrainian official say the two leaders felt?"]


async def test_slow_questions_hold_up_only_their_own_chat(engine):
    """Six slow questions from one chat (as many as the search threads on a small machine) still
    leave the other chats answered, and that chat's answers come in the order asked."""
    gated = GatedEngine(engine)
    async with live_bot(gated) as bot:
        api = bot.api
        slow = [api.push_message(f"{q} (slow)", user_id=5005) for q in DISTINCT]
        others = [api.push_message(q, user_id=6000 + i) for i, q in enumerate(QUESTIONS[:8])]
        for update in others:
            await bot.handled(update)
        assert {r.chat_id for r in bot.replies()} == {6000 + i for i in range(8)}
        gated.release.set()
        for update in slow:
            await bot.handled(update)
    expected = await expected_cards(engine, [f"{q} (slow)" for q in DISTINCT])
    assert [r.visible_text for r in bot.replies(5005)] == [expected[f"{q} (slow)"] for q in DISTINCT]


async def test_a_slow_database_read_does_not_reorder_a_chats_answers(engine, monkeypatch):
    """PTB reads an update's chat data in a worker thread before any handler runs: when the read for
    the first question is the slow one, its answer still comes first."""
    read_chat = Storage.chat
    first_read = threading.Event()

    def slow_first_read(storage, chat_id):
        if chat_id == 7007 and not first_read.is_set():
            first_read.set()
            time.sleep(0.5)
        return read_chat(storage, chat_id)

    monkeypatch.setattr(Storage, "chat", slow_first_read)
    questions = DISTINCT[:3]
    async with live_bot(engine) as bot:
        updates = [bot.api.push_message(q, user_id=7007) for q in questions]
        for update in updates:
            await bot.handled(update)
    assert first_read.is_set()
    expected = await expected_cards(engine, questions)
    assert [r.visible_text for r in bot.replies(7007)] == [expected[q] for q in questions]
