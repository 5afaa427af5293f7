"""The on-disk word and paragraph tables (index/storage/table.py, index/language/names.py, index/language/spelling.py): a
build reads back exactly the paragraphs it was given, damaged tables are refused with the fix, and
the compact name and spelling tables answer as the in-memory structures they replace."""

from __future__ import annotations

import bisect
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from storybot.index.errors import UnusableIndexError
from storybot.index.language.names import NameIndex, name_words
from storybot.index.storage.sources import load_sources
from storybot.index.language.spelling import Speller, Vocabulary, deletion_keys
from storybot.index.storage.store import build_index, current_build, load_index
from storybot.index.storage.table import Strings

STORIES = {
    "zurich-vote": """---
title: "Zürich’s council backs the tram — Übersicht"
outlet: Neue Zeitung
---
Zürich’s council voted 31–12 on Tuesday to extend the tram to Örlikon. Mayor Corine Mauch said the line would open in 2027.
"It’s a good day," she said. Opponents — mostly from the SVP — called it "a waste". 😀 They will appeal!
東京 and São Paulo sent observers, according to the city’s press office.
""",
    "harbor": """---
title: Harbor festival draws a record crowd
---
The harbor festival drew a record 48,000 visitors on Saturday, organisers said.
Mayor Lina Ortiz said the city would extend the festival to three days next year.
United Nations observers were not there. The states were united.
""",
    "empty-title": "Only one line, no front matter, no full stop\n",
}


class StubEmbedder:
    """Seeded random unit vectors: the tables do not depend on what the vectors are."""

    name, dimension, encoded_texts = "stub/model", 8, 0

    def encode(self, texts, *, batch_size: int = 32, progress=None) -> np.ndarray:
        vectors = np.random.default_rng(len(texts)).normal(size=(len(texts), self.dimension)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name, text in STORIES.items():
        (sources / f"{name}.{'md' if text.startswith('---') else 'txt'}").write_text(text, encoding="utf-8")
    build_index(sources, tmp_path / "index", StubEmbedder())
    return sources, tmp_path / "index"


def test_every_paragraph_reads_back_as_it_was_built(built):
    sources, index_dir = built
    expected = [p for s in load_sources(sources) for p in s.paragraphs]
    table = load_index(index_dir).paragraphs
    assert len(table) == len(expected) == 7
    assert list(table) == expected  # text, sentences, speaker, story, number — non-ASCII included
    assert [table[row] for row in range(len(table))] == expected
    assert table[-1] == expected[-1] and table[1:3] == expected[1:3]
    assert table[np.int64(4)] == expected[4]
    with pytest.raises(IndexError):
        table[len(table)]
    zurich = table[4]  # stories in file-name order: empty-title, harbor, zurich-vote
    assert zurich.story == "zurich-vote" and zurich.number == 1 and zurich.speaker == "Mayor Corine Mauch"
    assert zurich.sentences == ["Zürich’s council voted 31–12 on Tuesday to extend the tram to Örlikon.",
                                "Mayor Corine Mauch said the line would open in 2027."]
    assert table.sentences(5)[-1] == 'Opponents — mostly from the SVP — called it "a waste". 😀 They will appeal!'
    assert table.text(6) == "東京 and São Paulo sent observers, according to the city’s press office."
    assert table.speaker_of(6) == "the city’s press office" and table.speaker_of(0) is None


def test_the_columns_and_story_ranges_match_the_paragraphs(built):
    sources, index_dir = built
    expected = [p for s in load_sources(sources) for p in s.paragraphs]
    index = load_index(index_dir)
    table = index.paragraphs
    assert [table.story_ids[i] for i in table.story] == [p.story for p in expected]
    assert table.number.tolist() == [p.number for p in expected]
    assert [None if i < 0 else table.speakers[i] for i in table.speaker] == [p.speaker for p in expected]
    assert [table.story_of(r) for r in range(len(table))] == [p.story for p in expected]
    assert index.story_ranges == {"empty-title": (0, 1), "harbor": (1, 4), "zurich-vote": (4, 7)}
    assert index.paragraph("zurich-vote", 3).text.startswith("東京")
    assert index.paragraph("zurich-vote", 4) is None and index.paragraph("nope", 1) is None


def _truncate_text(build: Path) -> None:
    path = build / "paragraphs" / "text.bin"
    path.write_bytes(path.read_bytes()[:-10])


def _offsets_past_the_text(build: Path) -> None:
    path = build / "paragraphs" / "offsets.npy"
    raw = path.read_bytes()
    path.write_bytes(raw[:-8] + (10 ** 9).to_bytes(8, "little"))  # same size: only reading it can tell


def _stories_out_of_order(build: Path) -> None:
    path = build / "paragraphs" / "story.npy"
    story = np.load(path)
    np.save(path, story[::-1].copy())


def _speaker_out_of_range(build: Path) -> None:
    path = build / "paragraphs" / "speaker.npy"
    speaker = np.load(path)
    speaker[0] = 99
    np.save(path, speaker)


def _garbled_header(build: Path) -> None:
    path = build / "paragraphs" / "number.npy"
    raw = path.read_bytes()
    path.write_bytes(b"x" * 16 + raw[16:])


def _garbled_names(build: Path) -> None:
    path = build / "names" / "postings.npy"
    raw = path.read_bytes()
    path.write_bytes(raw[:-8] + (10 ** 6).to_bytes(8, "little"))


@pytest.mark.parametrize("damage, reason", [
    (_truncate_text, "paragraphs/text.bin has "),
    (_offsets_past_the_text, "ValueError: offsets.npy does not fit text.bin"),
    (_stories_out_of_order, "ValueError: story.npy does not list the stories in order"),
    (_speaker_out_of_range, "ValueError: number.npy, speaker.npy or role.npy holds impossible values"),
    (_garbled_header, "ValueError"),
    (_garbled_names, "ValueError: names/postings.npy does not fit names/stories.npy"),
])
def test_a_damaged_table_is_refused_with_the_fix(built, damage, reason):
    _, index_dir = built
    build = current_build(index_dir)
    damage(build)  # all but the truncation keep the file's size: the table's own checks must tell
    with pytest.raises(UnusableIndexError) as error:
        load_index(index_dir)
    message = str(error.value)
    assert f"is damaged ({reason}" in message and "rebuild it with `storybot index build" in message


def test_an_index_of_the_previous_format_is_refused_with_the_fix(built):
    _, index_dir = built
    build = current_build(index_dir)
    manifest = json.loads((build / "manifest.json").read_text())
    manifest["format_version"] = 2  # before speakers' roles were kept
    (build / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UnusableIndexError, match=r"format version 2, this storybot reads 3; rebuild it"):
        load_index(index_dir)


# ---------------------------------------------------------------------------------------------
# Sorted strings


@pytest.mark.parametrize("pread", [False, True])
def test_strings_search_in_code_point_order_like_a_sorted_list(tmp_path, pread):
    words = sorted({"russia", "russian", "rust", "zürich", "zurich", "東京", "a", "", "ab", "abc", "b"})
    built = Strings.build(words)
    built.save(tmp_path / "w.bin", tmp_path / "w.npy")
    table = Strings.open(tmp_path / "w.bin", tmp_path / "w.npy", pread=pread)
    assert list(table) == words and len(table) == len(words)
    for probe in ["russ", "russia", "rus", "zü", "z", "東", "", "ab", "abd", "zzz", "ø"]:
        assert bisect.bisect_left(table, probe) == bisect.bisect_left(words, probe)
        assert table.find(probe) == (words.index(probe) if probe in words else -1)
        first, end = table.prefix_range(probe)
        assert table[first:end] == [w for w in words if w.startswith(probe)]
    empty = Strings.build([])
    empty.save(tmp_path / "e.bin", tmp_path / "e.npy")
    assert len(Strings.open(tmp_path / "e.bin", tmp_path / "e.npy", pread=pread)) == 0


# ---------------------------------------------------------------------------------------------
# Names: the compact index answers as the per-story word sets and texts it replaces


def _reference(stories: list[list[str]]):
    """The former in-memory structures: per story a sorted word list and a ' | '-joined text."""
    words = [sorted({w for t in texts for w in name_words(t)}) for texts in stories]
    text = [" " + " | ".join(" ".join(name_words(t)) for t in texts) + " " for texts in stories]

    def has_word(sorted_words, word):
        i = bisect.bisect_left(sorted_words, word)
        return i < len(sorted_words) and (sorted_words[i] == word
                                          or (len(word) >= 4 and sorted_words[i].startswith(word)))

    all_words = sorted(set().union(*map(set, words)))
    return all_words, words, text, has_word


def _random_corpus(rng: random.Random) -> list[list[str]]:
    vocabulary = ["united", "states", "nations", "russia", "russian", "germany", "new", "york", "un", "vote",
                  "ukraine", "israel", "israeli", "foreign", "minister", "kiev", "kyiv", "east", "jerusalem", "s"]
    return [[" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 8))) + rng.choice([".", "’s", " -x"])
             for _ in range(rng.randint(1, 5))] for _ in range(rng.randint(1, 6))]


@pytest.mark.parametrize("seed", range(25))
def test_the_name_index_answers_as_the_word_sets_it_replaces(seed, tmp_path):
    rng = random.Random(seed)
    stories = _random_corpus(rng)
    all_words, story_words, story_text, has_word = _reference(stories)
    NameIndex.build(((i, t) for i, texts in enumerate(stories) for t in texts), len(stories)).save(tmp_path)
    names = NameIndex.open(tmp_path, len(stories))
    probes = all_words + ["russ", "isra", "ger", "yor", "zzz", "unite", "un", "states", "nation"]
    for word in probes:
        assert names.has_word(word) == has_word(all_words, word), word
    for a in probes:
        for b in probes[:12]:
            assert names.has_bigram(a, b) == any(f" {a} {b} " in t for t in story_text), (a, b)
            wanted = [a, b]
            assert names.has_all(wanted) == any(all(has_word(w, x) for x in wanted) for w in story_words)
    assert names.has_all([]) is True
    one = NameIndex.build(((0, t) for t in stories[0]), 1)
    for a in probes:
        assert one.has_all([a]) == has_word(story_words[0], a)
        assert one.has_bigram(a, "states") == (f" {a} states " in story_text[0])


# ---------------------------------------------------------------------------------------------
# Spelling: the array vocabulary behaves as the Counter and deletion dict it replaces


def test_the_vocabulary_answers_as_a_counter_and_deletion_index(tmp_path):
    counts = Counter({"netanyahu": 9, "zelensky": 9, "committee": 3, "against": 4, "jerusalem": 1,
                      "zürich": 2, "straße": 1, "phone": 2, "did": 5, "x1y2": 1, "kyiv": 3, "kiev": 2})
    Vocabulary.build(counts).save(tmp_path)
    vocabulary = Vocabulary.open(tmp_path)
    assert sorted(vocabulary) == sorted(counts) and len(vocabulary) == len(counts)
    for word in [*counts, "nope", "zurich", ""]:
        assert (word in vocabulary) == (word in counts) and vocabulary[word] == counts[word]
    by_delete: dict[str, set[str]] = {}
    for word in counts:
        if len(word) >= 4 and word.isalpha():
            for key in deletion_keys(word):
                by_delete.setdefault(key, set()).add(word)
    for word in ["netanyhu", "zurch", "strase", "kyv", "kievv", "comittee", "phone", "aaaa"]:
        keys = deletion_keys(word)
        assert vocabulary.sharing_a_key(keys) == set().union(*(by_delete.get(k, set()) for k in keys)), word
    assert Speller(vocabulary).correct("zürch") == "zürich" == Speller(counts).correct("zürch")


# ---------------------------------------------------------------------------------------------
# Rows read on demand


@pytest.mark.parametrize("shape, dtype", [((50, 6), np.float32), ((40,), np.int32), ((7, 3, 2), np.float16)])
def test_npy_file_reads_what_np_load_reads(tmp_path, shape, dtype):
    from storybot.index.storage.table import NpyFile

    expected = np.random.default_rng(1).normal(size=shape).astype(dtype)
    np.save(tmp_path / "a.npy", expected)
    rows = NpyFile(tmp_path / "a.npy")
    assert rows.shape == expected.shape and rows.dtype == expected.dtype and len(rows) == shape[0]
    for key in [0, 3, -1, np.int64(5), slice(None), slice(2, 5), slice(5, 2), slice(1, None, 3), slice(-4, None),
                np.array([4, 5, 6, 1, 1, 0, 6]), np.array([], dtype=np.int64), np.arange(2, 6), [3, -2]]:
        assert np.array_equal(rows[key], expected[key]), key
    assert np.array_equal(np.asarray(rows), expected) and np.array_equal(np.linalg.norm(rows, axis=-1),
                                                                         np.linalg.norm(expected, axis=-1))
    for bad in [shape[0], -shape[0] - 1, np.array([0, shape[0]])]:
        with pytest.raises(IndexError):
            rows[bad]


def test_npy_file_refuses_a_truncated_array(tmp_path):
    from storybot.index.storage.table import NpyFile

    np.save(tmp_path / "a.npy", np.ones((10, 4), np.float32))
    raw = (tmp_path / "a.npy").read_bytes()
    (tmp_path / "a.npy").write_bytes(raw[:-4])
    with pytest.raises(ValueError, match="does not hold the"):
        NpyFile(tmp_path / "a.npy")
