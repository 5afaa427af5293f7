"""Export a sentence-transformers model to one ONNX graph: tokens → normalised sentence vector,
plus the token states it pooled (an index build pools each sentence's tokens from its paragraph's
single pass instead of encoding every sentence again).

Runs once per model and machine (a few seconds, no download): the weights come from the same
local directory or offline cache the torch backend loads. Only this module imports torch for
the ONNX backend; answering questions afterwards needs onnxruntime and tokenizers alone, which
is what keeps a bot's start-up and each query fast.

The exported graph is checked against sentence-transformers on a few padded batches before it
is used; a model whose structure we do not understand is refused (the caller then uses torch).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np

from storybot.index.embedding.encoders import OnnxEncoder

EXPORT_FORMAT = 4  # bump when the exported files change meaning; old exports are then redone

# Texts that exercise padding, truncation, punctuation and non-ASCII in the export check.
PROBES = [
    "How did Germany vote?",
    "Netanyahu called Zelensky before the vote at the United Nations General Assembly in New York.",
    "yes",
    "Zelensky's office said: «We won't comment» — 87 in favour, 24 against, 33 abstained. " * 12,
]


class ExportError(Exception):
    """The model cannot be exported (unsupported structure, or the export disagrees with torch)."""


def export_model(model_path: str, target: Path) -> dict:
    """Write model.onnx, tokenizer.json and meta.json for `model_path` into `target` (atomically); return the meta."""
    import torch
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(model_path, device="cpu", model_kwargs={"attn_implementation": "eager"})
    transformer, pooling_mode = _structure(st)
    dimension = int(st.get_embedding_dimension() if hasattr(st, "get_embedding_dimension")
                    else st.get_sentence_embedding_dimension())

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = transformer

        def forward(self, input_ids, attention_mask):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            if pooling_mode == "cls":
                pooled = hidden[:, 0]
            else:
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1), hidden

    def write(tmp: Path) -> dict:
        backend = getattr(st.tokenizer, "backend_tokenizer", None)
        if backend is None:
            raise ExportError("the model has no fast (tokenizers) tokenizer")
        backend.save(str(tmp / "tokenizer.json"))
        # Trace with one padded row, so the graph keeps the attention-mask path for every batch.
        ids = torch.full((2, 8), 1000, dtype=torch.long)
        mask = torch.ones((2, 8), dtype=torch.long)
        mask[1, 5:] = 0
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                SentenceEmbedding().eval(), (ids, mask), str(tmp / "model.onnx"),
                input_names=["input_ids", "attention_mask"], output_names=["embedding", "tokens"],
                dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                              "embedding": {0: "batch"}, "tokens": {0: "batch", 1: "tokens"}},
                opset_version=17, dynamo=False,
            )
        fused = _fuse(tmp / "model.onnx", transformer.config)
        meta = {"export_format": EXPORT_FORMAT, "model": model_path, "dimension": dimension,
                "max_seq_length": int(st.max_seq_length or 512), "quantized": False, "pooling": pooling_mode,
                "fused": fused}
        expected = st.encode(PROBES, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        meta["agreement"] = _agreement(tmp, meta, expected, floor=0.9999)
        return meta

    return _write_atomically(target, write)


def quantize_export(source: Path, target: Path) -> dict:
    """int8 weights for the matrix multiplications of an fp32 export, per output channel
    (per-tensor loses too much on this model); no torch needed. Weights use 7 bits (reduce_range):
    CPUs without VNNI multiply int8 with 16-bit intermediate sums that saturate on full-range
    weights — on an AVX2 machine that cost cosine 0.947 against 0.970 with reduce_range."""
    from onnxruntime.quantization import QuantType, quantize_dynamic


    fp32_meta = json.loads((source / "meta.json").read_text("utf-8"))

    def write(tmp: Path) -> dict:
        shutil.copyfile(source / "tokenizer.json", tmp / "tokenizer.json")
        root = logging.getLogger()
        was, root.disabled = root.disabled, True  # silence its "consider pre-processing" advice
        try:
            # DefaultTensorType: shape inference cannot type the outputs of fused (com.microsoft) nodes.
            quantize_dynamic(str(source / "model.onnx"), str(tmp / "model.onnx"), weight_type=QuantType.QInt8,
                             op_types_to_quantize=["MatMul", "Attention"], per_channel=True, reduce_range=True,
                             extra_options={"DefaultTensorType": 1})
        finally:
            root.disabled = was
        meta = {**fp32_meta, "quantized": True}
        expected = OnnxEncoder(source, fp32_meta).encode(PROBES)
        meta["agreement"] = _agreement(tmp, meta, expected, floor=0.95)
        return meta

    return _write_atomically(target, write)


def _fuse(path: Path, config) -> bool:
    """Rewrite a BERT-family graph with onnxruntime's fused Attention, SkipLayerNorm and BiasGelu
    kernels (about 1.3× faster in fp32, and what makes int8 pay: 2.7× over unfused int8 here).
    Other architectures, or an optimizer that fails, keep the plain graph; the agreement check
    that follows catches a fusion that changed the numbers."""
    if getattr(config, "model_type", None) not in _FUSABLE:
        return False
    try:
        from onnxruntime.transformers import optimizer

        root = logging.getLogger()
        was, root.disabled = root.disabled, True  # its progress chatter goes to the root logger
        try:
            fused = optimizer.optimize_model(str(path), model_type="bert", num_heads=config.num_attention_heads,
                                             hidden_size=config.hidden_size, opt_level=1)
        finally:
            root.disabled = was
        if not fused.get_fused_operator_statistics().get("Attention"):
            return False
        fused.save_model_to_file(str(path))
    except Exception:
        logging.getLogger(__name__).debug("graph fusion failed; keeping the plain graph", exc_info=True)
        return False
    return True


_FUSABLE = {"bert", "roberta", "xlm-roberta", "camembert", "electra"}


def _write_atomically(target: Path, write) -> dict:
    """Run `write(tmp)` in a scratch directory next to `target`, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        meta = write(tmp)
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2), "utf-8")
        try:
            tmp.rename(target)
        except OSError:  # another process exported the same model first: use theirs
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return meta


def _structure(st) -> tuple[object, str]:
    """The transformer and pooling mode of a Transformer → Pooling (→ Normalize) pipeline, else ExportError."""
    modules = list(st)
    names = [type(m).__name__ for m in modules]
    if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise ExportError(f"unsupported module pipeline {names}")
    mode = modules[1].get_config_dict().get("pooling_mode")
    if mode not in ("mean", "cls"):
        raise ExportError(f"unsupported pooling mode {mode!r}")
    return modules[0].auto_model, mode


def _agreement(directory: Path, meta: dict, expected: np.ndarray, *, floor: float) -> float:
    """Lowest cosine between the graph in `directory` and `expected` over the probes, alone and batched."""

    encoder = OnnxEncoder(directory, meta)
    got = np.vstack([encoder.encode(PROBES), *(encoder.encode([t]) for t in PROBES)])
    agreement = float(np.min(np.sum(got * np.vstack([expected, expected]), axis=1)))
    if agreement < floor:
        raise ExportError(f"the ONNX export disagrees with its reference (cosine {agreement:.4f} < {floor})")
    return round(agreement, 6)
