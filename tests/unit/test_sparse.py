"""Learned-sparse retrieval: the inverted index, storage round trip and fusion with it."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from assistant.core.retrieval import HybridRetriever
from assistant.core.sparse import SparseIndex, decode_sparse, encode_sparse
from assistant.core.store import ChromaStore, DocumentRecord
from assistant.core.types import Chunk, Filters
from tests.conftest import HashEmbedder


def _vec(pairs: dict[int, float]):
    return np.array(list(pairs), dtype=np.int32), np.array(list(pairs.values()), np.float32)


def test_index_scores_are_dot_products():
    index = SparseIndex([_vec({1: 1.0, 5: 2.0}), None, _vec({5: 0.5, 9: 3.0})])
    scores = index.scores(_vec({5: 2.0, 9: 1.0}))
    np.testing.assert_allclose(scores, [4.0, 0.0, 4.0])
    assert index.search(_vec({9: 1.0}), k=3) == [(2, 3.0)]
    assert index.search(_vec({5: 1.0}), k=3, mask=np.array([0, 1, 1.0])) == [(2, 0.5)]
    assert index.search(_vec({42: 1.0}), k=3) == []


def test_encoding_round_trips_within_half_precision():
    idx, val = _vec({3: 0.125, 16000: 1.5, 7: 0.3})
    back_idx, back_val = decode_sparse(encode_sparse((idx, val)))
    np.testing.assert_array_equal(back_idx, idx)
    np.testing.assert_allclose(back_val, val, rtol=1e-3)


class HashSparseEmbedder(HashEmbedder):
    """Hash embedder that also makes sparse vectors (hashed words, weight 1)."""

    name = "hash-sparse-test"

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
    store.commit({"doc": DocumentRecord("doc", "h", len(chunks))})
    return HybridRetriever(store, embedder)


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
    with pytest.raises(ValueError, match="mode"):
        HybridRetriever(sparse_retriever.store, sparse_retriever.embedder, mode="fuzzy")
