"""E2E fixtures: the real index (shared definitions from the integration conftest) served live."""

from __future__ import annotations

import pytest

from assistant.api import create_app
from tests.integration.conftest import (  # noqa: F401
    real_embedder,
    real_services_for,
    real_settings,
)
from tests.live_server import serve_in_thread


@pytest.fixture(scope="session")
def e2e_services(real_settings, real_embedder):  # noqa: F811
    """The real services over the real index."""
    return real_services_for(real_settings, real_embedder)


@pytest.fixture(scope="session")
def live_app_url(e2e_services):
    """The full app (UI at / plus API) on a free loopback port."""
    with serve_in_thread(create_app(e2e_services)) as url:
        yield url
