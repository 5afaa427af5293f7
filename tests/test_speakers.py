"""Who speaks in each paragraph, found from the story's own wording at index time."""

from __future__ import annotations

import pytest

from storybot.testing.paths import SOURCES, STORY_ID
from storybot.index.storage.sources import load_story
from storybot.index.language.speakers import attributions, find_speaker, speaker_roles

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
    # a second verb of the same subject: what the first verb acted on says nothing
    ("The mayor visited the site and said it was safe.", None),
    ("The chief executive apologised to affected customers and said the company was acting fast.", None),
    ("Police Chief Ana Alvarez and Mayor Tom Reyes said it was safe.", "Police Chief Ana Alvarez and Mayor Tom Reyes"),
])
def test_speaker_wording_in_general(text, speaker):
    assert find_speaker(text) == speaker


def test_answers_carry_the_speaker_in_the_json_contract(engine):
    answer = engine.ask("What did Zelensky tweet about the call?", top_k=1)
    assert answer.passages[0].paragraph == 16
    assert answer.passages[0].speaker == "Zelensky"
    dumped = answer.model_dump()
    assert dumped["passages"][0]["speaker"] == "Zelensky"


@pytest.mark.parametrize("text, speaker", [
    # a name set off by commas before the verb, after its role or before a description
    ("Harlow State's provost, Gerald Okafor, told reporters the talks had collapsed.", "Gerald Okafor"),
    ("Marcus Feld, a third-year student, said he worried about exams.", "Marcus Feld"),
    ("The mayor, Celeste Ngata, who has no vote, said she would sign it.", "Celeste Ngata"),
    ("Gerald Okafor, 54, said the offer stood.", "Gerald Okafor"),
    # an abbreviated title stays with the name instead of ending it
    ("“This is the start,” said Sen. Adriana Kowalczyk, a Democrat who sponsored the bill.", "Sen. Adriana Kowalczyk"),
    # "called" says something only when a quotation follows
    ("Minority Leader Patricia Haldane called the bill “a mandate from the capital.”", "Minority Leader Patricia Haldane"),
    ("The company called a meeting for Friday.", None),
    # a comma before the verb that does not set off a name
    ("In the end, the talks, which ran for weeks, said nothing.", None),
])
def test_appositives_titles_and_quoting_verbs(text, speaker):
    assert find_speaker(text) == speaker


@pytest.mark.parametrize("text, role", [
    ("Enrollment fell by a third, union president Tom Alvarez said on Monday.", "union president"),
    ("“We will reopen,” said Bradley Nakamura, Tamarack's vice president of operations.",
     "Tamarack's vice president of operations"),
    ("Harlow State's provost, Gerald Okafor, told reporters the talks had collapsed.", "Harlow State's provost"),
    ("Its executive director, Gregory Asante, said cities were not consulted.", "executive director"),
    ("“This is the start,” said Sen. Adriana Kowalczyk, a Democrat who sponsored the bill.",
     "a Democrat who sponsored the bill, senator"),
    # "Its" is the body the sentence before is about
    ("The League of Municipalities, which represents 212 towns, opposed the bill. Its executive director, "
     "Gregory Asante, said cities were not consulted.", "League of Municipalities’ executive director"),
    ("Acme Corp. reported a loss. Its chief executive, Dana Whitaker, said the company would recover.",
     "Acme Corp’s chief executive"),
    # what follows the comma is not a role: the sentence goes on, or it is what was said
    ("“We will appeal,” said Dana Whitaker, adding that the ruling was wrong.", None),
    ("Priya Nair said the road would reopen by June.", None),
])
def test_the_role_beside_a_speakers_name(text, role):
    assert next(attributions(text)).role == role


def test_a_later_surname_takes_the_role_the_story_gave_that_person():
    story = [
        "Substitute Tobi Okonjo headed in an 89th-minute equaliser on Saturday.",
        "Okonjo, a 19-year-old striker from Ostrava, came on in the 78th minute.",
        "“I have been waiting for that one,” Okonjo said afterwards.",
        "Redmere head coach Viktor Anselm said his side deserved to win.",
        "“It changed the game,” Anselm said. According to Anselm, the penalty decision was wrong.",
        "Fans said it was the best derby in years.",
    ]
    roles = speaker_roles(story)
    assert roles[2] == "Substitute Tobi Okonjo, a 19-year-old striker from Ostrava"
    assert roles[4] == "Viktor Anselm, Redmere head coach"  # not "the penalty decision"
    assert roles[5] is None  # a group is not named again by a surname


def test_a_question_may_name_the_speaker_by_role(tmp_path, embedder):
    """"What did the provost say?" finds the provost's words, though the paragraph names him only by
    surname and the story gives his role three paragraphs earlier."""
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import build_index, load_index

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "strike.md").write_text(
        "---\ntitle: Lecturers strike at Harlow State\n---\n"
        "Lecturers at Harlow State walked off the job on Monday, cancelling 1,400 classes.\n"
        "Harlow State's provost, Gerald Okafor, told reporters the talks had run for 11 weeks.\n"
        "The union wants a 9% raise over two years; the university has offered 4%.\n"
        "“We bent over backwards to reach a deal,” Okafor said on Tuesday.\n"
        "“Nobody wanted this strike,” said union president Priya Ramaswamy.\n", "utf-8")
    build_index(sources, tmp_path / "index", embedder)
    engine = Engine(load_index(tmp_path / "index"), embedder)
    index = engine.index.paragraphs
    assert [index.role_of(row) for row in range(len(index))] == [
        None, "Harlow State's provost", None, "Gerald Okafor, Harlow State's provost", "union president"]
    query = engine.read("What did the provost say about the talks?")
    assert not engine.score(query, engine.rows_of("strike")).unknown_speaker
    query = engine.read("What did the chancellor say about the talks?")
    assert engine.score(query, engine.rows_of("strike")).unknown_speaker
    # the story's subject (its title) does not make anyone its chancellor: the provost is Harlow State's too
    query = engine.read("What did Harlow State's chancellor say about the talks?")
    assert engine.score(query, engine.rows_of("strike")).unknown_speaker
    assert engine.score(query, engine.rows_of(None)).unknown_speaker


@pytest.mark.parametrize("text, speaker", [
    # reporting verbs besides "said": the story's source all the same
    ("Kestrany estimates the sanctions have cost its exporters about $1.3 billion.", "Kestrany"),
    ("Prosecutors argued that the money was hidden in a shell company.", "Prosecutors"),
    ("“We are ready,” insisted Mayor Jane Doe.", "Mayor Jane Doe"),
    ("The company acknowledged that 40 flights were cancelled.", "the company"),
    # a noun, not a verb: no speaker
    ("Estimates suggest the repairs will cost more.", None),
])
def test_reporting_verbs_name_the_speaker(text, speaker):
    assert find_speaker(text) == speaker


@pytest.mark.parametrize("text, speaker", [
    # a pronoun speaks for the person the paragraph named just before it, not for a name inside the quote
    ("Mayor Rosalind Akerman, who negotiated the deal, will sign it on Thursday. “Fennick Athletic is staying"
     " in Fennick, and the city is getting a fair deal,” she said.", "Mayor Rosalind Akerman"),
    ("Eleanor Brandvold, a product-safety advocate at the nonprofit Homeguard Alliance, said the warning came"
     " late. \"People were running these heaters overnight,\" she said.", "Eleanor Brandvold"),
    ("The council met on Monday. “We will appeal,” he said.", None),  # nobody named: nobody speaks
    ("On Monday the council met. “We will appeal,” he said.", None),  # a capitalised opening is no name
    # an audience, not an outlet, after "told"
    ("Assistant District Attorney Marcus Delacroix told jurors that the evidence was clear.",
     "Assistant District Attorney Marcus Delacroix"),
    ("“We will not waste it,” the Civic Union leader, Teodor Halvorsen, told cheering supporters.", "Teodor Halvorsen"),
])
def test_pronouns_and_audiences_name_the_speaker(text, speaker):
    assert find_speaker(text) == speaker


def test_an_indefinite_appositive_is_the_speakers_role():
    found = next(attributions("Eleanor Brandvold, a product-safety advocate at the nonprofit Homeguard Alliance, "
                              "said Kestrelane should have warned customers."))
    assert (found.speaker, found.role) == ("Eleanor Brandvold", "a product-safety advocate at the nonprofit Homeguard Alliance")
    quoted = next(attributions("“My alert went off late,” said Ishmael Garrow, a retiree on Ferris Street."))
    assert (quoted.speaker, quoted.role) == ("Ishmael Garrow", "a retiree on Ferris Street")


@pytest.mark.parametrize("text, speaker", [
    # the job a body's name follows is who speaks, not the body
    ("The head of the League of Municipalities complained that cities were not consulted.",
     "the head of the League of Municipalities"),
    ("The chair of the board said the vote would go ahead.", "the chair of the board"),
    ("The League of Municipalities said it opposed the bill.", "the League of Municipalities"),
])
def test_a_job_of_a_body_is_the_speaker(text, speaker):
    assert find_speaker(text) == speaker
