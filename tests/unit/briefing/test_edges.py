"""CLI `session`, POST /api/session-brief and the UI tab give the same brief; bad input is clear."""

from __future__ import annotations

import io
import json

import docx
import pytest
from fastapi.testclient import TestClient

from assistant import cli
from assistant.api import create_app
from assistant.services import Services
from assistant.ui.briefing_tab import BriefingHandlers
from assistant.ui.tempfiles import TempFolders
from tests.fakes import fake_container
from tests.unit.briefing.brief_fixtures import make_service

BODY = {"thema": "slimmer werken", "sector": "metaal", "omvang": 40, "duur": 90}


@pytest.fixture
def service(settings):
    return make_service(settings)


@pytest.fixture
def handlers(service, tmp_path) -> BriefingHandlers:
    return BriefingHandlers(service, TempFolders(3600, parent=tmp_path))


@pytest.fixture
def container(settings, service):
    return fake_container(settings, retriever=service.retriever, briefing=service)


@pytest.fixture
def client(container):
    return TestClient(create_app(Services(container), with_ui=False))


@pytest.fixture
def run_cli(container):
    def run(*args: str) -> int:
        return cli.main(["session", *args], container=container)

    return run


def cli_args(out) -> list[str]:
    return ["--thema", "slimmer werken", "--sector", "metaal", "--omvang", "40", "--out", str(out)]


def test_endpoint_ui_and_cli_give_the_same_brief(client, handlers, run_cli, tmp_path):
    api = client.post("/api/session-brief", json=BODY)
    assert api.status_code == 200
    assert run_cli(*cli_args(tmp_path / "b.json")) == 0
    from_cli = json.loads((tmp_path / "b.json").read_text("utf-8"))
    *_, from_ui = handlers.make("slimmer werken", "metaal", 40.0, 90.0)
    assert api.json() == from_cli == json.loads(json.dumps(from_ui))
    assert [s["key"] for s in from_cli["sections"]][0] == "kern"


def test_endpoint_serves_markdown_and_word_downloads(client):
    md = client.post("/api/session-brief?format=md", json=BODY)
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert 'filename="sessiebrief-slimmer-werken.md"' in md.headers["content-disposition"]
    assert md.text.startswith("# Sessie: Slimmer werken")
    word = client.post("/api/session-brief?format=docx", json=BODY)
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.content))
    assert document.paragraphs[0].text == "Sessie: Slimmer werken"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"thema": ""}, "Geef een thema op"),
        ({"thema": "slimmer werken", "omvang": 1000}, "tussen 1 en 249"),
        ({"thema": "slimmer werken", "duur": 10}, "tussen 30 en 480"),
        ({"thema": "recepten voor appeltaart"}, "te weinig"),
    ],
)
def test_endpoint_turns_bad_input_into_a_422_with_a_dutch_message(client, body, expected):
    response = client.post("/api/session-brief", json=body)
    assert response.status_code == 422
    assert expected in response.json()["detail"]


def test_cli_writes_word_and_markdown(run_cli, tmp_path, capsys):
    assert run_cli(*cli_args(tmp_path / "b.docx")) == 0
    assert "Sessiebrief geschreven naar" in capsys.readouterr().out
    document = docx.Document(str(tmp_path / "b.docx"))
    assert any(p.text == "Bronnen" for p in document.paragraphs)
    assert run_cli(*cli_args(tmp_path / "b.md")) == 0
    assert (tmp_path / "b.md").read_text("utf-8").startswith("# Sessie")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--thema", " ", "--out", "X.md"], "Geef een thema op"),
        (["--thema", "slimmer werken", "--omvang", "0", "--out", "X.md"], "tussen 1 en 249"),
        (["--thema", "slimmer werken", "--out", "X.pdf"], ".docx, .md of .json"),
        (["--thema", "recepten voor appeltaart", "--out", "X.md"], "te weinig"),
    ],
)
def test_cli_bad_input_gives_a_message_and_no_file(run_cli, tmp_path, capsys, args, expected):
    args = [a.replace("X", str(tmp_path / "b")) for a in args]
    assert run_cli(*args) == cli.EXIT_USAGE
    assert expected in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_ui_handler_returns_preview_and_both_downloads(handlers):
    preview, md, word, data = handlers.make("slimmer werken", "", None, 60)
    assert preview.startswith("# Sessie: Slimmer werken")
    assert md["value"].endswith(".md") and word["value"].endswith(".docx")
    assert md["visible"] and word["visible"]
    assert data["request"] == {
        "theme": "slimmer werken",
        "sector": "",
        "size": None,
        "duration": 60,
    }


@pytest.mark.parametrize(("typed", "size"), [("", None), ("  ", None), (" 40 ", 40)])
def test_ui_handler_reads_the_size_field_as_text_and_empty_as_not_given(handlers, typed, size):
    preview, *_, data = handlers.make("slimmer werken", "", typed, 90)
    assert preview.startswith("# Sessie: Slimmer werken")
    assert data["request"]["size"] == size


def test_ui_handler_shows_bad_input_without_files(handlers):
    preview, md, word, data = handlers.make("", "", None, 90)
    assert preview.startswith("⚠️ Geef een thema op")
    assert data is None and not md["visible"] and not word["visible"]


def test_the_ui_has_the_session_tab(settings):
    from assistant.ui.app import build_ui
    from tests.fakes import make_services

    config = build_ui(make_services(settings)).get_config_file()
    labels = [c.get("props", {}).get("label") for c in config["components"]]
    assert "Sessie voorbereiden" in labels
