"""storybot: answers questions about news stories by quoting the stories' own paragraphs.

The public API for code that embeds storybot (the CLI and the Telegram bot use the same):

    import storybot
    engine = storybot.open_engine()             # ./sources and ./data/index, built when stale
    answer = engine.ask("How many countries voted in favor?")   # an Answer (pydantic)
    answer.answered, answer.passages[0].text

Settings come from the environment (STORYBOT_*) as for the command line; pass a Settings object,
or keyword overrides such as `storybot.open_engine(sources="stories", reader="none")`.

Parts of the namespace: `storybot.index` (the retrieval library, folder `index/`),
`storybot.bot` (the Telegram app, folder `bot/`), `storybot.cli` and `storybot.terminal` (the
command line), `storybot.settings` (the one place settings are read), `storybot.testing` (a local
Bot API for tests and manual trials).
"""

from storybot.index.errors import InputError, StorybotError
from storybot.index.models import Answer, Paragraph, Passage, Story

__version__ = "0.2.0"


def open_engine(settings=None, *, notice=None, progress=None, **overrides):
    """An engine over a current index of the configured stories (built first when missing or stale)."""
    from storybot.index.service import open_engine as open_index_engine
    from storybot.settings import load_settings

    settings = settings or load_settings(**overrides)
    return open_index_engine(settings.sources, settings.index_dir, settings.model, model_cache=settings.model_cache,
                             backend=settings.embedder, bf16_builds=settings.bf16_builds,
                             private_index=settings.index_private, reader=settings.reader,
                             notice=notice or (lambda message: None), progress=progress)

__all__ = ["Answer", "InputError", "Paragraph", "Passage", "Story", "StorybotError", "__version__", "open_engine"]
