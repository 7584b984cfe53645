"""The document library's edges: unlisted files, documents outside the folder, a busy worker."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest

from assistant.core.errors import BusyError, ConflictError, InvalidInputError, NotFoundError
from assistant.core.settings import Settings
from assistant.core.types import DocumentRecord
from assistant.library.service import Library, validated
from ingest.manifest import load_manifest
from tests.fakes import FakeCorpusIndexer, FakeRetriever


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "los.txt").write_text("Een los bestand over werkdruk in teams.")
    return folder


def library_on(tmp_path: Path, corpus: Path, **indexer) -> tuple[Library, FakeRetriever]:
    retriever = FakeRetriever([])
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=corpus)
    return Library(settings, FakeCorpusIndexer(retriever, **indexer), retriever), retriever


def test_editing_a_file_without_a_manifest_row_gives_it_one(tmp_path, corpus):
    library, retriever = library_on(tmp_path, corpus)
    retriever.records["los"] = DocumentRecord(
        doc_id="los", title="los", source_path="los.txt", file=str(corpus / "los.txt")
    )
    row, applied = library.edit("los", {"title": "Werkdruk in teams", "type": "casus"})
    assert applied and row["title"] == "Werkdruk in teams"
    entry = load_manifest(corpus)["los.txt"]
    assert (entry.doc_id, entry.title, entry.type) == ("los", "Werkdruk in teams", "casus")


def test_a_document_from_outside_the_folder_is_not_touched(tmp_path, corpus):
    elsewhere = tmp_path / "elders.txt"
    elsewhere.write_text("Elders.")
    library, retriever = library_on(tmp_path, corpus)
    retriever.records["elders"] = DocumentRecord(doc_id="elders", title="E", file=str(elsewhere))
    with pytest.raises(ConflictError, match="niet in de documentenmap"):
        library.delete("elders")
    with pytest.raises(ConflictError):
        library.edit("elders", {"title": "X"})
    assert elsewhere.exists()
    with pytest.raises(NotFoundError):
        library.delete("nergens")


def test_only_editable_fields_can_change(tmp_path, corpus):
    library, _ = library_on(tmp_path, corpus)
    with pytest.raises(InvalidInputError, match="Niet te wijzigen: language"):
        library.edit("los", {"language": "en"})


def test_reindex_is_refused_while_a_job_is_open_and_runs_after(tmp_path, corpus):
    gate = threading.Event()
    library, _ = library_on(tmp_path, corpus, gate=gate)
    row = library.upload(
        "a.txt", io.BytesIO(b"Casus over roosters."), {"title": "A", "type": "casus"}
    )
    assert row["status"] == "bezig"
    with pytest.raises(BusyError, match="indexeren a"):
        library.reindex()
    gate.set()
    assert library.wait_idle(10)
    assert library.reindex()["unchanged"] == ["a"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "T", "type": "casus", "language": "nederlands"}, "twee letters"),
        ({"title": "T" * 301, "type": "casus"}, "hoogstens 300"),
        ({"title": "T", "type": "casus", "date": "2024-02-30"}, "datum"),
        ({"title": "T", "type": "casus", "publisher": 5}, "moet tekst zijn"),
    ],
)
def test_validation_names_the_field_in_dutch(fields, message):
    with pytest.raises(InvalidInputError, match=message):
        validated({**fields, "doc_id": "-", "source_path": "-"})
