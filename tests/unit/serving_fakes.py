"""Fakes for the serving layer (API, UI): a tiny index, a word-overlap retriever, an answerer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from assistant.answering.types import Answer, Citation, Turn
from assistant.core.errors import InvalidInputError
from assistant.core.settings import Settings
from assistant.core.store import DocumentRecord
from assistant.core.types import Chunk, Filters, Hit
from assistant.feedback import FeedbackStore
from assistant.services import Services

PASSAGES = [
    (
        "advies-2022",
        "Briefadvies sociale innovatie",
        "advies",
        1,
        "Inleiding",
        "Sociale innovatie is het vernieuwen van de arbeidsorganisatie en het beter benutten "
        "van talent van medewerkers.",
    ),
    (
        "advies-2022",
        "Briefadvies sociale innovatie",
        "advies",
        2,
        "Betrokkenheid",
        "Medewerkers raken meer betrokken wanneer zij meedenken over verbeteringen op de "
        "werkvloer.",
    ),
    (
        "advies-2022",
        "Briefadvies sociale innovatie",
        "advies",
        2,
        "Betrokkenheid",
        "Leidinggevenden geven ruimte en vertrouwen aan teams.",
    ),
    (
        "casus-metaal",
        "Casus metaalbedrijf",
        "casus",
        1,
        "Aanpak",
        "Het metaalbedrijf begon met een kleine werkgroep die knelpunten in de planning "
        "verzamelde.",
    ),
]


def make_chunks() -> list[Chunk]:
    """The fixture passages as chunks, positions in document order."""
    chunks = []
    for i, (doc_id, title, dtype, page, section, text) in enumerate(PASSAGES):
        chunks.append(
            Chunk(
                chunk_id=f"c{i}",
                doc_id=doc_id,
                text=text,
                title=title,
                type=dtype,
                page_start=page,
                page_end=page,
                section=section,
                position=i,
                doc_hash="h",
                publisher="SER Overijssel",
                date="2022",
                year=2022,
            )
        )
    return chunks


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


class FakeStore:
    embedder_name = "hash-test"

    def __init__(self, chunks: list[Chunk], files: dict[str, str]) -> None:
        self.records = {}
        for doc_id in dict.fromkeys(c.doc_id for c in chunks):
            mine = [c for c in chunks if c.doc_id == doc_id]
            self.records[doc_id] = DocumentRecord(
                doc_id=doc_id,
                doc_hash="h",
                chunk_count=len(mine),
                title=mine[0].title,
                type=mine[0].type,
                publisher="SER Overijssel",
                date="2022",
                pages=max(c.page_end for c in mine),
                file=files.get(doc_id, ""),
            )

    def documents(self) -> dict[str, DocumentRecord]:
        return dict(self.records)


class FakeRetriever:
    """Ranks the fixture chunks by shared words with the query."""

    def __init__(self, chunks: list[Chunk], files: dict[str, str] | None = None) -> None:
        self._chunks = chunks
        self.store = FakeStore(chunks, files or {})
        self.refreshed = 0

    @property
    def chunks(self) -> list[Chunk]:
        return self._chunks

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        filters = filters or Filters()
        q = _words(query)
        scored = [(len(q & _words(c.text + " " + c.section)), c) for c in self._chunks]
        scored = [(s, c) for s, c in scored if s > 0 and filters.matches(c)]
        scored.sort(key=lambda sc: (-sc[0], sc[1].position))
        return [Hit(chunk=c, score=float(s)) for s, c in scored[:k]]

    def refresh(self) -> None:
        self.refreshed += 1


class FakeAnswering:
    """Quotes the best passages with [n] markers; refuses when nothing matches."""

    def __init__(self, retriever: FakeRetriever) -> None:
        self.retriever = retriever
        self.calls: list[tuple[str, list[Turn], Filters | None]] = []

    def answer(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> Answer:
        if not question.strip():
            raise InvalidInputError("De vraag is leeg.")
        self.calls.append((question, list(history or []), filters))
        hits = self.retriever.search(question, k=2, filters=filters)
        if not hits:
            return Answer(
                text="Daarover staat niets in de documenten.",
                citations=[],
                refused=True,
                mode="extractief",
            )
        citations = [
            Citation(
                n=i,
                doc_id=h.chunk.doc_id,
                title=h.chunk.title,
                type=h.chunk.type,
                page=h.chunk.pages,
                section=h.chunk.section,
                text=h.chunk.text,
                score=h.score,
                chunk_id=h.chunk.chunk_id,
            )
            for i, h in enumerate(hits, start=1)
        ]
        text = " ".join(f"{c.text} [{c.n}]" for c in citations)
        return Answer(
            text=text, citations=citations, refused=False, mode="extractief", query=question
        )

    def stream(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> Iterator[object]:
        answer = self.answer(question, history, filters)
        for word in answer.text.split(" "):
            yield word + " "
        yield answer


def make_services(
    settings: Settings, *, corpus_file: Path | None = None, reindexer=None
) -> Services:
    """Services over the fixture passages; `corpus_file` becomes advies-2022's original."""
    files = {"advies-2022": str(corpus_file)} if corpus_file else {}
    retriever = FakeRetriever(make_chunks(), files)
    return Services(
        settings=settings,
        answering=FakeAnswering(retriever),
        retriever=retriever,
        feedback=FeedbackStore.from_settings(settings),
        reindexer=reindexer,
    )
