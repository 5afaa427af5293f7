"""What the engine accepts as a question or claim: text a person could have typed.

Text reaches the engine from argv, stdin, JSON and Telegram, and each can carry what is not text:
bytes that were not UTF-8 (Python keeps them as lone surrogates U+DC80–U+DCFF), lone surrogates
from JSON ("\\ud800"), NUL and other control characters. The tokenizer cannot encode the first two
and the rest are never part of a question, so all are refused here with a message that says which
character and where, before any model sees them. Tabs and line breaks are ordinary whitespace.
"""

from __future__ import annotations

import unicodedata

from storybot.index.errors import InputError

_WHITESPACE_CONTROLS = frozenset("\t\n\r")
_UNDECODABLE_BYTES = range(0xDC80, 0xDD00)  # how Python's surrogateescape carries a byte that was not UTF-8


def require_text(text: str, what: str = "question") -> str:
    """Return `text` unchanged, or raise InputError naming the first character that is not text."""
    for position, char in enumerate(text, 1):
        category = unicodedata.category(char)
        if category == "Cs":
            if ord(char) in _UNDECODABLE_BYTES:
                raise InputError(f"the {what} is not valid UTF-8 (byte 0x{ord(char) - 0xDC00:02X} at character "
                                 f"{position}); send it as UTF-8 text")
            raise InputError(f"the {what} holds a lone surrogate (U+{ord(char):04X} at character {position}), "
                             "which is not text")
        if category == "Cc" and char not in _WHITESPACE_CONTROLS:
            raise InputError(f"the {what} holds a control character (U+{ord(char):04X} at character {position}); "
                             "send plain text")
    return text
