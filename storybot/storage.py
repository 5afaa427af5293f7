"""The one place storybot keeps state that must outlive a process and be shared by its replicas:
each chat's settings (its /story choice), follows, the story versions already announced to
followers, and the questions storybot declined.

An SQLite file by default (one host, nothing to install); PostgreSQL when STORYBOT_DATABASE_URL
names one, so that several replicas behind one webhook share it. The SQL is the common subset of
both; the only difference is the placeholder style. Declined questions are stored without user
or chat ids.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from storybot.index.errors import StorybotError
from storybot.settings import Settings

SQLITE_FILE = "storybot.db"
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS chats (chat_id BIGINT PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS follows (chat_id BIGINT NOT NULL, story TEXT NOT NULL, PRIMARY KEY (chat_id, story))",
    "CREATE TABLE IF NOT EXISTS story_versions (story TEXT PRIMARY KEY, checksum TEXT NOT NULL, paragraphs TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS declined_questions (asked_at TEXT NOT NULL, source TEXT, question TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS declined_questions_asked_at ON declined_questions (asked_at)",
]
# Replicas starting together would race on CREATE TABLE in PostgreSQL: one lock serialises them.
SCHEMA_LOCK = 0x5354_4F52  # "STOR"
PRUNE_EVERY = timedelta(hours=1)


class StorageError(StorybotError):
    """The database cannot be opened or used."""


class StoryVersion(BaseModel):
    """A story as followers last heard of it: its file checksum and paragraph texts."""

    story: str
    checksum: str
    paragraphs: list[str]


class DeclinedQuestion(BaseModel):
    """A question storybot did not answer, with the story it was asked about (None: every story)."""

    asked_at: datetime
    source: str | None
    question: str


def now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    # ISO text in UTC sorts as time does, in either database.
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def open_storage(settings: Settings) -> Storage:
    """The database the settings name."""
    url = settings.database_url.get_secret_value().strip() if settings.database_url else None
    return Storage.open(url, settings.data_dir)


class Storage:
    """A connection to the database, safe to share between threads (calls take turns)."""

    def __init__(self, connection: Any, *, postgres: bool, where: str, url: str | None = None) -> None:
        self._connection = connection
        self._postgres = postgres
        self._url = url  # to reconnect to PostgreSQL after the server went away
        self.where = where  # for messages: never includes a password
        self._lock = threading.Lock()
        self._pruned: datetime | None = None  # when old declined questions were last deleted
        self._create_schema()

    # -----------------------------------------------------------------------------------------
    # Opening

    @classmethod
    def open(cls, database_url: str | None, data_dir: Path) -> Storage:
        """The database STORYBOT_DATABASE_URL names, or the SQLite file in `data_dir`."""
        if not database_url:
            return cls.sqlite(data_dir / SQLITE_FILE)
        scheme = urlsplit(database_url).scheme.lower()
        if scheme in ("postgres", "postgresql"):
            return cls.postgres(database_url)
        if scheme == "sqlite":
            return cls.sqlite(Path(database_url.split(":", 1)[1].removeprefix("//")))
        raise StorageError("STORYBOT_DATABASE_URL must be a postgresql://… URL or sqlite:///path/to/file.db")

    @classmethod
    def sqlite(cls, path: Path) -> Storage:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")  # readers in other processes never wait for a writer
            # No fsync per commit (WAL stays consistent; a power cut may lose the last moments):
            # declined questions are written on the bot's hot path.
            connection.execute("PRAGMA synchronous=NORMAL")
            return cls(connection, postgres=False, where=str(path))
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the database {path}: {exc}") from None

    @classmethod
    def postgres(cls, url: str) -> Storage:
        try:
            import psycopg
        except ImportError:
            raise StorageError("STORYBOT_DATABASE_URL names PostgreSQL, which needs the postgres extra: "
                               "pip install 'storybot[postgres]'") from None
        parts = urlsplit(url)
        where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"
        try:
            connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StorageError(f"cannot connect to PostgreSQL at {where}: {_first_line(exc)}") from None
        return cls(connection, postgres=True, where=where, url=url)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def _create_schema(self) -> None:
        with self._transaction() as run:
            if self._postgres:
                run("SELECT pg_advisory_xact_lock(?)", (SCHEMA_LOCK,))
            for statement in SCHEMA:
                run(statement)

    # -----------------------------------------------------------------------------------------
    # Running SQL

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self._postgres else statement

    def _errors(self) -> tuple[type[Exception], ...]:
        if self._postgres:
            import psycopg

            return (psycopg.Error,)
        return (sqlite3.Error,)

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """A function running statements in one transaction; returns each cursor."""
        with self._lock:
            if self._postgres and self._connection.closed:  # lost (server restarted): connect again
                self._connection = Storage.postgres(self._url)._connection
            cursor = self._connection.cursor()

            def run(statement: str, params: Sequence[Any] = ()) -> Any:
                cursor.execute(self._sql(statement), tuple(params))
                return cursor

            try:
                # IMMEDIATE: an SQLite writer waits its turn (timeout) instead of failing on upgrade.
                cursor.execute("BEGIN" if self._postgres else "BEGIN IMMEDIATE")
                yield run
                cursor.execute("COMMIT")
            except self._errors() as exc:
                self._rollback(cursor)
                raise StorageError(f"database {self.where}: {_first_line(exc)}") from None
            except BaseException:
                self._rollback(cursor)
                raise
            finally:
                cursor.close()

    @staticmethod
    def _rollback(cursor: Any) -> None:
        try:
            cursor.execute("ROLLBACK")
        except Exception:  # the connection itself is gone: the next call reports it
            pass

    def _rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._transaction() as run:
            return run(statement, params).fetchall()

    def _change(self, statement: str, params: Sequence[Any] = ()) -> int:
        with self._transaction() as run:
            return run(statement, params).rowcount

    # -----------------------------------------------------------------------------------------
    # Chats

    def chats(self) -> dict[int, dict]:
        """Every chat's stored data."""
        return {int(chat): json.loads(data) for chat, data in self._rows("SELECT chat_id, data FROM chats")}

    def chat(self, chat_id: int) -> dict:
        rows = self._rows("SELECT data FROM chats WHERE chat_id = ?", (chat_id,))
        return json.loads(rows[0][0]) if rows else {}

    def set_chat(self, chat_id: int, data: dict) -> None:
        """Store a chat's data; empty data removes the chat."""
        if not data:
            self._change("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
            return
        self._change("INSERT INTO chats (chat_id, data) VALUES (?, ?) "
                     "ON CONFLICT (chat_id) DO UPDATE SET data = excluded.data",
                     (chat_id, json.dumps(data, ensure_ascii=False, sort_keys=True)))

    def add_chats(self, chats: dict[int, dict]) -> int:
        """Store chats the database does not know yet (a migration never overwrites); how many were new."""
        added = 0
        with self._transaction() as run:
            for chat_id, data in chats.items():
                if data:
                    added += run("INSERT INTO chats (chat_id, data) VALUES (?, ?) ON CONFLICT (chat_id) DO NOTHING",
                                 (chat_id, json.dumps(data, ensure_ascii=False, sort_keys=True))).rowcount
        return added

    # -----------------------------------------------------------------------------------------
    # Follows and announced versions

    def follow(self, chat_id: int, story: str) -> bool:
        """Follow `story` in the chat; False when it already did."""
        return self._change("INSERT INTO follows (chat_id, story) VALUES (?, ?) ON CONFLICT (chat_id, story) DO NOTHING",
                            (chat_id, story)) > 0

    def unfollow(self, chat_id: int, story: str | None = None) -> int:
        """Stop following `story` (None: every story) in the chat; how many follows ended."""
        if story is None:
            return self._change("DELETE FROM follows WHERE chat_id = ?", (chat_id,))
        return self._change("DELETE FROM follows WHERE chat_id = ? AND story = ?", (chat_id, story))

    def follows(self, chat_id: int) -> list[str]:
        return [row[0] for row in self._rows("SELECT story FROM follows WHERE chat_id = ? ORDER BY story", (chat_id,))]

    def followers(self) -> dict[str, list[int]]:
        """Story id -> the chats following it."""
        found: dict[str, list[int]] = {}
        for story, chat_id in self._rows("SELECT story, chat_id FROM follows ORDER BY story, chat_id"):
            found.setdefault(story, []).append(int(chat_id))
        return found

    def announced(self, story: str) -> StoryVersion | None:
        """The version of `story` followers last heard of."""
        rows = self._rows("SELECT checksum, paragraphs FROM story_versions WHERE story = ?", (story,))
        if not rows:
            return None
        return StoryVersion(story=story, checksum=rows[0][0], paragraphs=json.loads(rows[0][1]))

    def remember_version(self, version: StoryVersion) -> bool:
        """Record `version` as announced unless a version is recorded already (a first follow)."""
        return self._change("INSERT INTO story_versions (story, checksum, paragraphs) VALUES (?, ?, ?) "
                            "ON CONFLICT (story) DO NOTHING",
                            (version.story, version.checksum, json.dumps(version.paragraphs, ensure_ascii=False))) > 0

    def claim_version(self, previous: StoryVersion, new: StoryVersion) -> bool:
        """Move the announced version from `previous` to `new`; True for exactly one caller.

        Every replica sees the same rebuild; the one whose update lands announces it, so
        followers hear of each change once."""
        return self._change("UPDATE story_versions SET checksum = ?, paragraphs = ? WHERE story = ? AND checksum = ?",
                            (new.checksum, json.dumps(new.paragraphs, ensure_ascii=False), new.story,
                             previous.checksum)) > 0

    # -----------------------------------------------------------------------------------------
    # Declined questions

    def record_question(self, question: str, source: str | None, *, retention_days: int, at: datetime | None = None) -> None:
        """Keep a declined question (no user, no chat) and forget those older than `retention_days`."""
        at = at or now()
        with self._transaction() as run:
            run("INSERT INTO declined_questions (asked_at, source, question) VALUES (?, ?, ?)",
                (_stamp(at), source, question))
            if self._pruned is None or now() - self._pruned > PRUNE_EVERY:  # not on every question
                run("DELETE FROM declined_questions WHERE asked_at < ?", (_stamp(now() - timedelta(days=retention_days)),))
                self._pruned = now()

    def declined_questions(self, *, source: str | None = None, since: datetime | None = None) -> list[DeclinedQuestion]:
        """Recorded questions, oldest first; about `source` only, and from `since` on, when given."""
        statement = "SELECT asked_at, source, question FROM declined_questions WHERE asked_at >= ?"
        params: list[Any] = [_stamp(since) if since else ""]
        if source is not None:
            statement += " AND source = ?"
            params.append(source)
        rows = self._rows(statement + " ORDER BY asked_at", params)
        return [DeclinedQuestion(asked_at=datetime.fromisoformat(at), source=src, question=q) for at, src, q in rows]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
