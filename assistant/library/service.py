"""Document management ("Beheer"): upload, edit, delete and re-index, for the API and the UI.

The corpus folder changes at once and atomically (assistant/library/corpus.py); the index
follows in the background worker, one job at a time (assistant/library/worker.py). A
document's status is `bezig` while a job about it is open, `mislukt` (with a Dutch reason)
when its last ingest failed or it is not in the index, and `klaar` when it is live.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from assistant.core.errors import (
    AssistantError,
    BusyError,
    ConflictError,
    DocumentError,
    InvalidInputError,
    NotFoundError,
    TooLargeError,
    UnsupportedTypeError,
)
from assistant.core.escaping import escape_controls
from assistant.core.settings import Settings
from assistant.core.types import DOC_TYPES, EDITABLE_FIELDS, DocumentMeta, DocumentRecord
from assistant.library.corpus import CorpusFolder
from assistant.library.worker import Worker
from ingest.limits import MB, IntakeLimitError, IntakeLimits
from ingest.loaders import SUPPORTED_SUFFIXES, load_document
from ingest.manifest import slugify

log = logging.getLogger(__name__)

STATUSES = ("bezig", "klaar", "mislukt")
# How long an edit or delete waits for its index job before answering "bezig" (a long ingest
# may be running before it in the queue).
APPLY_WAIT_S = 10.0
TITLE_CHARS, FIELD_CHARS, URL_CHARS = 300, 200, 500
NOT_INDEXED = "staat in de map maar (nog) niet in de index; kies 'Alles opnieuw indexeren'"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_LANGUAGE = re.compile(r"[a-z]{2}")
_URL = re.compile(r"https?://[^\s]+")


class IndexWriter(Protocol):
    """The ingest pipeline as Beheer uses it (the container's PipelineIndexer)."""

    def ingest(
        self, paths: Sequence[Path], *, rebuild: bool = False, progress: bool | None = None
    ) -> Any:
        """Ingest files or folders; returns an IngestReport."""
        ...

    def remove(self, doc_ids: Sequence[str]) -> list[str]:
        """Take documents out of the index."""
        ...


class LiveIndex(Protocol):
    """What Beheer reads from and refreshes in the serving index."""

    def documents(self) -> dict[str, DocumentRecord]:
        """The live documents by id ({} when there is no index yet)."""
        ...

    def refresh(self) -> None:
        """Catch up with a changed index (retriever and answering)."""
        ...


class Library:
    """The document-management use cases, on one corpus folder, index and worker."""

    def __init__(
        self,
        settings: Settings,
        indexer: IndexWriter,
        index: LiveIndex,
        *,
        corpus: CorpusFolder | None = None,
        worker: Worker | None = None,
    ) -> None:
        self.settings = settings
        self.indexer = indexer
        self.index = index
        self.limits = IntakeLimits.from_settings(settings)
        self.corpus = corpus or CorpusFolder(Path(settings.corpus_dir))
        self.worker = worker or Worker()
        self._failures: dict[str, str] = {}  # doc id -> reason of its last failed ingest
        self._guard = threading.Lock()
        self._sha_cache: dict[tuple[str, int, int], str] = {}
        self._recover()

    # ------------------------------------------------------------------- reading
    def documents(self) -> list[dict[str, Any]]:
        """Every document in the folder or the index, with its status, sorted by title."""
        entries, records = self.corpus.entries(), self.index.documents()
        busy = self.worker.open_ids()
        rows = [
            self._row(doc_id, entries.get(doc_id), records.get(doc_id), busy)
            for doc_id in dict.fromkeys([*entries, *records])
        ]
        return sorted(rows, key=lambda row: (row["title"].lower(), row["doc_id"]))

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document with its status; NotFoundError if it is in neither folder nor index."""
        entry, record = self.corpus.entries().get(doc_id), self.index.documents().get(doc_id)
        if entry is None and record is None:
            raise NotFoundError(f"Document '{escape_controls(doc_id)}' bestaat niet.")
        return self._row(doc_id, entry, record, self.worker.open_ids())

    # ------------------------------------------------------------------ changing
    def upload(self, filename: str, stream: BinaryIO, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Add a file with its metadata to the corpus and queue its ingest; the row, 'bezig'."""
        meta = validated({**fields, "doc_id": "-", "source_path": "-"})
        suffix = Path(filename or "").suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise UnsupportedTypeError(
                f"Bestandstype '{escape_controls(suffix or '(geen)')}' wordt niet ondersteund; "
                "kies een PDF-, Word- (.docx), Markdown- (.md) of tekstbestand (.txt)."
            )
        staged = self.corpus.stage(stream, suffix, int(self.limits.max_file_mb * MB), self._big())
        try:
            self._check_new(staged.sha256)  # cheap, before parsing; again below, under the lock
            self._check_readable(staged.path, filename)
            with self.corpus.lock:
                self._check_new(staged.sha256)
                doc_id = self._new_id(meta.title, suffix)
                meta = dataclasses.replace(meta, doc_id=doc_id, source_path=doc_id + suffix)
                path = self.corpus.add(staged, meta)
        except BaseException:
            self.corpus.discard(staged)
            raise
        self._sha_cache[_stat_key(path)] = staged.sha256
        self._queue_ingest(doc_id, path, "indexeren")
        return self.document(doc_id)

    def edit(self, doc_id: str, changes: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
        """Change title, type, publisher, date or url; no re-embedding. (row, applied yet?)"""
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise InvalidInputError(f"Niet te wijzigen: {', '.join(sorted(unknown))}.")
        with self.corpus.lock:
            current, path = self._located(doc_id)
            edited = {k: changes.get(k, getattr(current, k)) for k in EDITABLE_FIELDS}
            meta = validated({**current.meta_dict(), **edited})
            self.corpus.update(dataclasses.replace(meta, source_path=self._relative(path)))
        applied = self._queue_ingest(doc_id, path, "bijwerken").wait(APPLY_WAIT_S)
        return self.document(doc_id), applied

    def delete(self, doc_id: str) -> bool:
        """Remove file, manifest row and chunks; True when the index is updated already."""
        with self.corpus.lock:
            current, path = self._located(doc_id)
            listed = doc_id in self.corpus.entries()
            meta = dataclasses.replace(current, source_path=self._relative(path))
            self.corpus.remove(meta, listed)
        job = self.worker.submit(
            f"verwijderen {doc_id}", lambda: self._run_remove(doc_id), (doc_id,)
        )
        return job.wait(APPLY_WAIT_S)

    def reindex(self, wait: bool = True) -> dict[str, Any] | None:
        """Re-ingest the whole corpus folder (BusyError while another job is open)."""
        with self._guard:
            if self.worker.busy():
                running = self.worker.current() or "een indexering"
                raise BusyError(
                    f"Er loopt al een indexering ({running}). Probeer het later opnieuw."
                )
            job = self.worker.submit(
                "alles opnieuw indexeren", lambda: self._run_ingest([self.corpus.root], ())
            )
        if not wait:
            return None
        job.wait()
        if job.error is not None:
            raise job.error
        return job.result.to_dict()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every queued job is done (tests, and the UI's progress)."""
        return self.worker.wait_idle(timeout)

    # ----------------------------------------------------------------- the jobs
    def _queue_ingest(self, doc_id: str, path: Path, what: str) -> Any:
        with self._guard:
            self._failures.pop(doc_id, None)
        target = path if path.parent.resolve() == self.corpus.root.resolve() else self.corpus.root
        return self.worker.submit(
            f"{what} {doc_id}", lambda: self._run_ingest([target], (doc_id,)), (doc_id,)
        )

    def _run_ingest(self, paths: list[Path], doc_ids: tuple[str, ...]) -> Any:
        try:
            report = self.indexer.ingest(paths, progress=False)
        except AssistantError as exc:
            with self._guard:
                self._failures.update({doc_id: str(exc) for doc_id in doc_ids})
            raise
        finally:
            self.index.refresh()
        self._note(report)
        return report

    def _run_remove(self, doc_id: str) -> list[str]:
        try:
            return self.indexer.remove([doc_id])
        finally:
            with self._guard:
                self._failures.pop(doc_id, None)
            self.index.refresh()

    def _note(self, report: Any) -> None:
        """Remember why documents failed; forget old failures of documents that went in."""
        by_name = {Path(m.source_path).name: doc_id for doc_id, m in self.corpus.entries().items()}
        with self._guard:
            for doc_id in [*report.added, *report.replaced, *report.unchanged, *report.relabelled]:
                self._failures.pop(doc_id, None)
            for name, reason in report.failed:
                doc_id = by_name.get(Path(name).name)
                if doc_id:
                    self._failures[doc_id] = reason

    def _recover(self) -> None:
        """Finish what a crash interrupted in the folder; index the files that were put back."""
        restored = {path.name for path in self.corpus.recover()}
        for doc_id, meta in self.corpus.entries().items():
            if Path(meta.source_path).name in restored:
                self._queue_ingest(doc_id, self.corpus.path_of(meta), "herstel")

    # ----------------------------------------------------------------- helpers
    def _row(
        self,
        doc_id: str,
        entry: DocumentMeta | None,
        record: DocumentRecord | None,
        busy: set[str],
    ) -> dict[str, Any]:
        meta = entry or record
        path = self.corpus.path_of(entry) if entry else Path(record.file) if record.file else None
        if doc_id in busy:
            status, reason = "bezig", ""
        elif doc_id in self._failures:
            status, reason = "mislukt", self._failures[doc_id]
        elif record is not None:
            status, reason = "klaar", ""
        else:
            status, reason = "mislukt", NOT_INDEXED
        fields = {k: v for k, v in meta.meta_dict().items() if k != "source_path"}
        return {
            **fields,
            "file": path.name if path else "",
            "status": status,
            "reason": reason,
            "pages": record.pages if record else 0,
            "chunks": record.chunk_count if record else 0,
            "sha256": (record.sha256 if record else "") or self._file_sha(path),
            "flagged_sentences": record.flagged_sentences if record else 0,
        }

    def _located(self, doc_id: str) -> tuple[DocumentMeta, Path]:
        """A document's metadata and its file, which must lie in the corpus folder."""
        entry = self.corpus.entries().get(doc_id)
        if entry is not None:
            return entry, self.corpus.path_of(entry)
        record = self.index.documents().get(doc_id)
        if record is None:
            raise NotFoundError(f"Document '{escape_controls(doc_id)}' bestaat niet.")
        path = Path(record.file)
        if not record.file or not path.resolve().is_relative_to(self.corpus.root.resolve()):
            raise ConflictError(
                "Dit document staat niet in de documentenmap; beheer het daar waar het "
                "vandaan komt."
            )
        return record, path

    def _relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.corpus.root.resolve()).as_posix()

    def _big(self) -> str:
        mb = f"{self.limits.max_file_mb:g}".replace(".", ",")
        return f"Het bestand is groter dan {mb} MB (ASSISTANT_MAX_FILE_MB)."

    def _check_readable(self, path: Path, filename: str) -> None:
        """Parse the upload once now, so an unreadable or oversized file is refused at once."""
        name = escape_controls(Path(filename).name)
        try:
            load_document(path, self.limits)
        except IntakeLimitError as exc:
            raise TooLargeError(f"{name}: {exc.reason}") from exc
        except DocumentError as exc:
            raise InvalidInputError(f"{name} is niet leesbaar: {exc.reason}") from exc

    def _check_new(self, sha256: str) -> None:
        """ConflictError naming the document that has these very bytes already."""
        for row in self.documents():
            if row["sha256"] == sha256:
                raise ConflictError(
                    f"Dit bestand staat al in de documenten als '{row['title']}' "
                    f"(id {row['doc_id']})."
                )

    def _new_id(self, title: str, suffix: str) -> str:
        """A free document id from the title; its file name is the id plus the suffix."""
        taken = set(self.corpus.entries()) | set(self.index.documents())
        base = slugify(title)[:60].strip("-") or "document"
        for n in range(1, 10_000):
            doc_id = base if n == 1 else f"{base}-{n}"
            file = self.corpus.root / (doc_id + suffix)
            if doc_id not in taken and not file.exists():
                return doc_id
        raise ConflictError("Er is geen vrije naam voor dit document; kies een andere titel.")

    def _file_sha(self, path: Path | None) -> str:
        """sha256 of a file (cached by size and modification time); '' if it is missing."""
        if path is None or not path.is_file():
            return ""
        key = _stat_key(path)
        if key not in self._sha_cache:
            digest = hashlib.sha256()
            with open(path, "rb") as stream:
                while piece := stream.read(MB):
                    digest.update(piece)
            self._sha_cache[key] = digest.hexdigest()
        return self._sha_cache[key]


def _stat_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def validated(fields: Mapping[str, Any]) -> DocumentMeta:
    """DocumentMeta from form fields, or InvalidInputError naming the field in Dutch."""
    text = {key: _text(key, fields.get(key)) for key in DocumentMeta.__dataclass_fields__}
    if not text["title"]:
        raise InvalidInputError("Geef een titel op.")
    if len(text["title"]) > TITLE_CHARS:
        raise InvalidInputError(f"De titel mag hoogstens {TITLE_CHARS} tekens lang zijn.")
    if text["type"] not in DOC_TYPES:
        raise InvalidInputError(f"Kies als type een van: {', '.join(DOC_TYPES)}.")
    if len(text["publisher"]) > FIELD_CHARS:
        raise InvalidInputError(f"De uitgever mag hoogstens {FIELD_CHARS} tekens lang zijn.")
    if text["date"] and not _valid_date(text["date"]):
        raise InvalidInputError("De datum moet JJJJ, JJJJ-MM of JJJJ-MM-DD zijn, bv. 2024-03.")
    text["language"] = text["language"] or "nl"
    if not _LANGUAGE.fullmatch(text["language"]):
        raise InvalidInputError("De taal is een code van twee letters, bv. nl of en.")
    if text["url"] and (len(text["url"]) > URL_CHARS or not _URL.fullmatch(text["url"])):
        raise InvalidInputError("De link moet met http:// of https:// beginnen (zonder spaties).")
    return DocumentMeta(**text)


def _text(key: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError(f"Het veld '{key}' moet tekst zijn.")
    if _CONTROL.search(value):
        raise InvalidInputError(f"Het veld '{key}' bevat stuurtekens (zoals een regeleinde).")
    return " ".join(value.split())


def _valid_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True
