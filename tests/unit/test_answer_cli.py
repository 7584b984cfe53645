"""`assistant ask` and `assistant chat` on a service built from fakes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from assistant import cli
from assistant.answering import service as service_module
from assistant.answering.refusal import ScopePolicy
from assistant.answering.service import AnsweringService, ServiceTuning
from tests.conftest import FakeRetriever, load_fixture_chunks

TUNING = ServiceTuning(scope=ScopePolicy(min_dense=0.0, min_relevance=0.1))


@pytest.fixture
def built(monkeypatch, settings):
    """Make the CLI build the service on the fixture chunks; record what it was given."""
    calls: list = []
    retriever = FakeRetriever(load_fixture_chunks())

    def fake_build(s, warm=True, k=None):
        calls.append((k, warm))
        return AnsweringService(s, retriever, None, tuning=replace(TUNING, k=k))

    monkeypatch.setattr(service_module, "build_answering_service", fake_build)
    monkeypatch.setattr(cli, "Settings", lambda: settings)
    return calls, retriever


def test_ask_prints_answer_then_sources(built, capsys):
    assert cli.main(["ask", "Uit welke onderdelen bestaat sociale innovatie?"]) == 0
    out = capsys.readouterr().out
    answer, sources = out.split("\nBronnen:\n")
    assert "[1]" in answer and "letterlijk geciteerde passages" in answer
    first = sources.splitlines()[0]
    assert first.startswith("[1] Briefadvies sociale innovatie, p. 6")
    assert "Kritische succesfactoren sociale innovatie" in first
    assert "Sociale innovatie bestaat uit vier onderdelen" in sources


def test_ask_json_prints_exactly_the_answer_dict(built, capsys):
    assert cli.main(["ask", "Wat is de definitie van sociale innovatie?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "text", "citations", "refused", "mode", "language", "timings", "query", "notes", "flagged"
    }  # fmt: skip
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


def test_ask_passes_k_and_type_filter(built, capsys):
    calls, retriever = built
    assert cli.main(["ask", "Wat doet de provincie?", "--k", "3", "--type", "casus"]) == 0
    k, warm = calls[0]
    assert k == 3 and warm is False
    assert "gaan niet over deze vraag" in capsys.readouterr().out  # no 'casus' documents


def test_ask_rejects_a_bad_k(built, capsys):
    assert cli.main(["ask", "Wat is sociale innovatie?", "--k", "0"]) == 2
    assert "--k" in capsys.readouterr().err


def test_chat_understands_a_follow_up_and_stops(built, monkeypatch, capsys):
    _, retriever = built
    lines = iter(
        [
            "Uit welke onderdelen bestaat sociale innovatie?",
            "En wat bedoelen ze met het eerste?",
            "stop",
        ]
    )
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    assert cli.main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "Dynamisch managen" in retriever.queries[-1]
    assert out.rstrip().endswith("Tot ziens.")


def test_chat_ends_on_eof_and_reports_bad_input(built, monkeypatch, capsys):
    answers = iter(["x" * 2500])

    def fake_input(prompt=""):
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    assert cli.main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "te lang" in out and "Tot ziens." in out
