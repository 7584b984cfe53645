"""Ingestion: find files, load, clean and chunk them, embed, and swap them into the store.

Idempotent: each document version has a content hash (file bytes + manifest entry +
pipeline version). An unchanged document is skipped, a changed one replaced whole, a
document whose file is gone is deleted. A failing file is reported by name and the
others still go in; its previous version, if any, stays live.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from assistant.core.embedding import Embedder, embed_in_batches, sparse_encoder_of
from assistant.core.errors import DocumentError
from assistant.core.settings import Settings
from assistant.core.store import ChromaStore
from assistant.core.types import DocumentMeta, DocumentRecord
from ingest.chunking import chunk_document
from ingest.loaders import SUPPORTED_SUFFIXES, load_document
from ingest.manifest import load_manifest, lookup_meta, resolve_meta

log = logging.getLogger(__name__)

# Bump when cleaning or chunking changes, so every document is re-indexed once.
PIPELINE_VERSION = "2"  # 2: learned-sparse vectors stored with each chunk
MANIFEST_NAME = "manifest.yaml"


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    warnings: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    def to_dict(self) -> dict:
        """JSON-friendly form."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest and the folder (with its manifest) it was found under."""

    path: Path
    root: Path


def discover(paths: Sequence[Path], report: IngestReport) -> list[SourceFile]:
    """Expand folders into supported files; note unsupported and missing paths."""
    found: list[SourceFile] = []
    for given in paths:
        if given.is_dir():
            for path in sorted(p for p in given.rglob("*") if p.is_file()):
                if path.name == MANIFEST_NAME or any(s.startswith(".") for s in path.parts):
                    continue
                _add(SourceFile(path, given), found, report)
        elif given.is_file():
            _add(SourceFile(given, given.parent), found, report)
        else:
            report.failed.append((str(given), "bestand of map bestaat niet"))
    return found


def _add(source: SourceFile, found: list[SourceFile], report: IngestReport) -> None:
    if source.path.suffix.lower() in SUPPORTED_SUFFIXES:
        found.append(source)
    else:
        report.skipped.append(
            (str(source.path), f"bestandstype '{source.path.suffix}' overgeslagen")
        )


def document_hash(data: bytes, meta: DocumentMeta) -> str:
    """Content hash of one document version (bytes, manifest entry, pipeline version)."""
    digest = hashlib.sha256()
    digest.update(PIPELINE_VERSION.encode())
    digest.update(json.dumps(meta.__dict__, sort_keys=True).encode())
    digest.update(data)
    return digest.hexdigest()


class Ingestor:
    """Runs ingestion of files into one store with one embedder."""

    def __init__(self, settings: Settings, embedder: Embedder, store: ChromaStore) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self._sparse = sparse_encoder_of(embedder)

    def run(self, paths: Sequence[Path], *, progress: bool | None = None) -> IngestReport:
        """Ingest the given files and folders; returns a report (never raises per file)."""
        started = time.perf_counter()
        report = IngestReport()
        sources = discover(paths, report)
        manifests = {root: load_manifest(root) for root in {s.root for s in sources}}
        records = dict(self.store.documents())
        seen_ids: set[str] = set()
        bar = tqdm(sources, desc="Documenten", unit="doc", disable=_quiet(progress, len(sources)))
        for source in bar:
            bar.set_postfix_str(source.path.name)
            try:
                self._ingest_one(source, manifests[source.root], records, seen_ids, report)
            except DocumentError as exc:
                report.failed.append((exc.path, exc.reason))
                log.warning("ingest failed file=%s reason=%s", exc.path, exc.reason)
        self._delete_missing(paths, records, report)
        report.chunks_total = sum(r.chunk_count for r in records.values())
        swept = self.store.sweep()
        log.info("ingest done swept_chunks=%s", swept)
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_one(
        self,
        source: SourceFile,
        manifest: dict[str, DocumentMeta],
        records: dict[str, DocumentRecord],
        seen_ids: set[str],
        report: IngestReport,
    ) -> None:
        path = source.path
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(str(path), f"kan het bestand niet lezen ({exc.strerror})") from exc
        # A file listed in the manifest can be recognised as unchanged without parsing it.
        meta = lookup_meta(path, source.root, manifest)
        doc = None if meta else load_document(path)
        if meta is None:
            meta, warning = resolve_meta(path, source.root, manifest, doc)
            report.warnings.append(warning)
        if meta.doc_id in seen_ids:
            raise DocumentError(str(path), f"document-id '{meta.doc_id}' komt al eerder voor")
        seen_ids.add(meta.doc_id)
        doc_hash = document_hash(data, meta)
        previous = records.get(meta.doc_id)
        if previous and previous.doc_hash == doc_hash:
            report.unchanged.append(meta.doc_id)
            return
        doc = doc or load_document(path)
        chunks = chunk_document(doc, meta, doc_hash)
        if not chunks:
            raise DocumentError(str(path), "geen bruikbare tekst na opschonen")
        embed_start = time.perf_counter()
        texts = [c.text for c in chunks]
        vectors = embed_in_batches(self.embedder, texts, self.settings.embed_batch_size)
        sparse = self._sparse.sparse_passages(texts) if self._sparse else None
        report.embed_seconds += time.perf_counter() - embed_start
        self.store.add(chunks, vectors, sparse)
        records[meta.doc_id] = _record(meta, doc_hash, len(chunks), len(doc.pages), path)
        self.store.commit(records)  # the switch-over point for this document
        report.chunks_embedded += len(chunks)
        (report.replaced if previous else report.added).append(meta.doc_id)

    def _delete_missing(
        self, paths: Sequence[Path], records: dict[str, DocumentRecord], report: IngestReport
    ) -> None:
        """Drop documents whose file was under a scanned folder and no longer exists."""
        roots = [p.resolve() for p in paths if p.is_dir()]
        gone = [doc_id for doc_id, record in records.items() if _gone_from(record, roots)]
        for doc_id in gone:
            del records[doc_id]
            report.deleted.append(doc_id)
        if gone:
            self.store.commit(records)


def _record(
    meta: DocumentMeta, doc_hash: str, chunk_count: int, pages: int, path: Path
) -> DocumentRecord:
    return DocumentRecord(
        **meta.meta_dict(),
        doc_hash=doc_hash,
        chunk_count=chunk_count,
        pages=pages,
        file=str(path.resolve()),
    )


def _gone_from(record: DocumentRecord, roots: Sequence[Path]) -> bool:
    """True when the record's file sat under one of the scanned folders and is gone."""
    if not record.file:
        return False
    path = Path(record.file)
    return any(path.is_relative_to(root) for root in roots) and not path.exists()


def _quiet(progress: bool | None, total: int) -> bool | None:
    if progress is None:
        return None if total > 1 else True  # tqdm: None = only on a terminal
    return not progress


def ingest_paths(
    settings: Settings,
    embedder: Embedder,
    paths: Sequence[Path],
    *,
    rebuild: bool = False,
    progress: bool | None = None,
) -> IngestReport:
    """Ingest into the live index, or (rebuild) into a side index swapped in at the end."""
    if rebuild:
        store = ChromaStore.open_for_rebuild(settings, embedder.name, embedder.dimension)
    else:
        store = ChromaStore.open(settings, embedder.name, embedder.dimension, writer=True)
    try:
        report = Ingestor(settings, embedder, store).run(paths, progress=progress)
        if rebuild:
            store.promote(settings)
        return report
    finally:
        store.close()
