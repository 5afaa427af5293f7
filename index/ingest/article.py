"""`storybot add`: turn a web page, a file or pasted text into a story file, then update the index.

The article comes out of a page through trafilatura (a maintained extractor: navigation, cookie
banners, share buttons, newsletter boxes, captions, "related" lists and footers stay out), with
the metadata the page states (meta tags, JSON-LD) and nothing guessed. The story file is written
in the sources format (sources/README.md) into a hidden draft directory, read back with the
same parser the index uses, and only then renamed into place; the index is rebuilt
incrementally under a lock, and a failed build puts the previous file back.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel

from storybot.index.ingest.changes import StoryChanges, compare
from storybot.index.errors import SourceError, StorybotError
from storybot.index.ingest.fetch import FetchPolicy, fetch
from storybot.index.storage.sources import load_story, source_files, valid_story_id

MIN_ARTICLE_WORDS = 80  # less than this out of a page is a teaser, a login wall or a section front
MIN_ARTICLE_PARAGRAPHS = 2
TITLE_MAX_WORDS = 20
FILE_SUFFIXES = (".html", ".htm", ".txt", ".md")
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d{1,3}[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


class NotAnArticle(StorybotError):
    """The input holds no story text to add."""


class Article(BaseModel):
    """A story before it is written: metadata stated by the source, paragraphs in order.

    A paragraph that was a list item starts with "- " (the sources format's bullet)."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    paragraphs: list[str]


class AddedStory(BaseModel):
    """What `add` did: the JSON of `storybot add --json` is the first four fields."""

    source: str
    title: str
    outlet: str | None
    paragraphs: int
    status: Literal["added", "updated", "unchanged"]
    changes: StoryChanges
    path: str


# ---------------------------------------------------------------------------------------------
# Reading


def read_url(url: str, policy: FetchPolicy) -> Article:
    fetched = fetch(url, policy)
    if fetched.is_page:
        return read_html(fetched.body, url=fetched.url)
    return read_text(fetched.body.decode(fetched.charset or "utf-8", errors="replace"))


def read_file(path: Path) -> Article:
    suffix = path.suffix.lower()
    if suffix not in FILE_SUFFIXES:
        raise StorybotError(f"{path}: storybot adds .html, .txt and .md files (or a URL, or - for stdin)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StorybotError(f"cannot read {path}: {exc.strerror or exc}") from None
    if suffix in (".html", ".htm"):
        return read_html(raw)
    try:
        return read_text(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise StorybotError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from None


def read_html(html: bytes | str, *, url: str | None = None) -> Article:
    """The article of a web page, or NotAnArticle."""
    import trafilatura

    # Without the URL: trafilatura would name the outlet after the host name, a guess the page never stated.
    document = trafilatura.bare_extraction(
        html, with_metadata=True, favor_precision=True, include_comments=False, include_tables=False,
        include_images=False, date_extraction_params={"extensive_search": False, "original_date": True})
    title = _clean(document.title) if document is not None and document.title else None
    lines = [_clean(line) for line in (document.text or "").split("\n")] if document is not None else []
    paragraphs = [line for line in lines if _has_words(line)]
    while paragraphs and title and paragraphs[0].lower() == title.lower():  # the headline again
        paragraphs.pop(0)
    words = sum(len(p.split()) for p in paragraphs)
    if len(paragraphs) < MIN_ARTICLE_PARAGRAPHS or words < MIN_ARTICLE_WORDS:
        where = f"{url}" if url else "the page"
        raise NotAnArticle(f"{where} holds no article (found {words} words of text): a section front, a login "
                           "wall or an empty page cannot be added")
    return Article(title=title, outlet=_clean(document.sitename) or None, author=_clean(document.author) or None,
                   published=document.date or None, url=document.url or url, paragraphs=paragraphs)


def read_text(text: str) -> Article:
    """A story typed or pasted: optional front matter (the sources format), a "# Title" heading,
    paragraphs separated by blank lines (or one per line), bullets kept as bullets."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, str] = {}
    if text.lstrip().startswith("---\n"):
        meta, text = _front_matter(text.lstrip())
    title = meta.pop("title", None)
    paragraphs = _paragraphs(text)
    if paragraphs and _HEADING.match(paragraphs[0]):
        heading = _HEADING.sub("", paragraphs.pop(0))
        title = title or heading
    paragraphs = [_HEADING.sub("", p) for p in paragraphs]
    if title is None and len(paragraphs) > 1 and _looks_like_title(paragraphs[0]):
        title = paragraphs.pop(0)
    paragraphs = [p for p in paragraphs if _has_words(p)]
    if not paragraphs:
        raise NotAnArticle("the text holds no paragraphs to add")
    return Article(title=title, paragraphs=paragraphs, **meta)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Check front matter with the sources parser itself (same errors as a story file), return (meta, body)."""
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "draft.md"
        draft.write_text(text, encoding="utf-8")
        try:
            story = load_story(draft)
        except SourceError as exc:
            raise StorybotError(str(exc).replace(str(draft), "the text")) from None
    body = text.split("\n---", 1)[1].split("\n", 1)[1] if "\n---" in text else ""
    meta = {k: v for k, v in story.model_dump(include={"title", "outlet", "author", "published", "url"}).items() if v}
    return meta, body


def _paragraphs(text: str) -> list[str]:
    """Blank-line-separated blocks joined into one line each (hard-wrapped text); every line
    its own paragraph when the text has no blank lines; list items always on their own."""
    lines = text.split("\n")
    blocks = "\n\n" in text.strip()
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(_clean(" ".join(current)))
            current.clear()

    for line in lines:
        if not line.strip():
            flush()
        elif _BULLET.match(line):
            flush()
            paragraphs.append("- " + _clean(_BULLET.sub("", line)))
        elif _HEADING.match(line) or not blocks:
            flush()
            paragraphs.append(_clean(line))
        else:
            current.append(line.strip())
    flush()
    return [_LINK.sub(r"\1", _EMPHASIS.sub(r"\2", p)) for p in paragraphs]


def _looks_like_title(line: str) -> bool:
    return len(line.split()) <= TITLE_MAX_WORDS and not line.rstrip("”\"’'").endswith((".", "!", "?", ":", ";", ","))


def _clean(text: str | None) -> str:
    """One line, single spaces (a story file holds one paragraph per line)."""
    return " ".join((text or "").split())


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


# ---------------------------------------------------------------------------------------------
# Writing


def slug(title: str) -> str:
    """A story id from a title: lower-case ASCII words joined by '-', at most 40 characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > 40:
            break
        out = candidate
    return out or (words[0][:40] if words else "")


def story_text(article: Article) -> str:
    """The story file: front matter with what the article states, then one paragraph per line."""
    meta = {key: value for key in ("title", "outlet", "url", "published", "author")
            if (value := getattr(article, key))}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n" + "\n".join(article.paragraphs) + "\n"


def add_story(article: Article, sources_dir: Path, index_dir: Path, embedder, *, story_id: str | None = None,
              title: str | None = None) -> AddedStory:
    """Write `article` as a story file in `sources_dir` and update the index in `index_dir`.

    The id is `story_id`, else the id of the story with the same URL (adding a page again
    updates it), else a slug of the title. Nothing is left half-written on failure."""
    from storybot.index.storage.store import build_index

    if title:
        article = article.model_copy(update={"title": _clean(title)})
    if story_id is not None and not valid_story_id(story_id):
        raise StorybotError(f"--id {story_id!r} is not a usable story id (letters, digits, '-' and '_', "
                            "at most 40 characters, starting with a letter or digit)")
    if not sources_dir.is_dir():
        raise SourceError(f"sources directory {sources_dir} does not exist (set --sources or STORYBOT_SOURCES)")
    with _locked(index_dir):
        existing = _existing(sources_dir)
        story_id = story_id or _same_url(existing, article.url) or _new_id(article, existing)
        if not article.title:
            article = article.model_copy(update={"title": story_id.replace("-", " ").replace("_", " ").capitalize()})
        path = sources_dir / f"{story_id}.md"
        old_file = existing.get(story_id)
        old_bytes = old_file.read_bytes() if old_file is not None else None
        old_paragraphs = [p.text for p in load_story(old_file).paragraphs] if old_file is not None else []
        story = _write(path, story_text(article))
        if old_file is not None and old_file != path:
            os.replace(old_file, old_file.with_name(old_file.name + ".replaced"))  # a .txt now written as .md
        try:
            build_index(sources_dir, index_dir, embedder)
        except BaseException:
            _restore(path, old_file, old_bytes)
            raise
        if old_file is not None and old_file != path:
            old_file.with_name(old_file.name + ".replaced").unlink(missing_ok=True)
    changes = compare(old_paragraphs, [p.text for p in story.paragraphs])
    status = "added" if old_file is None else "updated" if changes.changed or old_bytes != path.read_bytes() else "unchanged"
    return AddedStory(source=story_id, title=story.title, outlet=story.outlet, paragraphs=len(story.paragraphs),
                      status=status, changes=changes, path=str(path))


def _existing(sources_dir: Path) -> dict[str, Path]:
    try:
        return {p.stem: p for p in source_files(sources_dir)}
    except SourceError:  # an empty directory: the first story
        return {}


def _same_url(existing: dict[str, Path], url: str | None) -> str | None:
    if not url:
        return None
    for story_id, path in existing.items():
        try:
            if load_story(path).url == url:
                return story_id
        except SourceError:
            continue
    return None


def _new_id(article: Article, existing: dict[str, Path]) -> str:
    base = slug(article.title or "")
    if not base:
        raise StorybotError("the story has no title to make its id from; give --id or --title")
    if base not in existing or not article.url:
        return base  # text without a URL under a known id: an update of that story
    for n in range(2, 100):
        candidate = f"{base[:36]}-{n}"
        if candidate not in existing:
            return candidate
    raise StorybotError(f"too many stories are called {base!r}; give --id")


def _write(path: Path, text: str):
    """Write `text` to `path` atomically after reading it back with the sources parser."""
    draft_dir = Path(tempfile.mkdtemp(prefix=".adding-", dir=path.parent))  # hidden: never read as a story
    try:
        draft = draft_dir / path.name
        draft.write_text(text, encoding="utf-8")
        story = load_story(draft)
        os.replace(draft, path)
    finally:
        shutil.rmtree(draft_dir, ignore_errors=True)
    return story.model_copy(update={"path": str(path)})


def _restore(path: Path, old_file: Path | None, old_bytes: bytes | None) -> None:
    if old_file is None:
        path.unlink(missing_ok=True)
        return
    replaced = old_file.with_name(old_file.name + ".replaced")
    if replaced.exists():
        os.replace(replaced, old_file)
        path.unlink(missing_ok=True)
    else:
        tmp = path.with_name(f".{path.name}.restore")
        tmp.write_bytes(old_bytes or b"")
        os.replace(tmp, path)


@contextmanager
def _locked(index_dir: Path) -> Iterator[None]:
    """One add at a time per index (bot and CLI alike): a build that started earlier but finished
    later would otherwise swap in an index without the other's story."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".add.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
