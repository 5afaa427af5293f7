"""What readers asked that the story didn't say: declined questions recorded (without ids) and
grouped by meaning, by `storybot gaps` and the library under it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from storybot.index.answering.gaps import group_questions
from storybot.storage import SQLITE_FILE, Storage
from storybot.testing.paths import ROOT, SOURCES, STORY_ID

ASKED = [
    ("Who is paying for the bridge repairs?", "riverton-bridge"),
    ("When will the bridge reopen?", "riverton-bridge"),
    ("who pays for the repairs", "riverton-bridge"),
    ("When does the bridge open again?", None),
    ("Who is paying for the bridge repairs?", "riverton-bridge"),
    ("What is the weather tomorrow?", None),
    ("Who will fund the bridge work?", None),
]


def test_questions_are_grouped_by_meaning_largest_first(embedder):
    found = group_questions(ASKED, embedder)
    assert found.questions == 7
    assert [g.count for g in found.groups] == [4, 2, 1]
    paying, reopening, weather = found.groups
    assert paying.examples[0] == "Who is paying for the bridge repairs?"  # the most asked wording leads
    assert set(paying.examples) == {"Who is paying for the bridge repairs?", "who pays for the repairs",
                                    "Who will fund the bridge work?"}
    assert paying.sources == ["riverton-bridge", ""]
    assert set(reopening.examples) == {"When will the bridge reopen?", "When does the bridge open again?"}
    assert weather.examples == ["What is the weather tomorrow?"]
    assert group_questions([], embedder).groups == []


def storybot(*args: str, data_dir, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "STORYBOT_DATA_DIR": str(data_dir), **env}
    full_env.pop("STORYBOT_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "storybot", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=full_env, timeout=300)


def test_ask_records_only_declined_questions_and_gaps_groups_them(story_index_dir, tmp_path):
    where = ["--sources", str(SOURCES), "--index", str(story_index_dir)]
    questions = "\n".join(["How many countries voted in favor of the resolution?",  # answered: not kept
                           "Who won the 2018 football world cup?",
                           "Which team won the 2018 World Cup?",
                           "What is the capital of Australia?"])
    result = storybot("ask", "-", "--json", "--source", STORY_ID, *where, data_dir=tmp_path, stdin=questions)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["answered"] for line in result.stdout.splitlines()] == [True, False, False, False]
    storage = Storage.sqlite(tmp_path / SQLITE_FILE)
    assert [(q.question, q.source) for q in storage.declined_questions()] == [
        ("Who won the 2018 football world cup?", STORY_ID), ("Which team won the 2018 World Cup?", STORY_ID),
        ("What is the capital of Australia?", STORY_ID)]

    result = storybot("gaps", "--json", *where, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["questions"] == 3 and [g["count"] for g in found["groups"]] == [2, 1]
    assert found["groups"][0]["sources"] == [STORY_ID]
    result = storybot("gaps", *where, data_dir=tmp_path)
    assert result.stdout.startswith("3 declined questions in 2 groups:")
    assert "2× Who won the 2018 football world cup?" in result.stdout
    assert json.loads(storybot("gaps", "--json", "--since", "2999-01-01", *where, data_dir=tmp_path).stdout) == \
        {"questions": 0, "groups": []}
    assert json.loads(storybot("gaps", "--json", "--source", "other", *where, data_dir=tmp_path).stdout)["questions"] == 0
    bad = storybot("gaps", "--since", "last week", *where, data_dir=tmp_path)
    assert bad.returncode == 2 and "--since 'last week' is not a date" in bad.stderr


def test_recording_can_be_turned_off(story_index_dir, tmp_path):
    result = storybot("ask", "Who won the 2018 football world cup?", "--sources", str(SOURCES), "--index",
                      str(story_index_dir), data_dir=tmp_path, STORYBOT_RECORD_QUESTIONS="0")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / SQLITE_FILE).exists()
