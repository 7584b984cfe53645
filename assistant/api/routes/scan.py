"""The self-scan: GET /api/scan gives the statements, POST /api/scan scores answers with cited tips.

The scan service comes from the container, which builds it at start-up (Container.warm_up),
so a missing or malformed prompts/scan.yaml stops `assistant serve` with a clear message.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import ServicesDep
from assistant.api.downloads import FILE_RESPONSES, FormatQuery, download
from assistant.api.schemas import ErrorOut
from assistant.selfscan.files import file_name, scan_bytes
from assistant.selfscan.types import ScanResult

router = APIRouter(prefix="/api", tags=["zelfscan"], responses={422: {"model": ErrorOut}})


class StatementOut(BaseModel):
    """One statement to rate."""

    id: str
    lever: str
    text: str


class LeverOut(BaseModel):
    """One lever (a gear of figure 1 in the documents)."""

    id: str
    name: str


class ScanForm(BaseModel):
    """What to fill in: the statements, the levers and the five answer labels (1-5)."""

    statements: list[StatementOut]
    levers: list[LeverOut]
    scale: list[str]


class ScanBody(BaseModel):
    """The owner's answers; completeness and ranges are checked by the scan service."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(
        description="Per stelling-id een antwoord van 1 (helemaal oneens) tot 5 (helemaal eens)"
    )
    sector: str | None = Field(None, max_length=200, description="Sector, bv. 'metaal'")
    omvang: int | None = Field(None, description="Aantal medewerkers (1-249)")


@router.get("/scan", response_model=ScanForm, summary="De stellingen van de zelfscan")
def scan_form(services: ServicesDep) -> dict[str, Any]:
    """The statements (id, lever, text), the levers (id, name) and the scale labels."""
    return services.selfscan.form()


@router.post(
    "/scan",
    response_model=ScanResult,
    summary="Zelfscan: scores per hefboom, tips met bronnen en waar u begint",
    responses=FILE_RESPONSES,
)
def scan(
    body: ScanBody, services: ServicesDep, format: FormatQuery = "json"
) -> ScanResult | Response:
    """Scores 0-100 per lever, cited tips and descriptions, the start lever; or a download."""
    service = services.selfscan
    result = service.scan(body.answers, body.sector, body.omvang)
    if format == "json":
        return result
    return download(scan_bytes(result, service.templates, format), format, file_name(format))
