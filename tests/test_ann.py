"""Large archives switch to an ANN index by themselves: same answers and JSON contract, recall close to exact."""

import json

import faiss
import numpy as np
import pytest

import storybot.index.answering.search as search
import storybot.index.storage.store as store
from storybot.index.answering.search import Engine
from storybot.index.storage.store import build_index, build_vector_index, load_index

from storybot.testing.paths import SOURCES, STORY_ID

QUESTIONS = [
    "How many countries voted in favor of the resolution?",
    "What did Netanyahu ask Zelensky?",
    "why didn't ukraine attend the vote",
    "How did Germany vote?",
]


def clustered_vectors(n: int, dimension: int = 96, topics: int = 40, seed: int = 0) -> np.ndarray:
    """Unit vectors around a few topic directions, like sentence embeddings (unlike uniform noise)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, dimension))
    x = centres[rng.integers(0, topics, n)] + 0.6 * rng.standard_normal((n, dimension))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_small_archives_stay_exact():
    index, kind = build_vector_index(clustered_vectors(500))
    assert kind == "flat" and isinstance(index, faiss.IndexFlatIP) and index.ntotal == 500


def test_large_archives_get_an_ivf_index_with_high_recall(monkeypatch):
    monkeypatch.setattr(store, "ANN_MIN_PARAGRAPHS", 5_000)
    vectors = clustered_vectors(20_000)
    index, kind = build_vector_index(vectors)
    assert kind == "ivf256-sq8" and isinstance(index, faiss.IndexIVFScalarQuantizer)
    assert index.ntotal == 20_000 and index.nprobe == store.ANN_PROBES
    # Questions lie near, not on, stored paragraphs.
    rng = np.random.default_rng(1)
    queries = vectors[rng.integers(0, len(vectors), 200)] + 0.05 * rng.standard_normal((200, vectors.shape[1]))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    _, found = index.search(queries, 10)
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
    assert recall >= 0.95


@pytest.fixture(scope="module")
def ann_index_dir(tmp_path_factory, embedder):
    """The bundled story indexed as if it were a large archive: IVF index, candidates from FAISS."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store, "ANN_MIN_PARAGRAPHS", 1)
        index_dir = tmp_path_factory.mktemp("ann-index")
        build_index(SOURCES, index_dir, embedder)
    return index_dir


def test_the_manifest_records_the_index_kind(ann_index_dir, story_index_dir):
    assert load_index(story_index_dir).manifest.kind == "flat"
    index = load_index(ann_index_dir)
    assert index.manifest.kind.startswith("ivf") and index.manifest.kind.endswith("-sq8")
    assert isinstance(index.faiss_index, faiss.IndexIVF) and index.faiss_index.nprobe == store.ANN_PROBES
    manifest = json.loads((index.path / "manifest.json").read_text())
    assert manifest["kind"] == index.manifest.kind


def test_ann_index_gives_the_same_answers_and_contract(ann_index_dir, engine, embedder, monkeypatch):
    monkeypatch.setattr(search, "EXHAUSTIVE_LIMIT", 0)  # make search take its candidates from FAISS
    ann = Engine(load_index(ann_index_dir), embedder)
    for question in QUESTIONS:
        got, want = ann.ask(question, top_k=3), engine.ask(question, top_k=3)
        assert got.model_dump().keys() == want.model_dump().keys()
        assert got.answered == want.answered
        assert got.passages[0].model_dump().keys() == want.passages[0].model_dump().keys()
        assert (got.passages[0].source, got.passages[0].paragraph) == (want.passages[0].source, want.passages[0].paragraph)
        assert got.passages[0].score == pytest.approx(want.passages[0].score, abs=1e-4)


def test_source_filter_works_with_an_ann_index(ann_index_dir, embedder, monkeypatch):
    monkeypatch.setattr(search, "EXHAUSTIVE_LIMIT", 0)
    ann = Engine(load_index(ann_index_dir), embedder)
    answer = ann.ask("How many countries voted in favor?", source=STORY_ID)
    assert answer.passages and all(p.source == STORY_ID for p in answer.passages)


def test_nearest_within_a_range_is_exact_and_ordered(ann_index_dir, embedder):
    index = load_index(ann_index_dir)
    q = embedder.encode_query("Which countries abstained?")
    rows = index.nearest(q, 5, (3, 12))
    sims = np.asarray(index.paragraph_vectors) @ q
    assert list(rows) == list(3 + np.argsort(-sims[3:12], kind="stable")[:5])
    assert len(index.nearest(q, 50, (3, 12))) == 9  # k larger than the range: the whole range
    whole = index.nearest(q, 5)
    assert int(whole[0]) == int(np.argmax(sims))
