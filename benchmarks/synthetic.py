"""Synthetic news archives for the scale benchmarks: realistic lengths and vocabulary, no real stories.

Each story takes one WikiQA document as its topic (title and sentences). Its sentences are spliced
from two sentences of that document (the head of one, the tail of another), so an archive of
100k paragraphs has few exact repeats while keeping encyclopaedic vocabulary and sentence
lengths; paragraphs have 1–4 such sentences (about 45 words on average; the bundled story has 35),
stories 8–30 paragraphs. The text is word salad at the phrase level — fine for timing and
memory, not for judging answer quality.
"""

from __future__ import annotations

import random
from pathlib import Path

from wikiqa import DEFAULT_TSV, read_wikiqa

OUTLETS = ["The Daily Example", "Example Wire", "Metro Herald", "Global Desk", "Evening Ledger"]


def _splice(rng: random.Random, sentences: list[str]) -> str:
    a, b = rng.choice(sentences).split(), rng.choice(sentences).split()
    head = a[: max(1, rng.randint(len(a) // 3, max(len(a) // 3, 2 * len(a) // 3)))]
    tail = b[rng.randint(len(b) // 3, max(len(b) // 3, 2 * len(b) // 3)):]
    text = " ".join(head + tail).replace(" .", ".").replace(" ,", ",").strip(" .")
    return text[0].upper() + text[1:] + "."


def write_archive(out_dir: Path, paragraphs: int, *, seed: int = 0, tsv: Path = DEFAULT_TSV) -> int:
    """Write stories totalling `paragraphs` paragraphs into `out_dir`; return the number of stories."""
    documents, _ = read_wikiqa(tsv)
    topics = [(title, [s for s in sentences if len(s.split()) >= 6]) for title, sentences in documents.values()]
    topics = [(title, sentences) for title, sentences in topics if len(sentences) >= 2]
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = stories = 0
    while written < paragraphs:
        title, sentences = rng.choice(topics)
        count = min(rng.randint(8, 30), paragraphs - written)
        body = [" ".join(_splice(rng, sentences) for _ in range(rng.choice((1, 1, 2, 2, 3, 4))))
                for _ in range(count)]
        front = f"---\ntitle: \"{title.replace(chr(34), '')} — report {stories + 1}\"\noutlet: {rng.choice(OUTLETS)}\n---\n"
        (out_dir / f"story-{stories:06d}.md").write_text(front + "\n".join(body) + "\n", "utf-8")
        written += count
        stories += 1
    return stories
