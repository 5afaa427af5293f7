"""Open a ready-to-query engine: load the model, build the index when missing or stale, load it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from storybot.index.embedding.embedder import Embedder
from storybot.index.answering.weights import load_weights
from storybot.index.errors import UnusableIndexError, StorybotError
from storybot.index.reading import Reader
from storybot.index.reading.load import load_reader
from storybot.index.answering.search import Engine
from storybot.index.storage.store import (Progress, StoryIndex, build_index, check_writable, damaged, index_status,
                                  load_index)


def open_engine(
    sources: Path,
    index_dir: Path,
    model: str,
    *,
    notice: Callable[[str], None] = lambda message: None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
    model_cache: Path | None = None,
    backend: str = "auto",
    bf16_builds: bool = True,
    private_index: bool = False,
    reader: str = "auto",
) -> Engine:
    """Return an Engine over an index that matches `sources`, (re)building it first if needed.

    A damaged index is refused (it needs `storybot index build`, which may mean a failing disk)
    rather than rebuilt behind the operator's back."""
    status = index_status(index_dir, sources, model)
    if status.state == "damaged":
        raise damaged(index_dir, status.problem or "")
    read_only = status.state == "stale" and not os.access(index_dir, os.W_OK)
    if status.state != "ok" and not read_only:
        check_writable(index_dir)  # before the model loads
    embedder = embedder or Embedder(model, backend=backend, cache_dir=model_cache, bf16_builds=bf16_builds)
    if read_only:
        # A replica sharing a read-only index serves the build it has; the builder swaps in the new one.
        notice(f"index in {index_dir} is out of date ({status.problem}) but read-only here; serving it as it is")
    elif status.state != "ok":
        notice(f"index {'not found' if status.state == 'missing' else f'is out of date ({status.problem})'} "
               f"in {index_dir}; building it")
        manifest = build_index(sources, index_dir, embedder, progress=progress, private=private_index)
        for skipped in manifest.skipped:
            notice(f"warning: skipped {skipped.error}")
        embedder.release_build_encoder()  # this process serves from here on
    index = load_index(index_dir)
    assert index is not None
    check_compatible(index, embedder, index_dir)
    return Engine(index, embedder, reader=open_reader(reader, notice))


def open_reader(name: str, notice: Callable[[str], None] = lambda message: None) -> Reader | None:
    """The reader `name` names: "auto" is the one the shipped weights were fitted for, "none" none.
    With "auto", a reader that cannot load is reported and answering goes on without it."""
    if name == "none":
        return None
    fitted = load_weights().reader
    wanted = fitted.model if name == "auto" and fitted is not None else name
    if name == "auto" and fitted is None:
        return None
    try:
        return load_reader(wanted)
    except StorybotError as exc:
        if name != "auto":
            raise
        notice(f"warning: answering without the reader ({exc})")
        return None


def check_compatible(index: StoryIndex, embedder: Embedder, index_dir: Path) -> None:
    """Refuse an index whose vectors the loaded model cannot be compared with."""
    manifest = index.manifest
    rebuild = f"rebuild it with `storybot index build --index {index_dir}`"
    if manifest.model != embedder.name:
        raise UnusableIndexError(
            f"the index in {index_dir} was built with model {manifest.model!r}, but the model in use "
            f"is {embedder.name!r}; {rebuild} or set STORYBOT_MODEL={manifest.model}")
    if manifest.dimension != embedder.dimension:
        raise UnusableIndexError(
            f"the index in {index_dir} holds {manifest.dimension}-dimensional vectors, but model "
            f"{embedder.name!r} makes {embedder.dimension}-dimensional ones; {rebuild}")
