"""Paragraph and sentence vectors for an index build.

A paragraph is embedded as "{title}: {text}" (EMBED_TEMPLATE): the story title gives short
paragraphs the context a reader has ("the vote" = the UN vote on the ICJ opinion). Its
sentences get their vectors from that same pass ("late chunking"): the model's token states for
the title and for the sentence's own tokens, mean-pooled as the model pools a whole text. That is
one pass a paragraph instead of one per paragraph and one per sentence (about 2.2× fewer tokens
through the model here), and each sentence vector has read its paragraph; on the bundled story
they are ~0.98 cosine to embedding "{title}: {sentence}" alone and rank the same answers
(benchmarks/quality.py). A sentence the model's window cut off, or a model or stand-in that
gives no token states (torch backend, [CLS] pooling), gets "{title}: {sentence}" embedded alone.

A one-sentence paragraph's sentence vector is its paragraph vector.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from storybot.index.models import Paragraph

EMBED_TEMPLATE = "{title}: {text}"
assert EMBED_TEMPLATE.endswith("{text}")  # the title prefix is what every sentence is pooled with

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class PreviousBuild(Protocol):
    """What vector reuse reads from an earlier build (a StoryIndex)."""

    stories: Any  # story_of(row) -> the story, with its title
    paragraphs: Any  # the paragraph table: len(), story_of(row), text(row)
    paragraph_vectors: np.ndarray
    sentence_vectors: np.ndarray
    sentence_offsets: np.ndarray


def embed_text(title: str, text: str) -> str:
    return EMBED_TEMPLATE.format(title=title, text=text)


def sentence_spans(paragraph: Paragraph, prefix: int) -> list[tuple[int, int]]:
    """Character spans of the paragraph's sentences inside prefix + text (none for a one-sentence paragraph)."""
    if len(paragraph.sentences) < 2:
        return []
    spans, position = [], 0
    for sentence in paragraph.sentences:
        start = paragraph.text.index(sentence, position)  # sentences are verbatim, in order
        position = start + len(sentence)
        spans.append((prefix + start, prefix + position))
    return spans


def _key(model: str, text: str) -> bytes:
    return hashlib.blake2b(f"{model}\0{text}".encode(), digest_size=16).digest()


def embed_paragraphs(
    paragraphs: Sequence[Paragraph],
    titles: dict[str, str],
    embedder,
    *,
    previous: PreviousBuild | None = None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Paragraph vectors, sentence vectors and sentence offsets (paragraph i owns sentence rows
    offsets[i]:offsets[i+1]). Paragraphs whose embedded text `previous` (a build by the same
    model) already has reuse its vectors; only the others go through the model."""
    counts = np.array([len(p.sentences) for p in paragraphs], dtype=np.int64)
    offsets = np.zeros(len(paragraphs) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    paragraph_vectors = np.zeros((len(paragraphs), embedder.dimension), dtype=np.float32)
    sentence_vectors = np.zeros((int(offsets[-1]), embedder.dimension), dtype=np.float32)
    prefixes = [embed_text(titles[p.story], "") for p in paragraphs]

    old_rows: dict[bytes, int] = {}
    if previous is not None:
        table = previous.paragraphs
        for row in range(len(table)):  # columns, not Paragraph objects: this runs over every old row
            old_rows[_key(embedder.name, embed_text(previous.stories[table.story_of(row)].title, table.text(row)))] = row
    missing: dict[str, list[int]] = {}  # embedded text -> the rows that need it (a text is embedded once)
    for row, (p, prefix) in enumerate(zip(paragraphs, prefixes)):
        text = prefix + p.text
        old = old_rows.get(_key(embedder.name, text))
        if old is not None and previous.sentence_offsets[old + 1] - previous.sentence_offsets[old] == counts[row]:
            paragraph_vectors[row] = np.asarray(previous.paragraph_vectors[old])
            lo = int(previous.sentence_offsets[old])
            sentence_vectors[offsets[row]:offsets[row + 1]] = np.asarray(previous.sentence_vectors[lo:lo + counts[row]])
        else:
            missing.setdefault(text, []).append(row)

    texts = list(missing)
    if progress:
        progress("embed", 0, len(texts))
    if not texts:
        return paragraph_vectors, sentence_vectors, offsets
    firsts = [rows[0] for rows in missing.values()]
    spans = [sentence_spans(paragraphs[row], len(prefixes[row])) for row in firsts]
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("embed", done, len(texts))

    encode_passages = getattr(embedder, "encode_passages", None)
    if encode_passages is not None:
        vectors, pooled = encode_passages(texts, spans, [len(prefixes[row]) for row in firsts], progress=step)
    else:  # a stand-in embedder with encode() alone: sentences embedded on their own
        vectors = embedder.encode(texts, progress=step)
        alone = [prefixes[row] + text[a:b] for row, text, s in zip(firsts, texts, spans) for a, b in s]
        flat = embedder.encode(alone) if alone else np.zeros((0, embedder.dimension), np.float32)
        bounds = np.cumsum([0] + [len(s) for s in spans])
        pooled = [flat[bounds[i]:bounds[i + 1]] for i in range(len(texts))]
    for text_vector, sentence_rows, rows in zip(vectors, pooled, missing.values()):
        for row in rows:
            paragraph_vectors[row] = text_vector
            # one sentence: the sentence is the paragraph
            sentence_vectors[offsets[row]:offsets[row + 1]] = sentence_rows if len(sentence_rows) else text_vector
    return paragraph_vectors, sentence_vectors, offsets
