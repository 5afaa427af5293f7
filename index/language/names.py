"""Which names the stories mention: what "How did Germany vote?" is declined on.

A name is mentioned when each of its words occurs (a word of four letters or more may begin a
longer one: "Russia" is in "Russian"), a two-word name occurs as those two words side by side in
one paragraph or title ("United States", not "united … states"), and one story holds all its
words. Built once per index from every paragraph and title and stored as arrays (names/):

    words.bin, word_offsets.npy   the distinct name words, sorted
    stories.npy, postings.npy     int32 stories (positions in stories.json) holding word i:
                                  stories[postings[i]:postings[i + 1]], ascending
    bigrams.npy                   uint64, sorted: id(a) << 32 | id(b) for every word a directly
                                  followed by word b in a paragraph or title

`NameIndex.build` over one story's own text answers the same questions within that story.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Iterable

import numpy as np

from storybot.index.storage.table import Strings, map_array
from storybot.index.language.text import name_words

DIRECTORY = "names"


class NameIndex:
    """The name words of a set of stories, the stories holding each, and the word pairs that occur."""

    def __init__(self, words: Strings, stories: np.ndarray, postings: np.ndarray, bigrams: np.ndarray,
                 n_stories: int) -> None:
        self.words, self._stories, self._postings, self._bigrams = words, stories, postings, bigrams
        self.n_stories = n_stories

    @classmethod
    def build(cls, texts: Iterable[tuple[int, str]], n_stories: int) -> NameIndex:
        """From (story position, paragraph or title text) pairs, grouped by story."""
        ids: dict[str, int] = {}
        sequence = array("i")  # every text's word ids, each text followed by -1
        pair_words, pair_stories = array("i"), array("i")
        current, seen = -1, set()

        def flush() -> None:
            pair_words.extend(seen)
            pair_stories.extend([current] * len(seen))
            seen.clear()

        for story, text in texts:
            if story != current:
                flush()
                current = story
            found = [ids.setdefault(w, len(ids)) for w in name_words(text)]
            sequence.extend(found)
            sequence.append(-1)
            seen.update(found)
        flush()
        ordered = sorted(ids)
        rank = np.empty(len(ids), dtype=np.int64)
        rank[[ids[w] for w in ordered]] = np.arange(len(ids))
        sequence_ = np.frombuffer(sequence, dtype=np.int32) if len(sequence) else np.zeros(0, np.int32)
        a, b = sequence_[:-1], sequence_[1:]
        both = (a >= 0) & (b >= 0)
        bigrams = np.unique((rank[a[both]].astype(np.uint64) << np.uint64(32)) | rank[b[both]].astype(np.uint64))
        words_ = rank[np.frombuffer(pair_words, dtype=np.int32)] if len(pair_words) else np.zeros(0, np.int64)
        stories_ = np.frombuffer(pair_stories, dtype=np.int32) if len(pair_stories) else np.zeros(0, np.int32)
        order = np.lexsort((stories_, words_))
        postings = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(words_, minlength=len(ids)), out=postings[1:])
        return cls(Strings.build(ordered), stories_[order].astype(np.int32), postings, bigrams, n_stories)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.words.save(directory / "words.bin", directory / "word_offsets.npy")
        np.save(directory / "stories.npy", self._stories)
        np.save(directory / "postings.npy", self._postings)
        np.save(directory / "bigrams.npy", self._bigrams)

    @classmethod
    def open(cls, directory: Path, n_stories: int) -> NameIndex:
        words = Strings.open(directory / "words.bin", directory / "word_offsets.npy")
        stories, postings = map_array(directory / "stories.npy"), map_array(directory / "postings.npy")
        bigrams = map_array(directory / "bigrams.npy")
        if postings.shape != (len(words) + 1,) or postings[0] != 0 or postings[-1] != len(stories):
            raise ValueError("names/postings.npy does not fit names/stories.npy")
        if bigrams.dtype != np.uint64 or stories.dtype != np.int32:
            raise ValueError("names/ holds arrays of the wrong type")
        if len(stories) and (stories.min() < 0 or stories.max() >= n_stories):
            raise ValueError("names/stories.npy names stories the index does not have")
        return cls(words, stories, postings, bigrams, n_stories)

    def has_word(self, word: str) -> bool:
        """`word` occurs, or (four letters or more) begins a word that occurs."""
        first, end = self._word_range(word)
        return end > first

    def has_bigram(self, a: str, b: str) -> bool:
        """`a` directly followed by `b` in one paragraph or title."""
        i, j = self.words.find(a), self.words.find(b)
        if i < 0 or j < 0:
            return False
        key = np.uint64(i) << np.uint64(32) | np.uint64(j)
        k = int(np.searchsorted(self._bigrams, key))
        return k < len(self._bigrams) and self._bigrams[k] == key

    def has_all(self, words: list[str]) -> bool:
        """One story holds every one of `words` (each as `has_word` reads it)."""
        if not words:
            return self.n_stories > 0
        found = np.ones(self.n_stories, dtype=bool)
        for word in words:
            found &= self._stories_with(word)
            if not found.any():
                return False
        return True

    def _word_range(self, word: str) -> tuple[int, int]:
        if len(word) >= 4:
            return self.words.prefix_range(word)
        i = self.words.find(word)
        return (i, i + 1) if i >= 0 else (0, 0)

    def _stories_with(self, word: str) -> np.ndarray:
        """A mask over stories: those holding `word` (a scatter, cheaper than sorting the postings
        of every word a short prefix begins)."""
        first, end = self._word_range(word)
        mask = np.zeros(self.n_stories, dtype=bool)
        mask[self._stories[self._postings[first]:self._postings[end]]] = True
        return mask
