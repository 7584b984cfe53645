"""Bad input reaches users as a clear Dutch InvalidInputError (CLI: exit 2, no traceback)."""

from __future__ import annotations

import pytest

from assistant.answering.service import AnsweringService
from assistant.answering.types import Turn
from assistant.cli import main
from assistant.core.errors import InvalidInputError
from tests.fakes import FakeRetriever, load_fixture_chunks


@pytest.fixture
def service(settings):
    return AnsweringService(settings, FakeRetriever(load_fixture_chunks()), None)


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        ("", "leeg"),
        ("   \n\t ", "leeg"),
        ("x" * 2001, "te lang"),
        ("Wat is sociale\x00 innovatie?", "stuurtekens"),
        ("Wat is\x1b[31m sociale innovatie?", "stuurtekens"),
        ("Wat is \u200b sociale innovatie?", "stuurtekens"),
        (None, "tekst"),
    ],
)
def test_bad_question_is_refused_with_dutch_message(service, question, fragment):
    with pytest.raises(InvalidInputError, match=fragment):
        service.answer(question)


def test_question_of_2000_characters_is_accepted(service):
    question = ("Wat is sociale innovatie? " * 80)[:2000]
    assert service.answer(question).text


@pytest.mark.parametrize(
    "history",
    [
        "vorige vraag",
        [("user", "vraag")],
        [{"role": "systeem", "content": "x"}],
        [{"role": "user"}],
        [{"role": "user", "content": 3}],
        {"role": "user", "content": "x"},
    ],
)
def test_history_in_the_wrong_shape_is_refused(service, history):
    with pytest.raises(InvalidInputError, match="gespreksgeschiedenis"):
        service.answer("Wat is sociale innovatie?", history)


def test_history_as_dicts_or_turns_is_accepted(service):
    dicts = [{"role": "user", "content": "Wat is sociale innovatie?"}]
    turns = [Turn("user", "Wat is sociale innovatie?")]
    assert (
        service.answer("En daarnaast?", dicts).query == service.answer("En daarnaast?", turns).query
    )


def test_cli_ask_with_empty_question_exits_nonzero_without_traceback(capsys):
    assert main(["ask", "   "]) == 2
    err = capsys.readouterr().err
    assert "De vraag is leeg" in err and "Traceback" not in err


def test_cli_ask_with_too_long_question(capsys):
    assert main(["ask", "a" * 2500]) == 2
    assert "te lang" in capsys.readouterr().err
