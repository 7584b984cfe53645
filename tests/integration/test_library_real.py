"""Beheer end to end over HTTP: the real pipeline, embedding model, Chroma store and answering."""

from __future__ import annotations

import io
import shutil
import threading

import docx
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.container import Container, PipelineIndexer
from assistant.core.settings import Settings
from assistant.library.corpus import CorpusFolder
from assistant.services import Services
from ingest.manifest import load_manifest
from tests.conftest import CORPUS_DIR
from tests.fakes import CountingEmbedder

pytestmark = pytest.mark.integration

TOKEN = "beheer-real"
QUESTION = "Hoe heeft de fietsenfabriek de inwerkperiode van nieuwe monteurs verkort?"
CASE = [
    "Fietsenfabriek Twentewiel in Hengelo verkortte de inwerkperiode van nieuwe monteurs "
    "van twaalf naar vijf weken.",
    "De monteurs maakten zelf een peterschapsprogramma waarin elke nieuwe monteur een vaste "
    "maatje krijgt uit het eigen team.",
    "Sindsdien blijven nieuwe monteurs langer en stellen zij eerder vragen over het werk.",
]


def case_docx(paragraphs: list[str] = CASE) -> bytes:
    document = docx.Document()
    document.add_heading("Casus Twentewiel", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def setup(real_settings, tmp_path, real_embedder):
    """A copy of the real corpus and of its index (ingested once per session), with Beheer on."""
    shutil.copytree(CORPUS_DIR, tmp_path / "corpus")
    shutil.copytree(real_settings.data_dir, tmp_path / "data", ignore=_lock_files)
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path / "corpus",
        admin_token=TOKEN,
    )
    counting = CountingEmbedder(real_embedder)
    indexer = PipelineIndexer(Container(settings, embedder=counting))
    services = Services(
        Container(settings, embedder=real_embedder, chat_model=None, indexer=indexer)
    )
    return services, counting, settings


def _lock_files(folder, names):
    return [name for name in names if name.endswith(".lock")]


@pytest.fixture
def client(setup):
    return TestClient(create_app(setup[0], with_ui=False))


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def upload(client, content: bytes, name="twentewiel.docx", **form):
    data = {"title": "Casus Twentewiel", "type": "casus", "publisher": "SER", "date": "2024"}
    files = {"file": (name, content)}
    return client.post("/api/documents", data={**data, **form}, files=files, headers=auth())


def cited(client, question: str = QUESTION) -> list[dict]:
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200
    return response.json()["citations"]


def test_upload_edit_delete_with_the_real_pipeline(client, setup):
    services, counting, settings = setup
    assert not any(c["doc_id"] == "casus-twentewiel" for c in cited(client))
    response = upload(client, case_docx())
    assert response.status_code == 202 and response.json()["status"] in ("bezig", "klaar")
    assert services.library.wait_idle(120)
    status = client.get("/api/documents/casus-twentewiel", headers=auth()).json()
    assert status["status"] == "klaar" and status["chunks"] >= 1 and status["pages"] == 1
    mine = [c for c in cited(client) if c["doc_id"] == "casus-twentewiel"]
    assert mine and mine[0]["type"] == "casus" and mine[0]["title"] == "Casus Twentewiel"

    counting.passages = 0
    patch = client.patch(
        "/api/documents/casus-twentewiel", json={"title": "Twentewiel: maatjes"}, headers=auth()
    )
    assert patch.status_code == 200 and patch.json()["title"] == "Twentewiel: maatjes"
    assert counting.passages == 0  # the embedder was not called
    mine = [c for c in cited(client) if c["doc_id"] == "casus-twentewiel"]
    assert mine and mine[0]["title"] == "Twentewiel: maatjes"
    docs = {d["doc_id"]: d for d in client.get("/api/documents").json()}
    assert docs["casus-twentewiel"]["title"] == "Twentewiel: maatjes"

    delete = client.delete("/api/documents/casus-twentewiel", headers=auth())
    assert delete.status_code == 200
    assert not any(c["doc_id"] == "casus-twentewiel" for c in cited(client))
    assert not (settings.corpus_dir / "casus-twentewiel.docx").exists()
    assert "casus-twentewiel" not in {m.doc_id for m in load_manifest(settings.corpus_dir).values()}
    # the next full re-index has nothing to do: index and folder agree
    report = client.post("/api/ingest", headers=auth()).json()
    assert report["added"] == report["deleted"] == report["relabelled"] == []


def test_the_error_codes(client, setup, tmp_path):
    services, _, settings = setup
    pdf = (
        settings.corpus_dir / "ser-overijssel-briefadvies-sociale-innovatie-2022.pdf"
    ).read_bytes()
    duplicate = upload(client, pdf, name="kopie.pdf", title="Kopie")
    assert duplicate.status_code == 409 and "Briefadvies" in duplicate.json()["detail"]
    assert upload(client, b"%!PS", name="flyer.ps").status_code == 415
    broken = upload(client, b"PK\x03\x04 geen echte zip", name="kapot.docx")
    assert broken.status_code == 422 and "niet leesbaar" in broken.json()["detail"]
    assert upload(client, case_docx(), type="folder").status_code == 422
    small = Settings(**{**settings.model_dump(), "max_file_mb": 0.01})
    tiny_services = Services(
        Container(small, embedder=services.container.embedder, chat_model=None)
    )
    tiny = TestClient(create_app(tiny_services, with_ui=False))
    too_big = upload(tiny, case_docx(CASE * 50))
    assert too_big.status_code == 413 and "ASSISTANT_MAX_FILE_MB" in too_big.json()["detail"]
    leftovers = [p.name for p in settings.corpus_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_a_crash_between_file_and_manifest_leaves_a_consistent_corpus(setup, real_embedder):
    services, _, settings = setup

    class Crash(BaseException):
        pass

    def crash(step: str) -> None:
        if step == "manifest":
            raise Crash

    folder = CorpusFolder(settings.corpus_dir, on_step=crash)
    staged = folder.stage(io.BytesIO(case_docx()), ".docx", 10**7, "te groot")
    from assistant.core.types import DocumentMeta

    meta = DocumentMeta(
        doc_id="casus-twentewiel", title="Twentewiel", type="casus", source_path="tw.docx"
    )
    with pytest.raises(Crash):
        folder.add(staged, meta)
    assert not (settings.corpus_dir / "tw.docx").exists()  # in between: only a hidden file
    # the server starts again: recovery completes the add and indexes the file
    restarted = Services(Container(settings, embedder=real_embedder, chat_model=None))
    library = restarted.library
    assert library.wait_idle(120)
    assert (settings.corpus_dir / "tw.docx").exists()
    assert library.document("casus-twentewiel")["status"] == "klaar"
    names = {p.name for p in settings.corpus_dir.iterdir()}
    assert not [n for n in names if n.startswith(".")]


def test_answers_keep_working_while_an_upload_is_indexed(client, setup):
    services, _, _ = setup
    gate = threading.Event()
    services.library.worker.submit("bezet", lambda: gate.wait(60))  # a long job first
    try:
        assert upload(client, case_docx()).status_code == 202
        row = client.get("/api/documents/casus-twentewiel", headers=auth()).json()
        assert row["status"] == "bezig"
        answer = client.post("/api/ask", json={"question": "Wat is sociale innovatie?"})
        assert answer.status_code == 200 and answer.json()["citations"]
        assert client.post("/api/ingest", headers=auth()).status_code == 409
    finally:
        gate.set()
    assert services.library.wait_idle(120)
    assert services.library.document("casus-twentewiel")["status"] == "klaar"
