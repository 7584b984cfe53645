"""Error translation at the HTTP edge: plain Dutch 4xx messages, 5xx with a logged error id."""

from __future__ import annotations

import logging
import uuid
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from assistant.core.errors import (
    AssistantError,
    BusyError,
    ConfigError,
    ConflictError,
    IndexEmptyError,
    IndexMismatchError,
    InvalidInputError,
    NotFoundError,
    TooLargeError,
    UnsupportedTypeError,
)
from assistant.core.locking import IndexBusyError

log = logging.getLogger(__name__)

_STATUS_TEXT = {
    400: "Het verzoek is ongeldig.",
    401: "U bent niet aangemeld.",
    403: "Dit mag niet.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    408: "Het verzoek kwam niet op tijd binnen. Probeer het opnieuw.",
    409: "Dat kan nu niet; probeer het later opnieuw.",
    413: "Het verzoek is te groot.",
    415: "Stuur de gegevens als JSON.",
    422: "De invoer is ongeldig.",
}

_FIELD_PROBLEMS = {
    "missing": "ontbreekt",
    "string_too_short": "is te kort (minstens {min_length} tekens)",
    "string_too_long": "is te lang (hoogstens {max_length} tekens)",
    "too_short": "heeft te weinig elementen (minstens {min_length})",
    "too_long": "heeft te veel elementen (hoogstens {max_length})",
    "literal_error": "moet een van deze waarden zijn: {expected}",
    "enum": "moet een van deze waarden zijn: {expected}",
    "extra_forbidden": "is geen bekend veld",
    "json_invalid": "is geen geldige JSON",
    "greater_than_equal": "moet minstens {ge} zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "int_parsing": "moet een geheel getal zijn",
    "int_type": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "string_type": "moet tekst zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een object zijn",
    "model_attributes_type": "moet een object zijn",
    "model_type": "moet een object zijn",
    "string_pattern_mismatch": "heeft een ongeldige vorm",
}


class ApiError(HTTPException):
    """An HTTP error whose detail is already a plain Dutch message."""


def status_of(exc: AssistantError) -> int:
    """HTTP status for an application error."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, BusyError | IndexBusyError | ConflictError):
        return 409
    if isinstance(exc, TooLargeError):
        return 413
    if isinstance(exc, UnsupportedTypeError):
        return 415
    if isinstance(exc, InvalidInputError):
        return 422
    if isinstance(exc, IndexEmptyError | IndexMismatchError | ConfigError):
        return 503
    return 400


def error_body(path: str, message: str, status: int, error_id: str | None = None) -> dict:
    """Our error body; OpenAI's shape under /v1 so its clients show the message."""
    if path.startswith("/v1/"):
        kind = "server_error" if status >= 500 else "invalid_request_error"
        return {"error": {"message": message, "type": kind, "param": None, "code": error_id}}
    body: dict[str, Any] = {"detail": message}
    if error_id:
        body["error_id"] = error_id
    return body


def new_error_id() -> str:
    """A short id to quote in a 5xx message and find in the log."""
    return uuid.uuid4().hex[:12]


def internal_error_message(error_id: str) -> str:
    """The Dutch 5xx message."""
    return f"Er ging iets mis aan onze kant. Noem deze foutcode als u contact opneemt: {error_id}."


def describe_validation(errors: list[dict[str, Any]]) -> str:
    """One Dutch sentence naming the wrong fields (never echoing their values)."""
    parts = []
    for err in errors[:3]:
        kind = err.get("type", "")
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc) if loc and kind != "json_invalid" else "de inhoud"
        template = _FIELD_PROBLEMS.get(kind, "is ongeldig")
        if kind == "string_too_short" and (err.get("ctx") or {}).get("min_length") == 1:
            template = "is leeg"
        ctx = {k: _short(v) for k, v in (err.get("ctx") or {}).items()}
        try:
            problem = template.format(**ctx)
        except (KeyError, IndexError):
            problem = "is ongeldig"
        parts.append(f"'{field}' {problem}")
    more = f" (en nog {len(errors) - 3} fouten)" if len(errors) > 3 else ""
    return "Ongeldige invoer: " + "; ".join(parts) + more + "."


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "..."


def install_error_handlers(app: FastAPI) -> None:
    """Translate every error into a plain Dutch JSON body."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        message = describe_validation(list(exc.errors()))
        return JSONResponse(error_body(request.url.path, message, 422), status_code=422)

    @app.exception_handler(AssistantError)
    async def _assistant(request: Request, exc: AssistantError) -> JSONResponse:
        status = status_of(exc)
        return JSONResponse(error_body(request.url.path, str(exc), status), status_code=status)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if isinstance(exc, ApiError):
            message = str(exc.detail)
        else:  # framework errors carry English text: use ours
            message = _STATUS_TEXT.get(exc.status_code, "Het verzoek kon niet worden verwerkt.")
        body = error_body(request.url.path, message, exc.status_code)
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        error_id = new_error_id()
        log.error("internal error id=%s path=%s", error_id, request.url.path, exc_info=exc)
        body = error_body(request.url.path, internal_error_message(error_id), 500, error_id)
        return JSONResponse(body, status_code=500)


def install_routing_error_handler(app: FastAPI) -> None:
    """On a mounted app (Gradio's): its router's own 404/405 in Dutch, other errors as they are."""

    @app.exception_handler(HTTPException)
    async def _routing(request: Request, exc: HTTPException) -> Response:
        if exc.status_code in (404, 405) and exc.detail == HTTPStatus(exc.status_code).phrase:
            message = _STATUS_TEXT[exc.status_code]
            body = error_body(request.url.path, message, exc.status_code)
            return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
        return await http_exception_handler(request, exc)
