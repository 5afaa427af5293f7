"""The highlight is the sentence of the answering paragraph that answers, verbatim."""

from __future__ import annotations

import pytest

from storybot.testing.paths import STORY_ID


@pytest.mark.parametrize("question, paragraph, starts", [
    # Two-sentence paragraph 9: the swearing-in is in the first, what Israel wanted in the second.
    ("When was Netanyahu sworn in?", 9, "Behind the scenes: Netanyahu, who was sworn in"),
    ("Which countries did Netanyahu call?", 9, "Behind the scenes: Netanyahu, who was sworn in"),
    ("Did Israel want the countries to oppose the resolution or abstain?", 9, "Israel wanted them to change"),
    # Paragraph 12: Zelensky's refusal first, the instruction to the ambassador second.
    ("Did Zelensky agree to vote against the resolution?", 12, "According to the Ukrainian official, Zelensky"),
    ("What did Zelensky instruct Ukraine's ambassador to the UN to do?", 12, "Instead, he instructed"),
    # Paragraph 16, three sentences of a tweet.
    ("Did Zelensky mention the Ukrainian peace formula?", 16, "We also touched on the implementation"),
    ("Did Zelensky congratulate Netanyahu?", 16, "Zelensky tweeted on Saturday"),
    # Paragraph 15: the statement, then the refusal to comment.
    ("Did Netanyahu's office comment on diplomatic conversations?", 15, "Other than that we will not comment"),
])
def test_highlight_is_the_answering_sentence(engine, question, paragraph, starts):
    passage = engine.ask(question, top_k=1).passages[0]
    assert passage.paragraph == paragraph
    assert passage.highlight.startswith(starts)


@pytest.mark.parametrize("question", [
    "How many countries abstained?",
    "why didn't ukraine attend the vote",
    "netanyhu zelensky phone call",
    "What did the senior Israeli official say?",
    "bitcoin price today",
])
def test_highlight_is_verbatim_from_its_paragraph(engine, question):
    for passage in engine.ask(question, top_k=5).passages:
        assert passage.highlight in passage.text
        paragraph = engine.index.paragraph(passage.source, passage.paragraph)
        assert passage.highlight in paragraph.sentences


def test_never_the_same_paragraph_twice(engine):
    answer = engine.ask("Netanyahu Zelensky vote", top_k=17)
    numbers = [p.paragraph for p in answer.passages]
    assert len(numbers) == len(set(numbers)) == 17


def test_a_paragraph_carried_by_two_stories_is_shown_once(tmp_path, embedder, sources_copy):
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import build_index, load_index

    text = (sources_copy / f"{STORY_ID}.md").read_text("utf-8")
    (sources_copy / "syndicated-copy.md").write_text(text.replace("outlet: Axios", "outlet: Wire"), "utf-8")
    build_index(sources_copy, tmp_path / "index", embedder)
    engine = Engine(load_index(tmp_path / "index"), embedder)
    passages = engine.ask("How many countries abstained?", top_k=6).passages
    texts = [p.text for p in passages]
    assert len(texts) == len(set(texts)) == 6
    assert passages[0].paragraph == 3
