"""`assistant ask` and `assistant chat` on a service built from fakes."""

from __future__ import annotations

import json

import pytest

from assistant import cli
from assistant.answering.refusal import ScopePolicy
from assistant.answering.service import ServiceTuning
from tests.fakes import FakeRetriever, fake_container, load_fixture_chunks

TUNING = ServiceTuning(scope=ScopePolicy(min_dense=0.0, min_relevance=0.1))


@pytest.fixture
def built(settings):
    """A container on the fixture chunks (lax scope policy); the CLI runs on it."""
    retriever = FakeRetriever(load_fixture_chunks())
    container = fake_container(settings, retriever=retriever, tuning=TUNING)
    return container, retriever


@pytest.fixture
def run(built):
    """`assistant ARGS...` on the fake container."""
    return lambda argv: cli.main(argv, container=built[0])


def test_ask_prints_answer_then_sources(run, built, capsys):
    assert run(["ask", "Uit welke onderdelen bestaat sociale innovatie?"]) == 0
    out = capsys.readouterr().out
    answer, sources = out.split("\nBronnen:\n")
    assert "[1]" in answer and "letterlijke citaten" not in answer
    assert out.rstrip().endswith("er schrijft geen taalmodel mee. [n] wijst naar de bron.)")
    first = sources.splitlines()[0]
    assert first.startswith("[1] Briefadvies sociale innovatie, p. 6")
    assert "Kritische succesfactoren sociale innovatie" in first
    assert "Sociale innovatie bestaat uit vier onderdelen" in sources


def test_ask_json_prints_exactly_the_answer_dict(run, built, capsys):
    assert run(["ask", "Wat is de definitie van sociale innovatie?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "text", "citations", "refused", "mode", "language", "timings", "query", "notes", "flagged",
        "retrieved",
    }  # fmt: skip
    assert data["retrieved"][0] == data["citations"][0]["chunk_id"]
    assert data["mode"] == "extractief" and data["citations"][0]["n"] == 1
    assert set(data["citations"][0]) >= {
        "n",
        "doc_id",
        "title",
        "type",
        "page",
        "section",
        "text",
        "score",
    }


def test_ask_passes_k_and_type_filter(run, built, capsys):
    _, retriever = built
    assert run(["ask", "Wat doet de provincie?", "--k", "3", "--type", "casus"]) == 0
    assert retriever.ks == [3]  # answers draw on --k passages (one search, no warm-up)
    assert "gaan niet over deze vraag" in capsys.readouterr().out  # no 'casus' documents


def test_ask_rejects_a_bad_k(run, built, capsys):
    assert run(["ask", "Wat is sociale innovatie?", "--k", "0"]) == 2
    assert "--k" in capsys.readouterr().err


def test_chat_understands_a_follow_up_and_stops(run, built, monkeypatch, capsys):
    _, retriever = built
    lines = iter(
        [
            "Uit welke onderdelen bestaat sociale innovatie?",
            "En wat bedoelen ze met het eerste?",
            "stop",
        ]
    )
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    assert run(["chat"]) == 0
    out = capsys.readouterr().out
    assert "Dynamisch managen" in retriever.queries[-1]
    assert out.rstrip().endswith("Tot ziens.")


def test_chat_ends_on_eof_and_reports_bad_input(run, built, monkeypatch, capsys):
    answers = iter(["x" * 2500])

    def fake_input(prompt=""):
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    assert run(["chat"]) == 0
    out = capsys.readouterr().out
    assert "te lang" in out and "Tot ziens." in out
