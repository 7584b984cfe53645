"""The Gradio UI (gradio is imported only inside this package)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.services import Services


def mount_ui(app: FastAPI, services: Services) -> FastAPI:
    """Mount the UI at / on the API app; imports gradio only when called."""
    from assistant.ui.app import mount_ui as mount

    return mount(app, services)
