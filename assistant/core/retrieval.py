"""Hybrid retrieval: dense (Chroma) and Dutch BM25, fused by reciprocal rank fusion."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

import numpy as np

from assistant.core.embedding import Embedder, build_embedder
from assistant.core.lexical import BM25Index
from assistant.core.settings import Settings
from assistant.core.store import ChromaStore
from assistant.core.types import Chunk, Filters, Hit

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "lexical")


class Retriever(Protocol):
    """Anything that returns ranked hits for a query."""

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The best k hits for a query, best first."""
        ...


def reciprocal_rank_fusion(rankings: list[list[str]], rrf_k: int = 60) -> dict[str, float]:
    """Fuse ranked id lists: score(id) = sum over lists of 1 / (rrf_k + rank), rank from 1."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (rrf_k + rank)
    return scores


class HybridRetriever:
    """Dense + BM25 over the live chunks of a store, fused with RRF."""

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        *,
        candidate_k: int = 30,
        rrf_k: int = 60,
        mode: str = "hybrid",
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.store = store
        self.embedder = embedder
        self.candidate_k = candidate_k
        self.rrf_k = rrf_k
        self.mode = mode
        self._lock = threading.Lock()
        self.refresh()

    def refresh(self) -> None:
        """Reload the live chunks and rebuild the BM25 index (after an ingest)."""
        chunks = self.store.live_chunks()
        index = BM25Index([f"{c.title}\n{c.section}\n{c.text}" for c in chunks])
        with self._lock:
            self._chunks = chunks
            self._by_id = {c.chunk_id: c for c in chunks}
            self._bm25 = index

    @property
    def chunks(self) -> list[Chunk]:
        """The live chunks this retriever searches."""
        return self._chunks

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The best k hits for a query, best first."""
        filters = filters or Filters()
        depth = max(self.candidate_k, k)
        dense: list[tuple[Chunk, float]] = []
        lexical: list[tuple[Chunk, float]] = []
        if self.mode in ("hybrid", "dense"):
            dense = self.store.query(self.embedder.embed_query(query), depth, filters)
        if self.mode in ("hybrid", "lexical"):
            lexical = self._lexical(query, depth, filters)

        dense_rank = {c.chunk_id: (i + 1, s) for i, (c, s) in enumerate(dense)}
        lexical_rank = {c.chunk_id: (i + 1, s) for i, (c, s) in enumerate(lexical)}
        fused = reciprocal_rank_fusion(
            [[c.chunk_id for c, _ in dense], [c.chunk_id for c, _ in lexical]], self.rrf_k
        )
        chunks = {c.chunk_id: c for c, _ in dense + lexical}
        best = sorted(fused, key=lambda cid: (-fused[cid], chunks[cid].doc_id, cid))[:k]
        return [
            Hit(
                chunk=chunks[cid],
                score=fused[cid],
                dense_rank=dense_rank.get(cid, (None, None))[0],
                dense_score=dense_rank.get(cid, (None, None))[1],
                lexical_rank=lexical_rank.get(cid, (None, None))[0],
                lexical_score=lexical_rank.get(cid, (None, None))[1],
            )
            for cid in best
        ]

    def _lexical(self, query: str, k: int, filters: Filters) -> list[tuple[Chunk, float]]:
        with self._lock:
            chunks, index = self._chunks, self._bm25
        mask = None
        if not filters.is_empty():
            mask = np.array([1.0 if filters.matches(c) else 0.0 for c in chunks], dtype=np.float32)
        return [(chunks[i], score) for i, score in index.search(query, k, mask)]


def open_retriever(settings: Settings, embedder: Embedder | None = None) -> HybridRetriever:
    """Open the live index for searching; fails clearly when there is none or it mismatches."""
    embedder = embedder or build_embedder(settings)
    store = ChromaStore.open(settings, embedder.name, embedder.dimension, create=False)
    return HybridRetriever(store, embedder, candidate_k=settings.candidate_k, rrf_k=settings.rrf_k)
