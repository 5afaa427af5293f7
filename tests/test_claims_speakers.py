"""Who a claim says said it, against whom the story has saying it: by name, or by the job the story gives."""

import pytest

from storybot.index.checking.facts import Sentence
from storybot.index.checking.numbers import read_figures, same_value
from storybot.index.checking.quotes import same_speaker
from storybot.index.checking.verdict import Candidate, judge
from storybot.index.models import Paragraph, Passage


@pytest.mark.parametrize("claimed, name, role", [
    ("The head of the League of Cities", "Gregory Asante", "League of Cities’ executive director"),
    ("Corvane's finance chief", "Lindqvist", "Chief Financial Officer Grant Lindqvist"),
    ("Tamarack's operations chief", "Bradley Nakamura", "Tamarack's vice president of operations"),
    ("The prosecutor", "Marcus Delacroix", "Assistant District Attorney Marcus Delacroix"),
    ("Castlebury's manager", "Ruth Halloran", "Castlebury manager"),
    ("the union president", "Tom Alvarez", "union president"),
    ("the CEO", "Dana Whitaker", "Its chief executive"),
])
def test_a_job_the_story_gives_names_the_speaker(claimed, name, role):
    assert same_speaker(claimed, name, role) is True
    assert same_speaker(claimed, name) is None  # without the story's description nothing can be told


@pytest.mark.parametrize("claimed, name, role", [
    ("Redmere's manager", "Ruth Halloran", "Castlebury manager"),  # another club's manager
    ("Corvane's operations chief", "Lindqvist", "Chief Financial Officer Grant Lindqvist"),  # another part
    ("Prime Minister Leyla Hamidova", "Anton Berecz", "Valdorian President"),  # another name
])
def test_another_owner_part_or_name_is_another_speaker(claimed, name, role):
    assert same_speaker(claimed, name, role) is False


def test_a_rank_or_a_description_of_someone_else_proves_nothing():
    assert same_speaker("the deputy mayor", "Jane Ortiz", "mayor") is None
    assert same_speaker("a spokesperson", "Dana Whitfield") is None
    # the story's description of Jobs mentions Rubinstein: that does not make Rubinstein the speaker
    role = "CEO Steve Jobs, Apple's hardware engineering chief Jon Rubinstein assembled a team"
    assert same_speaker("Jon Rubinstein", "Jobs", role) is False


def _quote_candidate(text: str, speaker: str, role: str, coverage: float) -> Candidate:
    para = Paragraph(story="s", number=1, text=text, sentences=[text], speaker=speaker, speaker_role=role)
    passage = Passage(source="s", title="t", outlet=None, paragraph=1, text=text, highlight=text,
                      speaker=speaker, score=1.0)
    return Candidate(passage, para, Sentence(text), [], 5.0, coverage=coverage)


def test_a_quote_of_the_claims_speaker_supports_with_fewer_of_its_words():
    story = '"We bent over backwards to reach a deal in these talks," said Gerald Okafor.'
    claim = Sentence("Harlow State's provost insisted the administration went out of its way to reach a deal.")
    from storybot.index.checking.verdict import QUOTED_COVERAGE, SUPPORT_COVERAGE

    between = (QUOTED_COVERAGE + SUPPORT_COVERAGE) / 2  # enough for the speaker's own quote, not for anyone's
    provost = _quote_candidate(story, "Gerald Okafor", "Harlow State's provost", coverage=between)
    assert judge(claim, [provost]).verdict == "supported"
    dean = _quote_candidate(story, "Gerald Okafor", "Harlow State's dean", coverage=between)
    assert judge(claim, [dean]).verdict is None  # not the claim's speaker: the words alone must cover it
    unrelated = _quote_candidate(story, "Gerald Okafor", "Harlow State's provost", coverage=0.1)
    assert judge(claim, [unrelated]).verdict is None


@pytest.mark.parametrize("claim, story, agrees", [
    ("Shares lost more than a tenth of their value.", "Its shares fell 11.4%.", True),
    ("Shares lost more than a tenth of their value.", "Its shares fell 40%.", False),  # true, but not what it says
    ("Shares lost more than a tenth of their value.", "Its shares fell 9%.", False),
    ("Just over two-thirds of voters turned out.", "Turnout was 68.4%.", True),
    ("Nearly 70% of voters turned out.", "Turnout was 68.4%.", True),
    ("Nearly 70% of voters turned out.", "Turnout was 71%.", False),
    ("Rescuers pulled more than 300 people from homes.", "Crews pulled 312 people from homes.", True),
    ("About two-fifths of the income was stolen.", "Roughly 40% of the income was stolen.", True),
])
def test_a_bound_or_a_fraction_is_read_as_it_is_said(claim, story, agrees):
    c, s = read_figures(Sentence(claim)), read_figures(Sentence(story))
    assert [f.kind for f in c][:1] == [s[0].kind]
    assert same_value(c[0], s[0]) is agrees


def test_a_fraction_is_no_count():
    # "two-fifths of" is a share, not two of something to find in the story
    assert Sentence("The money was about two-fifths of its income.").quantities == []
    assert Sentence("Shares lost more than a tenth of their value.").quantities == []


def test_more_than_a_figure_is_no_opposite_of_less_than_another():
    from storybot.index.checking.polarity import contrary_word

    claim = Sentence("Rescuers pulled more than 300 people out of flooded homes.")
    story = Sentence("Crews pulled 312 people from flooded homes after 11 inches of rain fell in less than 30 hours.")
    assert contrary_word(claim, story) is None
    assert contrary_word(Sentence("Prices rose more than wages."), Sentence("Prices rose less than wages.")) is not None


def test_a_sentence_initial_common_word_is_no_name_when_the_story_has_another_form():
    from storybot.index.checking.claim import parse_claim
    from storybot.index.checking.claim_names import plain_initial

    claim = parse_claim("Rescuers pulled more than 300 people out of flooded homes.")
    story = [Sentence("Crews rescued 312 people."), Sentence("Two more rescues followed.")]
    assert plain_initial(claim, story) == {0}
    assert plain_initial(claim, [Sentence("Crews pulled 312 people out.")]) == set()
    # written as a name inside a sentence of the story: a name
    assert plain_initial(claim, story + [Sentence("The boats of Rescuers arrived.")]) == set()


def _paragraph_candidate(text: str, sentence: str, coverage: float) -> Candidate:
    """The candidate for `sentence` of the paragraph `text`, with the speaker the paragraph reader finds."""
    from storybot.index.language.speakers import find_speaker, speaker_roles
    from storybot.index.language.sentences import split_sentences
    para = Paragraph(story="s", number=1, text=text, sentences=split_sentences(text), speaker=find_speaker(text),
                     speaker_role=speaker_roles([text])[0])
    passage = Passage(source="s", title="t", outlet=None, paragraph=1, text=text, highlight=sentence,
                      speaker=para.speaker, score=1.0)
    others = [Sentence(s) for s in para.sentences if s != sentence]
    return Candidate(passage, para, Sentence(sentence), others, 7.0, coverage=coverage)


def test_she_said_is_the_person_named_before():
    text = ("Eleanor Brandvold, a product-safety advocate at the Homeguard Alliance, said the warning came late. "
            "\"People were running these heaters overnight in children's bedrooms,\" she said.")
    sentence = "\"People were running these heaters overnight in children's bedrooms,\" she said."
    c = _paragraph_candidate(text, sentence, coverage=0.7)
    wrong = Sentence("Lorna Vashti said people had been running the heaters overnight in children's bedrooms.")
    assert judge(wrong, [c]).verdict == "contradicted"
    right = Sentence("Eleanor Brandvold said people had been running the heaters overnight in children's bedrooms.")
    assert judge(right, [c]).verdict == "supported"


@pytest.mark.parametrize("claim, speaker", [
    ("The county's emergency management director said the valley had never flooded so fast.",
     "The county's emergency management director"),
    ("A retiree on Ferris Street complained that his alert came late.", "A retiree on Ferris Street"),
    ("Mayor Jane Ortiz said the budget was late.", "Mayor Jane Ortiz"),
    ("Officials, who met on Monday, said the budget was late.", "Officials"),  # a clause is no part of it
])
def test_a_claims_speaker_is_its_whole_subject(claim, speaker):
    from storybot.index.checking.quotes import claimed_speaker
    assert claimed_speaker(claim) == speaker


def test_a_description_the_story_gives_names_the_speaker():
    assert same_speaker("A retiree on Ferris Street", "Ishmael Garrow", "a retiree on Ferris Street") is True
    assert same_speaker("A retiree on Elm Street", "Ishmael Garrow", "a retiree on Ferris Street") is False
    assert same_speaker("The county's emergency management director", "Rowan Achterberg",
                        "the county's emergency management director") is True
