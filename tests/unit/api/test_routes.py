"""The HTTP API through the app factory, with a fake answering service and a tiny index."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.core.limits import HISTORY_MESSAGES
from assistant.core.settings import Settings
from ingest.pipeline import IngestReport
from tests.fakes import FakeIndexer, make_services

QUESTION = "Hoe raken medewerkers meer betrokken?"
TOKEN = "s3cret-token"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "advies.pdf").write_bytes(b"%PDF-1.4 fake original")
    return folder


def _settings(tmp_path: Path, corpus_dir: Path, **extra) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=corpus_dir, **extra)


@pytest.fixture
def services(tmp_path, corpus_dir):
    indexer = FakeIndexer(IngestReport(unchanged=["advies-2022"]))
    return make_services(
        _settings(tmp_path, corpus_dir, admin_token=TOKEN),
        corpus_file=corpus_dir / "advies.pdf",
        indexer=indexer,
    )


@pytest.fixture
def client(services) -> TestClient:
    return TestClient(create_app(services, with_ui=False))


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


# ----------------------------------------------------------------------------- status
def test_healthz_reports_index_facts(client):
    body = client.get("/healthz").json()
    assert body == {
        "status": "ok",
        "documents": 2,
        "chunks": 4,
        "embedder": "hash-test",
        "mode": "extractief",
        "llm": None,
    }


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/ask", "/api/ask/stream", "/api/search", "/v1/chat/completions"):
        assert path in paths


# ----------------------------------------------------------------------------- ask
def test_ask_returns_answer_with_numbered_citations(client):
    body = client.post("/api/ask", json={"question": QUESTION}).json()
    assert body["refused"] is False
    assert body["mode"] == "extractief"
    numbers = {c["n"] for c in body["citations"]}
    assert numbers == {int(n) for n in re.findall(r"\[(\d+)\]", body["text"])}
    assert body["citations"][0]["chunk_id"] == "c1"
    assert body["citations"][0]["page"] == "2"


def test_ask_passes_history_and_filters_to_the_service(client, services):
    history = [
        {"role": "user", "content": "Wat is sociale innovatie?"},
        {"role": "assistant", "content": "Het vernieuwen van de arbeidsorganisatie [1]."},
    ]
    response = client.post(
        "/api/ask",
        json={"question": QUESTION, "history": history, "filters": {"types": ["casus"]}},
    )
    assert response.status_code == 200
    question, turns, filters = services.answering.calls[-1]
    assert question == QUESTION
    assert [(t.role, t.content) for t in turns] == [(h["role"], h["content"]) for h in history]
    assert filters.types == ("casus",)


def test_refusal_comes_back_as_refused_without_citations(client):
    body = client.post("/api/ask", json={"question": "Wordt het morgen zonnig weer?"}).json()
    assert body["refused"] is True
    assert body["citations"] == []


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"question": ""}, "'question' is leeg"),
        ({"question": "x" * 2001}, "hoogstens 2000 tekens"),
        ({"question": "   "}, "De vraag is leeg"),
        ({"question": "wat\x00is dit"}, "stuurtekens"),
        ({}, "'question' ontbreekt"),
        ({"question": QUESTION, "extra": 1}, "'extra' is geen bekend veld"),
        ({"question": QUESTION, "filters": {"types": ["weer"]}}, "filters.types.0"),
        ({"question": QUESTION, "history": [{"role": "system", "content": "x"}]}, "role"),
        (
            {
                "question": QUESTION,
                "history": [{"role": "user", "content": "x"}] * (HISTORY_MESSAGES + 1),
            },
            "history",
        ),
        ({"question": 12}, "'question' moet tekst zijn"),
    ],
)
def test_bad_input_gets_a_plain_dutch_4xx(client, payload, fragment):
    response = client.post("/api/ask", json=payload)
    assert response.status_code == 422
    body = response.json()
    assert fragment in body["detail"]
    assert "Traceback" not in response.text


def test_invalid_json_gets_a_plain_message(client):
    response = client.post(
        "/api/ask", content=b"{kapot", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Ongeldige invoer: 'de inhoud' is geen geldige JSON."


def test_oversized_body_is_refused_with_413(client):
    body = json.dumps({"question": "a" * 70_000})
    response = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "te groot" in response.json()["detail"]


def test_unknown_route_and_wrong_method_are_dutch(client):
    assert client.get("/api/nope").json()["detail"] == "Niet gevonden."
    assert client.get("/api/ask").json()["detail"] == "Deze methode is hier niet toegestaan."


# ----------------------------------------------------------------------------- stream
def test_stream_sends_tokens_then_citations_then_done(client):
    response = client.post("/api/ask/stream", json={"question": QUESTION})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    kinds = [kind for kind, _ in events]
    assert kinds[-2:] == ["citations", "done"]
    assert set(kinds[:-2]) == {"token"} and len(kinds) > 3
    streamed = "".join(data["text"] for kind, data in events if kind == "token")
    done = events[-1][1]
    assert streamed.strip() == done["text"]
    assert events[-2][1]["citations"] == done["citations"]


def test_stream_rejects_bad_input_before_streaming(client):
    response = client.post("/api/ask/stream", json={"question": "  "})
    assert response.status_code == 422
    assert "leeg" in response.json()["detail"]


def test_stream_error_inside_becomes_an_error_event_with_logged_id(client, services, caplog):
    def broken(*args, **kwargs):
        yield "Eerste stuk "
        raise RuntimeError("kapot van binnen")

    services.answering.stream = broken
    with caplog.at_level(logging.ERROR):
        response = client.post("/api/ask/stream", json={"question": QUESTION})
    kind, data = sse_events(response.text)[-1]
    assert kind == "error"
    assert data["error_id"] in data["detail"]
    assert data["error_id"] in caplog.text
    assert "kapot van binnen" not in response.text


# ----------------------------------------------------------------------------- errors
def test_internal_error_gives_500_with_an_id_that_is_logged(services, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("geheime interne details")

    services.answering.answer = broken
    client = TestClient(create_app(services, with_ui=False), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR):
        response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 500
    body = response.json()
    assert re.fullmatch(r"[0-9a-f]{12}", body["error_id"])
    assert body["error_id"] in body["detail"]
    assert f"id={body['error_id']}" in caplog.text
    assert "geheime interne details" not in response.text
    assert "Traceback" not in response.text


def test_missing_index_is_503(services, client):
    from assistant.core.errors import IndexEmptyError

    def empty(*args, **kwargs):
        raise IndexEmptyError("Er is nog geen index.")

    services.answering.answer = empty
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 503
    assert response.json()["detail"] == "Er is nog geen index."


# ----------------------------------------------------------------------------- search
def test_search_returns_hits_with_chunk_metadata(client):
    hits = client.post("/api/search", json={"query": "betrokken medewerkers", "k": 2}).json()
    assert len(hits) == 2
    assert hits[0]["chunk"]["chunk_id"] == "c1"
    assert hits[0]["chunk"]["section"] == "Betrokkenheid"


def test_search_applies_type_filter(client):
    hits = client.post(
        "/api/search", json={"query": "werkgroep planning", "filters": {"types": ["advies"]}}
    ).json()
    assert all(h["chunk"]["type"] == "advies" for h in hits)


def test_search_k_is_bounded(client):
    assert client.post("/api/search", json={"query": "x", "k": 0}).status_code == 422
    assert client.post("/api/search", json={"query": "x", "k": 51}).status_code == 422


def test_search_year_out_of_range_is_a_422_not_a_store_error(client):
    body = {"query": "0", "filters": {"years": [9223372036854775808]}}
    response = client.post("/api/search", json=body)
    assert response.status_code == 422
    assert "Traceback" not in response.text


# ----------------------------------------------------------------------------- documents
def test_documents_lists_corpus_with_chunk_counts(client):
    docs = client.get("/api/documents").json()
    assert [(d["doc_id"], d["chunks"], d["has_file"]) for d in docs] == [
        ("advies-2022", 3, True),
        ("casus-metaal", 1, False),
    ]


def test_page_returns_passages_in_reading_order(client):
    page = client.get("/api/documents/advies-2022/pages/2").json()
    assert page["page"] == 2
    assert [p["chunk_id"] for p in page["passages"]] == ["c1", "c2"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/onbekend/pages/1",
        "/api/documents/advies-2022/pages/9",
        "/api/documents/onbekend/file",
        "/api/documents/..%2F..%2Fetc%2Fpasswd/file",
        "/api/documents/casus-metaal/file",
    ],
)
def test_missing_documents_pages_and_files_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_page_number_must_be_positive(client):
    assert client.get("/api/documents/advies-2022/pages/0").status_code == 422


def test_original_file_is_served_inline(client):
    response = client.get("/api/documents/advies-2022/file")
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 fake original"
    assert response.headers["content-disposition"].startswith("inline")


def test_original_file_outside_corpus_is_never_served(tmp_path, corpus_dir):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"secret")
    link = corpus_dir / "link.pdf"
    os.symlink(secret, link)
    for target in (secret, link, corpus_dir / ".." / "secret.pdf"):
        svc = make_services(_settings(tmp_path, corpus_dir), corpus_file=target)
        response = TestClient(create_app(svc, with_ui=False)).get("/api/documents/advies-2022/file")
        assert response.status_code == 404, target
        assert b"secret" not in response.content


# ----------------------------------------------------------------------------- feedback
def test_feedback_is_stored(client, services):
    payload = {
        "question": QUESTION,
        "answer": "Door mee te laten denken [1].",
        "citations": [{"n": 1, "doc_id": "advies-2022", "page": "2"}],
        "rating": "down",
        "reason": "Te algemeen",
        "history": [{"role": "user", "content": "Eerdere vraag"}],
    }
    response = client.post("/api/feedback", json=payload)
    assert response.status_code == 201
    stored = services.feedback.list()
    assert len(stored) == 1
    item = stored[0]
    assert item["id"] == response.json()["id"]
    assert (item["rating"], item["reason"], item["source"]) == ("down", "Te algemeen", "api")
    assert item["citations"] == payload["citations"]
    assert item["history"] == payload["history"]


def test_feedback_rating_must_be_up_or_down(client):
    response = client.post("/api/feedback", json={"question": "x", "answer": "y", "rating": "meh"})
    assert response.status_code == 422
    assert "'rating' moet een van deze waarden zijn" in response.json()["detail"]


# ----------------------------------------------------------------------------- admin
def test_admin_is_switched_off_without_a_token_setting(tmp_path, corpus_dir):
    svc = make_services(_settings(tmp_path, corpus_dir))
    client = TestClient(create_app(svc, with_ui=False))
    for method, path in (("get", "/api/feedback"), ("post", "/api/ingest")):
        response = client.request(method, path, headers=auth())
        assert response.status_code == 403
        assert "ASSISTANT_ADMIN_TOKEN" in response.json()["detail"]


@pytest.mark.parametrize("headers", [{}, auth("fout"), {"Authorization": "Basic abc"}])
def test_admin_needs_the_right_bearer_token(client, headers):
    response = client.get("/api/feedback", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "beheerderstoken" in response.json()["detail"]


def test_admin_lists_feedback_with_rating_filter(client, services):
    services.feedback.add("v1", "a1", [], "up")
    services.feedback.add("v2", "a2", [], "down", "klopt niet")
    everything = client.get("/api/feedback", headers=auth()).json()
    assert [f["question"] for f in everything] == ["v1", "v2"]
    downs = client.get("/api/feedback", params={"rating": "down"}, headers=auth()).json()
    assert [(f["question"], f["reason"]) for f in downs] == [("v2", "klopt niet")]


def test_admin_ingest_reindexes_and_refreshes_the_retriever(client, services, corpus_dir):
    before = services.retriever.refreshed
    response = client.post("/api/ingest", headers=auth())
    assert response.status_code == 200
    assert response.json()["unchanged"] == ["advies-2022"]
    assert services.container.indexer.calls == [([corpus_dir], False)]
    assert services.retriever.refreshed == before + 1


def test_admin_ingest_refuses_while_one_runs(client, services):
    gate = services.container.indexer.gate = threading.Event()
    try:
        services.library.reindex(wait=False)  # held at the gate
        response = client.post("/api/ingest", headers=auth())
    finally:
        gate.set()
    assert response.status_code == 409
    assert "loopt al" in response.json()["detail"]
    assert services.library.wait_idle(10)


def test_admin_ingest_is_409_when_another_process_holds_the_index(client, services):
    from assistant.core.locking import WRITER_BLOCKED, IndexBusyError

    services.container.indexer.error = IndexBusyError(WRITER_BLOCKED)
    response = client.post("/api/ingest", headers=auth())
    assert response.status_code == 409
    assert "ander proces" in response.json()["detail"]


def test_passages_are_found_by_chunk_id_in_the_order_asked(client):
    response = client.get("/api/passages", params=[("ids", "c1"), ("ids", "nope"), ("ids", "c0")])
    assert response.status_code == 200
    rows = response.json()
    assert [r["chunk_id"] for r in rows] == ["c1", "c0"]  # unknown ids are left out
    assert rows[0]["doc_id"] == "advies-2022" and "betrokken" in rows[0]["text"]
    assert client.get("/api/passages").json() == []
