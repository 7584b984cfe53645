"""The FastAPI app factory: API routes, error translation and (optionally) the Gradio UI at /."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from assistant.api.errors import BodyLimit, install_error_handlers
from assistant.api.routes import admin, ask, briefing, documents, openai_compat, scan
from assistant.services import Services

log = logging.getLogger(__name__)

DESCRIPTION = (
    "Vraag-en-antwoord over sociale innovatie voor mkb-bedrijven in Overijssel, "
    "met genummerde bronnen uit de documenten van de SER Overijssel."
)


def create_app(services: Services, *, with_ui: bool = True) -> FastAPI:
    """Build the app around one services container; the UI is mounted at / last."""
    app = _api()
    app.state.services = services
    if with_ui:
        from assistant.ui import mount_ui  # gradio is imported only there

        mount_ui(app, services)
    return app


def openapi_document() -> dict:
    """The API's OpenAPI document, without building any services (for tools and tests)."""
    return _api().openapi()


def _api() -> FastAPI:
    app = FastAPI(
        title="Sociale Innovatie Assistent",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    for module in (documents, ask, admin, openai_compat, briefing, scan):
        app.include_router(module.router)
    return app
