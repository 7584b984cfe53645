"""HTTP API: FastAPI app factory, routes, schemas and error translation."""

from assistant.api.app import create_app

__all__ = ["create_app"]
