"""Property-based fuzzing of every API operation from the OpenAPI schema: never a 5xx.

The schema is built at import (schemathesis' lazy fixture loader does not run on the
pytest version we use); the app state lives in a temporary directory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from assistant.api import create_app
from assistant.core.settings import Settings
from tests.unit.serving_fakes import make_services

TOKEN = "fuzz-token"
_TMP = tempfile.TemporaryDirectory(prefix="api-fuzz-")


def _app():
    root = Path(_TMP.name)
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "advies.pdf").write_bytes(b"%PDF-1.4 fuzz")
    config = Settings(_env_file=None, data_dir=root / "data", corpus_dir=corpus, admin_token=TOKEN)
    services = make_services(
        config, corpus_file=corpus / "advies.pdf", reindexer=lambda _s: {"unchanged": []}
    )
    return create_app(services, with_ui=False)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error]
    )
