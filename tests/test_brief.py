"""/brief's engine and `storybot brief`: verbatim key points, in story order, within one Telegram message."""

import json
import shutil

import pytest

from storybot.testing.paths import FIXTURES, SECOND_STORY_ID, SOURCES, STORY_ID
from test_cli import CONTRACT_KEYS, storybot

TELEGRAM_LIMIT = 4096


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[str]:
    index_dir = tmp_path_factory.mktemp("brief-cli") / "index"
    result = storybot("index", "build", "--sources", str(SOURCES), "--index", str(index_dir))
    assert result.returncode == 0, result.stderr
    return ["--sources", str(SOURCES), "--index", str(index_dir)]


def _story_paragraphs(path) -> list[str]:
    from storybot.index.storage.sources import load_story

    return [p.text for p in load_story(path).paragraphs]


def _assert_good_brief(brief: dict, paragraphs: list[str]) -> None:
    points = brief["points"]
    assert 3 <= len(points) <= 6
    numbers = [p["paragraph"] for p in points]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)  # story order, no repeats
    for point in points:
        assert set(point) == CONTRACT_KEYS
        assert point["text"] == paragraphs[point["paragraph"] - 1]  # the paragraph, verbatim
        assert point["highlight"] and point["highlight"] in point["text"]  # the point, a verbatim sentence
    assert numbers[0] == 1  # the lede leads
    message = "\n".join([f"{brief['title']} — {brief['outlet']}"] + [
        f"{i}. {p['highlight']}\n   — {p['speaker'] or ''}, ¶{p['paragraph']}" for i, p in enumerate(points, 1)])
    assert len(message) <= TELEGRAM_LIMIT


def test_brief_json_is_verbatim_ordered_and_fits_one_message(built):
    result = storybot("brief", "--json", *built)
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)
    assert set(brief) == {"source", "title", "outlet", "points"}
    assert brief["source"] == STORY_ID and brief["outlet"] == "Axios"
    _assert_good_brief(brief, _story_paragraphs(SOURCES / f"{STORY_ID}.md"))
    numbers = [p["paragraph"] for p in brief["points"]]
    # the story's own labelled context ("The big picture:", "Catch up quick:") is in; the "Go deeper" link is not
    assert {2, 3} <= set(numbers) and 17 not in numbers
    # both sides speak: a Ukrainian and an Israeli source
    speakers = " ".join(p["speaker"] or "" for p in brief["points"][1:])
    assert "Ukrainian" in speakers and ("Israeli" in speakers or "Netanyahu" in speakers)


def test_brief_for_the_terminal_has_a_header_and_numbered_points(built):
    result = storybot("brief", *built)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Netanyahu asked Zelensky") and "Axios" in result.stdout
    assert "1. Israeli Prime Minister Benjamin Netanyahu" in result.stdout and "¶3" in result.stdout


def test_several_stories_need_a_choice(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SOURCES / f"{STORY_ID}.md", sources)
    shutil.copy(FIXTURES / "stories" / f"{SECOND_STORY_ID}.md", sources)
    flags = ["--sources", str(sources), "--index", str(tmp_path / "index")]
    unchosen = storybot("brief", *flags)
    assert unchosen.returncode == 2
    assert "--source" in unchosen.stderr and STORY_ID in unchosen.stderr and SECOND_STORY_ID in unchosen.stderr
    chosen = storybot("brief", "--json", "--source", SECOND_STORY_ID, *flags)
    assert chosen.returncode == 0, chosen.stderr
    brief = json.loads(chosen.stdout)
    assert brief["source"] == SECOND_STORY_ID and brief["outlet"] == "Riverton Gazette"
    _assert_good_brief(brief, _story_paragraphs(FIXTURES / "stories" / f"{SECOND_STORY_ID}.md"))
    unknown = storybot("brief", "--source", "nope", *flags)
    assert unknown.returncode == 2 and "no story with id 'nope'" in unknown.stderr


def test_labels_links_and_sides():
    from storybot.index.answering.brief import _is_statement, _labelled
    from storybot.index.models import Paragraph

    def paragraph(text: str, speaker: str | None = None) -> Paragraph:
        return Paragraph(story="s", number=2, text=text, sentences=[text], speaker=speaker)

    assert _labelled(paragraph("Why it matters: The vote sets up a court fight over the occupation."))
    assert _labelled(paragraph("What they're saying: \"We will not attend,\" the official said."))
    assert not _labelled(paragraph("Netanyahu's office told Axios: \"Prime Minister Netanyahu spoke to him.\""))
    assert not _is_statement(paragraph("Go deeper: Ukraine officially asks Israel for Iron Dome, other defense systems"))


def test_a_story_without_labels_still_gets_lede_and_sides(tmp_path):
    from storybot.index.answering.brief import _choose
    from storybot.index.storage.sources import load_story

    path = tmp_path / "plain.md"
    path.write_text(
        "---\ntitle: Plain story\n---\n"
        "The city opened a new library on Monday after three years of construction.\n"
        "The building cost $12 million and has room for 200,000 books.\n"
        "\"This is a great day for our readers,\" Mayor Ana Ruiz said at the opening.\n"
        "Critics said the money should have gone to schools, a council member told reporters.\n"
        "The library will be open seven days a week.\n", encoding="utf-8")
    story = load_story(path)
    chosen = sorted(_choose(story.paragraphs), key=lambda c: c[0].number)
    numbers = [p.number for p, _, _ in chosen]
    assert numbers[0] == 1 and 3 <= len(numbers) <= 6
    assert 3 in numbers and 4 in numbers  # the mayor and her critics


def test_a_point_never_stops_inside_a_quotation(tmp_path):
    from storybot.index.answering.brief import _choose
    from storybot.index.storage.sources import load_story

    path = tmp_path / "quotes.md"
    path.write_text(
        "---\ntitle: Quotes\n---\n"
        "“The two sides weren’t satisfied. Nobody got what they wanted,” the mediator said on Friday. "
        "Talks resume next week.\n"
        "\"We tried everything. It was not enough. We will try again,\" Mayor Ana Ruiz said after the vote.\n"
        "“Nothing was agreed. We keep talking,\" a union official told reporters. The strike goes on.\n"
        "The council said on Monday the budget would be cut by a tenth across all departments.\n"
        "“This is the first part of a quote that runs on. It continues in the next paragraph, "
        "as news stories do, said the senior union official who asked not to be named.\n", encoding="utf-8")
    story = load_story(path)
    points = {p.number: sentence for p, sentence, _ in _choose(story.paragraphs)}
    assert points[1] == "“The two sides weren’t satisfied. Nobody got what they wanted,” the mediator said on Friday."
    assert points[2] == story.paragraphs[1].text  # a straight-quoted quote of three sentences, whole
    assert points[3] == "“Nothing was agreed. We keep talking,\" a union official told reporters."  # “…" mixed
    assert set(points) >= {1, 2, 3}
    open_to_the_end = next(s for p, s, _ in _choose(story.paragraphs[4:]))
    assert open_to_the_end == story.paragraphs[4].text  # the quote runs on: the whole paragraph, whole sentences
