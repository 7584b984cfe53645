"""What the front ends (API, UI) call: questions, documents, briefs, feedback, re-indexing.

A thin facade over the Container (assistant/container.py), which builds the components;
`Services(container)` is made once in the entry point and handed to the API and UI.
Tests build it on a Container with fakes registered.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from assistant.answering.types import Answer, Turn
from assistant.answering.validation import clean_history, clean_question
from assistant.briefing.service import BriefingService
from assistant.container import Container
from assistant.core.adminlogin import AdminLogin
from assistant.core.errors import NotFoundError
from assistant.core.retrieval import Retriever
from assistant.core.types import DocumentRecord, Filters, Hit
from assistant.feedback import FeedbackStore
from assistant.selfscan.service import SelfScanService

if TYPE_CHECKING:
    from assistant.library.service import Library

log = logging.getLogger(__name__)

ORIGINAL_SUFFIXES = (".pdf", ".txt", ".md", ".docx")


class Answerer(Protocol):
    """What serving needs from the answering service."""

    @property
    def mode(self) -> str:
        """'generatief' with a language model, else 'extractief'."""
        ...

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

    def refresh(self) -> None:
        """Catch up with a re-indexed corpus."""
        ...


StreamEvent = tuple[Literal["token"], str] | tuple[Literal["answer"], Answer]


class Services:
    """Everything the API and UI call, on one container built once per process."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.settings = container.settings
        self.admin = AdminLogin(self.settings.admin_token, self.settings.admin_session_s)

    @property
    def answering(self) -> Answerer:
        """The answering service."""
        return self.container.answering

    @property
    def retriever(self) -> Retriever:
        """The live search index."""
        return self.container.retriever

    @property
    def feedback(self) -> FeedbackStore:
        """The feedback database."""
        return self.container.feedback

    @property
    def library(self) -> Library:
        """Document management (Beheer): upload, edit, delete, re-index, with statuses."""
        return self.container.library

    @property
    def briefing(self) -> BriefingService:
        """Session briefs."""
        return self.container.briefing

    @property
    def selfscan(self) -> SelfScanService:
        """The owners' self-scan."""
        return self.container.selfscan

    # ------------------------------------------------------------------ facts
    @property
    def mode(self) -> str:
        """'generatief' when the service has a language model, else 'extractief'."""
        return self.answering.mode

    def health(self) -> dict[str, Any]:
        """Liveness plus facts about the index."""
        records = self.retriever.documents()
        return {
            "status": "ok",
            "documents": len(records),
            "chunks": len(self.retriever.chunks),
            "embedder": self.retriever.embedder.name,
            "mode": self.mode,
            "llm": self.settings.llm or None,
        }

    def documents(self) -> list[dict[str, Any]]:
        """The live documents with metadata and chunk counts, sorted by title."""
        records = self.retriever.documents().values()
        rows = [
            {
                **r.meta_dict(),
                "pages": r.pages,
                "chunks": r.chunk_count,
                "has_file": self._original_path(r) is not None,
            }
            for r in records
        ]
        return sorted(rows, key=lambda row: (row["title"].lower(), row["doc_id"]))

    def doc_types(self) -> list[str]:
        """Document types present in the index."""
        return sorted({r.type for r in self.retriever.documents().values()})

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

    def search(self, query: str, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        """The best passages for a query (k defaults to the top_k setting)."""
        k = k or self.settings.top_k
        return self.retriever.search(clean_question(query), k=k, filters=filters)

    # ------------------------------------------------------------ documents
    def passages(self, chunk_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Live passages by chunk id (unknown ids are left out), in the order asked."""
        by_id = {c.chunk_id: c for c in self.retriever.chunks}
        return [
            {
                "chunk_id": c.chunk_id,
                "doc_id": c.doc_id,
                "title": c.title,
                "page": c.pages,
                "section": c.section,
                "text": c.text,
            }
            for c in (by_id.get(cid) for cid in dict.fromkeys(chunk_ids))
            if c is not None
        ]

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

    def _record(self, doc_id: str) -> DocumentRecord:
        record = self.retriever.documents().get(doc_id)
        if record is None:
            raise NotFoundError(f"Document '{doc_id}' bestaat niet.")
        return record

    def _original_path(self, record: DocumentRecord) -> Path | None:
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
        """Re-ingest the corpus folder and refresh the index; one index job at a time."""
        report = self.library.reindex(wait=True)
        log.info(
            "reindex done added=%s replaced=%s relabelled=%s deleted=%s failed=%s",
            len(report["added"]),
            len(report["replaced"]),
            len(report["relabelled"]),
            len(report["deleted"]),
            len(report["failed"]),
        )
        return report

    def disliked(self, limit: int = 200) -> list[dict[str, Any]]:
        """Thumbs-down feedback, newest first."""
        return list(reversed(self.feedback.list(rating="down")))[:limit]

    def export_candidates(self, out: Path) -> int:
        """Write thumbs-down feedback as candidate questions (JSONL), like the CLI export."""
        return self.container.export_candidates(out)
