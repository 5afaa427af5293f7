"""Tokenisation: keyword stems for the BM25 index and query analysis, and tokens with offsets for reading
sentences (the claim checker)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import Stemmer
from bm25s.tokenization import STOPWORDS_EN

# A word: letters and digits in any script, joined by apostrophes ("don't", "O’Brien's").
# Every word split in storybot goes through this pattern, but for the two below.
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Name words are split at hyphens and apostrophes and kept to ASCII letters and digits: every built
# index's name table holds words read this way, so a question must be read the same way to match it.
_NAME_WORD = re.compile(r"[a-z0-9]+")
# Letters only, apostrophes splitting them: French and Italian elide function words onto the next
# ("qu'il", "dell'anno"), and telling a language apart needs them as words of their own.
_LETTERS = re.compile(r"[^\W\d_]+")
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
    for w in WORD.findall(normalise(text).lower()):
        if w.endswith("'s"):
            w = w[:-2]
        elif w.endswith("n't"):
            out.append(w[:-3])
            w = "not"
        out.append(w)
    return out


def name_words(text: str) -> list[str]:
    """Lower-case words for name matching; hyphens and possessives split off ("Netanyahu’s" → "netanyahu")."""
    return [w for w in _NAME_WORD.findall(normalise(text).lower()) if w != "s"]


def letter_runs(text: str) -> list[str]:
    """The runs of letters in `text`, as typed ("qu'il" → "qu", "il")."""
    return _LETTERS.findall(text)


def typed_words(text: str) -> list[str]:
    """The words of `text` as typed: case, apostrophes and possessives kept ("PM's")."""
    return WORD.findall(text)


def replace_words(text: str, replace: Callable[[str], str]) -> str:
    """`text` with each of its `typed_words` replaced by `replace(word)`; all between them kept."""
    return WORD.sub(lambda match: replace(match.group(0)), text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    """Stemmed content words: what BM25 indexes and matches."""
    return content_stems(words(text))


def content_stems(found: list[str]) -> list[str]:
    """`tokens` of text already split by `words` (an index build reads each paragraph's words once)."""
    return [stem(w) for w in found if w not in STOPWORDS]


# Irregular verb forms → the form the stemmer knows, so "told" matches "tell" and "sworn" matches "swear".
IRREGULAR = {
    "told": "tell", "sent": "send", "given": "give", "gave": "give", "sworn": "swear", "swore": "swear",
    "took": "take", "taken": "take", "made": "make", "held": "hold", "spoke": "speak", "spoken": "speak",
    "met": "meet", "said": "say", "says": "say", "paid": "pay", "sold": "sell", "got": "get", "went": "go",
    "came": "come", "wrote": "write", "written": "write", "left": "leave", "won": "win", "lost": "lose",
    "led": "lead", "brought": "bring", "bought": "buy", "sought": "seek", "thought": "think", "began": "begin",
    "fell": "fall", "rose": "rise", "kept": "keep", "known": "know", "knew": "know", "saw": "see", "seen": "see",
    "chose": "choose", "chosen": "choose", "drew": "draw", "drawn": "draw", "struck": "strike", "shot": "shoot",
    "overtook": "overtake", "overtaken": "overtake", "grew": "grow", "grown": "grow", "built": "build",
    "spent": "spend", "cut": "cut", "hit": "hit", "ran": "run", "found": "find", "felt": "feel", "meant": "mean",
}


def lemma_stem(word: str) -> str:
    """Stem of a lower-cased word after undoing irregular verb forms."""
    return stem(IRREGULAR.get(word, word))


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*|[^\w\s]")


@dataclass(frozen=True)
class Tok:
    text: str
    low: str
    stem: str
    start: int
    end: int
    kind: str  # "word", "num" or "punct"
    cap: bool = False
    possessive: bool = False


def tokenize(text: str) -> list[Tok]:
    """Words, numbers and punctuation with character offsets; "didn't" → "did" + "not", "Israel's" → "Israel"."""
    out: list[Tok] = []
    for m in _TOKEN.finditer(normalise(text)):
        raw, start, end = m.group(), m.start(), m.end()
        if raw[0].isdigit():
            out.append(Tok(raw, raw, raw, start, end, "num"))
            continue
        if not raw[0].isalpha():
            out.append(Tok(raw, raw, raw, start, end, "punct"))
            continue
        low = raw.lower()
        if low.endswith("n't") and len(low) > 3:
            base = {"ca": "can", "wo": "will", "sha": "shall"}.get(low[:-3], low[:-3])
            out.append(Tok(raw[:-3], base, lemma_stem(base), start, end - 3, "word"))
            out.append(Tok("not", "not", "not", end - 3, end, "word"))
            continue
        possessive = low.endswith("'s") or low.endswith("s'")
        for suffix in ("'s", "'re", "'ve", "'ll", "'d", "'m", "'"):
            if low.endswith(suffix) and len(low) > len(suffix):
                low, raw = low[: -len(suffix)], raw[: -len(suffix)]
                break
        out.append(Tok(raw, low, lemma_stem(low), start, start + len(raw), "word", raw[0].isupper(), possessive))
    return out


def verbatim(text: str, start: int, end: int) -> str:
    """Text[start:end] of the original, or of its normalised form when normalising changed its length."""
    normal = normalise(text)
    return text[start:end] if len(normal) == len(text) else normal[start:end]
