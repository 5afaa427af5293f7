"""Typo tolerance: map a misspelt question word onto the index's own vocabulary.

Telegram users type "netanyhu", "commitee", "jerusalm". The embedding model reads those as
different word pieces and BM25 as different words, so both miss the paragraph. A question word
is corrected only when it is unknown twice over: not in the index's vocabulary and not a whole
word in the embedding model's own vocabulary (so real words such as "died" or "price" are never
"corrected" into story words), and a vocabulary word lies within a small edit distance.
Candidates come from a deletion index (SymSpell's idea), so lookups stay fast on big indexes.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from index.text import stem

MIN_LENGTH = 5  # shorter words have too many neighbours to correct safely


def damerau_levenshtein(a: str, b: str) -> int:
    """Edit distance counting a swap of two adjacent letters as one edit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def max_distance(word: str) -> int:
    return 1 if len(word) < 7 else 2


class Speller:
    """Corrects words against `vocabulary` (word -> count); `known` words are never corrected."""

    def __init__(self, vocabulary: Counter[str], known: Iterable[str] = ()) -> None:
        self.vocabulary = vocabulary
        self.known = frozenset(known)
        self._stems = frozenset(stem(w) for w in vocabulary)
        self._by_delete: dict[str, list[str]] = {}
        for word in vocabulary:
            if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                for key in _deletes(word) | {word}:
                    self._by_delete.setdefault(key, []).append(word)
        self.correct = lru_cache(maxsize=8192)(self._correct)

    def _correct(self, word: str) -> str | None:
        """The vocabulary word `word` was meant to be, or None when it is fine or beyond repair."""
        if (len(word) < MIN_LENGTH or not word.isalpha() or word in self.vocabulary or word in self.known
                or stem(word) in self._stems):  # "phoned" is "phone" inflected, not misspelt
            return None
        limit = max_distance(word)
        candidates: set[str] = set()
        for key in _deletes(word) | {word}:
            candidates.update(self._by_delete.get(key, ()))
        best: tuple[int, int, str] | None = None
        for candidate in candidates:
            distance = damerau_levenshtein(word, candidate)
            # Typists rarely get the first letter wrong; words that differ there are other words.
            if distance > limit or distance > max_distance(candidate) or candidate[0] != word[0]:
                continue
            rank = (distance, -self.vocabulary[candidate], candidate)
            if best is None or rank < best:
                best = rank
        return best[2] if best else None


def model_vocabulary(model_dir: str | Path | None) -> frozenset[str]:
    """Whole words of the embedding model's WordPiece vocabulary (vocab.txt), if it has one."""
    if model_dir is None:
        return frozenset()
    path = Path(model_dir) / "vocab.txt"
    try:
        lines = path.read_text("utf-8").split("\n")
    except OSError:
        return frozenset()
    return frozenset(w for w in (line.strip() for line in lines) if w.isalpha() and w.islower())
