"""Telegram HTML rendering: escaping, blockquote, bold highlight, links, the 4096 limit.

Every card is checked with the fake Bot API's HTML parser (tdlib's rules), so "Telegram would
accept it" is tested, not assumed.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from storybot.bot import keyboards, render
from storybot.bot.service import Asked, present
from storybot.testing.markup import BotAPIError, format_text, utf16_len
from storybot.index.models import Answer, Paragraph, Passage, StoryInfo

URL = "https://www.example.org/news/story?id=7&lang=en"


def passage(text: str, highlight: str | None = None, **fields) -> Passage:
    base = dict(source="s", title="A “quoted” <title> & more", outlet="Example News", paragraph=3,
                speaker="the minister", score=0.8)
    return Passage(text=text, highlight=highlight or text, **{**base, **fields})


def telegram(markup: str) -> tuple[str, list[dict]]:
    """What Telegram shows for `markup`, raising if Telegram would refuse it."""
    return format_text(markup, "HTML")


def entity_text(visible: str, entity: dict) -> str:
    raw = visible.encode("utf-16-le")
    return raw[2 * entity["offset"]: 2 * (entity["offset"] + entity["length"])].decode("utf-16-le")


def test_quote_is_a_blockquote_with_the_answering_sentence_in_bold():
    p = passage("The vote was close. Exactly 87 countries voted in favor. Others abstained.",
                "Exactly 87 countries voted in favor.")
    markup = render.answer_card([p], {"s": None}, answered=True)
    visible, entities = telegram(markup)
    assert visible.startswith("The vote was close. Exactly 87 countries voted in favor. Others abstained.")
    [quote] = [e for e in entities if e["type"] == "blockquote"]
    [bold] = [e for e in entities if e["type"] == "bold"]
    assert entity_text(visible, quote) == p.text
    assert entity_text(visible, bold) == "Exactly 87 countries voted in favor."
    assert "— the minister, Example News, “A “quoted” <title> & more”, ¶3" in visible


@pytest.mark.parametrize("speaker, role, shown", [
    # a later "Okafor said" is shown with the full name and the role the story gave him earlier
    ("Okafor", "Gerald Okafor, Harlow State's provost", "— Gerald Okafor (Harlow State's provost), Example News"),
    ("Celeste Ngata", "who does not have a vote on the council, Brennick's mayor",
     "— Celeste Ngata (Brennick's mayor), Example News"),
    ("Dana Whitaker", None, "— Dana Whitaker, Example News"),
    # a role too long for the line is left out rather than cut
    ("Marcus Feld", "a third-year engineering student and vice president of the Student Senate",
     "— Marcus Feld, Example News"),
])
def test_the_attribution_says_what_the_story_calls_the_speaker(speaker, role, shown):
    visible, _ = telegram(render.answer_card([passage("Text.", speaker=speaker, speaker_role=role)], {"s": None},
                                             answered=True))
    assert shown in visible


def test_text_from_users_and_stories_is_escaped():
    nasty = 'Tom & Jerry said <b>hi</b> </blockquote> & "&amp;" *_[]'
    p = passage(nasty)
    visible, entities = telegram(render.answer_card([p], {"s": None}, answered=True, question="<i>why</i> & how?"))
    assert "<i>why</i> & how?" in visible
    assert nasty in visible
    assert {e["type"] for e in entities} == {"bold", "blockquote"}


def test_attribution_links_to_the_quoted_sentence_in_the_article():
    p = passage("First sentence here. Second, with a dash-word & an ampersand, is the long answering one.",
                "Second, with a dash-word & an ampersand, is the long answering one.")
    visible, entities = telegram(render.answer_card([p], {"s": URL}, answered=True))
    [link] = [e for e in entities if e["type"] == "text_link"]
    assert entity_text(visible, link) == "open in article"
    base, fragment = link["url"].split("#:~:text=")
    assert base == URL
    start, end = fragment.split(",")
    assert unquote(start) == "Second, with a dash-word" and unquote(end) == "the long answering one."
    assert "-" not in start and "&" not in fragment  # syntax characters of a text directive are encoded


def test_short_sentence_fragment_and_existing_fragment_replaced():
    url = render.text_fragment_url("https://example.org/a#top", "Only five words are here.")
    assert url == "https://example.org/a#:~:text=Only%20five%20words%20are%20here."


def test_not_answered_says_so_and_labels_the_closest_passage_without_bold():
    p = passage("Something loosely related.")
    visible, entities = telegram(render.answer_card([p], {"s": None}, answered=False))
    assert visible.splitlines()[0] == "The story doesn’t say."
    assert "Closest passage (not an answer):" in visible
    assert "bold" not in {e["type"] for e in entities}
    visible, _ = telegram(render.answer_card([], {"s": None}, answered=False))
    assert visible == "The story doesn’t say."


def test_long_paragraph_is_trimmed_at_sentences_around_the_highlight():
    filler = [f"Filler sentence number {i} adds words to the paragraph." for i in range(120)]
    key = "The key fact is that 87 countries voted in favor."
    text = " ".join(filler[:60] + [key] + filler[60:])
    assert len(text) > 6000
    markup = render.answer_card([passage(text, key)], {"s": URL}, answered=True, question="x" * 4000)
    visible, entities = telegram(markup)  # raises "message is too long" past 4096
    assert utf16_len(visible) <= render.MAX_LENGTH
    assert visible.startswith("Q: xxx") and len(visible.splitlines()[0]) < 300  # the echo is short
    [bold] = [e for e in entities if e["type"] == "bold" and entity_text(visible, e) != "Q:"]
    assert entity_text(visible, bold) == key
    [quote] = [e for e in entities if e["type"] == "blockquote"]
    quoted = entity_text(visible, quote)
    assert quoted.startswith("…Filler sentence") and quoted.endswith("paragraph.…")
    # whole sentences only: every piece between the ellipses is verbatim story text
    assert quoted.strip("…") in text


def test_one_huge_sentence_is_cut_at_a_word_and_astral_characters_count_double():
    sentence = "Emoji 😀 " * 900 + "end."
    markup = render.answer_card([passage(sentence)], {"s": None}, answered=True)
    visible, entities = telegram(markup)
    assert utf16_len(visible) <= render.MAX_LENGTH
    assert len(visible) < utf16_len(visible)  # the emoji really are counted as two units
    [bold] = [e for e in entities if e["type"] == "bold"]
    assert entity_text(visible, bold).startswith("Emoji 😀 Emoji")
    assert "…" in visible and "\ud83d" not in visible


def test_trim_keeps_everything_when_it_fits_and_marks_cuts():
    text = "One. Two is key. Three."
    assert render.trim(text, "Two is key.", 100) == ("One. ", "Two is key.", " Three.")
    assert render.trim(text, "Two is key.", 13) == ("…", "Two is key.", "…")
    assert render.trim(text, "Two is key.", 12) == ("…", "Two is", "…")  # cut inside, at a word
    assert render.trim(text, None, 6) == ("", "", "One.…")


def test_context_card_shows_neighbours_around_the_quote():
    p = passage("The middle paragraph, quoted.", paragraph=5)
    before = Paragraph(story="s", number=4, text="Before <it>.", sentences=["Before <it>."])
    after = Paragraph(story="s", number=6, text="After & then.", sentences=["After & then."])
    visible, entities = telegram(render.context_card(p, before, after, URL, answers=True))
    lines = visible.splitlines()
    assert lines[0] == "Context of ¶5"
    assert lines[1:4] == ["¶4 Before <it>.", "¶5 The middle paragraph, quoted.", "¶6 After & then."]
    [quote] = [e for e in entities if e["type"] == "blockquote"]
    assert entity_text(visible, quote) == "¶5 The middle paragraph, quoted."
    visible, _ = telegram(render.context_card(p, None, None, None, answers=False))
    assert "¶5 The middle paragraph, quoted." in visible


def test_page_card_labels_passages_that_may_not_answer():
    p = passage("Maybe related.", score=0.1)
    visible, entities = telegram(render.page_card(p, None, rank=3, total=8, answers=False))
    assert visible.startswith("Related passage 4 of 8 (may not answer the question)")
    assert "bold" not in {e["type"] for e in entities}
    visible, entities = telegram(render.page_card(passage("Also answers."), None, rank=1, total=8, answers=True))
    assert visible.startswith("Quote 2 of 8")
    assert "bold" in {e["type"] for e in entities}


def test_story_lists_fit_and_say_how_many_are_left_out():
    stories = [StoryInfo(id=f"s{i}", title=f"Story <{i}> & co", outlet="Outlet", paragraphs=i + 1,
                         url=f"https://example.org/{i}?a=1&b=2") for i in range(300)]
    visible, entities = telegram(render.sources_card(stories))
    assert visible.startswith("Stories I can quote (300)")
    assert "• Story <0> & co — Outlet, 1 paragraph" in visible
    assert visible.rstrip().splitlines()[-1].startswith("… and ")
    assert entities[0]["type"] == "bold" and any(e.get("url") == "https://example.org/0?a=1&b=2" for e in entities)
    visible, _ = telegram(render.start_card(stories[:1], has_examples=True))
    assert "I know 1 story:" in visible and visible.endswith("or tap an example:")
    visible, _ = telegram(render.start_card(stories, has_examples=False))
    lines = visible.splitlines()
    assert len(visible) <= render.MAX_LENGTH
    assert "I know 300 stories:" in lines and lines[-1] == "Ask me anything about them."
    listed = [line for line in lines if line.startswith("• Story <")]
    assert listed[0] == "• Story <0> & co — Outlet, 1 paragraph" and len(listed) < 300
    assert lines[-3] == f"… and {300 - len(listed)} more"  # every story is either listed or counted


def test_help_and_usage_are_valid_html():
    visible, _ = telegram(render.help_card("storybot_test_bot"))
    assert "/ask <question>" in visible and "@storybot_test_bot" in visible
    visible, _ = telegram(render.usage_card("Who & why?"))
    assert visible.endswith("/ask Who & why?")


def test_callback_data_round_trips_and_rejects_forgeries():
    for press in (keyboards.Press("quote", "AbC_-123", 7), keyboards.Press("context", "x" * 32, 0),
                  keyboards.Press("example", rank=2)):
        data = keyboards.encode(press)
        assert len(data.encode()) <= 64
        assert keyboards.decode(data) == press
    for forged in ("", "q:tok", "q:tok:-1", "z:tok:1", "q:to k:1", "e:x", "q:" + "a" * 80 + ":1", None):
        assert keyboards.decode(forged) is None


def _answer(*scores: float, answered: bool = True) -> Answer:
    return Answer(question="q", answered=answered,
                  passages=[passage(f"P{i}.", paragraph=i + 1, score=s) for i, s in enumerate(scores)])


def test_first_card_shows_further_passages_only_when_they_answer_nearly_as_well():
    assert present(_answer(0.7, 0.5, 0.45), 0.42, 3).first_page == 1
    assert present(_answer(0.55, 0.54, 0.53, 0.52), 0.42, 3).first_page == 3
    assert present(_answer(0.55, 0.54, 0.30), 0.42, 3).first_page == 2
    shown = present(_answer(0.3, 0.2, answered=False), 0.42, 3)
    assert (shown.first_page, shown.total) == (1, 1)  # the closest passage, clearly labelled
    assert present(_answer(0.05, answered=False), 0.42, 3).first_page == 0  # nothing close: say so only


def test_more_quotes_walks_the_remaining_passages():
    asked: Asked = present(_answer(0.55, 0.54, 0.3, 0.2), 0.42, 3)
    assert asked.first_page == 2
    assert [asked.next_rank(r) for r in (0, 2, 3)] == [2, 3, None]
    assert [asked.previous_rank(r) for r in (0, 1, 2, 3)] == [None, 0, 0, 2]
    assert asked.answers(1) and not asked.answers(2)


@pytest.mark.parametrize("markup", ["<b>unclosed", "a & b", "<blockquote><b>x</blockquote></b>"])
def test_the_fake_api_really_rejects_bad_html(markup):
    with pytest.raises(BotAPIError):
        telegram(markup)
