"""Route dependencies: the services container and the admin bearer token check."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.api.errors import ApiError
from assistant.services import Services

_bearer = HTTPBearer(auto_error=False, description="Beheerderstoken (ASSISTANT_ADMIN_TOKEN)")


def get_services(request: Request) -> Services:
    """The container built once in the entry point."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def require_admin(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Allow only callers with the admin token; everything admin is off without the setting."""
    expected = services.settings.admin_token
    if not expected:
        raise ApiError(
            403,
            "Beheerfuncties staan uit. Stel ASSISTANT_ADMIN_TOKEN in om ze te gebruiken.",
        )
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise ApiError(
            401,
            "Geef een geldig beheerderstoken mee (Authorization: Bearer ...).",
            headers={"WWW-Authenticate": "Bearer"},
        )


AdminDep = Depends(require_admin)
