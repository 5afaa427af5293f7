"""storybot: answers questions about news stories by quoting the stories' own paragraphs.

The public API for code that embeds storybot (the CLI and the Telegram bot use the same):

    from storybot import open_engine
    engine = open_engine()                      # ./sources and ./data/index, built when stale
    answer = engine.ask("How many countries voted in favor?")

Parts of the namespace: `storybot.index` (the retrieval library, folder `index/`),
`storybot.bot` (the Telegram app, folder `bot/`), `storybot.cli` and `storybot.terminal` (the
command line), `storybot.settings` (the one place settings are read), `storybot.testing` (a local
Bot API for tests and manual trials).
"""

from storybot.index.errors import InputError, StorybotError
from storybot.index.models import Answer, Paragraph, Passage, Story

__version__ = "0.2.0"

__all__ = ["Answer", "InputError", "Paragraph", "Passage", "Story", "StorybotError", "__version__"]
