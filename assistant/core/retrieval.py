"""Hybrid retrieval: dense (Chroma), Dutch BM25 over passages and over single sentences
(+ optional learned sparse), fused by RRF.

The lexical query is the question plus the document wording the synonym list
(prompts/synonyms.txt) gives for its words; an English question's own words carry no
lexical signal against Dutch passages, so for English only those Dutch words are
searched (at full weight since the list holds owners' English words; half weight did
worse on dev's English questions: see README "Retrieval").
For a Dutch question the same lexical query also ranks passages by their best single
sentence, so a passage holding the question's words together beats one holding them
scattered.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Protocol

import numpy as np

from assistant.core.embedding import Embedder, build_embedder, sparse_encoder_of
from assistant.core.glossary import TermList
from assistant.core.lexical import BestSentenceIndex, BM25Index
from assistant.core.settings import RANKERS, Settings
from assistant.core.sparse import SparseIndex
from assistant.core.store import ChromaStore
from assistant.core.text import detect_language, split_sentences, telling_part
from assistant.core.types import Chunk, DocumentRecord, Filters, Hit

log = logging.getLogger(__name__)

DEFAULT_RANKERS = "dense+lexical+sentences"  # sparse does not pay for its encoder pass (README)
ENGLISH_LEXICAL_WEIGHT = 1.0
# Question words the Dutch stop list lacks: in a question they ask, in a passage they are
# incidental ("op welke sectoren en welke doelgroepen"), so they are not searched. "waarom"
# stays: a sentence with "waarom" often answers a why-question ("Minder duidelijk is waarom
# ..."), and leaving it out lost two dev answers.
_QUESTION_WORDS = re.compile(r"\b(?:welke?|wanneer|hoeveel)\b", re.IGNORECASE)


def parse_rankers(mode: str) -> frozenset[str]:
    """'hybrid' (all of them) or '+'-joined ranker names; ValueError otherwise."""
    rankers = set(RANKERS) if mode == "hybrid" else set(mode.split("+"))
    if not rankers or not rankers <= set(RANKERS):
        raise ValueError(f"rankers is 'hybrid' or '+'-joined names from {RANKERS}, not {mode!r}")
    return frozenset(rankers)


class Retriever(Protocol):
    """The live search index as answering, briefing and serving use it (HybridRetriever)."""

    embedder: Embedder  # the model the index was built with; scorers embed with it too

    @property
    def chunks(self) -> list[Chunk]:
        """The live chunks, in document and position order."""
        ...

    @property
    def vocabulary(self) -> frozenset[str]:
        """Dutch stems of every live passage (what the sources can be said to mention)."""
        ...

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The best k hits for a query, best first."""
        ...

    def documents(self) -> dict[str, DocumentRecord]:
        """The live documents by id."""
        ...

    def refresh(self) -> None:
        """Reload the live chunks after an ingest."""
        ...


def reciprocal_rank_fusion(
    rankings: list[list[str]], rrf_k: int = 60, weights: list[float] | None = None
) -> dict[str, float]:
    """Fuse ranked id lists: score(id) = sum over lists of w / (rrf_k + rank), rank from 1."""
    scores: dict[str, float] = {}
    for j, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[j]
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (rrf_k + rank)
    return scores


class HybridRetriever:
    """Dense (Chroma), BM25, best-sentence BM25 and (optionally) learned-sparse rankings,
    fused with RRF.

    The sparse ranking is used when asked for, the embedder can make sparse vectors and
    the index holds them (ingested with the sparse ranker on).
    """

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        *,
        candidate_k: int = 30,
        rrf_k: int = 60,
        mode: str = DEFAULT_RANKERS,
        synonyms: TermList | None = None,
        recheck_s: float = 2.0,
    ) -> None:
        self.rankers = parse_rankers(mode)
        self.synonyms = synonyms or TermList()
        self.store = store
        self.embedder = embedder
        self.candidate_k = candidate_k
        self.rrf_k = rrf_k
        self.mode = mode
        self._sparse_encoder = sparse_encoder_of(embedder)
        self._lock = threading.Lock()
        self.recheck_s = recheck_s
        self._checked_at = time.monotonic()
        self.refresh()

    def refresh(self) -> None:
        """Reload the live chunks and rebuild the in-memory indexes (after an ingest)."""
        self.store.reload()
        chunks, stored = self.store.live_index()
        texts = [f"{c.title}\n{c.section}\n{c.text}" for c in chunks]
        bm25 = BM25Index(texts)
        # A question in a source says what is asked, not answered: only what a sentence
        # tells is indexed.
        sentences = BestSentenceIndex(
            [
                [
                    f"{c.section}\n{told}"
                    for s in split_sentences(c.text)
                    if (told := telling_part(s))
                ]
                for c in chunks
            ]
        )
        wanted = "sparse" in self.rankers and self._sparse_encoder is not None
        if wanted and not stored and chunks:
            log.warning("sparse ranker on, but the index has no sparse vectors: ingest --rebuild")
        sparse = SparseIndex([stored.get(c.chunk_id) for c in chunks]) if wanted else None
        with self._lock:
            self._chunks = chunks
            self._bm25 = bm25
            self._sentences = sentences
            self._sparse = sparse
            self._vocabulary = bm25.vocabulary
            self._by_id = {c.chunk_id: c for c in chunks}

    @property
    def chunks(self) -> list[Chunk]:
        """The live chunks this retriever searches."""
        return self._chunks

    @property
    def vocabulary(self) -> frozenset[str]:
        """Dutch stems of every live passage (with titles and section headings)."""
        return self._vocabulary

    def documents(self) -> dict[str, DocumentRecord]:
        """The live documents by id."""
        return self.store.documents()

    def lexical_query(self, query: str) -> tuple[str, float]:
        """The BM25 query and its fusion weight: the question plus synonym wording (Dutch),
        or only the synonym wording (English); ('', 0) when nothing is left."""
        return self._lexical_query(query, detect_language(query))

    def _lexical_query(self, query: str, language: str) -> tuple[str, float]:
        if language == "nl":
            return _QUESTION_WORDS.sub(" ", self.synonyms.expand(query)), 1.0
        added = " ".join(self.synonyms.matches(query))
        return (added, ENGLISH_LEXICAL_WEIGHT) if added else ("", 0.0)

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The best k hits for a query, best first."""
        self._follow_other_writers()
        filters = filters or Filters()
        depth = max(self.candidate_k, k)
        with self._lock:
            chunks, bm25, sparse, by_id = self._chunks, self._bm25, self._sparse, self._by_id
            sentences = self._sentences
        mask = _mask(chunks, filters)
        rankings: dict[str, list[tuple[Chunk, float]]] = {}
        weights = {"dense": 1.0, "lexical": 1.0, "sentences": 1.0, "sparse": 1.0}
        if "dense" in self.rankers:
            vector = self.embedder.embed_query(query)
            found = self.store.nearest(vector, depth, filters)
            rankings["dense"] = [(by_id[cid], score) for cid, score in found if cid in by_id]
        if self.rankers & {"lexical", "sentences"}:
            language = detect_language(query)
            text, weight = self._lexical_query(query, language)
            if text and "lexical" in self.rankers:
                weights["lexical"] = weight
                rankings["lexical"] = _rows(chunks, bm25.search(text, depth, mask))
            # Dutch only: an English question's lexical query is a bag of translated
            # document words, so "together in one sentence" says nothing about it.
            if text and "sentences" in self.rankers and language == "nl":
                weights["sentences"] = weight
                rankings["sentences"] = _rows(chunks, sentences.search(text, depth, mask))
        if "sparse" in self.rankers and sparse is not None:
            vector = self._sparse_encoder.sparse_query(query)
            rankings["sparse"] = _rows(chunks, sparse.search(vector, depth, mask))
        return self._fuse(rankings, weights, k)

    def _follow_other_writers(self) -> None:
        """Refresh when another process re-indexed (checked at most every few seconds)."""
        now = time.monotonic()
        if now - self._checked_at < self.recheck_s:
            return
        self._checked_at = now
        if self.store.changed_elsewhere():
            log.info("index changed by another writer; refreshing")
            self.refresh()

    def _fuse(
        self, rankings: dict[str, list[tuple[Chunk, float]]], weights: dict[str, float], k: int
    ) -> list[Hit]:
        fused = reciprocal_rank_fusion(
            [[c.chunk_id for c, _ in ranking] for ranking in rankings.values()],
            self.rrf_k,
            [weights[name] for name in rankings],
        )
        by_id = {c.chunk_id: c for ranking in rankings.values() for c, _ in ranking}
        ranks = {
            name: {c.chunk_id: (i + 1, score) for i, (c, score) in enumerate(ranking)}
            for name, ranking in rankings.items()
        }
        best = sorted(fused, key=lambda cid: (-fused[cid], by_id[cid].doc_id, cid))[:k]

        def rank_of(name: str, cid: str) -> tuple[int | None, float | None]:
            return ranks.get(name, {}).get(cid, (None, None))

        return [
            Hit(
                chunk=by_id[cid],
                score=fused[cid],
                dense_rank=rank_of("dense", cid)[0],
                dense_score=rank_of("dense", cid)[1],
                lexical_rank=rank_of("lexical", cid)[0],
                lexical_score=rank_of("lexical", cid)[1],
                sentence_rank=rank_of("sentences", cid)[0],
                sentence_score=rank_of("sentences", cid)[1],
                sparse_rank=rank_of("sparse", cid)[0],
                sparse_score=rank_of("sparse", cid)[1],
            )
            for cid in best
        ]


def _mask(chunks: list[Chunk], filters: Filters) -> np.ndarray | None:
    if filters.is_empty():
        return None
    return np.array([1.0 if filters.matches(c) else 0.0 for c in chunks], dtype=np.float32)


def _rows(chunks: list[Chunk], found: list[tuple[int, float]]) -> list[tuple[Chunk, float]]:
    return [(chunks[i], score) for i, score in found]


def open_retriever(
    settings: Settings, embedder: Embedder | None = None, synonyms: TermList | None = None
) -> HybridRetriever:
    """Open the live index for searching; fails clearly when there is none or it mismatches."""
    embedder = embedder or build_embedder(settings)
    if synonyms is None:  # before opening the store: fail fast on a bad file
        synonyms = TermList.load(settings.synonyms_file)
    store = ChromaStore.open(settings, embedder.name, embedder.dimension, create=False)
    return HybridRetriever(
        store,
        embedder,
        candidate_k=settings.candidate_k,
        rrf_k=settings.rrf_k,
        mode=settings.rankers,
        synonyms=synonyms,
    )
