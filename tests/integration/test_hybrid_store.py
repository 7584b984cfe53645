"""Hybrid retrieval on a real (temporary) Chroma store with the hash embedder."""

from __future__ import annotations

import pytest

from assistant.core.errors import IndexEmptyError, IndexMismatchError
from assistant.core.retrieval import HybridRetriever, open_retriever
from assistant.core.store import ChromaStore
from assistant.core.types import Chunk, DocumentRecord, Filters

TEXTS = {
    "a": "Medewerkers betrekken bij de organisatie van het werk vergroot de arbeidsproductiviteit.",
    "b": "De provincie kan goede voorbeelden verspreiden en inspirerende sessies organiseren.",
    "c": "Barrières bij de invoering van sociale innovatie zijn tijdgebrek en onbekendheid.",
    "d": "Duurzame inzetbaarheid en leven lang ontwikkelen horen bij strategisch personeelsbeleid.",
}


def _chunk(key: str, text: str, doc_id: str, position: int, doc_type: str, year: int) -> Chunk:
    return Chunk(
        chunk_id=f"{doc_id}-{key}",
        doc_id=doc_id,
        text=text,
        title=f"Titel {doc_id}",
        type=doc_type,
        page_start=position + 1,
        page_end=position + 1,
        section="Sectie",
        position=position,
        doc_hash=f"hash-{doc_id}",
        publisher="SER Overijssel",
        date=f"{year}-01",
        year=year,
    )


def _fill(store: ChromaStore, embedder) -> list[Chunk]:
    chunks = [
        _chunk(
            k,
            t,
            "doc1" if k in "ab" else "doc2",
            i,
            "advies" if k in "ab" else "casus",
            2022 if k in "ab" else 2023,
        )
        for i, (k, t) in enumerate(TEXTS.items())
    ]
    store.add(chunks, embedder.embed_passages([c.text for c in chunks]))
    records = {}
    for doc_id in ("doc1", "doc2"):
        mine = [c for c in chunks if c.doc_id == doc_id]
        records[doc_id] = DocumentRecord(
            doc_id=doc_id, doc_hash=f"hash-{doc_id}", chunk_count=len(mine), title=mine[0].title
        )
    store.commit(records)
    return chunks


@pytest.fixture
def retriever(settings, hash_embedder) -> HybridRetriever:
    store = ChromaStore.open(settings, hash_embedder.name, hash_embedder.dimension)
    _fill(store, hash_embedder)
    return HybridRetriever(store, hash_embedder, candidate_k=10)


pytestmark = pytest.mark.integration


def test_hybrid_search_ranks_the_matching_passage_first(retriever):
    hits = retriever.search("Welke barrières bij invoering van sociale innovatie?", k=3)
    assert hits[0].chunk.text == TEXTS["c"]
    assert hits[0].lexical_rank == 1
    assert hits[0].score >= hits[-1].score
    assert [h.chunk.chunk_id for h in hits] == list(dict.fromkeys(h.chunk.chunk_id for h in hits))


def test_filters_apply_to_both_retrievers(retriever):
    hits = retriever.search(
        "sociale innovatie medewerkers", k=4, filters=Filters(types=("advies",))
    )
    assert hits and {h.chunk.type for h in hits} == {"advies"}
    hits = retriever.search("sociale innovatie medewerkers", k=4, filters=Filters(years=(2023,)))
    assert hits and {h.chunk.year for h in hits} == {2023}


def test_unregistered_chunks_are_invisible_and_swept(settings, hash_embedder, retriever):
    store = retriever.store
    ghost = _chunk("g", "Barrières barrières barrières invoering", "doc3", 0, "advies", 2022)
    store.add([ghost], hash_embedder.embed_passages([ghost.text]))  # never committed
    retriever.refresh()
    assert all(h.chunk.doc_id != "doc3" for h in retriever.search("barrières invoering", k=5))
    assert store.sweep() == 1
    assert store.count() == len(TEXTS)


def test_opening_with_another_embedder_says_to_rebuild(settings, hash_embedder, retriever):
    with pytest.raises(IndexMismatchError, match="assistant ingest --rebuild"):
        ChromaStore.open(settings, "other-embedder", 384)


def test_open_retriever_without_index_says_to_ingest(settings, hash_embedder):
    with pytest.raises(IndexEmptyError, match="assistant ingest"):
        open_retriever(settings, hash_embedder)
