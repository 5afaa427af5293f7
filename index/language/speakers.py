"""Find who is speaking in a paragraph, from the story's own wording: the one speaker reader, also
used for whom a claim names as its source (index/checking/quotes.py).

"a Ukrainian official told Axios", "According to the resolution", "Zelensky tweeted",
"“…,” said Priya Nair", "Business owners on Dock Street said", "Harlow State's provost, Gerald
Okafor, told reporters", "Patricia Haldane called the bill “a mandate”" … The attribution that
names the outlet ("told Axios") wins, because that is the story's source; then "According to X";
then "…,” said X"; then "X said/tweeted/…". Pronouns ("he said") are not speakers.

Each speaker also has a role where the story gives one — "union president", "Harlow State's
provost", "a staff attorney with the Prairie Waters Alliance" — read beside the name here or, for a
later "Okafor said", beside the same person's name elsewhere in the story (`speaker_roles`): a
question asks for "the provost" far more often than for "Gerald Okafor".

What counts as a speaker, where that is a choice:
  * a person named with a lower-case description ("union president Tom Alvarez") is the person,
    "Tom Alvarez" (the speaker is a name to quote and ask about; a title written as part of the name,
    "Mayor Jane Ortiz", stays);
  * a group is the group with what places it ("business owners on Dock Street", "the teachers' union");
  * a text that says something ("the resolution reads", "according to a statement") is the story's
    source and is kept; numbers ("according to department figures", "data", "a survey") speak for
    nobody, so they give no speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from storybot.index.language import lexicon as lx
from storybot.index.language.sentences import split_sentences
from storybot.index.language.text import WORD, lemma_stem

_SAY = (r"(?:said|says|tweeted|wrote|added|stated|announced|reads|read|posted|claimed|warned|explained|"
        # reporting verbs news copy uses as often ("Kestrany estimates the sanctions have cost …")
        r"argued|argues|insisted|insists|noted|acknowledged|acknowledges|admitted|admits|estimated|estimates|"
        r"predicted|predicts|testified|contended|contends|cautioned|conceded|concedes|complained|complains|"
        r"stressed|stresses|countered|replied|responded|asserted|asserts|recalled|recalls)")
# "called the bill “a mandate”", "described the deal as “historic”": a verb that only says something
# when a quotation follows in the same sentence.
_SAY_WITH_QUOTE = r"(?:called|described|dismissed)\b(?=[^.!?“\"]{0,60}[“\"])"
# "told jurors", "told cheering supporters", "told the court": an audience, not an outlet, but a saying.
_AUDIENCE = (r"(?:the\s+|a\s+)?(?:[a-z]+\s+)?(?:reporters|journalists|jurors|jury|court|judge|supporters|crowd|"
             r"audience|rally|lawmakers|legislators|councillors|council|committee|members|voters|residents|"
             r"students|staff|employees|workers|investors|analysts|shareholders|parliament|senators|delegates|"
             r"fans|families|parents|officials|colleagues|listeners|viewers)\b")
_VERB = rf"(?:told\s+(?:Axios|{_AUDIENCE}|[A-Z][\w.]+)|(?:had\s+|has\s+|have\s+)?{_SAY}\b|{_SAY_WITH_QUOTE})"
_TOLD_OUTLET = re.compile(r"\btold\s+(?:Axios|[A-Z][\w.]+)\b")
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;:]{2,80}?)\s*[,.;:]")
_SPEECH = re.compile(_VERB)
# "“We will reopen it,” said Priya Nair": the verb straight after the quote's closing comma.
_QUOTE_MARKS = "\"“”"
_SAID_AFTER_QUOTE = re.compile(rf"[,?!][\"”’']?\s+{_SAY}\s+(?=\S)")
# "…,” she said", "He told reporters": a pronoun speaks for the person just named (_antecedent)
_PRONOUN_SAYS = re.compile(rf"\b(?:[Hh]e|[Ss]he)\s+(?:{_SAY}\b|told\b)|[,?!][\"”’']?\s+{_SAY}\s+(?:he|she)\b")
_NAME_RUN = re.compile(r"\b(?:(?:[A-Z][a-z]{1,3}\.|[A-Z][\w’'-]+)\s+){1,4}[A-Z][\w’'-]+")
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
ANTECEDENT_SENTENCES = 2  # how far back a pronoun's person may be named

# Lower-case words that may sit inside a speaker's noun phrase, besides the people and bodies of
# lx.ROLE_NOUNS ("a senior Israeli official", "the teachers' union").
_PHRASE_WORDS = lx.ROLE_NOUNS | {
    "a", "an", "the", "and", "of", "senior", "top", "foreign", "defense", "defence", "security", "source",
    "sources", "statement", "resolution", "report", "prime", "former", "current", "western", "local", "u.s.",
    "union", "unions", "group", "groups", "association", "coalition", "organization", "organisation",
    "board", "commission", "campaigners", "activists", "officers", "director", "chief", "head", "chair",
    "chairman", "chairwoman", "manager", "secretary", "lawyer", "lawyers", "attorney", "representative",
    "representatives", "organizers", "organisers", "leadership", "staff", "firm", "bank", "city", "state",
    # people named by what they do, in any beat: the head of a role phrase ("the team's head coach")
    "executive", "coach", "provost", "dean", "principal", "superintendent", "professor", "researcher",
    "scientist", "economist", "strategist", "founder", "partner", "treasurer", "commissioner", "sheriff",
    "deputy", "vice", "prosecutor", "defendant", "witness", "juror", "detective", "inspector", "officer",
    "captain", "player", "striker", "defender", "midfielder", "goalkeeper", "substitute", "driver", "pilot",
    "student", "editor", "chairs", "sponsor", "spokesman", "spokeswoman", "analyst", "trader", "investor",
    "consultant", "contractor", "activist", "organizer", "volunteer", "worker", "nurse", "doctor", "surgeon",
    "physician", "ceo", "cfo", "coo", "cto", "senator", "governor", "councillor", "councilor", "councilman",
    "councilwoman", "legislator", "lawmaker", "chancellor", "democrat", "republican",
}
# Abbreviated titles that stay with a name ("said Sen. Adriana Kowalczyk") instead of ending it, and
# the role each one spells (a question asks what "the governor" said, the story writes "Gov. Ellery").
_HONORIFICS = {
    "mr.": None, "mrs.": None, "ms.": None, "dr.": "doctor", "sen.": "senator", "rep.": "representative",
    "gov.": "governor", "gen.": "general", "lt.": "lieutenant", "col.": "colonel", "sgt.": "sergeant",
    "capt.": "captain", "prof.": "professor", "rev.": "reverend", "supt.": "superintendent",
    "det.": "detective", "insp.": "inspector", "adm.": "admiral", "maj.": "major", "cmdr.": "commander",
    "hon.": None, "atty.": "attorney",
}
# Numbers a story cites are not a party that speaks ("according to department figures").
_NUMBERS = {"figures", "data", "statistics", "numbers", "estimates", "estimate", "records", "tally", "count",
            "census", "poll", "polls", "polling", "survey", "surveys", "counts", "projections"}
_ARTICLES = {"a", "an", "the"}
_PRONOUNS = lx.PRONOUNS | {"it", "you", "who", "which", "that", "but"}
_STOPS = ",;:\"”“."
_OPENERS = "\"“‘'("
_MAX_WORDS = 8


@dataclass(frozen=True)
class Attribution:
    """A speaker a text names, and where: `text[start:end]` holds the speaker's words and
    `text[cue:cue_end]` the words that attribute ("said", "told Axios", "according to")."""

    speaker: str
    start: int
    end: int
    cue: int
    cue_end: int
    kind: str  # "told" (an outlet), "according", "quoted" ("…,” said X), "said" or "pronoun" ("she said")
    role: str | None = None  # what the text calls the speaker besides the name ("union president")


def find_speaker(paragraph: str) -> str | None:
    """Return the in-story speaker of `paragraph` as worded there, or None for narration."""
    return next((a.speaker for a in attributions(paragraph)), None)


def attributions(text: str, *, any_form: bool = False, pronouns: bool = True) -> Iterator[Attribution]:
    """Every attribution in `text` that names a speaker, the strongest kind first (see the module notes).

    `any_form` reads the saying verbs of lx.SAY_STEMS in any form ("confirmed", "tells", "tweets")
    instead of those listed in _SAY: a claim is a reader's own sentence in any tense, and its "warned"
    or "explained" is an act to check, not its source. Story paragraphs keep _SAY. Last, with `pronouns`,
    "she said" speaks for the person named just before (`_antecedent`)."""
    for match in _TOLD_OUTLET.finditer(text):
        found = _phrase_before(text, match.start()) or _appositive_before(text, match.start())
        if found:
            yield _attribution(text, found, match.start(), match.end(), "told")
    for match in _ACCORDING_TO.finditer(text):
        words = match.group("who").split()
        if words and words[-1].lower() not in _NUMBERS:
            yield Attribution(_normalise(" ".join(words)), match.start("who"), match.end("who"),
                              match.start(), match.start("who"), "according")
    for match in _SAID_AFTER_QUOTE.finditer(text):
        if not any(q in text[:match.end()] for q in _QUOTE_MARKS):
            continue  # "Its chief executive, Dana Whitaker, said the company …": no quotation closes here
        found = _phrase_after(text, match.end())
        if found:
            yield _attribution(text, found, match.start(), match.end(), "quoted")
    for start, end in _speech_verbs(text, any_form):
        found = _phrase_before(text, start) or _appositive_before(text, start)
        if found:
            yield _attribution(text, found, start, end, "said")
    if not pronouns:
        return
    for match in _PRONOUN_SAYS.finditer(text):
        found = _antecedent(text, match.start())
        if found:
            yield _attribution(text, found, match.start(), match.end(), "pronoun")


def _antecedent(text: str, at: int) -> tuple[str, int, int, str | None] | None:
    """The person a pronoun at `at` stands for: the speaker of the sentence before it (or of its own
    sentence's start), else the first name that sentence gives outside quotation marks."""
    before = text[:at]
    sentences = split_sentences(before) if before.strip() else []
    end = len(before)
    for sentence in reversed(sentences[-(ANTECEDENT_SENTENCES + 1):]):
        start = before.rfind(sentence, 0, end)
        end = start
        said = next(attributions(sentence, pronouns=False), None)
        if said is not None:
            return said.speaker, start + said.start, start + said.end, said.role
        # quotation marks hold what was said ("Fennick Athletic is staying…"), not who said it
        plain = _QUOTED.sub(lambda m: " " * len(m.group()), sentence)
        for name in _NAME_RUN.finditer(plain):
            words = name.group().split()
            skip = 0  # "On Monday", "In March": a capitalised opening is no name
            while skip < len(words) and (words[skip].lower() in lx.FUNCTION or words[skip].lower() in lx.DAYS
                                         or words[skip].lower() in lx.MONTHS):
                skip += 1
            words = words[skip:]
            if len(words) < 2 or all(w.lower().strip(".") in lx.TITLES for w in words):
                continue
            first = name.start() + name.group().index(words[0])
            return _normalise(" ".join(words)), start + first, start + name.end(), None
    return None


def _attribution(text: str, found: tuple[str, int, int, str | None], cue: int, cue_end: int,
                 kind: str) -> Attribution:
    speaker, start, end, role = found
    roles = [r for r in (role, *_describe(text, start, end), _title(speaker)) if r]
    return Attribution(speaker, start, end, cue, cue_end, kind, ", ".join(dict.fromkeys(roles)) or None)


def speaker_roles(texts: list[str]) -> list[str | None]:
    """The role of each paragraph's speaker (`find_speaker`) in a story of paragraphs `texts`: what its
    own attribution calls the speaker, else what the story calls the same person where it names them
    ("Okonjo said" after "Substitute Tobi Okonjo headed in …" and "Okonjo, a 19-year-old striker, …")."""
    found = [next(attributions(text), None) for text in texts]
    roles: list[str | None] = []
    for attribution in found:
        if attribution is None or attribution.role:
            roles.append(attribution.role if attribution else None)
            continue
        surname = attribution.speaker.split()[-1]
        if not surname[:1].isupper() or len(surname) < 3:
            roles.append(None)  # a group ("residents") is not named again by a surname
            continue
        roles.append(", ".join(dict.fromkeys(_mentions(texts, surname, attribution.speaker))) or None)
    return roles


def _mentions(texts: list[str], surname: str, speaker: str) -> Iterator[str]:
    """What the story calls the person `surname` wherever it names them: the longer name it uses
    ("Substitute Tobi Okonjo") and any description beside it."""
    pattern = re.compile(rf"\b{re.escape(surname)}\b")
    for text in texts:
        for match in pattern.finditer(text):
            start = match.start()
            while True:  # back over the rest of the name: "Tobi", "Sen.", "Substitute"
                before = text[:start].rstrip(" ")
                word = before.split(" ")[-1] if before else ""
                if len(before) == start - 1 and word and (word[:1].isupper() or word.lower() in _HONORIFICS) \
                        and word[-1] not in _STOPS.replace(".", "") and (word[-1] != "." or word.lower() in _HONORIFICS) \
                        and word.lower() not in _ARTICLES:
                    start = len(before) - len(word)
                    continue
                break
            name = text[start:match.end()]
            if name != speaker and len(name.split()) > 1:
                yield name
                title = _title(name)
                if title:
                    yield title
            yield from _describe(text, start, match.end())


def _title(name: str) -> str | None:
    """The role an abbreviated title spells: "Gov. Nathan Ellery" → "governor"."""
    return _HONORIFICS.get(name.split()[0].lower()) if name else None


def _describe(text: str, start: int, end: int) -> list[str]:
    """What `text` calls the person named at `text[start:end]` besides the name: "union president"
    before it, "Harlow State's provost, …" or "…, a staff attorney with the Alliance," beside it."""
    roles = []
    lead = _lead(text, start)
    if lead:
        roles.append(lead)
    after = text[end:]
    # "According to Anselm, the penalty decision …": what follows the comma is what was said.
    if after.startswith(",") and not text[:start].rstrip().lower().endswith("according to"):
        segment = _SEGMENT_END.split(after[1:], maxsplit=1)[0].strip()
        if _is_role(segment):
            roles.append(segment)
    before = text[:start].rstrip()
    if before.endswith(","):
        segment = _SEGMENT_END.split(before[:-1])[-1].strip()
        if _is_role(segment) and role_word(segment.split()[-1]):
            roles.append(_resolve_possessive(segment, before[:before.rindex(segment)]))
    return roles


# "The League of Municipalities, which represents 212 towns, opposed the bill.": the body a sentence
# is about, named at its start.
_SUBJECT = re.compile(r"^(?:The\s+)?(?P<name>[A-Z][\w’'&-]*(?:\s+(?:of|and|for|the|[A-Z][\w’'&-]*))*)")


def _resolve_possessive(segment: str, preceding: str) -> str:
    """ "Its executive director" after a sentence about the League of Municipalities is the League of
    Municipalities' executive director; without such a sentence, "executive director"."""
    first, _, rest = segment.partition(" ")
    if first.lower() not in {"its", "his", "her", "their"} or not rest:
        return segment
    sentences = split_sentences(preceding.strip())
    if first.lower() in {"its", "their"} and sentences and sentences[-1][-1:] in ".!?":
        subject = _SUBJECT.match(sentences[-1])
        if subject:
            owner = subject.group("name").rstrip()
            return f"{owner}{'’' if owner.endswith('s') else '’s'} {rest}"
    return rest


# Where an appositive ends: a comma, a clause mark or quote, or a full stop ("£6.5 million" is not one).
_SEGMENT_END = re.compile(r"[,;:!?\"“”()]|\.(?=\s|$)")


def _lead(text: str, start: int) -> str | None:
    """Role words written straight before a name: "union president", "Tamarack's operations vice president"."""
    taken: list[str] = []
    for raw in reversed(text[:start].rstrip(" ").split(" ")):
        word = raw.strip()
        if not word or word[-1] in _STOPS or len(taken) >= 6 or word.lower() in _ARTICLES | _PRONOUNS:
            break
        lowered = word.lower()
        if lemma_stem(lowered) in lx.SAY_STEMS:
            break  # "said board president Maria Delgado"
        if _phrase_word(word) or (taken and (word[:1].isupper() or (word.isalpha() and lowered not in lx.FUNCTION))):
            taken.append(word)
            continue
        break
    while taken and not role_word(taken[0]):  # the phrase is headed by a role word ("union president")
        taken.pop(0)
    while taken and taken[-1][:1].islower() and not role_word(taken[-1]):
        taken.pop()
    return " ".join(reversed(taken)) or None


def _is_role(segment: str) -> bool:
    """An appositive that describes a person: "a staff attorney with …", "Tamarack's vice president of
    operations", "who chairs the committee" — not "adding that …" or a second name."""
    words = segment.split()
    if not words or len(words) > 16 or not any(w[:1].islower() for w in words):
        return False
    first = words[0].lower()
    if first in lx.PREPOSITIONS or first == "according":
        return False  # "According to the Ukrainian official, President Zelensky …" cites, not describes
    if words[0][:1].islower() and first not in _ARTICLES | {"who", "whose", "its", "his", "her", "their"} \
            and not role_word(first):
        return False  # "told reporters that …", "adding that …": the sentence goes on, no role
    # "Eleanor Brandvold, a product-safety advocate at …,": an indefinite appositive describes its name
    return first in {"who", "whose", "a", "an"} or any(role_word(w) for w in words[:5])


def _appositive_before(text: str, end: int) -> tuple[str, int, int, str | None] | None:
    """ "Harlow State's provost, Gerald Okafor, told reporters", "Marcus Feld, a third-year student, said",
    "Celeste Ngata, who has no vote, said": the name set off by commas before the verb."""
    head = text[:end].rstrip()
    if not head.endswith(","):
        return None
    clause_start = max(head.rfind(c) for c in ".!?;:\"“”") + 1
    while clause_start > 0 and head[:clause_start - 1].split(" ")[-1].lower() + "." in _HONORIFICS:
        clause_start = max(head.rfind(c, 0, clause_start - 1) for c in ".!?;:\"“”") + 1
    at = len(head) - 1  # the comma before the verb
    for _ in range(4):  # the name, after at most a description or two between commas
        seg_start = head.rfind(",", clause_start, at) + 1 or clause_start
        segment = head[seg_start:at].strip()
        if not segment:
            return None
        if _is_name(segment):
            start = head.index(segment, seg_start)
            return _normalise(segment), start, start + len(segment), None
        if not (_is_role(segment) or segment.isdigit() or segment.split()[0].lower() in lx.PREPOSITIONS):
            return None
        at = seg_start - 1
        if at <= clause_start:
            return None
    return None


def _is_name(segment: str) -> bool:
    words = segment.split()
    return 0 < len(words) <= 5 and words[0].lower() not in _ARTICLES | _PRONOUNS and all(
        w[:1].isupper() or w.lower() in _HONORIFICS for w in words) and not all(w.lower() in lx.TITLES for w in words)


def _speech_verbs(text: str, any_form: bool) -> Iterator[tuple[int, int]]:
    if not any_form:
        yield from (m.span() for m in _SPEECH.finditer(text))
        return
    for m in WORD.finditer(text):
        if lemma_stem(m.group().lower()) in lx.SAY_STEMS:
            yield m.span()


def _phrase_before(text: str, end: int) -> tuple[str, int, int, str | None] | None:
    """Walk back from `end` over words that can form a speaker's noun phrase."""
    taken: list[tuple[str, int]] = []  # (word, where it starts)
    at = len(text[:end].rstrip())
    if text[:at].rsplit(" ", 1)[-1].lower() in _JOINERS:
        return None  # "… apologised to affected customers and said": the customers said nothing
    for raw in reversed(text[:at].split(" ")):
        at -= len(raw) + 1
        word = raw.strip()
        if not word or (word[-1] in _STOPS and word.lower() not in _HONORIFICS) or len(taken) >= _MAX_WORDS:
            break
        bare = word.lstrip(_OPENERS)
        if not _fits(bare, taken[-1][0] if taken else None):
            break
        taken.append((bare, at + 1 + raw.index(bare)))
        if bare.lower() in _ARTICLES or word != bare:  # an article or an opening quote starts the phrase
            break
    if taken and taken[-1][0].lower() in _ARTICLES:
        # "the head of the League": the job the body's name follows is the speaker
        job = _JOB_OF.search(text[:taken[-1][1]])
        if job is not None and role_word(job.group("job")):
            taken += [("of", job.start("of")), (job.group("job"), job.start("job"))]
            if job.group("article"):
                taken.append((job.group("article"), job.start("article")))
    taken.reverse()
    return _speaker(taken)


_JOINERS = {"and", "but", "or", "then"}  # a second verb of the same subject: "visited the site and said"
_JOB_OF = re.compile(r"(?:(?P<article>\b[Tt]he|\b[Aa]n?)\s+)?(?P<job>\b[A-Za-z]+)\s+(?P<of>of)\s+$")


def _phrase_after(text: str, start: int) -> tuple[str, int, int, str | None] | None:
    """Read forward from `start` ("said the city's engineer, …") over a speaker's noun phrase."""
    taken: list[tuple[str, int]] = []
    at = start
    for raw in text[start:].split(" "):
        where, at = at, at + len(raw) + 1
        word = raw.strip()
        if not word or len(taken) >= _MAX_WORDS:
            break
        if word.lower() in _HONORIFICS:  # "said Sen. Adriana Kowalczyk"
            taken.append((word, where + raw.index(word)))
            continue
        bare = word.rstrip(_STOPS + "!?)")
        if not bare or bare.lower() in _PRONOUNS or bare.lower() in lx.DAYS:
            break
        if taken and bare.lower() in _ARTICLES:
            break
        if not (bare[:1].isupper() or _phrase_word(bare) or (taken and bare.lower() in lx.PREPOSITIONS)):
            break
        taken.append((bare, where + raw.index(bare)))
        if bare != word:  # punctuation ends the phrase: "said Priya Nair, a nurse"
            break
    return _speaker(taken)


def _fits(bare: str, after: str | None) -> bool:
    """Whether `bare` can stand in a speaker's phrase before the word `after` (walking back)."""
    lowered = bare.lower()
    if lowered in _PRONOUNS:
        return False
    if after is not None and lowered in lx.PREPOSITIONS:
        return True  # kept only if a group comes before it: see _speaker
    if bare[:1].isupper() or _phrase_word(bare):
        return True
    # "business owners", "retired teachers": a plain word describing the people after it
    return after is not None and bare.isalpha() and _phrase_word(after) and lowered not in lx.FUNCTION


def _phrase_word(word: str) -> bool:
    return word.lower().rstrip("'’").removesuffix("’s").removesuffix("'s") in _PHRASE_WORDS


def role_word(word: str) -> bool:
    """A word that names what a person is ("provost", "attorney"), not one that only joins a phrase."""
    return _phrase_word(word) and word.lower() not in _ARTICLES | {"and", "of"}


def _speaker(taken: list[tuple[str, int]]) -> tuple[str, int, int, str | None] | None:
    """The speaker the phrase names, with where its words start and end: a preposition stays only after
    the group it places ("owners on Dock Street"); a lower-case description before a name gives way to
    the name."""
    words = [w for w, _ in taken]
    first = len(words) - len(_placed(words))
    last = len(words)
    while last > first and words[last - 1].lower() in _ARTICLES | {"and", "of"} | lx.PREPOSITIONS:
        last -= 1
    if last == first or all(w.lower() in _ARTICLES for w in words[first:last]):
        return None
    phrase = first
    first = last - len(_name_over_description(words[first:last]))
    end = taken[last - 1][1] + len(words[last - 1])
    role = " ".join(w for w in words[phrase:first] if w.lower() not in _ARTICLES) or None
    if role and all(w.lower() in lx.FUNCTION for w in role.split()):
        role = None
    return _normalise(" ".join(words[first:last])), taken[first][1], end, role


def _placed(words: list[str]) -> list[str]:
    """Drop what comes before a preposition unless it names people the preposition places: "Business
    owners on Dock Street" keeps all, "the closure on Dock Street" (no group) keeps "Dock Street"."""
    for i, word in enumerate(words):
        if word.lower() in lx.PREPOSITIONS and word.lower() != "of":
            if i == 0 or not _phrase_word(words[i - 1]) or words[i - 1].lower() in _ARTICLES:
                return _placed(words[i + 1:])
    return list(words)


def _name_over_description(words: list[str]) -> list[str]:
    """ "union president Tom Alvarez" → "Tom Alvarez"; "Mayor Jane Ortiz", "a senior Israeli official" stay."""
    if not words[-1][:1].isupper() or any(w.lower() in lx.PREPOSITIONS | {"and"} for w in words):
        return words
    first = len(words)
    while first > 0 and words[first - 1][:1].isupper():
        first -= 1
    if first == 0 or words[first - 1].lower() in _ARTICLES:
        return words
    return words[first:]


def _normalise(phrase: str) -> str:
    phrase = phrase.strip()
    first, _, rest = phrase.partition(" ")
    if first in {"A", "An", "The"} and rest:
        return f"{first.lower()} {rest}"
    return phrase
