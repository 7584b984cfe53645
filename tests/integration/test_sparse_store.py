"""The learned-sparse ranking fused by the hybrid retriever over a real Chroma store."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from assistant.core.retrieval import HybridRetriever
from assistant.core.store import ChromaStore
from assistant.core.types import Chunk, DocumentRecord, Filters
from tests.fakes import HashEmbedder

pytestmark = pytest.mark.integration


class HashSparseEmbedder(HashEmbedder):
    """Hash embedder that also makes sparse vectors (hashed words, weight 1)."""

    name = "hash-sparse-test"
    has_sparse = True

    def _sparse(self, text: str):
        feats = sorted(
            {
                int(hashlib.sha1(w.encode()).hexdigest()[:4], 16)
                for w in re.findall(r"\w+", text.lower())
            }
        )
        return np.array(feats, dtype=np.int32), np.ones(len(feats), dtype=np.float32)

    def sparse_passages(self, texts):
        return [self._sparse(t) for t in texts]

    def sparse_query(self, text):
        return self._sparse(text)


def _chunk(i: int, text: str, doc_type: str) -> Chunk:
    return Chunk(f"c{i}", "doc", text, "T", doc_type, 1, 1, "S", i, "h")


@pytest.fixture
def sparse_retriever(settings) -> HybridRetriever:
    embedder = HashSparseEmbedder()
    store = ChromaStore.open(settings, embedder.name, embedder.dimension)
    texts = ["regelruimte voor medewerkers", "subsidie voor projecten", "netwerk van pioniers"]
    chunks = [_chunk(i, t, "advies" if i else "casus") for i, t in enumerate(texts)]
    store.add(chunks, embedder.embed_passages(texts), embedder.sparse_passages(texts))
    store.commit(
        {"doc": DocumentRecord(doc_id="doc", title="", doc_hash="h", chunk_count=len(chunks))}
    )
    return HybridRetriever(store, embedder, mode="hybrid")


def test_stored_sparse_vectors_feed_a_third_ranking(sparse_retriever):
    assert set(sparse_retriever.store.live_index()[1]) == {"c0", "c1", "c2"}
    hits = sparse_retriever.search("pioniers netwerk", k=3)
    assert hits[0].chunk.chunk_id == "c2"
    assert hits[0].sparse_rank == 1 and hits[0].sparse_score == pytest.approx(2.0)


def test_sparse_ranking_respects_filters(sparse_retriever):
    hits = sparse_retriever.search(
        "regelruimte medewerkers", k=3, filters=Filters(types=("advies",))
    )
    assert hits and all(h.chunk.type == "advies" for h in hits)


def test_sparse_only_mode_and_bad_mode(sparse_retriever):
    only = HybridRetriever(sparse_retriever.store, sparse_retriever.embedder, mode="sparse")
    hits = only.search("subsidie projecten", k=2)
    assert hits[0].chunk.chunk_id == "c1" and hits[0].dense_rank is None
    with pytest.raises(ValueError, match="rankers"):
        HybridRetriever(sparse_retriever.store, sparse_retriever.embedder, mode="fuzzy")
