"""The newsroom in Telegram, end to end on the local Bot API: editors add stories from a link,
/add, a document or a forwarded channel post; everyone else is refused politely; /follow posts
what is new after a rebuild, once, across restarts; /gaps shows what readers asked."""

from __future__ import annotations

import shutil

import pytest

from storybot.testing.botapi import GROUP_CHAT_ID
from storybot.testing.livebot import entities_of, running_bot
from storybot.testing.paths import FIXTURES, SOURCES, STORY_ID
from storybot.testing.website import serve_website

EDITOR = 4242
READER = 1001  # the fake's default user
LEDGER_TITLE = "Port of Calder expands ferry service after record summer"
LEDGER_ID = "port-of-calder-expands-ferry-service"
STORY_TITLE = "Netanyahu asked Zelensky to vote against UN resolution on Israeli occupation"


@pytest.fixture(scope="module")
def site():
    with serve_website() as website:
        yield website


@pytest.fixture
def newsroom(tmp_path, embedder):
    """A sources directory with the bundled story, its index and an engine over it; what the bot
    settings need to add stories there."""
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import build_index, load_index

    sources, index_dir = tmp_path / "sources", tmp_path / "index"
    sources.mkdir()
    shutil.copy(SOURCES / f"{STORY_ID}.md", sources)
    build_index(sources, index_dir, embedder)
    settings = dict(data_dir=tmp_path / "data", sources=sources, index=index_dir, editors=[EDITOR],
                    allow_private_urls=True)
    return Engine(load_index(index_dir), embedder), settings


def assert_added(replies, title: str, outlet: str, status: str) -> None:
    card, brief = replies
    assert card.visible_text.startswith("Stories I can quote (1)") and title in card.visible_text
    assert status in card.visible_text
    assert brief.visible_text.startswith(f"📰 {title} — {outlet}")
    assert 3 <= len(entities_of(brief, "blockquote")) <= 6


async def test_editors_add_from_a_link_a_command_a_document_and_a_forwarded_post(site, newsroom):
    engine, settings = newsroom
    async with running_bot(engine, **settings) as bot:
        replies = await bot.send(bot.api.push_message, site.url("/news/ledger-jsonld"), user_id=EDITOR)
        assert_added(replies, LEDGER_TITLE, "The Calder Ledger", f"Added as {LEDGER_ID}.")
        [answer] = await bot.send(bot.api.push_message, "How many passengers did the ferry carry last summer?",
                                  user_id=EDITOR)
        assert "412,000" in entities_of(answer, "blockquote")[0]  # served at once, no restart

        replies = await bot.send(bot.api.push_message, f"/add {site.url('/news/ledger-jsonld')}",
                                 chat_type="group", user_id=EDITOR)
        assert_added(replies, LEDGER_TITLE, "The Calder Ledger", f"{LEDGER_ID} is already up to date.")
        assert replies[0].chat_id == GROUP_CHAT_ID

        page = (FIXTURES / "pages" / "gazette-meta.html").read_bytes()
        replies = await bot.send(bot.api.push_document, page, "library.html", user_id=EDITOR)
        assert_added(replies, "Millbrook library to open on Sundays", "Millbrook Gazette",
                     "Added as millbrook-library-to-open-on-sundays.")
        text = "# Tram line 4 to close for summer works\n\nTram line 4 will close from July 1 to August 31 for track " \
               "renewal, the transit agency said.\n\nReplacement buses will run every ten minutes."
        replies = await bot.send(bot.api.push_document, text.encode(), "tram.md", mime_type="text/markdown",
                                 user_id=EDITOR)
        assert "Added as tram-line-4-to-close-for-summer-works." in replies[0].visible_text

        post = "Ferry strike called off\nThe ferry workers' union called off Friday's strike after the port " \
               "authority agreed to hire 12 more deckhands, union secretary Ana Reyes said."
        replies = await bot.send(bot.api.push_forwarded_channel_post, post, title="Calder Harbour News",
                                 username="calderharbour", post_id=815, user_id=EDITOR)
        assert "Added as ferry-strike-called-off." in replies[0].visible_text
        story = bot.app.bot_data["service"].story("ferry-strike-called-off")
        assert (story.outlet, story.url) == ("Calder Harbour News", "https://t.me/calderharbour/815")

        [usage] = await bot.send(bot.api.push_message, "/add", user_id=EDITOR)
        assert usage.visible_text.startswith("Send /add followed by the story’s link")
        [latin1] = await bot.send(bot.api.push_document, "Caf\u00e9 story\n\nText.".encode("latin-1"), "cafe.txt",
                                  mime_type="text/plain", user_id=EDITOR)
        assert latin1.visible_text == "That file is not UTF-8 text; save it as UTF-8 and send it again."
        [refused] = await bot.send(bot.api.push_message, site.url("/news/section-front"), user_id=EDITOR)
        assert "holds no article" in refused.visible_text and refused.visible_text.endswith(".")
        [other] = await bot.send(bot.api.push_message, "ftp://files.example/x", user_id=EDITOR)
        assert other.visible_text  # not a link storybot adds: answered as a question, nothing added
        assert len(bot.app.bot_data["service"].stories()) == 5


async def test_everyone_else_is_refused_politely_and_nothing_is_added(site, newsroom):
    engine, settings = newsroom
    async with running_bot(engine, **settings) as bot:
        for push, args in [(bot.api.push_message, (site.url("/news/ledger-jsonld"),)),
                           (bot.api.push_message, (f"/add {site.url('/news/ledger-jsonld')}",)),
                           (bot.api.push_document, (b"<html></html>", "page.html")),
                           (bot.api.push_forwarded_channel_post, ("Ferry strike called off\nThe union said so.",)),
                           (bot.api.push_message, ("/gaps",))]:
            [reply] = await bot.send(push, *args, user_id=READER)
            assert reply.visible_text.startswith("Sorry, ") and "editors" in reply.visible_text
        assert [s.id for s in bot.app.bot_data["service"].stories()] == [STORY_ID]
        assert not list(settings["sources"].glob("*calder*"))


async def test_private_addresses_are_refused_in_telegram_too(site, newsroom, monkeypatch):
    monkeypatch.delenv("STORYBOT_ALLOW_PRIVATE_URLS", raising=False)
    engine, settings = newsroom
    async with running_bot(engine, **{**settings, "allow_private_urls": False}) as bot:
        [reply] = await bot.send(bot.api.push_message, site.url("/news/ledger-jsonld"), user_id=EDITOR)
        assert "private, loopback or link-local address" in reply.visible_text


async def test_followers_hear_what_is_new_once_across_restarts(newsroom, embedder):
    from storybot.index.storage.store import build_index

    engine, settings = newsroom
    story_file = settings["sources"] / f"{STORY_ID}.md"
    original = story_file.read_text(encoding="utf-8")
    lines = original.splitlines()
    body_start = lines.index("---", 1) + 1
    edited_line = body_start + 4  # ¶5
    lines[edited_line] = lines[edited_line] + " Officials declined to comment further."
    new_paragraph = "The General Assembly is expected to vote on a follow-up resolution in March, diplomats said."

    async with running_bot(engine, **settings) as bot:
        [followed] = await bot.send(bot.api.push_message, "/follow", chat_type="group")
        assert followed.visible_text.startswith(f"This chat now follows “{STORY_TITLE}”")
        [reader] = await bot.send(bot.api.push_message, "/follow")
        assert reader.visible_text.startswith("This chat now follows")
        story_file.write_text("\n".join([*lines, new_paragraph]) + "\n", encoding="utf-8")
        build_index(settings["sources"], settings["index"], embedder)
        bot.app.bot_data["watcher"].check()  # what the polling watcher does within seconds
        notices = await bot.api.wait_for(lambda c: c.method == "sendMessage" and "🆕" in c.params["text"], count=2,
                                          timeout=60)
        sent = [m for m in bot.api.sent_messages() if "🆕" in (m.text or "")]
        assert sorted(m.chat_id for m in sent) == sorted([GROUP_CHAT_ID, READER]) and len(notices) == 2
        notice = sent[0]
        assert notice.visible_text.splitlines()[1] == "The story changed: 1 paragraph added, 1 edited."
        quotes = entities_of(notice, "blockquote")
        assert quotes[0].endswith("Officials declined to comment further.") and quotes[1] == new_paragraph
        assert "¶5, edited" in notice.visible_text and "¶18, new" in notice.visible_text
        [unfollowed] = await bot.send(bot.api.push_message, "/unfollow")
        assert unfollowed.visible_text == f"This chat no longer follows “{STORY_TITLE}”."

    # A restart announces nothing again; a change made while the bot was down is announced at start.
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import load_index

    story_file.write_text("\n".join([*lines, new_paragraph, "A second new paragraph, added later."]) + "\n",
                          encoding="utf-8")
    build_index(settings["sources"], settings["index"], embedder)
    async with running_bot(Engine(load_index(settings["index"]), embedder), **settings) as bot:
        await bot.api.wait_for(lambda c: c.method == "sendMessage" and "🆕" in c.params["text"], timeout=60)
        [notice] = [m for m in bot.api.sent_messages() if "🆕" in (m.text or "")]
        assert notice.chat_id == GROUP_CHAT_ID  # the private chat unfollowed
        assert entities_of(notice, "blockquote") == ["A second new paragraph, added later."]
    async with running_bot(Engine(load_index(settings["index"]), embedder), **settings) as bot:
        await bot.send(bot.api.push_message, "/help")  # the bot is up and has checked
        assert not [m for m in bot.api.sent_messages() if "🆕" in (m.text or "")]


async def test_gaps_shows_editors_what_readers_asked(newsroom):
    engine, settings = newsroom
    async with running_bot(engine, **settings) as bot:
        for question in ["Who won the 2018 football world cup?", "Which team won the 2018 World Cup?",
                         "What is the capital of Australia?", "How many countries voted in favor of the resolution?"]:
            await bot.send(bot.api.push_message, question)
        await bot.handled(bot.api.push_inline_query("Who won the 2018 world cup"))  # inline typing is not kept
        [gaps] = await bot.send(bot.api.push_message, "/gaps", user_id=EDITOR)
        text = gaps.visible_text
        assert text.startswith("What readers asked that the stories didn’t say\n3 questions in 2 groups")
        assert "2× Who won the 2018 football world cup?" in text and "1× What is the capital of Australia?" in text
        assert "How many countries" not in text
