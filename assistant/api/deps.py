"""Route dependencies: the services container and the admin login check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.api.errors import ApiError
from assistant.services import Services

# Declared for the OpenAPI document; the check itself reads the request (bearer or cookie).
_bearer = HTTPBearer(auto_error=False, description="Beheerderstoken (ASSISTANT_ADMIN_TOKEN)")

ADMIN_OFF = "Beheerfuncties staan uit. Stel ASSISTANT_ADMIN_TOKEN in om ze te gebruiken."
ADMIN_NEEDED = (
    "Geef een geldig beheerderstoken mee (Authorization: Bearer ...) of meld u aan als beheerder."
)


def get_services(request: Request) -> Services:
    """The container built once in the entry point."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def require_admin(
    request: Request,
    services: ServicesDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Allow only the admin login (token or cookie); everything admin is off without the setting."""
    if not services.admin.enabled:
        raise ApiError(403, ADMIN_OFF)
    if not services.admin.allows(request.headers, request.cookies):
        raise ApiError(401, ADMIN_NEEDED, headers={"WWW-Authenticate": "Bearer"})


def require_admin_token(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Allow only the admin token itself as a bearer (for logging in)."""
    if not services.admin.enabled:
        raise ApiError(403, ADMIN_OFF)
    if not services.admin.token_ok(credentials.credentials if credentials else None):
        raise ApiError(
            401,
            "Geef een geldig beheerderstoken mee (Authorization: Bearer ...).",
            headers={"WWW-Authenticate": "Bearer"},
        )


AdminDep = Depends(require_admin)
