"""What a question asks for, and whether a sentence has that kind of thing in it.

"how many countries abstained" wants a number, "when was …" a day, date or time, "how long …"
a duration, "who …" a person or body, "why …" a reason, "where …" a place. A sentence that holds
no such thing rarely answers, whatever words it shares with the question. "what did X say"
asks for the words of speaker X. These are plain English cues, not knowledge of any one story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storybot.index.language.text import STOPWORDS, normalise, tokens, words

_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                 r"sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?|dozens?")
_MONTHS = (r"january|february|march|april|may|june|july|august|september|october|november|december|"
           r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec")
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_UNITS = r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries|millennia|millennium"

# What kind of thing a sentence contains (matched on the sentence, case-insensitively).
_TYPE_PATTERNS: dict[str, re.Pattern[str]] = {
    "number": re.compile(rf"\b(?:\d[\d,.]*%?|{_NUMBER_WORDS}|percent|majority|half)\b", re.I),
    "time": re.compile(
        rf"\b(?:{_WEEKDAYS}|{_MONTHS}|1\d{{3}}|20\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)|today|yesterday|tomorrow|tonight|"
        rf"ago|earlier|later|since|until|morning|afternoon|evening|night|weekend|"
        rf"(?:last|next|this|previous|following|same)\s+(?:week|month|year|day|time)|{_UNITS}|"
        rf"(?:early|late|mid)[\s-]\w+|century|decade|era|period|season|date|dates|time)\b", re.I),
    "duration": re.compile(rf"\b(?:{_UNITS}|long|short|quickly|soon|lasted|lasting)\b", re.I),
    "cause": re.compile(
        r"\b(?:because|due to|in order to|so that|so as to|as a result|owing to|thanks to|reasons?|caused?|"
        r"since|after|amid|over|for fear|aimed at|in exchange|in response|to avoid|to give|why)\b", re.I),
    "place": re.compile(
        r"\b(?:in|at|near|from|into|across|throughout)\s+(?:the\s+)?[A-Z]\w+|\b(?:located|situated|city|town|"
        r"village|country|countries|state|region|capital|county|province|island|river|north|south|east|west|"
        r"northern|southern|eastern|western|border|headquarters|based)\b"),
}
# "person" is found on the original casing: a role noun, or a capitalised name not starting the sentence.
_ROLE = re.compile(
    r"\b(?:officials?|president|minister|ministry|office|spokes(?:man|woman|person|people)|ambassador|envoy|leaders?|"
    r"government|king|queen|prince|emperor|author|writer|director|founder|inventor|actor|actress|singer|player|"
    r"team|company|band|members?|people|he|she|they|who|himself|herself|diplomats?|aides?|sources?)\b", re.I)
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|[A-Z]\.))+")

# What a question asks for, tried in order; the first match wins.
_KIND_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("name", re.compile(r"\bname\s+of\b|\bwhat(?:'s|’s|\s+is|\s+was|\s+are)\s+(?:the|his|her|their|its)\s+names?\b|"
                        r"^\s*who\s+(?:is|was|are|were)\s+(?:the\b|a\b|an\b|[\w-]+(?:'s|’s)\s)", re.I)),
    ("duration", re.compile(r"\bhow\s+(?:long|soon|quickly)\b(?!\s+ago)|\b(?:duration|timeline|timeframe)\b", re.I)),
    ("number", re.compile(r"\bhow\s+(?:many|much|old|far|big|large|tall|high)\b|\b(?:number of|count|tally|"
                          r"percentage|margin|score)\b|\bwhat\s+(?:number|percent|share|amount)\b", re.I)),
    ("time", re.compile(r"\bwhen\b|\b(?:what|which)\s+(?:day|date|year|month|time|century|decade|era)\b|"
                        r"\b(?:date|what\s+time)\b|\bhow\s+long\s+ago\b", re.I)),
    ("cause", re.compile(r"\bwhy\b|\bhow\s+come\b|\b(?:reason|reasons|motive|cause)\b", re.I)),
    ("person", re.compile(r"\b(?:who|whom|whose)\b|\b(?:which|what)\s+(?:person|people|official|officials|leader|"
                          r"leaders|country|countries|body|organi[sz]ation|team|company|group)\b", re.I)),
    ("place", re.compile(r"\bwhere\b|\b(?:which|what)\s+(?:city|country|state|place|region|town|territory|continent)\b",
                         re.I)),
]

# Whose words the question wants: "what did X say", "did X tweet", "according to X", "X's statement",
# "netanyahu office statement", "quote from X". The captured X is matched against paragraph speakers.
_SPEECH_VERBS = r"(?:say|said|says|tweet|tweeted|tweets|write|wrote|post|posted|comment|claim|claimed|state|stated|" \
                r"announce|announced|tell|told|describe)"
_SPEECH_NOUNS = r"(?:statement|quote|comments?|words|tweets?|remarks|post|says|said|told|tweeted|claimed|announced)"
_SAID_BY = [
    # (?<!the ), (?!'s): "how much have rents gone up in the state", "what did Harlow State's provost say"
    # ask no one to state anything.
    re.compile(rf"\b(?:what|how|which)(?:\s+\w+)?\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+(?<!the )"
               rf"{_SPEECH_VERBS}\b(?!['’]s\b)", re.I),
    re.compile(rf"^\s*(?:did|does|has|have|had)\s+(?P<who>.+?)\s+(?<!the ){_SPEECH_VERBS}\b(?!['’]s\b)", re.I),
    re.compile(r"\baccording to\s+(?P<who>[^,?.]+)", re.I),
    re.compile(rf"\b(?:{_SPEECH_NOUNS})\s+(?:from|by|of)\s+(?P<who>[^,?.]+?)"
               r"(?:\s+(?:on|about|over|regarding)\b|[,?.]|$)", re.I),
    re.compile(rf"(?P<who>(?:\b[\w’'-]+\s+){{0,3}}?\b[\w’'-]+?)(?:'s|’s)?\s+{_SPEECH_NOUNS}\b", re.I),
]
# What the answering sentence must itself hold. "Who is Israel's foreign minister?": the role, in the
# sentence with the name (one naming other people, "Prime Minister Netanyahu", does not answer). "What is the
# population of Jerusalem?": the attribute asked about, in the present tense (a current fact that a
# news story rarely states; a sentence about Jerusalem without it does not answer).
_FOCUS_ASKED = [
    re.compile(r"^\s*who\s+(?:is|was|are|were)\s+(?:the|a|an|[\w-]+(?:'s|’s))\s+(?P<focus>[^?.,!]+)", re.I),
    re.compile(r"^\s*what(?:'s|’s|\s+is|\s+are)\s+the\s+(?P<focus>\w+(?:\s+\w+)?)\s+(?:of|in|at|for)\b", re.I),
]
_RELATIVE = re.compile(r"\b(?:that|who|whom|whose|which)\b", re.I)
_COUNT = re.compile(rf"\d[\d,.]*|(?:{_NUMBER_WORDS})", re.I)
# Preambles that carry no content: the embedding should see the claim, not the hedging.
_PREAMBLE = re.compile(
    r"^\s*(?:(?:so|ok|okay|hey|hi|please|pls)[,\s]+)*(?:is\s+it\s+(?:true|correct|right|accurate)\s+(?:that\s+)?|"
    r"(?:can|could)\s+you\s+(?:tell|explain)\s+(?:me\s+)?|tell\s+me\s+|i\s+(?:heard|read)\s+(?:that\s+)?|"
    r"(?:do|did)\s+(?:you\s+know\s+)?(?:if|whether)\s+)", re.I)


@dataclass(frozen=True)
class QuestionCues:
    kind: str | None        # "number", "time", "duration", "cause", "person", "place" or None
    speaker: frozenset[str]  # stemmed content words naming whose words are asked for; empty if none
    focus: frozenset[str] = frozenset()  # "who is the X", "what is the X of": stemmed words of X, which
                                         # the answering sentence must hold


# Words that frame a question rather than say what it is about. "How many users …": a paragraph
# with "many" in it is no closer to the answer. "What did the CEO say about …": the speaker cue
# finds the CEO's words, and a "saying" or "about" elsewhere is noise.
# "What did her old assistant say?": a pronoun names no one the story quotes.
_PERSONAL = frozenset({"he", "she", "they", "him", "her", "his", "them", "its", "our", "my", "your", "we", "i"})
_DEGREE = re.compile(r"\bhow\s+(?P<word>many|much)\b", re.I)
_SAYING = frozenset({"say", "says", "said", "saying", "tell", "tells", "told", "about"})


def frame_words(question: str, cues: QuestionCues) -> frozenset[str]:
    """The question's framing words, as tokens() spells them, to leave out of word matching."""
    text = normalise(question)
    framing = [m.group("word") for m in _DEGREE.finditer(text)]
    if cues.speaker:
        framing += [w for w in words(text) if w in _SAYING]
    return frozenset(t for w in framing for t in tokens(w))


def question_cues(question: str) -> QuestionCues:
    """The expected answer type and the speaker asked about, from the question's wording."""
    text = strip_preamble(normalise(question))
    kind = next((k for k, pattern in _KIND_PATTERNS if pattern.search(text)), None)
    speaker: frozenset[str] = frozenset()
    for pattern in _SAID_BY:
        match = pattern.search(text)
        who = [t for t in tokens(match.group("who")) if t not in _PERSONAL] if match else []
        if who:
            speaker = frozenset(who)
            break
    focus: frozenset[str] = frozenset()
    for pattern in _FOCUS_ASKED:
        match = pattern.search(text)
        if match:
            # The role asked about, not how many hold it or what they did: "who were the two trustees that
            # voted no" needs a sentence naming trustees, which may say "cast the dissenting votes".
            role = _RELATIVE.split(match.group("focus"), maxsplit=1)[0]
            focus = frozenset(t for t in tokens(role) if not _COUNT.fullmatch(t))
            break
    return QuestionCues(kind=kind, speaker=speaker, focus=focus)


def strip_preamble(question: str) -> str:
    """"Is it true that 87 countries backed it?" → "87 countries backed it?"."""
    stripped = _PREAMBLE.sub("", question, count=1)
    return stripped if stripped.strip() else question


def answer_types(sentence: str) -> frozenset[str]:
    """The kinds of answer `sentence` can give."""
    text = normalise(sentence)
    found = {kind for kind, pattern in _TYPE_PATTERNS.items() if pattern.search(text)}
    if _ROLE.search(text) or _NAME.search(text):
        found.add("person")
    if _NAME.search(text):
        found.add("name")
    return frozenset(found)


# Countries, for names typed in lower case ("how did hungary vote"): general knowledge, not any
# story's. A capitalised name is recognised by its capital letter instead.
COUNTRIES = frozenset("""
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain
bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria
burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia
denmark djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia
georgia germany ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia
iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos
latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives
mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique
myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama
paraguay peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles
singapore slovakia slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania
thailand togo tonga tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela
vietnam yemen zambia zimbabwe
""".split()) | {"united states", "united kingdom", "south africa", "south korea", "north korea", "new zealand",
                "saudi arabia", "sri lanka", "costa rica", "el salvador", "sierra leone", "south sudan",
                "ivory coast", "east timor", "cape verde", "san marino", "vatican", "usa", "uk", "uae"}
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w’'-]*)*")
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s*)\W*$")


def named_terms(question: str) -> list[str]:
    """Names the question mentions, lower-cased: capitalised words or phrases after the first word
    (unless the question capitalises its small words too, as headlines and shouting do) and
    country names in any case."""
    text = strip_preamble(normalise(question))
    found: list[str] = []
    rest = text.split()[1:]
    shouting = any(w[:1].isupper() and w.lower().strip("?!.,") in STOPWORDS for w in rest)
    if rest and not shouting:
        for match in _CAPITALISED.finditer(text):
            phrase = match.group(0)
            if _SENTENCE_START.search(text[:match.start()]):  # capitalised for grammar, not as a name
                first, _, phrase = phrase.partition(" ")
                phrase = re.sub(r"^(?:(?:of|the|de)\s+)+", "", phrase)  # "Did the PM's" → "PM's", not "the PM's"
            if phrase:
                found.append(_POSSESSIVE.sub("", phrase).lower())
    lowered = " " + re.sub(r"[^\w\s]", " ", text.lower()) + " "
    found += [c for c in COUNTRIES if f" {c} " in lowered and c not in found]
    if " the us " in lowered and "us" not in found:  # typed in lower case: "the us" is never "us"
        found.append("us")
    return [f for f in dict.fromkeys(found) if f]
