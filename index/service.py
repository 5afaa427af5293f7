"""Open a ready-to-query engine: load the model, build the index when missing or stale, load it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from index.embedder import Embedder
from index.search import Engine
from index.store import Progress, build_index, index_status, load_index


def open_engine(
    sources: Path,
    index_dir: Path,
    model: str,
    *,
    notice: Callable[[str], None] = lambda message: None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> Engine:
    """Return an Engine over an index that matches `sources`, (re)building it first if needed."""
    status = index_status(index_dir, sources, model)
    embedder = embedder or Embedder(model)
    if status != "ok":
        notice(f"index {'not found' if status == 'missing' else 'is out of date (sources changed)'} in {index_dir}; building it")
        build_index(sources, index_dir, embedder, progress=progress)
    index = load_index(index_dir)
    assert index is not None
    return Engine(index, embedder)
