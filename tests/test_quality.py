"""Answer quality, measured on the hand-written question files (behaviour, not timing), and the
pieces it is built from: typo correction, question cues, names the story never mentions."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from storybot.testing.paths import ROOT
from storybot.index.language.question import answer_types, frame_words, named_terms, question_cues
from storybot.index.language.spelling import Speller, damerau_levenshtein

DATA = ROOT / "benchmarks" / "data"


def _rates(engine, name: str) -> dict[str, float]:
    questions = [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line.strip()]
    answerable = [q for q in questions if q["paragraphs"]]
    unanswerable = [q for q in questions if not q["paragraphs"]]
    answers = {q["question"]: engine.ask(q["question"], top_k=1) for q in questions}
    top1 = sum(answers[q["question"]].passages[0].paragraph in q["paragraphs"] for q in answerable)
    answered = sum(answers[q["question"]].answered for q in answerable)
    declined = sum(not answers[q["question"]].answered for q in unanswerable)
    return {"top1": top1 / len(answerable), "answered": answered / len(answerable),
            "declined": declined / len(unanswerable)}


# Floors a little under what benchmarks/quality.py measures (README), so a change that makes
# answers worse fails here; the targets of the issue are higher and are reported, not asserted.
# Floors a few questions below what the shipped reader and weights (fitted on SQuAD and WikiQA train, not
# on this story) measure — 83.9% / 86.3% / 83.3% and 80.0% / 72.5% / 100% — so another CPU passes.
def test_story_questions_regression(engine):
    rates = _rates(engine, "story_questions.jsonl")
    assert rates["top1"] >= 0.82
    assert rates["answered"] >= 0.84
    assert rates["declined"] >= 0.75


def test_held_out_story_questions_regression(engine):
    rates = _rates(engine, "story_questions_heldout.jsonl")
    assert rates["top1"] >= 0.70
    assert rates["answered"] >= 0.675
    assert rates["declined"] >= 0.75  # 16 questions: two may flip on another CPU


@pytest.mark.parametrize("question, paragraphs", [
    ("how many countries abstained", {3}),
    ("How many countries voted against the resolution?", {3}),
    ("When was Netanyahu sworn in?", {9}),
    ("What did Netanyahu's office say?", {15}),          # the speaker asked about
    ("What did Zelensky tweet about the call?", {16}),
    ("netanyhu asked zelensky to vote aginst the resolution?", {1, 9}),  # typos
    ("israeli foriegn ministry furius ukraine", {8}),
    ("Why didn't Ukraine attend the General Assembly vote?", {2, 12, 13}),
])
def test_answers(engine, question, paragraphs):
    answer = engine.ask(question, top_k=1)
    assert answer.answered
    assert answer.passages[0].paragraph in paragraphs


@pytest.mark.parametrize("question", [
    "How did Germany vote?",             # a country the story never names
    "how did hungary vote",              # … typed in lower case
    "What did Zelensky discuss with Biden?",
    "How did the United States vote on the resolution?",  # both words occur, the name does not
    "How did the US vote on the resolution?",  # … nor its abbreviation
    "What did Russia say about the vote?",  # nobody in the story is quoted as Russia
    "bitcoin price today",
    "who won the world cup",
])
def test_declines_what_the_story_does_not_say(engine, question):
    answer = engine.ask(question, top_k=3)
    assert not answer.answered
    assert answer.passages, "the closest passages are still returned, labelled as non-answers"
    assert all(p.score < engine.threshold for p in answer.passages)


def test_only_the_answering_passage_clears_the_threshold(engine):
    passages = engine.ask("How many countries voted in favor of the resolution?", top_k=5).passages
    assert passages[0].paragraph == 3 and passages[0].score >= engine.threshold
    assert all(p.score < engine.threshold for p in passages[1:])


def test_scores_say_whether_each_passage_answers(engine):
    """`answered` is the top score against the threshold, and a passage below the answer that does not
    answer scores under it (a passage is never more of an answer than the one above it)."""
    for question, answers in (("how many countries abstained", True), ("How did Germany vote?", False)):
        answer = engine.ask(question, top_k=10)
        scores = [p.score for p in answer.passages]
        assert answer.answered is answers is (scores[0] >= engine.threshold)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert all(s < engine.threshold for s in scores[1:])


def test_source_restricts_the_answer_to_that_storys_own(two_story_engine):
    from storybot.testing.paths import SECOND_STORY_ID, STORY_ID

    question = "how many voted in favor"  # each story has its own answer: 87 countries; 7 council members
    answer = two_story_engine.ask(question, top_k=3, source=STORY_ID)
    assert {p.source for p in answer.passages} == {STORY_ID}
    assert answer.passages[0].paragraph == 3 and "87 countries" in answer.passages[0].highlight
    other = two_story_engine.ask(question, top_k=3, source=SECOND_STORY_ID)
    assert {p.source for p in other.passages} == {SECOND_STORY_ID}
    assert other.passages[0].paragraph == 3 and "voted 7 to 2" in other.passages[0].highlight


# --- typo tolerance ---------------------------------------------------------------------------

VOCABULARY = Counter({"netanyahu": 9, "zelensky": 9, "committee": 3, "against": 4, "jerusalem": 1,
                      "resolution": 8, "phone": 2, "office": 2, "did": 5, "well": 3})


@pytest.mark.parametrize("typo, fixed", [
    ("netanyhu", "netanyahu"), ("zelenksy", "zelensky"), ("commitee", "committee"),
    ("aginst", "against"), ("jerusalm", "jerusalem"), ("resolutoin", "resolution"), ("ofice", "office"),
    ("netenyahi", "netanyahu"), ("comitee", "committee"), ("zelenksyy", "zelensky"),  # two edits, long words
])
def test_speller_fixes_typos_onto_the_vocabulary(typo, fixed):
    assert Speller(VOCABULARY).correct(typo) == fixed


@pytest.mark.parametrize("word", [
    "died",      # a real word (the model knows it) is never "corrected" into a story word
    "phoned",    # an inflection of a vocabulary word ("phone") is not a typo
    "weld",      # too short to correct safely
    "jelensky",  # a different first letter is another word, not a slip
    "germany",   # nothing close in the vocabulary
    "ofcie",     # two edits from "office", but short words get one
    "revolution",  # a real word two edits from "resolution" stays itself
])
def test_speller_leaves_real_and_distant_words_alone(word):
    assert Speller(VOCABULARY, known={"died", "price", "revolution"}).correct(word) is None


def test_speller_prefers_one_edit_to_a_commoner_word_two_edits_away():
    assert Speller(Counter({"protest": 1, "protect": 99})).correct("protestt") == "protest"


@pytest.mark.parametrize("question, corrected", [
    ("What did Zelenskï say about Ukraïne?", "What did Zelensky say about Ukraine?"),  # one word, not "Zelensk" + "ï"
    ("What did Netanyáhu say?", "What did Netanyahu say?"),
])
def test_a_question_is_corrected_word_by_word_in_any_script(engine, question, corrected):
    assert engine.read(question).corrected == corrected


def test_damerau_levenshtein_counts_a_swap_as_one_edit():
    assert damerau_levenshtein("zelenksy", "zelensky") == 1
    assert damerau_levenshtein("aginst", "against") == 1
    assert damerau_levenshtein("kitten", "sitting") == 3


# --- question cues ------------------------------------------------------------------------------

@pytest.mark.parametrize("question, kind", [
    ("how many countries abstained", "number"),
    ("What was the final tally?", "number"),
    ("When did Netanyahu call Zelensky?", "time"),
    ("what day did netanyahu take office", "time"),
    ("how long will the court take", "duration"),
    ("Why did Ukraine skip the vote?", "cause"),
    ("Who summoned the Ukrainian ambassador?", "person"),
    ("Who is Israel's foreign minister?", "name"),
    ("what's the name of ukraine's ambassador to the un", "name"),
    ("Where is the court?", "place"),
    ("Did the resolution pass?", None),
])
def test_question_kind(question, kind):
    assert question_cues(question).kind == kind


@pytest.mark.parametrize("question, speaker", [
    ("what did netanyahu's office say", {"netanyahu", "offic"}),
    ("What did Zelensky tweet about the call?", {"zelenski"}),
    ("netanyahu office statement axios", {"netanyahu", "offic"}),
    ("quote from the ukrainian official on how the call ended", {"ukrainian", "offici"}),
    ("Is it true Zelensky said they discussed security cooperation?", {"zelenski"}),
    ("How many countries abstained?", set()),
    # a role, the story's subject's possessive kept (search.py sets it aside per story)
    ("What did Harlow State's provost say about the talks?", {"harlow", "state", "provost"}),
    # a pronoun names no one; "the state" and "State's" are not the verb "state"
    ("what did her old assistant say on the stand", {"old", "assist"}),
    ("How much have average rents gone up in the state?", set()),
])
def test_question_speaker(question, speaker):
    assert question_cues(question).speaker == speaker


@pytest.mark.parametrize("question, framing", [
    ("How many users were affected by the breach?", {"mani"}),
    ("how much money did the district save", {"much"}),
    ("What did the CEO say about the breach?", {"say", "about"}),  # the speaker cue finds the CEO's words
    ("What did Netanyahu tell Zelensky?", {"tell"}),
    ("What did Zelensky tweet about the call?", {"about"}),  # a tweet is what is asked for
    ("Is the report about the many victims?", set()),  # no "how many", nobody's words asked for
])
def test_question_framing_words_are_not_matched(question, framing):
    assert frame_words(question, question_cues(question)) == framing


def test_how_many_is_not_a_word_to_match(engine):
    assert "mani" not in engine.read("How many countries voted against it?").tokens
    assert "countri" in engine.read("How many countries voted against it?").tokens


@pytest.mark.parametrize("question, focus", [
    ("Who is Israel's foreign minister?", {"foreign", "minist"}),
    ("Who is the president of the ICJ?", {"presid", "icj"}),
    ("What is the population of Jerusalem?", {"popul"}),
    ("what's the weather in Kyiv", {"weather"}),
    ("Who summoned the Ukrainian ambassador?", set()),  # asks who did something, not who holds a role
    ("What was the final tally in the General Assembly?", set()),  # the past: what the story reports
    ("who is netanyahu", set()),
])
def test_question_focus(question, focus):
    assert question_cues(question).focus == focus


@pytest.mark.parametrize("question", [
    "Who is Israel's interior minister?",  # names in the story hold other roles
    "Who is the head of the ICJ?",
    "what's the area of the West Bank?",   # the West Bank is there, its area is not
])
def test_an_answer_must_hold_what_the_question_focuses_on(engine, question):
    assert not engine.ask(question, top_k=3).answered


def test_a_sentence_holding_the_focus_is_quoted_and_can_answer(engine):
    # Whether "Who is Ukraine's president?" is answered is the reader's call, and session 8's reader
    # declines it: it ranks ¶15 ("spoke to President Zelensky, and Ukraine …") first and judges it not
    # to say so. What the focus rule guarantees is that the sentence holding it is the one quoted.
    answer = engine.ask("Who is Ukraine's president?", top_k=3)
    assert all("Zelensky" in p.highlight for p in answer.passages if p.paragraph in (1, 15))
    assert {1, 15} <= {p.paragraph for p in answer.passages}
    assert engine.ask("What are the legal consequences of the occupation?", top_k=1).answered


@pytest.mark.parametrize("sentence, kind, present", [
    ("87 countries voted in favor, 24 against and 53 abstained.", "number", True),
    ("Israel was disappointed.", "number", False),
    ("Netanyahu phoned Zelensky late Friday.", "time", True),
    ("The process could take between one to two years.", "duration", True),
    ("Ukraine stayed away in order to give a chance to the relationship.", "cause", True),
    ("Israeli foreign ministry officials summoned the ambassador.", "person", True),
    ("The opinion should address the legal consequences.", "name", False),
    ("The vote was held by the UN General Assembly in New York.", "name", True),
])
def test_answer_types(sentence, kind, present):
    assert (kind in answer_types(sentence)) is present


@pytest.mark.parametrize("question, focus", [
    ("Who is the president of Ukraine?", {"presid", "ukrain"}),
    ("who were the two trustees that voted no", {"truste"}),  # the role, not how many or what they did
    ("Who were the 3 judges who heard the appeal?", {"judg"}),
])
def test_the_focus_of_who_is_the_x_is_the_role(question, focus):
    assert question_cues(question).focus == focus


@pytest.mark.parametrize("question, names", [
    ("How did Germany vote?", ["germany"]),
    ("how did hungary vote", ["hungary"]),
    ("What did the UN Secretary-General say?", ["un secretary-general"]),
    ("How did the United States vote on the resolution?", ["united states"]),
    ("Netanyahu's reply to Zelensky", ["zelensky"]),   # the first word may be capitalised for grammar
    ("HOW DID GERMANY VOTE", ["germany"]),             # shouting: capitals say nothing, the country list does
    ("what did the pm say", []),
    ("Did the PM's office confirm the call?", ["pm"]),  # not "the pm": the article went with "Did"
    ("how did the us vote on the resolution", ["us"]),  # "the us" is the country, in any case
    ("can you tell us how the vote went", []),          # "us" alone is the pronoun
])
def test_named_terms(question, names):
    assert named_terms(question) == names


def test_large_index_path_picks_candidates_and_answers_the_same(engine, monkeypatch):
    """Above EXHAUSTIVE_LIMIT paragraphs only dense and BM25 candidates are scored; the answers and
    highlights must not change for questions whose answer is among them."""
    import storybot.index.answering.search as search

    questions = ["how many countries abstained", "When was Netanyahu sworn in?",
                 "Did Zelensky congratulate Netanyahu?"]
    before = [engine.ask(q, top_k=3) for q in questions]
    monkeypatch.setattr(search, "EXHAUSTIVE_LIMIT", 5)
    monkeypatch.setattr(search, "CANDIDATES", 6)
    after = [engine.ask(q, top_k=3) for q in questions]
    for old, new in zip(before, after):
        assert new.passages[0].paragraph == old.passages[0].paragraph
        assert new.passages[0].highlight == old.passages[0].highlight
        assert new.answered == old.answered


@pytest.mark.parametrize("question, absent", [
    ("Did the PM's office confirm the call took place?", 0),  # the story says "Prime Minister"
    ("How did the US vote on the resolution?", 1),             # it never says "United States"
])
def test_an_abbreviation_counts_as_its_spelled_out_name(engine, question, absent):
    scored = engine.score(engine.read(question), (0, len(engine.index.paragraphs)))
    assert scored.absent_names == absent


def test_a_people_counts_as_its_country(tmp_path, embedder):
    """ "the Swiss envoy" is mentioned by a story that says "Switzerland, whose envoy"; "the Dutch" is not;
    "Voltara's CEO" by one that says "Voltara … its chief executive"."""
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import build_index, load_index

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "accord.md").write_text(
        "---\ntitle: Neighbours sign river accord\noutlet: Test Wire\n---\n"
        "The summit was brokered by Switzerland, whose envoy had shuttled between the two capitals 14 times.\n"
        "The accord sets up a joint commission to share data on the river's flow.\n"
        "Voltara, which will build the dam, said its chief executive would join the commission.\n"
        "Voltara said its fourth-quarter orders rose 12 percent.\n", "utf-8")
    build_index(tmp_path / "sources", tmp_path / "index", embedder)
    engine = Engine(load_index(tmp_path / "index"), embedder)
    for question, absent in (("How often did the Swiss envoy travel between the capitals?", 0),
                             ("How often did the Dutch envoy travel between the capitals?", 1),
                             ("How often did the Ukrainian envoy travel between the capitals?", 1),
                             # a name and a title: each mentioned its own way ("CEO" as "chief executive")
                             ("Will Voltara's CEO join the commission?", 0),
                             ("Will Voltara's CFO join the commission?", 1),
                             ("Voltara Q4 orders", 0), ("Voltara Q2 orders", 1)):
        assert engine.score(engine.read(question), (0, len(engine.index.paragraphs))).absent_names == absent, question
