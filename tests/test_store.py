"""The on-disk index: round trip, staleness, refusal of mismatched or damaged indexes, atomic and incremental builds."""

import json

import numpy as np
import pytest

from storybot.index.errors import IndexError_
from storybot.index.store import FORMAT_VERSION, build_index, current_build, index_status, load_index

from storybot.testing.paths import SOURCES, STORY_ID


def test_round_trip(story_index_dir, embedder):
    index = load_index(story_index_dir)
    assert index.manifest.format_version == FORMAT_VERSION
    assert index.manifest.model == embedder.name
    assert index.manifest.dimension == 384 == index.faiss_index.d
    assert index.manifest.paragraphs == 17 == len(index.paragraphs)
    assert list(index.manifest.sources) == [STORY_ID]
    assert index.stories[STORY_ID].outlet == "Axios"
    assert index.paragraph(STORY_ID, 3).text.startswith("Catch up quick:")
    assert np.allclose(np.linalg.norm(index.paragraph_vectors, axis=1), 1.0, atol=1e-4)
    assert index_status(story_index_dir, SOURCES, embedder.name).state == "ok"


def test_missing_index(tmp_path, embedder):
    assert index_status(tmp_path / "none", SOURCES, embedder.name).state == "missing"
    assert load_index(tmp_path / "none") is None


def test_changed_source_makes_index_stale(tmp_path, sources_copy, embedder):
    build_index(sources_copy, tmp_path / "idx", embedder)
    story = sources_copy / f"{STORY_ID}.md"
    story.write_text(story.read_text() + "\nA new paragraph about the vote.\n")
    assert index_status(tmp_path / "idx", sources_copy, embedder.name).state == "stale"
    (sources_copy / "second.txt").write_text("Another story.\n")
    assert index_status(tmp_path / "idx", sources_copy, embedder.name).state == "stale"


def test_rebuild_reembeds_only_what_changed(tmp_path, sources_copy, embedder):
    index_dir = tmp_path / "idx"
    build_index(sources_copy, index_dir, embedder)
    before = embedder.encoded_texts
    build_index(sources_copy, index_dir, embedder)
    assert embedder.encoded_texts == before  # nothing changed: nothing embedded
    (sources_copy / "second.txt").write_text("The council met on Monday. It voted 5-2.\n")
    build_index(sources_copy, index_dir, embedder)
    assert embedder.encoded_texts - before == 1  # one paragraph; its two sentences are pooled from that pass
    assert len(load_index(index_dir).paragraphs) == 18


def test_other_model_is_refused_with_the_fix(story_index_dir):
    with pytest.raises(IndexError_, match=r"built with model .* rebuild it with `storybot index build"):
        index_status(story_index_dir, SOURCES, "some/other-model")


def test_other_format_version_is_refused(tmp_path, sources_copy, embedder):
    build_index(sources_copy, tmp_path / "idx", embedder)
    manifest_path = current_build(tmp_path / "idx") / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = 999
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match="format version 999"):
        index_status(tmp_path / "idx", sources_copy, embedder.name)
    with pytest.raises(IndexError_, match="format version 999"):
        load_index(tmp_path / "idx")


def test_truncated_file_is_detected(tmp_path, sources_copy, embedder):
    build_index(sources_copy, tmp_path / "idx", embedder)
    vectors = current_build(tmp_path / "idx") / "paragraphs.npy"
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(IndexError_, match="damaged .*paragraphs.npy"):
        load_index(tmp_path / "idx")


def test_interrupted_build_leaves_the_old_index(tmp_path, sources_copy, embedder, monkeypatch):
    index_dir = tmp_path / "idx"
    build_index(sources_copy, index_dir, embedder)
    old = current_build(index_dir)
    (sources_copy / "second.txt").write_text("More text.\n")

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("storybot.index.store.faiss.write_index", boom)
    with pytest.raises(KeyboardInterrupt):
        build_index(sources_copy, index_dir, embedder)
    assert current_build(index_dir) == old
    assert len(load_index(index_dir).paragraphs) == 17
    assert not [p for p in (index_dir / "builds").iterdir() if p.name.startswith(".building")]


def test_a_read_only_stale_index_is_served_as_it_is(tmp_path, sources_copy, embedder, monkeypatch):
    """Replicas share a read-only index: a stale one is served (with a notice), not rebuilt."""
    import os

    from storybot.index.service import open_engine

    index_dir = tmp_path / "idx"
    build_index(sources_copy, index_dir, embedder)
    (sources_copy / "second.txt").write_text("A story the replica has not indexed yet.\n")
    real_access = os.access
    # chmod cannot make a directory read-only for root (CI), so the check itself is made to say so
    monkeypatch.setattr("storybot.index.service.os.access",
                        lambda path, mode: False if mode & os.W_OK else real_access(path, mode))
    notices = []
    engine = open_engine(sources_copy, index_dir, embedder.name, embedder=embedder, notice=notices.append)
    assert "read-only" in notices[0]
    assert len(engine.index.paragraphs) == 17
