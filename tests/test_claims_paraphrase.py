"""A claim that says what the story says in other words is supported (verdict.PARAPHRASE_*): the reader
is sure of the sentence, its meaning is close to the claim's, and the paragraph has the claim's verbs;
a paraphrase with a fact changed is not."""

import dataclasses

import pytest

from storybot.index.checking.check import check_claim
from storybot.index.checking.facts import Sentence
from storybot.index.checking.verdict import judge
from storybot.testing.paths import SECOND_STORY_ID
from test_claims_rules import _candidates

# The fixture story's ¶5: "Whitfield said the plan was too expensive and asked the council to delay the
# vote until the state agreed to share the cost."
PARAPHRASE = "Whitfield said the repairs were too pricey and asked councillors to wait until the state chipped in."


def test_a_claim_in_other_words_is_supported(two_story_engine):
    got = check_claim(two_story_engine, PARAPHRASE, source=SECOND_STORY_ID)
    assert got.verdict == "supported", got.reason
    assert got.evidence[0].paragraph == 5


@pytest.mark.parametrize("claim, verdicts", [
    # who was to chip in: another body than the story's
    ("Whitfield said the repairs were too pricey and asked councillors to wait until the county chipped in.",
     {"not_in_story"}),
    # who said it
    ("Reyes said the repairs were too pricey and asked councillors to wait until the state chipped in.",
     {"contradicted"}),
    # how long the repairs take
    ("The city engineer expects the repair work to last no more than 12 months.", {"contradicted"}),
])
def test_a_paraphrase_with_a_fact_changed_is_not_supported(two_story_engine, claim, verdicts):
    got = check_claim(two_story_engine, claim, source=SECOND_STORY_ID)
    assert got.verdict in verdicts, got.reason


STORY = "The operator can walk away from the contract with six months' written notice."
CLAIM = "The operator is free to quit the agreement by giving notice in writing six months ahead."


def _judged(**reading) -> str | None:
    """The verdict on CLAIM when the reader's best sentence is STORY, read as `reading` says."""
    best = dataclasses.replace(_candidates(STORY, [7.0])[0], **{"coverage": 0.35, "similarity": 0.75, **reading})
    return judge(Sentence(CLAIM), [best]).verdict


def test_a_sure_and_close_sentence_supports_a_claim_worded_differently():
    assert _judged() == "supported"


@pytest.mark.parametrize("reading", [
    {"similarity": 0.3},  # about the same thing, not saying the same
    {"logit": 3.0},  # the reader is not sure the sentence is about the claim
    {"coverage": 0.1},  # hardly a word of the claim's
    {"verbs_said": False},  # the paragraph does not say what was done
], ids=["meaning far", "reader unsure", "no shared words", "verbs missing"])
def test_a_sentence_short_of_any_signal_does_not_support(reading):
    assert _judged(**reading) is None
