"""storybot.storage against both databases it supports: an SQLite file and a real PostgreSQL server
started for the session (skipped, saying why, where PostgreSQL is not installed)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from storybot.index.errors import StorybotError
from storybot.settings import load_settings
from storybot.storage import Storage, StorageError, StoryVersion, open_storage


@pytest.fixture(scope="session")
def postgres_url():
    from storybot.testing.postgres import PostgresUnavailable, postgres_server

    try:
        with postgres_server() as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    """A fresh database: an SQLite file, or a new database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
        return
    import psycopg

    url = request.getfixturevalue("postgres_url")
    name = f"t{abs(hash(request.node.nodeid))}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    yield url.rsplit("/", 1)[0] + f"/{name}"


def opened(url: str, tmp_path) -> Storage:
    return Storage.open(url, tmp_path)


def test_chats_are_stored_replaced_and_removed(database, tmp_path):
    storage = opened(database, tmp_path)
    storage.set_chat(-1001, {"story": "a"})
    storage.set_chat(7, {"story": "b"})
    storage.set_chat(7, {"story": "c"})
    other = opened(database, tmp_path)  # another replica
    assert other.chats() == {-1001: {"story": "a"}, 7: {"story": "c"}}
    assert other.chat(7) == {"story": "c"} and other.chat(8) == {}
    other.set_chat(7, {})
    assert storage.chats() == {-1001: {"story": "a"}}
    # A migration adds what is missing and never overwrites.
    assert storage.add_chats({-1001: {"story": "old"}, 9: {"story": "x"}, 10: {}}) == 1
    assert storage.chats() == {-1001: {"story": "a"}, 9: {"story": "x"}}


def test_follows(database, tmp_path):
    storage = opened(database, tmp_path)
    assert storage.follow(1, "a") and storage.follow(1, "b") and storage.follow(2, "a")
    assert not storage.follow(1, "a")
    assert storage.follows(1) == ["a", "b"]
    assert storage.followers() == {"a": [1, 2], "b": [1]}
    assert storage.unfollow(1, "b") == 1 and storage.unfollow(1, "b") == 0
    assert storage.unfollow(2) == 1
    assert storage.followers() == {"a": [1]}


def test_a_new_version_is_claimed_by_exactly_one_replica(database, tmp_path):
    replicas = [opened(database, tmp_path) for _ in range(4)]
    first = StoryVersion(story="s", checksum="1", paragraphs=["One.", "Two."])
    assert replicas[0].remember_version(first)
    assert not replicas[1].remember_version(first.model_copy(update={"checksum": "other"}))
    assert replicas[2].announced("s") == first
    second = StoryVersion(story="s", checksum="2", paragraphs=["One.", "Two, edited.", "Three."])
    wins = []
    start = threading.Barrier(len(replicas))

    def claim(storage):
        start.wait()
        wins.append(storage.claim_version(first, second))

    threads = [threading.Thread(target=claim, args=(r,)) for r in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False, False, False, True]
    assert replicas[3].announced("s") == second


def test_declined_questions_have_no_ids_and_old_ones_are_deleted(database, tmp_path):
    storage = opened(database, tmp_path)
    long_ago = datetime.now(timezone.utc) - timedelta(days=40)
    storage.record_question("Who paid for it?", "a", retention_days=30, at=long_ago)
    storage.record_question("Who paid?", "a", retention_days=30)  # deletes the one from 40 days ago
    storage.record_question("When does it open?", None, retention_days=30)
    found = storage.declined_questions()
    assert [(q.question, q.source) for q in found] == [("Who paid?", "a"), ("When does it open?", None)]
    assert [q.question for q in storage.declined_questions(source="a")] == ["Who paid?"]
    assert storage.declined_questions(since=datetime.now(timezone.utc) + timedelta(days=1)) == []
    assert set(found[0].model_dump()) == {"asked_at", "source", "question"}  # nothing about who asked


def test_bad_database_urls_are_one_clear_error(tmp_path):
    with pytest.raises(StorageError, match="must be a postgresql://"):
        Storage.open("mysql://db/x", tmp_path)
    with pytest.raises(StorybotError, match="cannot connect to PostgreSQL at 127.0.0.1:1/x") as caught:
        Storage.open("postgresql://user:s3cret@127.0.0.1:1/x", tmp_path)
    assert "s3cret" not in str(caught.value)
    (tmp_path / "file").write_text("")
    with pytest.raises(StorageError, match="cannot open the database"):
        Storage.open(f"sqlite:///{tmp_path / 'file' / 'db.sqlite'}", tmp_path)


def test_the_default_is_an_sqlite_file_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("STORYBOT_DATABASE_URL", raising=False)
    storage = open_storage(load_settings(data_dir=tmp_path))
    storage.set_chat(1, {"story": "a"})
    assert (tmp_path / "storybot.db").exists() and storage.where == str(tmp_path / "storybot.db")


async def test_replicas_share_a_chats_story_choice(database, tmp_path, two_story_engine):
    """Two bots on one database (webhook replicas): a choice made through one holds on the other,
    and so does clearing it."""
    from storybot.testing.livebot import entities_of, running_bot
    from storybot.testing.paths import SECOND_STORY_ID

    first_dir, second_dir = tmp_path / "one", tmp_path / "two"
    async with running_bot(two_story_engine, data_dir=first_dir, database_url=database) as one, \
            running_bot(two_story_engine, data_dir=second_dir, database_url=database) as two:
        await one.send(one.api.push_message, f"/story {SECOND_STORY_ID}", chat_type="group")
        [answer] = await two.send(two.api.push_message, "/ask How many voted in favor?", chat_type="group")
        assert "7 to 2" in entities_of(answer, "blockquote")[0]
        await two.send(two.api.push_message, "/story all", chat_type="group")
        [picker] = await one.send(one.api.push_message, "/brief", chat_type="group")
        assert picker.visible_text.startswith("Which story?")
