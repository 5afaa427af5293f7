"""Typo tolerance: map a misspelt question word onto the index's own vocabulary.

Telegram users type "netanyhu", "commitee", "jerusalm". The embedding model reads those as
different word pieces and BM25 as different words, so both miss the paragraph. A question word
is corrected only when it is unknown twice over: not in the index's vocabulary and not a whole
word in the embedding model's own vocabulary (so real words such as "died" or "price" are never
"corrected" into story words), and a vocabulary word lies within a small edit distance.
Candidates come from a deletion index (SymSpell's idea), so lookups stay fast on big indexes: a
word and its typo meet on a key made by deleting letters from both. Words of `LONG` letters or more
may be two edits off ("netenyahi", "comitee"), so their keys go two deletions deep; shorter words
one deletion (two would give a short word too many neighbours to correct safely). The keys grow
with the vocabulary, not the paragraphs: ~40 per long word.
The vocabulary (words and counts, their stems, the deletion index) is built with the index and
memory-mapped at load (`Vocabulary`), so a million paragraphs cost no start-up time.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

from storybot.index.storage.table import Strings, map_array
from storybot.index.language.text import stem

DIRECTORY = "spelling"

MIN_LENGTH = 5  # shorter words have too many neighbours to correct safely
LONG = 7  # from this length a word may be two edits off


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


def deletion_keys(word: str) -> set[str]:
    """The word and what is left of it with up to `max_distance(word)` letters deleted."""
    once = _deletes(word)
    keys = once | {word}
    if max_distance(word) == 2:
        for shorter in once:
            keys |= _deletes(shorter)
    return keys


def max_distance(word: str) -> int:
    return 1 if len(word) < LONG else 2


def _key_hashes(keys: Iterable[str]) -> list[int]:
    return [int.from_bytes(hashlib.blake2b(k.encode("utf-8"), digest_size=8).digest(), "little") for k in keys]


class Vocabulary:
    """Words with their counts, the stems of the words, and the deletion index — as sorted arrays.

    Files (spelling/): words.bin + word_offsets.npy (sorted words), counts.npy (int64, per word),
    stems.bin + stem_offsets.npy (sorted stems), deletes.npy (uint64 hashes of each word's
    deletion keys, sorted) and delete_words.npy (int32: the word each hash came from).
    """

    def __init__(self, words: Strings, counts: np.ndarray, stems: Strings, deletes: np.ndarray,
                 delete_words: np.ndarray) -> None:
        self.words, self.counts, self.stems = words, counts, stems
        self._deletes, self._delete_words = deletes, delete_words

    @classmethod
    def build(cls, counts: Counter[str]) -> Vocabulary:
        words = sorted(counts)
        keys, owners = [], []
        for i, word in enumerate(words):
            if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                found = deletion_keys(word)
                keys.extend(_key_hashes(found))
                owners.extend([i] * len(found))
        hashes = np.array(keys, dtype=np.uint64)
        order = np.argsort(hashes, kind="stable")
        return cls(Strings.build(words), np.array([counts[w] for w in words], dtype=np.int64),
                   Strings.build(sorted({stem(w) for w in words})), hashes[order],
                   np.array(owners, dtype=np.int32)[order])

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.words.save(directory / "words.bin", directory / "word_offsets.npy")
        self.stems.save(directory / "stems.bin", directory / "stem_offsets.npy")
        np.save(directory / "counts.npy", self.counts)
        np.save(directory / "deletes.npy", self._deletes)
        np.save(directory / "delete_words.npy", self._delete_words)

    @classmethod
    def open(cls, directory: Path) -> Vocabulary:
        words = Strings.open(directory / "words.bin", directory / "word_offsets.npy")
        stems = Strings.open(directory / "stems.bin", directory / "stem_offsets.npy")
        counts = map_array(directory / "counts.npy")
        deletes, owners = map_array(directory / "deletes.npy"), map_array(directory / "delete_words.npy")
        if counts.shape != (len(words),) or deletes.shape != owners.shape or deletes.dtype != np.uint64:
            raise ValueError("the spelling vocabulary's arrays disagree")
        return cls(words, counts, stems, deletes, owners)

    def __contains__(self, word: str) -> bool:
        return self.words.find(word) >= 0

    def __iter__(self):
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, word: str) -> int:
        """The word's count (0 for a word not in the vocabulary, as a Counter says)."""
        i = self.words.find(word)
        return int(self.counts[i]) if i >= 0 else 0

    def has_stem(self, stemmed: str) -> bool:
        return self.stems.find(stemmed) >= 0

    def sharing_a_key(self, keys: set[str]) -> set[str]:
        """The words one of whose `deletion_keys` is in `keys`."""
        wanted = np.array(_key_hashes(keys), dtype=np.uint64)
        lo = np.searchsorted(self._deletes, wanted, side="left")
        hi = np.searchsorted(self._deletes, wanted, side="right")
        found = {self.words[int(i)] for a, b in zip(lo.tolist(), hi.tolist()) for i in self._delete_words[a:b]}
        # A 64-bit hash may, in theory, collide: keep only words that really share a key.
        return {w for w in found if keys & deletion_keys(w)}


class Speller:
    """Corrects words against `vocabulary` (word -> count); `known` words are never corrected."""

    def __init__(self, vocabulary: Counter[str] | Vocabulary, known: Iterable[str] = ()) -> None:
        self.vocabulary = vocabulary if isinstance(vocabulary, Vocabulary) else Vocabulary.build(vocabulary)
        self.known = frozenset(known)
        self.correct = lru_cache(maxsize=8192)(self._correct)

    def _correct(self, word: str) -> str | None:
        """The vocabulary word `word` was meant to be, or None when it is fine or beyond repair."""
        if (len(word) < MIN_LENGTH or not word.isalpha() or word in self.vocabulary or word in self.known
                or self.vocabulary.has_stem(stem(word))):  # "phoned" is "phone" inflected, not misspelt
            return None
        limit = max_distance(word)
        candidates = self.vocabulary.sharing_a_key(deletion_keys(word))
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
