"""Plain data types shared by ingest, retrieval, answering and evals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from assistant.core.errors import InvalidInputError

DOC_TYPES = ("advies", "succesfactoren", "casus", "overig")
SIGNATURE_SECTION = "Ondertekening"  # a letter's closing and signatories (set by chunking)
MIN_YEAR, MAX_YEAR = 1900, 2100  # a year filter outside this range is a typo


@dataclass(frozen=True)
class DocumentMeta:
    """What the manifest (or the file itself) says about one document."""

    doc_id: str
    title: str
    type: str = "overig"
    publisher: str = ""
    date: str = ""  # ISO date or year, as given in the manifest
    language: str = "nl"
    url: str = ""
    source_path: str = ""  # path relative to the corpus dir, for opening the original

    @property
    def year(self) -> int | None:
        """Year of publication, if the date starts with one."""
        head = self.date[:4]
        return int(head) if head.isdigit() else None

    def meta_dict(self) -> dict[str, Any]:
        """Only the DocumentMeta fields (also of a subclass such as DocumentRecord)."""
        return {f.name: getattr(self, f.name) for f in fields(DocumentMeta)}


@dataclass(frozen=True, kw_only=True)
class DocumentRecord(DocumentMeta):
    """The index's registry entry of one live document version: its meta plus index facts."""

    doc_hash: str = ""
    chunk_count: int = 0
    pages: int = 0
    file: str = ""  # absolute path of the ingested file, to notice when it is removed
    flagged_sentences: int = 0  # sentences addressed to an assistant (never quoted)
    sha256: str = ""  # of the file's bytes, to recognise the same content uploaded again

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentRecord:
        """A record from its stored form; keys this version does not know are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class Chunk:
    """A citable passage of a document, with everything needed to cite it."""

    chunk_id: str
    doc_id: str
    text: str
    title: str
    type: str
    page_start: int
    page_end: int
    section: str
    position: int  # order of the chunk within its document, from 0
    doc_hash: str  # content hash of the whole document version this chunk belongs to
    publisher: str = ""
    date: str = ""
    year: int | None = None
    language: str = "nl"
    source_path: str = ""

    @property
    def pages(self) -> str:
        """Human form of the page range: '3' or '3-4'."""
        if self.page_end != self.page_start:
            return f"{self.page_start}-{self.page_end}"
        return str(self.page_start)

    @classmethod
    def of(cls, meta: DocumentMeta, **place: Any) -> Chunk:
        """A chunk of a document: its meta fields plus id, text and place (page, section...)."""
        inherited = {k: v for k, v in meta.meta_dict().items() if k in CHUNK_META_FIELDS}
        return cls(**inherited, year=meta.year, **place)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return asdict(self)


# The document fields every chunk carries, so a citation needs no registry lookup.
CHUNK_META_FIELDS = ("doc_id", "title", "type", "publisher", "date", "language", "source_path")

# Document fields an editor may change without re-indexing: they are only copied into the
# registry and the chunks' metadata, never into chunk text, ids or vectors, so they stay out of
# the content hash and an edit updates the stored metadata in place.
EDITABLE_FIELDS = ("title", "type", "publisher", "date", "url")


def chunk_labels(meta: DocumentMeta) -> dict[str, Any]:
    """The editable fields as each chunk of the document stores them (year derived from date)."""
    labels = {k: getattr(meta, k) for k in EDITABLE_FIELDS if k in CHUNK_META_FIELDS}
    return {**labels, "year": meta.year}


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the rank it had in each retriever."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_score: float | None = None
    lexical_score: float | None = None
    sparse_rank: int | None = None
    sparse_score: float | None = None
    sentence_rank: int | None = None  # rank by the passage's best sentence (BM25)
    sentence_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "chunk": self.chunk.to_dict(),
            "score": self.score,
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
            "dense_score": self.dense_score,
            "lexical_score": self.lexical_score,
            "sparse_rank": self.sparse_rank,
            "sparse_score": self.sparse_score,
            "sentence_rank": self.sentence_rank,
            "sentence_score": self.sentence_score,
        }


@dataclass(frozen=True)
class Filters:
    """Optional metadata filters for retrieval. Empty fields do not filter."""

    types: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        bad = [y for y in self.years if not MIN_YEAR <= y <= MAX_YEAR]
        if bad:
            raise InvalidInputError(
                f"Ongeldig jaar in filter: {bad[0]} (kies een jaar van {MIN_YEAR} t/m {MAX_YEAR})."
            )

    def is_empty(self) -> bool:
        """True when no field filters anything."""
        return not (self.types or self.publishers or self.years or self.doc_ids)

    def _clauses(self) -> list[tuple[str, tuple]]:
        """(chunk field, allowed values) for every non-empty filter."""
        pairs = [
            ("type", self.types),
            ("publisher", self.publishers),
            ("year", self.years),
            ("doc_id", self.doc_ids),
        ]
        return [(name, values) for name, values in pairs if values]

    def matches(self, chunk: Chunk) -> bool:
        """Whether a chunk passes every non-empty filter."""
        return all(getattr(chunk, name) in values for name, values in self._clauses())

    def where(self) -> list[dict[str, Any]]:
        """The same filter as Chroma `where` clauses on the chunk metadata (AND-ed)."""
        return [{name: {"$in": list(values)}} for name, values in self._clauses()]
