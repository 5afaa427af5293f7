"""/check, /brief and choosing a chat's story, end to end: the real Application polling the fake
Bot API over real HTTP (storybot/testing/botapi.py); every assertion is on what the bot sent."""

from __future__ import annotations

import json
import re

import pytest

from storybot.testing.paths import SECOND_STORY_ID, STORY_ID
from storybot.testing.botapi import BOT_USERNAME, GROUP_CHAT_ID, SentMessage
from storybot.testing.markup import MAX_MESSAGE_LENGTH, utf16_len
from storybot.testing.livebot import buttons, entities_of, running_bot

STORY_TITLE = "Netanyahu asked Zelensky to vote against UN resolution on Israeli occupation"
SECOND_TITLE = "Riverton council approves bridge repairs despite mayor's veto threat"
# Both stories answer it: which one is quoted shows which story the chat uses.
VOTE_QUESTION = "How many voted in favor?"
_ATTRIBUTION = re.compile(r"— (?:(?P<speaker>.+), )?¶(?P<paragraph>\d+)")


def lines(message: SentMessage) -> list[str]:
    return message.visible_text.splitlines()


def chat_state(data_dir) -> dict:
    """What the database in `data_dir` holds per chat, as {"<chat id>": data}."""
    from storybot.storage import SQLITE_FILE, Storage

    storage = Storage.sqlite(data_dir / SQLITE_FILE)
    try:
        return {str(chat): data for chat, data in storage.chats().items()}
    finally:
        storage.close()


@pytest.fixture
async def bot(engine, tmp_path):
    async with running_bot(engine, data_dir=tmp_path) as running:
        yield running


# ---------------------------------------------------------------------------------------------
# /check


VERDICTS = [
    # claim, header, paragraph of the deciding quote (None: no quote), words the reason must name
    ("87 countries voted in favor of the resolution", "✅ Supported", 3, ["87"]),
    ("78 countries voted in favor", "❌ Contradicted", 3, ["87", "78"]),
    ("24 countries voted in favor", "❌ Contradicted", 3, ["24 countries voting against"]),
    ("53 countries abstained", "✅ Supported", 3, ["53"]),
    ("Ukraine voted against the resolution at the General Assembly", "❌ Contradicted", 2, ["did not attend"]),
    ("Netanyahu promised Zelensky air defense systems", "❌ Contradicted", 11, ["didn’t commit"]),
    ("The ICJ opinion could take up to two years", "✅ Supported", 4, ["two years"]),
    ("Netanyahu was sworn in on Thursday", "✅ Supported", 9, ["Thursday"]),
    ("Netanyahu was sworn in on Monday", "❌ Contradicted", 9, ["Thursday", "Monday"]),
    ("Israel delivered Iron Dome to Ukraine", "❔ Not in the story", None, []),
]


@pytest.mark.parametrize(("claim", "header", "paragraph", "named"), VERDICTS, ids=[v[0] for v in VERDICTS])
async def test_check_gives_the_verdict_and_the_deciding_quote(bot, engine, claim, header, paragraph, named):
    [reply] = await bot.send(bot.api.push_message, f"/check {claim}")
    verdict, reason, *rest = lines(reply)
    assert verdict == header
    assert all(word in reason for word in named), reason
    quotes = entities_of(reply, "blockquote")
    if paragraph is None:
        assert not quotes and not entities_of(reply, "bold")[1:]  # only the verdict is bold
        return
    attributions = [line for line in rest if line.startswith("— ")]
    assert attributions[0].endswith(f"Axios, “{STORY_TITLE}”, ¶{paragraph}")
    assert quotes[0] == engine.index.paragraph(STORY_ID, paragraph).text  # the paragraph, verbatim
    deciding = entities_of(reply, "bold")[1]  # after the verdict: the deciding sentence
    assert deciding in quotes[0] and len(deciding) > 20


async def test_check_usage_errors_and_groups(bot):
    [usage] = await bot.send(bot.api.push_message, "/check")
    assert usage.visible_text.startswith("Put the claim to check after the command")
    [too_long] = await bot.send(bot.api.push_message, "/check " + "vote " * 300)
    assert too_long.visible_text.startswith("The claim is too long")
    for command in ("/check", f"/check@{BOT_USERNAME}"):
        update = bot.api.push_message(f"{command} 78 countries voted in favor", chat_type="group")
        await bot.handled(update)
        reply = bot.api.sent_messages()[-1]
        assert reply.chat_id == GROUP_CHAT_ID and reply.reply_to_message_id == update["message"]["message_id"]
        assert lines(reply)[0] == "❌ Contradicted"
    assert await bot.send(bot.api.push_message, "/check@other_bot 78 countries voted in favor",
                          chat_type="group") == []


# ---------------------------------------------------------------------------------------------
# /brief


def assert_brief(message: SentMessage, engine, story_id: str, title: str, outlet: str) -> list[int]:
    """The brief of `story_id`: header, 3–6 verbatim points (whole sentences) in story order, each with its ¶
    and speaker; within Telegram's limit. Returns the paragraph numbers."""
    assert utf16_len(message.visible_text) <= MAX_MESSAGE_LENGTH
    head, count, *body = lines(message)
    assert head == f"📰 {title} — {outlet}"
    quotes = entities_of(message, "blockquote")
    assert 3 <= len(quotes) <= 6 and count == f"{len(quotes)} key points, in story order"
    assert len(body) == 2 * len(quotes) and body[::2] == quotes
    numbers = []
    for sentence, where in zip(quotes, body[1::2]):
        match = _ATTRIBUTION.fullmatch(where)
        assert match, where
        paragraph = engine.index.paragraph(story_id, int(match["paragraph"]))
        # whole sentences of that paragraph, word for word (more than one when a quote runs on)
        assert sentence in paragraph.text
        assert sentence.startswith(tuple(paragraph.sentences)) and sentence.endswith(tuple(paragraph.sentences))
        assert match["speaker"] == paragraph.speaker
        numbers.append(paragraph.number)
    assert numbers == sorted(set(numbers))
    return numbers


async def test_brief_is_verbatim_ordered_and_fits(bot, engine):
    [reply] = await bot.send(bot.api.push_message, "/brief")
    numbers = assert_brief(reply, engine, STORY_ID, STORY_TITLE, "Axios")
    assert numbers[0] == 1  # the lede leads
    assert "the Ukrainian official, ¶2" in reply.visible_text


async def test_brief_in_a_group_needs_no_mention(bot, engine):
    update = bot.api.push_message("/brief", chat_type="supergroup")
    await bot.handled(update)
    [reply] = bot.api.sent_messages()
    assert reply.reply_to_message_id == update["message"]["message_id"]
    assert_brief(reply, engine, STORY_ID, STORY_TITLE, "Axios")
    [unknown] = await bot.send(bot.api.push_message, "/brief no-such-story", chat_type="supergroup")
    assert unknown.visible_text == f"There is no story with id “no-such-story”. The ids are: {STORY_ID}."


async def test_commands_menu_and_help_name_the_new_commands(bot):
    [call] = bot.api.calls_for("setMyCommands")
    assert {"check", "brief", "story"} <= {c["command"] for c in call.params["commands"]}
    [help_] = await bot.send(bot.api.push_message, "/help")
    assert "/check <claim>" in help_.visible_text and "/brief" in help_.visible_text


# ---------------------------------------------------------------------------------------------
# Several stories


async def test_brief_lists_the_stories_and_a_press_chooses_one_that_survives_a_restart(two_story_engine, tmp_path):
    async with running_bot(two_story_engine, data_dir=tmp_path) as bot:
        [picker] = await bot.send(bot.api.push_message, "/brief", chat_type="group")
        assert picker.visible_text.startswith("Which story?")
        choices = {b["text"]: b["callback_data"] for b in buttons(picker)}
        assert set(choices) == {STORY_TITLE, SECOND_TITLE}
        assert all(len(data.encode()) <= 64 for data in choices.values())
        [brief] = await bot.send(bot.api.push_callback_query, choices[SECOND_TITLE], picker.message_dict)
        assert brief.chat_id == GROUP_CHAT_ID and brief.method == "sendMessage"
        assert_brief(brief, two_story_engine, SECOND_STORY_ID, SECOND_TITLE, "Riverton Gazette")
        [toast] = bot.api.calls_for("answerCallbackQuery")
        assert toast.params["text"] == f"This chat now quotes only “{SECOND_TITLE}”."
        assert chat_state(tmp_path) == {str(GROUP_CHAT_ID): {"story": SECOND_STORY_ID}}  # on disk at once
        [answer] = await bot.send(bot.api.push_message, f"/ask {VOTE_QUESTION}", chat_type="group")
        assert "7 to 2" in entities_of(answer, "blockquote")[0] and SECOND_TITLE in answer.visible_text

    # A new process with the same data dir: the group still quotes the chosen story.
    async with running_bot(two_story_engine, data_dir=tmp_path) as bot:
        [answer] = await bot.send(bot.api.push_message, f"/ask {VOTE_QUESTION}", chat_type="group")
        assert "7 to 2" in entities_of(answer, "blockquote")[0]
        assert f"“{SECOND_TITLE}”, ¶3" in answer.visible_text  # the answer says which story it quotes
        [brief] = await bot.send(bot.api.push_message, "/brief", chat_type="group")
        assert_brief(brief, two_story_engine, SECOND_STORY_ID, SECOND_TITLE, "Riverton Gazette")
        [check] = await bot.send(bot.api.push_message, "/check The council voted 7 to 2", chat_type="group")
        assert lines(check)[0] == "✅ Supported" and f"“{SECOND_TITLE}”, ¶3" in check.visible_text
        # Another chat was never asked to choose: it still gets the list.
        [picker] = await bot.send(bot.api.push_message, "/brief")
        assert picker.visible_text.startswith("Which story?")


async def test_story_command_sets_clears_and_rejects_unknown_ids(two_story_engine, tmp_path):
    async with running_bot(two_story_engine, data_dir=tmp_path) as bot:
        [unknown] = await bot.send(bot.api.push_message, "/story bridge")
        assert unknown.visible_text == \
            f"There is no story with id “bridge”. The ids are: {STORY_ID}, {SECOND_STORY_ID}."
        [chosen] = await bot.send(bot.api.push_message, f"/story {STORY_ID.upper()}")
        assert chosen.visible_text.startswith(f"This chat now quotes only “{STORY_TITLE}” — Axios.")
        [answer] = await bot.send(bot.api.push_message, VOTE_QUESTION)
        assert "87 countries voting in favor" in entities_of(answer, "blockquote")[0]
        assert f"“{STORY_TITLE}”, ¶3" in answer.visible_text

        # Inline queries have no chat: they follow the user's choice in the private chat.
        await bot.send(bot.api.push_message, f"/story {SECOND_STORY_ID}")
        await bot.handled(bot.api.push_inline_query(VOTE_QUESTION))
        [inline] = bot.api.calls_for("answerInlineQuery")
        assert inline.params["results"]
        assert all(SECOND_TITLE in r["description"] for r in inline.params["results"])
        await bot.handled(bot.api.push_inline_query(VOTE_QUESTION, user_id=7007))  # chose nothing
        assert any(STORY_TITLE in r["description"] for r in bot.api.calls_for("answerInlineQuery")[1].params["results"])

        [cleared] = await bot.send(bot.api.push_message, "/story all")
        assert cleared.visible_text == "This chat now quotes all 2 stories."
        assert chat_state(tmp_path) == {}
        [picker] = await bot.send(bot.api.push_message, "/brief")
        assert picker.visible_text.startswith("Which story?")


async def test_inline_names_the_chosen_story_and_offers_the_others(two_story_engine, tmp_path):
    async with running_bot(two_story_engine, data_dir=tmp_path) as bot:
        await bot.send(bot.api.push_message, f"/story {STORY_ID}")
        # Only the other story answers: say the chosen one doesn't, by title, then quote the other.
        await bot.handled(bot.api.push_inline_query("Why is the bridge closed to trucks?"))
        notice, *others = bot.api.calls_for("answerInlineQuery")[-1].params["results"]
        assert notice["title"] == f"“{STORY_TITLE}” doesn’t say — other stories do:"
        assert notice["input_message_content"]["message_text"].count(f"“{STORY_TITLE}” doesn’t say.") == 1
        assert others and all(SECOND_TITLE in r["description"] for r in others)
        assert "closed to trucks" in others[0]["input_message_content"]["message_text"]
        # No story answers: still say which story was searched.
        await bot.handled(bot.api.push_inline_query("What is the capital of France?"))
        [nothing] = bot.api.calls_for("answerInlineQuery")[-1].params["results"]
        assert nothing["title"] == f"“{STORY_TITLE}” doesn’t say."
        # In the private chat the same question names the story too.
        [reply] = await bot.send(bot.api.push_message, "Why is the bridge closed to trucks?")
        assert lines(reply)[0] == f"“{STORY_TITLE}” doesn’t say."


async def test_sources_lists_ids_and_its_buttons_choose(two_story_engine, tmp_path):
    async with running_bot(two_story_engine, data_dir=tmp_path) as bot:
        [listing] = await bot.send(bot.api.push_message, "/sources", chat_type="group")
        assert listing.visible_text.startswith("Stories I can quote (2)")
        assert f"Riverton Gazette, 10 paragraphs · {SECOND_STORY_ID}" in listing.visible_text
        assert "✓" not in listing.visible_text
        [data] = [b["callback_data"] for b in buttons(listing) if b["text"] == SECOND_TITLE]
        [edited] = await bot.send(bot.api.push_callback_query, data, listing.message_dict)
        assert edited.method == "editMessageText" and edited.message_id == listing.message_id
        assert f"{SECOND_STORY_ID} ✓ this chat’s story" in edited.visible_text
        assert [b["text"] for b in buttons(edited)] == [STORY_TITLE, f"✓ {SECOND_TITLE}"]
        # Pressing it again changes nothing and fails nothing; a forged story id is refused.
        assert await bot.send(bot.api.push_callback_query, data, listing.message_dict) == []
        assert await bot.send(bot.api.push_callback_query, "s:no-such-story", listing.message_dict) == []
        answers = [c.params.get("text") for c in bot.api.calls_for("answerCallbackQuery")]
        assert answers[-1].startswith("That story is no longer available")
        [current] = await bot.send(bot.api.push_message, "/story", chat_type="group")
        assert current.visible_text == edited.visible_text


async def test_a_remembered_story_that_left_the_index_is_ignored(two_story_engine, engine, tmp_path):
    (tmp_path / "chats.json").write_text(json.dumps({"1001": {"story": SECOND_STORY_ID}}), encoding="utf-8")
    async with running_bot(engine, data_dir=tmp_path) as bot:  # only the bundled story now
        [answer] = await bot.send(bot.api.push_message, VOTE_QUESTION)
        assert f"“{STORY_TITLE}”, ¶3" in answer.visible_text
        [brief] = await bot.send(bot.api.push_message, "/brief")
        assert lines(brief)[0] == f"📰 {STORY_TITLE} — Axios"


async def test_the_chats_file_of_older_versions_is_moved_into_the_database_once(two_story_engine, tmp_path):
    (tmp_path / "chats.json").write_text(json.dumps({"1001": {"story": SECOND_STORY_ID}}), encoding="utf-8")
    async with running_bot(two_story_engine, data_dir=tmp_path) as bot:
        [answer] = await bot.send(bot.api.push_message, VOTE_QUESTION)
        assert f"“{SECOND_TITLE}”, ¶3" in answer.visible_text
        await bot.send(bot.api.push_message, "/story all")
    assert not (tmp_path / "chats.json").exists() and (tmp_path / "chats.json.migrated").exists()
    # The renamed file is not imported again: the cleared choice stays cleared.
    async with running_bot(two_story_engine, data_dir=tmp_path) as bot:
        [picker] = await bot.send(bot.api.push_message, "/brief")
        assert picker.visible_text.startswith("Which story?")
    assert chat_state(tmp_path) == {}


async def test_a_damaged_state_file_is_set_aside(engine, tmp_path, caplog):
    (tmp_path / "chats.json").write_text("{not json", encoding="utf-8")
    async with running_bot(engine, data_dir=tmp_path) as bot:
        [brief] = await bot.send(bot.api.push_message, "/brief")
        assert lines(brief)[0] == f"📰 {STORY_TITLE} — Axios"
        await bot.send(bot.api.push_message, f"/story {STORY_ID}")
    assert (tmp_path / "chats.json.damaged").read_text(encoding="utf-8") == "{not json"
    assert chat_state(tmp_path) == {"1001": {"story": STORY_ID}}
    assert any("could not read" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------------------------------------
# Limits (rendering only: the stories above are short)


def test_long_briefs_and_verdicts_fit_one_message_with_valid_html():
    from storybot.bot import render
    from storybot.testing.markup import format_text
    from storybot.index.models import Brief, ClaimCheck, Passage

    sentence = "The <council> & the mayor’s office “agreed” on 1 < 2 things 🎉, " * 30 + "said the clerk."
    point = Passage(source="s", title="A <title> & more", outlet="Gazette & Co", paragraph=1, text=sentence * 2,
                    highlight=sentence, speaker="the clerk", score=1.0)
    points = [point.model_copy(update={"paragraph": n}) for n in range(1, 7)]
    brief = Brief(source="s", title=point.title, outlet=point.outlet, points=points)
    verdict = ClaimCheck(claim="x", verdict="supported", reason="the story says " + sentence, evidence=points[:3])
    for html in (render.brief_card(brief, "https://example.org/a?b=1&c=2"), render.check_card(verdict, {"s": None})):
        visible, entities = format_text(html, "HTML")  # raises on invalid Telegram HTML
        assert utf16_len(visible) <= MAX_MESSAGE_LENGTH
        assert "A <title> & more" in visible or "The <council> & the mayor’s office" in visible
    visible, _ = format_text(render.brief_card(brief, None), "HTML")
    assert visible.startswith("📰 A <title> & more — Gazette & Co\n6 key points, in story order\n")
    assert [int(n) for n in re.findall(r"¶(\d)", visible)] == [1, 2, 3, 4, 5, 6]  # every point kept, trimmed
