"""Session briefs: POST /api/session-brief returns the brief as JSON, Markdown or Word."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import ServicesDep
from assistant.api.downloads import FILE_RESPONSES, FormatQuery, download
from assistant.api.schemas import ErrorOut
from assistant.briefing.files import brief_bytes, file_name
from assistant.briefing.types import Brief

router = APIRouter(prefix="/api", tags=["sessies"], responses={422: {"model": ErrorOut}})


class SessionBriefRequest(BaseModel):
    """What the advisor asks for; ranges are checked by the briefing service."""

    model_config = ConfigDict(extra="forbid")

    thema: str = Field(max_length=500, description="Thema, bv. 'slimmer werken'")
    sector: str | None = Field(None, max_length=200, description="Sector, bv. 'metaal'")
    omvang: int | None = Field(None, description="Medewerkers per bedrijf (1-249)")
    duur: int | None = Field(None, description="Duur van de sessie in minuten (30-480; 90)")


@router.post(
    "/session-brief",
    response_model=Brief,
    summary="Maak een sessiebrief met bronnen",
    responses=FILE_RESPONSES,
)
def session_brief(
    body: SessionBriefRequest, services: ServicesDep, format: FormatQuery = "json"
) -> Brief | Response:
    """The brief as JSON (sections with cited items and sources), or as a .md/.docx download."""
    brief = services.briefing.build_brief(body.thema, body.sector, body.omvang, body.duur)
    if format == "json":
        return brief
    return download(brief_bytes(brief, format), format, file_name(brief, format))
