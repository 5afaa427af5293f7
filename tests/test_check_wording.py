"""Claims worded differently from their story: a length of time said in halves, a figure that says how
often rather than how long, a fare stated as free, and a common noun that starts the claim. Each is
checked by the real checker against a small made-up story (tests/story_stub.py)."""

import pytest

from story_stub import check, checked
from storybot.index.checking.claim_names import name_in
from storybot.index.checking.facts import Sentence
from storybot.index.checking.numbers import read_figures
from storybot.index.checking.polarity import negated
from storybot.index.language import lexicon as lx

WORKS = [
    "Repairs to the Elm Street bridge will take six months, the roads department said on Tuesday.",
    "Rebuilding the ferry dock at Carrow Point will take 18 months, engineers said.",
]


@pytest.mark.parametrize("text, days", [
    ("The repairs will take half a year.", 182.5),
    ("The repairs will take a year and a half.", 547.5),
    ("The repairs will take one and a half years.", 547.5),
    ("The repairs will take two and a half years.", 912.5),
])
def test_a_length_of_time_said_in_halves_is_read_whole(text, days):
    assert [(q.low, q.duration) for q in Sentence(text).quantities] == [(days, True)]


@pytest.mark.parametrize("claim, verdict", [
    ("Repairs to the Elm Street bridge will take half a year.", "supported"),
    ("Rebuilding the ferry dock at Carrow Point will take a year and a half.", "supported"),
    ("Repairs to the Elm Street bridge will take a year and a half.", "contradicted"),
    ("Rebuilding the ferry dock at Carrow Point will take half a year.", "contradicted"),
])
def test_half_a_year_and_a_year_and_a_half_are_six_and_eighteen_months(claim, verdict):
    assert check(claim, *WORKS) == verdict


def test_the_reverse_six_months_is_half_a_year():
    story = ["Repairs to the Elm Street bridge will take half a year, the roads department said on Tuesday.",
             "Rebuilding the ferry dock at Carrow Point will take a year and a half, engineers said."]
    assert check("Repairs to the Elm Street bridge will take six months.", *story) == "supported"
    assert check("Rebuilding the ferry dock at Carrow Point will take 18 months.", *story) == "supported"
    assert check("Rebuilding the ferry dock at Carrow Point will take 12 months.", *story) == "contradicted"


def test_hours_and_minutes_compare_with_days():
    story = ["Repairs to the Elm Street bridge took 48 hours, the roads department said on Tuesday."]
    assert check("Repairs to the Elm Street bridge took two days.", *story) == "supported"
    assert check("Repairs to the Elm Street bridge took three days.", *story) == "contradicted"
    assert check("Repairs to the Elm Street bridge took 2,880 minutes.", *story) == "supported"


def test_how_often_is_not_how_long():
    story = ["While the bridge is shut, a ferry will run every two hours between Carrow Point and Dunmore."]
    assert not Sentence(story[0]).quantities  # no length of time
    assert [f.kind for f in read_figures(Sentence(story[0]))] == ["rate"]
    assert check("A ferry will run between Carrow Point and Dunmore for two years.", *story) != "contradicted"
    # how often against how often is still compared
    assert check("A ferry will run every three hours between Carrow Point and Dunmore.", *story) == "contradicted"


FARES = ("Dunmore residents will travel free on the ferry from May. "
         "Visitors will pay the full price of $4, the mayor said.")


def test_a_fare_the_story_states_as_free_is_contradicted():
    from test_claims_rules import verdict

    # the reader likes the sentence with "price" best; the one that says "free" is in the same paragraph
    assert verdict("Dunmore residents will get half price on the ferry.", FARES, [2.0, 5.0]) == "contradicted"
    assert verdict("Dunmore residents will travel free on the ferry.", FARES, [5.0, 2.0]) == "supported"


def test_a_fare_said_the_same_way_is_still_supported():
    story = ["Dunmore residents will travel free on the ferry from May. "
             "Visitors will pay the full price of $4, the mayor said."]
    assert check("Dunmore residents will travel free on the ferry from May.", *story) == "supported"
    assert check("Visitors will pay the full price of $4 on the ferry.", *story) == "supported"


def test_declining_to_comment_is_not_commenting():
    from test_claims_rules import verdict

    story = "The mayor's office said it would not comment on the ferry talks. The talks resume on Monday."
    assert verdict("The mayor's office declined to comment on the ferry talks.", story) == "supported"
    assert verdict("The mayor's office commented on the ferry talks.", story) != "supported"


BRIDGE = [
    "Dunmore's only road bridge closed on Monday for a year of repairs.",
    "The closure was rushed, critics of the council say, and residents say they were never asked.",
    "The council said the bridge had failed two safety inspections.",
    "A ferry will carry cars across the river while the bridge is shut, the council said.",
    "Boats will be banned from the river near the bridge during the works, and Ferry Lane will close.",
]


@pytest.mark.parametrize("claim", [
    "Ferries will carry cars across the river while the bridge is shut.",
    "Residents will cross the river on a ferry that carries cars while the bridge is shut.",
])
def test_a_common_noun_that_starts_the_claim_is_no_name(claim):
    assert check(claim, *BRIDGE) == "supported"


def test_a_first_word_is_still_a_name_on_evidence():
    from storybot.index.checking.claim import parse_claim
    from storybot.index.checking.claim_names import claim_names, plain_initial

    story = [Sentence(t) for p in BRIDGE for t in [p]]
    for claim, names in [("Critics say the closure was rushed.", []),  # "critics" in lower case in the story
                         ("Harlow will carry cars across the river.", ["harlow"]),  # never in lower case
                         ("Ferry Lane will close.", ["ferry", "lane"]),  # a name of two words
                         ("Lane closures will follow.", ["lane"])]:  # "Lane" capitalised inside a sentence
        parsed = parse_claim(claim)
        parsed.plain = plain_initial(parsed, story)
        assert claim_names(parsed) == names, claim
    assert check("Harlow will carry cars across the river while the bridge is shut.", *BRIDGE) == "not_in_story"


def test_a_change_said_with_another_verb_keeps_its_direction():
    story = ["Revenue at the Harbor Street cafe slipped 11 percent to $512,000 last year, its owner said."]
    assert check("Revenue at the Harbor Street cafe rose 11 percent to $512,000 last year.", *story) != "supported"
    assert check("Revenue at the Harbor Street cafe fell 11 percent to $512,000 last year.", *story) == "supported"


def test_not_going_to_denies_as_will_not_does():
    story = ['"We are not going to declare the river safe on the basis of one day of samples," the director said.']
    assert negated(Sentence(story[0]), [t.low for t in Sentence(story[0]).toks].index("declare"))
    assert check("The director said officials were going to declare the river safe after one day of samples.",
                 *story) != "supported"


@pytest.mark.parametrize("people, country", [("swiss", "switzerland"), ("dutch", "netherlands"),
                                             ("welsh", "wales"), ("israeli", "israel")])
def test_a_people_and_its_country_are_one_name(people, country):
    assert lx.same_name(people, country) and lx.same_name(country, people)
    assert name_in(people, frozenset({country})) and name_in(country, frozenset({people}))


def test_an_irregular_demonym_is_not_a_name_the_story_lacks():
    story = ["The talks were brokered by Switzerland, whose envoy had visited both capitals 14 times since May."]
    assert check("The Swiss envoy visited both capitals 12 times since May.", *story) == "contradicted"
    assert check("The Swiss envoy visited both capitals 14 times since May.", *story) == "supported"


def test_a_figure_the_story_gives_for_something_else_is_quoted_where_it_is():
    story = ["The Carrow Point ferry carried 2,400 passengers in June, the harbour office said.",
             "The harbour office plans to hire 15 new deckhands for the Dunmore ferry before the summer season."]
    got = checked("The Dunmore ferry carried 2,400 passengers in June.", *story)
    assert got.verdict == "not_in_story"
    assert "¶1" in got.reason and "2,400 passengers" in got.reason and "no such figure" not in got.reason
    got = checked("The Dunmore ferry carried 3,100 passengers in June.", *story)
    assert got.verdict != "supported"


def test_a_verb_and_its_particle_are_the_noun_they_make_or_the_verb_they_mean():
    from storybot.index.checking.facts import phrasal_meanings

    def meanings(text: str, word: str) -> frozenset[str]:
        s = Sentence(text)
        return phrasal_meanings(s, next(i for i, t in enumerate(s.toks) if t.low == word))

    assert lx.lemma_stem("turnout") in meanings("Just over two-thirds of voters turned out.", "turned")
    assert lx.lemma_stem("takeover") in meanings("Rebels took over the capital.", "took")
    assert lx.lemma_stem("withdraw") in meanings("Either side can pull out of the accord.", "pull")
    assert lx.lemma_stem("cancel") in meanings("The club called off the match.", "called")
    assert meanings("Voters turned away.", "turned") == frozenset()
    story = ["Turnout among Carrow Point voters was 68.4% on Sunday, the election office said."]
    assert check("Just over two-thirds of Carrow Point voters turned out on Sunday.", *story) == "supported"
    story = ["Either side can withdraw from the Orsa agreement with 24 months' written notice, the text says."]
    assert check("Either side can pull out of the Orsa accord with two years' written notice.", *story) == "supported"


def test_the_unit_of_a_length_and_the_grade_of_a_bound_are_checked_with_the_figure():
    story = ["The Carrow Point bank raised its rate on Wednesday, its first increase in 14 months, officials said."]
    assert check("It was the Carrow Point bank's first increase in well over a year.", *story) == "supported"
    assert check("It was the Carrow Point bank's first increase in well over three years.", *story) != "supported"
    # a length the story never gives is not in the story, though its unit is no word to find
    story = ["The Carrow Point mayor and the governor spoke by phone on Wednesday, officials said."]
    assert check("The Carrow Point mayor and the governor spoke by phone for an hour.", *story) == "not_in_story"


def test_a_claim_of_what_someone_said_is_supported_by_their_quote_however_its_acts_are_worded():
    story = ['"Tonight the people of Carrow Point voted for change, and we will not waste it," Mayor Tom Reyes '
             'told cheering supporters at the Grange hall.', "Turnout was 68.4%, the election office said."]
    claim = "Tom Reyes told supporters that Carrow Point had voted for change and he would not waste it."
    assert check(claim, *story) == "supported"  # "Carrow Point voted" / "the people of Carrow Point voted"
    assert check(claim.replace("Tom Reyes", "Ana Alvarez").replace(" he ", " she "), *story) == "contradicted"


def test_another_name_where_the_claims_stands_contradicts_though_the_paragraph_lacks_the_claims():
    story = ["Tom Reyes, 51, a former mayor of Dunvarrow, campaigned on cutting the sales tax.",
             "In Eastreach, the party lost all six of its seats."]
    assert check("Tom Reyes is a former mayor of Eastreach.", *story) == "contradicted"
    assert check("Tom Reyes is a former mayor of Dunvarrow.", *story) == "supported"
    # a name the story never gives anyone in that place is not in the story
    assert check("Ana Alvarez is a former mayor of Eastreach.", *story) == "not_in_story"


def test_a_claim_between_two_days_finds_each_in_the_sentence():
    story = ["The Carrow Point fire had grown to 11,200 acres by Monday night, up from about 4,900 acres on "
             "Sunday evening, fire officials said."]
    assert check("The Carrow Point fire grew by more than 6,000 acres between Sunday evening and Monday.", *story) \
        == "supported"
    assert check("The Carrow Point fire grew by more than 6,000 acres between Friday evening and Monday.", *story) \
        == "contradicted"


def test_a_short_form_in_a_claim_is_found_where_the_story_writes_it_out():
    story = ['"We let our customers down," Tallwind chief executive Oswin Darrowby said in a video on Tuesday.']
    assert check("Tallwind's CEO said in a video that the airline let its customers down.", *story) == "supported"
    assert "never mentions" in checked("Tallwind's CFO said in a video that the airline let its customers down.",
                                       *story).reason


def test_two_years_joined_by_to_are_two_dates_not_a_range():
    claim = Sentence("The loss shrank by $23 million from 2024 to 2025.")
    assert [(q.low, q.high) for q in claim.quantities][-2:] == [(2024, 2024), (2025, 2025)]
    assert [(q.low, q.high) for q in Sentence("It was built between 1912 and 1913.").quantities] == [(1912, 1913)]
    assert [f.end_of for f in read_figures(Sentence("Prices rose from 8% to 9.5%."))] == [("low", 9.5), ("high", 8)]


def test_a_level_going_down_is_found_however_it_is_worded():
    assert lx.synonyms(lx.lemma_stem("shrank")) >= {lx.lemma_stem("narrowing"), lx.lemma_stem("fell")}
    assert lx.lemma_stem("declined") not in lx.synonyms(lx.lemma_stem("fell"))  # "declined to comment"
    story = ["Lumatrace lost $38 million in 2025, narrowing from a loss of $61 million in 2024, the filing shows."]
    assert check("Lumatrace's loss shrank by $23 million from 2024 to 2025.", *story) == "supported"
    assert check("Lumatrace's loss shrank by $32 million from 2024 to 2025.", *story) != "supported"


@pytest.mark.parametrize("claim", ["Less than a fifth of it was contained.", "Fewer than 20 people came.",
                                   "Well over half of them left."])
def test_a_bound_opening_the_claim_is_no_name(claim):
    assert Sentence(claim).mentions == [] or all(not m.names for m in Sentence(claim).mentions)


@pytest.mark.parametrize("claim, verdict", [
    ("Less than a fifth of the Tamsin Creek Fire had been contained as of Tuesday morning.", "supported"),
    ("Under 20 percent of the Tamsin Creek Fire had been contained as of Tuesday morning.", "supported"),
    # "nearly" comes close to its figure; a side ("less than") holds any value near on that side
    ("Nearly a fifth of the Tamsin Creek Fire had been contained as of Tuesday morning.", "contradicted"),
    ("More than a tenth of the Tamsin Creek Fire had been contained as of Tuesday morning.", "supported"),
    ("More than 5 percent of the Tamsin Creek Fire had been contained as of Tuesday morning.", "contradicted"),
])
def test_a_side_of_a_figure_holds_the_values_near_it_on_that_side(claim, verdict):
    story = ["The Tamsin Creek Fire was 15 percent contained as of Tuesday morning, according to the fire authority."]
    assert check(claim, *story) == verdict
