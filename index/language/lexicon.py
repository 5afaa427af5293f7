"""The word knowledge the claim checker uses: general English, written down so every verdict can be explained.

Nothing here names a particular story. The groups are ordinary news vocabulary: ways of saying
"voted in favor", "did not attend", "promised", "was disappointed"; words that mean the same thing
("aid" / "assistance"); words that turn a statement into a request or a refusal.
"""

from __future__ import annotations

import functools
from pathlib import Path

from storybot.index.language.text import IRREGULAR, lemma_stem, stem  # noqa: F401 (part of the lexicon)

def _stems(words: str) -> frozenset[str]:
    return frozenset(lemma_stem(w) for w in words.split())


# Words that mean the same thing for the purpose of "does the story say this".
SYNONYM_GROUPS = [
    # A level going down or up, however it is worded ("the loss shrank" / "narrowing"); not "decline"
    # (as often "declined to comment") nor the acts "cut"/"raise", which need someone doing them.
    _stems("fall fell drop slip slide sink tumble plunge dip slump shrink shrank shrunk narrow"),
    _stems("rise rose grow grew climb jump soar surge widen"),
    _stems("aid assistance help support"),
    _stems("provide give supply deliver send sell grant transfer ship"),
    _stems("ready open willing prepared"),
    _stems("later future eventually"),
    _stems("tell instruct order direct"),
    _stems("ask request urge"),
    _stems("say state tell read cite write note mention add claim tweet"),
    _stems("address deal cover concern examine consider"),
    _stems("several series multiple many number some"),
    _stems("countries nations states"),
    _stems("furious angry outraged enraged irate livid"),
    _stems("satisfied happy pleased glad content"),
    _stems("disappointed dissatisfied unhappy frustrated upset displeased"),
    _stems("call phone ring"),
    _stems("talk speak discuss conversation call"),
    _stems("meet meeting"),
    _stems("conversation talk discussion"),
    _stems("back support endorse"),
    _stems("oppose reject"),
    _stems("skip boycott miss"),
    _stems("approve adopt pass"),
    _stems("acquit clear exonerate"),
    _stems("release launch debut premiere unveil open"),
    _stems("surpass overtake exceed outsell"),
    _stems("form found establish create"),
    _stems("commit promise pledge vow guarantee"),
    _stems("agree accept consent"),
    _stems("refuse refusal decline reject"),
    _stems("congratulate"),
    _stems("opinion ruling"),
    _stems("court icj"),
    _stems("defense defence defend protect"),
    _stems("weapons arms systems"),
    _stems("ambassador envoy"),
    _stems("leader president"),
    _stems("process take last"),
    _stems("attack strike"),
    _stems("want wish seek"),
    _stems("change alter"),
    _stems("security defense"),
    _stems("factory plant"),
    _stems("stop halt cease suspend pause"),
    _stems("accord agreement pact treaty deal"),
]

# A verb and its particle said as one verb: "pull out" is "withdraw", "call off" is "cancel".
PHRASAL_VERBS = {
    (v, p): _stems(words) for (v, p), words in {
        ("pull", "out"): "withdraw quit exit leave", ("call", "off"): "cancel abandon scrap",
        ("put", "off"): "postpone delay", ("set", "up"): "establish create found form launch",
        ("turn", "down"): "reject refuse decline", ("step", "down"): "resign quit",
        ("carry", "out"): "conduct perform execute", ("find", "out"): "discover learn",
        ("give", "up"): "abandon surrender quit", ("hand", "over"): "transfer surrender give",
        ("look", "into"): "investigate examine review probe", ("take", "over"): "acquire assume seize",
        ("shut", "down"): "close", ("close", "down"): "close", ("lay", "off"): "dismiss fire cut",
        ("break", "out"): "erupt start begin", ("put", "forward"): "propose suggest",
        ("rule", "out"): "exclude reject disallow", ("go", "ahead"): "proceed", ("cut", "back"): "reduce cut",
        ("step", "up"): "increase intensify", ("point", "out"): "note say", ("back", "down"): "retreat yield",
        ("come", "back"): "return", ("go", "back"): "return", ("bring", "back"): "restore return reinstate",
        ("hold", "off"): "delay postpone", ("sign", "up"): "join enrol enroll register",
        # not verbs and particles, but said as one verb all the same
        ("open", "to"): "consider entertain", ("hold", "on"): "keep retain",
    }.items()
}
SYNONYMS: dict[str, frozenset[str]] = {}
for _group in SYNONYM_GROUPS:
    for _s in _group:
        SYNONYMS[_s] = SYNONYMS.get(_s, frozenset()) | _group

# Sentence structure: what ends a clause, what may stand before a name or after a figure.
CLAUSE_PUNCT = frozenset(',;:.!?()"—–[]')
CLAUSE_WORDS = frozenset({"but", "because", "while", "although", "though", "whereas", "if", "unless"})
MODIFIERS = frozenset({"the", "a", "an", "senior", "top", "new", "former", "foreign", "some", "several", "other",
                        "his", "her", "their", "its", "our", "two", "three", "both", "many", "few", "all", "each",
                        "neither", "either", "every", "no", "any", "this", "these", "those", "current"})
TRAILING = frozenset({"of", "the", "a", "an", "to", "in", "on", "at", "with", "and", "its", "their"})
ADVERBS = frozenset({"also", "then", "previously", "officially", "already", "still", "later", "reportedly",
                      "just", "never", "ever", "before", "now", "at", "least", "even", "only", "again", "once"})

# Function words: never "content" a claim must be backed on.
FUNCTION = frozenset("""
a an the and or but nor so yet if then than that this these those there here it its it's they them their theirs
he him his she her hers we us our ours you your i me my mine who whom whose which what when where why how
is am are was were be been being has have had having do does did doing will would shall should can could may
might must to of in on at by for with from about against between into through during before after above below
over under up down out off again further once all any both each few more most other some such only own same
too very just also not no never as until while because although though whereas whether s t
""".split())

# Verbs and adverbs that carry no checkable fact ("it came up", "took place", "officially").
LIGHT = _stems("""
come take place make get go happen occur officially reportedly previously recently already still even
actually late early just ever instead according time
""")  # stems: compare with Tok.stem

# Words that open a "when" or "where" rather than a "what" after a predicate.
ADJUNCT_WORDS = frozenset({"after", "before", "during", "since", "until", "when", "while", "as", "at"})
NEGATORS = frozenset({"not", "never", "no", "neither", "nor", "none", "nobody", "nothing", "without"})
# "refused to X", "refusal to X", "declined to X", "failed to X": X did not happen.
NEGATIVE_IMPLICATIVES = _stems("refuse refusal decline fail reject")
# "decided to X", "chose to X": X happened (or was settled).
POSITIVE_IMPLICATIVES = _stems("decide choose opt manage vote")
# Governors after which an infinitive or gerund is only wished, asked or offered, not done.
MODALS = frozenset({"would", "could", "should", "may", "might", "will", "shall", "must", "can", "if"})
AUXILIARIES = frozenset({"is", "am", "are", "was", "were", "be", "been", "being", "has", "have", "had",
                         "do", "does", "did", "will", "would", "could", "should", "may", "might", "must",
                         "can", "shall"})
BE = frozenset({"is", "am", "are", "was", "were", "be", "been", "being"})
PREPOSITIONS = frozenset("""
of in on at by for with from about against between into through during before after above below over under
to as like than including toward towards via per among amid despite within without across along around
""".split())
UNIVERSAL_OBJECTS = frozenset({"anything", "everything", "nothing", "any"})

# Nouns that head a mention of people or institutions ("foreign ministry officials", "the two leaders").
ROLE_NOUNS = frozenset("""
official officials minister ministers ministry ministries office offices ambassador ambassadors envoy envoys
government governments leader leaders country countries nation nations state states president presidents
spokesman spokeswoman spokesperson diplomat diplomats delegation delegations court council assembly
committee army military police troops lawmakers senators voters residents civilians people party parties
administration agency company companies member members prosecutors judge judges spokespeople aides aide
adviser advisers advisor advisors authorities authority parliament cabinet regime kremlin owners owner
workers employees residents students teachers doctors nurses patients customers businesses farmers parents
inspectors engineer engineers experts analysts critics protesters supporters opponents mayor governor department
""".split())
# Capitalised words that are titles, not names ("Prime Minister", "President").
TITLES = frozenset("""
prime minister president foreign ministry secretary general senator rep representative gov governor mr mrs
ms dr ambassador chancellor king queen prince pope sheikh mayor council sen councillor councilor
councilman councilwoman commissioner
""".split())
SENTENCE_STARTERS = frozenset("""
more most many several some few all both each every neither either no none one two three four five
israeli israelis according during after before while when although though however instead meanwhile
""".split()) - {"israeli", "israelis"}
PRONOUNS = frozenset({"he", "she", "they", "we", "him", "her", "them", "us", "i"})
RELATIVES = frozenset({"who", "which", "that", "whom"})

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                       "sept": 9, "oct": 10, "nov": 11, "dec": 12}

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
    "dozens": 24, "half": 0.5,
}
ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10}
# A share said as a fraction ("a third of", "two-fifths of"): the parts the whole is cut into.
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
             "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
CURRENCIES = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
MONEY_WORDS = frozenset({"cost", "price", "spend", "spent", "worth", "budget", "pay", "paid"})  # said by the amount
# Time units in days, for durations ("one to two years", "within six months").
TIME_UNITS = {"minute": 1 / 1440, "minutes": 1 / 1440, "hour": 1 / 24, "hours": 1 / 24, "day": 1, "days": 1,
              "week": 7, "weeks": 7, "month": 365 / 12, "months": 365 / 12, "year": 365, "years": 365,
              "decade": 3650, "decades": 3650}
# "up to two years" states the most; "at least" the least; "between one and two" both.
UPPER_BOUND = ("up to", "as long as", "as many as", "within", "at most", "no more than", "less than",
               "fewer than", "under", "no longer than")
LOWER_BOUND = ("at least", "more than", "over", "no less than", "longer than", "upwards of")
DEGREE = frozenset({"little", "slightly", "well", "far", "much", "just"})  # grading a bound: "a little over", "well over"
APPROXIMATE = ("about", "around", "roughly", "nearly", "almost", "approximately", "some", "close to")

# Dimensions whose values exclude each other: what an actor did at one vote, how someone felt,
# whether someone committed to something. A statement names a set of possible values.
VOTE_VALUES = frozenset({"for", "against", "abstain", "absent"})
STANCE_AFTER_VOTE = {"favor": "for", "favour": "for", "for": "for", "against": "against", "yes": "for", "no": "against"}
VOTE_WORDS = _stems("vote voted voting votes")
STAY_AWAY = lemma_stem("stay")  # "stayed away" from a vote: absent
STAY = _stems("remain stay")  # "will remain the same": no change
VOTE_TRIGGERS = {  # stem -> values the word asserts (before negation)
    **{s: frozenset({"for"}) for s in _stems("back support endorse")},
    **{s: frozenset({"against"}) for s in _stems("oppose")},
    **{s: frozenset({"abstain"}) for s in _stems("abstain abstaining abstention")},
    **{s: frozenset({"absent"}) for s in _stems("skip boycott absence absent")},
    stem("attend"): frozenset({"for", "against", "abstain"}),
}
# Nouns that state a predicate as much as its verb does ("Ukraine's absence", "made no commitments").
PREDICATE_NOUNS = _stems("absence absent abstention commitment commitments promise pledge refusal agreement")
# Opposite acts: "rejected" the resolution contradicts "approved" it (same actor, same object).
ANTONYMS = [(_stems("approve adopt pass accept sign"), _stems("reject veto")), (_stems("win won victory"), _stems("lose lost defeat")),
            (_stems("rise increase grow raise boost gain higher jump climb soar surge"),
             _stems("fall decrease drop decline cut reduce lower slip slide sink tumble plunge dip slump shrink slowdown downturn")),
            (_stems("open reopen"), _stems("close shut")), (_stems("confirm"), _stems("deny")),
            (_stems("allow permit"), _stems("ban forbid prohibit disallow")), (_stems("arrest detain"), _stems("release free")),
            (_stems("hire"), _stems("fire")), (_stems("free"), _stems("fare fee charge paid pay cost price")),
            (_stems("convict convicted guilty"), _stems("acquit acquitted clear cleared innocent")),
            (_stems("profit"), _stems("loss")), (_stems("more"), _stems("fewer less")),
            (_stems("larger bigger"), _stems("smaller")), (_stems("longer"), _stems("shorter")),
            (_stems("earlier"), _stems("later")), (_stems("above"), _stems("below")), (_stems("support"), _stems("oppose")),
            (_stems("likely expected probable"), _stems("unlikely improbable")),
            (_stems("consider entertain"), _stems("exclude")), (_stems("keep retain"), _stems("lose lost"))]
# A change of any kind: "will not change" denies each of them, "remains unchanged" is the opposite of each.
CHANGES = _stems("""
rise increase grow raise boost gain jump climb soar surge fall decrease drop decline cut reduce lower slip slide
sink tumble plunge dip slump shrink change alter
""")
ANTONYMS.append((CHANGES, _stems("unchanged steady")))
GENERAL = {s: frozenset({lemma_stem("change")}) for s in CHANGES}  # what denying the general act denies
# Words of change or margin: "up by $1,910", "an increase of $738", "won by three votes" state a gap.
CHANGE_STEMS = _stems("""
up down rise rose increase grow raise boost gain jump climb fall fell decrease drop decline cut reduce lower slip
shrink shrank shrunk narrow widen miss beat exceed trail win margin difference gap shortfall
""")
# "split the €4.6 million costs equally": each of the parties gets an equal share.
DIVIDE_STEMS = _stems("split divide share equally evenly")
AFFECT_VALUES = frozenset({"positive", "negative", "neutral"})
AFFECT_TRIGGERS = {
    **{s: frozenset({"positive"}) for s in _stems("satisfied happy pleased glad content like welcome delighted")},
    **{s: frozenset({"negative"}) for s in _stems(
        "disappointed dissatisfied unhappy frustrated upset displeased furious angry outraged dislike")},
}
# Promising entails agreeing; so "didn't agree to X" contradicts "promised X", not the other way round.
COMMIT_STEMS = _stems("commit commitment promise pledge vow guarantee")
AGREE_STEMS = _stems("agree agreement accept consent")
PROVIDE_STEMS = _stems("provide give supply deliver send sell grant transfer ship")
SAY_STEMS = _stems("say tell tweet write state confirm announce claim add post")


def spelling_key(stem: str) -> str:
    """British and American spellings as one ("colour"/"color", "metre"/"meter")."""
    return stem.replace("our", "or").replace("tre", "ter")


def synonyms(s: str) -> frozenset[str]:
    return SYNONYMS.get(s, frozenset({s}))


def antonyms(s: str) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for a, b in ANTONYMS:
        if s in a:
            out |= b
        elif s in b:
            out |= a
    return out


@functools.cache
def _wordnet_opposites() -> dict[str, frozenset[str]]:
    lines = (Path(__file__).with_name("wordnet_opposites.txt").read_text("utf-8")).splitlines()
    return {stem_: frozenset(rest.split()) for stem_, rest in (line.split("\t") for line in lines
                                                                if line and not line.startswith("#"))}


def contraries(s: str) -> frozenset[str]:
    """Words that may say the opposite of s: the sure opposites above and WordNet's antonyms ("cheap" /
    "expensive", "strong" / "weak"). Wider than `antonyms` and not sure enough to contradict a claim; enough
    to hold back support for one worded differently from the story."""
    return antonyms(s) | _wordnet_opposites().get(s, frozenset())


# Peoples whose name does not start with their country's: the shared-root rule of same_name misses them.
_IRREGULAR_DEMONYMS = {
    "swiss": "switzerland", "dutch": "netherlands", "french": "france", "welsh": "wales", "greek": "greece",
    "spanish": "spain", "british": "britain", "danish": "denmark", "dane": "denmark", "danes": "denmark",
    "swedish": "sweden", "swede": "sweden", "swedes": "sweden", "finnish": "finland", "finn": "finland",
    "finns": "finland", "polish": "poland", "pole": "poland", "poles": "poland", "irish": "ireland",
    "scottish": "scotland", "scots": "scotland", "english": "england", "turkish": "turkey", "turk": "turkey",
    "turks": "turkey", "thai": "thailand", "filipino": "philippines", "filipinos": "philippines",
    "icelandic": "iceland", "icelander": "iceland", "norwegian": "norway", "norwegians": "norway",
    "portuguese": "portugal", "belgian": "belgium", "belgians": "belgium", "lebanese": "lebanon",
    "sudanese": "sudan", "cypriot": "cyprus", "maltese": "malta", "monegasque": "monaco", "emirati": "emirates",
    "ghanaian": "ghana", "zimbabwean": "zimbabwe", "mozambican": "mozambique", "chilean": "chile",
    "chileans": "chile", "panamanian": "panama", "singaporean": "singapore", "burmese": "myanmar",
    "laotian": "laos", "malagasy": "madagascar", "montenegrin": "montenegro", "guinean": "guinea",
    "peruvian": "peru", "peruvians": "peru", "uruguayan": "uruguay", "paraguayan": "paraguay",
}
_PEOPLES_OF = {country: frozenset(p for p, c in _IRREGULAR_DEMONYMS.items() if c == country)
               for country in set(_IRREGULAR_DEMONYMS.values())}


def demonym_partners(word: str) -> frozenset[str]:
    """The country of an irregular demonym, or the demonyms of its country ("swiss" <-> "switzerland")."""
    word = word.removesuffix("'s")
    country = _IRREGULAR_DEMONYMS.get(word)
    return frozenset({country}) if country else _PEOPLES_OF.get(word, frozenset())


_DEMONYM_ENDINGS = ("", "i", "is", "ian", "ians", "an", "ans", "n", "ns", "ese", "ish", "y")


def same_name(a: str, b: str) -> bool:
    """Whether two lower-cased name words name the same thing ("israel"/"israeli", "ukraine"/"ukrainian")."""
    if a == b:
        return True
    a, b = a.removesuffix("'s"), b.removesuffix("'s")
    if a == b:
        return True
    if b in demonym_partners(a):
        return True
    short, long_ = sorted((a, b), key=len)
    root = short[:-1] if short[-1:] in {"e", "a", "y"} and len(short) > 4 else short
    return len(root) >= 4 and long_.startswith(root) and long_[len(root):] in _DEMONYM_ENDINGS + ("e", "a")
