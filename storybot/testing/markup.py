"""What Telegram accepts and how it reads text: its HTML parse mode (following tdlib's parser, with
the same error texts), lengths in UTF-16 code units, and the checks on reply markup, inline results
and bot commands; plus the entities Telegram marks up in incoming text by itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_LENGTH = 4096  # UTF-16 code units of visible text
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class BotAPIError(Exception):
    """An error answer: HTTP status, Telegram's description and optional parameters."""

    def __init__(self, status: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> BotAPIError:
    return BotAPIError(400, f"Bad Request: {detail}")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (characters beyond the BMP count 2)."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------------------------
# Telegram's HTML parse mode
# --------------------------------------------------------------------------------------------

_TAG_ENTITY_TYPES = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",  # only as <span class="tg-spoiler">
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_NAMED_CHAR_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# Like tdlib, the trailing ";" is optional and named references are case-sensitive.
_CHAR_REF_RE = re.compile(r"&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|([a-zA-Z]+));?")
_NAME_TOKEN_RE = re.compile(r"[A-Za-z0-9.-]*")
_SPECIAL_RE = re.compile(r"[<&]")


def _char_ref(match: re.Match) -> str | None:
    """The character a character-reference match stands for, or None if it is not one."""
    hex_digits, dec_digits, name = match.groups()
    if name is not None:
        return _NAMED_CHAR_REFS.get(name)
    code = int(hex_digits, 16) if hex_digits is not None else int(dec_digits)
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


@dataclass
class _OpenTag:
    name: str
    argument: str  # href, code language, custom emoji id, or "expandable" for blockquote
    offset: int  # UTF-16 offset of the tag's content in the visible text
    first_piece: int  # index into _HTMLParser.pieces where the content starts


class _HTMLParser:
    """Telegram's HTML parse mode, following tdlib's parse_html() and its error messages."""

    def __init__(self, html: str):
        self.html = html
        self.pos = 0
        self.pieces: list[str] = []  # the visible text, in pieces
        self.offset = 0  # UTF-16 length of the visible text so far
        self.open_tags: list[_OpenTag] = []
        self.entities: list[dict] = []

    def parse(self) -> tuple[str, list[dict]]:
        html = self.html
        while self.pos < len(html):
            if html[self.pos] == "&":
                self._char_ref()
            elif html.startswith("</", self.pos):
                self._end_tag()
            elif html[self.pos] == "<":
                self._start_tag()
            else:
                special = _SPECIAL_RE.search(html, self.pos)
                end = special.start() if special else len(html)
                self._emit(html[self.pos : end])
                self.pos = end
        if self.open_tags:
            name = self.open_tags[-1].name
            raise self._error(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.pieces), self.entities

    def _error(self, detail: str) -> BotAPIError:
        return bad_request(f"can't parse entities: {detail}")

    def _byte_offset(self, index: int) -> int:
        return len(self.html[:index].encode("utf-8"))  # tdlib reports UTF-8 byte offsets

    def _emit(self, text: str) -> None:
        self.pieces.append(text)
        self.offset += utf16_len(text)

    def _char_ref(self) -> None:
        match = _CHAR_REF_RE.match(self.html, self.pos)
        char = _char_ref(match) if match else None
        if char is None:  # the deliberate deviation described in the module docstring
            raise self._error(
                f'Character "&" must be escaped as "&amp;" unless it starts a character '
                f"reference, at byte offset {self._byte_offset(self.pos)}"
            )
        self._emit(char)
        self.pos = match.end()

    def _start_tag(self) -> None:
        html, begin = self.html, self.pos
        i = begin + 1
        while i < len(html) and not html[i].isspace() and html[i] != ">":
            i += 1
        if i == len(html):
            raise self._error(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        name = html[begin + 1 : i].lower()
        if name not in _TAG_ENTITY_TYPES:
            raise self._error(
                f'Unsupported start tag "{name}" at byte offset {self._byte_offset(begin)}'
            )
        attributes, self.pos = self._attributes(name, begin, i)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise self._error(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{self._byte_offset(begin)}"
            )
        code_class = attributes.get("class", "")
        argument = {
            "a": attributes.get("href", ""),
            "code": code_class[len("language-") :] if code_class.startswith("language-") else "",
            "tg-emoji": attributes.get("emoji-id", ""),
            "blockquote": "expandable" if "expandable" in attributes else "",
        }.get(name, "")
        self.open_tags.append(_OpenTag(name, argument, self.offset, len(self.pieces)))

    def _attributes(self, tag: str, begin: int, i: int) -> tuple[dict[str, str], int]:
        """Parse attributes from html[i] to the closing ">"; return them and the index after it."""
        html = self.html
        attributes: dict[str, str] = {}

        def unclosed() -> BotAPIError:
            return self._error(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")

        while True:
            i = _skip_spaces(html, i)
            if i == len(html):
                raise unclosed()
            if html[i] == ">":
                return attributes, i + 1
            name_start = i
            while i < len(html) and not html[i].isspace() and html[i] not in "=>":
                i += 1
            name = html[name_start:i].lower()
            if not name:
                raise self._error(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self._byte_offset(name_start)}"
                )
            i = _skip_spaces(html, i)
            if i == len(html):
                raise unclosed()
            if html[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    attributes[name] = ""
                    continue
                raise self._error(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self._byte_offset(begin)}"
                )
            i = _skip_spaces(html, i + 1)
            if i == len(html):
                raise unclosed()
            if html[i] in "\"'":
                end = html.find(html[i], i + 1)
                if end == -1:
                    raise unclosed()
                # Inside attribute values Telegram keeps a stray "&" literally (URLs!).
                value = _CHAR_REF_RE.sub(
                    lambda m: _char_ref(m) or m.group(0), html[i + 1 : end]
                )
                i = end + 1
            else:
                token_end = _NAME_TOKEN_RE.match(html, i).end()
                after = html[token_end : token_end + 1]
                if after and not after.isspace() and after != ">":
                    raise self._error(
                        f"Unexpected end of name token at byte offset {self._byte_offset(i)}"
                    )
                value = html[i:token_end].lower()
                i = token_end
            attributes[name] = value

    def _end_tag(self) -> None:
        html, begin = self.html, self.pos
        if not self.open_tags:
            raise self._error(f"Unexpected end tag at byte offset {self._byte_offset(begin)}")
        i = begin + 2
        while i < len(html) and not html[i].isspace() and html[i] != ">":
            i += 1
        name = html[begin + 2 : i].lower()
        i = _skip_spaces(html, i)
        if i == len(html) or html[i] != ">":
            raise self._error(f"Unclosed end tag at byte offset {self._byte_offset(begin)}")
        tag = self.open_tags.pop()
        if name and name != tag.name:  # like tdlib, a bare "</>" closes whatever is open
            raise self._error(
                f"Unmatched end tag at byte offset {self._byte_offset(begin)}, "
                f'expected "</{tag.name}>", found "</{name}>"'
            )
        self.pos = i + 1
        self._close(tag)

    def _close(self, tag: _OpenTag) -> None:
        parent = self.open_tags[-1] if self.open_tags else None
        if tag.name == "code" and parent and parent.name == "pre" and parent.offset == tag.offset:
            # <pre><code class="language-x">...</code></pre> is a single pre entity.
            parent.argument = tag.argument
            return
        length = self.offset - tag.offset
        if length == 0:
            return  # Telegram drops empty entities
        entity: dict[str, Any] = {
            "type": _TAG_ENTITY_TYPES[tag.name],
            "offset": tag.offset,
            "length": length,
        }
        if tag.name == "a":
            entity["url"] = tag.argument or "".join(self.pieces[tag.first_piece :])
        elif tag.name == "tg-emoji":
            if not tag.argument.isdigit() or int(tag.argument) == 0:
                raise self._error("Invalid custom emoji identifier specified")
            entity["custom_emoji_id"] = tag.argument
        elif tag.name == "pre" and tag.argument:
            entity["language"] = tag.argument
        elif tag.name == "blockquote" and tag.argument:
            entity["type"] = "expandable_blockquote"
        self.entities.append(entity)


def parse_html(html: str) -> tuple[str, list[dict]]:
    """Visible text and entities of an HTML-formatted text; BotAPIError(400) if Telegram would
    refuse it ("Bad Request: can't parse entities: ...")."""
    return _HTMLParser(html).parse()


def _trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip surrounding whitespace as Telegram does, shifting and clipping entities to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: Any, parse_mode: str | None, entities: list[dict] | None = None
) -> tuple[str, list[dict]]:
    """Validate a message text as Telegram does and return (visible text, entities)."""
    if text is None:
        raise bad_request("message text is empty")
    text = str(text)
    mode = (parse_mode or "").lower()
    if mode == "html":
        visible, found = parse_html(text)
    elif mode in ("", "markdown", "markdownv2"):
        if entities is not None and not isinstance(entities, list):
            raise bad_request("can't parse entities JSON object")
        visible, found = text, list(entities or [])
    else:
        raise bad_request("unsupported parse_mode")
    visible, found = _trim(visible, found)
    if not visible:
        raise bad_request("message text is empty")
    if utf16_len(visible) > MAX_MESSAGE_LENGTH:
        raise bad_request("message is too long")
    return visible, found


# --------------------------------------------------------------------------------------------
# Other validation
# --------------------------------------------------------------------------------------------

_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def check_reply_markup(markup: Any) -> dict | None:
    """Validate reply_markup; return it if it is an inline keyboard (which Telegram echoes back
    in the Message), else None."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    keyboard = markup.get("inline_keyboard")
    if keyboard is None:
        return None
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise bad_request('field "inline_keyboard" must be an Array of Arrays')
    for row in keyboard:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request(
                    'can\'t parse inline keyboard button: Field "text" must be of type String'
                )
            if "callback_data" in button:
                data = button["callback_data"]
                size = len(data.encode("utf-8")) if isinstance(data, str) else 0
                if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
            elif not _BUTTON_ACTIONS.intersection(button):
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
    return markup


def check_inline_results(results: Any) -> None:
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        if not isinstance(result, dict):
            raise bad_request("can't parse inline query result JSON object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not (
            1 <= len(result_id.encode("utf-8")) <= MAX_INLINE_RESULT_ID_BYTES
        ):
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            format_text(content["message_text"], content.get("parse_mode"), content.get("entities"))
        check_reply_markup(result.get("reply_markup"))


def check_commands(commands: Any) -> None:
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(
            str(command.get("command", ""))
        ):
            raise bad_request("BOT_COMMAND_INVALID")
        description = command.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")


def as_number(value: Any, name: str, kind: type = int) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None



# What Telegram marks up in incoming text by itself (a subset: commands, mentions, URLs).
_AUTO_ENTITY_RE = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)(?![\w/])"
    r"|(?P<mention>(?<![\w@])@[A-Za-z0-9_]{5,32})(?![\w@])"
    r"|(?P<url>\bhttps?://[^\s<>\"]*[^\s<>\".,;:!?)\]])"
)


def detect_entities(text: str) -> list[dict]:
    """The entities Telegram attaches to an incoming text: bot_command, mention and url."""
    return [
        {
            "type": match.lastgroup,
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _AUTO_ENTITY_RE.finditer(text)
    ]
