"""Feedback (posting is open, listing is admin), re-indexing (admin) and the admin login."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from assistant.api.deps import AdminDep, ServicesDep, require_admin_token
from assistant.api.schemas import (
    AdminSession,
    ErrorOut,
    FeedbackCreated,
    FeedbackIn,
    FeedbackItem,
)
from assistant.core.adminlogin import COOKIE

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


# ----------------------------------------------------------------------------- login
@router.post(
    "/admin/login",
    status_code=204,
    tags=["beheer"],
    dependencies=[Depends(require_admin_token)],
    responses=ADMIN_ERRORS,
    summary="Aanmelden als beheerder (zet een cookie)",
)
def login(request: Request, services: ServicesDep) -> Response:
    """Trade the admin token (bearer) for a login cookie, for the web app's admin parts."""
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE,
        services.admin.new_cookie(),
        max_age=services.admin.session_s,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/admin/logout", status_code=204, tags=["beheer"], summary="Afmelden als beheerder")
def logout() -> Response:
    """Clear the login cookie (the token itself stays valid)."""
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.get(
    "/admin/session",
    response_model=AdminSession,
    tags=["beheer"],
    summary="Is deze browser aangemeld als beheerder?",
)
def session(request: Request, services: ServicesDep) -> AdminSession:
    """Whether this request carries the admin login (token or cookie)."""
    return AdminSession(admin=services.admin.allows(request.headers, request.cookies))
