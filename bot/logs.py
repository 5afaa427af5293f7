"""Logging for the running bot: one stderr handler whose output never contains a secret.

The bot token is part of every Bot API URL (https://api.telegram.org/bot<token>/getUpdates), so
any library that logs a URL or a failed request would leak it. Rather than trusting each logger,
the one handler redacts every formatted line, tracebacks included; httpx/httpcore, which log each
request URL at INFO, are also turned down to WARNING (except at DEBUG) because a line per poll
is noise.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

REDACTED = "[REDACTED]"
_CHATTY = ("httpx", "httpcore", "apscheduler")


class RedactingFormatter(logging.Formatter):
    """Formats records as usual, then replaces every secret with [REDACTED]."""

    def __init__(self, secrets: Iterable[str], fmt: str | None = None) -> None:
        super().__init__(fmt)
        # Also the URL-encoded form ("123%3Aabc"); longest first, so overlapping secrets go whole.
        forms = {form for s in secrets if s for form in (s, quote(s, safe=""))}
        self.secrets = sorted(forms, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def configure_logging(secrets: Iterable[str], level: int = logging.INFO) -> logging.Handler:
    """Route all logging to one redacting stderr handler; return it (tests attach their own)."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(secrets, "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _CHATTY:
        # At DEBUG (troubleshooting) they log too, redacted like everything else.
        logging.getLogger(name).setLevel(level if level <= logging.DEBUG else max(level, logging.WARNING))
    return handler
