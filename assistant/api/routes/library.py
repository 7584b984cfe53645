"""Beheer of the corpus (admin): upload, status, edit and delete documents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import JSONResponse

from assistant.api.deps import AdminDep, ServicesDep
from assistant.api.schemas import DocumentPatch, ErrorOut, ManagedDocumentOut

router = APIRouter(prefix="/api/documents", tags=["beheer"], dependencies=[AdminDep])
DocId = Annotated[str, Path(min_length=1, max_length=200, description="document-id")]
ADMIN = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}}
NOT_FOUND = {404: {"model": ErrorOut}}
QUEUED = "Het document wordt bijgewerkt zodra de lopende indexering klaar is."


@router.post(
    "",
    response_model=ManagedDocumentOut,
    status_code=202,
    responses={
        **ADMIN,
        409: {"model": ErrorOut, "description": "dezelfde inhoud staat er al"},
        413: {"model": ErrorOut, "description": "te groot"},
        415: {"model": ErrorOut, "description": "bestandstype niet ondersteund"},
        422: {"model": ErrorOut, "description": "metadata ongeldig of bestand onleesbaar"},
    },
    summary="Document toevoegen (beheer)",
)
def upload_document(
    services: ServicesDep,
    file: Annotated[UploadFile, File(description=".pdf, .docx, .md of .txt")],
    title: Annotated[str, Form(max_length=300)],
    type: Annotated[str, Form(max_length=40, description="advies|succesfactoren|casus|overig")],
    publisher: Annotated[str, Form(max_length=200)] = "",
    date: Annotated[str, Form(max_length=10, description="JJJJ, JJJJ-MM of JJJJ-MM-DD")] = "",
    language: Annotated[str, Form(max_length=10)] = "nl",
    url: Annotated[str, Form(max_length=500)] = "",
) -> dict[str, Any]:
    """Store the file and its manifest row in the corpus; indexing follows in the background."""
    fields = {"title": title, "type": type, "publisher": publisher, "date": date}
    fields |= {"language": language, "url": url}
    return services.library.upload(file.filename or "", file.file, fields)


@router.get(
    "/{doc_id}",
    response_model=ManagedDocumentOut,
    responses={**ADMIN, **NOT_FOUND},
    summary="Status van een document (beheer)",
)
def document_status(doc_id: DocId, services: ServicesDep) -> dict[str, Any]:
    """Status (bezig, klaar, mislukt with the reason), pages, chunks and sha256."""
    return services.library.document(doc_id)


@router.patch(
    "/{doc_id}",
    response_model=ManagedDocumentOut,
    responses={**ADMIN, **NOT_FOUND, 202: {"model": ManagedDocumentOut}},
    summary="Metadata wijzigen (beheer)",
)
def edit_document(doc_id: DocId, body: DocumentPatch, services: ServicesDep) -> Any:
    """Change title, type, publisher, date or url without re-embedding (200 when applied)."""
    row, applied = services.library.edit(doc_id, body.changes())
    return row if applied else JSONResponse(ManagedDocumentOut(**row).model_dump(), 202)


@router.delete(
    "/{doc_id}",
    responses={**ADMIN, **NOT_FOUND, 202: {"description": QUEUED}},
    summary="Document verwijderen (beheer)",
)
def delete_document(doc_id: DocId, services: ServicesDep) -> Any:
    """Remove the file, its manifest row and its passages; answers no longer cite it."""
    if services.library.delete(doc_id):
        return {"doc_id": doc_id, "status": "verwijderd"}
    return JSONResponse({"doc_id": doc_id, "status": "bezig", "detail": QUEUED}, 202)
