"""The FastAPI app factory: API routes, error translation and (optionally) the Gradio UI at /."""

from __future__ import annotations

import logging

from fastapi import APIRouter, FastAPI, HTTPException, Request
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from assistant.api.errors import install_error_handlers, install_routing_error_handler
from assistant.api.guard import API_PREFIXES, BodyGuard, SecurityHeaders
from assistant.api.routes import admin, ask, briefing, documents, library, openai_compat, scan
from assistant.services import Services

log = logging.getLogger(__name__)

DESCRIPTION = (
    "Vraag-en-antwoord over sociale innovatie voor mkb-bedrijven in Overijssel, "
    "met genummerde bronnen uit de documenten van de SER Overijssel."
)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class _App(FastAPI):
    """FastAPI whose every response carries the security headers, its own 500s included."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(services: Services, *, with_ui: bool = True) -> FastAPI:
    """Build the app around one services container; the UI is mounted at / last."""
    app = _api()
    app.state.services = services
    app.add_middleware(BodyGuard, services=services)
    if with_ui:
        from assistant.ui import mount_ui  # gradio is imported only there

        mount_ui(app, services)
        for route in app.routes:  # Gradio's own 404/405 in Dutch too
            if isinstance(route, Mount) and isinstance(route.app, FastAPI):
                install_routing_error_handler(route.app)
    return app


def openapi_document() -> dict:
    """The API's OpenAPI document, without building any services (for tools and tests)."""
    return _api().openapi()


def _api() -> FastAPI:
    app = _App(
        title="Sociale Innovatie Assistent",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(app)
    modules = (documents, library, ask, admin, openai_compat, briefing, scan)
    routers = [module.router for module in modules]
    for router in routers:
        app.include_router(router)
    _add_fallbacks(app, routers)
    return app


def _add_fallbacks(app: FastAPI, routers: list[APIRouter]) -> None:
    """A known API path with another method gets a 405, an unknown API path a 404 (both
    Dutch), instead of falling through to the UI mounted at /. Include routers before."""
    allowed: dict[str, set[str]] = {}
    for route in [*app.routes, *(route for router in routers for route in router.routes)]:
        if isinstance(route, Route):
            allowed.setdefault(route.path, set()).update(route.methods or ())
    for path, methods in allowed.items():
        others = [m for m in METHODS if m not in methods]
        if others:
            endpoint = _method_not_allowed(sorted(methods))
            app.router.add_route(path, endpoint, methods=others, include_in_schema=False)
    for prefix in API_PREFIXES:
        path = prefix + "{rest:path}"
        app.router.add_route(path, _not_found, methods=list(METHODS), include_in_schema=False)


def _method_not_allowed(methods: list[str]):
    async def endpoint(request: Request) -> None:
        raise HTTPException(405, headers={"Allow": ", ".join(methods)})

    return endpoint


async def _not_found(request: Request) -> None:
    raise HTTPException(404)
