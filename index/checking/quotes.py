"""Who a claim says said something, and whether the story gives the same words to someone else.

Speakers are read by index/language/speakers.py, the one speaker reader: from the claim ("Jon
Rubinstein said …", "… according to the mayor") and from the story sentence the claim is about (or
its paragraph, when the sentence is a quotation the paragraph attributes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storybot.index.checking.facts import Sentence
from storybot.index.checking.mentions import Mention
from storybot.index.language import lexicon as lx
from storybot.index.language.speakers import attributions, find_speaker, role_word
from storybot.index.language.text import Tok, normalise, tokenize
from storybot.index.models import Paragraph

_QUOTES = ('"', "“", "”")
_OWNER = re.compile(r"\b((?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*)['’]s\s+[a-z]")


def claimed_speaker(claim: str) -> str | None:
    """Whom the claim says said it. A claim names its speaker as its subject, so the whole of a short
    subject is kept ("The county's emergency management director said …", "A retiree on Ferris Street
    complained …"), where the story's reading of speakers keeps only the words it knows."""
    found = next(attributions(claim), None)
    if found is None:
        return None
    opening = claim[:found.cue].strip()
    if found.kind == "said" and claim[found.end:found.cue].strip() == "":
        if 1 < len(opening.split()) <= _SUBJECT_WORDS and not _CLAUSE.search(opening) \
                and opening.lower().endswith(found.speaker.lower()):
            return opening
    return found.speaker


_SUBJECT_WORDS = 8
_CLAUSE = re.compile(r"[,;:\"“”()]|\b(?:that|who|which|when|after|before|because|and)\b")


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


def story_speaker(sentence: str, paragraph: Paragraph) -> tuple[str, str | None] | None:
    """Who says `sentence` in the story, and what the story calls them besides the name: the sentence's own
    attribution (a pronoun's person named before it in the paragraph), else the paragraph's speaker when
    the sentence quotes."""
    at = paragraph.text.find(sentence)
    # read in its paragraph, so that "…,” she said" finds the person the paragraph named before it
    found = next((a for a in attributions(paragraph.text) if at <= a.cue < at + len(sentence)), None) \
        if at >= 0 else None
    found = found or next(attributions(sentence), None)
    if found is not None:
        same = found.speaker == paragraph.speaker
        return found.speaker, found.role or (paragraph.speaker_role if same else None)
    if paragraph.speaker and any(q in sentence for q in _QUOTES):
        return paragraph.speaker, paragraph.speaker_role
    return None


def same_speaker(a: str, b: str, role: str | None = None) -> bool | None:
    """True when the two name the same speaker, False when they clearly differ, None when they can't be told
    apart ("a spokesperson" and "Dana Whitfield"). `role` is what the story calls `b` besides the name
    ("League of Municipalities’ executive director"): "the head of the League of Municipalities" is
    then the same speaker, "Redmere's manager" is not "Castlebury manager Ruth Halloran"."""
    if role and _bare(a) and any(_bare(a) == _bare(part) for part in re.split(r"[,;]", role)):
        return True  # the claim describes the speaker as the story does ("a retiree on Ferris Street")
    x, y = describe_speaker(a), describe_speaker(b)
    for part in re.split(r"[,;]", role or ""):
        # a part naming someone else describes them ("…, Apple's engineering chief Jon Rubinstein assembled …")
        d = describe_speaker(part)
        if not d.person or any(lx.same_name(p, q) for p in d.person for q in y.person):
            y = y.merged(Described(frozenset(), d.jobs, d.domain, d.rank, d.owners))
    if x.person and y.person:
        return any(lx.same_name(p, q) for p in x.person for q in y.person)
    office = _same_office(x, y) if x.jobs and y.jobs else None
    if office is None:
        return None
    owners = not x.owners or not y.owners or any(lx.same_name(p, q) for p in x.owners for q in y.owners)
    if office and owners:
        return True
    return False if office or _shared_jobs(x, y) else None


def _bare(description: str) -> str:
    """A description without its article, in lower case: "A retiree on Ferris Street" → "retiree on ferris street"."""
    words = normalise(description).lower().split()
    return " ".join(words[1:] if words and words[0] in {"a", "an", "the"} else words)


@dataclass(frozen=True)
class Described:
    """A speaker as a description reads: the person's name words, the jobs (stems), the words that narrow a
    job ("finance" in "finance chief", by their first five letters), a rank ("deputy") and the bodies
    that own the job ("Corvane" in "Corvane's finance chief", "the League" in "the head of the League")."""

    person: frozenset[str] = frozenset()
    jobs: frozenset[str] = frozenset()
    domain: frozenset[str] = frozenset()
    rank: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()

    def merged(self, other: Described) -> Described:
        return Described(self.person | other.person, self.jobs | other.jobs, self.domain | other.domain,
                         self.rank | other.rank, self.owners | other.owners)


# One office, several names: spelled-out forms of the abbreviations news copy uses, and the offices
# that are a prosecutor's.
_OFFICES = {
    "ceo": "chief executive officer", "cfo": "chief financial officer", "coo": "chief operating officer",
    "cto": "chief technology officer", "cio": "chief information officer", "da": "district attorney",
}
_PROSECUTOR = re.compile(r"\b(?:assistant\s+|deputy\s+)?(?:district|state's|state’s|crown|public)\s+(?:attorney|prosecutor)s?\b"
                         r"|\battorneys?\s+general\b", re.IGNORECASE)
# Jobs that lead whatever they belong to: "the head of the League" is its executive director or chair.
_LEADS = frozenset(lx.lemma_stem(w) for w in """head chief leader boss director executive president chair chairman
    chairwoman chairperson""".split())
_RANKS = frozenset({"deputy", "vice", "assistant", "associate", "under"})
_GENERIC = frozenset(lx.lemma_stem(w) for w in ("officer", "official"))
# Role words that name a body, not a person's job ("union president": the union owns the job).
_BODIES = frozenset("""union unions group groups association coalition organization organisation board commission
    firm bank city state states statement resolution report source sources company companies government
    governments ministry ministries office offices council assembly committee court agency department
    administration party parties parliament cabinet regime leadership staff country countries nation nations
    delegation delegations army military police kremlin authorities authority""".split())
_OWNS_AFTER = frozenset({"of", "at", "for", "with", "from"})
_WORD_RE = re.compile(r"[A-Za-z][\w.’'&-]*|\d[\w.,]*")


def describe_speaker(text: str) -> Described:
    """Read a speaker's description ("Corvane's finance chief", "Castlebury manager Ruth Halloran")."""
    text = _PROSECUTOR.sub("prosecutor", normalise(text))
    text = " ".join(_OFFICES.get(w.lower(), w) for w in text.split())
    person: set[str] = set()
    jobs: set[str] = set()
    domain: set[str] = set()
    rank: set[str] = set()
    owners: set[str] = set()
    for segment in re.split(r"[,;:()]", text):
        words = _WORD_RE.findall(segment)
        if not words or (words[0][:1].islower() and not role_word(words[0]) and words[0].lower() not in
                         {"a", "an", "the", "its", "his", "her", "their"}):
            continue  # "…, speaking for the union": what the speaker did, not who they are
        seen_job = owned = False
        i = 0
        while i < len(words):
            w = words[i]
            low = w.lower().rstrip(".")
            if w[:1].isupper() and not _job(w):
                j = i  # a run of names, through "of"/"and" between capitalised words ("League of Municipalities")
                while j + 1 < len(words) and (words[j + 1][:1].isupper() and not _job(words[j + 1]) or (
                        words[j + 1].lower() in {"of", "and", "&"} and j + 2 < len(words) and words[j + 2][:1].isupper())):
                    j += 1
                run = [x for x in words[i:j + 1] if x[:1].isupper()]
                after = [x.lower() for x in words[j + 1:j + 4]]
                possessive = re.search(r"(?:['’]s|s['’])$", words[j]) is not None
                adjunct = any(_job(x) for x in after) and not any(
                    x in lx.FUNCTION for x in after[:next((k for k, x in enumerate(after) if _job(x)), 0)])
                names = {_bare(x) for x in run if x.lower() not in lx.FUNCTION}
                if i and _job(words[i - 1]) and j + 1 < len(words) and _job(words[j + 1]):
                    domain |= {x[:5] for x in names}  # "Chief Financial Officer"
                elif possessive or owned or (adjunct and not seen_job) or (
                        any(_job(x) for x in words[j + 1:j + 2]) and words[j + 1][:1].isupper()):
                    owners |= names  # "Kestrani Prime Minister …": a name before a title owns it
                else:
                    person |= names
                i = j + 1
                continue
            if low in _OWNS_AFTER and seen_job:
                owned = True
            elif low in _RANKS:
                rank.add(low)
            elif _job(w):
                seen_job = True
                stem = lx.lemma_stem(low)
                if stem not in _GENERIC:
                    jobs.add(stem)
            elif _narrows(words, i, seen_job):
                domain.add(low[:5])  # "finance chief", "vice president of operations"
            i += 1
    return Described(frozenset(person), frozenset(jobs), frozenset(domain), frozenset(rank), frozenset(owners))


def _bare(word: str) -> str:
    return re.sub(r"(?:['’]s|['’])$", "", word).lower()


def _job(word: str) -> bool:
    low = _bare(word.rstrip("."))
    return (role_word(low) and low not in _BODIES) or low in lx.TITLES


def _shared_jobs(x: Described, y: Described) -> bool:
    return bool(x.jobs & set().union(*(lx.synonyms(j) for j in y.jobs)))


def _narrows(words: list[str], i: int, seen_job: bool) -> bool:
    """Whether the lower-case word at i says which part a job leads: "finance" before "chief", "operations"
    after "vice president of"."""
    low = words[i].lower()
    if low in lx.FUNCTION or low in _BODIES or not low.isalpha() or words[i][:1].isupper():
        return False
    if any(_job(x) and not x[:1].isupper() or x.lower() in lx.TITLES for x in words[i + 1:i + 3]):
        return True
    return seen_job and i > 0 and words[i - 1].lower() in _OWNS_AFTER


def _same_office(x: Described, y: Described) -> bool | None:
    """Whether two job descriptions name one office: the same job, or two that lead the same part ("head" /
    "executive director", "finance chief" / "chief financial officer"). False when they lead different
    parts ("finance chief" / "chief operating officer"); None when it cannot be told."""
    leads = bool(x.jobs & _LEADS and y.jobs & _LEADS)
    if x.domain and y.domain and not x.domain & y.domain:
        return False if leads else None
    if (x.jobs - _LEADS) & set().union(*(lx.synonyms(j) for j in y.jobs)):
        return True if x.rank == y.rank else None  # "deputy mayor" is not the mayor
    if leads and (x.domain == y.domain or x.domain & y.domain):
        return True
    return None
