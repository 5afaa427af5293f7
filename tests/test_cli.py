"""The `storybot` command end to end, as a user runs it (subprocesses)."""

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storybot.testing.paths import ROOT, SOURCES, STORY_ID

STORYBOT = [sys.executable, "-m", "storybot"]
CONTRACT_KEYS = {"source", "title", "outlet", "paragraph", "text", "highlight", "speaker", "score", "speaker_role"}


def storybot(*args: str | bytes, stdin: str | bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the command; stdin and arguments may be bytes (what a shell passes on), output is text."""
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    full_env.pop("STORYBOT_INDEX", None)
    full_env.setdefault("STORYBOT_RECORD_QUESTIONS", "0")  # declined questions stay out of the checkout's data/
    if isinstance(stdin, str):
        stdin = stdin.encode()
    result = subprocess.run([*STORYBOT, *args], input=stdin, capture_output=True, cwd=ROOT, env=full_env, timeout=300)
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


def json_lines(stdout: str) -> list[dict]:
    """Every stdout line as JSON, checking that each is written the one way answers are."""
    parsed = [json.loads(line) for line in stdout.splitlines()]
    for line, data in zip(stdout.splitlines(), parsed):
        assert line == json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return parsed


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


def test_help_shows_defaults_and_flags_take_no_value():
    help_text = " ".join(storybot("ask", "--help").stdout.split())  # as one line, whatever the wrapping
    assert "Passages to return [env STORYBOT_TOP_K; default 3]." in help_text
    assert "Story directory [env STORYBOT_SOURCES; default sources]" in help_text
    assert "Index directory [env STORYBOT_INDEX; default data/index]" in help_text
    assert "<bool>" not in help_text
    assert "--json Print the answer as JSON" in help_text  # no value between the flag and its help
    for command in ("check", "brief"):
        assert "--json Print the" in " ".join(storybot(command, "--help").stdout.split())


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


def test_batch_error_lines_echo_what_was_given_short_and_like_answer_lines(built):
    long_question = "How many countries voted? " + "x" * 100_000
    lines = ['{"question": 5}', "{not json", long_question, json.dumps({"question": "q", "source": 7}),
             "How many countries voted in favor of the resolution?"]
    result = storybot("ask", "--json", "-", *built, stdin="\n".join(lines) + "\n")
    assert result.returncode == 2
    out = json_lines(result.stdout)
    assert [o["question"] for o in out[:2]] == [None, None]  # no question string given: null, not ""
    assert out[2]["question"] == long_question[:200] + "…" and "too long" in out[2]["error"]
    assert out[3] == {"question": "q", "error": 'line 4: not a usable JSON question ("source" must be a string)'}
    assert out[4]["answered"] is True


def test_bad_text_in_a_batch_spoils_only_its_own_line(built):
    stdin = (b"how many countries voted in favor\n"
             b"how \xff many\n"
             b'{"question": "how many \\ud800 countries"}\n'
             b"how\x00 many\x07\n"
             b"when was netanyahu sworn in\n")
    result = storybot("ask", "--json", "-", *built, stdin=stdin)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    out = json_lines(result.stdout)
    assert len(out) == 5 and out[0]["answered"] and out[4]["answered"]
    assert out[1]["error"] == "line 2: the question is not valid UTF-8 (byte 0xFF at character 5); send it as UTF-8 text"
    assert out[1]["question"] == "how \ufffd many"  # what was given, as far as it can be written
    assert out[2]["error"].startswith("line 3: the question holds a lone surrogate (U+D800 at character 10)")
    assert out[3]["error"].startswith("line 4: the question holds a control character (U+0000 at character 4)")
    assert result.stderr == "storybot: 3 line(s) failed (see the \"error\" objects)\n"
    readable = storybot("ask", "-", *built, stdin=stdin)
    assert readable.returncode == 2 and readable.stdout.count("Q: ") == 2
    assert "storybot: line 2: the question is not valid UTF-8" in readable.stderr


def test_bad_text_in_a_claim_batch_spoils_only_its_own_line(built):
    stdin = b"87 countries voted in favor\nhow \xff many\n" + json.dumps({"claim": "a\ud800b"}).encode() + b"\n"
    result = storybot("check", "--json", "-", *built, stdin=stdin)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    out = json_lines(result.stdout)
    assert out[0]["verdict"] == "supported"
    assert out[1] == {"claim": "how \ufffd many",
                      "error": "line 2: the claim is not valid UTF-8 (byte 0xFF at character 5); send it as UTF-8 text"}
    assert "lone surrogate" in out[2]["error"]


def test_random_bytes_get_an_object_per_line(built):
    noise = random.Random(12).randbytes(20_000)
    result = storybot("ask", "--json", "-", *built, stdin=noise)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    out = json_lines(result.stdout)
    asked = [line for line in noise.split(b"\n") if line.decode("utf-8", "surrogateescape").strip()]
    assert len(out) == len(asked)
    assert all("error" in o or "answered" in o for o in out)


def test_an_argument_that_is_not_utf8_is_one_error_line():
    result = storybot(b"ask", b"how \xff many")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "storybot: the question is not valid UTF-8 (byte 0xFF at character 5); send it as UTF-8 text\n"


def test_ask_and_check_write_nothing_to_stderr_when_all_is_well(built):
    for args in (["ask", "How many countries voted in favor of the resolution?"],
                 ["check", "--json", "87 countries voted in favor"]):
        result = storybot(*args, *built)
        assert result.returncode == 0 and result.stdout
        assert result.stderr == ""


def test_a_failed_build_prints_the_error_and_no_progress_bar(tmp_path):
    (tmp_path / "sources").mkdir()
    result = storybot("index", "build", "--sources", str(tmp_path / "sources"), "--index", str(tmp_path / "ix"))
    assert result.returncode == 2
    assert result.stderr.startswith("storybot: ") and result.stderr.count("\n") == 1  # no "0/?" bar before it


def test_brackets_in_an_error_message_are_shown_as_typed(built):
    result = storybot("ask", "--source", "[bold]x[/]", "q", *built)
    assert result.returncode == 2
    assert "no story with id '[bold]x[/]'" in result.stderr


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


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every directory, so only a normal user can be denied")
def test_unreadable_index_dir(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0)
    result = storybot("ask", "q", "--index", str(locked))
    assert result.returncode == 2 and "permission denied" in result.stderr
