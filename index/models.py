"""Data that crosses a boundary: stories, paragraphs, answers, the index manifest."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Paragraph(BaseModel):
    """One paragraph of a story, verbatim, numbered from 1 in story order."""

    model_config = ConfigDict(frozen=True)

    story: str
    number: int = Field(ge=1)
    text: str
    sentences: list[str]
    speaker: str | None = None
    speaker_role: str | None = None  # what the story calls the speaker ("Harlow State's provost")


class StoryMetadata(BaseModel):
    """What a story's front matter says about it, and its id (the file stem)."""

    id: str
    title: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None


class Story(StoryMetadata):
    """A source file: front-matter metadata plus its paragraphs."""

    path: str
    checksum: str
    paragraphs: list[Paragraph]


class StoryInfo(StoryMetadata):
    """A story's metadata without its paragraphs (what listings and the manifest need)."""

    paragraphs: int


class Passage(BaseModel):
    """A quoted paragraph: the JSON contract's passage object."""

    source: str
    title: str
    outlet: str | None
    paragraph: int
    text: str
    highlight: str
    speaker: str | None
    score: float
    speaker_role: str | None = None  # what the story calls the speaker besides the name


class Answer(BaseModel):
    """The answer to one question: passages best first; `answered` says whether they answer it."""

    question: str
    answered: bool
    passages: list[Passage]


class ClaimCheck(BaseModel):
    """The verdict on one claim: the JSON contract of `check --json` and what /check renders."""

    claim: str
    verdict: Literal["supported", "contradicted", "not_in_story"]
    reason: str
    evidence: list[Passage]  # the deciding passages, `highlight` = the deciding sentence; [] when not in the story


class Brief(BaseModel):
    """A story's key points, each a verbatim sentence (`highlight`) of its paragraph, in story order."""

    source: str
    title: str
    outlet: str | None
    points: list[Passage]


class SkippedFile(BaseModel):
    """A source file that is not a usable story, left out of the index."""

    file: str      # its name in the sources directory
    checksum: str  # sha256 of the file as it was skipped: a change means the index is stale
    error: str     # what is wrong, naming file and line


class Manifest(BaseModel):
    """Describes one built index; a mismatch with what is asked for means rebuild."""

    format_version: int
    model: str
    dimension: int
    embed_template: str
    kind: str = "flat"
    paragraphs: int
    sentences: int
    sources: dict[str, str]  # story id -> sha256 of the source file
    files: dict[str, int] = {}  # file name -> size in bytes; a mismatch means a damaged index
    checksums: dict[str, str] = {}  # file name -> sha256; empty in builds made before they were recorded
    skipped: list[SkippedFile] = []  # source files left out as unusable
    reading: int = 0  # how paragraphs were read (sources.PARAGRAPH_READING); another means rebuild
    built_at: str


class IndexStatus(BaseModel):
    """What `storybot index status` reports: ok, missing, stale (a build would change it) or damaged."""

    state: Literal["ok", "missing", "stale", "damaged"]
    problem: str | None = None  # why it is stale or damaged, one line
    manifest: Manifest | None = None
