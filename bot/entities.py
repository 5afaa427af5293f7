"""The text of a message's entities (mentions, commands), counted as Telegram counts them.

Entity offsets are UTF-16 code units. PTB's `Message.parse_entities` encodes the text strictly, so a
message holding a lone surrogate (which JSON can carry: "\\ud800") raises before any handler can
answer it. Encoding with "surrogatepass" keeps a lone surrogate as the one code unit Telegram
counted, so such a message is read like any other and its question is refused politely downstream.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Message, MessageEntity


def entity_text(text: str, entity: MessageEntity) -> str:
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * entity.offset: 2 * (entity.offset + entity.length)].decode("utf-16-le", "surrogatepass")


def entities_of(message: Message, types: Iterable[str]) -> dict[MessageEntity, str]:
    """`message.parse_entities(types)` for any text, lone surrogates included."""
    wanted = set(types)
    return {e: entity_text(message.text or "", e) for e in message.entities if e.type in wanted}
