"""Odd and hostile input, each with its expected behaviour, over real HTTP (storybot/testing/botapi.py
rejects malformed HTML, over-long texts and invalid results as Telegram does, so "no failed
calls" means every reply was valid).

Chosen behaviours: edited messages are ignored (an edit is not a new question; they are not
even requested from Telegram, and ignored when delivered anyway); non-text messages get a hint in
private chats and silence in groups; questions that are clearly not English are still answered,
with a note that the bot answers in English from the English story.
"""

from __future__ import annotations

import itertools
import logging
import time

import pytest

from storybot.bot.language import NOTE
from storybot.testing.botapi import BOT_USERNAME, CHANNEL_CHAT_ID, GROUP_CHAT_ID
from storybot.testing.markup import format_text
from storybot.testing.livebot import LiveBot, live_bot
from storybot.testing.livebot import COUNT_QUESTION, OFF_TOPIC

EMPTY = "The question is empty; ask something about the story."
HINT = "I can only read text — send me your question as a message."
NOTE_TEXT = format_text(NOTE, "HTML")[0]
HOSTILE_MARKUP = "<b>votes</b> & &amp; </blockquote> <a href='x'>*_[]`~|</a>"


@pytest.fixture
async def bot(engine):
    async with live_bot(engine) as running:
        yield running


@pytest.fixture
async def hook(engine):
    """The bot in webhook mode: whatever is POSTed reaches it, asked for or not."""
    async with live_bot(engine, webhook=True) as running:
        yield running


async def silent(bot: LiveBot, update: dict) -> bool:
    """Whether the bot handled `update` without sending anything (or failing a call)."""
    before = len(bot.api.sent_messages()), len(bot.api.calls), len(bot.api.failed_calls)
    await bot.handled(update)
    after = len(bot.api.sent_messages()), len(bot.api.calls), len(bot.api.failed_calls)
    return after[0] == before[0] and after[2] == before[2]


def no_warnings(caplog) -> bool:
    return not [r for r in caplog.records if r.levelno >= logging.WARNING]


# ---------------------------------------------------------------------------------------------
# Text that is not quite a question


@pytest.mark.parametrize("text", ["   ", "\u200b\u200c\u200d\ufeff", "\u202e\u200f "])
async def test_empty_whitespace_or_invisible_question_is_called_empty(bot, text):
    [reply] = await bot.send(bot.api.push_message, text)
    assert reply.visible_text == EMPTY


async def test_ask_with_only_whitespace_shows_the_usage(bot):
    [reply] = await bot.send(bot.api.push_message, "/ask    ")
    assert reply.visible_text.startswith("Put your question after the command")


async def test_a_4096_character_question_is_answered_and_4097_refused(bot):
    question = (COUNT_QUESTION + " Please answer. " * 300)[:4096]
    [reply] = await bot.send(bot.api.push_message, question)
    [group_reply] = await bot.send(bot.api.push_message, f"/ask {question[:4091]}", chat_type="group")
    assert group_reply.reply_to_message_id
    for card in (reply, group_reply):  # a quote card (whatever the search makes of the padding)
        assert "¶" in card.visible_text or card.visible_text.startswith("The story doesn’t say")
    [refusal] = await bot.send(bot.api.push_message, question + "?")
    assert refusal.visible_text == "The question is too long (4097 characters; at most 4096)."
    assert not bot.api.failed_calls


async def test_markup_in_questions_is_text_everywhere(bot):
    question = f"How many countries voted in favor? {HOSTILE_MARKUP}"
    [private] = await bot.send(bot.api.push_message, question)
    [group] = await bot.send(bot.api.push_message, f"@{BOT_USERNAME} {question}", chat_type="group")
    for card in (private, group):  # a card (valid HTML, or the fake would have refused it), no echo
        assert "¶" in card.visible_text or card.visible_text.startswith("The story doesn’t say")
        assert "votes" not in card.visible_text and "*_[]" not in card.visible_text
    for query in (f"countries in favor {HOSTILE_MARKUP}", f"{OFF_TOPIC} {HOSTILE_MARKUP}"):
        update = bot.api.push_inline_query(query)
        await bot.handled(update)
        call = bot.api.calls_for("answerInlineQuery")[-1]
        visible, _ = format_text(call.params["results"][0]["input_message_content"]["message_text"], "HTML")
        assert visible.startswith(f"Q: {query}\n")  # the question, echoed as the user typed it
    assert not bot.api.failed_calls


async def test_zero_width_and_direction_marks_do_not_change_the_answer(bot):
    [plain] = await bot.send(bot.api.push_message, COUNT_QUESTION)
    marked = "\u200fHow\u200b many countries\u200d voted\u202b in favor\u202c of the \u2066resolution\u2069?\ufeff"
    [reply] = await bot.send(bot.api.push_message, marked, user_id=2)
    assert reply.visible_text == plain.visible_text


@pytest.mark.parametrize(("text", "reply_text"), [
    ("How many \ud800 countries voted?",
     "The question holds a lone surrogate (U+D800 at character 10), which is not text."),
    ("How many\x07 countries\x1b[0m voted?",
     "The question holds a control character (U+0007 at character 9); send plain text."),
    ("How\x00 many", "The question holds a control character (U+0000 at character 4); send plain text."),
])
async def test_text_that_is_not_text_gets_a_polite_reply_and_the_next_question_is_answered(bot, text, reply_text):
    [plain] = await bot.send(bot.api.push_message, COUNT_QUESTION, user_id=7)
    [refusal] = await bot.send(bot.api.push_message, text)
    assert refusal.visible_text == reply_text
    [group] = await bot.send(bot.api.push_message, f"/ask {text}", chat_type="group")
    assert group.visible_text == reply_text
    [check] = await bot.send(bot.api.push_message, f"/check {text}")
    assert check.visible_text == reply_text.replace("The question", "The claim")
    inline = bot.api.push_inline_query(text)
    await bot.handled(inline)
    assert bot.api.calls_for("answerInlineQuery")[-1].params["results"][0]["title"] == reply_text
    [answer] = await bot.send(bot.api.push_message, COUNT_QUESTION)
    assert answer.visible_text == plain.visible_text
    assert not bot.api.failed_calls


async def test_emoji_only_gets_the_story_does_not_say(bot):
    [reply] = await bot.send(bot.api.push_message, "🤔🔥🇺🇦👍🏽")
    assert reply.visible_text.startswith("The story doesn’t say.")
    update = bot.api.push_inline_query("🤔🔥🇺🇦")
    await bot.handled(update)
    assert bot.api.calls_for("answerInlineQuery") and not bot.api.failed_calls


@pytest.mark.parametrize("question", [
    "Wie viele Länder haben für die Resolution gestimmt?",
    "¿Cuántos países votaron a favor de la resolución?",
    "Сколько стран проголосовали за резолюцию?",
    "כמה מדינות הצביעו בעד ההחלטה?",
])
async def test_a_question_in_another_language_is_tried_and_says_so(bot, question):
    [reply] = await bot.send(bot.api.push_message, question)
    first, rest = reply.visible_text.split("\n", 1)
    assert first == NOTE_TEXT
    assert rest.startswith("The story doesn’t say") or "¶" in rest


async def test_english_questions_get_no_language_note(bot):
    for question in (COUNT_QUESTION, OFF_TOPIC, "What did von der Leyen say?", "netanyahu zelensky call"):
        [reply] = await bot.send(bot.api.push_message, question)
        assert NOTE_TEXT not in reply.visible_text


# ---------------------------------------------------------------------------------------------
# Not text at all


@pytest.mark.parametrize("push", ["push_sticker", "push_photo", "push_voice", "push_location"])
async def test_non_text_gets_a_hint_in_private_and_silence_in_groups(bot, push):
    [hint] = await bot.send(getattr(bot.api, push))
    assert hint.visible_text == HINT
    for kind in ("group", "supergroup"):
        assert await silent(bot, getattr(bot.api, push)(chat_type=kind))


async def test_a_photo_caption_is_not_a_question(bot):
    [hint] = await bot.send(bot.api.push_photo, COUNT_QUESTION)
    assert hint.visible_text == HINT
    assert await silent(bot, bot.api.push_photo(f"@{BOT_USERNAME} {COUNT_QUESTION}", chat_type="group"))


# ---------------------------------------------------------------------------------------------
# Edits, commands, buttons, inline queries


async def test_edited_messages_are_ignored_when_polling(bot):
    [answer] = await bot.send(bot.api.push_message, OFF_TOPIC)
    original = bot.api.calls_for("getUpdates")[-1]
    assert "edited_message" not in original.params["allowed_updates"]  # not even asked for
    question = bot.api.push_message(OFF_TOPIC, user_id=3)
    await bot.handled(question)
    bot.api.push_edited_message(question["message"], COUNT_QUESTION)
    marker = bot.api.push_message("/help", user_id=4)  # updates are handled in order; the edit came first
    await bot.handled(marker)
    [reply] = bot.replies(3)  # the answer to what was asked; the edit got nothing
    assert reply.visible_text == answer.visible_text


async def test_edited_messages_are_ignored_even_when_delivered(hook):
    question = hook.api.push_message(COUNT_QUESTION, chat_type="group")
    edit = hook.api.push_edited_message(question["message"], f"/ask {COUNT_QUESTION}")
    assert await hook.post(edit) == 200
    assert await silent(hook, edit)
    private = hook.api.push_message(COUNT_QUESTION)
    assert await hook.post(hook.api.push_edited_message(private["message"], OFF_TOPIC)) == 200
    assert await hook.post(marker := hook.api.push_message("/help")) == 200
    await hook.handled(marker)
    assert [m.visible_text.split()[0] for m in hook.replies()] == ["How"]  # only /help's answer


async def test_unknown_commands_and_commands_for_other_bots(bot):
    [unknown] = await bot.send(bot.api.push_message, "/frobnicate now")
    assert unknown.visible_text == "I don't know that command. Send /help to see what I can do."
    [other] = await bot.send(bot.api.push_message, "/start@other_bot")
    assert other.visible_text == unknown.visible_text  # in a private chat with us, still ours to answer
    for text in ("/frobnicate", f"/frobnicate@{BOT_USERNAME}", "/ask@other_bot what?", "/help@other_bot"):
        assert await silent(bot, bot.api.push_message(text, chat_type="group"))


async def test_stale_forged_and_odd_button_presses_get_a_short_notice(bot):
    [card] = await bot.send(bot.api.push_message, COUNT_QUESTION)
    for data in ("", "q:" + "A" * 32 + ":0", "x:../../etc:0", "q:tok:-1", "e:-1", "é" * 32, "q:tok:1:extra"):
        assert await bot.send(bot.api.push_callback_query, data, card.message_dict) == []
    # A press on an inline message whose answer the bot no longer remembers.
    assert await bot.send(bot.api.push_callback_query, "x:NoSuchTk:0", inline_message_id="old-inline") == []
    answers = [c.params.get("text") for c in bot.api.calls_for("answerCallbackQuery")]
    assert len(answers) == 8 and all(answers)
    assert not bot.api.failed_calls


async def test_a_256_character_inline_query_gets_valid_results(bot):
    for query in (("how many countries voted in favor of the resolution " * 6)[:256],
                  (HOSTILE_MARKUP + " 87 countries ") * 5,
                  "🇺🇦" * 64):
        query = query[:256]
        update = bot.api.push_inline_query(query)
        await bot.handled(update)
        call = bot.api.calls_for("answerInlineQuery")[-1]
        assert call.params["inline_query_id"] == update["inline_query"]["id"] and call.params["results"]
    assert not bot.api.failed_calls


# ---------------------------------------------------------------------------------------------
# Membership changes and channels


_message_ids = itertools.count(500_000)


def _service_message(bot: LiveBot, chat_id: int, **content) -> dict:
    api = bot.api
    return api.push_update({"message": {
        "message_id": next(_message_ids), "date": int(time.time()),
        "chat": {"id": chat_id, "type": "group", "title": "Newsroom"},
        "from": {"id": 1001, "is_bot": False, "first_name": "Editor"}, **content}})


async def test_added_to_a_group_then_removed_sends_nothing_and_logs_no_error(bot, caplog):
    api = bot.api
    updates = [api.push_my_chat_member(new_status="member"),
               _service_message(bot, GROUP_CHAT_ID, new_chat_members=[api.bot_user]),
               _service_message(bot, GROUP_CHAT_ID, group_chat_created=True),
               api.push_my_chat_member(new_status="left", old_status="member"),
               _service_message(bot, GROUP_CHAT_ID, left_chat_member=api.bot_user)]
    membership = [u for u in updates if "my_chat_member" in u]
    for update in updates:
        if update not in membership:
            assert await silent(bot, update)
    # Not asked for when polling, so Telegram never delivers them: the service message after the
    # last one has been handled, and updates arrive in order.
    assert "my_chat_member" not in api.calls_for("getUpdates")[-1].params["allowed_updates"]
    assert len(membership) == 2 and not any(bot.was_handled(u) for u in membership)
    assert not api.sent_messages() and not api.failed_calls
    assert no_warnings(caplog)


async def test_membership_updates_delivered_anyway_are_ignored(hook, caplog):
    api = hook.api
    for update in (api.push_my_chat_member(new_status="member"),
                   api.push_my_chat_member(new_status="administrator", old_status="member"),
                   api.push_my_chat_member(new_status="left", old_status="administrator"),
                   api.push_my_chat_member(chat_type="private", new_status="kicked")):
        assert await hook.post(update) == 200
        assert await silent(hook, update)
    assert no_warnings(caplog)


async def test_channel_posts_are_ignored(hook, caplog):
    post = hook.api.push_channel_post(f"@{BOT_USERNAME} {COUNT_QUESTION}")
    assert post["channel_post"]["chat"]["id"] == CHANNEL_CHAT_ID
    assert await hook.post(post) == 200
    assert await silent(hook, post)
    assert no_warnings(caplog)
