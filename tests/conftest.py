"""Shared fixtures: the embedding model and an index of the bundled story are built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
STORY_ID = "netanyahu-zelensky-un-vote"


@pytest.fixture(scope="session")
def embedder():
    from index.embedder import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def story_index_dir(tmp_path_factory, embedder) -> Path:
    """An index of the bundled sources, built once; tests must not modify it."""
    from index.store import build_index

    index_dir = tmp_path_factory.mktemp("story-index")
    build_index(SOURCES, index_dir, embedder)
    return index_dir


@pytest.fixture(scope="session")
def engine(story_index_dir, embedder):
    from index.search import Engine
    from index.store import load_index

    return Engine(load_index(story_index_dir), embedder)


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    """A writable copy of the bundled sources (for tests that change stories)."""
    dest = tmp_path / "sources"
    shutil.copytree(SOURCES, dest)
    return dest


FIXTURES = ROOT / "tests" / "fixtures"
SECOND_STORY_ID = "riverton-bridge"


@pytest.fixture(scope="session")
def two_story_sources(tmp_path_factory) -> Path:
    """A sources directory with the bundled story and the short fixture story (tests/fixtures/stories)."""
    dest = tmp_path_factory.mktemp("two-stories") / "sources"
    dest.mkdir()
    shutil.copy(SOURCES / f"{STORY_ID}.md", dest)
    shutil.copy(FIXTURES / "stories" / f"{SECOND_STORY_ID}.md", dest)
    return dest


@pytest.fixture(scope="session")
def two_story_engine(two_story_sources, tmp_path_factory, embedder):
    """An engine over both stories, built once; tests must not modify it."""
    from index.search import Engine
    from index.store import build_index, load_index

    index_dir = tmp_path_factory.mktemp("two-story-index")
    build_index(two_story_sources, index_dir, embedder)
    return Engine(load_index(index_dir), embedder)
