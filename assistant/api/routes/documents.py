"""The corpus: document list, a page's passages, the original file; plus /healthz."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse
from pydantic import Field

from assistant.api.deps import ServicesDep
from assistant.api.schemas import DocumentOut, ErrorOut, HealthOut, PageOut, PassageRef

router = APIRouter()
DocId = Annotated[str, Path(min_length=1, max_length=200, description="document-id")]
ChunkId = Annotated[str, Field(min_length=1, max_length=100)]
NOT_FOUND = {404: {"model": ErrorOut}}


@router.get("/healthz", response_model=HealthOut, tags=["status"], summary="Status en index")
def healthz(services: ServicesDep) -> dict:
    """Liveness plus index facts: documents, chunks, embedder, mode."""
    return services.health()


@router.get(
    "/api/documents", response_model=list[DocumentOut], tags=["documenten"], summary="Documenten"
)
def documents(services: ServicesDep) -> list[dict]:
    """Every document in the index with metadata and chunk count."""
    return services.documents()


@router.get(
    "/api/passages",
    response_model=list[PassageRef],
    tags=["documenten"],
    summary="Passages op id",
)
def passages(
    services: ServicesDep,
    ids: Annotated[list[ChunkId] | None, Query(max_length=50, description="chunk-id's")] = None,
) -> list[dict]:
    """Passages by chunk id (Answer.retrieved, citations' chunk_id), in the order asked."""
    return services.passages(ids or [])


@router.get(
    "/api/documents/{doc_id}/pages/{page}",
    response_model=PageOut,
    tags=["documenten"],
    responses=NOT_FOUND,
    summary="Tekst van één pagina",
)
def document_page(
    doc_id: DocId, page: Annotated[int, Path(ge=1, le=100000)], services: ServicesDep
) -> dict:
    """The passages on one page, in reading order, so a citation can be read in context."""
    return services.page(doc_id, page)


@router.get(
    "/api/documents/{doc_id}/file",
    response_class=FileResponse,
    tags=["documenten"],
    responses={**NOT_FOUND, 200: {"content": {"application/octet-stream": {}}}},
    summary="Origineel bestand",
)
def original_file(doc_id: DocId, services: ServicesDep) -> FileResponse:
    """The original document (only files inside the corpus folder are served)."""
    path = services.original_file(doc_id)
    return FileResponse(path, filename=path.name, content_disposition_type="inline")
