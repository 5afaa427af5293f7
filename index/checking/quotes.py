"""Who a claim says said something, and whether the story gives the same words to someone else.

Speakers are read by index/language/speakers.py, the one speaker reader: from the claim ("Jon
Rubinstein said …", "… according to the mayor") and from the story sentence the claim is about (or
its paragraph, when the sentence is a quotation the paragraph attributes).
"""

from __future__ import annotations

import re

from storybot.index.checking.facts import Sentence
from storybot.index.checking.mentions import Mention
from storybot.index.language import lexicon as lx
from storybot.index.language.speakers import attributions, find_speaker
from storybot.index.language.text import Tok, normalise, tokenize
from storybot.index.models import Paragraph

_QUOTES = ('"', "“", "”")
_OWNER = re.compile(r"\b((?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*)['’]s\s+[a-z]")


def claimed_speaker(claim: str) -> str | None:
    return find_speaker(claim)


def claim_attribution(s: Sentence) -> tuple[Mention, range] | None:
    """The source a claim names for itself and the tokens that name it: "according to X", "X said (that) …",
    "…, X said". These words are not checked against the story; the source is.

    Only an attribution that frames the whole claim counts: "told X not to attend", "tweeted about the
    call" are the acts claimed. A quotation the claim attributes ("…," said X) is left to the general
    comparison (verdict.py), which asks who says it in the story."""
    toks = s.toks
    text = normalise(s.text)
    if text[-1:] not in ".!?;:,":
        text += "."  # the claim's end closes a trailing "according to the mayor"
    found = [a for a in attributions(text, any_form=True) if a.kind != "quoted"]
    for a in sorted(found, key=lambda a: (a.kind != "according", a.cue)):
        if a.kind == "according":
            i = _token_at(toks, a.cue)
            who = _token_at(toks, a.start)
            m = s.mention_at(who) or s.mention_at(who + 1)
            if m is not None:
                return m, range(i - 1 if i and toks[i - 1].text == "," else i, m.end)
            continue
        framed = _framing(s, _token_at(toks, a.cue), _token_at(toks, a.end - 1))
        if framed is not None:
            return framed
    return None


def _framing(s: Sentence, i: int, last: int) -> tuple[Mention, range] | None:
    """The claim's source when the saying verb at `i`, after a speaker ending at token `last`, frames the
    claim: it opens it ("X said (that) …", "X told Axios …") or closes it ("…, X said")."""
    toks = s.toks
    if i == 0 or s.mention_at(i) is not None:
        return None
    subject = s.mention_at(last)
    if subject is None:
        return None
    if all(x.kind == "punct" for x in toks[i + 1:]) and subject.start > 0 and toks[subject.start - 1].text == ",":
        return subject, range(subject.start - 1, len(toks))
    if subject.start > 2:
        return None
    j = i + 1
    told = s.mention_at(j)
    if told is not None and toks[i].stem == lx.lemma_stem("tell"):
        j = told.end  # "told Axios (that) …"
    if j >= len(toks) or toks[j].low in {"to", "not", "about", "of"}:
        return None  # "told X not to attend", "tweeted about the call": the act itself, not a source
    k = j  # "tweeted on Saturday that …": only a time or place may stand before "that"
    while k < len(toks) and (toks[k].low in lx.PREPOSITIONS | {"the", "late", "early", "last"}
                             or toks[k].low in lx.DAYS or toks[k].low in lx.MONTHS or toks[k].kind == "num"):
        k += 1
    if k < len(toks) and toks[k].low == "that":
        return subject, range(subject.start, k + 1)
    if s.mention_at(j) is not None or toks[j].low in {"the", "a", "an"} | lx.PRONOUNS:
        return subject, range(subject.start, j)
    return None


def _token_at(toks: list[Tok], offset: int) -> int:
    """The token holding character `offset`, else the first after it."""
    return next((k for k, t in enumerate(toks) if t.end > offset), len(toks))


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
    roles = {t.low for t in toks if t.low in lx.ROLE_NOUNS}
    # "Corvane's finance chief": a name before "'s" owns the role that follows; it is not the speaker's name.
    owners = {w.lower() for m in _OWNER.finditer(speaker) for w in m.group(1).split()}
    names = {t.low for k, t in enumerate(toks) if t.cap and t.low not in lx.TITLES and t.low not in lx.FUNCTION
             and t.low not in owners}
    return names, roles
