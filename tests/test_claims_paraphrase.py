"""A claim that says what the story says in other words is supported (verdict.PARAPHRASE_*): the reader
is sure of the sentence, its meaning is close to the claim's, and the paragraph has the claim's verbs;
a paraphrase with a fact changed is not."""

import dataclasses

import pytest

from storybot.index.checking.check import check_claim
from storybot.index.checking.facts import Sentence
from storybot.index.checking.polarity import contrary_word
from storybot.index.checking.verdict import judge
from storybot.testing.paths import SECOND_STORY_ID
from test_claims_rules import _candidates

# The fixture story's ¶5: "Whitfield said the plan was too expensive and asked the council to delay the
# vote until the state agreed to share the cost."
PARAPHRASE = "Whitfield said the scheme was too pricey and asked councillors to delay the vote until the state chipped in."


def test_a_claim_in_other_words_is_supported(two_story_engine):
    got = check_claim(two_story_engine, PARAPHRASE, source=SECOND_STORY_ID)
    assert got.verdict == "supported", got.reason
    assert got.evidence[0].paragraph == 5


@pytest.mark.parametrize("claim, verdicts", [
    # who was to chip in: another body than the story's
    ("Whitfield said the scheme was too pricey and asked councillors to delay the vote until the county chipped in.",
     {"not_in_story"}),
    # who said it
    ("Reyes said the scheme was too pricey and asked councillors to delay the vote until the state chipped in.",
     {"contradicted"}),
    # the opposite word: as close in meaning to the story's sentence by embedding as the paraphrase is
    ("Whitfield said the scheme was cheap and asked councillors to delay the vote until the state chipped in.",
     {"not_in_story", "contradicted"}),
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
    best = dataclasses.replace(_candidates(STORY, [8.0])[0], **{"coverage": 0.35, "similarity": 0.8, **reading})
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


@pytest.mark.parametrize("claim, story, pair", [
    ("Repairs were cheap.", "Repairs were too expensive.", ("cheap", "expensive")),
    ("The union accepted the offer.", "The union rejected the offer.", ("accepted", "rejected")),
    ("The defence is weak.", "The defence is strong.", ("weak", "strong")),
])
def test_a_word_with_its_opposite_in_the_sentence_is_found(claim, story, pair):
    assert contrary_word(Sentence(claim), Sentence(story)) == pair


@pytest.mark.parametrize("claim, story", [
    ("Repairs were cheap.", "Repairs were cheap, not expensive."),  # the claim's own word is there too
    ("Repairs were not cheap.", "Repairs were expensive."),  # denied against asserted: the same thing
    ("Repairs were cheap.", "Repairs were quick."),  # no opposite at all
])
def test_no_contrary_word_where_the_sentence_agrees_or_says_nothing_opposite(claim, story):
    assert contrary_word(Sentence(claim), Sentence(story)) is None


def test_a_sure_close_sentence_with_an_opposite_word_does_not_support():
    story = "The new footbridge over the canal will be narrow."
    close = dataclasses.replace(_candidates(story, [8.0])[0], coverage=0.9, similarity=0.9)
    assert judge(Sentence("The new footbridge over the canal will be narrow."), [close]).verdict == "supported"
    assert judge(Sentence("The new footbridge over the canal will be wide."), [close]).verdict is None



def _para(text: str, context: list[str]) -> "Para":
    from storybot.index.checking.passage import Para
    from storybot.index.models import Paragraph, Passage
    sentences, above = [Sentence(text)], [Sentence(c) for c in context]
    return Para(Passage(source="s", title="t", outlet=None, paragraph=2, text=text, highlight=text, speaker=None, score=1.0),
                Paragraph(story="s", number=2, text=text, sentences=[text]), sentences, above,
                frozenset(t.low for x in sentences for t in x.toks), frozenset(),
                frozenset(t.low for x in above for t in x.toks), frozenset())


def test_a_full_name_is_found_by_the_surname_the_story_uses_again():
    from storybot.index.checking.check import _named_in
    quote = '"Families were turned away," Olufemi said outside court.'
    para = _para(quote, ["The trust's chair, Beatrice Olufemi, read a statement.", "Title"])
    own = _para(quote, ["Title"])
    assert _named_in(["beatrice", "olufemi"], own, para)
    # a first name the story never gives her, or a surname the paragraph does not use, is not hers
    assert not _named_in(["maria", "olufemi"], own, para)
    assert not _named_in(["beatrice", "olufemi"], _para("The court rose.", ["Title"]),
                         _para("The court rose.", ["Beatrice Olufemi spoke.", "Title"]))
