"""CLI `scan`, GET/POST /api/scan and the Zelfscan tab give the same result; bad input is clear."""

from __future__ import annotations

import io
import json

import docx
import pytest
from fastapi.testclient import TestClient

from assistant import cli
from assistant.api import create_app
from assistant.feedback import FeedbackStore
from assistant.services import Services
from assistant.ui.scan_tab import ScanHandlers
from tests.fakes import fake_container
from tests.unit.selfscan.scan_fixtures import answers_for, make_scan_service


@pytest.fixture
def service(settings):
    return make_scan_service(settings, store=FeedbackStore.from_settings(settings))


@pytest.fixture
def answers(service):
    return answers_for(service, dynamisch_managen=2, co_creatie=1)


@pytest.fixture
def container(settings, service):
    return fake_container(
        settings, retriever=service.retriever, selfscan=service, feedback=service.store
    )


@pytest.fixture
def client(container):
    return TestClient(create_app(Services(container), with_ui=False))


@pytest.fixture
def run_cli(container):
    return lambda *args: cli.main(["scan", *args], container=container)


class NoIndex:
    """A self-scan service that must not be reached (bad input fails before the index)."""

    def __getattr__(self, name):
        raise AssertionError("the index must not be loaded for bad input")


def test_get_scan_lists_statements_levers_and_scale_exactly(client):
    body = client.get("/api/scan").json()
    assert set(body) == {"statements", "levers", "scale"}
    assert len(body["statements"]) == 16
    assert all(set(s) == {"id", "lever", "text"} for s in body["statements"])
    assert body["statements"][0]["id"] == "dm1"
    assert all(set(lever) == {"id", "name"} for lever in body["levers"])
    assert body["scale"][0] == "helemaal oneens" and len(body["scale"]) == 5


def test_post_scan_returns_the_shape_the_issue_asks_for(client, answers):
    response = client.post("/api/scan", json={"answers": answers, "sector": "metaal", "omvang": 40})
    assert response.status_code == 200
    body = response.json()
    assert {"levers", "start_lever", "tips", "citations"} <= set(body)
    assert all(set(lever) == {"id", "name", "score", "words"} for lever in body["levers"])
    assert all(set(tip) == {"lever", "text", "citations"} for tip in body["tips"])
    assert body["start_lever"] == "dynamisch-managen"
    citation_keys = {"n", "doc_id", "title", "page", "section", "text", "type", "score", "chunk_id"}
    assert body["citations"] and all(set(c) == citation_keys for c in body["citations"])
    numbers = {c["n"] for c in body["citations"]}
    assert {n for tip in body["tips"] for n in tip["citations"]} <= numbers


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"fo2": None}, "fo2 ('Medewerkers hebben verantwoordelijkheden"),
        ({"sw3": 6}, "sw3 ('Het werk biedt afwisseling"),
        ({"cc1": 0}, "tussen 1 en 5"),
        ({"dm4": "ja"}, "dm4 ('Medewerkers staan bij ons echt centraal"),
        ({"zz": 3}, "Onbekende stelling 'zz'"),
    ],
)
def test_incomplete_or_out_of_range_answers_get_a_dutch_422_naming_the_statement(
    client, answers, change, fragment
):
    body = {"answers": {**answers, **change}}
    response = client.post("/api/scan", json=body)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


def test_missing_answers_and_unknown_fields_are_refused(client, answers):
    missing = {k: v for k, v in answers.items() if k != "dm1"}
    assert "dm1" in client.post("/api/scan", json={"answers": missing}).json()["detail"]
    response = client.post("/api/scan", json={"answers": answers, "naam": "Jansen BV"})
    assert response.status_code == 422 and "'naam' is geen bekend veld" in response.json()["detail"]
    assert client.post("/api/scan", json={}).status_code == 422
    assert client.post("/api/scan", json={"answers": answers, "omvang": 900}).status_code == 422


def test_post_scan_as_word_and_markdown_downloads(client, answers):
    response = client.post("/api/scan?format=docx", json={"answers": answers})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="zelfscan-sociale-innovatie.docx"' in response.headers["content-disposition"]
    assert len(docx.Document(io.BytesIO(response.content)).inline_shapes) == 1
    md = client.post("/api/scan?format=md", json={"answers": answers})
    assert md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# Zelfscan sociale innovatie")


def test_the_api_never_stores_answers(client, answers, service):
    client.post("/api/scan", json={"answers": answers})
    assert service.store.list_scans() == []


def test_endpoint_ui_and_cli_give_the_same_result(client, service, answers, run_cli, tmp_path):
    body = {"answers": answers, "sector": "metaal", "omvang": 40}
    api = client.post("/api/scan", json=body).json()
    (tmp_path / "a.json").write_text(json.dumps(body), encoding="utf-8")
    assert run_cli("--answers", str(tmp_path / "a.json"), "--out", str(tmp_path / "s.json")) == 0
    from_cli = json.loads((tmp_path / "s.json").read_text("utf-8"))
    handlers = ScanHandlers(service)
    *_, state, _shared = handlers.show("metaal", "40", False, *answers.values())
    assert api == from_cli == json.loads(json.dumps(state))


def test_the_cli_takes_a_plain_answers_file_and_sector_options(run_cli, answers, tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(answers), encoding="utf-8")
    out = tmp_path / "s.json"
    assert (
        run_cli("--answers", str(tmp_path / "a.json"), "--sector", "zorg", "--out", str(out)) == 0
    )
    assert json.loads(out.read_text("utf-8"))["sector"] == "zorg"
    assert run_cli("--answers", str(tmp_path / "a.json"), "--out", str(tmp_path / "s.docx")) == 0
    assert len(docx.Document(str(tmp_path / "s.docx")).inline_shapes) == 1


def test_the_cli_lists_the_statements(run_cli, capsys):
    assert run_cli("--stellingen") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 16 and lines[0].startswith("dm1\tDynamisch managen\tWe geven")


def test_the_cli_refuses_bad_answers_before_loading_the_index(settings, answers, tmp_path, capsys):
    container = fake_container(settings, selfscan=NoIndex())

    def run(*args: str) -> int:
        return cli.main(["scan", *args], container=container)

    out = str(tmp_path / "s.md")
    (tmp_path / "a.json").write_text(json.dumps({**answers, "cc2": 9}), encoding="utf-8")
    assert run("--answers", str(tmp_path / "a.json"), "--out", out) == 2
    assert "cc2 ('We werken samen met een school" in capsys.readouterr().err
    (tmp_path / "b.json").write_text("{niet: json", encoding="utf-8")
    assert run("--answers", str(tmp_path / "b.json"), "--out", out) == 2
    assert "geen geldige JSON" in capsys.readouterr().err
    assert run("--answers", str(tmp_path / "nee.json"), "--out", out) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert run("--answers", str(tmp_path / "a.json"), "--out", "s.pdf") == 2
    assert run("--out", out) == 2
    assert not (tmp_path / "s.md").exists()


# ----------------------------------------------------------------------------- UI handlers
def test_the_result_button_is_enabled_only_when_every_statement_is_answered(service, answers):
    handlers = ScanHandlers(service)
    values = list(answers.values())
    text, button = handlers.progress(*values[:-1], None)
    assert text.startswith("15 van 16 stellingen beantwoord.") and button["interactive"] is False
    text, button = handlers.progress(*values)
    assert text == "16 van 16 stellingen beantwoord." and button["interactive"] is True


def test_the_ui_shows_chart_result_questions_and_word_download(service, answers):
    # gradio sends an empty number field as 0 and an empty text field as ''
    head, chart, result, ask_box, q1, q2, q3, word, state, shared = ScanHandlers(service).show(
        "", "", False, *answers.values()
    )
    assert head["visible"] and chart["visible"] and chart["value"].endswith(".png")
    assert result.startswith("> De uitleg en de tips") and "## Bronnen" in result
    assert ask_box["visible"]
    assert q1["value"] == "Hoe begin ik met dynamisch managen in mijn bedrijf?"
    assert q2["visible"] and q3["visible"]
    assert word["visible"] and word["value"].endswith("zelfscan-sociale-innovatie.docx")
    assert len(docx.Document(word["value"]).inline_shapes) == 1
    assert state["start_lever"] == "dynamisch-managen" and shared == ""
    assert (state["sector"], state["omvang"], state["company"]) == ("", None, "")
    assert service.store.list_scans() == []


def test_the_ui_shares_anonymously_only_when_ticked(service, answers):
    *_, shared = ScanHandlers(service).show("metaal", "12", True, *answers.values())
    assert "anoniem gedeeld" in shared
    [stored] = service.store.list_scans()
    assert stored["size_class"] == "klein" and "metaal" not in json.dumps(stored)


def test_the_ui_names_an_unanswered_statement_instead_of_failing(service, answers):
    values = [*list(answers.values())[:-1], None]
    head, chart, result, ask_box, *_ = ScanHandlers(service).show("", None, False, *values)
    assert result.startswith("⚠️ Stelling cc4")
    assert not head["visible"] and not chart["visible"] and not ask_box["visible"]
