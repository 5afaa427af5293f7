"""Index integrity and live updates: a broken or mismatched index stops `storybot run` with an
error naming the fix; a new build is picked up by the running bot (questions in flight finish on
the old one, never an error); a broken new build is refused; incremental builds re-embed only
new text. (tests/test_store.py covers the library-level checks.)"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from storybot.cli import app as cli
from storybot.testing.paths import ROOT, SOURCES
from storybot.testing.botapi import FakeBotAPI
from storybot.index.storage.reload import IndexWatcher
from storybot.index.answering.search import Engine
from storybot.index.storage.sources import load_sources
from storybot.index.storage.store import build_index, current_build, embed_text, load_index
from storybot.testing.livebot import live_bot
from storybot.testing.livebot import COUNT_QUESTION, GatedEngine

NEW_STORY = """---
title: Harbor festival draws a record crowd
outlet: Test Gazette
---
The harbor festival drew a record 48,000 visitors on Saturday, organisers said.
Mayor Lina Ortiz said the city would extend the festival to three days next year.
"""
NEW_QUESTION = "How many visitors did the harbor festival draw?"
FIX = "rebuild it with `storybot index build"


class StubEmbedder:
    """Stands in for another model: `name` and `dimension` as given, vectors from a seeded RNG."""

    def __init__(self, name: str, dimension: int) -> None:
        self.name, self.dimension = name, dimension
        self.encoded_texts = 0

    def encode(self, texts, *, batch_size: int = 32, progress=None) -> np.ndarray:
        vectors = np.random.default_rng(len(texts)).normal(size=(len(texts), self.dimension)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def live_index(tmp_path, story_index_dir) -> tuple[Path, Path]:
    """A writable sources dir (the bundled story) and a copy of the session's index of it."""
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    index_dir = tmp_path / "index"
    shutil.copytree(story_index_dir, index_dir, symlinks=True)  # `current` is a relative link
    return sources, index_dir


def add_new_story(sources: Path) -> None:
    (sources / "harbor-festival.md").write_text(NEW_STORY, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Start-up refuses a broken index


def _truncate(build: Path) -> None:
    vectors = build / "paragraphs.npy"
    vectors.write_bytes(vectors.read_bytes()[:200])


def _garble_faiss(build: Path) -> None:
    faiss_file = build / "paragraphs.faiss"
    raw = faiss_file.read_bytes()
    faiss_file.write_bytes(b"\0" * 64 + raw[64:])  # same size: only reading it can tell


def _garble_paragraphs(build: Path) -> None:
    offsets = build / "paragraphs" / "offsets.npy"
    offsets.write_bytes(b"x" * len(offsets.read_bytes()))  # same size: only reading it can tell


def _manifest_count(build: Path) -> None:
    manifest = json.loads((build / "manifest.json").read_text())
    manifest["paragraphs"] += 1
    (build / "manifest.json").write_text(json.dumps(manifest))


def _manifest_files(build: Path) -> None:
    (build / "stray.bin").write_bytes(b"left over")


def _manifest_missing(build: Path) -> None:
    (build / "manifest.json").unlink()


def _other_model(build: Path) -> None:
    manifest = json.loads((build / "manifest.json").read_text())
    manifest["model"] = "sentence-transformers/all-mpnet-base-v2"
    (build / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("damage, message", [
    (_truncate, r"damaged \(paragraphs.npy has 200 bytes, the manifest records [\d,]+\)"),
    (_garble_faiss, r"damaged \(RuntimeError"),
    (_garble_paragraphs, r"damaged \(ValueError"),
    (_manifest_count, r"damaged \(the files disagree with the manifest on sizes\)"),
    (_manifest_files, r"damaged \(stray.bin is not part of the build\)"),
    (_manifest_missing, r"missing or damaged manifest"),
    (_other_model, r"built with model 'sentence-transformers/all-mpnet-base-v2'"),
])
def test_storybot_run_refuses_a_broken_index_with_the_fix(live_index, embedder, monkeypatch, damage, message):
    sources, index_dir = live_index
    damage(current_build(index_dir))
    output, api = _run_bot(sources, index_dir, embedder, monkeypatch)
    assert output.exit_code == 2
    [line] = output.stderr.strip().splitlines()
    assert line.startswith(f"storybot: the index in {index_dir} ") and re.search(message, line), line
    assert FIX in line
    assert [c.method for c in api.calls] == ["getMe"]  # the token was checked; nothing served


def test_storybot_run_refuses_an_index_of_another_dimension(tmp_path, embedder, monkeypatch):
    """Same model name, vectors of another size (the model directory was swapped): refused."""
    index_dir = tmp_path / "index"
    build_index(SOURCES, index_dir, StubEmbedder(embedder.name, 8))
    output, api = _run_bot(SOURCES, index_dir, embedder, monkeypatch)
    assert output.exit_code == 2
    assert output.stderr.strip() == (
        f"storybot: the index in {index_dir} holds 8-dimensional vectors, but model {embedder.name!r} makes "
        f"{embedder.dimension}-dimensional ones; rebuild it with `storybot index build --index {index_dir}`")


def _run_bot(sources: Path, index_dir: Path, embedder, monkeypatch):
    """`storybot run` in-process against a fake Bot API, with the session's model."""
    monkeypatch.setattr("storybot.index.service.Embedder", lambda *args, **kwargs: embedder)
    with FakeBotAPI(token="123:abcdefgh") as api:
        env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url}
        result = CliRunner().invoke(cli, ["run", "--sources", str(sources), "--index", str(index_dir)], env=env)
    return result, api


# ---------------------------------------------------------------------------------------------
# Hot reload


def _says_48000(text: str) -> bool:
    return "48,000" in text


async def test_the_running_bot_switches_to_a_new_build_and_in_flight_questions_finish(live_index, embedder, caplog):
    sources, index_dir = live_index
    engine = Engine(load_index(index_dir), embedder)
    gated = GatedEngine(engine)  # "(slow)" questions are held in the old engine's search
    async with live_bot(gated, user_rate_limit=0) as bot:
        service = bot.service
        watcher = IndexWatcher(index_dir, engine, lambda new: setattr(service, "engine", new), interval=0.05)
        with watcher:
            [before] = await bot.send(bot.api.push_message, NEW_QUESTION)
            assert not _says_48000(before.visible_text)
            in_flight = [bot.api.push_message(f"{COUNT_QUESTION} (slow)", user_id=100 + i) for i in range(3)]
            await bot.until(lambda: len(bot.api.calls_for("sendChatAction")) == 3, what="searches under way")
            # `storybot index build` while the bot runs — three times, so the build the held
            # questions started on is even pruned from disk.
            add_new_story(sources)
            stream = []
            for round_ in range(3):
                build = asyncio.create_task(asyncio.to_thread(build_index, sources, index_dir, embedder))
                while not build.done():  # questions keep coming while the build runs and switches
                    stream.append(bot.api.push_message(NEW_QUESTION, user_id=200 + len(stream)))
                    await asyncio.sleep(0.02)
                await build
                (sources / "harbor-festival.md").write_text(NEW_STORY + f"Update {round_ + 1}.\n", encoding="utf-8")
            await bot.until(lambda: service.engine.index.path == current_build(index_dir), what="the switch")
            assert not (engine.index.path).exists()  # pruned
            await bot.handled(bot.api.push_message(NEW_QUESTION, user_id=999))
            [after] = bot.replies(999)
            gated.release.set()
            for update in in_flight + stream:
                await bot.handled(update)
    assert _says_48000(after.visible_text)
    for update in in_flight:  # answered from the build they started on
        [reply] = bot.replies(update["message"]["chat"]["id"])
        assert "87 countries" in reply.visible_text
    answers = [bot.replies(u["message"]["chat"]["id"]) for u in stream]
    assert all(len(a) == 1 for a in answers)  # each once, old index or new, never an error
    # Old index: the story doesn't say (worded for the stories the bot has by the time it replies).
    assert all(_says_48000(a[0].visible_text) or a[0].visible_text.startswith(("The story doesn’t say",
                                                                               "The stories don’t say"))
               for a in answers)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("breakage", ["truncated", "flipped bit", "other model", "other dimension"])
def test_a_broken_new_build_is_refused_and_the_old_one_kept(live_index, embedder, caplog, breakage):
    sources, index_dir = live_index
    engine = Engine(load_index(index_dir), embedder)
    switched = []
    watcher = IndexWatcher(index_dir, engine, switched.append)
    add_new_story(sources)
    if breakage == "truncated":
        build_index(sources, index_dir, embedder)
        _truncate(current_build(index_dir))
        expected = "damaged (paragraphs.npy has 200 bytes, the manifest records"
    elif breakage == "flipped bit":  # same size: the watcher reads every byte, off the question path
        build_index(sources, index_dir, embedder)
        _flip_a_bit(current_build(index_dir))
        expected = "does not match its checksum"
    elif breakage == "other model":
        build_index(sources, index_dir, StubEmbedder("some/other-model", embedder.dimension))
        expected = "built with model 'some/other-model'"
    else:  # built elsewhere (by a process whose model directory had changed), then made current
        build_index(sources, index_dir.parent / "elsewhere", StubEmbedder(embedder.name, 8))
        foreign = index_dir / "builds" / "foreign"
        shutil.move(current_build(index_dir.parent / "elsewhere"), foreign)
        (index_dir / "next").symlink_to(foreign.relative_to(index_dir))
        os.replace(index_dir / "next", index_dir / "current")
        expected = "holds 8-dimensional vectors"
    caplog.set_level(logging.INFO, logger="storybot.index.storage.reload")
    assert watcher.check() is None and watcher.check() is None
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]  # said once, clearly
    assert expected in error.getMessage() and "still answering from" in error.getMessage()
    assert switched == [] and watcher.engine is engine
    assert not _says_48000(engine.ask(NEW_QUESTION).passages[0].text)
    # The next sound build is taken.
    (sources / "harbor-festival.md").write_text(NEW_STORY + "Rebuilt.\n", encoding="utf-8")
    build_index(sources, index_dir, embedder)
    [new] = [watcher.check()]
    assert switched == [new] and _says_48000(new.ask(NEW_QUESTION).passages[0].text)


@pytest.mark.slow
def test_storybot_index_build_reaches_a_running_storybot_run(live_index, tmp_path):
    """The real thing: `storybot run` answering while `storybot index build` adds a story."""
    sources, index_dir = live_index
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYBOT_", "TELEGRAM_"))}
    env.update(HF_HUB_OFFLINE="1", STORYBOT_INDEX_RELOAD_SECONDS="0.2", STORYBOT_DATA_DIR=str(tmp_path / "data"))
    command = [sys.executable, "-m", "storybot"]
    where = ["--sources", str(sources), "--index", str(index_dir)]
    with FakeBotAPI(token="123:abcdefgh") as api:
        env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url)
        bot_log = (tmp_path / "bot.log").open("w+")  # a file, not a pipe nobody reads until the end
        bot = subprocess.Popen(command + ["run", *where], cwd=ROOT, env=env, stdout=bot_log, stderr=bot_log)
        try:
            api.wait_for_sync("setMyCommands", timeout=240)
            api.push_message(NEW_QUESTION)
            api.wait_for_sync("sendMessage", timeout=60)
            add_new_story(sources)
            build = subprocess.Popen(command + ["index", "build", *where], cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            asked = 1
            while build.poll() is None:  # the bot keeps answering while the index is rebuilt
                api.push_message(NEW_QUESTION, user_id=300 + asked)
                asked += 1
                time.sleep(0.1)
            assert build.wait() == 0, build.stderr.read()
            deadline = time.monotonic() + 60
            while True:  # ask until the answer comes from the new build
                api.push_message(NEW_QUESTION, user_id=300 + asked)
                asked += 1
                api.wait_for_sync("sendMessage", count=asked, timeout=60)
                if "48,000" in api.sent_messages()[-1].visible_text or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=60)
    err = (tmp_path / "bot.log").read_text()
    assert bot.returncode == 0, err
    assert "48,000" not in api.sent_messages()[0].visible_text
    assert "48,000" in api.sent_messages()[-1].visible_text
    assert len(api.calls_for("sendMessage")) == asked and not api.failed_calls  # every question, once
    assert "switched to index build" in err


# ---------------------------------------------------------------------------------------------
# Incremental builds


def _story(i: int) -> str:
    return (f"---\ntitle: Council of town {i} votes on its budget\noutlet: Gazette {i}\n---\n"
            + "\n".join(f"The council of town {i} met on day {j} and voted {j + i} to {i}. "
                        f"The mayor of town {i} welcomed decision {j}." for j in range(3)) + "\n")


def test_adding_one_story_to_a_large_sources_dir_embeds_only_that_story(tmp_path, embedder):
    sources, index_dir = tmp_path / "sources", tmp_path / "index"
    sources.mkdir()
    for i in range(30):
        (sources / f"town-{i:02d}.md").write_text(_story(i), encoding="utf-8")
    build_index(sources, index_dir, embedder)
    before = embedder.encoded_texts
    add_new_story(sources)
    build_index(sources, index_dir, embedder)
    [story] = [s for s in load_sources(sources) if s.id == "harbor-festival"]
    texts = {embed_text(story.title, p.text) for p in story.paragraphs}
    assert embedder.encoded_texts - before == len(texts) == 2  # two one-sentence paragraphs, of 30 × 3 + 2
    # Changing one paragraph of one story re-embeds that paragraph (its sentences come from the same pass).
    before = embedder.encoded_texts
    path = sources / "town-07.md"
    path.write_text(path.read_text().replace("welcomed decision 2.", "welcomed decision 2 warmly."), encoding="utf-8")
    build_index(sources, index_dir, embedder)
    assert embedder.encoded_texts - before == 1  # the changed paragraph, nothing else
    assert len(load_index(index_dir).paragraphs) == 30 * 3 + 2


# ---------------------------------------------------------------------------------------------
# `index status` finds damage; `index build` repairs it


def _cli(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def _where(sources: Path, index_dir: Path) -> list[str]:
    return ["--sources", str(sources), "--index", str(index_dir)]


def _flip_a_bit(build: Path) -> None:
    vectors = build / "paragraphs.npy"
    raw = bytearray(vectors.read_bytes())
    raw[-7] ^= 0x10  # inside the last vector: same size, same header, one value changed
    vectors.write_bytes(bytes(raw))


def _delete_faiss(build: Path) -> None:
    (build / "paragraphs.faiss").unlink()


@pytest.mark.parametrize("damage, problem", [
    (_truncate, r"paragraphs.npy has 200 bytes, the manifest records [\d,]+"),
    (_delete_faiss, r"paragraphs.faiss is missing"),
])
def test_index_status_reports_a_damaged_index_with_exit_2(live_index, damage, problem):
    sources, index_dir = live_index
    assert _cli("index", "status", *_where(sources, index_dir)).exit_code == 0
    damage(current_build(index_dir))
    for full in ([], ["--full"]):
        result = _cli("index", "status", *_where(sources, index_dir), *full)
        assert result.exit_code == 2, result.output
        assert re.match(rf"damaged: {problem} \(17 paragraphs", result.stdout), result.stdout


def test_a_flipped_bit_is_caught_by_the_full_check_only(live_index):
    sources, index_dir = live_index
    _flip_a_bit(current_build(index_dir))
    quick = _cli("index", "status", *_where(sources, index_dir))
    assert quick.exit_code == 0 and quick.stdout.startswith("ok (")  # sizes are all right
    full = _cli("index", "status", *_where(sources, index_dir), "--full")
    assert full.exit_code == 2
    assert full.stdout.startswith("damaged: paragraphs.npy does not match its checksum")


def test_index_status_help_says_the_full_check_is_slower():
    result = _cli("index", "status", "--help")
    assert "--full" in result.output and "slower" in result.output


@pytest.mark.parametrize("damage, reembedded", [(_truncate, 17), (_delete_faiss, 0), (_flip_a_bit, 17)])
def test_index_build_repairs_a_damaged_index_reusing_only_sound_files(live_index, embedder, monkeypatch,
                                                                       damage, reembedded):
    sources, index_dir = live_index
    sound = np.asarray(load_index(index_dir).paragraph_vectors)
    damage(current_build(index_dir))
    monkeypatch.setattr("storybot.cli.make_embedder", lambda settings: embedder)
    before = embedder.encoded_texts
    result = _cli("index", "build", *_where(sources, index_dir))
    assert result.exit_code == 0, result.output
    assert "is damaged (" in result.stderr and "rebuilding it" in result.stderr
    # Vectors whose file failed its check are embedded again, not copied; sound ones are reused.
    assert embedder.encoded_texts - before == reembedded
    assert _cli("index", "status", *_where(sources, index_dir), "--full").exit_code == 0
    assert np.allclose(np.asarray(load_index(index_dir).paragraph_vectors), sound, atol=1e-5)
    again = _cli("index", "build", *_where(sources, index_dir))
    assert again.exit_code == 0 and "up to date" in again.stderr


def test_an_index_built_before_checksums_loads_and_a_build_adds_them(live_index, embedder, monkeypatch):
    """Old manifests (sizes, no checksums) still load and serve; `index status` says a build is
    due (exit 1) and `index build` adds the checksums, re-embedding nothing."""
    sources, index_dir = live_index
    manifest_path = current_build(index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["checksums"], manifest["skipped"]
    manifest_path.write_text(json.dumps(manifest))
    assert len(load_index(index_dir).paragraphs) == 17
    status = _cli("index", "status", *_where(sources, index_dir))
    assert status.exit_code == 1 and status.stdout.startswith("stale: built before storybot recorded checksums")
    monkeypatch.setattr("storybot.cli.make_embedder", lambda settings: embedder)
    before = embedder.encoded_texts
    assert _cli("index", "build", *_where(sources, index_dir)).exit_code == 0
    assert embedder.encoded_texts == before
    assert load_index(index_dir).manifest.checksums
    assert _cli("index", "status", *_where(sources, index_dir), "--full").exit_code == 0


# ---------------------------------------------------------------------------------------------
# Building where nothing can be written fails at once


def _no_model(settings):
    raise AssertionError("the model was loaded before the index directory was checked")


def test_index_build_under_a_regular_file_fails_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setattr("storybot.cli.make_embedder", _no_model)
    (tmp_path / "data").write_text("not a directory")
    result = _cli("index", "build", *_where(SOURCES, tmp_path / "data" / "index"))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line == (f"storybot: cannot build the index in {tmp_path / 'data' / 'index'}: {tmp_path / 'data'} is not "
                    "a directory; point --index or STORYBOT_INDEX at a writable directory")


def _read_only(monkeypatch) -> None:
    """What access(2) says on a read-only mount (EROFS, even for root): no write permission."""
    real_access, real_statvfs = os.access, os.statvfs
    monkeypatch.setattr("storybot.index.storage.store.os.access",
                        lambda path, mode: False if mode & os.W_OK else real_access(path, mode))

    class ReadOnly:
        def __init__(self, path):
            self.f_flag = real_statvfs(path).f_flag | os.ST_RDONLY

    monkeypatch.setattr("storybot.index.storage.store.os.statvfs", ReadOnly)


def test_index_build_into_a_read_only_index_fails_before_any_work(live_index, monkeypatch):
    sources, index_dir = live_index
    add_new_story(sources)  # stale: a build is due
    monkeypatch.setattr("storybot.cli.make_embedder", _no_model)
    _read_only(monkeypatch)
    result = _cli("index", "build", *_where(sources, index_dir))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line == (f"storybot: cannot build the index in {index_dir}: {index_dir / 'builds'} is not writable "
                    "(read-only file system); point --index or STORYBOT_INDEX at a writable directory")


def test_ask_with_no_index_on_a_read_only_disk_fails_before_loading_the_model(tmp_path, monkeypatch):
    _read_only(monkeypatch)
    monkeypatch.setattr("storybot.index.service.Embedder", _no_model)
    result = _cli("ask", NEW_QUESTION, *_where(SOURCES, tmp_path / "index"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith(
        f"storybot: cannot build the index in {tmp_path / 'index'}: {tmp_path} is not writable (read-only file system)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through directory permissions; "
                                              "the tests above simulate the refusal instead")
def test_index_build_into_a_directory_without_write_permission(tmp_path, monkeypatch):
    monkeypatch.setattr("storybot.cli.make_embedder", _no_model)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result = _cli("index", "build", *_where(SOURCES, locked / "index"))
    assert result.exit_code == 2
    assert "is not writable (permission denied)" in result.stderr


# ---------------------------------------------------------------------------------------------
# A bad story file is skipped, not fatal (unless --strict)

BAD_FILES = {
    "no paragraphs": ("---\ntitle: Empty story\n---\n\n", r"bad\.md:4: the story has no paragraphs"),
    "not UTF-8": (b"---\ntitle: T\n---\nGood line\n\xff\xfe bad\n", r"bad\.md:5: not UTF-8"),
    "broken front matter": ("---\ntitle: [unclosed\n---\nText\n", r"bad\.md:\d+: broken front matter"),
    "url not a url": ("---\ntitle: T\nurl: not a url\n---\nText.\n", r"bad\.md:3: front matter 'url' is not a web address"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_story_file_is_skipped_and_the_others_served(live_index, embedder, monkeypatch, kind):
    sources, index_dir = live_index
    content, error = BAD_FILES[kind]
    bad = sources / "bad.md"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    add_new_story(sources)
    monkeypatch.setattr("storybot.cli.make_embedder", lambda settings: embedder)
    result = _cli("index", "build", *_where(sources, index_dir))
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if "warning" in line]
    assert re.match(rf"storybot: warning: skipped {re.escape(str(sources))}/{error}", warning), warning
    assert "from 2 stories" in result.stderr
    status = _cli("index", "status", *_where(sources, index_dir))
    assert status.exit_code == 0
    assert re.search(rf"^skipped .*/{error}", status.stdout, re.MULTILINE), status.stdout
    monkeypatch.setattr("storybot.index.service.Embedder", lambda *args, **kwargs: embedder)
    answer = _cli("ask", "--json", NEW_QUESTION, *_where(sources, index_dir))
    assert answer.exit_code == 0 and "48,000" in json.loads(answer.stdout)["passages"][0]["text"]
    # --strict (CI, the Docker build) refuses it, naming file and line, and leaves the index as it was.
    build = current_build(index_dir)
    strict = _cli("index", "build", "--strict", *_where(sources, index_dir))
    assert strict.exit_code == 2
    assert re.match(rf"storybot: {re.escape(str(sources))}/{error}", strict.stderr.strip()), strict.stderr
    assert current_build(index_dir) == build
    # Fixing the file makes the index stale; the next build takes it in.
    bad.write_text("---\ntitle: Fixed story\n---\nThe fixed story has one paragraph.\n")
    assert _cli("index", "status", *_where(sources, index_dir)).exit_code == 1
    assert _cli("index", "build", "--strict", *_where(sources, index_dir)).exit_code == 0
    assert {"bad", "harbor-festival"} <= set(load_index(index_dir).stories)


def test_ask_builds_around_a_bad_file_and_warns(live_index, embedder, monkeypatch):
    """The case from the issue: one empty story made every `ask` fail."""
    sources, index_dir = live_index
    (sources / "empty.md").write_text("---\ntitle: Empty story\n---\n")
    add_new_story(sources)
    monkeypatch.setattr("storybot.index.service.Embedder", lambda *args, **kwargs: embedder)
    answer = _cli("ask", "--json", NEW_QUESTION, *_where(sources, index_dir))
    assert answer.exit_code == 0, answer.output
    assert "48,000" in json.loads(answer.stdout)["passages"][0]["text"]
    assert f"storybot: warning: skipped {sources / 'empty.md'}:4: the story has no paragraphs" in answer.stderr


def test_a_build_where_every_story_file_is_bad_fails(tmp_path, embedder, monkeypatch):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.md").write_text("---\ntitle: A\n---\n")
    (sources / "b.txt").write_bytes(b"\xff\n")
    monkeypatch.setattr("storybot.cli.make_embedder", lambda settings: embedder)
    result = _cli("index", "build", *_where(sources, tmp_path / "index"))
    assert result.exit_code == 2
    line = result.stderr.strip().splitlines()[-1]  # (after the progress bar: issue 12 item 7 is elsewhere)
    assert line.startswith(f"storybot: none of the 2 story file(s) in {sources} is usable; the first: {sources / 'a.md'}:4")


def test_the_docker_build_is_strict():
    assert "RUN storybot index build --strict\n" in (ROOT / "Dockerfile").read_text()
