"""What readers asked that the stories did not say: declined questions grouped by meaning.

Questions are embedded with the model storybot already runs (the query encoder, so a serving
bot loads nothing new) and grouped greedily: the question with the most asked neighbours
(cosine ≥ SAME_MEANING) founds a group with those neighbours, and so on over what is left; so
groups come out largest first, each led by its most central question.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel

SAME_MEANING = 0.7  # all-MiniLM-L6-v2: rephrasings score ~0.75-0.9, different questions on one topic ~0.4-0.65
EXAMPLES = 3
MAX_QUESTIONS = 5000  # the most recent ones; the grouping is quadratic in this


class GapGroup(BaseModel):
    """Questions of one meaning: how often asked, a few distinct wordings (the most central first)."""

    count: int
    examples: list[str]
    sources: list[str]  # the stories they were asked about ("" : every story)


class Gaps(BaseModel):
    questions: int
    groups: list[GapGroup]


def group_questions(asked: Sequence[tuple[str, str | None]], embedder, *, threshold: float = SAME_MEANING,
                    examples: int = EXAMPLES) -> Gaps:
    """Group `asked` ((question, story id or None), oldest first) by meaning, largest group first."""
    asked = list(asked)[-MAX_QUESTIONS:]
    wordings: dict[str, str] = {}  # normalised -> first wording seen
    counts: Counter[str] = Counter()
    stories: dict[str, Counter[str]] = {}
    for question, source in asked:
        key = " ".join(question.lower().split()).rstrip("?!. ")
        if not key:
            continue
        wordings.setdefault(key, " ".join(question.split()))
        counts[key] += 1
        stories.setdefault(key, Counter())[source or ""] += 1
    keys = list(wordings)
    if not keys:
        return Gaps(questions=0, groups=[])
    vectors = np.stack([embedder.encode_query(wordings[k]) for k in keys]).astype(np.float32)
    near = (vectors @ vectors.T) >= threshold
    weight = np.array([counts[k] for k in keys], dtype=np.int64)
    left = np.ones(len(keys), dtype=bool)
    groups = []
    while left.any():
        reach = near[:, left] @ weight[left]  # how many questions still left each one stands for
        reach[~left] = -1
        leader = int(np.argmax(reach))
        members = np.flatnonzero(near[leader] & left)
        left[members] = False
        ordered = [leader] + sorted((int(m) for m in members if m != leader), key=lambda m: (-weight[m], m))
        where: Counter[str] = Counter()
        for m in members:
            where.update(stories[keys[m]])
        groups.append(GapGroup(count=int(weight[members].sum()), examples=[wordings[keys[m]] for m in ordered[:examples]],
                               sources=[s for s, _ in where.most_common()]))
    groups.sort(key=lambda g: -g.count)  # stable: ties keep the order they were found in
    return Gaps(questions=int(weight.sum()), groups=groups)
