"""Ingestion: find files, load, clean and chunk them, embed, and swap them into the store.

Idempotent: each document version has a content hash (file bytes + the manifest fields
that shape its chunks + pipeline version). An unchanged document is skipped, a changed one
replaced whole, a document whose file is gone is deleted. A change of only the editable
fields (title, type, publisher, date, url) is written into the stored metadata in place,
without embedding anything. A failing file is reported by name and the
others still go in; its previous version, if any, stays live.

Safe intake: a link that resolves outside the folder being ingested is refused (and a
document it brought in earlier is dropped); files over the intake limits (ingest/limits.py)
fail with the limit named; documents with sentences addressed to an assistant are counted
in the report and in their registry record.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from assistant.core.embedding import Embedder, embed_in_batches, sparse_encoder_of
from assistant.core.errors import DocumentError
from assistant.core.escaping import escape_controls
from assistant.core.injection import count_injections
from assistant.core.retrieval import parse_rankers
from assistant.core.settings import Settings
from assistant.core.store import ChromaStore
from assistant.core.text import split_sentences
from assistant.core.types import EDITABLE_FIELDS, Chunk, DocumentMeta, DocumentRecord
from ingest.chunking import chunk_document
from ingest.extracted import ExtractionCache
from ingest.limits import IntakeLimits, check_file_size
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.manifest import load_manifest, lookup_meta, resolve_meta

log = logging.getLogger(__name__)

# Bump when cleaning or chunking changes, so every document is re-indexed once.
# 2: learned-sparse vectors stored with each chunk
# 3: cleaning keeps digits of words (OCR repairs only by documented rules); injection flags
# 4: a letter's closing and signatories form their own passage; sparse vectors only when
#    the sparse ranker is on (part of the hash, so switching it re-indexes)
# 5: a footnote that explains a name says which ('Voetnoot 2 bij ‘Boost’: ...'); three
#    more OCR repairs ('iseen', 'waarvande', 'invioed')
# 6: a table is one passage, a list of its rows under the paragraph that announces it
PIPELINE_VERSION = "6"
MANIFEST_NAME = "manifest.yaml"


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    relabelled: list[str] = field(default_factory=list)  # only editable fields changed
    deleted: list[str] = field(default_factory=list)
    # File names in failed, skipped and warnings have their control characters escaped.
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    warnings: list[str] = field(default_factory=list)
    # Live documents with sentences addressed to an assistant: (doc id, how many sentences).
    flagged: list[tuple[str, int]] = field(default_factory=list)
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

    def fail(self, path: object, reason: str) -> None:
        """Note a file that failed, its name made safe to print."""
        self.failed.append((escape_controls(path), escape_controls(reason)))

    def skip(self, path: object, reason: str) -> None:
        """Note a file that was left out on purpose, its name made safe to print."""
        self.skipped.append((escape_controls(path), escape_controls(reason)))


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest and the folder (with its manifest) it was found under.

    root is resolved; path is as found, and resolves inside root.
    """

    path: Path
    root: Path


@dataclass
class Discovery:
    """What the given paths hold: files to ingest, folders scanned whole, links refused."""

    files: list[SourceFile] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)  # resolved
    refused: list[Path] = field(default_factory=list)  # resolved targets of links out


_OUTSIDE = "verwijst naar {what} buiten de map die wordt ingelezen; geweigerd"


def discover(paths: Sequence[Path], report: IngestReport) -> Discovery:
    """Expand folders into supported files; note unsupported, missing and outside paths."""
    found = Discovery()
    for given in map(Path, paths):
        if given.is_dir():
            root = given.resolve()
            found.roots.append(root)
            for path in _walk(given, root, found, report):
                _add(SourceFile(path, root), found, report)
        elif given.is_file():
            source = SourceFile(given, given.parent.resolve())
            if _inside(source.path, source.root):
                _add(source, found, report)
            else:
                _refuse(given, "een bestand", found, report)
        else:
            report.fail(given, "bestand of map bestaat niet")
    return found


def _walk(given: Path, root: Path, found: Discovery, report: IngestReport) -> list[Path]:
    """Files under a folder (not hidden, not the manifest); links out of it are refused."""
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(given, followlinks=False):
        here = Path(dirpath)
        for name in [d for d in dirnames if (here / d).is_symlink()]:
            dirnames.remove(name)  # never descend through a link: its target is walked or refused
            if not name.startswith(".") and not _inside(here / name, root):
                _refuse(here / name, "een map", found, report)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = here / name
            if name.startswith(".") or name == MANIFEST_NAME:
                continue
            if not _inside(path, root):
                _refuse(path, "een bestand", found, report)
            elif path.is_file():  # not a broken link, FIFO or socket
                files.append(path)
    return sorted(files)


def _inside(path: Path, root: Path) -> bool:
    """Whether path, with every link followed, lies inside root (itself resolved)."""
    return path.resolve().is_relative_to(root)


def _refuse(path: Path, what: str, found: Discovery, report: IngestReport) -> None:
    found.refused.append(path.resolve())
    report.skip(path, _OUTSIDE.format(what=what))
    log.warning("ingest refused link out of folder path=%s", escape_controls(path))


def _add(source: SourceFile, found: Discovery, report: IngestReport) -> None:
    if source.path.suffix.lower() in SUPPORTED_SUFFIXES:
        found.files.append(source)
    else:
        report.skip(source.path, f"bestandstype '{source.path.suffix}' overgeslagen")


def document_hash(data: bytes, meta: DocumentMeta, variant: str = "") -> str:
    """Content hash of one document version: bytes, pipeline version and variant (what is
    stored per chunk, e.g. '+sparse') and the manifest fields that shape its chunks (not the
    editable ones, which change without re-indexing)."""
    shaping = {k: v for k, v in meta.meta_dict().items() if k not in EDITABLE_FIELDS}
    digest = hashlib.sha256()
    digest.update((PIPELINE_VERSION + variant).encode())
    digest.update(json.dumps(shaping, sort_keys=True).encode())
    digest.update(data)
    return digest.hexdigest()


class Ingestor:
    """Runs ingestion of files into one store with one embedder."""

    def __init__(
        self, settings: Settings, embedder: Embedder, store: ChromaStore | Future[ChromaStore]
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self._store = store
        self.limits = IntakeLimits.from_settings(settings)
        self.extracted = ExtractionCache(settings.data_dir / "extracted")
        wants_sparse = "sparse" in parse_rankers(settings.rankers)
        self._sparse = sparse_encoder_of(embedder) if wants_sparse else None

    @property
    def store(self) -> ChromaStore:
        """The store; one still opening (a rebuild's side index) is waited for here."""
        if isinstance(self._store, Future):
            self._store = self._store.result()
        return self._store

    def run(
        self, paths: Sequence[Path], *, progress: bool | None = None, fresh: bool = False
    ) -> IngestReport:
        """Ingest the given files and folders; returns a report (never raises per file).

        `fresh`: the store is known to be empty (a rebuild), so its registry is not read
        before the first document is embedded."""
        started = time.perf_counter()
        report = IngestReport()
        found = discover(paths, report)
        sources = found.files
        manifests = {root: load_manifest(root) for root in {s.root for s in sources}}
        records = {} if fresh else dict(self.store.documents())
        seen_ids: set[str] = set()
        kept: set[str] = set()  # files that failed: their previous version stays live
        bar = tqdm(sources, desc="Documenten", unit="doc", disable=_quiet(progress, len(sources)))
        for source in bar:
            bar.set_postfix_str(escape_controls(source.path.name))
            try:
                self._ingest_one(source, manifests[source.root], records, seen_ids, report)
            except DocumentError as exc:
                kept.add(str(source.path.resolve()))
                report.fail(exc.path, exc.reason)
                log.warning(
                    "ingest failed file=%s reason=%s",
                    escape_controls(exc.path),
                    escape_controls(exc.reason),
                )
        self._delete_missing(found, seen_ids, kept, records, report)
        report.flagged = [
            (doc_id, records[doc_id].flagged_sentences)
            for doc_id in sorted(seen_ids)
            if doc_id in records and records[doc_id].flagged_sentences
        ]
        report.chunks_total = sum(r.chunk_count for r in records.values())
        swept = self.store.sweep()
        self.extracted.keep_only(r.sha256 for r in records.values() if r.sha256)
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
        if not _inside(path, source.root):  # the link changed since discovery
            raise DocumentError(str(path), _OUTSIDE.format(what="een bestand"))
        check_file_size(path, self.limits)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(str(path), f"kan het bestand niet lezen ({exc.strerror})") from exc
        sha256 = hashlib.sha256(data).hexdigest()
        # A file listed in the manifest can be recognised as unchanged without parsing it.
        meta = lookup_meta(path, source.root, manifest)
        doc = None if meta else self.extracted.load(path, sha256, self.limits)
        if meta is None:
            meta, warning = resolve_meta(path, source.root, manifest, doc)
            report.warnings.append(warning)
        if meta.doc_id in seen_ids:
            raise DocumentError(str(path), f"document-id '{meta.doc_id}' komt al eerder voor")
        seen_ids.add(meta.doc_id)
        doc_hash = document_hash(data, meta, "+sparse" if self._sparse else "")
        previous = records.get(meta.doc_id)
        if previous and previous.doc_hash == doc_hash:
            self._keep(previous, meta, path, sha256, records, report)
            return
        doc = doc or self.extracted.load(path, sha256, self.limits)
        chunks = chunk_document(doc, meta, doc_hash)
        if not chunks:
            raise DocumentError(str(path), "geen bruikbare tekst na opschonen")
        embed_start = time.perf_counter()
        texts = [c.text for c in chunks]
        vectors = embed_in_batches(self.embedder, texts, self.settings.embed_batch_size)
        sparse = self._sparse.sparse_passages(texts) if self._sparse else None
        report.embed_seconds += time.perf_counter() - embed_start
        self.store.add(chunks, vectors, sparse)
        record = _record(meta, doc_hash, len(chunks), len(doc.pages), path)
        records[meta.doc_id] = dataclasses.replace(
            record, flagged_sentences=_flagged(chunks), sha256=sha256
        )
        self.store.commit(records)  # the switch-over point for this document
        report.chunks_embedded += len(chunks)
        (report.replaced if previous else report.added).append(meta.doc_id)

    def _keep(
        self,
        previous: DocumentRecord,
        meta: DocumentMeta,
        path: Path,
        sha256: str,
        records: dict[str, DocumentRecord],
        report: IngestReport,
    ) -> None:
        """An unchanged document: relabel its chunks if only editable fields changed.

        Also notes a new path to the same file; the registry is written in _delete_missing.
        """
        current = dataclasses.replace(
            previous, **meta.meta_dict(), file=str(path.resolve()), sha256=sha256
        )
        if any(getattr(previous, k) != getattr(meta, k) for k in EDITABLE_FIELDS):
            self.store.relabel(meta.doc_id, previous.doc_hash, meta)
            report.relabelled.append(meta.doc_id)
        else:
            report.unchanged.append(meta.doc_id)
        records[meta.doc_id] = current

    def _delete_missing(
        self,
        found: Discovery,
        seen_ids: set[str],
        kept: set[str],
        records: dict[str, DocumentRecord],
        report: IngestReport,
    ) -> None:
        """Drop documents not ingested this run whose file is gone, refused or re-labelled.

        Also writes the registry when an unchanged document was relabelled or reached by a
        new path.
        """
        stale = [
            doc_id
            for doc_id, record in records.items()
            if doc_id not in seen_ids and _stale(record, found, kept)
        ]
        for doc_id in stale:
            del records[doc_id]
            report.deleted.append(doc_id)
        if stale or records != self.store.documents():
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


def _stale(record: DocumentRecord, found: Discovery, kept: set[str]) -> bool:
    """Whether a document that this run did not ingest should leave the index.

    Its file is gone (wherever it was); or a link to it was refused; or it lies in a scanned
    folder, so this run saw it and ingested it under another id (manifest entry removed or
    its id changed). A file that failed this run keeps its previous version.
    """
    if not record.file or record.file in kept:
        return False
    path = Path(record.file)
    if not path.exists() or any(path.is_relative_to(out) for out in found.refused):
        return True
    return any(path.is_relative_to(root) for root in found.roots)


def _flagged(chunks: Sequence[Chunk]) -> int:
    """How many sentences of the document address an assistant ('negeer alle instructies')."""
    return count_injections(s for chunk in chunks for s in split_sentences(chunk.text))


def _quiet(progress: bool | None, total: int) -> bool | None:
    if progress is None:
        return None if total > 1 else True  # tqdm: None = only on a terminal
    return not progress


def remove_documents(settings: Settings, embedder: Embedder, doc_ids: Sequence[str]) -> list[str]:
    """Take documents out of the live index (registry first, then their chunks); returns
    the ids that were live. Their files are the caller's business."""
    store = ChromaStore.open(settings, embedder.name, embedder.dimension, writer=True)
    try:
        records = store.documents()
        removed = [doc_id for doc_id in doc_ids if records.pop(doc_id, None) is not None]
        if removed:
            store.commit(records)
            swept = store.sweep()
            log.info("removed documents=%s swept_chunks=%s", ",".join(removed), swept)
        return removed
    finally:
        store.close()


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
        return _rebuild(settings, embedder, paths, progress)
    store = ChromaStore.open(settings, embedder.name, embedder.dimension, writer=True)
    try:
        return Ingestor(settings, embedder, store).run(paths, progress=progress)
    finally:
        store.close()


def _rebuild(
    settings: Settings, embedder: Embedder, paths: Sequence[Path], progress: bool | None
) -> IngestReport:
    """Build a side index, swapped in when complete; Chroma opens while the first
    document is extracted and embedded (the side index starts empty)."""
    opener = ChromaStore.rebuild_opener(settings, embedder.name, embedder.dimension)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chroma-open") as pool:
        pending = pool.submit(opener)
        try:
            ingestor = Ingestor(settings, embedder, pending)
            report = ingestor.run(paths, progress=progress, fresh=True)
            ingestor.store.promote(settings)
            return report
        finally:
            if not pending.exception():
                pending.result().close()
