"""The Brief and its parts, as every front end (CLI, API, UI) receives it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from assistant.core.types import Chunk

Origin = Literal["bron", "model", "sjabloon"]  # quoted, rewritten and checked, template text


@dataclass(frozen=True)
class BriefRequest:
    """Checked input for one brief."""

    theme: str
    sector: str = ""
    size: int | None = None  # employees of the participants' companies
    duration: int = 90  # minutes


@dataclass(frozen=True)
class Source:
    """One numbered source: a passage of a document, with what is needed to cite it."""

    n: int
    chunk_id: str
    doc_id: str
    title: str
    publisher: str
    date: str
    pages: str
    section: str
    type: str
    text: str
    reference: str = ""  # the document as cited: title, publisher, date
    location: str = ""  # where in it: page(s) and section

    @classmethod
    def of(cls, n: int, chunk: Chunk, reference: str = "", location: str = "") -> Source:
        """Source n for a chunk; every other field comes from the chunk."""
        inherited = {name: getattr(chunk, name) for name in _FROM_CHUNK}
        return cls(n=n, pages=chunk.pages, reference=reference, location=location, **inherited)


_FROM_CHUNK = ("chunk_id", "doc_id", "title", "publisher", "date", "section", "type", "text")


@dataclass(frozen=True)
class BriefItem:
    """One point of a section; `sources` are the numbers [n] it cites."""

    text: str
    sources: tuple[int, ...] = ()
    details: tuple[str, ...] = ()  # list items under a lead-in, from the same source
    origin: Origin = "bron"
    label: str = ""  # e.g. '10-25 min' in the outline
    children: tuple[BriefItem, ...] = ()  # e.g. how the sources suggest handling a barrier
    original: str = ""  # the quoted text when `text` was rewritten by the language model


@dataclass(frozen=True)
class BriefSection:
    """A titled section: an optional fixed intro and its points."""

    key: str
    heading: str
    items: tuple[BriefItem, ...] = ()
    intro: str = ""


@dataclass(frozen=True)
class Brief:
    """A session brief: title, audience, sections of cited points and the source list."""

    title: str
    audience: str
    note: str
    request: BriefRequest
    mode: Literal["extractief", "generatief"]
    sections: tuple[BriefSection, ...]
    sources: tuple[Source, ...]
    sources_heading: str = "Bronnen"
    footer: str = ""
    notes: tuple[str, ...] = field(default=())  # e.g. why the language model was not used

    def section(self, key: str) -> BriefSection:
        """The section with this key (KeyError when absent)."""
        return next(s for s in self.sections if s.key == key)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the API body, the CLI's .json output)."""
        return asdict(self)
