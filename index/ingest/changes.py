"""What changed between two versions of a story: paragraphs added, edited and removed.

One comparison serves `storybot add` (which says what an update changed) and the bot's /follow
notices (which quote what is new).
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Literal

from pydantic import BaseModel


class NewParagraph(BaseModel):
    """A paragraph of the new version that the old one did not have word for word."""

    number: int  # in the new version, from 1
    text: str
    kind: Literal["added", "edited"]


class StoryChanges(BaseModel):
    new: list[NewParagraph]
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.new or self.removed)

    def summary(self) -> str:
        """"2 paragraphs added, 1 edited" — or "no paragraph changed"."""
        added = sum(p.kind == "added" for p in self.new)
        edited = len(self.new) - added
        parts = [f"{n} {what}" for n, what in ((added, "added"), (edited, "edited"), (self.removed, "removed")) if n]
        if not parts:
            return "no paragraph changed"
        total = added or edited or self.removed
        parts[0] = parts[0].replace(" ", f" paragraph{'' if total == 1 else 's'} ", 1)
        return ", ".join(parts)


def compare(old: list[str], new: list[str]) -> StoryChanges:
    """The changes from paragraphs `old` to `new` (texts in story order).

    A replaced run pairs old and new paragraphs one to one as edits; what is left over on the
    new side was added, on the old side removed."""
    found: list[NewParagraph] = []
    removed = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for j in range(j1, j2):
            found.append(NewParagraph(number=j + 1, text=new[j], kind="edited" if j - j1 < paired else "added"))
        removed += (i2 - i1) - paired
    return StoryChanges(new=found, removed=removed)
