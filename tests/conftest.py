"""Shared fixtures: the embedding model and an index of the bundled story are built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from storybot.testing.paths import FIXTURES, SECOND_STORY_ID, SOURCES, STORY_ID


def pytest_collection_modifyitems(config, items):
    """Mark `embeds` the tests whose answers depend on how this CPU embeds: those built on the
    session's encoder (the `embedder` fixture: every index, engine and bot over real embeddings) and
    the encoder's own tests. CI runs them a second time as on a CPU without bf16 (-m embeds)."""
    for item in items:
        if "embedder" in item.fixturenames or item.path.name == "test_embedder.py":
            item.add_marker(pytest.mark.embeds)


@pytest.fixture(scope="session", autouse=True)
def cpu_without_bf16():
    """With STORYBOT_BF16_BUILDS=0 the whole suite runs as on a CPU without bf16 instructions (plain
    AVX2 or AVX-512): OpenVINO refuses as it does there, so every build takes the fp32 fallback."""
    from storybot.settings import load_settings

    if load_settings().bf16_builds:
        yield False
        return
    from storybot.index.embedding import embedder as module
    from storybot.index.embedding import encoders

    def no_bf16(*args, **kwargs):
        raise RuntimeError("this CPU has no bfloat16 instructions (forced by STORYBOT_BF16_BUILDS=0)")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "OpenVinoEncoder", no_bf16)
        patch.setattr(encoders, "bf16_supported", lambda: False)
        yield True


@pytest.fixture(scope="session")
def embedder(cpu_without_bf16):
    from storybot.index.embedding.embedder import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def reader():
    """The reader the shipped weights were fitted for (None when they name none)."""
    from storybot.index.service import open_reader

    return open_reader("auto")


@pytest.fixture(scope="session")
def story_index_dir(tmp_path_factory, embedder) -> Path:
    """An index of the bundled sources, built once; tests must not modify it."""
    from storybot.index.storage.store import build_index

    index_dir = tmp_path_factory.mktemp("story-index")
    build_index(SOURCES, index_dir, embedder)
    return index_dir


@pytest.fixture(scope="session")
def engine(story_index_dir, embedder, reader):
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import load_index

    return Engine(load_index(story_index_dir), embedder, reader=reader)


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    """A writable copy of the bundled sources (for tests that change stories)."""
    dest = tmp_path / "sources"
    shutil.copytree(SOURCES, dest)
    return dest




@pytest.fixture(scope="session")
def two_story_sources(tmp_path_factory) -> Path:
    """A sources directory with the bundled story and the short fixture story (tests/fixtures/stories)."""
    dest = tmp_path_factory.mktemp("two-stories") / "sources"
    dest.mkdir()
    shutil.copy(SOURCES / f"{STORY_ID}.md", dest)
    shutil.copy(FIXTURES / "stories" / f"{SECOND_STORY_ID}.md", dest)
    return dest


@pytest.fixture(scope="session")
def two_story_engine(two_story_sources, tmp_path_factory, embedder, reader):
    """An engine over both stories, built once; tests must not modify it."""
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import build_index, load_index

    index_dir = tmp_path_factory.mktemp("two-story-index")
    build_index(two_story_sources, index_dir, embedder)
    return Engine(load_index(index_dir), embedder, reader=reader)
