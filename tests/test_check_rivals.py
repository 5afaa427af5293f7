"""A claim naming the wrong place or body of a kind the story names (index/checking/rivals.py)."""

import pytest

from storybot.index.checking.facts import Sentence
from storybot.index.checking.rivals import affiliations, other_affiliation, rival_name


def rival(claim: str, *story: str) -> tuple[str, str] | None:
    found = rival_name(Sentence(claim), [Sentence(s) for s in story])
    return None if found is None else found[:2]


def test_another_place_of_the_same_kind_is_the_wrong_one():
    story = "Bank records showed the money paid off the mortgage on a lake house in Door County, Wisconsin."
    assert rival("The lake house is in Hadley County.", story) == ("Hadley County", "Door County")
    assert rival("The derby was played at Riverside Park.", "Redmere drew 2-2 at Hollins Park on Saturday.") \
        == ("Riverside Park", "Hollins Park")


def test_the_same_name_written_longer_or_shorter_is_no_rival():
    assert rival("The lake house is in Door County.", "It is in Door County, Wisconsin.") is None
    assert rival("Lecturers at Harlow State walked out.", "Lecturers at Harlow State University walked out.") is None
    assert rival("The Sable River was polluted.", "Oil reached the Sable River on Sunday.") is None


def test_people_are_not_told_apart_by_a_shared_surname():
    # a surname says nothing about what kind of name it is: "Joe Biden" and "Joseph Biden" are one man
    assert rival("President Joe Biden signed the bill.", "Joseph Biden signed the bill on Friday.") is None


def test_a_name_of_x_is_a_kind_of_x():
    assert rival("The Department of Transportation approved it.", "The Department of Revenue approved it.") \
        == ("Department Of Transportation", "Department Of Revenue")


def test_a_person_put_with_another_body_is_the_wrong_affiliation():
    story = [Sentence('"This company has been warned again," said Luis Ferreira, a staff attorney with the '
                      'Prairie Waters Alliance.')]
    found = other_affiliation(Sentence("Luis Ferreira, a lawyer for the state Department of Environmental Quality, "
                                       "said the company had been warned."), story)
    assert found is not None and found[:2] == ("Department Of Environmental Quality", "Prairie Waters Alliance")
    assert other_affiliation(Sentence("Luis Ferreira, a lawyer with the Prairie Waters Alliance, said so."), story) is None
    # a list of names is no description
    assert affiliations(Sentence("Ferreira, Solberg and the Prairie Waters Alliance said so.")) == {}


@pytest.mark.parametrize("claim, sentence, found", [
    # the same words, then another name in the same place
    ("A second shelter was opened on Monday at the Grange hall in Ostervale.",
     "A second shelter opened on Monday at the Grange hall in Pennick Ford with room for 300.", ("Ostervale", "Pennick Ford")),
    ("The bill was approved in the House.", "The bill was approved in the Senate on Friday.", ("House", "Senate")),
    # the story's name after a few words describing it
    ("The president invited the premier to visit Miravesk next year.",
     "The president invited the premier to visit the Kelvarran capital, Orsk-Vallen, next year.", ("Miravesk", "Kelvarran")),
    ("The president invited the premier to visit Orsk-Vallen next year.",
     "The president invited the premier to visit the Kelvarran capital, Orsk-Vallen, next year.", None),
    # the claim's name is in the sentence, or only function words come before the names: nothing to say
    ("Reyes called Whitfield on Monday.", "Council President Omar Reyes called Whitfield on Monday.", None),
    ("The meeting was held in the Town Hall.", "It was in the City Library that they met.", None),
])
def test_another_name_in_the_claims_place(claim, sentence, found):
    from storybot.index.checking.rivals import aligned_rival
    assert aligned_rival(Sentence(claim), Sentence(sentence)) == found
