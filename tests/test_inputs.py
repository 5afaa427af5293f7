"""What the engine accepts as text: refused characters are named with their position, before any model runs."""

import pytest

from storybot.index.checking.check import validate_claim
from storybot.index.errors import InputError
from storybot.index.language.inputs import require_text
from storybot.index.answering.search import validate_question


@pytest.mark.parametrize(("text", "message"), [
    ("how \udcff many", "the question is not valid UTF-8 (byte 0xFF at character 5); send it as UTF-8 text"),
    ("how many \ud800 countries", "the question holds a lone surrogate (U+D800 at character 10), which is not text"),
    ("a\udfffb", "the question holds a lone surrogate (U+DFFF at character 2), which is not text"),
    ("x\x00y", "the question holds a control character (U+0000 at character 2); send plain text"),
    ("bell\x07", "the question holds a control character (U+0007 at character 5); send plain text"),
    ("\x1b[31mred", "the question holds a control character (U+001B at character 1); send plain text"),
    ("del\x7f", "the question holds a control character (U+007F at character 4); send plain text"),
    ("c1\x85", "the question holds a control character (U+0085 at character 3); send plain text"),
])
def test_what_is_not_text_is_refused_by_name_and_place(text, message):
    with pytest.raises(InputError) as refused:
        require_text(text)
    assert str(refused.value) == message


@pytest.mark.parametrize("text", ["How many?\tAnd\r\nwhen?", "Zelensky’s “call” — 87 %", "🇺🇦 כמה מדינות",
                                  "\u200bzero\u200dwidth\ufeff", "emoji 👍🏽 and math 𝔸"])
def test_text_with_tabs_line_breaks_and_any_script_passes_unchanged(text):
    assert require_text(text) == text


def test_questions_and_claims_are_checked_as_text():
    with pytest.raises(InputError, match="the question holds a lone surrogate"):
        validate_question("how many \ud800 countries")
    with pytest.raises(InputError, match=r"the claim holds a control character \(U\+0000"):
        validate_claim("87\x00 countries")
    assert validate_question("  how many?\n") == "how many?"


def test_length_is_judged_before_content():
    with pytest.raises(InputError, match="too long"):
        validate_question("\x00" * 5000)
