"""The paragraph table: every paragraph of a build as flat columns, read on demand at load.

A million paragraphs as pydantic objects take ~1.7 GB and seconds to parse; as columns they take
what the questions touch. Layout (in the build's paragraphs/ directory):

    text.bin       every paragraph's text, UTF-8, back to back
    offsets.npy    int64 (n + 1): paragraph i is text.bin[offsets[i]:offsets[i + 1]]
    story.npy      int32 (n): the paragraph's story, as its position in stories.json
    number.npy     int32 (n): its number in the story, from 1
    speaker.npy    int32 (n): its speaker, as a position in speakers.json; -1 for none
    speakers.json  the distinct speakers
    role.npy       int32 (n): what the story calls its speaker, as a position in roles.json; -1 for none
    roles.json     the distinct roles
    sentences.npy  int32 (sentences, 2): each sentence's character span in its paragraph (sentences
                   are verbatim substrings, in order); the build's sentence_offsets.npy says which
                   rows belong to which paragraph, as it does for the sentence vectors

`ParagraphTable` reads them as a read-only sequence of `Paragraph`, built on demand, plus numpy
columns for code that looks at every paragraph at once.

Big files that questions read a few rows of at a time (the texts, the vectors, the BM25 postings)
are read with pread (`NpyFile`, `Strings`) rather than memory-mapped: every page fault on a map
also maps the 64 KB around it (the kernel's fault-around, which madvise(MADV_RANDOM) does not
stop), so after a few hundred questions over a million paragraphs the process held nearly all of
its 4.7 GB of vector files. A read copies just the rows asked for; the kernel's page cache (shared
and reclaimable) still keeps the hot ones. Small columns are memory-mapped.
"""

from __future__ import annotations

import bisect
import json
import mmap
import operator
import os
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence, overload

import numpy as np

from storybot.index.models import Paragraph

DIRECTORY = "paragraphs"
CACHED_PARAGRAPHS = 4096  # built Paragraphs kept: a question reads the same few dozen several times


_CHUNK = 1 << 30  # Linux reads at most ~2 GB per call


def map_array(path: Path) -> np.ndarray:
    """A read-only memory map of an .npy file, told the kernel will read it at random (no readahead).

    Returned as a plain ndarray view (which keeps the map open): np.memmap's Python-level
    __getitem__ costs a microsecond an element, and binary searches index element by element."""
    array = np.load(path, mmap_mode="r")
    raw = getattr(array, "_mmap", None)
    if raw is not None and hasattr(raw, "madvise"):
        raw.madvise(mmap.MADV_RANDOM)
    return np.asarray(array)


def _pread_into(fd: int, out: np.ndarray, offset: int) -> None:
    view = memoryview(out).cast("B")
    done = 0
    while done < len(view):
        got = os.preadv(fd, [view[done:done + _CHUNK]], offset + done)
        if got <= 0:
            raise OSError(f"short read at byte {offset + done}")
        done += got


class NpyFile:
    """An .npy array on disk whose rows are read when indexed: `a[i]`, `a[lo:hi]` and `a[rows]`
    (an integer array, any order) return ndarrays as `np.load` would; `np.asarray(a)` reads it all.

    Reads are pread on one descriptor, so threads may share it."""

    def __init__(self, path: Path) -> None:
        self._file: BinaryIO = open(path, "rb")
        fh = self._file
        version = np.lib.format.read_magic(fh)
        header = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if header is None:
            raise ValueError(f"{path.name} has .npy version {version}")
        shape, fortran, dtype = header(fh)
        if fortran or dtype.hasobject or len(shape) == 0:
            raise ValueError(f"{path.name} is not a C-ordered array of numbers")
        self.shape: tuple[int, ...] = shape
        self.dtype: np.dtype = dtype
        self._start = fh.tell()
        self._row_bytes = int(np.prod(shape[1:], dtype=np.int64)) * dtype.itemsize
        if os.fstat(fh.fileno()).st_size != self._start + shape[0] * self._row_bytes:
            raise ValueError(f"{path.name} does not hold the {shape} array its header announces")

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key) -> np.ndarray:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                return self[np.arange(start, stop, step)]
            return self._run(start, max(stop - start, 0))
        if isinstance(key, (int, np.integer)):
            return self._run(_row(key, len(self)), 1)[0]
        rows = np.asarray(key)
        if rows.ndim != 1 or rows.dtype.kind not in "iu":
            raise TypeError("index an NpyFile with an int, a slice or a 1-D array of ints")
        if not len(rows):
            return self._run(0, 0)
        if rows.min() < 0:
            rows = np.where(rows < 0, rows + len(self), rows)
            if rows.min() < 0:
                raise IndexError("row out of range")
        if rows.max() >= len(self):
            raise IndexError("row out of range")
        step = np.diff(rows)
        if (step == 1).all():  # one run (a story's paragraphs, a paragraph's sentences): one read
            return self._run(int(rows[0]), len(rows))
        out = np.empty((len(rows), *self.shape[1:]), dtype=self.dtype)
        breaks = (np.flatnonzero(step != 1) + 1).tolist()  # runs of consecutive rows: one read each
        for a, b in zip([0, *breaks], [*breaks, len(rows)]):
            _pread_into(self._file.fileno(), out[a:b], self._start + int(rows[a]) * self._row_bytes)
        return out

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        whole = self[:]
        return whole if dtype is None else whole.astype(dtype, copy=False)

    def _run(self, row: int, count: int) -> np.ndarray:
        out = np.empty((count, *self.shape[1:]), dtype=self.dtype)
        if count:
            _pread_into(self._file.fileno(), out, self._start + row * self._row_bytes)
        return out


class Strings(Sequence[str]):
    """Strings stored back to back in one UTF-8 blob with int64 byte offsets, decoded on access
    (the blob in memory when built; memory-mapped, or read with pread, when opened).

    When the strings are sorted (code point order, which UTF-8 byte order preserves) `find` and
    `prefix_range` binary-search them without decoding more than a few dozen.
    """

    def __init__(self, blob: bytes | mmap.mmap | BinaryIO, offsets: np.ndarray) -> None:
        self._blob, self._offsets = blob, offsets
        if isinstance(blob, (bytes, mmap.mmap)):
            self._read = lambda start, end: blob[start:end]
        else:
            fd = blob.fileno()
            self._read = lambda start, end: os.pread(fd, end - start, start)

    @classmethod
    def build(cls, strings: Sequence[str]) -> Strings:
        encoded = [s.encode("utf-8") for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(b"".join(encoded), offsets)

    def save(self, blob_path: Path, offsets_path: Path) -> None:
        assert isinstance(self._blob, bytes), "only built strings are saved"
        blob_path.write_bytes(self._blob)
        np.save(offsets_path, self._offsets)

    @classmethod
    def open(cls, blob_path: Path, offsets_path: Path, *, pread: bool = False) -> Strings:
        """Mapped (small tables searched often), or with `pread` read per string (big ones read
        a few strings at a time: the paragraph texts)."""
        offsets = map_array(offsets_path)
        size = blob_path.stat().st_size
        if offsets.ndim != 1 or len(offsets) < 1 or offsets.dtype != np.int64:
            raise ValueError(f"{offsets_path.name} is not a list of offsets")
        if offsets[0] != 0 or offsets[-1] != size or np.any(np.diff(offsets) < 0):
            raise ValueError(f"{offsets_path.name} does not fit {blob_path.name}")
        fh = open(blob_path, "rb")
        if pread or size == 0:  # (mmap refuses an empty file)
            return cls(fh, offsets)
        with fh:
            blob = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        blob.madvise(mmap.MADV_RANDOM)
        return cls(blob, offsets)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = _row(i, len(self))
        return self._read(int(self._offsets[i]), int(self._offsets[i + 1])).decode("utf-8")

    def find(self, s: str) -> int:
        """Position of `s` in these (sorted) strings, or -1."""
        i = bisect.bisect_left(self, s)
        return i if i < len(self) and self[i] == s else -1

    def prefix_range(self, prefix: str) -> tuple[int, int]:
        """[first, end) of the (sorted) strings that start with `prefix`."""
        first = bisect.bisect_left(self, prefix)
        return first, bisect.bisect_left(self, prefix + chr(0x10FFFF), first)


def _row(i: int, n: int) -> int:
    i = operator.index(i)
    if i < 0:
        i += n
    if not 0 <= i < n:
        raise IndexError("row out of range")
    return i


def write_paragraph_table(directory: Path, paragraphs: Sequence[Paragraph], story_ids: Sequence[str]) -> None:
    """Write `paragraphs` (in index order) as the table's files into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    position = {story: i for i, story in enumerate(story_ids)}
    spans = np.zeros((sum(len(p.sentences) for p in paragraphs), 2), dtype=np.int32)
    row = 0
    for p in paragraphs:
        end = 0
        for sentence in p.sentences:
            start = p.text.index(sentence, end)  # verbatim, in order (index/language/sentences.py); raises otherwise
            end = start + len(sentence)
            spans[row] = start, end
            row += 1
    Strings.build([p.text for p in paragraphs]).save(directory / "text.bin", directory / "offsets.npy")
    np.save(directory / "story.npy", np.array([position[p.story] for p in paragraphs], dtype=np.int32))
    np.save(directory / "number.npy", np.array([p.number for p in paragraphs], dtype=np.int32))
    for column, names, values in (("speaker", "speakers", [p.speaker for p in paragraphs]),
                                  ("role", "roles", [p.speaker_role for p in paragraphs])):
        distinct: dict[str, int] = {}
        np.save(directory / f"{column}.npy", np.array(
            [-1 if v is None else distinct.setdefault(v, len(distinct)) for v in values], dtype=np.int32))
        (directory / f"{names}.json").write_text(json.dumps(list(distinct), ensure_ascii=False), "utf-8")
    np.save(directory / "sentences.npy", spans)


class ParagraphTable(Sequence[Paragraph]):
    """The paragraphs of a build, read-only: `table[row]` is a `Paragraph`, built when asked for."""

    def __init__(self, texts: Strings, story: np.ndarray, number: np.ndarray, speaker: np.ndarray,
                 speakers: list[str], role: np.ndarray, roles: list[str], spans: np.ndarray,
                 sentence_offsets: np.ndarray, story_ids: list[str]) -> None:
        self.texts = texts
        self.story = story            # int32 per paragraph: position of its story in `story_ids`
        self.number = number          # int32 per paragraph
        self.speaker = speaker        # int32 per paragraph: position in `speakers`, -1 for none
        self.speakers = speakers
        self.role = role              # int32 per paragraph: position in `roles`, -1 for none
        self.roles = roles
        self.story_ids = story_ids
        self._spans = spans
        self._sentence_offsets = sentence_offsets
        self._paragraph = lru_cache(maxsize=CACHED_PARAGRAPHS)(self._build)

    @classmethod
    def open(cls, directory: Path, sentence_offsets: np.ndarray, story_ids: list[str]) -> ParagraphTable:
        """Map the table in `directory`; ValueError naming the file when its parts disagree."""
        texts = Strings.open(directory / "text.bin", directory / "offsets.npy", pread=True)
        n = len(texts)
        story, number, speaker = (map_array(directory / f"{name}.npy") for name in ("story", "number", "speaker"))
        speakers = json.loads((directory / "speakers.json").read_text("utf-8"))
        if (directory / "role.npy").exists() or (directory / "roles.json").exists():
            role, roles = map_array(directory / "role.npy"), json.loads((directory / "roles.json").read_text("utf-8"))
        else:  # a format-2 build, read only for its vectors (store.REUSABLE_FORMATS)
            role, roles = np.full(n, -1, dtype=np.int32), []
        spans = map_array(directory / "sentences.npy")
        for name, values in (("speakers", speakers), ("roles", roles)):
            if not (isinstance(values, list) and all(isinstance(s, str) for s in values)):
                raise ValueError(f"{name}.json is not a list of {name}")
        for name, column in (("story", story), ("number", number), ("speaker", speaker), ("role", role)):
            if column.shape != (n,) or column.dtype != np.int32:
                raise ValueError(f"{name}.npy does not have one entry per paragraph")
        if n and (story.min() < 0 or story.max() >= len(story_ids) or np.any(np.diff(story) < 0)):
            raise ValueError("story.npy does not list the stories in order")
        if n and (number.min() < 1 or speaker.min() < -1 or speaker.max() >= len(speakers)
                  or role.min() < -1 or role.max() >= len(roles)):
            raise ValueError("number.npy, speaker.npy or role.npy holds impossible values")
        if len(sentence_offsets) != n + 1 or spans.shape != (int(sentence_offsets[-1]), 2) or spans.dtype != np.int32:
            raise ValueError("sentences.npy does not have one span per sentence")
        return cls(texts, story, number, speaker, speakers, role, roles, spans, sentence_offsets, list(story_ids))

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, row: int) -> Paragraph: ...
    @overload
    def __getitem__(self, row: slice) -> list[Paragraph]: ...

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        return self._paragraph(_row(row, len(self)))

    def _build(self, row: int) -> Paragraph:
        text = self.texts[row]
        return Paragraph.model_construct(
            story=self.story_ids[self.story[row]], number=int(self.number[row]), text=text,
            sentences=self._sentences(row, text), speaker=self.speaker_of(row), speaker_role=self.role_of(row))

    def __iter__(self) -> Iterator[Paragraph]:
        return (self._build(row) for row in range(len(self)))  # past the cache: a scan would flush it

    def text(self, row: int) -> str:
        return self.texts[row]

    def sentences(self, row: int) -> list[str]:
        return self[row].sentences

    def story_of(self, row: int) -> str:
        return self.story_ids[self.story[_row(row, len(self))]]

    def speaker_of(self, row: int) -> str | None:
        speaker = int(self.speaker[_row(row, len(self))])
        return None if speaker < 0 else self.speakers[speaker]

    def role_of(self, row: int) -> str | None:
        role = int(self.role[_row(row, len(self))])
        return None if role < 0 else self.roles[role]

    def _sentences(self, row: int, text: str) -> list[str]:
        lo, hi = int(self._sentence_offsets[row]), int(self._sentence_offsets[row + 1])
        return [text[a:b] for a, b in self._spans[lo:hi].tolist()]
