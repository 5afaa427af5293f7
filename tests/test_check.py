"""/check's engine and `storybot check`: verdicts, deciding quotes, reasons, and the facts they rest on."""

import json
import shutil

import pytest

from storybot.testing.paths import FIXTURES, SECOND_STORY_ID, SOURCES, STORY_ID
from test_cli import CONTRACT_KEYS, storybot

# The verdicts the issue requires, with the paragraph the deciding quote must come from and a word the
# reason must name (the difference).
REQUIRED = [
    ("87 countries voted in favor of the resolution", "supported", {3}, "87"),
    ("78 countries voted in favor", "contradicted", {3}, "87"),
    ("24 countries voted in favor", "contradicted", {3}, "against"),
    ("53 countries abstained", "supported", {3}, "53"),
    ("Ukraine voted against the resolution at the General Assembly", "contradicted", {2, 12, 13, 14, 15}, "attend"),
    ("Netanyahu promised Zelensky air defense systems", "contradicted", {11}, "commit"),
    ("The ICJ opinion could take up to two years", "supported", {4}, "two years"),
    ("Netanyahu was sworn in on Thursday", "supported", {9}, "Thursday"),
    ("Netanyahu was sworn in on Monday", "contradicted", {9}, "Thursday"),
    ("Israel delivered Iron Dome to Ukraine", "not_in_story", set(), ""),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[str]:
    index_dir = tmp_path_factory.mktemp("check-cli") / "index"
    result = storybot("index", "build", "--sources", str(SOURCES), "--index", str(index_dir))
    assert result.returncode == 0, result.stderr
    return ["--sources", str(SOURCES), "--index", str(index_dir)]


@pytest.fixture(scope="module")
def two_stories(tmp_path_factory) -> list[str]:
    sources = tmp_path_factory.mktemp("check-two") / "sources"
    sources.mkdir()
    shutil.copy(SOURCES / f"{STORY_ID}.md", sources)
    shutil.copy(FIXTURES / "stories" / f"{SECOND_STORY_ID}.md", sources)
    return ["--sources", str(sources), "--index", str(sources.parent / "index")]


def test_required_verdicts_through_the_cli(built):
    lines = "".join(json.dumps({"claim": claim}) + "\n" for claim, *_ in REQUIRED)
    result = storybot("check", "--json", "-", *built, stdin=lines)
    assert result.returncode == 0, result.stderr
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(verdicts) == len(REQUIRED)
    for (claim, verdict, paragraphs, named), got in zip(REQUIRED, verdicts):
        assert got["claim"] == claim
        assert got["verdict"] == verdict, (claim, got)
        assert {e["paragraph"] for e in got["evidence"]} <= paragraphs or not paragraphs, (claim, got)
        if paragraphs:
            assert got["evidence"] and got["evidence"][0]["paragraph"] in paragraphs, (claim, got)
        else:
            assert got["evidence"] == []
        assert named in got["reason"], (claim, got["reason"])


def test_json_contract_and_verbatim_evidence(built):
    result = storybot("check", "--json", "78 countries voted in favor", *built)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert set(got) == {"claim", "verdict", "reason", "evidence"}
    assert got["verdict"] == "contradicted"
    assert 'the story says "87 countries voting in favor"' in got["reason"] and "78" in got["reason"]
    passage = got["evidence"][0]
    assert set(passage) == CONTRACT_KEYS
    assert passage["source"] == STORY_ID and passage["outlet"] == "Axios"
    story = (SOURCES / f"{STORY_ID}.md").read_text(encoding="utf-8")
    assert passage["text"] in story and passage["highlight"] in passage["text"]


def test_terminal_output_names_verdict_reason_and_quote(built):
    result = storybot("check", "Netanyahu was sworn in on Monday", *built)
    assert result.returncode == 0, result.stderr
    assert "Contradicted" in result.stdout
    assert "Thursday" in result.stdout and "¶9" in result.stdout


def test_bad_input_gets_a_clear_message(built):
    empty = storybot("check", "   ", *built)
    assert empty.returncode == 2 and "the claim is empty" in empty.stderr
    unknown = storybot("check", "87 countries voted in favor", "--source", "nope", *built)
    assert unknown.returncode == 2 and "no story with id 'nope'" in unknown.stderr
    batch = storybot("check", "--json", "-", *built, stdin='{"claim": 5}\n53 countries abstained\n')
    assert batch.returncode == 2
    first, second = (json.loads(line) for line in batch.stdout.splitlines())
    assert "error" in first and 'needs a "claim" string' in first["error"]
    assert second["verdict"] == "supported"


def test_several_stories_each_claim_is_checked_against_its_story(two_stories):
    result = storybot("index", "build", *two_stories)
    assert result.returncode == 0, result.stderr
    lines = "".join(json.dumps(x) + "\n" for x in [
        {"claim": "The council voted 7 to 2 against the plan."},
        {"claim": "87 countries voted in favor of the resolution"},
        {"claim": "Reyes phoned Whitfield on Monday.", "source": SECOND_STORY_ID},
        {"claim": "Reyes phoned Whitfield on Monday.", "source": STORY_ID},
    ])
    result = storybot("check", "--json", "-", *two_stories, stdin=lines)
    assert result.returncode == 0, result.stderr
    tally, votes, reyes, elsewhere = (json.loads(line) for line in result.stdout.splitlines())
    assert tally["verdict"] == "contradicted" and tally["evidence"][0]["source"] == SECOND_STORY_ID
    assert "in favor" in tally["reason"]
    assert votes["verdict"] == "supported" and votes["evidence"][0]["source"] == STORY_ID
    assert reyes["verdict"] == "supported" and reyes["evidence"][0]["paragraph"] == 6
    assert elsewhere["verdict"] == "not_in_story"  # the other story never mentions Reyes


# -- the checker on claims nobody tuned it on (the fixture story was written for these tests) ---------

RIVERTON = [json.loads(line) for line in (FIXTURES / "riverton_claims.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("case", RIVERTON, ids=[c["claim"] for c in RIVERTON])
def test_second_story_verdicts(two_story_engine, case):
    from storybot.index.checking.check import check_claim

    got = check_claim(two_story_engine, case["claim"], source=SECOND_STORY_ID)
    assert got.verdict == case["verdict"], got.reason
    if case["paragraphs"]:
        assert got.evidence[0].paragraph in case["paragraphs"]
        assert got.evidence[0].highlight in got.evidence[0].text


def test_benchmark_claims_stay_accurate(engine):
    """A floor, not a target: the hand-written claims (benchmarks/data) must keep at least 90% right,
    and a claim the story does not support must never come out supported."""
    from storybot.testing.paths import ROOT
    from storybot.index.checking.check import Checker

    checker = Checker(engine)
    rows = [json.loads(line) for name in ("story_claims.jsonl", "story_claims_heldout.jsonl")
            for line in (ROOT / "benchmarks" / "data" / name).read_text().splitlines()]
    got = [checker.check(r["claim"]).verdict for r in rows]
    right = sum(g == r["verdict"] for g, r in zip(got, rows))
    assert right / len(rows) >= 0.9, right
    wrongly_supported = [r["claim"] for g, r in zip(got, rows) if g == "supported" and r["verdict"] != "supported"]
    assert wrongly_supported == []


# -- the facts the verdicts rest on ---------------------------------------------------------------------


def test_counts_durations_and_tallies_are_read_with_what_they_count():
    from storybot.index.checking.facts import Sentence

    votes = Sentence("The assembly approved it late Friday, with 87 countries voting in favor, "
                     "24 countries voting against and 53 countries abstaining.").quantities
    assert [(q.low, q.stance) for q in votes] == [(87, "for"), (24, "against"), (53, "abstain")]
    assert votes[1].text == "24 countries voting against"
    duration = Sentence("a process that could take between one to two years.").quantities[0]
    assert duration.duration and duration.bound == "range" and (duration.low, duration.high) == (365, 730)
    upper = Sentence("It could take up to two years").quantities[0]
    assert upper.bound == "upper" and upper.high == 730
    tally = Sentence("The council voted 7 to 2 in favor of the plan.").quantities
    assert [(q.low, q.stance) for q in tally] == [(7, "for"), (2, "against")]
    assert tally[0].text == "voted 7 to 2 in favor"
    assert Sentence("Seven council members voted for the plan.").quantities[0].stance == "for"


@pytest.mark.parametrize("text, value", [
    ("one hundred twenty countries voted", 120),
    ("two thousand five hundred people marched", 2500),
    ("one hundred and six people marched", 106),
    ("twenty-one people marched", 21),
    ("twenty one people marched", 21),
    ("a dozen people marched", 12),
    ("two dozen people marched", 24),
    ("a thousand people marched", 1000),
    ("1.5 million people marched", 1_500_000),
    ("five million two hundred thousand people marched", 5_200_000),
    ("half a million people marched", 500_000),
])
def test_compound_number_words_are_one_number(text, value):
    from storybot.index.checking.facts import Sentence

    quantities = Sentence(text).quantities
    assert [q.low for q in quantities] == [value]


def test_number_words_that_cannot_join_stay_apart():
    from storybot.index.checking.facts import Sentence

    between = Sentence("between one hundred and two hundred people marched").quantities[0]
    assert (between.low, between.high, between.bound) == (100, 200, "range")
    assert Sentence("between one and two years").quantities[0].high == 730


def test_durations_compare_by_the_bound_the_claim_states():
    from storybot.index.checking.quantity_match import duration_agrees
    from storybot.index.checking.facts import Sentence

    story = Sentence("a process that could take between one to two years").quantities[0]

    def agrees(text: str) -> bool:
        return duration_agrees(Sentence(text).quantities[0], story)

    assert agrees("up to two years") and agrees("at least a year") and agrees("18 months")
    assert not agrees("within six months") and not agrees("as long as five years") and not agrees("three years")


@pytest.mark.parametrize("claim, story, agrees", [
    ("a little over a week", "nine days later", True),  # more than the figure, short of two weeks
    ("more than a week", "13 days later", True),
    ("more than a week", "20 days later", False),
    ("more than a week", "five days later", False),
    ("more than three years", "40 months", True),
    ("more than three years", "five years", False),
])
def test_more_than_a_length_reaches_to_its_next_whole_unit(claim, story, agrees):
    from storybot.index.checking.quantity_match import duration_agrees
    from storybot.index.checking.facts import Sentence

    assert duration_agrees(Sentence(claim).quantities[0], Sentence(story).quantities[0]) is agrees


def test_both_counts_two_and_a_number_ends_what_is_counted():
    from storybot.index.checking.facts import Sentence

    story = Sentence("The firm halted sales of both models nine days later.").quantities
    assert [(q.low, q.unit, q.duration) for q in story] == [(2, "model", False), (9, "day", True)]
    claim = Sentence("The firm stopped selling the two models a little over a week later.").quantities
    assert claim[0].role == story[0].role == frozenset()  # "a little over" and "nine days" are no act of the models
    # a pair named before ("Both people who died …") and "both the company and …" are not counted here
    assert Sentence("Both people who died had stayed there.").quantities == []
    assert Sentence("It was criticised by both the company and regulators.").quantities == []


def test_what_a_verb_of_stopping_ends_is_no_act_to_find():
    from storybot.index.language import lexicon as lx
    from storybot.index.checking.facts import Sentence

    sell = frozenset({lx.lemma_stem("selling")})
    assert [f.realis for f in Sentence("The company stopped selling the heaters.").frames(sell)] == [False]
    assert [f.realis for f in Sentence("The company kept selling the heaters.").frames(sell)] == [True]


def test_polarity_and_whether_it_happened():
    from storybot.index.language import lexicon as lx
    from storybot.index.checking.facts import Sentence

    def frames(text: str, words: str):
        stems = frozenset(lx.lemma_stem(w) for w in words.split())
        return {(f.stem, f.negated, f.realis) for f in Sentence(text).frames(stems)}

    assert ("commit", True, True) in frames("The official said Netanyahu didn't commit to anything.", "commit")
    # refusing to provide means not providing; asking someone to vote means no vote yet
    assert ("provid", True, True) in frames("because of Israel's refusal to provide military assistance", "provide")
    assert {("vote", False, False)} == frames("Netanyahu asked Zelensky to vote against the resolution", "vote")
    assert ("abstain", True, True) in frames("instead of abstaining, Kyiv decided not to attend the vote", "abstain")
    assert ("attend", True, True) in frames("instead of abstaining, Kyiv decided not to attend the vote", "attend")
    assert ("satisfi", True, True) in frames("The two leaders weren't satisfied and didn't get what they wanted.",
                                            "satisfied")


def test_who_did_what_to_whom():
    from storybot.index.checking.predicates import swapped
    from storybot.index.checking.facts import Sentence
    from storybot.index.checking.mentions import same_party

    story = Sentence("Netanyahu, who was sworn in as prime minister on Thursday, called Zelensky as part of a series.")
    call = story.frames(frozenset({"call"}))[0]
    assert call.agent.text == "Netanyahu" and call.patient.text == "Zelensky"
    tweet = Sentence('Zelensky tweeted on Saturday that in the two leaders\' phone call, he "congratulated Netanyahu".')
    congratulated = tweet.frames(frozenset({"congratul"}))[0]
    assert congratulated.agent.text == "Zelensky"  # "he", resolved
    reversed_claim = Sentence("Zelensky called Netanyahu to discuss the resolution.").frames(frozenset({"call"}))[0]
    assert swapped(reversed_claim, call)
    # a nation is not its leader: "Ukraine asked Israel" is not "Netanyahu asked Zelensky" reversed
    asked = Sentence("Israeli Prime Minister Benjamin Netanyahu asked Ukrainian President Volodymyr Zelensky to vote."
                     ).frames(frozenset({"ask"}))[0]
    assert not swapped(Sentence("Ukraine asked Israel for Iron Dome.").frames(frozenset({"ask"}))[0], asked)
    israel, ministry = Sentence("Israel's foreign ministry met Israeli foreign ministry officials").mentions
    assert same_party(israel, ministry)


def test_the_story_chosen_is_the_closest_one(two_story_engine):
    from storybot.index.checking.check import check_claim

    got = check_claim(two_story_engine, "Whitfield did not commit to signing the plan, a spokesperson said.")
    assert got.verdict == "supported" and got.evidence[0].source == SECOND_STORY_ID


def test_empty_and_overlong_claims_are_refused(engine):
    from storybot.index.checking.check import check_claim
    from storybot.index.errors import InputError

    with pytest.raises(InputError, match="empty"):
        check_claim(engine, " \n ")
    with pytest.raises(InputError, match="too long"):
        check_claim(engine, "87 countries " * 200)


def test_close_to_is_a_rounding_and_a_share_does_nothing():
    from storybot.index.checking.facts import Sentence
    from storybot.index.checking.quantity_match import value_agrees

    close = Sentence("The damaged trees were spread over close to 3,000 acres.").quantities[0]
    assert close.bound == "approx" and value_agrees(close, Sentence("about 2,900 acres").quantities[0])
    claim = Sentence("Orvane's stock lost more than 6 percent of its value on Monday.").quantities[0]
    story = Sentence("Orvane shares fell 6.2 percent on Monday to close at $84.10.").quantities[0]
    assert claim.role == story.role == frozenset()  # "of its value" and "on Monday to close" say nothing of the share


def test_a_year_counts_nothing_said_before_it():
    from storybot.index.checking.facts import Sentence

    quantities = Sentence("Lumatrace lost $38 million in 2025, narrowing from $61 million in 2024.").quantities
    assert [(q.low, q.unit) for q in quantities] == [(38e6, "dollar"), (2025, None), (61e6, "dollar"), (2024, None)]


STRIKE = """---
title: Transit workers walk off the job after all-night talks fail
outlet: Harbour Evening Record
---
Bus and rail workers in Greyhollow went on strike early Monday, halting service for about 240,000 daily riders.
Negotiators for both sides had broken off talks at 11:15 p.m. Sunday. Picket lines went up at the authority's five bus garages at 3:30 a.m., half an hour before the first buses would normally have left.
The union wants a 14% raise over three years; the authority has offered 9%.
"We are ready to return to the table at any hour," the authority's chief executive told reporters.
"""


def test_a_time_taken_is_worked_out_from_two_times_of_day_in_the_paragraph(tmp_path, embedder, reader):
    from storybot.index.answering.search import Engine
    from storybot.index.checking.check import check_claim
    from storybot.index.storage.store import build_index, load_index

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "transit-strike.md").write_text(STRIKE, "utf-8")
    build_index(sources, tmp_path / "index", embedder)
    engine = Engine(load_index(tmp_path / "index"), embedder, reader=reader)
    took = check_claim(engine, "Picket lines went up four hours and fifteen minutes after negotiators broke off talks.")
    assert took.verdict == "supported", took.reason
    assert took.evidence[0].paragraph == 2 and "11:15 p.m." in took.evidence[0].text
    wrong = check_claim(engine, "Picket lines went up two hours after negotiators broke off talks.")
    assert wrong.verdict != "supported", wrong.reason
