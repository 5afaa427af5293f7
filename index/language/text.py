"""Keyword tokenisation shared by the BM25 index and query analysis."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable

import Stemmer
from bm25s.tokenization import STOPWORDS_EN

# A word: letters and digits in any script, joined by apostrophes ("don't", "O’Brien's").
# Every word split in storybot goes through this pattern.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
STOPWORDS = frozenset(STOPWORDS_EN) | {"did", "does", "do", "what", "who", "whom", "how", "why", "when",
                                       "which", "where", "story", "s", "t", "is", "was", "were", "has"}
_stemmer = Stemmer.Stemmer("english")


def normalise(text: str) -> str:
    """Fold typographic quotes, zero-width and compatibility characters so the same word matches."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]", "", text)
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def words(text: str) -> list[str]:
    """Lower-cased words, possessives and contractions folded ("Netanyahu's" → "netanyahu")."""
    out = []
    for w in _WORD.findall(normalise(text).lower()):
        if w.endswith("'s"):
            w = w[:-2]
        elif w.endswith("n't"):
            out.append(w[:-3])
            w = "not"
        out.append(w)
    return out


def typed_words(text: str) -> list[str]:
    """The words of `text` as typed: case, apostrophes and possessives kept ("PM's")."""
    return _WORD.findall(text)


def replace_words(text: str, replace: Callable[[str], str]) -> str:
    """`text` with each of its `typed_words` replaced by `replace(word)`; all between them kept."""
    return _WORD.sub(lambda match: replace(match.group(0)), text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    """Stemmed content words: what BM25 indexes and matches."""
    return content_stems(words(text))


def content_stems(found: list[str]) -> list[str]:
    """`tokens` of text already split by `words` (an index build reads each paragraph's words once)."""
    return [stem(w) for w in found if w not in STOPWORDS]
