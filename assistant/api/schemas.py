"""Request and response bodies of the HTTP API (pydantic); limits live here."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.answering.types import Turn
from assistant.core.limits import (
    ANSWER_CHARS,
    HISTORY_MESSAGES,
    QUESTION_CHARS,
    REASON_CHARS,
    SEARCH_K,
    TURN_CHARS,
)
from assistant.core.types import DOC_TYPES, MAX_YEAR, MIN_YEAR, Filters

DocType = Literal[DOC_TYPES]  # type: ignore[valid-type]


class Strict(BaseModel):
    """Unknown fields are an error, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class TurnIn(Strict):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=TURN_CHARS)

    def to_turn(self) -> Turn:
        """The answering service's form."""
        return Turn(role=self.role, content=self.content)


class FiltersIn(Strict):
    types: list[DocType] = Field(default_factory=list, max_length=len(DOC_TYPES))
    publishers: list[str] = Field(default_factory=list, max_length=20)
    years: list[Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]] = Field(
        default_factory=list, max_length=50
    )
    doc_ids: list[str] = Field(default_factory=list, max_length=100)

    def to_filters(self) -> Filters:
        """The retrieval core's form."""
        return Filters(
            types=tuple(self.types),
            publishers=tuple(self.publishers),
            years=tuple(self.years),
            doc_ids=tuple(self.doc_ids),
        )


def filters_of(filters: FiltersIn | None) -> Filters | None:
    """Core filters or None."""
    return filters.to_filters() if filters else None


class AskRequest(Strict):
    question: str = Field(
        min_length=1, max_length=QUESTION_CHARS, examples=["Wat is sociale innovatie?"]
    )
    history: list[TurnIn] = Field(default_factory=list, max_length=HISTORY_MESSAGES)
    filters: FiltersIn | None = None

    def turns(self) -> list[Turn]:
        """History as answering-service turns."""
        return [t.to_turn() for t in self.history]


class SearchRequest(Strict):
    query: str = Field(min_length=1, max_length=QUESTION_CHARS)
    k: int | None = Field(None, ge=1, le=SEARCH_K, description="standaard: ASSISTANT_TOP_K")
    filters: FiltersIn | None = None


class _DocumentFields(BaseModel):
    """The core DocumentMeta fields every document answer carries."""

    doc_id: str
    title: str
    type: str
    publisher: str
    date: str
    language: str
    url: str


class DocumentOut(_DocumentFields):
    """A live document: the core DocumentMeta fields plus index facts (checked by a test)."""

    pages: int
    chunks: int
    has_file: bool


class ManagedDocumentOut(_DocumentFields):
    """A document as Beheer sees it: metadata, file, status (with reason), index facts."""

    file: str
    status: Literal["bezig", "klaar", "mislukt"]
    reason: str = Field(description="waarom het mislukte (leeg als het niet mislukte)")
    pages: int
    chunks: int
    sha256: str
    flagged_sentences: int = Field(description="zinnen gericht aan de assistent (nooit geciteerd)")


class DocumentPatch(Strict):
    """The editable metadata; a field left out stays as it is, url '' removes the link."""

    title: str | None = Field(None, min_length=1, max_length=300)
    type: DocType | None = None
    publisher: str | None = Field(None, max_length=200)
    date: str | None = Field(None, max_length=10, examples=["2024-03"])
    url: str | None = Field(None, max_length=500)

    def changes(self) -> dict[str, str]:
        """Only the fields that were given."""
        return {k: v for k, v in self.model_dump(exclude_unset=True).items() if v is not None}


class PassageOut(BaseModel):
    chunk_id: str
    section: str
    text: str
    page_start: int
    page_end: int
    position: int


class PassageRef(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    page: str
    section: str
    text: str


class PageOut(BaseModel):
    doc_id: str
    title: str
    type: str
    page: int
    pages: int
    passages: list[PassageOut]


class FeedbackIn(Strict):
    question: str = Field(min_length=1, max_length=QUESTION_CHARS)
    answer: str = Field(max_length=ANSWER_CHARS)
    citations: list[dict[str, Any]] = Field(default_factory=list, max_length=50)
    rating: Literal["up", "down"]
    reason: str | None = Field(None, max_length=REASON_CHARS)
    history: list[TurnIn] = Field(default_factory=list, max_length=HISTORY_MESSAGES)


class FeedbackCreated(BaseModel):
    id: int


class FeedbackItem(BaseModel):
    id: int
    created: float
    question: str
    answer: str
    citations: list[Any]
    rating: str
    reason: str
    mode: str
    source: str
    history: list[dict[str, Any]] = Field(default_factory=list)


class HealthOut(BaseModel):
    status: str
    documents: int
    chunks: int
    embedder: str
    mode: str
    llm: str | None = None


class ErrorOut(BaseModel):
    detail: str
    error_id: str | None = None


class AdminSession(BaseModel):
    admin: bool = Field(description="Of dit verzoek de beheerderslogin meedraagt")


# ------------------------------------------------------------ OpenAI-compatible
class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str = Field(max_length=50)
    text: str | None = Field(None, max_length=TURN_CHARS)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None  # bounded by the body size limit

    def text(self) -> str:
        """The message's text, with content parts joined."""
        if isinstance(self.content, list):
            return "\n".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """OpenAI chat completion request; fields we do not use (temperature, ...) are ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = Field("sociale-innovatie-assistent", max_length=200)
    messages: list[ChatMessage] = Field(min_length=1, max_length=HISTORY_MESSAGES + 2)
    stream: bool = False
    filters: FiltersIn | None = None
