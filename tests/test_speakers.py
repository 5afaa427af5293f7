"""Who speaks in each paragraph, found from the story's own wording at index time."""

from __future__ import annotations

import pytest

from storybot.testing.paths import SOURCES, STORY_ID
from storybot.index.storage.sources import load_story
from storybot.index.language.speakers import find_speaker

# The bundled story, paragraph by paragraph (None: narration, nobody is quoted or cited).
EXPECTED = {
    1: "Ukrainian and Israeli officials",  # "… Ukrainian and Israeli officials told Axios."
    2: "the Ukrainian official",           # "… the Ukrainian official said."
    3: None,
    4: "the resolution",                   # "According to the resolution, …"
    5: "the resolution",                   # "… the resolution reads."
    6: None,
    7: "Ukrainian officials",              # "… Ukrainian officials had said."
    8: None,
    9: "a senior Israeli official",        # "… a senior Israeli official told Axios."
    10: "a Ukrainian official",            # "… a Ukrainian official told Axios."
    11: "the Ukrainian official",          # "The Ukrainian official said …"
    12: "the Ukrainian official",          # "According to the Ukrainian official, …"
    13: "the Ukrainian official",
    14: "a senior Israeli official",       # "A senior Israeli official said …"
    15: "Netanyahu’s office",              # "Netanyahu’s office told Axios: …"
    16: "Zelensky",                        # "Zelensky tweeted on Saturday …"
    17: None,
}


def test_every_paragraph_of_the_bundled_story_has_the_expected_speaker():
    story = load_story(SOURCES / f"{STORY_ID}.md")
    assert len(story.paragraphs) == 17
    assert {p.number: p.speaker for p in story.paragraphs} == EXPECTED


def test_the_index_carries_the_speakers(engine):
    found = {p.number: p.speaker for p in engine.index.paragraphs if p.story == STORY_ID}
    assert found == EXPECTED


@pytest.mark.parametrize("text, speaker", [
    ("The minister said the talks would continue.", "the minister"),
    ("“We will not comment,” the ministry said.", "the ministry"),
    ("According to a statement from the army, two soldiers were hurt.", "a statement from the army"),
    ("Mayor Jane Ortiz told reporters the bridge would reopen.", "Mayor Jane Ortiz"),
    ("A White House spokesperson said on Monday that the meeting went well.", "a White House spokesperson"),
    # Pronouns are not speakers, and a relative clause is not an attribution.
    ("He said the talks would continue.", None),
    ("The company, which said it would appeal, lost the case.", None),
    ("Prices rose by 3% in March.", None),
    # quote, then said, then the name
    ("“We will reopen the road by June,” said Priya Nair.", "Priya Nair"),
    ('"We lost half our customers," said Priya Nair, who runs a bakery.', "Priya Nair"),
    ("“It is over,” said the mayor.", "the mayor"),
    ("“It is over,” he said.", None),
    # name, then said
    ("Priya Nair said the road would reopen by June.", "Priya Nair"),
    # a lower-case role before a name: the person
    ("Enrollment fell by a third, union president Tom Alvarez said on Monday.", "Tom Alvarez"),
    ("“We will strike,” said union president Tom Alvarez.", "Tom Alvarez"),
    # groups of people, with what places them
    ("Business owners on Dock Street said the closure had cost them customers.", "Business owners on Dock Street"),
    ("Officials in Kyiv said the talks would resume.", "Officials in Kyiv"),
    ("Traffic was heavy on Dock Street, residents said.", "residents"),
    ("“We will strike,” the teachers’ union said Sunday.", "the teachers’ union"),
    ("\"We will strike,\" the teachers' union said Sunday.", "the teachers' union"),
    # numbers are not a speaker; a speaker after them still is
    ("The road will stay shut until March, according to department figures.", None),
    ("Enrollment fell, according to department figures, the mayor said.", "the mayor"),
    ("Nothing, according to   , was said.", None),  # an empty "according to" names nobody
])
def test_speaker_wording_in_general(text, speaker):
    assert find_speaker(text) == speaker


def test_answers_carry_the_speaker_in_the_json_contract(engine):
    answer = engine.ask("What did Zelensky tweet about the call?", top_k=1)
    assert answer.passages[0].paragraph == 16
    assert answer.passages[0].speaker == "Zelensky"
    dumped = answer.model_dump()
    assert dumped["passages"][0]["speaker"] == "Zelensky"
