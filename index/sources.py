"""Read story files from a sources directory into `Story` models.

A source is a `.md` file with YAML front matter between `---` lines (title, outlet, optional url,
published, author) or a plain `.txt` file. The body holds one paragraph per non-empty line; a
leading Markdown bullet ("- ") is list markup, not words, so it is not part of the quoted text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from storybot.index.errors import SourceError
from storybot.index.models import Paragraph, Story
from storybot.index.sentences import split_sentences
from storybot.index.speakers import find_speaker

SUFFIXES = (".md", ".txt")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def valid_story_id(story_id: str) -> bool:
    """Whether `story_id` can name a story file (letters, digits, '-' and '_', at most 40 characters)."""
    return bool(_ID.match(story_id))


_BULLET = re.compile(r"^[-*•]\s+")
_FRONT_MATTER_KEYS = {"title", "outlet", "url", "published", "author"}


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
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_checksums(sources_dir: Path) -> dict[str, str]:
    """Story id -> sha256 of its file: what decides whether an index is stale."""
    return {p.stem: checksum(p) for p in source_files(sources_dir)}


def load_sources(sources_dir: Path) -> list[Story]:
    """Load every story in `sources_dir`; raise SourceError naming the file and line on bad input."""
    stories = [load_story(p) for p in source_files(sources_dir)]
    seen: dict[str, str] = {}
    for story in stories:
        if story.id in seen:
            raise SourceError(f"{story.path}: story id {story.id!r} is also used by {seen[story.id]}; rename one file")
        seen[story.id] = story.path
    return stories


def load_story(path: Path) -> Story:
    raw = path.read_bytes()
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
    lines = body.split("\n")
    paragraphs: list[Paragraph] = []
    for line in lines:
        line = _BULLET.sub("", line.strip())
        if not line:
            continue
        paragraphs.append(
            Paragraph(
                story=story_id,
                number=len(paragraphs) + 1,
                text=line,
                sentences=split_sentences(line),
                speaker=find_speaker(line),
            )
        )
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
    unknown = set(meta) - _FRONT_MATTER_KEYS
    if unknown:
        raise SourceError(f"{path}: unknown front matter key(s) {', '.join(sorted(map(str, unknown)))}; "
                          f"allowed: {', '.join(sorted(_FRONT_MATTER_KEYS))}")
    for key, value in meta.items():
        if isinstance(value, (list, dict)):
            raise SourceError(f"{path}: front matter {key!r} must be a single value")
    if path.suffix.lower() == ".md" and not meta.get("title"):
        raise SourceError(f"{path}:2: front matter needs a 'title'")
    clean = {k: str(v).strip() for k, v in meta.items() if v is not None and str(v).strip()}
    return clean, "\n".join(lines[end + 1:]), end + 3
