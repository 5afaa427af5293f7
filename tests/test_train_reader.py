"""The reader's training data (benchmarks/train_reader.py): near misses and the gate's AUC."""

from __future__ import annotations

import importlib.util

import pytest

from storybot.testing.paths import ROOT


@pytest.fixture(scope="module")
def train_reader():
    spec = importlib.util.spec_from_file_location("train_reader", ROOT / "benchmarks" / "train_reader.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CONTEXT = ("The bridge opened in 1932. It cost $4 million to build, paid by the state. "
           "Engineers from Ohio designed its steel arch.")


def _answer(text: str) -> dict:
    return {"text": text, "answer_start": CONTEXT.index(text)}


def test_a_near_miss_is_the_paragraph_without_the_answering_sentence(train_reader):
    rest = train_reader.without_answer(CONTEXT, [_answer("$4 million")])
    assert rest == "The bridge opened in 1932. Engineers from Ohio designed its steel arch."


def test_every_sentence_an_answer_touches_is_left_out(train_reader):
    rest = train_reader.without_answer(CONTEXT, [_answer("1932"), _answer("Ohio")])
    assert rest == "It cost $4 million to build, paid by the state."


def test_no_near_miss_when_the_answer_is_said_again_or_nothing_is_left(train_reader):
    twice = CONTEXT + " The $4 million came from a bond."
    assert train_reader.without_answer(twice, [{"text": "$4 million", "answer_start": twice.index("$4 million")}]) is None
    assert train_reader.without_answer("Only 1932.", [{"text": "1932", "answer_start": 5}]) is None


def test_auc_is_the_chance_a_positive_outscores_a_negative(train_reader):
    assert train_reader.auc([3.0, 2.0], [1.0, 0.0]) == 1.0
    assert train_reader.auc([1.0], [1.0]) == 0.5
    assert train_reader.auc([0.0, 2.0], [1.0]) == 0.5


@pytest.fixture(scope="module")
def train_claims(train_reader):
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))  # train_claims imports train_reader by name
    try:
        spec = importlib.util.spec_from_file_location("train_claims", ROOT / "benchmarks" / "train_claims.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


def test_a_changed_claim_differs_from_its_sentence_in_one_fact(train_claims):
    import random
    sentence = "The council voted 7 to 2 on Tuesday, Mayor Linda Okafor said, and the plan was not final."
    seen = set()
    for seed in range(30):
        other = train_claims.changed(sentence, ["Harold Quist"], random.Random(seed))
        assert other is not None and other != sentence
        if "Harold Quist" in other:
            seen.add("name")
            assert other.replace("Harold Quist", "Mayor Linda Okafor") == sentence \
                or other.replace("Harold Quist", "Tuesday") == sentence
        elif "was final" in other:
            seen.add("polarity")
            assert other.replace("was final", "was not final") == sentence
        else:
            seen.add("figure")
            differ = [(a, b) for a, b in zip(sentence.split(), other.split()) if a != b]
            assert len(other.split()) == len(sentence.split()) and len(differ) == 1 and differ[0][0] in ("7", "2")
            assert differ[0][1].isdigit()
    assert seen == {"name", "polarity", "figure"}


def test_a_year_is_no_figure_to_change_and_a_sentence_without_facts_stays(train_claims):
    import random
    assert train_claims.changed("the rain fell all night in 2023", [], random.Random(0)) is None
    assert train_claims.auc([0.9, 0.8], [0.1]) == 1.0
