"""The reader stage: the cross-encoder loads offline with its checksum, reads question and paragraph
together, re-orders the first stage's best candidates and helps decide whether they answer — on
stories the engine was never tuned on (benchmarks/data/dev, written for development)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from storybot.index.answering.search import ANSWER_THRESHOLD, Engine
from storybot.index.answering.weights import ReaderWeights, Weights, load_weights
from storybot.index.errors import StorybotError
from storybot.index.reading.cross_encoder import MS_MARCO_L12_SHA256, CrossEncoder, ms_marco_l12_dir, sha256_of
from storybot.index.reading.load import FINE_TUNED, FINE_TUNED_SHA256, fine_tuned_dir, load_reader, reader_meta
from storybot.index.service import open_reader
from storybot.index.storage.store import build_index, load_index
from storybot.testing.paths import ROOT

DEV = ROOT / "benchmarks" / "data" / "dev"
MEASLES = "pell-county-measles-outbreak"
BREACH = "tallyfin-data-breach"
VOTE = ("Catch up quick: The UN General Assembly approved the resolution late Friday, with 87 countries "
        "voting in favor, 24 countries voting against and 53 countries abstaining.")
FURIOUS = "Israeli foreign ministry officials were furious at the time and summoned the Ukrainian ambassador."


@pytest.fixture(scope="module")
def dev_engine(tmp_path_factory, embedder, reader):
    index_dir = tmp_path_factory.mktemp("dev-index")
    build_index(DEV / "sources", index_dir, embedder)
    return Engine(load_index(index_dir), embedder, reader=reader)


def test_the_ms_marco_reader_loads_offline_from_the_wheel_and_checks_its_sha256():
    ms_marco = load_reader("ms-marco-l12")
    assert ms_marco.name == "ms-marco-l12" and (ms_marco_l12_dir() / "model.onnx").is_file()
    logits = ms_marco.score("How many countries voted in favor of the resolution?", [VOTE, FURIOUS])
    assert logits[0] > 5 > 0 > logits[1]  # it reads the question: the count answers, the fury does not


def test_the_shipped_weights_run_the_fine_tuned_reader_offline_checked_against_its_pinned_sha256(reader):
    """benchmarks/train_reader.py's model, committed beside the code, is what "auto" loads."""
    assert reader.name == FINE_TUNED == load_weights().reader.model
    assert reader.directory == fine_tuned_dir() and sha256_of(reader.directory / "model.onnx") == FINE_TUNED_SHA256
    logits = reader.score("How many countries voted in favor of the resolution?", [VOTE, FURIOUS])
    assert logits[0] > 0 > logits[1]  # it reads the question: the count answers, the fury does not


def test_the_fine_tuned_reader_loads_by_directory_too():
    assert load_reader(str(ROOT / "index" / "reading" / "models" / "storybot-answer-l12")).name == FINE_TUNED


def test_a_swapped_fine_tuned_model_is_refused_even_with_a_matching_meta_json(tmp_path, monkeypatch):
    import storybot.index.reading.load as load

    copy = tmp_path / "models" / FINE_TUNED
    shutil.copytree(fine_tuned_dir(), copy)
    shutil.copy(ms_marco_l12_dir() / "model.onnx", copy / "model.onnx")
    meta = json.loads((copy / "meta.json").read_text("utf-8"))
    (copy / "meta.json").write_text(json.dumps(meta | {"sha256": MS_MARCO_L12_SHA256}), "utf-8")
    monkeypatch.setattr(load, "fine_tuned_dir", lambda: copy)
    with pytest.raises(StorybotError, match="damaged or not the one expected"):
        load_reader(FINE_TUNED)


def test_a_damaged_reader_model_is_refused(tmp_path):
    copy = tmp_path / "reranker"
    shutil.copytree(ms_marco_l12_dir(), copy)
    model = copy / "model.onnx"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit
    model.write_bytes(bytes(data))
    with pytest.raises(StorybotError, match="damaged or not the one expected"):
        CrossEncoder(copy, sha256=MS_MARCO_L12_SHA256)


def test_a_reader_directory_without_a_checksum_is_refused(tmp_path):
    copy = tmp_path / "reranker"
    shutil.copytree(ms_marco_l12_dir(), copy)
    with pytest.raises(StorybotError, match="no sha256"):
        CrossEncoder(copy)


def test_scores_are_cached_per_question_and_passage(reader):
    before = reader.scored_pairs
    first = reader.score("Who summoned the ambassador? (cache test)", [FURIOUS, VOTE])
    again = reader.score("Who summoned the ambassador? (cache test)", [VOTE, FURIOUS])
    assert reader.scored_pairs == before + 2  # the second call read nothing
    assert np.allclose(first[::-1], again)


def test_a_score_does_not_depend_on_what_else_is_scored():
    """Answers must not change with the questions asked before (the cache) or the other candidates."""
    fresh = load_reader("ms-marco-l12", cache_size=0)
    question = "Who summoned the Ukrainian ambassador?"
    together = fresh.score(question, [VOTE, FURIOUS])
    alone = fresh.score(question, [FURIOUS])
    assert together[1] == alone[0]


def test_pairs_read_side_by_side_score_as_when_read_one_after_another():
    """Two cores read the candidates in parallel; the logits, and with them the answers, are the same."""
    side_by_side = CrossEncoder(fine_tuned_dir(), sha256=FINE_TUNED_SHA256, threads=2, cache_size=0)
    in_turn = CrossEncoder(fine_tuned_dir(), sha256=FINE_TUNED_SHA256, threads=1, cache_size=0)
    assert side_by_side.workers == 2 and in_turn.workers == 1
    question = "How many countries voted in favor of the resolution?"
    passages = [VOTE, FURIOUS, "Ukraine had voted in favor of the resolution during a UN committee vote."]
    together = side_by_side.score(question, passages)
    assert together.tolist() == in_turn.score(question, passages).tolist()
    assert together.tolist() == [side_by_side.score(question, [p])[0] for p in passages]  # alone: all cores
    assert side_by_side.scored_pairs == 6 and together[0] > 0 > together[1]


def test_unknown_reader_names_say_what_exists():
    with pytest.raises(StorybotError, match="choose from storybot-answer-l12, ms-marco-l12"):
        load_reader("gpt-9")


def test_the_engine_uses_a_reader_only_with_weights_fitted_for_it(embedder, story_index_dir, reader):
    unfitted = Weights(rank=load_weights().rank, answer=load_weights().answer)
    assert Engine(load_index(story_index_dir), embedder, reader=reader, weights=unfitted).reader is None
    other = unfitted.model_copy(update={"reader": ReaderWeights(model="another-reader", rank_weight=1, answer=[0, 1, 0, 0])})
    assert Engine(load_index(story_index_dir), embedder, reader=reader, weights=other).reader is None
    assert open_reader("none") is None


@pytest.mark.parametrize("source, question, paragraph", [
    (MEASLES, "How many measles cases have been confirmed in Pell County?", 1),
    (MEASLES, "How long are unvaccinated students barred from class?", 10),
    (BREACH, "how many registered users does tallyfin have in total", 9),
    (BREACH, "Is Tallyfin offering free credit monitoring to affected users?", 10),
])
def test_new_story_questions_are_answered_from_the_right_paragraph(dev_engine, source, question, paragraph):
    answer = dev_engine.ask(question, source=source)
    assert answer.answered and answer.passages[0].paragraph == paragraph


@pytest.mark.parametrize("source, question", [
    (MEASLES, "What's the best way to roast a Thanksgiving turkey?"),
    (BREACH, "What's a good recipe for banana bread?"),
])
def test_new_story_off_topic_questions_are_declined(dev_engine, source, question):
    assert not dev_engine.ask(question, source=source).answered


def test_a_role_asked_for_by_its_short_form_finds_the_speaker_named_by_the_long_one(dev_engine):
    # "the CEO" is "chief executive Dana Whitaker" in the story (acronyms.SHORT_FORMS).
    assert dev_engine.read("what did the ceo say").cues.speaker == {"chief", "execut"}
    assert dev_engine.ask("what did the ceo say", source=BREACH).passages[0].paragraph == 3


def test_a_question_longer_than_the_reader_reads_is_cut_not_refused(reader):
    question = "How many countries voted in favor of the resolution? " + "Please answer. " * 300
    [logit] = reader.score(question, [VOTE])
    assert np.isfinite(logit)


def test_when_the_first_stage_is_sure_the_reader_judges_only_its_best_candidate(dev_engine, embedder):
    """The order stays the first stage's, every passage asked for is listed, and one pair is read."""
    fresh = load_reader(FINE_TUNED, cache_size=0)
    shipped = load_weights()
    always_sure = shipped.model_copy(update={"reader": shipped.reader.model_copy(update={"skip_margin": 0.0})})
    judged = Engine(dev_engine.index, embedder, reader=fresh, weights=always_sure)
    first_stage = Engine(dev_engine.index, embedder, reader=None, weights=always_sure)
    question = "How many measles cases have been confirmed in Pell County?"
    answer = judged.ask(question, source=MEASLES)
    assert [p.paragraph for p in answer.passages] == [p.paragraph for p in first_stage.ask(question, source=MEASLES).passages]
    assert len(answer.passages) == 3 and fresh.scored_pairs == 1
    assert answer.answered and answer.passages[0].paragraph == 1


def test_a_short_form_counts_as_mentioned_where_the_story_writes_it_out_in_lower_case(dev_engine):
    # "the ER" is "emergency rooms" in the story: not a name nobody mentions (acronyms.SHORT_FORMS).
    answer = dev_engine.ask("how many people went to the ER for heat illness", source="calder-heat-wave")
    assert answer.answered and answer.passages[0].paragraph == 5
    assert not dev_engine.ask("How many people went to the ICU with heat illness?", source="calder-heat-wave").answered


@pytest.mark.parametrize("source, question", [
    ("calder-heat-wave", "How many homeless people live in Calder?"),
    (BREACH, "Did the hackers demand a ransom?"),
    ("calder-heat-wave", "How much is the city spending on its heat emergency response?"),
    (MEASLES, "How many of the hospitalized patients are in intensive care?"),
])
def test_on_topic_questions_the_story_does_not_answer_are_declined_by_the_reader(dev_engine, source, question):
    # Near misses, not vetoes: every word is on the story's topic and no rule forbids an answer; the
    # fine-tuned reader judges that no paragraph answers (probability ~0.1-0.4, below 0.5).
    answer = dev_engine.ask(question, source=source)
    assert not answer.answered and answer.passages[0].score < ANSWER_THRESHOLD


def test_what_a_reader_was_trained_on_is_read_without_loading_it():
    """fit_weights.py and quality.py keep the reader's own training stories out of what they fit and score."""
    seen = reader_meta(FINE_TUNED)["seen"]
    assert seen["news"] is True and "Steam_engine" in seen["squad"] and "Normans" not in seen["squad"]
    assert reader_meta("ms-marco-l12") == {}
