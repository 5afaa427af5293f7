"""The on-disk index: round trip, staleness, refusal of mismatched or damaged indexes, atomic and incremental builds."""

import json

import bm25s
import numpy as np
import pytest

from storybot.index.errors import UnusableIndexError
from storybot.index.language.text import tokens
from storybot.index.storage.store import FORMAT_VERSION, build_index, current_build, index_status, load_index

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


def test_a_build_of_the_previous_format_lends_its_vectors_to_the_rebuild(tmp_path, sources_copy, embedder):
    """Upgrading storybot means `storybot index build`; format 2 differs only in the paragraph table
    (no speakers' roles), so nothing is embedded again — an archive rebuilds in seconds, not hours."""
    index_dir = tmp_path / "idx"
    build_index(sources_copy, index_dir, embedder)
    build = current_build(index_dir)
    manifest = json.loads((build / "manifest.json").read_text())
    for name in ("paragraphs/role.npy", "paragraphs/roles.json"):
        (build / name).unlink()
        manifest["files"].pop(name)
        manifest["checksums"].pop(name)
    manifest["format_version"] = 2
    (build / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UnusableIndexError, match="format version 2"):
        load_index(index_dir)
    before = embedder.encoded_texts
    build_index(sources_copy, index_dir, embedder)
    assert embedder.encoded_texts == before
    index = load_index(index_dir)
    assert index.manifest.format_version == FORMAT_VERSION
    assert index.paragraphs.role_of(15) == "Ukrainian President Volodymyr Zelensky, President Zelensky"


def test_other_model_is_refused_with_the_fix(story_index_dir):
    with pytest.raises(UnusableIndexError, match=r"built with model .* rebuild it with `storybot index build"):
        index_status(story_index_dir, SOURCES, "some/other-model")


def test_other_format_version_is_refused(tmp_path, sources_copy, embedder):
    build_index(sources_copy, tmp_path / "idx", embedder)
    manifest_path = current_build(tmp_path / "idx") / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = 999
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(UnusableIndexError, match="format version 999"):
        index_status(tmp_path / "idx", sources_copy, embedder.name)
    with pytest.raises(UnusableIndexError, match="format version 999"):
        load_index(tmp_path / "idx")


def test_truncated_file_is_detected(tmp_path, sources_copy, embedder):
    build_index(sources_copy, tmp_path / "idx", embedder)
    vectors = current_build(tmp_path / "idx") / "paragraphs.npy"
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(UnusableIndexError, match="damaged .*paragraphs.npy"):
        load_index(tmp_path / "idx")


def test_interrupted_build_leaves_the_old_index(tmp_path, sources_copy, embedder, monkeypatch):
    index_dir = tmp_path / "idx"
    build_index(sources_copy, index_dir, embedder)
    old = current_build(index_dir)
    (sources_copy / "second.txt").write_text("More text.\n")

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("storybot.index.storage.store.faiss.write_index", boom)
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


def _modes(index_dir) -> tuple[set[int], set[int]]:
    """The permission bits of every directory and every file of the live build, and of builds/."""
    import stat
    from pathlib import Path

    build = current_build(index_dir)
    paths = [build, *Path(build).rglob("*")]
    dirs = {stat.S_IMODE(p.stat().st_mode) for p in paths if p.is_dir()} | {stat.S_IMODE((index_dir / "builds").stat().st_mode)}
    files = {stat.S_IMODE(p.stat().st_mode) for p in paths if p.is_file()}
    return dirs, files


@pytest.fixture
def umask():
    import os

    def set_umask(mask: int) -> None:
        os.umask(mask)

    old = os.umask(0o022)
    yield set_umask
    os.umask(old)


@pytest.mark.parametrize("mask, dirs, files", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)], ids=["umask 022", "umask 027"])
def test_builds_are_readable_by_other_users_less_the_umask(tmp_path, sources_copy, embedder, umask, mask, dirs, files):
    """A replica running as another user reads the shared index (README: Deploying)."""
    umask(mask)
    build_index(sources_copy, tmp_path / "idx", embedder)
    assert _modes(tmp_path / "idx") == ({dirs}, {files})


def test_private_builds_are_for_their_owner_only(tmp_path, sources_copy, embedder, umask):
    build_index(sources_copy, tmp_path / "idx", embedder, private=True)
    assert _modes(tmp_path / "idx") == ({0o700}, {0o600})
    assert (tmp_path / "idx").stat().st_mode & 0o777 == 0o700  # made by the build: private too


def test_the_private_setting_reaches_index_build(tmp_path, sources_copy, embedder, umask, monkeypatch):
    from typer.testing import CliRunner

    from storybot.cli import app

    monkeypatch.setattr("storybot.cli.make_embedder", lambda settings: embedder)
    result = CliRunner().invoke(app, ["index", "build", "--sources", str(sources_copy), "--index", str(tmp_path / "idx")],
                                env={"STORYBOT_INDEX_PRIVATE": "1"})
    assert result.exit_code == 0, result.output
    assert _modes(tmp_path / "idx") == ({0o700}, {0o600})


def test_full_check_reads_every_byte(tmp_path, sources_copy, embedder):
    """Same size, one bit flipped in a vector: only the checksum can tell."""
    from storybot.index.storage.store import check_files

    build_index(sources_copy, tmp_path / "idx", embedder)
    build = current_build(tmp_path / "idx")
    manifest = load_index(tmp_path / "idx").manifest
    assert set(manifest.checksums) == set(manifest.files)
    vectors = build / "sentences.npy"
    raw = bytearray(vectors.read_bytes())
    raw[len(raw) // 2] ^= 1
    vectors.write_bytes(bytes(raw))
    assert check_files(build, manifest) is None
    assert check_files(build, manifest, full=True) == "sentences.npy does not match its checksum"
    assert index_status(tmp_path / "idx", sources_copy, embedder.name, full=True).state == "damaged"


def test_a_build_fails_before_embedding_when_it_cannot_write(tmp_path, sources_copy, monkeypatch):
    import os

    class NoEmbedding:
        name, dimension = "stub", 8

        def encode(self, *args, **kwargs):
            raise AssertionError("embedded before the index directory was checked")

    real_access = os.access
    monkeypatch.setattr("storybot.index.storage.store.os.access",
                        lambda path, mode: False if mode & os.W_OK else real_access(path, mode))
    with pytest.raises(UnusableIndexError, match=rf"cannot build the index in {tmp_path / 'idx'}: {tmp_path} is not writable"):
        build_index(sources_copy, tmp_path / "idx", NoEmbedding())
    assert not (tmp_path / "idx").exists()


def test_a_writable_builds_directory_is_not_enough(tmp_path, sources_copy, embedder, monkeypatch):
    """`current` is replaced in the index directory itself: it must be writable too."""
    import os

    index_dir = tmp_path / "idx"
    build_index(sources_copy, index_dir, embedder)
    (sources_copy / "second.txt").write_text("More text.\n")
    real_access = os.access
    monkeypatch.setattr("storybot.index.storage.store.os.access", lambda path, mode: False
                        if mode & os.W_OK and os.fspath(path) == os.fspath(index_dir) else real_access(path, mode))
    before = embedder.encoded_texts
    with pytest.raises(UnusableIndexError, match=rf"cannot build the index in {index_dir}: {index_dir} is not writable"):
        build_index(sources_copy, index_dir, embedder)
    assert embedder.encoded_texts == before


def test_postings_hold_the_bm25_weights_bm25s_computes(tmp_path, embedder):
    # bm25s's saved files are read by our own code (Postings), so a bm25s release that changes their
    # layout must fail here, not rank paragraphs silently wrong.
    sources = tmp_path / "sources"
    sources.mkdir()
    texts = ["The council voted to close the library on Monday.",
             "The library, the council said, had served readers for forty years; readers protested.",
             "Buses will stop at the library until it closes.",
             "The mayor did not comment."]
    (sources / "tiny.txt").write_text("\n\n".join(texts) + "\n")
    build_index(sources, tmp_path / "idx", embedder)
    index = load_index(tmp_path / "idx")
    postings = index.postings
    assert [p.text for p in index.paragraphs] == texts

    corpus = [tokens(text) for text in texts]
    reference = bm25s.BM25()
    reference.index(corpus, show_progress=False)
    assert postings.num_docs == len(texts)
    assert set(postings.vocab) == {w for doc in corpus for w in doc}
    frequency = postings.document_frequency()
    for word in postings.vocab:
        docs, weights = postings.of(word)
        assert docs.tolist() == [row for row, doc in enumerate(corpus) if word in doc]
        assert frequency[postings.vocab[word]] == len(docs)
        read = np.zeros(len(texts))
        read[docs] = weights
        assert np.allclose(read, reference.get_scores([word]), rtol=1e-6)
    assert postings.of("parliament") is None


def test_an_index_read_by_an_older_speaker_reader_is_stale_and_rebuilt_without_embedding(tmp_path, sources_copy, embedder):
    index_dir = tmp_path / "idx"
    build_index(sources_copy, index_dir, embedder)
    manifest_path = current_build(index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["reading"] = 0  # built before paragraphs recorded how they were read
    manifest_path.write_text(json.dumps(manifest))
    status = index_status(index_dir, sources_copy, embedder.name)
    assert status.state == "stale" and "who speaks" in status.problem
    before = embedder.encoded_texts
    build_index(sources_copy, index_dir, embedder)
    assert embedder.encoded_texts == before
    assert index_status(index_dir, sources_copy, embedder.name).state == "ok"
