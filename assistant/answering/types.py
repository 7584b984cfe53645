"""The Answer object that UI, API, CLI and evals all receive."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from assistant.core.types import Hit

Mode = Literal["extractief", "generatief"]


@dataclass(frozen=True)
class Turn:
    """One earlier message in a conversation."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class Citation:
    """A numbered source an answer rests on; `text` is the full cited chunk."""

    n: int
    doc_id: str
    title: str
    type: str
    page: str  # '3' or '3-4'
    section: str
    text: str
    score: float
    chunk_id: str = ""

    @classmethod
    def of(cls, n: int, hit: Hit) -> Citation:
        """The citation numbered n for a retrieved hit (text = the full chunk)."""
        c = hit.chunk
        return cls(
            n, c.doc_id, c.title, c.type, c.pages, c.section, c.text, float(hit.score), c.chunk_id
        )


@dataclass
class Answer:
    """An answer with its citations, as every front end receives it."""

    text: str
    citations: list[Citation]
    refused: bool
    mode: Mode
    language: str = "nl"
    timings: dict[str, float] = field(default_factory=dict)
    query: str = ""  # the standalone query used for retrieval (after follow-up rewriting)
    notes: list[str] = field(default_factory=list)  # e.g. fallback notices, flags
    flagged: bool = False  # generated answer had citations removed by the citation check
    retrieved: list[str] = field(default_factory=list)  # chunk ids retrieval ranked, best first

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the --json output and the API body)."""
        return asdict(self)
