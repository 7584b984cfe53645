"""Ingestion pipeline with the hash embedder and a real temporary Chroma store."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.retrieval import open_retriever
from assistant.core.store import ChromaStore
from ingest.pipeline import ingest_paths

pytestmark = pytest.mark.integration

PARA = (
    "Sociale innovatie gaat over de vernieuwing van de arbeidsorganisatie. Medewerkers krijgen "
    "meer regelruimte en denken mee over de organisatie van het werk. Dat vergroot de "
    "betrokkenheid en de productiviteit van het bedrijf."
)
OTHER = (
    "Een regionaal ecosysteem helpt ondernemers om van elkaar te leren. Praktijkvoorbeelden en "
    "lessons learned worden gedeeld in inspirerende sessies met onderwijs en sociale partners."
)

MANIFEST = """documents:
  - id: alpha
    file: alpha.md
    title: Alpha-advies
    type: advies
    publisher: SER Overijssel
    date: "2022-12"
    language: nl
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "alpha.md").write_text(f"# Werkorganisatie\n\n{PARA}\n", encoding="utf-8")
    (root / "beta.txt").write_text(f"Ecosysteem\n\n{OTHER}\n", encoding="utf-8")
    return root


def _ids(settings, embedder) -> set[str]:
    return set(open_retriever(settings, embedder).store.documents())


def test_first_run_adds_and_second_run_embeds_nothing(settings, hash_embedder, corpus):
    first = ingest_paths(settings, hash_embedder, [corpus], progress=False)
    assert sorted(first.added) == ["alpha", "beta"]
    assert first.ok and first.chunks_embedded == first.chunks_total > 0
    assert any("beta" in w for w in first.warnings)  # not in the manifest

    second = ingest_paths(settings, hash_embedder, [corpus], progress=False)
    assert sorted(second.unchanged) == ["alpha", "beta"]
    assert second.chunks_embedded == 0 and not second.added and not second.replaced
    assert second.chunks_total == first.chunks_total


def test_manifest_metadata_and_fallback_reach_the_chunks(settings, hash_embedder, corpus):
    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    chunks = {c.doc_id: c for c in open_retriever(settings, hash_embedder).chunks}
    assert chunks["alpha"].title == "Alpha-advies" and chunks["alpha"].type == "advies"
    assert chunks["alpha"].year == 2022 and chunks["alpha"].publisher == "SER Overijssel"
    assert chunks["beta"].type == "overig"


def test_changed_document_is_replaced_whole(settings, hash_embedder, corpus):
    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    (corpus / "beta.txt").write_text(
        "Ecosysteem\n\nVakbonden en brancheorganisaties spelen een rol bij duurzame "
        "inzetbaarheid en leven lang ontwikkelen in het midden- en kleinbedrijf.\n",
        encoding="utf-8",
    )
    report = ingest_paths(settings, hash_embedder, [corpus], progress=False)
    assert report.replaced == ["beta"] and report.unchanged == ["alpha"]
    retriever = open_retriever(settings, hash_embedder)
    beta_text = " ".join(c.text for c in retriever.chunks if c.doc_id == "beta")
    assert "Vakbonden" in beta_text and "ecosysteem helpt" not in beta_text
    assert retriever.store.count() == len(retriever.chunks)  # old version swept


def test_removed_document_is_deleted(settings, hash_embedder, corpus):
    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    (corpus / "beta.txt").unlink()
    report = ingest_paths(settings, hash_embedder, [corpus], progress=False)
    assert report.deleted == ["beta"]
    assert _ids(settings, hash_embedder) == {"alpha"}


def test_ingesting_one_file_does_not_delete_the_rest(settings, hash_embedder, corpus, tmp_path):
    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    extra = tmp_path / "los.txt"
    extra.write_text(f"Losse notitie\n\n{OTHER}\n", encoding="utf-8")
    report = ingest_paths(settings, hash_embedder, [extra], progress=False)
    assert report.added == ["los"] and not report.deleted
    assert _ids(settings, hash_embedder) == {"alpha", "beta", "los"}


def test_corrupt_and_unsupported_files_are_reported_and_others_go_in(
    settings, hash_embedder, corpus
):
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    (corpus / "plaatje.png").write_bytes(b"\x89PNG\r\n")
    report = ingest_paths(settings, hash_embedder, [corpus], progress=False)
    assert [Path(name).name for name, _ in report.failed] == ["kapot.pdf"]
    assert [Path(name).name for name, _ in report.skipped] == ["plaatje.png"]
    assert not report.ok
    assert sorted(report.added) == ["alpha", "beta"]


def test_a_failing_reindex_leaves_the_old_index_usable(settings, hash_embedder, corpus):
    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    before = sorted(c.text for c in open_retriever(settings, hash_embedder).chunks)
    (corpus / "alpha.md").write_text("# Nieuw\n\n" + OTHER + " Extra zin.\n", encoding="utf-8")

    class Exploding(type(hash_embedder)):
        def embed_passages(self, texts):
            raise RuntimeError("embedding service died")

    with pytest.raises(RuntimeError):
        ingest_paths(settings, Exploding(), [corpus], progress=False)
    retriever = open_retriever(settings, hash_embedder)
    assert sorted(c.text for c in retriever.chunks) == before
    assert retriever.search("betrokkenheid productiviteit", k=1)[0].chunk.doc_id == "alpha"


def test_rebuild_swaps_in_a_fresh_index_and_a_failed_rebuild_keeps_the_old(
    settings, hash_embedder, corpus
):
    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    report = ingest_paths(settings, hash_embedder, [corpus], rebuild=True, progress=False)
    assert sorted(report.added) == ["alpha", "beta"]

    class Exploding(type(hash_embedder)):
        def embed_passages(self, texts):
            raise RuntimeError("died half way")

    with pytest.raises(RuntimeError):
        ingest_paths(settings, Exploding(), [corpus], rebuild=True, progress=False)
    assert _ids(settings, hash_embedder) == {"alpha", "beta"}
    store = ChromaStore.open(settings, hash_embedder.name, hash_embedder.dimension)
    assert store.count() == report.chunks_total


def test_unchanged_manifest_documents_are_not_parsed_again(
    settings, hash_embedder, corpus, monkeypatch
):
    import ingest.pipeline as pipeline

    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    parsed: list[str] = []
    real_load = pipeline.load_document

    def counting_load(path):
        parsed.append(path.name)
        return real_load(path)

    monkeypatch.setattr(pipeline, "load_document", counting_load)
    report = ingest_paths(settings, hash_embedder, [corpus], progress=False)
    assert sorted(report.unchanged) == ["alpha", "beta"]
    assert parsed == ["beta.txt"]  # not in the manifest: its title may come from the text


def test_a_running_retriever_sees_a_reindex_after_refresh(settings, hash_embedder, corpus):
    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    retriever = open_retriever(settings, hash_embedder)  # e.g. the server's, opened at start
    (corpus / "beta.txt").write_text(
        "Ecosysteem\n\nPioniers delen subsidies en netwerken met andere ondernemers in de regio.\n",
        encoding="utf-8",
    )
    assert ingest_paths(settings, hash_embedder, [corpus], progress=False).replaced == ["beta"]
    retriever.refresh()
    beta = [c.text for c in retriever.chunks if c.doc_id == "beta"]
    assert beta and "Pioniers delen subsidies" in beta[0]
    top = retriever.search("pioniers subsidies netwerken", k=1)[0]
    assert top.chunk.doc_id == "beta" and top.dense_rank is not None


def test_a_running_retriever_follows_an_ingest_by_another_process(settings, hash_embedder, corpus):
    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    retriever = open_retriever(settings, hash_embedder)
    retriever.recheck_s = 0.0  # check on every search (the default throttles to every 2 s)
    (corpus / "beta.txt").write_text(
        "Ecosysteem\n\nPioniers delen subsidies en netwerken met andere ondernemers in de regio.\n",
        encoding="utf-8",
    )
    ingest_paths(settings, hash_embedder, [corpus], progress=False)  # e.g. `assistant ingest`
    top = retriever.search("pioniers subsidies netwerken", k=1)[0]  # no explicit refresh
    assert top.chunk.doc_id == "beta" and "Pioniers delen" in top.chunk.text
    assert top.dense_rank is not None
