"""The `storybot` command end to end, as a user runs it (subprocesses)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storybot.testing.paths import ROOT, SOURCES, STORY_ID

STORYBOT = [sys.executable, "-m", "storybot"]
CONTRACT_KEYS = {"source", "title", "outlet", "paragraph", "text", "highlight", "speaker", "score"}


def storybot(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    full_env.pop("STORYBOT_INDEX", None)
    full_env.setdefault("STORYBOT_RECORD_QUESTIONS", "0")  # declined questions stay out of the checkout's data/
    return subprocess.run([*STORYBOT, *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
                          env=full_env, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[str]:
    """--sources/--index flags for an index built by `storybot index build`."""
    index_dir = tmp_path_factory.mktemp("cli") / "index"
    result = storybot("index", "build", "--sources", str(SOURCES), "--index", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert "indexed 17 paragraphs from 1 story" in result.stderr
    return ["--sources", str(SOURCES), "--index", str(index_dir)]


def test_help_is_the_manual():
    result = storybot("--help")
    assert result.returncode == 0
    for command in ("ask", "index"):
        assert command in result.stdout
    result = storybot("ask", "--help")
    assert "--top-k" in result.stdout and "--source" in result.stdout and "--json" in result.stdout


def test_index_build_is_idempotent(built):
    result = storybot("index", "build", *built)
    assert result.returncode == 0
    assert "up to date" in result.stderr
    assert storybot("index", "status", *built).stdout.startswith("ok")


def test_ask_json_contract(built):
    result = storybot("ask", "--json", "How many countries voted in favor of the resolution?", *built)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) >= {"question", "answered", "passages"}
    assert answer["answered"] is True
    assert len(answer["passages"]) == 3
    top = answer["passages"][0]
    assert set(top) == CONTRACT_KEYS
    assert top["paragraph"] == 3 and top["outlet"] == "Axios" and top["source"] == STORY_ID
    assert top["text"].startswith("Catch up quick: The UN General Assembly approved the resolution late Friday, with 87")
    assert top["highlight"] in top["text"]
    scores = [p["score"] for p in answer["passages"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_readable(built):
    result = storybot("ask", "--top-k", "1", "How many countries voted in favor of the resolution?", *built)
    assert result.returncode == 0
    assert "87 countries voting in favor" in result.stdout
    assert "Axios" in result.stdout and "¶3" in result.stdout


def test_batch_mode_plain_and_json_lines(built):
    lines = [
        "How many countries voted in favor of the resolution?",
        "",
        json.dumps({"question": "Who did Netanyahu call?", "source": STORY_ID}),
        '{"question": 5}',
        json.dumps({"question": "anything", "source": "no-such-story"}),
    ]
    result = storybot("ask", "--json", "--top-k", "2", "-", *built, stdin="\n".join(lines) + "\n")
    assert result.returncode == 2  # some lines failed; every line still got its output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["passages"][0]["paragraph"] == 3 and len(out[0]["passages"]) == 2
    assert out[1]["question"] == "Who did Netanyahu call?" and out[1]["passages"][0]["source"] == STORY_ID
    assert "line 4" in out[2]["error"]
    assert "no story with id 'no-such-story'" in out[3]["error"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "   "], "the question is empty"),
        (["ask", "--top-k", "0", "q"], "--top-k must be at least 1"),
        (["ask", "--top-k", "-2", "q"], "--top-k must be at least 1"),
        (["ask", "q", "--sources", "/nonexistent/dir"], "sources directory /nonexistent/dir does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = storybot(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_ask_builds_a_missing_index_and_says_so(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    result = storybot("ask", "--json", "Who called Zelensky?", "--sources", str(sources), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert "index not found" in result.stderr and "building it" in result.stderr
    assert json.loads(result.stdout)["passages"]
    (sources / f"{STORY_ID}.md").write_text("---\ntitle: T\n---\nReplaced story text.\n")
    result = storybot("ask", "--json", "What was replaced?", "--sources", str(sources), "--index", str(tmp_path / "ix"))
    assert "out of date" in result.stderr
    assert json.loads(result.stdout)["passages"][0]["text"] == "Replaced story text."


def test_index_from_another_model_is_refused(built):
    result = storybot("ask", "q", *built, env={"STORYBOT_MODEL": str(Path("/nonexistent/model"))})
    assert result.returncode == 2
    assert "was built with model" in result.stderr and "storybot index build" in result.stderr


def test_unusable_index_dir(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    result = storybot("ask", "q", "--index", str(not_a_dir))
    assert result.returncode == 2 and "is not a directory" in result.stderr
    if os.geteuid() != 0:  # root reads everything, so only a normal user can see "permission denied"
        locked = tmp_path / "locked"
        locked.mkdir(mode=0)
        result = storybot("ask", "q", "--index", str(locked))
        assert result.returncode == 2 and "permission denied" in result.stderr
