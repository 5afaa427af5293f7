"""Test support: a local Telegram Bot API over real HTTP, and helpers that run the real bot against it.

Used by the test suite and the benchmarks, and runnable on its own for manual trials:
`python -m storybot.testing.botapi` prints its URL and lets you push messages to a bot.
"""
