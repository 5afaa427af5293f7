"""Loading story files: front matter, paragraph numbering, bullets, and clear errors for bad files."""

import hashlib
from pathlib import Path

import pytest

from storybot.index.errors import SourceError
from storybot.index.storage.sources import load_sources, load_story

from storybot.testing.paths import SOURCES, STORY_ID

# sha256 of the story body as it was given (the seed file 000_179573f3f8b53a7a.txt): the bundled story
# must quote it byte for byte, so any edit to the body fails here.
SEED_SHA256 = "f73ede6cfd832ad2145037841dea9973efd6a857548d0d5811df2d83f270525b"


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_bundled_story_front_matter_and_paragraphs():
    [story] = load_sources(SOURCES)
    assert story.id == STORY_ID
    assert story.outlet == "Axios"
    assert story.title and story.url is None and story.author is None
    assert [p.number for p in story.paragraphs] == list(range(1, 18))
    assert story.paragraphs[2].text.startswith("Catch up quick: The UN General Assembly approved the resolution")
    assert story.paragraphs[16].text == "Go deeper: Ukraine officially asks Israel for Iron Dome, other defense systems"


def test_bundled_story_body_is_the_seed_verbatim():
    body = (SOURCES / f"{STORY_ID}.md").read_bytes().split(b"\n---\n", 1)[1]
    assert hashlib.sha256(body).hexdigest() == SEED_SHA256
    [story] = load_sources(SOURCES)
    lines = body.decode().split("\n")
    for paragraph, line in zip(story.paragraphs, lines, strict=True):
        assert line.endswith(paragraph.text)  # only the "- " bullet marker is dropped


def test_bullets_are_paragraphs_without_their_marker(tmp_path):
    story = load_story(write(tmp_path / "s.md", "---\ntitle: T\n---\nLede.\n\n- First point.\n* Second point.\n"))
    assert [p.text for p in story.paragraphs] == ["Lede.", "First point.", "Second point."]
    assert [p.number for p in story.paragraphs] == [1, 2, 3]


def test_sentences_are_verbatim_substrings():
    [story] = load_sources(SOURCES)
    for p in story.paragraphs:
        assert all(s in p.text for s in p.sentences)
    assert len(story.paragraphs[15].sentences) == 3  # Zelensky's tweet: three sentences


@pytest.mark.parametrize("text, count", [
    ("The river crested shortly after 9 a.m. Monday, nearly 10 feet above flood stage.", 1),
    ("The statement came at 2 p.m. ET. Markets fell.", 2),
    ("The vote ended at 9 p.m. The council then adjourned.", 2),
])
def test_a_time_of_day_goes_on_to_its_day_or_zone(text, count):
    from storybot.index.language.sentences import split_sentences

    assert len(split_sentences(text)) == count


def test_plain_txt_without_front_matter(tmp_path):
    story = load_story(write(tmp_path / "city-council.txt", "The council met.\nIt voted 5-2.\n"))
    assert story.id == "city-council" and story.title == "City council" and story.outlet is None
    assert len(story.paragraphs) == 2


def test_optional_keys_and_dates(tmp_path):
    story = load_story(write(tmp_path / "a.md", "---\ntitle: T\noutlet: O\nurl: https://x.example/a\npublished: 2022-12-31\n---\nText.\n"))
    assert story.url == "https://x.example/a" and story.published == "2022-12-31"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"---\ntitle: T\n---\nGood line\n\xff\xfe bad\n", r"bad\.md:5: not UTF-8"),
        ("---\ntitle: [unclosed\n---\nText\n", r"bad\.md:\d+: broken front matter"),
        ("---\ntitle: T\nText without closing\n", r"bad\.md:1: front matter is opened with '---' but never closed"),
        ("No front matter here\n", r"bad\.md:1: a \.md story must start with front matter"),
        ("---\noutlet: O\n---\nText\n", r"bad\.md:2: front matter needs a 'title'"),
        ("---\ntitle: T\ncolour: red\n---\nText\n", r"unknown front matter key\(s\) colour"),
        ("---\ntitle: T\n---\n\n\n", r"bad\.md:4: the story has no paragraphs"),
    ],
)
def test_bad_files_name_file_and_line(tmp_path, content, expected):
    with pytest.raises(SourceError, match=expected):
        load_story(write(tmp_path / "bad.md", content))


def test_missing_or_empty_sources_dir(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        load_sources(tmp_path / "nope")
    write(tmp_path / "README.md", "# how to add stories\n")
    with pytest.raises(SourceError, match="holds no stories"):
        load_sources(tmp_path)


def test_duplicate_story_ids_are_refused(tmp_path):
    write(tmp_path / "a.md", "---\ntitle: T\n---\nText\n")
    write(tmp_path / "a.txt", "Text\n")
    with pytest.raises(SourceError, match="story id 'a' is also used"):
        load_sources(tmp_path)


def test_read_sources_sets_bad_files_aside_naming_file_and_line(tmp_path):
    from storybot.index.storage.sources import read_sources

    write(tmp_path / "good.md", "---\ntitle: Good\n---\nA paragraph.\n")
    write(tmp_path / "empty.md", "---\ntitle: Empty\n---\n\n")
    found = read_sources(tmp_path)
    assert [s.id for s in found.stories] == ["good"]
    [skipped] = found.skipped
    assert skipped.file == "empty.md" and skipped.error.startswith(f"{tmp_path / 'empty.md'}:4: the story has no paragraphs")
    with pytest.raises(SourceError, match=r"empty\.md:4: the story has no paragraphs"):
        load_sources(tmp_path)  # strict


def test_a_directory_of_only_bad_files_is_an_error(tmp_path):
    from storybot.index.storage.sources import read_sources

    write(tmp_path / "empty.md", "---\ntitle: Empty\n---\n")
    with pytest.raises(SourceError, match=r"none of the 1 story file\(s\) in .* is usable: .*empty\.md:4"):
        read_sources(tmp_path)


def test_the_second_file_of_a_duplicate_id_is_the_one_skipped(tmp_path):
    from storybot.index.storage.sources import read_sources

    write(tmp_path / "a.md", "---\ntitle: T\n---\nText\n")
    write(tmp_path / "a.txt", "Text\n")
    found = read_sources(tmp_path)
    assert [s.path for s in found.stories] == [str(tmp_path / "a.md")]
    assert [s.file for s in found.skipped] == ["a.txt"]


@pytest.mark.parametrize("url", ["not a url", "example.org/story", "ftp://example.org/a", "https://", "https://exa mple.org"])
def test_url_must_be_a_web_address(tmp_path, url):
    with pytest.raises(SourceError, match=r"bad\.md:4: front matter 'url' is not a web address"):
        load_story(write(tmp_path / "bad.md", f"---\ntitle: T\noutlet: O\nurl: {url}\n---\nText.\n"))


@pytest.mark.parametrize("rule", ["---", "***", "* * *", "___", "- - -", "—"])
def test_a_line_without_words_is_not_a_paragraph(tmp_path, rule):
    story = load_story(write(tmp_path / "s.md", f"---\ntitle: T\n---\nFirst part.\n{rule}\nSecond part.\n"))
    assert [p.text for p in story.paragraphs] == ["First part.", "Second part."]
    assert [p.number for p in story.paragraphs] == [1, 2]


def test_unknown_front_matter_key_names_its_line(tmp_path):
    with pytest.raises(SourceError, match=r"bad\.md:3: unknown front matter key\(s\) colour"):
        load_story(write(tmp_path / "bad.md", "---\ntitle: T\ncolour: red\n---\nText\n"))
