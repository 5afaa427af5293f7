"""The newsroom commands: /check a claim, /brief a story, and choosing the chat's story
(/sources, /story and their buttons).

Thin like bot.handlers: parse → ask the engine (off the event loop, via StoryService) → render →
reply. A chat's story lives in its chat_data (bot.persistence keeps it across restarts); /ask,
/check, /brief and inline answers use it (StoryService.story_of).
"""

from __future__ import annotations

from telegram import Chat, Message, Update
from telegram.error import BadRequest

from storybot.bot import keyboards, render
from storybot.bot.chat import with_typing
from storybot.bot.handlers import Context, service
from storybot.bot.service import STORY_KEY, StoryService
from storybot.index.errors import InputError

NO_STORY = "That story is no longer available — send /sources to see the stories."
CLEAR_WORDS = {"all", "*", "none", "reset"}


def _argument(message: Message) -> str:
    """The text after the command ("/check@bot 87 countries …" → "87 countries …")."""
    parts = (message.text or "").split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


# ---------------------------------------------------------------------------------------------
# /check


async def check_command(update: Update, context: Context) -> None:
    """/check <claim> (also /check@thisbot): the verdict and the quote that decides it."""
    message = update.effective_message
    claim = _argument(message)
    if not claim:
        await message.reply_html(render.check_usage())
        return
    svc = service(context)
    source = svc.story_of(context.chat_data)
    try:
        result = await with_typing(message.get_bot(), message.chat, svc.check(claim, source=source))
    except InputError as exc:
        await message.reply_html(render.error_notice(exc))
        return
    urls = {p.source: svc.url(p.source) for p in result.evidence}
    await message.reply_html(render.check_card(result, urls, scope=_scope(svc, source)))


def _scope(svc: StoryService, source: str | None) -> str | None:
    """What a verdict without a quote was checked against, when that is not obvious."""
    story = svc.story(source)
    if story is not None and svc.several_stories:
        return f"Checked against “{story.title}”."
    if svc.several_stories:
        return f"Checked against all {len(svc.stories())} stories."
    return None


# ---------------------------------------------------------------------------------------------
# /brief


async def brief_command(update: Update, context: Context) -> None:
    """/brief [id]: the key points of the chat's story; with several stories and none chosen,
    a button per story."""
    message = update.effective_message
    svc = service(context)
    wanted = _argument(message)
    if wanted:
        story = _find(svc, wanted)
        if story is None:
            await message.reply_html(render.unknown_story(wanted, sorted(s.id for s in svc.stories())))
            return
        await _send_brief(message, svc, story.id)
        return
    source = svc.story_of(context.chat_data)
    if source is None and svc.several_stories:
        await message.reply_html(render.brief_picker(),
                                 reply_markup=keyboards.stories_keyboard(svc.stories(), brief=True))
        return
    await _send_brief(message, svc, source)


async def _send_brief(message: Message, svc: StoryService, source: str | None, *, quote: bool | None = None) -> None:
    try:
        brief = await svc.brief(source)
    except InputError as exc:  # the story left the index meanwhile
        await message.reply_html(render.error_notice(exc), do_quote=quote)
        return
    await message.reply_html(render.brief_card(brief, svc.url(brief.source)), do_quote=quote)


# ---------------------------------------------------------------------------------------------
# Choosing the chat's story


async def sources_command(update: Update, context: Context) -> None:
    """/sources: the stories; with several, their ids and a button each to choose one for the chat."""
    text, markup = _sources(service(context), context)
    await update.effective_message.reply_html(text, reply_markup=markup)


def _sources(svc: StoryService, context: Context):
    stories = svc.stories()
    if not svc.several_stories:
        return render.sources_card(stories), None
    chosen = svc.story_of(context.chat_data)
    return (render.sources_card(stories, choosable=True, chosen=chosen),
            keyboards.stories_keyboard(stories, brief=False, chosen=chosen))


async def story_command(update: Update, context: Context) -> None:
    """/story <id> chooses the chat's story; /story all goes back to every story; /story alone
    shows the stories to choose from."""
    message = update.effective_message
    svc = service(context)
    wanted = _argument(message)
    if not wanted:
        text, markup = _sources(svc, context)
        await message.reply_html(text, reply_markup=markup)
        return
    if wanted.lower() in CLEAR_WORDS:
        await _choose(context, message.chat_id, None)
        await message.reply_html(render.story_cleared(len(svc.stories())))
        return
    story = _find(svc, wanted)
    if story is None:
        await message.reply_html(render.unknown_story(wanted, sorted(s.id for s in svc.stories())))
        return
    await _choose(context, message.chat_id, story.id)
    await message.reply_html(render.story_chosen(story, private=message.chat.type == Chat.PRIVATE))


async def story_button(update: Update, context: Context) -> None:
    """A story button: choose it for the chat; from /brief's list also send its brief, from
    /sources refresh the list to show the choice."""
    query = update.callback_query
    press = keyboards.decode_story(query.data)
    svc = service(context)
    story = svc.story(press.story) if press else None
    if story is None or not isinstance(query.message, Message):
        await query.answer(NO_STORY)
        return
    message = query.message
    await _choose(context, message.chat_id, story.id)
    await query.answer(_toast(story.title))
    if press.brief:
        await _send_brief(message, svc, story.id, quote=False)
        return
    text, markup = _sources(svc, context)
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message:  # pressing the story already chosen
            raise


def _toast(title: str) -> str:
    """"This chat now quotes …", within the 200 characters Telegram allows a callback answer."""
    if len(title) > 150:
        title = title[:150].rsplit(" ", 1)[0] + render.ELLIPSIS
    return f"This chat now quotes only “{title}”."


async def _choose(context: Context, chat_id: int, story_id: str | None) -> None:
    """Set (or clear) the chat's story and write it to disk now, not at the next periodic save:
    a restart right after must not lose it."""
    if story_id is None:
        context.chat_data.pop(STORY_KEY, None)
    else:
        context.chat_data[STORY_KEY] = story_id
    if context.application.persistence is not None:
        context.application.mark_data_for_update_persistence(chat_ids=chat_id)
        await context.application.update_persistence()


def _find(svc: StoryService, wanted: str):
    """The story with id `wanted` (case does not matter), or None."""
    wanted = wanted.strip().lower()
    return next((s for s in svc.stories() if s.id.lower() == wanted), None)
