"""Beheer over HTTP: POST/GET/PATCH/DELETE /api/documents on fake index and answering."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.core.locking import WRITER_BLOCKED, IndexBusyError
from assistant.core.settings import Settings
from tests.fakes import library_services

TOKEN = "beheer-token"
CASE = (
    "Bakkerij De Korenschoof liet het team zelf de ovenplanning maken. Sindsdien is het "
    "verzuim gehalveerd en komen de ideeën van de bakkers zelf."
)
FORM = {"title": "Casus bakkerij", "type": "casus", "publisher": "SER", "date": "2024-03"}


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


def _settings(tmp_path: Path, corpus: Path, **extra) -> Settings:
    extra.setdefault("admin_token", TOKEN)
    return Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=corpus, **extra)


@pytest.fixture
def services(tmp_path, corpus):
    return library_services(_settings(tmp_path, corpus))


@pytest.fixture
def client(services) -> TestClient:
    return TestClient(create_app(services, with_ui=False))


def upload(client, name="casus.txt", content=CASE, **form):
    files = {"file": (name, content.encode() if isinstance(content, str) else content)}
    return client.post("/api/documents", data={**FORM, **form}, files=files, headers=auth())


def ask(client, question="Hoe ging de bakkerij om met de ovenplanning?"):
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200
    return response.json()


def hidden(corpus: Path) -> list[str]:
    return sorted(p.name for p in corpus.iterdir() if p.name.startswith("."))


def test_upload_answers_202_bezig_then_klaar(client, services, corpus):
    response = upload(client)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] in ("bezig", "klaar") and body["doc_id"] == "casus-bakkerij"
    assert body["type"] == "casus" and body["file"] == "casus-bakkerij.txt"
    assert services.library.wait_idle(10)
    done = client.get("/api/documents/casus-bakkerij", headers=auth()).json()
    assert done["status"] == "klaar" and done["reason"] == ""
    assert done["chunks"] == 1 and done["pages"] == 1 and len(done["sha256"]) == 64
    assert (corpus / "casus-bakkerij.txt").read_text() == CASE
    assert "casus-bakkerij.txt" in (corpus / "manifest.yaml").read_text()
    assert hidden(corpus) == []
    cited = ask(client)["citations"]
    assert cited and cited[0]["doc_id"] == "casus-bakkerij" and cited[0]["type"] == "casus"


def test_the_same_content_again_is_409_naming_the_document(client, services, corpus):
    assert upload(client).status_code == 202
    services.library.wait_idle(10)
    again = upload(client, name="kopie.txt", title="Andere titel")
    assert again.status_code == 409
    assert "Casus bakkerij" in again.json()["detail"] and "casus-bakkerij" in again.json()["detail"]
    assert sorted(p.name for p in corpus.iterdir()) == ["casus-bakkerij.txt", "manifest.yaml"]


def test_too_large_is_413_and_leaves_nothing(tmp_path, corpus):
    services = library_services(_settings(tmp_path, corpus, max_file_mb=0.001))
    client = TestClient(create_app(services, with_ui=False))
    response = upload(client, content="x" * 5000)
    assert response.status_code == 413
    assert "ASSISTANT_MAX_FILE_MB" in response.json()["detail"]
    assert list(corpus.iterdir()) == []


def test_a_body_over_the_upload_limit_is_413_before_parsing(tmp_path, corpus):
    services = library_services(_settings(tmp_path, corpus, max_file_mb=0.001))
    client = TestClient(create_app(services, with_ui=False))
    response = upload(client, content="x" * (2 * 1024 * 1024))
    assert response.status_code == 413 and "te groot" in response.json()["detail"]
    assert list(corpus.iterdir()) == []


def test_an_unsupported_type_is_415(client, corpus):
    response = upload(client, name="virus.exe", content=b"MZ\x90\x00")
    assert response.status_code == 415
    assert "niet ondersteund" in response.json()["detail"]
    assert list(corpus.iterdir()) == []


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"type": "brochure"}, "type"),
        ({"date": "maart 2024"}, "datum"),
        ({"date": "2024-13"}, "datum"),
        ({"title": "   "}, "titel"),
        ({"url": "javascript:alert(1)"}, "http"),
        ({"title": "Regel\neen"}, "stuurtekens"),
    ],
)
def test_bad_metadata_is_422_with_the_reason(client, corpus, form, words):
    response = upload(client, **form)
    assert response.status_code == 422
    assert words in response.json()["detail"]
    assert list(corpus.iterdir()) == []


def test_an_unreadable_file_is_422_with_the_reason(client, corpus):
    response = upload(client, name="kapot.docx", content=b"dit is geen Word-bestand")
    assert response.status_code == 422
    assert "kapot.docx is niet leesbaar" in response.json()["detail"]
    assert list(corpus.iterdir()) == []


def test_a_missing_file_field_is_422(client):
    response = client.post("/api/documents", data=FORM, headers=auth())
    assert response.status_code == 422 and "'file' ontbreekt" in response.json()["detail"]


def test_beheer_needs_the_token(client, tmp_path, corpus):
    assert client.post("/api/documents", data=FORM, files={"file": ("a.txt", b"x")}).status_code
    for method, path in [
        ("post", "/api/documents"),
        ("get", "/api/documents/x"),
        ("patch", "/api/documents/x"),
        ("delete", "/api/documents/x"),
    ]:
        assert client.request(method.upper(), path, headers=auth("fout")).status_code == 401
    off = library_services(_settings(tmp_path, corpus, admin_token=None))
    response = TestClient(create_app(off, with_ui=False)).delete("/api/documents/x")
    assert response.status_code == 403
    assert list(corpus.iterdir()) == []


def test_unknown_document_is_404(client):
    assert client.get("/api/documents/bestaat-niet", headers=auth()).status_code == 404
    patch = client.patch("/api/documents/bestaat-niet", json={"title": "x"}, headers=auth())
    assert patch.status_code == 404
    assert client.delete("/api/documents/bestaat-niet", headers=auth()).status_code == 404


def test_patch_changes_citations_at_once_without_re_embedding(client, services, corpus):
    upload(client)
    services.library.wait_idle(10)
    indexer = services.container.indexer
    embedded = indexer.embedded
    response = client.patch(
        "/api/documents/casus-bakkerij",
        json={"title": "Bakkerij plant zelf", "type": "succesfactoren", "url": "https://x.nl/b"},
        headers=auth(),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Bakkerij plant zelf" and body["status"] == "klaar"
    assert body["url"] == "https://x.nl/b" and body["publisher"] == "SER"
    assert indexer.embedded == embedded  # nothing embedded again
    cited = ask(client)["citations"][0]
    assert cited["title"] == "Bakkerij plant zelf" and cited["type"] == "succesfactoren"
    manifest = (corpus / "manifest.yaml").read_text()
    assert '"Bakkerij plant zelf"' in manifest and "Casus bakkerij" not in manifest


def test_patch_refuses_bad_values_and_unknown_fields(client, services):
    upload(client)
    services.library.wait_idle(10)
    bad = client.patch("/api/documents/casus-bakkerij", json={"type": "x"}, headers=auth())
    assert bad.status_code == 422
    extra = client.patch("/api/documents/casus-bakkerij", json={"file": "x"}, headers=auth())
    assert extra.status_code == 422
    date = client.patch("/api/documents/casus-bakkerij", json={"date": "gisteren"}, headers=auth())
    assert date.status_code == 422 and "datum" in date.json()["detail"]


def test_delete_removes_file_row_and_citations(client, services, corpus):
    upload(client)
    services.library.wait_idle(10)
    assert ask(client)["citations"]
    response = client.delete("/api/documents/casus-bakkerij", headers=auth())
    assert response.status_code == 200 and response.json()["status"] == "verwijderd"
    assert not (corpus / "casus-bakkerij.txt").exists()
    assert "casus-bakkerij" not in (corpus / "manifest.yaml").read_text()
    assert hidden(corpus) == []
    assert ask(client)["citations"] == []
    assert client.get("/api/documents/casus-bakkerij", headers=auth()).status_code == 404


def test_answers_keep_working_while_a_job_runs_and_jobs_go_one_at_a_time(tmp_path, corpus):
    gate = threading.Event()
    services = library_services(_settings(tmp_path, corpus), gate=gate)
    client = TestClient(create_app(services, with_ui=False))
    try:
        assert upload(client).status_code == 202
        assert client.get("/api/documents/casus-bakkerij", headers=auth()).json()["status"] == (
            "bezig"
        )
        assert ask(client, "Wat is sociale innovatie?")["refused"] is True  # served meanwhile
        busy = client.post("/api/ingest", headers=auth())
        assert busy.status_code == 409 and "loopt al" in busy.json()["detail"]
        second = upload(client, name="twee.txt", content=CASE + " Tweede.", title="Tweede casus")
        assert second.status_code == 202
    finally:
        gate.set()
    assert services.library.wait_idle(10)
    calls = services.container.indexer.calls
    assert [c[0][0].name for c in calls] == ["casus-bakkerij.txt", "tweede-casus.txt"]
    statuses = {d["doc_id"]: d["status"] for d in services.library.documents()}
    assert statuses == {"casus-bakkerij": "klaar", "tweede-casus": "klaar"}


def test_a_failed_ingest_shows_mislukt_with_the_reason(tmp_path, corpus):
    gate = threading.Event()
    services = library_services(_settings(tmp_path, corpus), gate=gate)
    client = TestClient(create_app(services, with_ui=False))
    upload(client)
    services.container.indexer.error = IndexBusyError(WRITER_BLOCKED)
    gate.set()
    services.library.wait_idle(10)
    body = client.get("/api/documents/casus-bakkerij", headers=auth()).json()
    assert body["status"] == "mislukt" and "ander proces" in body["reason"]
    listed = client.get("/api/documents").json()
    assert listed == []  # the public list shows only what answers can cite


def test_reindex_goes_through_the_worker_and_returns_the_report(client, services, corpus):
    upload(client)
    services.library.wait_idle(10)
    report = client.post("/api/ingest", headers=auth()).json()
    assert report["unchanged"] == ["casus-bakkerij"] and report["failed"] == []
