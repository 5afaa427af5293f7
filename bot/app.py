"""The one place the python-telegram-bot Application is built and its handlers are registered."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from urllib.parse import urlparse

from telegram import Bot, BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (AIORateLimiter, Application, CallbackQueryHandler, CommandHandler, Defaults,
                          InlineQueryHandler, MessageHandler, TypeHandler, filters)

from storybot.bot import handlers as h
from storybot.bot import editors, keyboards, newsroom
from storybot.bot.delivery import RetryingRequest, RetryPolicy
from storybot.bot.logs import RedactingFormatter, configure_logging
from storybot.bot.persistence import CHAT_STATE_FILE, ChatStatePersistence
from storybot.bot.ratelimit import UserRateLimit
from storybot.bot.service import StoryService
from storybot.settings import Settings
from storybot.storage import open_storage
from storybot.bot.turns import ChatOrderedUpdates
from storybot.index.errors import StorybotError
from storybot.index.storage.reload import IndexWatcher
from storybot.index.answering.search import Engine

log = logging.getLogger("storybot")

# Edited messages and channel posts are not asked for: an edit is not a new question.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
COMMANDS = [
    BotCommand("ask", "Quote the passage that answers your question"),
    BotCommand("check", "Fact-check a claim against the story"),
    BotCommand("brief", "The story's key points, quoted"),
    BotCommand("sources", "The stories I can quote"),
    BotCommand("story", "Choose the story this chat quotes"),
    BotCommand("follow", "Post what is new when the story changes"),
    BotCommand("unfollow", "Stop posting the story's changes"),
    BotCommand("help", "How to ask"),
]
SEND_RETRIES = 3  # flood control (429): wait as Telegram says, then try again, this many times
BOOTSTRAP_RETRIES = 3
# Handler groups run in order and only one handler per group sees an update: strangers are
# turned away before they spend anyone's rate limit, and both before the real handlers (group 0).
ALLOWLIST_GROUP, RATE_LIMIT_GROUP = -2, -1


def bot_token(settings: Settings) -> str:
    """The bot token, or a StorybotError that says how to get one."""
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    if not token:
        raise StorybotError("TELEGRAM_BOT_TOKEN is not set; create a bot with @BotFather and "
                            "export TELEGRAM_BOT_TOKEN=<its token>")
    return token


def build_application(settings: Settings, service: StoryService) -> Application:
    """The configured Application with every handler registered; not started."""
    storage = open_storage(settings)
    app = (
        Application.builder()
        .token(bot_token(settings))
        .base_url(settings.telegram_base_url)
        .base_file_url(file_url(settings.telegram_base_url))
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True),
                           allow_sending_without_reply=True))
        .concurrent_updates(ChatOrderedUpdates(settings.concurrent_updates))  # in order within a chat
        .request(RetryingRequest(RetryPolicy(deadline=settings.send_retry_seconds)))
        .rate_limiter(AIORateLimiter(max_retries=SEND_RETRIES))
        .post_init(announce)
        .persistence(ChatStatePersistence(storage, legacy_file=settings.data_dir / CHAT_STATE_FILE))
        .build()
    )
    app.bot_data["service"] = service
    app.bot_data["storage"] = storage  # chats' /story choices, follows, declined questions
    if settings.record_questions:
        service.record_declined = partial(storage.record_question, retention_days=settings.question_retention_days)
    app.bot_data["desk"] = editors.Desk(frozenset(settings.editors), settings.sources, settings.index_dir,
                                        settings.fetch_policy)
    # A new `storybot index build` (or a story an editor adds) is picked up while the bot runs;
    # questions in flight finish on the engine they started with. run_bot starts the polling.
    app.bot_data["watcher"] = IndexWatcher(settings.index_dir, service.engine, partial(switch_engine, app),
                                           interval=settings.index_reload_seconds)
    add_handlers(app, settings.telegram_allowed_chats)
    if settings.user_rate_limit:
        app.add_handler(TypeHandler(Update, UserRateLimit(settings.user_rate_limit)), group=RATE_LIMIT_GROUP)
    return app


def file_url(base_url: str) -> str:
    """Where files are downloaded: https://api.telegram.org/file/bot for https://api.telegram.org/bot."""
    head, sep, _ = base_url.rstrip("/").rpartition("/bot")
    return f"{head}/file/bot" if sep else base_url.rstrip("/") + "/file/bot"


def switch_engine(app: Application, engine: Engine) -> None:
    """Serve from a new index build; tell followers what changed in it."""
    app.bot_data["service"].engine = engine
    announce_changes = app.bot_data.get("announce_changes")  # set once the bot's event loop runs
    if announce_changes is not None:
        announce_changes(engine)


def add_handlers(app: Application, allowed_chats: list[int]) -> None:
    if allowed_chats:
        app.add_handler(TypeHandler(Update, h.AllowList(allowed_chats)), group=ALLOWLIST_GROUP)
    new = filters.UpdateType.MESSAGE  # never edited messages, even if Telegram sends them
    private = filters.ChatType.PRIVATE
    app.add_handlers([
        # CommandHandler ignores commands addressed to other bots (/ask@otherbot).
        CommandHandler("start", h.start, filters=new),
        CommandHandler("help", h.help_command, filters=new),
        CommandHandler("sources", newsroom.sources_command, filters=new),
        CommandHandler("ask", h.ask_command, filters=new),
        CommandHandler("check", newsroom.check_command, filters=new),
        CommandHandler("brief", newsroom.brief_command, filters=new),
        CommandHandler("story", newsroom.story_command, filters=new),
        CommandHandler("add", editors.add_command, filters=new),
        CommandHandler("gaps", editors.gaps_command, filters=new),
        CommandHandler("follow", editors.follow_command, filters=new),
        CommandHandler("unfollow", editors.unfollow_command, filters=new),
        CallbackQueryHandler(newsroom.story_button, pattern=keyboards.STORY_DATA),
        MessageHandler(new & private & filters.COMMAND, h.unknown_command),
        # What editors send to add a story; everyone else is told it is for editors.
        MessageHandler(new & private & editors.FORWARDED_CHANNEL_POST & (filters.TEXT | filters.CAPTION),
                       editors.forwarded_post),
        MessageHandler(new & private & filters.Regex(editors.LINK), editors.link_message),
        MessageHandler(new & private & editors.STORY_DOCUMENT, editors.document_message),
        MessageHandler(new & private & filters.TEXT, h.private_text),
        MessageHandler(new & filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, h.group_text),
        MessageHandler(new & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, h.not_text),
        CallbackQueryHandler(h.button),
        InlineQueryHandler(h.inline_query),
    ])
    app.add_error_handler(h.on_error)


async def announce(app: Application) -> None:
    """At start-up: register the command list with Telegram and say the bot is up."""
    try:
        await app.bot.set_my_commands(COMMANDS)
    except TelegramError as exc:  # the bot still works; only the "/" menu is missing
        log.warning("could not register the command list: %s", exc)
    loop = asyncio.get_running_loop()
    app.bot_data["announce_changes"] = editors.schedule_announcements(app, loop)
    try:  # changes made while the bot was down
        await editors.announce_changes(app)
    except Exception:
        log.exception("announcing story changes failed")
    service: StoryService = app.bot_data["service"]
    index = service.engine.index
    log.info("@%s is answering from %d stor%s (%d paragraphs)", app.bot.username, len(index.stories),
             "y" if len(index.stories) == 1 else "ies", len(index.paragraphs))


def check_connection(settings: Settings) -> None:
    """Call getMe once, so a missing or wrong token or Bot API URL is one clear error (before the
    model loads)."""
    token = bot_token(settings)

    async def get_me() -> None:
        async with Bot(token, base_url=settings.telegram_base_url):
            pass  # entering initializes the bot, which calls getMe

    with _explained(settings):
        asyncio.run(get_me())


@contextmanager
def _explained(settings: Settings) -> Iterator[None]:
    """Turn a refused token or an unreachable Bot API into a StorybotError without the token."""
    try:
        yield
    except InvalidToken:
        raise StorybotError("Telegram rejected TELEGRAM_BOT_TOKEN; copy the token from @BotFather again") from None
    except NetworkError as exc:
        # The whole message: a TELEGRAM_BASE_URL pasted with the token in it must not show it either.
        token = bot_token(settings)
        redact = RedactingFormatter([token, token.partition(":")[2]]).redact
        raise StorybotError(redact(f"cannot reach the Bot API at {settings.telegram_base_url}: {exc}")) from None


def run_bot(settings: Settings, engine: Engine) -> None:
    """Run the bot until interrupted: long polling, or a webhook server when webhook_url is set."""
    token = bot_token(settings)
    # Telegram sends the secret with every webhook request; PTB refuses requests without it.
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    # The part after the colon is what makes the token a secret: redact it on its own too.
    configure_logging([token, token.partition(":")[2], secret], level=getattr(logging, settings.log_level))
    service = StoryService(engine, top_k=settings.top_k, examples=settings.example_questions)
    app = build_application(settings, service)
    watcher: IndexWatcher = app.bot_data["watcher"]
    with _explained(settings), watcher:
        if settings.webhook_url:
            log.info("webhook mode: listening on %s:%d", settings.webhook_listen, settings.webhook_port)
            app.run_webhook(listen=settings.webhook_listen, port=settings.webhook_port,
                            url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                            webhook_url=settings.webhook_url, secret_token=secret,
                            allowed_updates=ALLOWED_UPDATES, bootstrap_retries=BOOTSTRAP_RETRIES)
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=BOOTSTRAP_RETRIES)
