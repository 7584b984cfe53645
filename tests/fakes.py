"""The one set of test fakes: an embedder, a chat model, a retriever and an answerer.

Registered through the composition root, never monkeypatched in:
    Container(settings, retriever=FakeRetriever(chunks), chat_model=FakeChatModel([...]))
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from assistant.answering.types import Answer, Citation, Turn
from assistant.container import Container
from assistant.core.errors import InvalidInputError
from assistant.core.settings import Settings
from assistant.core.text import stems
from assistant.core.types import Chunk, DocumentRecord, Filters, Hit
from assistant.services import Services

FIXTURES = Path(__file__).resolve().parent / "fixtures"


class HashEmbedder:
    """Deterministic bag-of-words hashing embedder: similar words, similar vectors."""

    name = "hash-test"
    dimension = 64

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.sha256(word.encode()).digest()
            vec[digest[0] % self.dimension] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, 64))

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


class CountingEmbedder:
    """Wraps an embedder (fake or real) and counts the passages it embeds."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.dimension = inner.name, inner.dimension
        self.passages = 0

    def embed_passages(self, texts):
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)

    def __getattr__(self, name):  # sparse_passages, has_sparse, ...: the inner one's
        return getattr(self.inner, name)


class FakeChatModel(BaseChatModel):
    """Queue-driven fake LLM (a real langchain chat model) that records every prompt.

    A reply that is an Exception instance is raised instead of returned.
    """

    replies: list = Field(default_factory=list)
    prompts: list = Field(default_factory=list)

    def __init__(self, replies: Sequence[object] = (), **kwargs: object) -> None:
        super().__init__(replies=list(replies), **kwargs)

    @property
    def _llm_type(self) -> str:
        return "fake-chat"

    def _next(self, messages: list[BaseMessage]) -> str:
        self.prompts.append(list(messages))
        if not self.replies:
            raise AssertionError("FakeChatModel ran out of replies")
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return str(reply)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        text = self._next(messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        text = self._next(messages)
        for piece in re.findall(r"\S+\s*", text):
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


def words(text: str) -> set[str]:
    """Lower-cased words of three letters or more."""
    return set(re.findall(r"\w{3,}", text.lower()))


class FakeRetriever:
    """List-backed retriever: ranks chunks by shared words plus hash-embedding cosine.

    `files` maps a doc id to the path of its original file (for the documents registry).
    """

    def __init__(
        self,
        chunks: Sequence[Chunk],
        embedder: HashEmbedder | None = None,
        files: dict[str, str] | None = None,
    ) -> None:
        self._chunks = list(chunks)
        self.embedder = embedder or HashEmbedder()
        self.files = files or {}
        self.queries: list[str] = []
        self.ks: list[int] = []
        self.refreshed = 0
        self.records: dict[str, DocumentRecord] | None = None  # set by FakeCorpusIndexer

    @property
    def chunks(self) -> list[Chunk]:
        return self._chunks

    @property
    def vocabulary(self) -> frozenset[str]:
        if getattr(self, "_vocabulary", None) is None:
            self._vocabulary = frozenset(
                s for c in self._chunks for s in stems(f"{c.section} {c.text}")
            )
        return self._vocabulary

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        self.queries.append(query)
        self.ks.append(k)
        filters = filters or Filters()
        q = self.embedder.embed_query(query)
        wanted = words(query)
        scored = []
        for chunk in self._chunks:
            if not filters.matches(chunk):
                continue
            overlap = len(wanted & words(chunk.text))
            dense = float(self.embedder.embed_passages([chunk.text])[0] @ q)
            scored.append((overlap + dense, chunk, dense, float(overlap)))
        scored.sort(key=lambda row: -row[0])
        return [
            Hit(chunk=c, score=s, dense_rank=i + 1, dense_score=d, lexical_score=o or None)
            for i, (s, c, d, o) in enumerate(scored[:k])
        ]

    def documents(self) -> dict[str, DocumentRecord]:
        if self.records is not None:
            return dict(self.records)
        records = {}
        for doc_id in dict.fromkeys(c.doc_id for c in self._chunks):
            mine = [c for c in self._chunks if c.doc_id == doc_id]
            first = mine[0]
            records[doc_id] = DocumentRecord(
                doc_id=doc_id,
                title=first.title,
                type=first.type,
                publisher=first.publisher,
                date=first.date,
                doc_hash=first.doc_hash,
                chunk_count=len(mine),
                pages=max(c.page_end for c in mine),
                file=self.files.get(doc_id, ""),
            )
        return records

    def refresh(self) -> None:
        self.refreshed += 1


class FakeAnswering:
    """Quotes the best passages with [n] markers; refuses when no passage shares a word."""

    mode = "extractief"

    def __init__(self, retriever: FakeRetriever) -> None:
        self.retriever = retriever
        self.calls: list[tuple[str, list[Turn], Filters | None]] = []
        self.refreshed = 0

    def answer(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> Answer:
        if not question.strip():
            raise InvalidInputError("De vraag is leeg.")
        self.calls.append((question, list(history or []), filters))
        wanted = {w for w in words(question) if len(w) > 3}
        hits = [
            h
            for h in self.retriever.search(question, k=2, filters=filters)
            if wanted & words(h.chunk.text + " " + h.chunk.section)
        ]
        if not hits:
            return Answer(
                text="Daarover staat niets in de documenten.",
                citations=[],
                refused=True,
                mode="extractief",
            )
        citations = [Citation.of(i, h) for i, h in enumerate(hits, start=1)]
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

    def refresh(self) -> None:
        self.refreshed += 1


class FakeIndexer:
    """Records ingest calls; returns a canned report object.

    Given a FakeRetriever it ingests like the pipeline instead (FakeCorpusIndexer below).
    A `gate` (threading.Event) holds every ingest until it is set.
    """

    def __init__(
        self,
        report: object | None = None,
        error: Exception | None = None,
        gate: threading.Event | None = None,
    ) -> None:
        self.calls: list[tuple[list[Path], bool]] = []
        self.removed: list[str] = []
        self.report = report
        self.error = error
        self.gate = gate

    def ingest(self, paths, *, rebuild=False, progress=None):
        self.calls.append((list(paths), rebuild))
        if self.gate is not None:
            self.gate.wait(30)
        if self.error is not None:
            raise self.error
        return self._run(list(paths))

    def _run(self, paths: list[Path]):
        return self.report

    def remove(self, doc_ids):
        self.removed.extend(doc_ids)
        return list(doc_ids)


class FakeCorpusIndexer(FakeIndexer):
    """Ingests files of a corpus folder into a FakeRetriever, as the pipeline would: one chunk
    per page; unchanged bytes are skipped, a change of editable fields only relabels the
    chunks (counted apart from `embedded`), documents whose file is gone are dropped."""

    def __init__(self, retriever: FakeRetriever, **kwargs) -> None:
        super().__init__(**kwargs)
        self.retriever = retriever
        retriever.records = {}
        self.embedded = 0

    def _run(self, paths: list[Path]):
        from ingest.pipeline import IngestReport

        report = IngestReport()
        for path in paths:
            files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
            for file in files:
                if not file.name.startswith(".") and file.name != "manifest.yaml":
                    self._one(file, report)
        for doc_id, record in list(self.retriever.records.items()):
            if not Path(record.file).exists():
                self.remove([doc_id])
                report.deleted.append(doc_id)
        return report

    def _one(self, file: Path, report) -> None:
        from assistant.core.errors import DocumentError
        from ingest.loaders import load_document
        from ingest.manifest import load_manifest, lookup_meta

        meta = lookup_meta(file, file.parent, load_manifest(file.parent))
        if meta is None or not file.exists():
            report.fail(file, "bestand of map bestaat niet" if meta else "niet in het manifest")
            return
        sha = hashlib.sha256(file.read_bytes()).hexdigest()
        previous = self.retriever.records.get(meta.doc_id)
        record = DocumentRecord(**meta.meta_dict(), file=str(file.resolve()), sha256=sha)
        if previous is not None and previous.sha256 == sha:
            chunks = [c for c in self.retriever._chunks if c.doc_id == meta.doc_id]
            record = dataclasses.replace(
                record, chunk_count=previous.chunk_count, pages=previous.pages, doc_hash=sha
            )
            relabel = previous.meta_dict() != record.meta_dict()
            (report.relabelled if relabel else report.unchanged).append(meta.doc_id)
            self._replace(meta.doc_id, [Chunk.of(meta, **_place(c)) for c in chunks], record)
            return
        try:
            doc = load_document(file)
        except DocumentError as exc:
            report.fail(file, exc.reason)
            return
        chunks = [
            Chunk.of(
                meta,
                chunk_id=f"{meta.doc_id}-{sha[:8]}-{page.number}",
                text=" ".join(page.text.split()),
                page_start=page.number,
                page_end=page.number,
                section="",
                position=page.number - 1,
                doc_hash=sha,
            )
            for page in doc.pages
            if page.text.strip()
        ]
        self.embedded += len(chunks)
        record = dataclasses.replace(
            record, chunk_count=len(chunks), pages=len(doc.pages), doc_hash=sha
        )
        (report.replaced if previous else report.added).append(meta.doc_id)
        self._replace(meta.doc_id, chunks, record)

    def _replace(self, doc_id: str, chunks: list[Chunk], record: DocumentRecord) -> None:
        others = [c for c in self.retriever._chunks if c.doc_id != doc_id]
        self.retriever._chunks = others + chunks
        self.retriever.records[doc_id] = record

    def remove(self, doc_ids):
        gone = [d for d in doc_ids if self.retriever.records.pop(d, None) is not None]
        self.retriever._chunks = [c for c in self.retriever._chunks if c.doc_id not in doc_ids]
        self.removed.extend(gone)
        return gone


def _place(chunk: Chunk) -> dict:
    """A chunk's own fields (not the document's), to rebuild it under new metadata."""
    keep = ("chunk_id", "text", "page_start", "page_end", "section", "position", "doc_hash")
    return {k: getattr(chunk, k) for k in keep}


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


def serving_chunks() -> list[Chunk]:
    """Four short passages of two documents (an advice and a case), for serving tests."""
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


def load_fixture_chunks(name: str = "answering_chunks.json") -> list[Chunk]:
    """Chunks written from the OCR text of the corpus PDF (tests/fixtures)."""
    rows = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return [Chunk(**row) for row in rows]


def fake_container(settings: Settings, chunks: Sequence[Chunk] | None = None, **parts) -> Container:
    """A container over fixture chunks with a hash embedder; further parts may be given."""
    retriever = parts.pop("retriever", None) or FakeRetriever(
        load_fixture_chunks() if chunks is None else chunks
    )
    parts.setdefault("chat_model", None)
    return Container(settings, embedder=retriever.embedder, retriever=retriever, **parts)


def fake_services(settings: Settings, chunks: Sequence[Chunk], **parts) -> Services:
    """Serving on fakes: a FakeAnswering over the given chunks unless parts say otherwise."""
    retriever = parts.pop("retriever", None) or FakeRetriever(chunks, files=parts.pop("files", {}))
    parts.setdefault("answering", FakeAnswering(retriever))
    return Services(fake_container(settings, retriever=retriever, **parts))


def make_services(
    settings: Settings, *, corpus_file: Path | None = None, indexer: FakeIndexer | None = None
) -> Services:
    """Serving on the four serving passages; `corpus_file` becomes advies-2022's original."""
    files = {"advies-2022": str(corpus_file)} if corpus_file else {}
    retriever = FakeRetriever(serving_chunks(), files=files)
    return fake_services(
        settings, [], retriever=retriever, indexer=indexer or FakeIndexer(), chat_model=None
    )


def library_services(settings: Settings, **parts) -> Services:
    """Serving whose index starts empty and is filled by a FakeCorpusIndexer from the corpus
    folder of the settings (use a temporary one: Beheer writes to it)."""
    retriever = FakeRetriever([])
    indexer = FakeCorpusIndexer(retriever, gate=parts.pop("gate", None))
    return fake_services(settings, [], retriever=retriever, indexer=indexer, **parts)
