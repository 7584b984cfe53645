"""The vector store: one Chroma collection of chunks plus a document registry.

chromadb is imported here and nowhere else. The registry (which version of each
document is live) sits in the collection's metadata and is written in one call
after a document's chunks are stored, so a document switches over whole or not
at all: chunks of a version that never got registered are invisible to search and
are swept on the next ingest.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

import numpy as np

from assistant.core.errors import IndexEmptyError, IndexMismatchError
from assistant.core.locking import IndexLock
from assistant.core.settings import Settings
from assistant.core.sparse import SparseVector, decode_sparse, encode_sparse
from assistant.core.types import Chunk, DocumentMeta, DocumentRecord, Filters, chunk_labels

log = logging.getLogger(__name__)

_DOC_PREFIX = "doc::"
_REBUILD_SUFFIX = "-rebuild"
_SPARSE_KEY = "sparse"
_GENERATION_KEY = "generation"


def _client(settings: Settings):
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


def _lock(settings: Settings, writer: bool) -> IndexLock | None:
    """Take this process's read or write lock on the embedded index (none for a server)."""
    if settings.chroma_host:
        return None
    lock = IndexLock.for_path(settings.data_dir / "index.lock")
    if writer:
        lock.acquire_write()
    else:
        lock.acquire_read()
    return lock


_CHUNK_FIELDS = tuple(f.name for f in fields(Chunk) if f.name not in ("chunk_id", "text"))


def _chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """Every Chunk field but id and text (Chroma keeps those apart); None values left out."""
    values = {name: getattr(chunk, name) for name in _CHUNK_FIELDS}
    return {name: value for name, value in values.items() if value is not None}


def _chunk_from(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(chunk_id=chunk_id, text=text, **{k: meta[k] for k in _CHUNK_FIELDS if k in meta})


class ChromaStore:
    """Chunks and their vectors in one Chroma collection, with a live-document registry."""

    def __init__(
        self,
        client: Any,
        collection: Any,
        embedder_name: str,
        dimension: int,
        write_lock: IndexLock | None = None,
    ) -> None:
        self._client = client
        self._write_lock = write_lock  # held while this store may write; see close()
        self._collection = collection
        self.embedder_name = embedder_name
        self.dimension = dimension
        self._registry: dict[str, DocumentRecord] | None = None  # cache of documents()

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        settings: Settings,
        embedder_name: str,
        dimension: int,
        *,
        create: bool = True,
        writer: bool = False,
    ) -> ChromaStore:
        """Open (or create) the collection; refuse one built with another embedder."""
        lock = _lock(settings, writer)
        try:
            return cls._open(settings, embedder_name, dimension, create, lock, writer)
        except Exception:
            if lock and writer:
                lock.release_write()
            raise

    @classmethod
    def _open(
        cls,
        settings: Settings,
        embedder_name: str,
        dimension: int,
        create: bool,
        lock: IndexLock | None,
        writer: bool,
    ) -> ChromaStore:
        client = _client(settings)
        existing = {c.name for c in client.list_collections()}
        name = settings.collection
        if name in existing:
            collection = client.get_collection(name, embedding_function=None)
            meta = collection.metadata or {}
            built_with = meta.get("embedder")
            built_dim = meta.get("dimension")
            if built_with != embedder_name or built_dim != dimension:
                raise IndexMismatchError(
                    f"De index is gebouwd met embedder '{built_with}' ({built_dim} dimensies), "
                    f"maar ingesteld is '{embedder_name}' ({dimension} dimensies). "
                    "Voer 'assistant ingest --rebuild' uit om de index opnieuw op te bouwen."
                )
        elif create:
            collection = cls._create(client, name, embedder_name, dimension)
        else:
            raise IndexEmptyError(
                "Er is nog geen index. Voer eerst 'assistant ingest' uit (of 'make run')."
            )
        return cls(client, collection, embedder_name, dimension, lock if writer else None)

    @staticmethod
    def _create(client: Any, name: str, embedder_name: str, dimension: int) -> Any:
        return client.create_collection(
            name,
            metadata={"embedder": embedder_name, "dimension": dimension},
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )

    @classmethod
    def rebuild_opener(
        cls, settings: Settings, embedder_name: str, dimension: int
    ) -> Callable[[], ChromaStore]:
        """Take the write lock now (a busy index fails at once) and return what opens the
        side collection; ingest runs it in a thread while it embeds (opening Chroma costs
        about a second, mostly the import)."""
        lock = _lock(settings, writer=True)

        def open_side() -> ChromaStore:
            try:
                client = _client(settings)
                name = settings.collection + _REBUILD_SUFFIX
                if name in {c.name for c in client.list_collections()}:
                    client.delete_collection(name)  # leftover of a rebuild that died
                collection = cls._create(client, name, embedder_name, dimension)
            except Exception:
                if lock:
                    lock.release_write()
                raise
            return cls(client, collection, embedder_name, dimension, lock)

        return open_side

    def promote(self, settings: Settings) -> None:
        """Replace the live collection by this (rebuilt) one."""
        live = settings.collection
        if live in {c.name for c in self._client.list_collections()}:
            self._client.delete_collection(live)
        self._collection.modify(name=live)

    def close(self) -> None:
        """Give up the write lock (a no-op for stores opened for reading)."""
        if self._write_lock is not None:
            self._write_lock.release_write()
            self._write_lock = None

    # ---------------------------------------------------------------- registry
    def documents(self) -> dict[str, DocumentRecord]:
        """The live documents by id (as of the last reload or commit through this object)."""
        if self._registry is None:
            meta = self._collection.metadata or {}
            records = {}
            for key, value in meta.items():
                if key.startswith(_DOC_PREFIX):
                    record = DocumentRecord.from_dict(json.loads(value))
                    records[record.doc_id] = record
            self._registry = records
        return dict(self._registry)

    def reload(self) -> None:
        """Re-read the collection and its registry: another process or store may have ingested."""
        name = self._collection.name
        self._collection = self._client.get_collection(name, embedding_function=None)
        self._registry = None

    def changed_elsewhere(self) -> bool:
        """Whether the live registry was committed by someone else since the last reload."""
        try:
            current = self._client.get_collection(self._collection.name, embedding_function=None)
        except Exception:  # the collection is being swapped by a rebuild: check again later
            return False
        theirs = (current.metadata or {}).get(_GENERATION_KEY)
        return theirs != (self._collection.metadata or {}).get(_GENERATION_KEY)

    def commit(self, records: dict[str, DocumentRecord]) -> None:
        """Make exactly these document versions live, in one metadata write."""
        meta: dict[str, Any] = {
            "embedder": self.embedder_name,
            "dimension": self.dimension,
            _GENERATION_KEY: uuid.uuid4().hex,  # lets running readers notice the change
        }
        for doc_id, record in sorted(records.items()):
            meta[_DOC_PREFIX + doc_id] = json.dumps(record.to_dict(), ensure_ascii=False)
        self._collection.modify(metadata=meta)
        self._registry = dict(records)

    # ------------------------------------------------------------------ chunks
    def add(
        self,
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        sparse: Sequence[SparseVector] | None = None,
    ) -> None:
        """Store chunks with their vectors (not yet live until `commit`)."""
        if len(chunks) != len(vectors) or (sparse is not None and len(sparse) != len(chunks)):
            raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
        metadatas = [_chunk_metadata(c) for c in chunks]
        if sparse is not None:
            for meta, vector in zip(metadatas, sparse, strict=True):
                meta[_SPARSE_KEY] = encode_sparse(vector)
        step = max(1, min(1000, self._client.get_max_batch_size()))
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            self._collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=np.asarray(vectors[i : i + step], dtype=np.float32),
                documents=[c.text for c in part],
                metadatas=metadatas[i : i + step],
            )

    def relabel(self, doc_id: str, doc_hash: str, meta: DocumentMeta) -> int:
        """Write a document's editable fields into its stored chunks (no re-embedding).

        The registry is updated apart, with `commit`; returns how many chunks were updated.
        """
        where = {"$and": [{"doc_id": doc_id}, {"doc_hash": doc_hash}]}
        ids = self._collection.get(where=where, include=[])["ids"]
        labels = chunk_labels(meta)  # a None value (no year) removes the key
        for i in range(0, len(ids), 1000):
            part = ids[i : i + 1000]
            self._collection.update(ids=part, metadatas=[dict(labels) for _ in part])
        return len(ids)

    def sweep(self) -> int:
        """Delete chunks that belong to no live document version; returns how many."""
        live = {(r.doc_id, r.doc_hash) for r in self.documents().values()}
        got = self._collection.get(include=["metadatas"])
        stale = [
            cid
            for cid, meta in zip(got["ids"], got["metadatas"], strict=True)
            if (meta.get("doc_id"), meta.get("doc_hash")) not in live
        ]
        for i in range(0, len(stale), 1000):
            self._collection.delete(ids=stale[i : i + 1000])
        return len(stale)

    def live_index(self) -> tuple[list[Chunk], dict[str, SparseVector]]:
        """Live chunks (in document and position order) and their sparse vectors, in one read."""
        live = {(r.doc_id, r.doc_hash) for r in self.documents().values()}
        got = self._collection.get(include=["documents", "metadatas"])
        chunks, sparse = [], {}
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            if (meta.get("doc_id"), meta.get("doc_hash")) not in live:
                continue
            chunks.append(_chunk_from(cid, text, meta))
            if _SPARSE_KEY in meta:
                sparse[cid] = decode_sparse(meta[_SPARSE_KEY])
        chunks.sort(key=lambda c: (c.doc_id, c.position))
        return chunks, sparse

    def count(self) -> int:
        """Number of stored chunk records (live or not)."""
        return self._collection.count()

    def nearest(
        self, vector: np.ndarray, k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        """Ids of the nearest live chunks to a query vector, with their cosine similarity.

        Only ids and distances come back (the retriever holds the live chunks in memory),
        which halves the cost of a query on a small index.
        """
        records = self.documents()
        hashes = sorted({r.doc_hash for r in records.values()})
        if not hashes or k <= 0:
            return []
        clauses = [{"doc_hash": {"$in": hashes}}, *(filters or Filters()).where()]
        where = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        n = min(k, max(1, sum(r.chunk_count for r in records.values())))
        result = self._collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=n,
            where=where,
            include=["distances"],
        )
        return [
            (cid, 1.0 - float(dist))
            for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)
        ]
