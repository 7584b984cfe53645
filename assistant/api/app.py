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
    app = FastAPI(
        title="Sociale Innovatie Assistent",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.services = services
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    for module in (documents, ask, admin, openai_compat, briefing):
        app.include_router(module.router)
    scan.install(app, services)  # builds the self-scan now: a bad prompts/scan.yaml stops start-up
    if with_ui:
        from assistant.ui import mount_ui  # gradio is imported only there

        mount_ui(app, services)
    return app
