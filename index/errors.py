"""Errors a user can act on: each message is one line that says what is wrong and how to fix it."""


class StorybotError(Exception):
    """Base class; the CLI prints these as a one-line error and exits with status 2."""


class SourceError(StorybotError):
    """A source file or directory cannot be read as stories."""


class UnusableIndexError(StorybotError):
    """The index on disk is missing, unreadable, or was built differently from what is asked."""


class InputError(StorybotError):
    """A question or option is not usable (empty question, top-k < 1, unknown story id)."""
