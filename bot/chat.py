"""What a message means in its chat, and how the bot behaves while it works on one."""

from __future__ import annotations

import asyncio
import re
from contextlib import suppress

from telegram import Chat, Message, MessageEntity
from telegram.constants import ChatAction
from telegram.error import TelegramError

from storybot.bot.entities import entities_of

TYPING_AFTER = 0.4  # seconds: show "typing…" only when an answer is not instant


def addressed_question(message: Message, bot_id: int, username: str) -> str | None:
    """The question in a group message meant for the bot (a mention or a reply to it), else None."""
    text = message.text or ""
    mention = f"@{username}".lower()
    mentioned = any(
        (entity.type == MessageEntity.MENTION and value.lower() == mention)
        or (entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id)
        for entity, value in entities_of(message, [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items()
    )
    replied = message.reply_to_message is not None and message.reply_to_message.from_user is not None \
        and message.reply_to_message.from_user.id == bot_id
    if not (mentioned or replied):
        return None
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


async def with_typing(bot, chat: Chat, work):
    """Await `work`; if it takes a moment, show "typing…" meanwhile."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER)
    if not done:
        with suppress(TelegramError):
            await bot.send_chat_action(chat.id, ChatAction.TYPING)
    return await task
