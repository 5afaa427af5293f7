"""Who a claim says said something, and whether the story gives the same words to someone else.

The speaker is read by index/language/speakers.py find_speaker, the one speaker reader: from the
claim ("Jon Rubinstein said …", "… according to the mayor") and from the story sentence the claim is
about (or its paragraph, when the sentence is a quotation the paragraph attributes).
"""

from __future__ import annotations

from storybot.index.language import lexicon as lx
from storybot.index.language.speakers import find_speaker
from storybot.index.language.text import tokenize
from storybot.index.models import Paragraph

_QUOTES = ('"', "“", "”")


def claimed_speaker(claim: str) -> str | None:
    return find_speaker(claim)


def story_speaker(sentence: str, paragraph: Paragraph) -> str | None:
    """Who says `sentence` in the story: its own attribution, else the paragraph's when it quotes."""
    return find_speaker(sentence) or (paragraph.speaker if any(q in sentence for q in _QUOTES) else None)


def same_speaker(a: str, b: str) -> bool | None:
    """True when the two name the same speaker, False when they clearly differ, None when they can't be told
    apart ("a spokesperson" and "Dana Whitfield")."""
    names_a, roles_a = _parts(a)
    names_b, roles_b = _parts(b)
    if names_a and names_b:
        return any(lx.same_name(x, y) for x in names_a for y in names_b)
    if roles_a and roles_b:
        return bool({lx.lemma_stem(r) for r in roles_a} & {lx.lemma_stem(r) for r in roles_b}) or None
    return None


def _parts(speaker: str) -> tuple[set[str], set[str]]:
    toks = [t for t in tokenize(speaker) if t.kind == "word"]
    names = {t.low for k, t in enumerate(toks) if t.cap and t.low not in lx.TITLES and t.low not in lx.FUNCTION}
    roles = {t.low for t in toks if t.low in lx.ROLE_NOUNS}
    return names, roles
