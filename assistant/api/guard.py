"""Serving safety for every route, Gradio's included: body limits, body-read timeouts,
the admin gate of upload routes, and the security headers every response carries.

The guard reads each request body completely, within its route's size limit and time,
before the app sees any of it: JSON bodies in memory, an upload (bigger than
SPOOL_MEMORY_BYTES) in an unnamed temporary file. So a too-large body is refused with a
413 after at most `limit` bytes (at once when Content-Length says so), a body that stalls
gets a 408 after `body_timeout_s`, and the app (FastAPI's parsers, Gradio's upload) only
ever sees complete bodies.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio
from fastapi.responses import JSONResponse
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.deps import ADMIN_NEEDED, ADMIN_OFF
from assistant.api.errors import error_body
from assistant.core import limits

if TYPE_CHECKING:
    from assistant.services import Services

log = logging.getLogger(__name__)

MB = 1024 * 1024
API_PREFIXES = ("/api/", "/v1/")
# Routes that take files: admin only, up to the max_file_mb setting. POST /api/documents
# is the documents endpoint (admin upload through the API) where that branch adds it.
UPLOAD_ROUTES = frozenset({("POST", "/gradio_api/upload"), ("POST", "/api/documents")})
SPOOL_MEMORY_BYTES = limits.UI_BODY_BYTES  # bigger bodies (uploads) wait in a temp file
REPLAY_CHUNK = 64 * 1024

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "frame-ancestors 'self'",
    "referrer-policy": "same-origin",
}

_TIMEOUT = "Het verzoek kwam niet op tijd binnen. Probeer het opnieuw."
_TOO_LARGE = "Het verzoek is te groot (hoogstens {size})."


@dataclass(frozen=True)
class BodyRule:
    """What one route class may receive: bytes, seconds for the whole body, who."""

    limit: int
    deadline_s: float
    admin_only: bool = False


class BodyGuard:
    """ASGI middleware: bounded, timed body reads for every route; uploads for admins only."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.admin = services.admin
        settings = services.settings
        self.idle_s = settings.body_timeout_s
        self.api = BodyRule(limits.BODY_BYTES, settings.body_timeout_s)
        self.ui = BodyRule(limits.UI_BODY_BYTES, settings.body_timeout_s)
        file_bytes = int(settings.max_file_mb * MB)
        self.upload = BodyRule(
            file_bytes + limits.UPLOAD_OVERHEAD_BYTES, settings.upload_timeout_s, admin_only=True
        )

    def rule_for(self, method: str, path: str) -> BodyRule:
        """The rule of a route: upload, API (JSON) or the web app (Gradio's JSON routes)."""
        if (method, path.rstrip("/")) in UPLOAD_ROUTES:
            return self.upload
        return self.api if path.startswith(API_PREFIXES) else self.ui

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rule = self.rule_for(scope["method"], scope["path"])
        if rule.admin_only and (refusal := self._admin_refusal(scope)) is not None:
            return await refusal(scope, receive, send)
        declared = _content_length(scope)
        if declared is not None and declared > rule.limit:
            return await self._too_large(scope, rule)(scope, receive, send)
        body = _Spool()
        try:
            outcome = await self._read(receive, rule, body)
            if outcome == "complete":
                return await self.app(scope, body.replay(receive), send)
            if outcome == "too_large":
                return await self._too_large(scope, rule)(scope, receive, send)
            if outcome == "timeout":
                log.info("body timeout path=%s received=%s", scope["path"], body.size)
                return await _refuse(scope, 408, _TIMEOUT)(scope, receive, send)
        finally:
            body.close()

    async def _read(self, receive: Receive, rule: BodyRule, body: _Spool) -> str:
        """'complete', 'too_large', 'timeout' or 'disconnected'."""
        deadline = anyio.current_time() + rule.deadline_s
        more = True
        while more:
            wait = min(self.idle_s, deadline - anyio.current_time())
            message = None
            with anyio.move_on_after(wait):
                message = await receive()
            if message is None:
                return "timeout"
            if message["type"] == "http.disconnect":
                return "disconnected"
            chunk = message.get("body", b"")
            if body.size + len(chunk) > rule.limit:
                return "too_large"
            body.write(chunk)
            more = message.get("more_body", False)
        return "complete"

    def _admin_refusal(self, scope: Scope) -> JSONResponse | None:
        if not self.admin.enabled:
            return _refuse(scope, 403, ADMIN_OFF)
        request = Request(scope)
        if self.admin.allows(request.headers, request.cookies):
            return None
        return _refuse(scope, 401, ADMIN_NEEDED, {"WWW-Authenticate": "Bearer"})

    def _too_large(self, scope: Scope, rule: BodyRule) -> JSONResponse:
        log.info("body too large path=%s limit=%s", scope["path"], rule.limit)
        return _refuse(scope, 413, _TOO_LARGE.format(size=_size(rule.limit)))


class SecurityHeaders:
    """ASGI middleware: every HTTP response carries SECURITY_HEADERS (unless it sets them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Spool:
    """A request body: in memory up to SPOOL_MEMORY_BYTES, then in an unnamed temp file."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)  # noqa: SIM115
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self.size += len(chunk)

    def replay(self, receive: Receive) -> Receive:
        """A receive that hands the app the stored body, then the server's own messages."""
        self.file.seek(0)
        done = False

        async def replayed() -> Message:
            nonlocal done
            if done:
                return await receive()
            chunk = self.file.read(REPLAY_CHUNK)
            done = self.file.tell() >= self.size
            return {"type": "http.request", "body": chunk, "more_body": not done}

        return replayed

    def close(self) -> None:
        self.file.close()


def _refuse(scope: Scope, status: int, message: str, headers: dict | None = None) -> JSONResponse:
    """A Dutch error; the connection closes, since the body may not have been read."""
    body = error_body(scope["path"], message, status)
    return JSONResponse(
        body, status_code=status, headers={**(headers or {}), "Connection": "close"}
    )


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _size(limit: int) -> str:
    return f"{limit / MB:.0f} MB" if limit >= MB else f"{limit // 1024} kB"
