"""Large archives switch to an ANN index by themselves: same answers and JSON contract, recall close to exact."""

import json
import random
import shutil
from pathlib import Path

import faiss
import numpy as np
import pytest

import storybot.index.answering.search as search
import storybot.index.storage.store as store
from storybot.index.answering.search import Engine
from storybot.index.storage.store import build_index, build_vector_index, load_index

from storybot.testing.paths import SECOND_STORY_ID, STORY_ID

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


# General news vocabulary for filler stories: enough paragraphs that the IVF index has more lists
# than a question probes, so "ANN answers as exact does" could fail if the lists lost an answer.
_FILLER_WORDS = """council budget river school harbor mayor court police weather storm market price train
report museum festival election hospital teachers union parents farmers rain flood road traffic tax
library park football season coach players fans stadium company workers factory wages strike energy
power grid heat summer winter snow airport flights passengers delays ferry island tourists hotel
restaurant chef menu health doctors nurses patients clinic vaccine study scientists university students
exam results housing rent tenants landlord plan zoning committee meeting residents neighbours
complaint noise water pipes repair contract bids engineers survey data census population growth
village town county district region officials spokesperson statement announced said expected
reported increased decreased opened closed delayed approved rejected proposed planned warned""".split()


def write_filler(sources: Path, stories: int, paragraphs: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    for number in range(stories):
        body = []
        for _ in range(paragraphs):
            sentences = [" ".join(rng.choice(_FILLER_WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
                         for _ in range(rng.randint(1, 3))]
            body.append(" ".join(sentences))
        (sources / f"filler-{number:02d}.md").write_text(
            f"---\ntitle: Local report {number}\noutlet: Example Wire\n---\n" + "\n".join(body) + "\n")


@pytest.fixture(scope="module")
def archive(tmp_path_factory, two_story_sources) -> Path:
    """The bundled story, the fixture story and 750 filler paragraphs."""
    sources = tmp_path_factory.mktemp("archive") / "sources"
    shutil.copytree(two_story_sources, sources)
    write_filler(sources, stories=25, paragraphs=30)
    return sources


@pytest.fixture(scope="module")
def exact_engine(archive, tmp_path_factory, embedder) -> Engine:
    index_dir = tmp_path_factory.mktemp("exact-index")
    build_index(archive, index_dir, embedder)
    return Engine(load_index(index_dir), embedder)


@pytest.fixture(scope="module")
def ann_index_dir(archive, tmp_path_factory, embedder):
    """The same archive indexed as if it were a large one: IVF index, candidates from FAISS."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store, "ANN_MIN_PARAGRAPHS", 1)
        index_dir = tmp_path_factory.mktemp("ann-index")
        build_index(archive, index_dir, embedder)
    return index_dir


def test_the_manifest_records_the_index_kind(ann_index_dir, story_index_dir):
    assert load_index(story_index_dir).manifest.kind == "flat"
    index = load_index(ann_index_dir)
    assert index.manifest.kind.startswith("ivf") and index.manifest.kind.endswith("-sq8")
    assert isinstance(index.faiss_index, faiss.IndexIVF) and index.faiss_index.nprobe == store.ANN_PROBES
    manifest = json.loads((index.path / "manifest.json").read_text())
    assert manifest["kind"] == index.manifest.kind


def test_the_ann_index_probes_fewer_lists_than_it_has(ann_index_dir):
    """Otherwise every search is exhaustive and the comparisons below could not see a loss."""
    index = load_index(ann_index_dir).faiss_index
    assert index.nprobe < index.nlist


def test_ann_candidates_are_the_exact_nearest_for_real_questions(ann_index_dir, embedder):
    index = load_index(ann_index_dir)
    vectors = np.asarray(index.paragraph_vectors)
    found = []
    for question in QUESTIONS + ["Why was the bridge closed?", "What did the mayor say?"]:
        q = embedder.encode_query(question)
        truth = set(np.argsort(-(vectors @ q), kind="stable")[:10].tolist())
        _, rows = index.faiss_index.search(q[None, :].astype(np.float32), 10)
        found.append(len(truth & set(rows[0].tolist())) / 10)
    assert np.mean(found) >= 0.9


def test_ann_index_gives_the_same_answers_and_contract(ann_index_dir, exact_engine, embedder, monkeypatch):
    monkeypatch.setattr(search, "EXHAUSTIVE_LIMIT", 0)  # make search take its candidates from FAISS
    ann = Engine(load_index(ann_index_dir), embedder)
    for question in QUESTIONS:
        got, want = ann.ask(question, top_k=3), exact_engine.ask(question, top_k=3)
        assert got.model_dump().keys() == want.model_dump().keys()
        assert got.answered == want.answered
        assert got.passages[0].model_dump().keys() == want.passages[0].model_dump().keys()
        assert (got.passages[0].source, got.passages[0].paragraph) == (want.passages[0].source, want.passages[0].paragraph)
        assert got.passages[0].score == pytest.approx(want.passages[0].score, abs=1e-4)


def test_source_filter_works_with_an_ann_index(ann_index_dir, embedder, monkeypatch):
    monkeypatch.setattr(search, "EXHAUSTIVE_LIMIT", 0)
    ann = Engine(load_index(ann_index_dir), embedder)
    assert len(ann.index.stories) == 27  # the filter has other stories to leave out
    for story in (STORY_ID, SECOND_STORY_ID):
        answer = ann.ask("How many countries voted in favor?", source=story, top_k=5)
        assert len(answer.passages) == 5 and all(p.source == story for p in answer.passages)
    unfiltered = ann.ask("How many countries voted in favor?", top_k=5)
    assert unfiltered.passages[0].source == STORY_ID


def test_nearest_within_a_range_is_exact_and_ordered(ann_index_dir, embedder):
    index = load_index(ann_index_dir)
    q = embedder.encode_query("Which countries abstained?")
    rows = index.nearest(q, 5, (3, 12))
    sims = np.asarray(index.paragraph_vectors) @ q
    assert list(rows) == list(3 + np.argsort(-sims[3:12], kind="stable")[:5])
    assert len(index.nearest(q, 50, (3, 12))) == 9  # k larger than the range: the whole range
    whole = index.nearest(q, 5)
    assert int(whole[0]) == int(np.argmax(sims))
