"""Hot reload: a running process follows `<index>/current` to each new build, without a restart.

`storybot index build` (or build_index) writes a new build next to the live one and then swaps
the `current` symlink atomically. The watcher notices the swap, loads the new build in its own
thread with the embedder already in memory (the model is never loaded again), checks every file
against its checksum (off the question path, so a flipped bit costs no latency), and
hands a new Engine to `on_change`. Whoever asks a question takes one engine for the whole
question (bot.service.StoryService.ask), so questions in flight finish on the build they
started with; the old build's files stay readable while they do (arrays are memory-mapped or
in memory, so even a pruned build directory is no problem on POSIX).

A new build that is damaged or made for another model is refused, loudly, once: the process
goes on answering from the build it has, never from a broken one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from storybot.index.errors import StorybotError
from storybot.index.answering.search import Engine
from storybot.index.service import check_compatible
from storybot.index.storage.store import current_build, load_index

log = logging.getLogger(__name__)


class IndexWatcher:
    """Polls `index_dir` every `interval` seconds and switches `engine` to each new sound build."""

    def __init__(self, index_dir: Path, engine: Engine, on_change: Callable[[Engine], None], *,
                 interval: float = 2.0) -> None:
        self.index_dir = index_dir
        self.engine = engine
        self.on_change = on_change
        self.interval = interval
        self._refused: set[Path] = set()
        self._checking = threading.Lock()  # the polling thread and a caller who just built (bot /add)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> Engine | None:
        """Switch to the live build if it is new and sound; return the new engine, else None."""
        with self._checking:
            return self._check()

    def _check(self) -> Engine | None:
        target = current_build(self.index_dir)
        if target is None or target == self.engine.index.path or target in self._refused:
            return None
        try:
            index = load_index(self.index_dir, full=True)
            if index is None:
                return None
            check_compatible(index, self.engine.embedder, self.index_dir)
        except StorybotError as exc:
            if current_build(self.index_dir) != target:
                return None  # `current` moved while loading: look again next time
            self._refused.add(target)
            log.error("not switching to the new index build %s: %s; still answering from %s",
                      target.name, exc, self.engine.index.path.name)
            return None
        engine = Engine(index, self.engine.embedder, reader=self.engine.reader, weights=self.engine.weights)
        self.engine = engine
        self.on_change(engine)
        log.info("switched to index build %s: %d stor%s, %d paragraphs", index.path.name, len(index.stories),
                 "y" if len(index.stories) == 1 else "ies", len(index.paragraphs))
        return engine

    def start(self) -> IndexWatcher:
        if self.interval > 0:
            self._thread = threading.Thread(target=self._run, name="index-watcher", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def __enter__(self) -> IndexWatcher:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # a watcher that dies would silently stop all future reloads
                log.exception("checking %s for a new index build failed", self.index_dir)
