"""Feedback (posting is open, listing is admin) and re-indexing (admin)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from assistant.api.deps import AdminDep, ServicesDep
from assistant.api.schemas import ErrorOut, FeedbackCreated, FeedbackIn, FeedbackItem

router = APIRouter(prefix="/api")
ADMIN_ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}}


@router.post(
    "/feedback",
    response_model=FeedbackCreated,
    status_code=201,
    tags=["feedback"],
    responses={422: {"model": ErrorOut}},
    summary="Geef een beoordeling",
)
def post_feedback(body: FeedbackIn, services: ServicesDep) -> FeedbackCreated:
    """Store a thumbs up or down on an answer, with an optional reason."""
    feedback_id = services.feedback.add(
        body.question,
        body.answer,
        body.citations,
        body.rating,
        body.reason,
        mode=services.mode,
        source="api",
        history=[t.model_dump() for t in body.history],
    )
    return FeedbackCreated(id=feedback_id)


@router.get(
    "/feedback",
    response_model=list[FeedbackItem],
    tags=["beheer"],
    dependencies=[AdminDep],
    responses=ADMIN_ERRORS,
    summary="Alle beoordelingen (beheer)",
)
def list_feedback(
    services: ServicesDep,
    rating: Annotated[Literal["up", "down"] | None, Query()] = None,
    limit: Annotated[int | None, Query(ge=1, le=100000)] = None,
) -> list[dict[str, Any]]:
    """Every stored rating, oldest first (the export)."""
    return services.feedback.list(rating=rating, limit=limit)


@router.post(
    "/ingest",
    tags=["beheer"],
    dependencies=[AdminDep],
    responses={**ADMIN_ERRORS, 409: {"model": ErrorOut}},
    summary="Corpus opnieuw indexeren (beheer)",
)
def ingest(services: ServicesDep) -> dict[str, Any]:
    """Re-ingest the corpus folder and refresh the search index; returns the ingest report."""
    return services.reindex()
