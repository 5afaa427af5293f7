"""The encoder back-ends: one protocol, and an implementation per runtime.

  * OnnxEncoder      — an exported model run by onnxruntime and tokenizers (no torch import);
  * OpenVinoEncoder  — the same graph compiled by OpenVINO in bfloat16 (the `bf16` extra), for builds;
  * TorchEncoder     — sentence-transformers itself, for models that cannot be exported.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np


class Encoder(Protocol):
    """What the Embedder needs from a back-end."""

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


