"""Read story files from a sources directory into `Story` models.

A source is a `.md` file with YAML front matter between `---` lines (title, outlet, optional url,
published, author) or a plain `.txt` file. The body holds one paragraph per non-empty line; a
leading Markdown bullet ("- ") is list markup, not words, so it is not part of the quoted text,
and a line without a letter or digit (a Markdown rule such as `---`) is layout, not a paragraph.

A file that cannot be read as a story (not UTF-8, broken front matter, no paragraphs …) is a bad
file: `read_sources` sets it aside with the error naming file and line, so one bad file does not
take the other stories down; `load_sources` (strict) raises on it instead.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel

from storybot.index.errors import SourceError
from storybot.index.models import Paragraph, SkippedFile, Story
from storybot.index.language.sentences import split_sentences
from storybot.index.language.speakers import find_speaker, speaker_roles
from storybot.index.language.text import WORD

SUFFIXES = (".md", ".txt")
# Bumped whenever a paragraph is read differently (its sentences, sentences.py; the speaker it records,
# speakers.py): an index built before is then stale, and the next build re-reads its paragraphs (reusing the
# vectors of those whose sentences are the same). 2: "9 a.m. Monday" does not end a sentence, and in "visited
# the site and said" the site is no speaker.
PARAGRAPH_READING = 2
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def valid_story_id(story_id: str) -> bool:
    """Whether `story_id` can name a story file (letters, digits, '-' and '_', at most 40 characters)."""
    return bool(_ID.match(story_id))


_BULLET = re.compile(r"^[-*•]\s+")
_FRONT_MATTER_KEYS = {"title", "outlet", "url", "published", "author"}


class SourceSet(BaseModel):
    """The stories of a sources directory, and the files that could not be read as stories."""

    stories: list[Story]
    skipped: list[SkippedFile]


def source_files(sources_dir: Path) -> list[Path]:
    """The story files in `sources_dir`, sorted; README files are documentation, not stories."""
    if not sources_dir.is_dir():
        raise SourceError(f"sources directory {sources_dir} does not exist (set --sources or STORYBOT_SOURCES)")
    files = sorted(
        p for p in sources_dir.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES
        and not p.name.startswith(".") and p.stem.lower() != "readme"
    )
    if not files:
        raise SourceError(f"sources directory {sources_dir} holds no stories (*.md or *.txt files)")
    return files


def checksum(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable: {exc.strerror}"  # a bad file like any other: it differs from any digest


def file_checksums(sources_dir: Path) -> dict[str, str]:
    """File name -> sha256 of every story file: what decides whether an index is stale."""
    return {p.name: checksum(p) for p in source_files(sources_dir)}


def read_sources(sources_dir: Path) -> SourceSet:
    """Every story in `sources_dir`; the files that are not usable stories are set aside, each
    with its error. SourceError when the directory holds no usable story at all."""
    stories: list[Story] = []
    skipped: list[SkippedFile] = []
    seen: dict[str, str] = {}
    for path in source_files(sources_dir):
        try:
            story = load_story(path)
            if story.id in seen:
                raise SourceError(f"{path}: story id {story.id!r} is also used by {seen[story.id]}; rename one file")
        except SourceError as exc:
            skipped.append(SkippedFile(file=path.name, checksum=checksum(path), error=str(exc)))
            continue
        seen[story.id] = story.path
        stories.append(story)
    if not stories:
        first = skipped[0].error
        raise SourceError(f"none of the {len(skipped)} story file(s) in {sources_dir} is usable"
                          + (f"; the first: {first}" if len(skipped) > 1 else f": {first}"))
    return SourceSet(stories=stories, skipped=skipped)


def load_sources(sources_dir: Path) -> list[Story]:
    """Every story in `sources_dir`; SourceError naming the file and line of the first bad file."""
    found = read_sources(sources_dir)
    if found.skipped:
        raise bad_files_error(found.skipped)
    return found.stories


def bad_files_error(skipped: list[SkippedFile]) -> SourceError:
    """The error of a strict load: the first bad file's, and how many more there are."""
    more = len(skipped) - 1
    return SourceError(skipped[0].error + (f" (and {more} more bad file{'s' * (more > 1)})" if more else ""))


def load_story(path: Path) -> Story:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    story_id = path.stem
    if not _ID.match(story_id):
        raise SourceError(
            f"{path}: file name {story_id!r} is not a usable story id "
            "(letters, digits, '-' and '_', at most 40 characters)"
        )
    meta, body, body_line = _split_front_matter(path, text)
    lines = [_BULLET.sub("", line.strip()) for line in body.split("\n")]
    lines = [line for line in lines if WORD.search(line)]
    paragraphs = [
        Paragraph(story=story_id, number=number, text=line, sentences=split_sentences(line),
                  speaker=find_speaker(line), speaker_role=role)
        for number, (line, role) in enumerate(zip(lines, speaker_roles(lines)), 1)
    ]
    if not paragraphs:
        raise SourceError(f"{path}:{body_line}: the story has no paragraphs (one paragraph per non-empty line)")
    return Story(
        id=story_id,
        title=meta.get("title") or story_id.replace("-", " ").replace("_", " ").capitalize(),
        outlet=meta.get("outlet"),
        url=meta.get("url"),
        published=meta.get("published"),
        author=meta.get("author"),
        path=str(path),
        checksum=hashlib.sha256(raw).hexdigest(),
        paragraphs=paragraphs,
    )


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, str], str, int]:
    """Return (metadata, body, first line number of the body)."""
    text = text.removeprefix("\ufeff")
    first, _, rest = text.partition("\n")
    if first.strip() != "---":
        if path.suffix.lower() == ".md":
            raise SourceError(f"{path}:1: a .md story must start with front matter: a '---' line, 'title: …', '---'")
        return {}, text, 1
    lines = rest.split("\n")
    try:
        end = next(i for i, line in enumerate(lines) if line.strip() == "---")
    except StopIteration:
        raise SourceError(f"{path}:1: front matter is opened with '---' but never closed") from None
    try:
        meta = yaml.safe_load("\n".join(lines[:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SourceError(f"{path}:{line}: broken front matter: {problem}") from None
    if not isinstance(meta, dict):
        raise SourceError(f"{path}:2: front matter must be 'key: value' lines")

    def where(key: object) -> str:  # file:line of a front matter key (line 1 is the opening '---')
        number = next((i for i, line in enumerate(lines[:end]) if line.startswith(f"{key}:")), 0)
        return f"{path}:{number + 2}"

    unknown = sorted(map(str, set(meta) - _FRONT_MATTER_KEYS))
    if unknown:
        raise SourceError(f"{where(unknown[0])}: unknown front matter key(s) {', '.join(unknown)}; "
                          f"allowed: {', '.join(sorted(_FRONT_MATTER_KEYS))}")
    for key, value in meta.items():
        if isinstance(value, (list, dict)):
            raise SourceError(f"{where(key)}: front matter {key!r} must be a single value")
    if path.suffix.lower() == ".md" and not meta.get("title"):
        raise SourceError(f"{path}:2: front matter needs a 'title'")
    clean = {k: str(v).strip() for k, v in meta.items() if v is not None and str(v).strip()}
    if "url" in clean and not _is_web_address(clean["url"]):
        raise SourceError(f"{where('url')}: front matter 'url' is not a web address "
                          f"(http:// or https://…): {clean['url'][:80]!r}")
    return clean, "\n".join(lines[end + 1:]), end + 3


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)
