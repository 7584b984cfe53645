"""E2E fixtures: the real index (shared definitions from the integration conftest) served live."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import create_app
from tests.integration.conftest import (  # noqa: F401
    real_embedder,
    real_services_for,
    real_settings,
)
from tests.live_server import serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; a downloaded browser is never used
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Every browser test module: `pytestmark = E2E_MARKS`. Gradio's queue calls pandas APIs
# that pandas 3 deprecates; not ours to fix.
E2E_MARKS = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing"),
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("chromium ontbreekt: installeer het met 'apt-get install -y chromium'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def e2e_services(real_settings, real_embedder):  # noqa: F811
    """The real services over the real index."""
    return real_services_for(real_settings, real_embedder)


@pytest.fixture(scope="session")
def live_app_url(e2e_services):
    """The full app (UI at / plus API) on a free loopback port."""
    with serve_in_thread(create_app(e2e_services)) as url:
        yield url
