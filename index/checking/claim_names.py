"""The claim's names and words in the story: names as written together ("United States"), spelling
variants of a name, synonyms of a word, and whether the story's source is the one the claim names."""

from __future__ import annotations

from storybot.index.checking.claim import Claim
from storybot.index.checking.facts import Sentence
from storybot.index.checking.mentions import Mention, same_party, sentence_initial
from storybot.index.checking.passage import Para
from storybot.index.language import lexicon as lx


def same_source(a: Mention | None, b: Mention | None) -> bool:
    """Stricter than same_party: "Netanyahu's office" is not Netanyahu, "a Ukrainian official" is not Ukraine."""
    if not same_party(a, b):
        return False
    assert a is not None and b is not None
    # A named person's title ("Mayor Tom Reyes") does not make another source of "Tom Reyes".
    named = bool(a.names and b.names)
    roles_a = {lx.lemma_stem(r) for r in a.roles if not (named and r in lx.TITLES)}
    roles_b = {lx.lemma_stem(r) for r in b.roles if not (named and r in lx.TITLES)}
    return roles_a == roles_b or bool(roles_a & set().union(*(lx.synonyms(r) for r in roles_b)) if roles_b else False)


def plain_initial(claim: Claim, story: list[Sentence]) -> set[int]:
    """The claim's first word when it is capitalised only because it starts the sentence ("Critics said …",
    "Boats were …"): a name of that one word alone, written in lower case (or another form — the same first
    five letters — or a synonym of it) in the claim or the story, and never capitalised inside a sentence of the story. A name of more
    words ("Harlow State"), or a word the story capitalises where a sentence does not start, stays a name."""
    s = claim.sentence
    first = next((i for i, t in enumerate(s.toks) if t.kind == "word"), None)
    if first is None or not s.toks[first].cap:
        return set()
    t = s.toks[first]
    m = s.mention_at(first)
    # "Beating Dunmere in Game 7 …": a gerund before a name is the act, not part of the name
    gerund = t.low.endswith("ing") and len(t.low) > 5
    if m is None or (m.names != {t.low} and not gerund):
        return set()
    lower: set[str] = set()
    for x in [s, *story]:
        for k, u in enumerate(x.toks):
            if u.kind != "word":
                continue
            if u.cap and u.low == t.low and not sentence_initial(x.toks, k):
                return set()  # "… at Redmere": the story writes it as a name
            if not u.cap:
                lower.add(u.stem)
    # another form of it: "Rescuers" where the story has "rescued", "Owners" beside "owned"
    derived = len(t.low) >= 6 and any(len(w) >= 5 and w[:5] == t.low[:5] for w in lower)
    return {first} if lx.synonyms(t.stem) & lower or t.stem in lower or derived else set()


def claim_names(claim: Claim) -> list[str]:
    names: list[str] = []
    for m in claim.sentence.mentions:
        if m.start in claim.excluded or m.pronoun:
            continue
        plain = {claim.sentence.toks[m.start].low} if m.start in claim.plain else set()
        for n in sorted(m.names - plain, key=lambda w: m.text.lower().find(w)):
            if n not in names:
                names.append(n)
    return names


def name_runs(claim: Claim) -> list[list[str]]:
    """The claim's names as written together: "United States" must be in the story as "United States"."""
    s = claim.sentence
    runs: list[list[str]] = []
    current: list[str] = []
    for i, t in enumerate(s.toks):
        m = s.mention_at(i)
        is_name = m is not None and i not in claim.excluded and i not in claim.plain and not m.pronoun \
            and t.low in m.names
        if is_name:
            current.append(t.low)
        if (not is_name or t.possessive) and current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def run_in(run: list[str], para: Para) -> bool:
    if len(run) == 1:
        return name_in(run[0], para.words | para.context_words)
    for sentences in (para.sentences, para.context):
        for s in sentences:
            lows = [t.low for t in s.toks]
            for start in range(len(lows) - len(run) + 1):
                if all(lx.same_name(a, b) for a, b in zip(run, lows[start:start + len(run)])):
                    return True
    return False


def name_in(name: str, words: frozenset[str]) -> bool:
    return name in words or any(lx.same_name(name, w) for w in words if w[:2] == name[:2]) \
        or bool(lx.demonym_partners(name) & words)


def display_names(claim: Claim, names: list[str]) -> str:
    shown = []
    for t in claim.sentence.toks:
        if t.low in names and t.text not in shown:
            shown.append(t.text)
    return " or ".join(shown[:3])


def word_in(t, words: frozenset[str], stems: frozenset[str]) -> bool:
    if t.stem in stems or t.low in words:
        return True
    if t.cap and name_in(t.low, words):
        return True
    return bool(lx.synonyms(t.stem) & stems)
