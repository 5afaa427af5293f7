"""Tests of the fake Bot API server itself, over real HTTP: raw httpx and a real PTB Bot."""

import asyncio
import concurrent.futures
import socket
import time

import httpx
import pytest
import pytest_asyncio
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    MessageEntity,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import Application, CommandHandler

from storybot.testing.botapi import BOT_USERNAME, DEFAULT_USER_ID, FakeBotAPI

TOKEN = "123:abc"
CHAT = DEFAULT_USER_ID  # a private chat has the user's id


@pytest_asyncio.fixture
async def api():
    async with FakeBotAPI(token=TOKEN) as server:
        yield server


@pytest_asyncio.fixture
async def bot(api):
    async with Bot(TOKEN, base_url=api.base_url) as telegram_bot:  # calls getMe
        yield telegram_bot


@pytest_asyncio.fixture
async def http(api):
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api.port}/bot{TOKEN}/") as client:
        yield client


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data=data)]])


# ------------------------------------------------------------------------------ basics


@pytest.mark.asyncio
async def test_get_me_over_raw_http(api, http):
    response = await http.post("getMe")
    assert response.status_code == 200
    me = response.json()["result"]
    assert me["id"] == 123 and me["is_bot"] and me["username"] == BOT_USERNAME
    assert me["can_join_groups"] and me["supports_inline_queries"]
    assert (await http.get("getme")).status_code == 200  # method names are case-insensitive
    assert len(api.calls_for("getMe")) == 2


@pytest.mark.asyncio
async def test_wrong_token_and_unknown_method(api):
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api.port}") as client:
        unauthorized = await client.post("/bot123:wrong/getMe")
        unknown = await client.post(f"/bot{TOKEN}/sendTelepathy")
    assert unauthorized.status_code == 401
    assert unauthorized.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert api.calls == []
    assert [call.status for call in api.failed_calls] == [401, 404]


@pytest.mark.asyncio
async def test_ptb_sends_valid_html(api, bot):
    assert (await bot.get_me()).username == BOT_USERNAME
    source = '<b>Once</b> upon a <a href="https://example.com/?a=1&b=2">time</a> &lt;3'
    message = await bot.send_message(
        CHAT,
        source,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard("next"),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert message.text == "Once upon a time <3"
    assert message.from_user.username == BOT_USERNAME and message.chat.id == CHAT
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        (MessageEntity.BOLD, 0, 4),
        (MessageEntity.TEXT_LINK, 12, 4),
    ]
    assert message.entities[1].url == "https://example.com/?a=1&b=2"
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "next"
    assert (await bot.send_message(CHAT, "second")).message_id == message.message_id + 1

    first = api.sent_messages(chat_id=CHAT)[0]
    assert first.text == source and first.visible_text == "Once upon a time <3"
    assert first.parse_mode == "HTML"
    assert first.reply_markup == {"inline_keyboard": [[{"text": "Next", "callback_data": "next"}]]}
    assert first.link_preview_options == {"is_disabled": True}
    assert api.calls_for("sendMessage")[0].params["chat_id"] == CHAT  # form value decoded


@pytest.mark.asyncio
async def test_json_and_multipart_bodies_are_accepted(api, http):
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}
    as_json = await http.post(
        "sendMessage",
        json={"chat_id": CHAT, "text": "<i>json</i>", "parse_mode": "HTML", "reply_markup": markup},
    )
    as_multipart = await http.post(
        "sendMessage",
        data={"chat_id": str(CHAT), "text": "multipart"},
        files={"unused": ("note.txt", b"x", "text/plain")},
    )
    assert as_json.json()["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 4}]
    assert as_multipart.json()["result"]["text"] == "multipart"
    assert api.calls_for("sendMessage")[0].params["reply_markup"] == markup


# ------------------------------------------------------------------------------ validation


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "text",
    ["<b>x", "<div>x</div>", "a < b", "fish & chips", "<b>x</i>", "x</b>", "<span>x</span>"],
)
async def test_invalid_html_is_rejected(api, bot, text):
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
    assert api.calls_for("sendMessage") == [] and api.sent_messages() == []
    assert [(call.method, call.status) for call in api.failed_calls] == [("sendMessage", 400)]


@pytest.mark.asyncio
async def test_html_error_description_matches_telegram(http):
    response = await http.post(
        "sendMessage", data={"chat_id": CHAT, "text": "a < b", "parse_mode": "HTML"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: can't parse entities: "
        'Unsupported start tag "" at byte offset 2',
    }


@pytest.mark.asyncio
async def test_length_is_measured_after_entity_parsing(bot):
    async def send(text):
        return await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)

    assert len((await send("<b>x</b>" * 4000)).text) == 4000  # 32000 characters of source
    assert len((await send("&lt;" * 4096)).text) == 4096
    await send("y" * 4096)
    await send("😀" * 2048)  # 4096 UTF-16 code units
    for too_long in ("y" * 4097, "<b>" + "y" * 4097 + "</b>", "😀" * 2049):
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await send(too_long)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await send("<b> </b>")


@pytest.mark.asyncio
async def test_callback_data_is_limited_to_64_bytes(api, bot):
    await bot.send_message(CHAT, "ok", reply_markup=keyboard("é" * 32))  # 64 bytes
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "too much", reply_markup=keyboard("é" * 32 + "x"))
    assert len(api.sent_messages()) == 1


@pytest.mark.asyncio
async def test_edits_and_message_not_modified(api, bot):
    sent = await bot.send_message(CHAT, "draft", reply_markup=keyboard("k"))
    edited = await bot.edit_message_text(
        "<b>final</b>", CHAT, sent.message_id, parse_mode=ParseMode.HTML, reply_markup=keyboard("k")
    )
    assert edited.text == "final" and edited.edit_date is not None
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text(
            "<b>final</b>", CHAT, sent.message_id, parse_mode="HTML", reply_markup=keyboard("k")
        )
    stripped = await bot.edit_message_reply_markup(CHAT, sent.message_id)
    assert stripped.reply_markup is None
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", CHAT, 999)
    assert [m.method for m in api.sent_messages()] == [
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
    ]
    assert api.sent_messages()[-1].text is None
    assert api.sent_messages()[-1].visible_text == "final"


@pytest.mark.asyncio
async def test_commands_round_trip_and_validation(bot):
    await bot.set_my_commands([("ask", "Ask the storyteller")])
    assert [c.command for c in await bot.get_my_commands()] == ["ask"]
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Ask", "uppercase is invalid")])
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


# ------------------------------------------------------------------------------ updates


@pytest.mark.asyncio
async def test_get_updates_offset_and_limit(api, bot):
    api.push_message("/ask@storybot_test_bot once upon a time", chat_type="group")
    api.push_message("@storybot_test_bot hi", chat_type="supergroup")
    api.push_message("plain")

    first_two = await bot.get_updates(limit=2)
    assert len(first_two) == 2 and first_two[0].update_id < first_two[1].update_id
    command, mention = first_two[0].message, first_two[1].message
    assert command.chat.type == "group"
    assert command.parse_entities([MessageEntity.BOT_COMMAND]).popitem()[1] == (
        "/ask@storybot_test_bot"
    )
    assert mention.chat.type == "supergroup"
    assert mention.parse_entities([MessageEntity.MENTION]).popitem()[1] == "@storybot_test_bot"

    rest = await bot.get_updates(offset=first_two[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["plain"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()
    assert await bot.get_updates() == ()  # confirmed updates are gone for good


@pytest.mark.asyncio
async def test_long_poll_waits_for_timeout_or_update(api, bot, http):
    started = time.monotonic()
    response = await http.post("getUpdates", data={"timeout": "0.5"})
    assert response.json()["result"] == []
    assert time.monotonic() - started >= 0.45

    # Pushed while the poll waits: the poll returns it rather than waiting out its timeout.
    asyncio.get_running_loop().call_later(0.2, api.push_message, "wake up")
    started = time.monotonic()
    updates = await bot.get_updates(timeout=30)
    assert [u.message.text for u in updates] == ["wake up"]
    assert time.monotonic() - started >= 0.15


@pytest.mark.asyncio
async def test_second_poller_terminates_the_first(http):
    first = asyncio.create_task(http.post("getUpdates", data={"timeout": 5}))
    await asyncio.sleep(0.1)
    second = await http.post("getUpdates", data={"timeout": 0})
    assert second.status_code == 200
    conflict = await first
    assert conflict.status_code == 409
    assert conflict.json()["description"].startswith("Conflict: terminated by other getUpdates")


@pytest.mark.asyncio
async def test_replies_callback_and_inline_queries(api, bot):
    await bot.send_message(CHAT, "Pick a path", reply_markup=keyboard("left"))
    bot_message = api.sent_messages()[-1].message_dict
    api.push_message("this one", reply_to=bot_message)
    api.push_callback_query("left", message=bot_message)
    api.push_inline_query("dragons")
    reply, press, inline = await bot.get_updates()

    assert reply.message.reply_to_message.from_user.id == bot.id
    assert reply.message.reply_to_message.text == "Pick a path"
    answer = await bot.send_message(
        CHAT, "noted", reply_parameters=ReplyParameters(reply.message.message_id)
    )
    assert answer.reply_to_message.text == "this one"
    assert api.sent_messages()[-1].reply_to_message_id == reply.message.message_id
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await bot.send_message(CHAT, "x", reply_parameters=ReplyParameters(999))

    assert press.callback_query.data == "left"
    assert press.callback_query.message.message_id == bot_message["message_id"]
    assert await bot.answer_callback_query(press.callback_query.id, text="Going left")
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(press.callback_query.id)

    def article(result_id, text="<b>ok</b>"):
        content = InputTextMessageContent(text, parse_mode=ParseMode.HTML)
        return InlineQueryResultArticle(result_id, "title", content)

    query_id = inline.inline_query.id
    for results, error in [
        ([article(str(n)) for n in range(51)], "RESULTS_TOO_MUCH"),
        ([article("x" * 65)], "RESULT_ID_INVALID"),
        ([article("1", "<b>unclosed")], "can't parse entities"),
        ([article("1", "y" * 4097)], "message is too long"),
    ]:
        with pytest.raises(BadRequest, match=f"(?i){error}"):
            await bot.answer_inline_query(query_id, results)
    assert await bot.answer_inline_query(query_id, [article(str(n)) for n in range(50)])


@pytest.mark.asyncio
async def test_pushed_updates_parse_in_ptb(api, bot):
    message = api.push_message("before")["message"]
    api.push_edited_message(message, "after /ask")
    api.push_sticker(chat_type="group")
    api.push_photo(caption="a dragon")
    api.push_voice()
    api.push_location()
    api.push_my_chat_member()
    api.push_my_chat_member(new_status="administrator", chat_type="supergroup")
    api.push_my_chat_member(new_status="kicked", chat_type="private")
    api.push_channel_post("news")
    api.push_chosen_inline_result("1", query="dragons", inline_message_id="inline-1")

    updates = await bot.get_updates()
    assert len(updates) == 11
    edited, sticker, photo, voice, location, added, promoted, blocked, post, chosen = updates[1:]
    assert edited.edited_message.text == "after /ask" and edited.edited_message.edit_date
    assert edited.edited_message.entities[0].type == MessageEntity.BOT_COMMAND
    assert sticker.message.sticker.emoji and sticker.message.chat.type == "group"
    assert photo.message.caption == "a dragon" and len(photo.message.photo) == 3
    assert voice.message.voice.mime_type == "audio/ogg" and location.message.location.latitude
    assert added.my_chat_member.new_chat_member.status == "member"
    assert added.my_chat_member.old_chat_member.status == "left"
    assert promoted.my_chat_member.new_chat_member.can_delete_messages
    assert blocked.my_chat_member.chat.type == "private"
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert post.channel_post.chat.type == "channel" and post.channel_post.text == "news"
    assert chosen.chosen_inline_result.inline_message_id == "inline-1"
    assert await bot.edit_message_text("edited inline", inline_message_id="inline-1") is True


@pytest.mark.asyncio
async def test_ptb_application_polls_and_replies(api):
    async def ask(update, context):
        await update.message.reply_html(f"<b>{' '.join(context.args)}</b>")

    app = Application.builder().token(TOKEN).base_url(api.base_url).build()
    app.add_handler(CommandHandler("ask", ask))
    async with app:
        await app.start()
        await app.updater.start_polling(timeout=10)
        asked = api.push_message("/ask@storybot_test_bot who won?", chat_type="group")
        await api.wait_for("sendMessage", timeout=5)
        await app.updater.stop()
        await app.stop()
    [reply] = api.sent_messages()
    assert reply.text == "<b>who won?</b>" and reply.visible_text == "who won?"
    assert reply.chat_id == asked["message"]["chat"]["id"]
    assert reply.reply_to_message_id == asked["message"]["message_id"]


# ------------------------------------------------------------------------------ faults


@pytest.mark.asyncio
async def test_502_injection_for_a_count_and_a_duration(api, bot):
    api.fail("sendMessage", count=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(CHAT, "attempt")
    await bot.get_me()  # other methods are unaffected
    await bot.send_message(CHAT, "attempt")
    assert len(api.calls_for("sendMessage")) == 1  # delivered exactly once
    assert [c.status for c in api.failed_calls] == [502, 502]

    api.fail(duration=0.3)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    await asyncio.sleep(0.35)
    await bot.get_me()


@pytest.mark.asyncio
async def test_429_flood_control(api, bot, http):
    api.flood("sendMessage", retry_after=2)
    raw = await http.post("sendMessage", data={"chat_id": CHAT, "text": "hi"})
    assert raw.status_code == 429
    assert raw.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 2",
        "parameters": {"retry_after": 2},
    }
    api.flood(None, retry_after=1)
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "hi")
    await bot.send_message(CHAT, "hi")
    assert len(api.sent_messages()) == 1


@pytest.mark.asyncio
async def test_refused_connections_then_recovery_on_the_same_port(api, bot, http):
    assert (await http.post("getMe")).status_code == 200  # leaves a keep-alive connection
    port = api.port
    api.refuse_connections(0.4)
    assert not api.listening
    # The pooled keep-alive connection was dropped; whichever way the client notices that,
    # it then cannot open a new one.
    with pytest.raises((httpx.RemoteProtocolError, httpx.ConnectError)):
        await http.post("getMe")
    with pytest.raises(httpx.ConnectError):
        await http.post("getMe")
    with pytest.raises(NetworkError):
        await bot.get_me()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port)):
        pass

    deadline = time.monotonic() + 3
    while not api.listening and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert api.port == port
    assert (await http.post("getMe")).status_code == 200
    assert (await bot.get_me()).username == BOT_USERNAME


@pytest.mark.asyncio
async def test_latency(api, http):
    api.set_latency(0.2, "getMe")
    started = time.monotonic()
    await http.post("getMe")
    assert time.monotonic() - started >= 0.2
    # Only the method named is delayed: asked after a delayed getMe, getWebhookInfo overtakes it.
    api.set_latency(5, "getMe")
    slow = asyncio.create_task(http.post("getMe"))
    fast = asyncio.create_task(http.post("getWebhookInfo"))
    done, _ = await asyncio.wait({slow, fast}, return_when=asyncio.FIRST_COMPLETED)
    assert done == {fast} and fast.result().status_code == 200
    slow.cancel()
    await asyncio.gather(slow, return_exceptions=True)


# ------------------------------------------------------------------------------ waiting


@pytest.mark.asyncio
async def test_wait_for(api, http):
    with pytest.raises(TimeoutError, match="sendMessage"):
        await api.wait_for("sendMessage", timeout=0.1)

    async def send_two():
        for text in ("one", "two"):
            await asyncio.sleep(0.05)
            await http.post("sendMessage", data={"chat_id": CHAT, "text": text})

    sender = asyncio.create_task(send_two())
    calls = await api.wait_for("sendMessage", count=2, timeout=3)
    await sender
    assert [c.params["text"] for c in calls] == ["one", "two"]
    [two] = await api.wait_for(lambda call: call.params.get("text") == "two")
    assert two.result["text"] == "two"

    await http.post(
        "sendMessage", data={"chat_id": CHAT, "text": "<b>", "parse_mode": "HTML"}
    )
    [failed] = await api.wait_for("sendMessage", failed=True, timeout=1)
    assert failed.status == 400


def test_threaded_mode():
    with FakeBotAPI(token=TOKEN) as api, httpx.Client(
        base_url=f"http://127.0.0.1:{api.port}/bot{TOKEN}/"
    ) as client, concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert client.post("getMe").json()["result"]["username"] == BOT_USERNAME
        poll = pool.submit(client.post, "getUpdates", data={"timeout": 5})
        time.sleep(0.1)
        api.push_message("from the test thread")
        assert poll.result(timeout=2).json()["result"][0]["message"]["text"] == (
            "from the test thread"
        )
        [getme] = api.wait_for_sync("getMe", timeout=1)
        assert getme.ok
        assert len(asyncio.run(api.wait_for("getUpdates", timeout=1))) == 1  # from another loop
