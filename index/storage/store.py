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
Unchanged paragraphs reuse the previous build's vectors instead of being embedded again, when
those files still match their checksums.

The manifest records every file's size and sha256. Loading checks the sizes (cheap: a truncated
or missing file); `check_files(full=True)` reads every byte against the checksums (a flipped bit),
which takes seconds per GB — about 5 GB at a million paragraphs.

Build directories and files are readable by everyone (0755 / 0644, less what the umask takes
away), so replicas running as other users can share one index; `private` builds are 0700 / 0600.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
import os
import secrets
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import bm25s
import faiss
import numpy as np

from storybot.index.embedding.embedder import Embedder
from storybot.index.errors import UnusableIndexError
from storybot.index.language import acronyms
from storybot.index.language import names
from storybot.index.language import spelling
from storybot.index.storage import table
from storybot.index.models import IndexStatus, Manifest, Paragraph, Story, StoryInfo
from storybot.index.language.names import NameIndex
from storybot.index.storage.sources import PARAGRAPH_READING, bad_files_error, file_checksums, read_sources
from storybot.index.language.spelling import Vocabulary
from storybot.index.storage.table import NpyFile, ParagraphTable, write_paragraph_table
from storybot.index.language.text import content_stems, words
from storybot.index.storage.vectors import EMBED_TEMPLATE, Progress, embed_paragraphs, embed_text  # noqa: F401 (re-exported)

# 2: the paragraph table, spelling vocabulary and name index replace paragraphs.jsonl;
# 3: the table keeps each speaker's role (role.npy, roles.json)
FORMAT_VERSION = 3
# Builds whose vectors a new build may reuse: format 2 differs only in the table (no roles).
REUSABLE_FORMATS = (2, 3)
KEEP_BUILDS = 2
# Exact search over N paragraphs costs 50–150 ns × N per question here (50–150 ms at 1M); from this
# size on, an IVF-SQ8 index answers in under a millisecond and finds ~98% of the exact top 10 (measured
# by benchmarks/perf.py). Search scores every paragraph of smaller archives and re-scores its
# candidates with the exact vectors anyway, so only large archives ever consult this index.
ANN_MIN_PARAGRAPHS = 20_000
ANN_PROBES = 32  # inverted lists visited per question: the recall / speed knob

# What an incremental build reads from the previous build ("dir/" for a directory's files).
REUSED_FILES = ("stories.json", f"{table.DIRECTORY}/", "paragraphs.npy", "sentences.npy", "sentence_offsets.npy")


@dataclass
class StoredParagraphs:
    """A build's stories, paragraph table and vectors: what an incremental build reuses."""

    stories: dict[str, StoryInfo]
    paragraphs: ParagraphTable
    paragraph_vectors: NpyFile
    sentence_vectors: NpyFile
    sentence_offsets: np.ndarray


@dataclass(frozen=True)
class Postings:
    """The BM25 index as search reads it: for each vocabulary word, the paragraphs holding it and
    its BM25 weight in each (a CSC matrix: word `t` owns entries indptr[t]:indptr[t+1], paragraph
    rows ascending). Built from bm25s's files at load, so no other module knows their layout."""

    data: NpyFile          # float32 BM25 weight of each entry, read on demand
    indices: NpyFile       # paragraph row of each entry
    indptr: np.ndarray     # len(vocab) + 1 offsets into data / indices
    num_docs: int
    vocab: dict[str, int]  # stemmed word -> its column

    @classmethod
    def open(cls, directory: Path) -> Postings:
        """The postings bm25s saved in `directory`; its small files are read now, the entries on demand."""
        bm25 = bm25s.BM25.load(str(directory), mmap=True, load_vocab=True, show_progress=False)
        columns = np.asarray(bm25.scores["indptr"])
        # bm25s >= 0.3 adds an empty word with no column of its own; no question word is empty.
        vocab = {word: column for word, column in bm25.vocab_dict.items() if column < len(columns) - 1}
        return cls(data=NpyFile(directory / "data.csc.index.npy"), indices=NpyFile(directory / "indices.csc.index.npy"),
                   indptr=columns, num_docs=int(bm25.scores["num_docs"]), vocab=vocab)

    def document_frequency(self) -> np.ndarray:
        """How many paragraphs hold each word, by column."""
        return np.diff(self.indptr)

    def of(self, word: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The paragraph rows holding `word` (ascending) and its BM25 weight in each (float64), or
        None for a word no paragraph has."""
        column = self.vocab.get(word)
        if column is None:
            return None
        lo, hi = self.indptr[column], self.indptr[column + 1]
        return np.asarray(self.indices[lo:hi]), np.asarray(self.data[lo:hi], dtype=np.float64)


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
    postings: Postings  # BM25 weights by word
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
        raise UnusableIndexError(f"cannot read the index in {index_dir}: permission denied") from None
    except (OSError, ValueError):
        raise UnusableIndexError(
            f"the index in {index_dir} has a missing or damaged manifest; rebuild it with `storybot index build`"
        ) from None


def index_status(index_dir: Path, sources_dir: Path, model: str, *, full: bool = False) -> IndexStatus:
    """Whether the index is ok, missing, stale (a build would change it) or damaged (a file is
    missing, has another size, or with `full` another checksum, than its manifest records).
    Raises UnusableIndexError for an index that must not be silently replaced (other model or format)."""
    if index_dir.exists() and not index_dir.is_dir():
        raise UnusableIndexError(f"the index path {index_dir} is not a directory; point --index or STORYBOT_INDEX at a directory")
    if index_dir.exists() and not os.access(index_dir, os.R_OK | os.X_OK):
        raise UnusableIndexError(f"cannot read the index directory {index_dir}: permission denied")
    manifest = read_manifest(index_dir)
    if manifest is None:
        return IndexStatus(state="missing")
    if manifest.format_version != FORMAT_VERSION:
        raise UnusableIndexError(
            f"the index in {index_dir} has format version {manifest.format_version}, this storybot reads "
            f"{FORMAT_VERSION}; rebuild it with `storybot index build --index {index_dir}`"
        )
    if manifest.model != model:
        raise UnusableIndexError(
            f"the index in {index_dir} was built with model {manifest.model!r}, but the model in use is "
            f"{model!r}; rebuild it with `storybot index build --index {index_dir}` or set STORYBOT_MODEL={manifest.model}"
        )
    build = current_build(index_dir)
    assert build is not None
    problem = check_files(build, manifest, full=full)
    if problem is not None:
        return IndexStatus(state="damaged", problem=problem, manifest=manifest)
    if _sources_changed(manifest, sources_dir):
        return IndexStatus(state="stale", problem="the sources changed", manifest=manifest)
    if manifest.embed_template != EMBED_TEMPLATE:
        return IndexStatus(state="stale", problem="paragraphs are embedded differently now", manifest=manifest)
    if manifest.reading != PARAGRAPH_READING:
        return IndexStatus(state="stale", problem="this storybot reads paragraphs (who speaks them) differently",
                           manifest=manifest)
    if not manifest.checksums:
        # Sizes are checked, contents cannot be: a build (reusing its vectors) adds the checksums.
        return IndexStatus(state="stale", problem="built before storybot recorded checksums", manifest=manifest)
    return IndexStatus(state="ok", manifest=manifest)


def _sources_changed(manifest: Manifest, sources_dir: Path) -> bool:
    current = file_checksums(sources_dir)
    skipped = {s.file: s.checksum for s in manifest.skipped}
    if any(current.get(name) != digest for name, digest in skipped.items()):
        return True
    return {Path(name).stem: digest for name, digest in current.items() if name not in skipped} != manifest.sources


def damaged(index_dir: Path, problem: str) -> UnusableIndexError:
    return UnusableIndexError(f"the index in {index_dir} is damaged ({problem}); rebuild it with "
                       f"`storybot index build --index {index_dir}`")


def check_files(build: Path, manifest: Manifest, *, full: bool = False,
                only: tuple[str, ...] | None = None) -> str | None:
    """What is wrong with the build's files, or None: each file the manifest lists must be there
    with its size and nothing else beside it; with `full`, each must match its checksum too
    (reads every byte). `only` limits the check to those files ("dir/" for a directory's)."""
    def wanted(name: str) -> bool:
        return only is None or any(name == w or (w.endswith("/") and name.startswith(w)) for w in only)

    expected = {name: size for name, size in manifest.files.items() if wanted(name)}
    sizes = _file_sizes(build)
    sizes.pop("manifest.json", None)
    for name, size in sorted(expected.items()):
        if name not in sizes:
            return f"{name} is missing"
        if sizes[name] != size:
            return f"{name} has {sizes[name]:,} bytes, the manifest records {size:,}"
    extra = sorted(name for name in set(sizes) - set(manifest.files) if wanted(name))
    if extra:
        return f"{extra[0]} is not part of the build"
    if full:
        for name in sorted(expected):
            digest = manifest.checksums.get(name)
            try:
                if digest is not None and _sha256(build / name) != digest:
                    return f"{name} does not match its checksum"
            except PermissionError:
                raise UnusableIndexError(f"cannot read the index file {build / name}: permission denied") from None
            except OSError as exc:  # an I/O error: the disk is failing
                return f"{name} cannot be read ({exc.strerror or exc})"
    return None


def check_writable(index_dir: Path) -> None:
    """UnusableIndexError unless a build can be written to `index_dir`: checked before any work is done."""
    fix = "point --index or STORYBOT_INDEX at a writable directory"
    existing = index_dir
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    # A build is written under builds/ and `current` is swapped in the index directory itself.
    for path in dict.fromkeys((builds_dir(index_dir), index_dir, existing)):
        if not path.exists():
            continue
        if not path.is_dir():
            raise UnusableIndexError(f"cannot build the index in {index_dir}: {path} is not a directory; {fix}")
        if not os.access(path, os.W_OK | os.X_OK):
            reason = "read-only file system" if _read_only_fs(path) else "permission denied"
            raise UnusableIndexError(f"cannot build the index in {index_dir}: {path} is not writable ({reason}); {fix}")


def _read_only_fs(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _previous_build(index_dir: Path, embedder: Embedder) -> StoredParagraphs | None:
    """The live build's paragraphs and vectors when they can be reused for `embedder` (the
    incremental-build cache): same model and template, and every file reused matches its checksum."""
    try:
        manifest = read_manifest(index_dir)
    except UnusableIndexError:
        return None
    # Same name, other size: the model behind the name changed, so none of its vectors fit.
    if (manifest is None or manifest.format_version not in REUSABLE_FORMATS or manifest.model != embedder.name
            or manifest.dimension != embedder.dimension or manifest.embed_template != EMBED_TEMPLATE):
        return None
    build = current_build(index_dir)
    try:
        if build is None or check_files(build, manifest, full=True, only=REUSED_FILES) is not None:
            return None
        stored = open_paragraphs(build)
    except (OSError, ValueError, UnusableIndexError):
        return None
    if not (len(stored.paragraphs) == stored.paragraph_vectors.shape[0] == len(stored.sentence_offsets) - 1
            and stored.sentence_vectors.shape[0] == stored.sentence_offsets[-1]
            and stored.paragraph_vectors.shape[1:] == stored.sentence_vectors.shape[1:] == (embedder.dimension,)):
        return None
    return stored


def open_paragraphs(build: Path) -> StoredParagraphs:
    """Open a build's stories, paragraph table and vectors (ValueError or OSError when damaged)."""
    infos = [StoryInfo.model_validate(d) for d in json.loads((build / "stories.json").read_text("utf-8"))]
    offsets = np.load(build / "sentence_offsets.npy")
    return StoredParagraphs(
        stories={i.id: i for i in infos},
        paragraphs=ParagraphTable.open(build / table.DIRECTORY, offsets, [i.id for i in infos]),
        paragraph_vectors=NpyFile(build / "paragraphs.npy"),
        sentence_vectors=NpyFile(build / "sentences.npy"),
        sentence_offsets=offsets,
    )


def build_index(
    sources_dir: Path, index_dir: Path, embedder: Embedder, *, progress: Progress | None = None,
    strict: bool = False, private: bool = False,
) -> Manifest:
    """Build (or rebuild) the index for `sources_dir` into `index_dir`; returns the new manifest.

    Unusable source files are left out and listed in the manifest's `skipped`; with `strict` the
    first one is a SourceError instead. `private` makes the build readable by this user only."""
    check_writable(index_dir)
    found = read_sources(sources_dir)
    if strict and found.skipped:
        raise bad_files_error(found.skipped)
    stories = found.stories
    paragraphs = [p for s in stories for p in s.paragraphs]
    titles = {s.id: s.title for s in stories}
    previous = _previous_build(index_dir, embedder)
    tmp = _new_build_directory(index_dir, private)
    try:
        paragraph_vectors, sentence_vectors, offsets = embed_paragraphs(
            paragraphs, titles, embedder, previous=previous, progress=progress)
        del previous
        try:
            kind = _write_build(tmp, stories, paragraphs, paragraph_vectors, sentence_vectors, offsets)
            if private:
                _make_private(tmp)
            manifest = Manifest(
                format_version=FORMAT_VERSION,
                model=embedder.name,
                dimension=embedder.dimension,
                embed_template=EMBED_TEMPLATE,
                reading=PARAGRAPH_READING,
                kind=kind,
                paragraphs=len(paragraphs),
                sentences=len(sentence_vectors),
                sources={s.id: s.checksum for s in stories},
                files=_file_sizes(tmp),
                checksums={name: _sha256(tmp / name) for name in _file_sizes(tmp)},
                skipped=found.skipped,
                built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            )
            (tmp / "manifest.json").write_text(manifest.model_dump_json(indent=2), "utf-8")
            if private:
                (tmp / "manifest.json").chmod(0o600)
            final = builds_dir(index_dir) / f"{time.strftime('%Y%m%dT%H%M%S')}-{tmp.name[-8:]}"
            tmp.rename(final)
        except OSError as exc:  # disk full, file system turned read-only …
            raise UnusableIndexError(f"could not write the index build in {index_dir}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        _point_current(index_dir, final)
    except OSError as exc:
        raise UnusableIndexError(f"could not switch the index in {index_dir} to the new build: {exc.strerror or exc}") from None
    _prune(builds_dir(index_dir), keep=final)
    return manifest


def builds_dir(index_dir: Path) -> Path:
    return index_dir / "builds"


def _new_build_directory(index_dir: Path, private: bool) -> Path:
    """An empty directory under builds/ to write a build into. mkdir (not mkdtemp, which makes
    0700 directories) so that, unless `private`, other users can read the build."""
    mode = 0o700 if private else 0o777  # less the umask
    try:
        index_dir.mkdir(mode=mode, parents=True, exist_ok=True)
        builds_dir(index_dir).mkdir(mode=mode, exist_ok=True)
        tmp = builds_dir(index_dir) / f".building-{secrets.token_hex(4)}"
        tmp.mkdir(mode=mode)
    except OSError as exc:
        raise UnusableIndexError(f"cannot build the index in {index_dir}: {exc.strerror or exc}") from None
    return tmp


def _make_private(build: Path) -> None:
    for path in build.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def _write_build(build: Path, stories: list[Story], paragraphs: list[Paragraph], paragraph_vectors: np.ndarray,
                 sentence_vectors: np.ndarray, offsets: np.ndarray) -> str:
    """Write every file of a build but the manifest; returns the vector index's kind."""
    np.save(build / "paragraphs.npy", paragraph_vectors)
    np.save(build / "sentences.npy", sentence_vectors)
    np.save(build / "sentence_offsets.npy", offsets)
    vector_index, kind = build_vector_index(paragraph_vectors)
    faiss.write_index(vector_index, str(build / "paragraphs.faiss"))
    del vector_index
    corpus = _write_words(build, stories, paragraphs)
    bm25 = bm25s.BM25()
    bm25.index(corpus, show_progress=False)
    del corpus
    bm25.save(str(build / "bm25"), show_progress=False)
    del bm25
    infos = [StoryInfo(**s.model_dump(exclude={"paragraphs", "path", "checksum"}), paragraphs=len(s.paragraphs))
             for s in stories]
    (build / "stories.json").write_text(json.dumps([i.model_dump() for i in infos], ensure_ascii=False), "utf-8")
    write_paragraph_table(build / table.DIRECTORY, paragraphs, [s.id for s in stories])
    return kind


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
    NameIndex.build(texts, len(stories)).save(build / names.DIRECTORY)
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


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


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


def load_index(index_dir: Path, *, full: bool = False) -> StoryIndex | None:
    """Load the live build, or None when there is none; UnusableIndexError when it is damaged.

    Sizes are always checked; with `full`, every file against its checksum too (hot reload does,
    in its own thread: a process must not switch to a build with a flipped bit)."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return None
    build = current_build(index_dir)
    assert build is not None
    if manifest.format_version != FORMAT_VERSION:
        raise UnusableIndexError(f"the index in {index_dir} has format version {manifest.format_version}, this storybot "
                          f"reads {FORMAT_VERSION}; rebuild it with `storybot index build --index {index_dir}`")
    problem = check_files(build, manifest, full=full)
    if problem is not None:
        raise damaged(index_dir, problem)
    try:
        stored = open_paragraphs(build)
        infos = list(stored.stories.values())
        paragraphs, offsets = stored.paragraphs, stored.sentence_offsets
        paragraph_vectors, sentence_vectors = stored.paragraph_vectors, stored.sentence_vectors
        vocabulary = Vocabulary.open(build / spelling.DIRECTORY)
        name_index = NameIndex.open(build / names.DIRECTORY, len(infos))
        known_acronyms = acronyms.load(build / acronyms.FILE)
        faiss_index = faiss.read_index(str(build / "paragraphs.faiss"))
        if isinstance(faiss_index, faiss.IndexIVF):
            faiss_index.nprobe = ANN_PROBES
        postings = Postings.open(build / "bm25")
    except PermissionError:
        raise UnusableIndexError(f"cannot read the index in {index_dir}: permission denied") from None
    except Exception as exc:  # truncated npy, corrupt faiss file, bad JSON …
        raise damaged(index_dir, f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}") from None
    n = len(paragraphs)
    if not (n == manifest.paragraphs == faiss_index.ntotal == paragraph_vectors.shape[0] == len(offsets) - 1
            and sentence_vectors.shape[0] == manifest.sentences == offsets[-1]
            and paragraph_vectors.shape[1] == manifest.dimension == faiss_index.d):
        raise damaged(index_dir, "the files disagree with the manifest on sizes")
    # Rows are grouped by story in stories.json order (ParagraphTable.open checks): a story's
    # range ends where the next begins.
    ends = np.cumsum(np.bincount(paragraphs.story, minlength=len(infos))).tolist()
    ranges = {info.id: (end - count, end) for info, end, count in zip(infos, ends, np.diff([0, *ends]).tolist())
              if count}
    return StoryIndex(
        path=build, manifest=manifest, stories={i.id: i for i in infos}, paragraphs=paragraphs,
        paragraph_vectors=paragraph_vectors, sentence_vectors=sentence_vectors, sentence_offsets=offsets,
        faiss_index=faiss_index, postings=postings, story_ranges=ranges, vocabulary=vocabulary, names=name_index,
        acronyms=known_acronyms,
    )
