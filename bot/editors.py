"""The newsroom's side of the bot: editors add stories (a link, /add URL, a .html/.txt/.md
document, a forwarded channel post) and see /gaps; any chat can /follow a story and hears what is
new when it changes.

Editors are the user or chat ids in STORYBOT_EDITORS; everyone else is told politely that adding
is for editors. An added story is written and indexed by storybot.index.ingest.article (off the event
loop, the model already in memory) and served at once; other replicas pick the new build up by
hot reload (index.reload). Follows and the story versions already announced live in the
database (storybot.storage), so each change is announced once, whichever replica sees it first,
and a restart neither repeats nor loses one.
"""

from __future__ import annotations

import asyncio
import logging
import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Callable

from telegram import Message, MessageOriginChannel, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, filters

from storybot.bot import render
from storybot.bot.handlers import service
from storybot.bot.service import StoryService
from storybot.index.ingest.changes import StoryChanges, compare
from storybot.index.errors import StorybotError
from storybot.index.ingest.fetch import FetchPolicy
from storybot.index.answering.gaps import Gaps, group_questions
from storybot.index.ingest.article import Article, add_story, read_html, read_text, read_url
from storybot.index.storage.reload import IndexWatcher
from storybot.index.answering.search import Engine
from storybot.storage import Storage, StoryVersion

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
DOCUMENT_SUFFIXES = (".html", ".htm", ".txt", ".md")
LINK = re.compile(r"^\s*(https?://\S+)\s*$", re.IGNORECASE)
EDITORS_ONLY = ("Sorry, only the newsroom’s editors can add stories. Ask me a question about the stories instead — "
                "/sources lists them.")
GAPS_SHOWN = 10
NEW_SHOWN = 5  # paragraphs quoted in one change notice; the rest are counted


class ForwardedChannelPost(filters.MessageFilter):
    """A message forwarding a channel's post."""

    def filter(self, message: Message) -> bool:
        return isinstance(message.forward_origin, MessageOriginChannel)


FORWARDED_CHANNEL_POST = ForwardedChannelPost()
STORY_DOCUMENT = filters.Document.FileExtension("html") | filters.Document.FileExtension("htm") | \
    filters.Document.FileExtension("txt") | filters.Document.FileExtension("md")


@dataclass(frozen=True)
class Desk:
    """What adding stories needs, from the settings."""

    editors: frozenset[int]
    sources: Path
    index_dir: Path
    policy: FetchPolicy

    def admits(self, update: Update) -> bool:
        chat, user = update.effective_chat, update.effective_user
        return bool((user and user.id in self.editors) or (chat and chat.id in self.editors))


def desk(context: Context) -> Desk:
    return context.bot_data["desk"]


def storage(context: Context) -> Storage:
    return context.bot_data["storage"]


def argument(message: Message) -> str:
    parts = (message.text or "").split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


# ---------------------------------------------------------------------------------------------
# Adding stories


async def add_command(update: Update, context: Context) -> None:
    """/add URL (editors)."""
    await _add_link(update, context, argument)


async def link_message(update: Update, context: Context) -> None:
    """A message that is only a link, in a private chat: an editor adding a story."""
    await _add_link(update, context, lambda message: LINK.match(message.text or "")[1])


async def _add_link(update: Update, context: Context, link: Callable[[Message], str]) -> None:
    message = update.effective_message
    if not await _editor(update, context):
        return
    url = link(message)
    if not url:
        await message.reply_html(render.notice("Send /add followed by the story’s link, or send me the link, "
                                               "a .html, .txt or .md file, or forward a channel post."))
        return
    policy = desk(context).policy
    await _add(message, context, lambda: read_url(url, policy))


async def document_message(update: Update, context: Context) -> None:
    """A .html, .txt or .md document: an editor adding a story."""
    message = update.effective_message
    if not await _editor(update, context):
        return
    document = message.document
    limit = desk(context).policy.max_bytes
    if document.file_size and document.file_size > limit:
        await message.reply_html(render.notice(f"That file is larger than {limit:,} bytes; send the article itself."))
        return
    try:
        content = bytes(await (await document.get_file()).download_as_bytearray())
    except TelegramError as exc:
        await message.reply_html(render.notice(f"I could not download that file ({exc.message})."))
        return
    if len(content) > limit:
        await message.reply_html(render.notice(f"That file is larger than {limit:,} bytes; send the article itself."))
        return
    name = (document.file_name or "").lower()
    if name.endswith((".html", ".htm")):
        await _add(message, context, lambda: read_html(content))
    else:
        await _add(message, context, lambda: read_text(_decoded(content)))


def _decoded(content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise StorybotError("that file is not UTF-8 text; save it as UTF-8 and send it again") from None


async def forwarded_post(update: Update, context: Context) -> None:
    """A channel post forwarded to the bot: an editor adding it as a story (title: its first line)."""
    message = update.effective_message
    if not await _editor(update, context):
        return
    origin = message.forward_origin
    assert isinstance(origin, MessageOriginChannel)
    channel = origin.chat
    url = f"https://t.me/{channel.username}/{origin.message_id}" if channel.username else None
    published = origin.date.astimezone(timezone.utc).date().isoformat() if origin.date else None

    def read() -> Article:
        article = read_text(message.text or message.caption or "")
        return article.model_copy(update={"outlet": article.outlet or channel.title, "url": article.url or url,
                                          "published": article.published or published})

    await _add(message, context, read)


async def _editor(update: Update, context: Context) -> bool:
    """Whether the update comes from an editor; tells everyone else why not."""
    if desk(context).admits(update):
        return True
    await update.effective_message.reply_html(render.notice(EDITORS_ONLY))
    return False


async def _add(message: Message, context: Context, read: Callable[[], Article]) -> None:
    """Read, write and index the story off the event loop, serve it, reply with its card and brief."""
    svc, where = service(context), desk(context)
    watcher: IndexWatcher = context.bot_data["watcher"]

    def work():
        article = read()
        embedder = svc.engine.embedder
        added = add_story(article, where.sources, where.index_dir, embedder)
        embedder.release_build_encoder()  # this process serves; builds are occasional
        watcher.check()  # serve the new build now, not at the next poll
        return added

    with suppress(TelegramError):
        await message.get_bot().send_chat_action(message.chat_id, ChatAction.TYPING)
    try:
        added = await asyncio.to_thread(work)
    except StorybotError as exc:
        await message.reply_html(render.error_notice(exc))
        return
    story = svc.story(added.source)
    if story is None:  # the index did not take it (a refused build was logged)
        await message.reply_html(render.notice("The story was saved but the index did not load it; see the bot’s log."))
        return
    what = {"added": f"Added as <code>{render.esc(added.source)}</code>.",
            "updated": f"Updated <code>{render.esc(added.source)}</code>: {render.esc(added.changes.summary())}.",
            "unchanged": f"<code>{render.esc(added.source)}</code> is already up to date."}[added.status]
    await message.reply_html(render.sources_card([story]) + "\n\n" + what)
    brief = await svc.brief(added.source)
    await message.reply_html(render.brief_card(brief, svc.url(added.source)), do_quote=False)




# ---------------------------------------------------------------------------------------------
# /gaps


async def gaps_command(update: Update, context: Context) -> None:
    """/gaps [id] (editors): what readers asked that the stories did not say, grouped by meaning."""
    message = update.effective_message
    if not desk(context).admits(update):
        await message.reply_html(render.notice("Sorry, /gaps is for the newsroom’s editors."))
        return
    svc, store = service(context), storage(context)
    source = argument(message) or None

    def work() -> Gaps:
        asked = store.declined_questions(source=source)
        return group_questions([(q.question, q.source) for q in asked], svc.engine.embedder)

    found = await asyncio.to_thread(work)
    await message.reply_html(gaps_card(found, source))


def gaps_card(found: Gaps, source: str | None) -> str:
    about = f" about <code>{render.esc(source)}</code>" if source else ""
    if not found.groups:
        return f"No declined questions recorded{about} yet."
    lines = [f"<b>What readers asked that the stories didn’t say</b>{about}",
             f"{found.questions} question{'' if found.questions == 1 else 's'} in {len(found.groups)} "
             f"group{'' if len(found.groups) == 1 else 's'}, largest first:", ""]
    for group in found.groups[:GAPS_SHOWN]:
        lead, *others = group.examples
        line = f"<b>{group.count}×</b> {render.esc(lead)}"
        if others:
            line += "\n    <i>also:</i> " + " · ".join(render.esc(o) for o in others)
        candidate = "\n".join([*lines, line])
        if render.visible_length(candidate) > render.MAX_LENGTH - 40:
            break
        lines.append(line)
    shown = len(lines) - 3
    if shown < len(found.groups):
        lines.append(f"… and {len(found.groups) - shown} smaller group{'' if len(found.groups) - shown == 1 else 's'}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# /follow and the change notices


async def follow_command(update: Update, context: Context) -> None:
    """/follow [id]: post what is new in the story (the chat's, or the only one) when it changes."""
    message = update.effective_message
    svc, store = service(context), storage(context)
    wanted = argument(message)
    story = _story(svc, wanted) if wanted else svc.story(svc.story_of(context.chat_data))
    if story is None and not wanted and not svc.several_stories:
        story = svc.stories()[0]
    if story is None:
        ids = ", ".join(s.id for s in svc.stories())
        text = (f"There is no story with id “{wanted}”." if wanted else "Which story?") + f" Send /follow <id>; the ids are: {ids}."
        await message.reply_html(render.notice(text))
        return
    engine = svc.engine
    await asyncio.to_thread(store.remember_version, story_version(engine, story.id))
    new = await asyncio.to_thread(store.follow, message.chat_id, story.id)
    state = "now follows" if new else "already follows"
    await message.reply_html(f"This chat {state} “{render.esc(story.title)}”: when it changes, I’ll post what is new. "
                             f"/unfollow stops it.")


async def unfollow_command(update: Update, context: Context) -> None:
    """/unfollow [id]: stop following that story, or every story the chat follows."""
    message = update.effective_message
    svc, store = service(context), storage(context)
    wanted = argument(message)
    story = _story(svc, wanted) if wanted and wanted.lower() != "all" else None
    if wanted and wanted.lower() != "all" and story is None:
        await message.reply_html(render.notice(f"There is no story with id “{wanted}”."))
        return
    followed = await asyncio.to_thread(store.follows, message.chat_id)
    ended = await asyncio.to_thread(store.unfollow, message.chat_id, story.id if story else None)
    if not ended:
        await message.reply_html(render.notice("This chat follows no story" + (" by that id." if story else ".")))
        return
    if story is None and len(followed) == 1:
        story = svc.story(followed[0])
    what = f"“{render.esc(story.title)}”" if story else f"{ended} stor{'y' if ended == 1 else 'ies'}"
    await message.reply_html(f"This chat no longer follows {what}.")


def _story(svc: StoryService, wanted: str):
    wanted = wanted.strip().lower()
    return next((s for s in svc.stories() if s.id.lower() == wanted), None)


def story_version(engine: Engine, story_id: str) -> StoryVersion:
    """The story as the engine's build has it: file checksum and paragraph texts."""
    index = engine.index
    first, end = index.story_ranges.get(story_id, (0, 0))
    return StoryVersion(story=story_id, checksum=index.manifest.sources.get(story_id, ""),
                        paragraphs=[index.paragraphs[row].text for row in range(first, end)])


async def announce_changes(app: Application) -> int:
    """Post what is new in every followed story that changed since it was last announced; how many
    notices were sent. Safe to run on every replica at once: each change is claimed by one."""
    svc: StoryService = app.bot_data["service"]
    store: Storage = app.bot_data["storage"]
    engine = svc.engine

    def changed() -> list[tuple[StoryVersion, StoryChanges, list[int]]]:
        found = []
        for story, chats in store.followers().items():
            checksum = engine.index.manifest.sources.get(story)
            if checksum is None:
                continue  # the story left the index; nothing new to quote
            previous = store.announced(story)
            if previous is None:
                store.remember_version(story_version(engine, story))
                continue
            if previous.checksum == checksum:
                continue
            current = story_version(engine, story)
            if store.claim_version(previous, current):  # another replica may have announced it already
                found.append((current, compare(previous.paragraphs, current.paragraphs), chats))
        return found

    sent = 0
    for version, changes, chats in await asyncio.to_thread(changed):
        if not changes.new:
            continue  # only removals or metadata: nothing new to quote
        story = svc.story(version.story)
        text = change_card(story.title, story.outlet, changes)
        for chat_id in chats:
            try:
                await app.bot.send_message(chat_id, text)
                sent += 1
            except TelegramError as exc:  # a chat that left or blocked the bot must not stop the others
                log.warning("could not tell chat %s about the change to %s: %s", chat_id, version.story, exc)
    return sent


def change_card(title: str, outlet: str | None, changes: StoryChanges) -> str:
    head = f"🆕 <b>{render.esc(title)}</b>" + (f" — {render.esc(outlet)}" if outlet else "")
    lines = [head, f"The story changed: {render.esc(changes.summary())}."]
    room = render.MAX_LENGTH - 200
    shown = 0
    for paragraph in changes.new[:NEW_SHOWN]:
        label = "new" if paragraph.kind == "added" else "edited"
        text = paragraph.text if len(paragraph.text) <= room // NEW_SHOWN else \
            paragraph.text[: room // NEW_SHOWN].rsplit(" ", 1)[0] + render.ELLIPSIS
        lines.append(f"<blockquote>{render.esc(text)}</blockquote><i>¶{paragraph.number}, {label}</i>")
        shown += 1
    if shown < len(changes.new):
        lines.append(f"… and {len(changes.new) - shown} more.")
    return "\n".join(lines)


def schedule_announcements(app: Application, loop: asyncio.AbstractEventLoop) -> Callable[[Engine], None]:
    """An IndexWatcher callback (it runs in another thread) that announces changes on the bot's loop."""

    def on_change(engine: Engine) -> None:
        future = asyncio.run_coroutine_threadsafe(announce_changes(app), loop)
        future.add_done_callback(_log_failure)

    return on_change


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("announcing story changes failed", exc_info=future.exception())
