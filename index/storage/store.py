"""The on-disk index: build it atomically, check it is current, load it.

Layout of an index directory:

    <index>/current            symlink to the live build (swapped atomically)
    <index>/builds/<id>/       manifest.json, stories.json, paragraphs/ (the paragraph table,
                               index/storage/table.py), paragraphs.npy, sentences.npy,
                               sentence_offsets.npy, paragraphs.faiss, bm25/, spelling/ (the
                               typo vocabulary, index/language/spelling.py), names/ (index/language/names.py),
                               acronyms.json (index/language/acronyms.py; absent from older builds)

Only the manifest, the story list and the FAISS index are read into memory at load; the
vectors, texts and BM25 postings are read a few rows at a time as questions need them, the rest
is memory-mapped (index/storage/table.py says why), so a million paragraphs load in about a second.

paragraphs.faiss is exact (IndexFlatIP) up to ANN_MIN_PARAGRAPHS paragraphs and approximate above
(an inverted file of 8-bit scalar-quantised vectors); the manifest's `kind` says which.

A build is written to a temporary directory and renamed into place before `current` moves, so
an interrupted build never leaves a broken index; readers that opened the old build keep it.
Unchanged paragraphs reuse the previous build's vectors instead of being embedded again.
"""

from __future__ import annotations

import json
import math
from collections import Counter
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import bm25s
import faiss
import numpy as np

from storybot.index.embedding.embedder import Embedder
from storybot.index.errors import IndexError_
from storybot.index.language import acronyms
from storybot.index.language import names as names_
from storybot.index.language import spelling
from storybot.index.storage import table
from storybot.index.models import Manifest, Paragraph, Story, StoryInfo
from storybot.index.language.names import NameIndex
from storybot.index.storage.sources import load_sources, source_checksums
from storybot.index.language.spelling import Vocabulary
from storybot.index.storage.table import NpyFile, ParagraphTable, write_paragraph_table
from storybot.index.language.text import content_stems, words
from storybot.index.storage.vectors import EMBED_TEMPLATE, Progress, embed_paragraphs, embed_text  # noqa: F401 (re-exported)

FORMAT_VERSION = 2  # 2: the paragraph table, spelling vocabulary and name index replace paragraphs.jsonl
KEEP_BUILDS = 2
# Exact search over N paragraphs costs 50–150 ns × N per question here (50–150 ms at 1M); from this
# size on, an IVF-SQ8 index answers in under a millisecond and finds ~98% of the exact top 10 (measured
# by benchmarks/perf.py). Search scores every paragraph of smaller archives and re-scores its
# candidates with the exact vectors anyway, so only large archives ever consult this index.
ANN_MIN_PARAGRAPHS = 20_000
ANN_PROBES = 32  # inverted lists visited per question: the recall / speed knob



@dataclass
class StoryIndex:
    """A loaded build: everything search needs, read-only."""

    path: Path
    manifest: Manifest
    stories: dict[str, StoryInfo]
    paragraphs: ParagraphTable  # a read-only Sequence[Paragraph], plus numpy columns
    paragraph_vectors: NpyFile  # rows read when indexed; np.asarray() for the whole array
    sentence_vectors: NpyFile
    sentence_offsets: np.ndarray  # paragraph i owns sentence rows offsets[i]:offsets[i+1]
    faiss_index: faiss.Index
    bm25: bm25s.BM25
    story_ranges: dict[str, tuple[int, int]]  # story id -> [first, last+1) paragraph rows
    vocabulary: Vocabulary  # every word of the paragraphs and titles, counted (the speller's)
    names: NameIndex        # the name words of every story (what a question may name)
    acronyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "icj" -> its name's stems

    def paragraph(self, story: str, number: int) -> Paragraph | None:
        first, end = self.story_ranges.get(story, (0, 0))
        row = first + number - 1
        return self.paragraphs[row] if first <= row < end else None

    def nearest(self, qvec: np.ndarray, k: int, rows: tuple[int, int] | None = None) -> np.ndarray:
        """Rows of the `k` paragraphs closest to `qvec`, best first — within rows [first, end) when given.

        The whole archive goes through the FAISS index (approximate when it is an ANN index); one
        story's range is scanned exactly, which is cheap and keeps a filtered search from losing
        results an ANN index would probe past.
        """
        first, end = rows or (0, len(self.paragraphs))
        if (first, end) == (0, len(self.paragraphs)):
            _, ids = self.faiss_index.search(np.ascontiguousarray(qvec[None, :], dtype=np.float32), k)
            return ids[0][ids[0] >= 0]
        sims = np.asarray(self.paragraph_vectors[first:end]) @ qvec
        top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
        return first + top[np.argsort(-sims[top], kind="stable")]


def current_build(index_dir: Path) -> Path | None:
    link = index_dir / "current"
    try:
        target = link.resolve(strict=True) if link.is_symlink() or link.exists() else None
    except (OSError, RuntimeError):
        return None
    return target


def read_manifest(index_dir: Path) -> Manifest | None:
    build = current_build(index_dir)
    if build is None:
        return None
    try:
        return Manifest.model_validate_json((build / "manifest.json").read_text("utf-8"))
    except PermissionError:
        raise IndexError_(f"cannot read the index in {index_dir}: permission denied") from None
    except (OSError, ValueError):
        raise IndexError_(
            f"the index in {index_dir} has a missing or damaged manifest; rebuild it with `storybot index build`"
        ) from None


def index_status(index_dir: Path, sources_dir: Path, model: str) -> str:
    """'ok', 'missing' or 'stale'; raises IndexError_ for an index that must not be silently replaced."""
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexError_(f"the index path {index_dir} is not a directory; point --index or STORYBOT_INDEX at a directory")
    if index_dir.exists() and not os.access(index_dir, os.R_OK | os.X_OK):
        raise IndexError_(f"cannot read the index directory {index_dir}: permission denied")
    manifest = read_manifest(index_dir)
    if manifest is None:
        return "missing"
    if manifest.format_version != FORMAT_VERSION:
        raise IndexError_(
            f"the index in {index_dir} has format version {manifest.format_version}, this storybot reads "
            f"{FORMAT_VERSION}; rebuild it with `storybot index build --index {index_dir}`"
        )
    if manifest.model != model:
        raise IndexError_(
            f"the index in {index_dir} was built with model {manifest.model!r}, but the model in use is "
            f"{model!r}; rebuild it with `storybot index build --index {index_dir}` or set STORYBOT_MODEL={manifest.model}"
        )
    if manifest.sources != source_checksums(sources_dir) or manifest.embed_template != EMBED_TEMPLATE:
        return "stale"
    return "ok"


def _previous_build(index_dir: Path, embedder: Embedder) -> StoryIndex | None:
    """The live build when its vectors can be reused for `embedder` (the incremental-build cache)."""
    try:
        old = load_index(index_dir)
    except IndexError_:
        return None
    # Same name, other size: the model behind the name changed, so none of its vectors fit.
    if (old is None or old.manifest.model != embedder.name or old.manifest.dimension != embedder.dimension
            or old.manifest.embed_template != EMBED_TEMPLATE):
        return None
    return old


def build_index(
    sources_dir: Path, index_dir: Path, embedder: Embedder, *, progress: Progress | None = None
) -> Manifest:
    """Build (or rebuild) the index for `sources_dir` into `index_dir`; returns the new manifest."""
    stories = load_sources(sources_dir)
    paragraphs = [p for s in stories for p in s.paragraphs]
    titles = {s.id: s.title for s in stories}
    paragraph_vectors, sentence_vectors, offsets = embed_paragraphs(
        paragraphs, titles, embedder, previous=_previous_build(index_dir, embedder), progress=progress)

    index_dir.mkdir(parents=True, exist_ok=True)
    builds = index_dir / "builds"
    builds.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=builds))
    try:
        np.save(tmp / "paragraphs.npy", paragraph_vectors)
        np.save(tmp / "sentences.npy", sentence_vectors)
        np.save(tmp / "sentence_offsets.npy", offsets)
        vector_index, kind = build_vector_index(paragraph_vectors)
        faiss.write_index(vector_index, str(tmp / "paragraphs.faiss"))
        corpus = _write_words(tmp, stories, paragraphs)
        bm25 = bm25s.BM25()
        bm25.index(corpus, show_progress=False)
        del corpus
        bm25.save(str(tmp / "bm25"), show_progress=False)
        del bm25
        infos = [StoryInfo(**s.model_dump(exclude={"paragraphs", "path", "checksum"}), paragraphs=len(s.paragraphs))
                 for s in stories]
        (tmp / "stories.json").write_text(json.dumps([i.model_dump() for i in infos], ensure_ascii=False), "utf-8")
        write_paragraph_table(tmp / table.DIRECTORY, paragraphs, [s.id for s in stories])
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            model=embedder.name,
            dimension=embedder.dimension,
            embed_template=EMBED_TEMPLATE,
            kind=kind,
            paragraphs=len(paragraphs),
            sentences=len(sentence_vectors),
            sources={s.id: s.checksum for s in stories},
            files=_file_sizes(tmp),
            built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        (tmp / "manifest.json").write_text(manifest.model_dump_json(indent=2), "utf-8")
        final = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{tmp.name[-8:].strip('-_')}"
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point_current(index_dir, final)
    _prune(builds, keep=final)
    return manifest


def _write_words(build: Path, stories: list[Story], paragraphs: list[Paragraph]) -> list[list[str]]:
    """One pass over every paragraph's words: writes the spelling vocabulary and the name index,
    returns the BM25 corpus (each paragraph's `tokens`, [""] for none)."""
    counts: Counter[str] = Counter()
    corpus = []
    for p in paragraphs:
        found = words(p.text)
        counts.update(found)
        corpus.append(content_stems(found) or [""])
    for story in stories:
        counts.update(words(story.title))
    Vocabulary.build(counts).save(build / spelling.DIRECTORY)
    texts = ((i, text) for i, s in enumerate(stories) for text in (*(p.text for p in s.paragraphs), s.title))
    NameIndex.build(texts, len(stories)).save(build / names_.DIRECTORY)
    acronyms.save(build / acronyms.FILE,
                  acronyms.index_acronyms([*(p.text for p in s.paragraphs), s.title] for s in stories))
    return corpus


def build_vector_index(vectors: np.ndarray) -> tuple[faiss.Index, str]:
    """The FAISS index over paragraph vectors and its manifest kind: exact when small, IVF-SQ8 when large."""
    n, dimension = vectors.shape
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if n < ANN_MIN_PARAGRAPHS:
        index = faiss.IndexFlatIP(dimension)
        index.add(vectors)
        return index, "flat"
    lists = 1 << round(math.log2(2 * math.sqrt(n)))  # ~2√n lists of ~√n/2 vectors: 512 at 100k, 2048 at 1M
    index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dimension), dimension, lists,
                                          faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    # k-means on a sample (40 points per list, faiss's own minimum) rather than every vector: same lists, far less time.
    sample = np.random.default_rng(0).choice(n, size=min(n, 40 * lists), replace=False)
    index.train(vectors[np.sort(sample)])
    index.add(vectors)
    index.nprobe = ANN_PROBES
    return index, f"ivf{lists}-sq8"


def _file_sizes(build: Path) -> dict[str, int]:
    return {str(p.relative_to(build)): p.stat().st_size for p in sorted(build.rglob("*")) if p.is_file()}


def _point_current(index_dir: Path, build: Path) -> None:
    link = index_dir / f".current-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(build.relative_to(index_dir))
    os.replace(link, index_dir / "current")  # atomic: readers see the old build or the new one


def _prune(builds: Path, keep: Path) -> None:
    done = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    for old in done[:-KEEP_BUILDS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def load_index(index_dir: Path) -> StoryIndex | None:
    """Load the live build, or None when there is none; IndexError_ when it is damaged."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return None
    build = current_build(index_dir)
    assert build is not None
    damaged = (f"the index in {index_dir} is damaged ({{}}); rebuild it with "
               f"`storybot index build --index {index_dir}`")
    if manifest.format_version != FORMAT_VERSION:
        raise IndexError_(f"the index in {index_dir} has format version {manifest.format_version}, this storybot "
                          f"reads {FORMAT_VERSION}; rebuild it with `storybot index build --index {index_dir}`")
    sizes = _file_sizes(build)
    sizes.pop("manifest.json", None)
    if sizes != manifest.files:
        changed = sorted(set(sizes.items()) ^ set(manifest.files.items()))
        raise IndexError_(damaged.format(f"{changed[0][0]} does not match the manifest"))
    try:
        infos = [StoryInfo.model_validate(d) for d in json.loads((build / "stories.json").read_text("utf-8"))]
        paragraph_vectors = NpyFile(build / "paragraphs.npy")
        sentence_vectors = NpyFile(build / "sentences.npy")
        offsets = np.load(build / "sentence_offsets.npy")
        paragraphs = ParagraphTable.open(build / table.DIRECTORY, offsets, [i.id for i in infos])
        vocabulary = Vocabulary.open(build / spelling.DIRECTORY)
        names = NameIndex.open(build / names_.DIRECTORY, len(infos))
        known_acronyms = acronyms.load(build / acronyms.FILE)
        faiss_index = faiss.read_index(str(build / "paragraphs.faiss"))
        if isinstance(faiss_index, faiss.IndexIVF):
            faiss_index.nprobe = ANN_PROBES
        bm25 = bm25s.BM25.load(str(build / "bm25"), mmap=True, show_progress=False)
        # Search reads one token's postings at a time: read them on demand as well (table.NpyFile).
        bm25.scores.update(data=NpyFile(build / "bm25" / "data.csc.index.npy"),
                           indices=NpyFile(build / "bm25" / "indices.csc.index.npy"))
    except PermissionError:
        raise IndexError_(f"cannot read the index in {index_dir}: permission denied") from None
    except Exception as exc:  # truncated npy, corrupt faiss file, bad JSON …
        raise IndexError_(damaged.format(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}")) from None
    n = len(paragraphs)
    if not (n == manifest.paragraphs == faiss_index.ntotal == paragraph_vectors.shape[0] == len(offsets) - 1
            and sentence_vectors.shape[0] == manifest.sentences == offsets[-1]
            and paragraph_vectors.shape[1] == manifest.dimension == faiss_index.d):
        raise IndexError_(damaged.format("the files disagree with the manifest on sizes"))
    # Rows are grouped by story in stories.json order (ParagraphTable.open checks): a story's
    # range ends where the next begins.
    ends = np.cumsum(np.bincount(paragraphs.story, minlength=len(infos))).tolist()
    ranges = {info.id: (end - count, end) for info, end, count in zip(infos, ends, np.diff([0, *ends]).tolist())
              if count}
    return StoryIndex(
        path=build, manifest=manifest, stories={i.id: i for i in infos}, paragraphs=paragraphs,
        paragraph_vectors=paragraph_vectors, sentence_vectors=sentence_vectors, sentence_offsets=offsets,
        faiss_index=faiss_index, bm25=bm25, story_ranges=ranges, vocabulary=vocabulary, names=names,
        acronyms=known_acronyms,
    )
