"""The serving container: answering service, retriever, feedback store and settings.

Built once in the entry point (`build_services`) and handed to the API and UI, which
only call methods here. Tests build `Services` directly with fakes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from assistant.answering.types import Answer, Turn
from assistant.answering.validation import clean_history, clean_question
from assistant.core.errors import AssistantError
from assistant.core.settings import Settings
from assistant.core.types import Chunk, Filters, Hit
from assistant.feedback import FeedbackStore

log = logging.getLogger(__name__)

MAX_QUESTION = 2000  # characters; the answering service enforces the same
MAX_HISTORY = 20  # turns accepted by the API
ORIGINAL_SUFFIXES = (".pdf", ".txt", ".md", ".docx")


class NotFoundError(AssistantError):
    """A document, page or file that was asked for does not exist."""


class BusyError(AssistantError):
    """An admin action is already running."""


class AnsweringService(Protocol):
    """What serving needs from the answering service."""

    def answer(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> Answer:
        """A complete answer with citations."""
        ...

    def stream(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> Iterator[Any]:
        """Text pieces as they are produced, ending with the complete Answer."""
        ...


class SearchIndex(Protocol):
    """What serving needs from the retriever (HybridRetriever fits)."""

    store: Any  # has documents() -> dict[str, DocumentRecord]

    @property
    def chunks(self) -> list[Chunk]:
        """The live chunks."""
        ...

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The best k hits, best first."""
        ...

    def refresh(self) -> None:
        """Reload the live chunks after an ingest."""
        ...


StreamEvent = tuple[Literal["token"], str] | tuple[Literal["answer"], Answer]
Reindexer = Callable[["Services"], dict[str, Any]]


@dataclass
class Services:
    """Everything the API and UI call, built once per process."""

    settings: Settings
    answering: AnsweringService
    retriever: SearchIndex
    feedback: FeedbackStore
    reindexer: Reindexer | None = None
    _ingest_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # ------------------------------------------------------------------ facts
    @property
    def mode(self) -> str:
        """'generatief' when the service has a language model, else 'extractief'."""
        mode = getattr(self.answering, "mode", None)
        return mode or ("generatief" if self.settings.llm else "extractief")

    def health(self) -> dict[str, Any]:
        """Liveness plus facts about the index."""
        records = self.retriever.store.documents()
        return {
            "status": "ok",
            "documents": len(records),
            "chunks": len(self.retriever.chunks),
            "embedder": getattr(self.retriever.store, "embedder_name", ""),
            "mode": self.mode,
            "llm": self.settings.llm or None,
        }

    def documents(self) -> list[dict[str, Any]]:
        """The live documents with metadata and chunk counts, sorted by title."""
        records = self.retriever.store.documents().values()
        rows = [
            {
                "doc_id": r.doc_id,
                "title": r.title,
                "type": r.type,
                "publisher": r.publisher,
                "date": r.date,
                "language": r.language,
                "url": r.url,
                "pages": r.pages,
                "chunks": r.chunk_count,
                "has_file": self._original_path(r) is not None,
            }
            for r in records
        ]
        return sorted(rows, key=lambda row: (row["title"].lower(), row["doc_id"]))

    def doc_types(self) -> list[str]:
        """Document types present in the index."""
        return sorted({r.type for r in self.retriever.store.documents().values()})

    # --------------------------------------------------------------- answers
    def ask(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Answer:
        """Answer one question (with earlier turns as context)."""
        return self.answering.answer(clean_question(question), clean_history(history), filters)

    def stream(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Iterator[StreamEvent]:
        """('token', text) events as the answer grows, then one ('answer', Answer).

        Input is checked here, before the first event, so bad input fails fast (a 4xx).
        The final Answer's text is the checked one; show it in place of the tokens.
        """
        question, turns = clean_question(question), clean_history(history)
        return self._events(question, turns, filters)

    def _events(
        self, question: str, history: list[Turn], filters: Filters | None
    ) -> Iterator[StreamEvent]:
        final: Answer | None = None
        for item in self.answering.stream(question, history, filters):
            if isinstance(item, Answer):
                final = item
            elif isinstance(item, str) and item:
                yield ("token", item)
        if final is None:  # a stream that only yields text: ask for the full object
            final = self.answering.answer(question, history, filters)
        yield ("answer", final)

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The best passages for a query."""
        return self.retriever.search(clean_question(query), k=k, filters=filters)

    # ------------------------------------------------------------ documents
    def page(self, doc_id: str, page: int) -> dict[str, Any]:
        """The passages of one page of a document, in reading order."""
        record = self._record(doc_id)
        passages = [
            c
            for c in self.retriever.chunks
            if c.doc_id == doc_id and c.page_start <= page <= c.page_end
        ]
        if not passages:
            raise NotFoundError(f"Pagina {page} van dit document heeft geen tekst in de index.")
        passages.sort(key=lambda c: c.position)
        return {
            "doc_id": doc_id,
            "title": record.title,
            "type": record.type,
            "page": page,
            "pages": record.pages,
            "passages": [
                {
                    "chunk_id": c.chunk_id,
                    "section": c.section,
                    "text": c.text,
                    "page_start": c.page_start,
                    "page_end": c.page_end,
                    "position": c.position,
                }
                for c in passages
            ],
        }

    def original_file(self, doc_id: str) -> Path:
        """The original file of a document, only if it lies inside the corpus folder."""
        path = self._original_path(self._record(doc_id))
        if path is None:
            raise NotFoundError("Het originele bestand van dit document is niet beschikbaar.")
        return path

    def _record(self, doc_id: str) -> Any:
        record = self.retriever.store.documents().get(doc_id)
        if record is None:
            raise NotFoundError(f"Document '{doc_id}' bestaat niet.")
        return record

    def _original_path(self, record: Any) -> Path | None:
        """Resolved path of the ingested file; None unless it is a file under corpus_dir."""
        if not record.file:
            return None
        root = Path(self.settings.corpus_dir).resolve()
        path = Path(record.file).resolve()
        if not path.is_relative_to(root) or path.suffix.lower() not in ORIGINAL_SUFFIXES:
            return None
        return path if path.is_file() else None

    # ---------------------------------------------------------------- admin
    def reindex(self) -> dict[str, Any]:
        """Re-ingest the corpus folder and refresh the retriever; one run at a time."""
        if self.reindexer is None:
            raise BusyError("Opnieuw indexeren is in deze omgeving niet beschikbaar.")
        if not self._ingest_lock.acquire(blocking=False):
            raise BusyError("Er loopt al een indexering. Probeer het later opnieuw.")
        try:
            report = self.reindexer(self)
            self.retriever.refresh()
            refresh = getattr(self.answering, "refresh", None)
            if callable(refresh):
                refresh()
            return report
        finally:
            self._ingest_lock.release()


def _ingest_corpus(services: Services) -> dict[str, Any]:
    from ingest.pipeline import ingest_paths

    settings = services.settings
    embedder = services.retriever.embedder  # type: ignore[attr-defined]
    report = ingest_paths(settings, embedder, [Path(settings.corpus_dir)], progress=False)
    log.info(
        "reindex done added=%s replaced=%s deleted=%s failed=%s",
        len(report.added),
        len(report.replaced),
        len(report.deleted),
        len(report.failed),
    )
    return report.to_dict()


def build_services(settings: Settings) -> Services:
    """Build the real services (answering service, retriever, feedback) once."""
    from assistant.core.retrieval import open_retriever

    answering, retriever = _build_answering(settings)
    if retriever is None:
        retriever = open_retriever(settings)
    return Services(
        settings=settings,
        answering=answering,
        retriever=retriever,
        feedback=FeedbackStore.from_settings(settings),
        reindexer=_ingest_corpus,
    )


def _build_answering(settings: Settings) -> tuple[AnsweringService, Any]:
    """The answering service and the retriever it searches with (shared, refreshed together)."""
    from assistant.answering.service import build_answering_service

    service = build_answering_service(settings)
    return service, getattr(service, "retriever", None)
