"""The admin login: ASSISTANT_ADMIN_TOKEN as a bearer token, or a signed cookie issued for it.

`POST /api/admin/login` with the token as a bearer sets the cookie (HttpOnly,
SameSite=Strict); every admin check (API routes, Gradio's upload route, a UI tab through
`gr.Request`) asks `AdminLogin.allows(headers, cookies)`. The cookie holds its expiry and
an HMAC of it under a key derived from the token, so there is no server-side session:
several app processes with the same token accept each other's cookies, and changing the
token logs everyone out. A logout only clears the browser's cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

COOKIE = "assistant_admin"
_VERSION = "v1"
# The cookie counts only for requests a browser marks as coming from this site's own
# pages (or typed in); with SameSite=Strict this keeps other sites from using it.
_TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})


class AdminLogin:
    """Checks the admin token and issues and checks the login cookie."""

    def __init__(self, token: str | None, session_s: int) -> None:
        self._token = token or ""
        self.session_s = session_s
        seed = b"assistant-admin-login\0" + self._token.encode()
        self._key = hashlib.sha256(seed).digest()

    @property
    def enabled(self) -> bool:
        """False when no admin token is set: then nothing admin is allowed."""
        return bool(self._token)

    def token_ok(self, given: str | None) -> bool:
        """True for the admin token itself (compared in constant time)."""
        if not self.enabled or not given:
            return False
        return secrets.compare_digest(given.encode(), self._token.encode())

    def new_cookie(self, now: float | None = None) -> str:
        """A cookie value that holds for session_s seconds."""
        expires = int(now if now is not None else time.time()) + self.session_s
        return f"{_VERSION}.{expires}.{self._sign(expires)}"

    def cookie_ok(self, value: str | None, now: float | None = None) -> bool:
        """True for an unexpired cookie signed under the current token."""
        if not self.enabled or not value:
            return False
        version, _, rest = value.partition(".")
        expires_text, _, signature = rest.partition(".")
        if version != _VERSION or not expires_text.isdigit():
            return False
        expires = int(expires_text)
        now = now if now is not None else time.time()
        if not now < expires <= now + self.session_s:
            return False
        return secrets.compare_digest(signature.encode(), self._sign(expires).encode())

    def allows(self, headers: Mapping[str, str], cookies: Mapping[str, str]) -> bool:
        """True when a request carries the token as a bearer or a valid cookie from this site.

        `headers` must look up names case-insensitively (Starlette's and gr.Request's do).
        """
        scheme, _, token = (headers.get("authorization") or "").partition(" ")
        if scheme.lower() == "bearer" and self.token_ok(token.strip()):
            return True
        site = headers.get("sec-fetch-site")
        return (site is None or site in _TRUSTED_FETCH_SITES) and self.cookie_ok(
            cookies.get(COOKIE)
        )

    def _sign(self, expires: int) -> str:
        message = f"{_VERSION}.{expires}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
