"""The bot's update handlers: parse the update, ask the engine, render, reply.

Which handler sees which update is decided in bot.app; here every handler is a thin step from
what the user sent to what the bot sends back.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import (Chat, InlineKeyboardMarkup, InlineQueryResultArticle, InputTextMessageContent,
                      LinkPreviewOptions, Message, Update)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from storybot.bot import keyboards, language, render
from storybot.bot.service import Asked, StoryService
from storybot.bot.chat import addressed_question, with_typing
from storybot.present import attribution, sentence_case
from storybot.index.errors import InputError

log = logging.getLogger(__name__)

INLINE_RESULTS = 5
INLINE_CACHE_SECONDS = 30
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
STALE = "This button has expired — please ask again."
FORGED = "This button doesn't work any more."

Context = ContextTypes.DEFAULT_TYPE


def service(context: Context) -> StoryService:
    return context.bot_data["service"]


# ---------------------------------------------------------------------------------------------
# Commands


async def start(update: Update, context: Context) -> None:
    """/start: greet, list the stories, offer example questions as buttons."""
    svc = service(context)
    await update.effective_message.reply_html(render.start_card(svc.stories(), bool(svc.examples)),
                                              reply_markup=keyboards.examples_keyboard(svc.examples))


async def help_command(update: Update, context: Context) -> None:
    """/help: how to ask, and the commands."""
    await update.effective_message.reply_html(render.help_card(context.bot.username))


async def ask_command(update: Update, context: Context) -> None:
    """/ask <question> (also /ask@thisbot); without a question, explain the usage."""
    message = update.effective_message
    parts = (message.text or "").split(None, 1)
    question = parts[1] if len(parts) > 1 else ""
    if not question.strip():
        examples = service(context).examples
        await message.reply_html(render.usage_card(examples[0] if examples else None))
        return
    await answer_question(message, question, context)


async def unknown_command(update: Update, context: Context) -> None:
    """An unknown command in a private chat: point to /help."""
    await update.effective_message.reply_html(render.notice("I don't know that command. Send /help to see what I can do."))


# ---------------------------------------------------------------------------------------------
# Questions


async def private_text(update: Update, context: Context) -> None:
    """In a private chat any text is a question."""
    await answer_question(update.effective_message, update.effective_message.text, context)


async def group_text(update: Update, context: Context) -> None:
    """In groups, answer messages that mention the bot or reply to it; stay silent otherwise."""
    message = update.effective_message
    question = addressed_question(message, context.bot.id, context.bot.username)
    if question is None:
        return
    if not question.strip():
        examples = service(context).examples
        hint = f"Ask me about the story, e.g. @{context.bot.username} {examples[0] if examples else 'What happened?'}"
        await message.reply_html(render.notice(hint))
        return
    await answer_question(message, question, context)


async def not_text(update: Update, context: Context) -> None:
    """A sticker, photo, voice message … in a private chat: say what works."""
    await update.effective_message.reply_html(render.notice("I can only read text — send me your question as a message."))


async def answer_question(message: Message, question: str, context: Context) -> None:
    """Answer `question` with a quote card as a reply to `message` (a reply-quote in groups).

    Updates in one chat are handled one at a time, in order (bot.turns): answers come in the
    order asked, and a slow search holds up only its own chat."""
    svc = service(context)
    try:
        source = svc.story_of(context.chat_data)  # the chat's /story choice, if any
        asked = await with_typing(message.get_bot(), message.chat, svc.ask(question, source=source, record=True))
    except InputError as exc:
        await message.reply_html(render.error_notice(exc))
        return
    token = svc.cache.put(asked)
    card = language.with_note(question, quote_card(svc, asked, 0))
    await message.reply_html(card, reply_markup=quote_markup(asked, token, 0))


def quote_card(svc: StoryService, asked: Asked, rank: int, *, echo: bool = False) -> str:
    """The card for `rank`: the first card (rank 0) or one of the further quotes."""
    answer = asked.answer
    question = answer.question if echo else None
    if rank == 0:
        shown = answer.passages[:asked.first_page]
        return render.answer_card(shown, {p.source: svc.url(p.source) for p in shown}, answered=answer.answered,
                                  question=question, several_stories=svc.several_stories and asked.source is None,
                                  story_title=svc.chosen_title(asked))
    passage = answer.passages[rank]
    return render.page_card(passage, svc.url(passage.source), rank=rank, total=asked.total,
                            answers=asked.answers(rank), question=question)


def quote_markup(asked: Asked, token: str, rank: int) -> InlineKeyboardMarkup | None:
    if asked.first_page == 0:
        return None  # "the story doesn't say", and nothing close: nothing to press
    return keyboards.quote_keyboard(token, rank, asked.previous_rank(rank), asked.next_rank(rank))


# ---------------------------------------------------------------------------------------------
# Buttons


async def button(update: Update, context: Context) -> None:
    """A button press: an example question, "More quotes", "Context" or "Back"."""
    query = update.callback_query
    press = keyboards.decode(query.data)
    svc = service(context)
    if press is None:
        await query.answer(FORGED)
        return
    if press.action == "example":
        if press.rank >= len(svc.examples) or not isinstance(query.message, Message):
            await query.answer(STALE)
            return
        await query.answer()
        await answer_question(query.message, svc.examples[press.rank], context)
        return
    asked = svc.cache.get(press.token)
    if asked is None or press.rank >= asked.total:
        await query.answer(STALE)
        return
    echo = query.inline_message_id is not None  # inline cards stand alone: repeat the question
    if press.action == "quote":
        text = quote_card(svc, asked, press.rank, echo=echo)
        markup = quote_markup(asked, press.token, press.rank)
    else:
        passage = asked.answer.passages[press.rank]
        before, after = svc.neighbours(passage)
        text = render.context_card(passage, before, after, svc.url(passage.source),
                                   answers=asked.answers(press.rank), question=asked.answer.question if echo else None)
        markup = keyboards.context_keyboard(press.token, press.rank, asked.next_rank(press.rank))
    await query.answer()
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message:  # a double tap shows what is already there
            raise


# ---------------------------------------------------------------------------------------------
# Inline mode


async def inline_query(update: Update, context: Context) -> None:
    """`@bot question`: up to five quote cards to share; an empty query lists the stories."""
    query = update.inline_query
    svc = service(context)
    text = query.query.strip()
    if not text:
        results = [_story_result(story) for story in svc.stories()[:50]]
    else:
        try:
            # Inline queries have no chat: the story chosen in the user's private chat applies.
            asked = await svc.ask(text, source=svc.story_of(context.application.chat_data.get(query.from_user.id)))
        except InputError as exc:
            await query.answer([_notice_result("error", sentence_case(str(exc)))], cache_time=0)
            return
        token = svc.cache.put(asked)
        results = await _elsewhere_results(svc, text, asked, token) or _own_results(svc, asked, token)
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS)


def _own_results(svc: StoryService, asked: Asked, token: str) -> list[InlineQueryResultArticle]:
    """The answer's quote cards, or one result saying the story (named, if the user chose it) doesn't say."""
    if asked.first_page == 0:
        title = render.doesnt_say(svc.several_stories and asked.source is None, svc.chosen_title(asked))
        return [_notice_result(token, title, quote_card(svc, asked, 0, echo=True))]
    return [_quote_result(svc, asked, token, rank) for rank in range(min(asked.total, INLINE_RESULTS))]


async def _elsewhere_results(svc: StoryService, question: str, asked: Asked,
                             token: str) -> list[InlineQueryResultArticle]:
    """When the story the user chose doesn't answer, what the other stories say: first a result naming
    the chosen story as not saying, then the other stories' answering quotes. An inline query is typed
    anywhere, far from the /story choice, so silence about the other stories would mislead. Empty when
    no story was chosen, the chosen story answers, or no other story does."""
    if asked.answer.answered or svc.chosen_title(asked) is None:
        return []
    everywhere = await svc.ask(question)
    ranks = [rank for rank in range(everywhere.total)
             if everywhere.answers(rank) and everywhere.answer.passages[rank].source != asked.source]
    if not ranks:
        return []
    wide = svc.cache.put(everywhere)
    title = render.elsewhere_title(svc.chosen_title(asked))
    return [_notice_result(token, title, quote_card(svc, asked, 0, echo=True))] + [
        _quote_result(svc, everywhere, wide, rank) for rank in ranks[:INLINE_RESULTS - 1]]


def _content(html: str) -> InputTextMessageContent:
    return InputTextMessageContent(html, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)


def _quote_result(svc: StoryService, asked: Asked, token: str, rank: int) -> InlineQueryResultArticle:
    passage = asked.answer.passages[rank]
    description = attribution(passage)
    if not asked.answers(rank):
        description = ("Not an answer — closest passage · " if not asked.answer.answered
                       else "May not answer · ") + description
    return InlineQueryResultArticle(
        id=f"{token}:{rank}", title=render.inline_title(passage), description=description,
        input_message_content=_content(quote_card(svc, asked, rank, echo=True)),
        reply_markup=quote_markup(asked, token, rank),
    )


def _notice_result(result_id: str, title: str, html: str | None = None) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(id=result_id, title=title, input_message_content=_content(html or render.notice(title)))


def _story_result(story) -> InlineQueryResultArticle:
    description = ", ".join(p for p in (story.outlet, f"{story.paragraphs} paragraphs") if p)
    return InlineQueryResultArticle(
        id=f"story:{story.id}", title=story.title, description=f"{description} — type a question to quote it",
        input_message_content=_content(render.sources_card([story])),
    )


# ---------------------------------------------------------------------------------------------
# Errors


async def on_error(update: object, context: Context) -> None:
    """Log an unexpected failure (the log handler redacts secrets) and apologise briefly."""
    if isinstance(context.error, (NetworkError, Forbidden, RetryAfter)) and not isinstance(context.error, BadRequest):
        # Telegram stayed unreachable or flood-limited (after the retries in bot.delivery and the
        # rate limiter), or the chat is closed to the bot: an apology would not arrive either,
        # and after a lost answer (a read timeout) the reply may well have arrived.
        what = f"reply to update {update.update_id}" if isinstance(update, Update) else "reach the Bot API"
        log.warning("could not %s: %s", what, context.error)
        return
    log.error("failed to handle update %s", getattr(update, "update_id", "?"), exc_info=context.error)
    if not isinstance(update, Update):
        return
    with suppress(TelegramError):
        if update.callback_query:
            await update.callback_query.answer("Sorry, something went wrong. Please try again.")
        elif update.message and _expects_reply(update.message, context):
            await update.message.reply_html(render.notice("Sorry, something went wrong while answering. Please try again."))


def _expects_reply(message: Message, context: Context) -> bool:
    if message.chat.type == Chat.PRIVATE:
        return True
    if (message.text or "").startswith("/"):
        return True
    return addressed_question(message, context.bot.id, context.bot.username) is not None


# ---------------------------------------------------------------------------------------------
# Allowlist


class AllowList:
    """Runs before every other handler when TELEGRAM_ALLOWED_CHATS is set: updates from other
    chats (or, for inline queries, other users) stop here. A private chat is told once why."""

    def __init__(self, allowed: list[int]) -> None:
        self.allowed = frozenset(allowed)
        self._told: set[int] = set()

    async def __call__(self, update: Update, context: Context) -> None:
        """Let allowed updates through; stop the rest."""
        chat, user = update.effective_chat, update.effective_user
        who = chat.id if chat else (user.id if user else None)
        if who in self.allowed:
            return
        message = update.message
        if message and message.chat.type == Chat.PRIVATE and message.chat.id not in self._told:
            self._told.add(message.chat.id)
            with suppress(TelegramError):
                await message.reply_html(render.notice("Sorry, this bot only answers in the chats it was set up for."))
        raise ApplicationHandlerStop
