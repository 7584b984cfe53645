"""Property-based fuzzing of every API operation from the OpenAPI schema: never a 5xx.

The schema is the static OpenAPI document (no services are built at import); each test
run gets an app on fake services with its state in a temporary directory.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from assistant.api import create_app
from assistant.api.app import openapi_document
from assistant.core.settings import Settings
from ingest.pipeline import IngestReport
from tests.fakes import FakeIndexer, make_services

TOKEN = "fuzz-token"
schema = schemathesis.openapi.from_dict(openapi_document())


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("api-fuzz")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "advies.pdf").write_bytes(b"%PDF-1.4 fuzz")
    config = Settings(_env_file=None, data_dir=root / "data", corpus_dir=corpus, admin_token=TOKEN)
    services = make_services(
        config, corpus_file=corpus / "advies.pdf", indexer=FakeIndexer(IngestReport())
    )
    return create_app(services, with_ui=False)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, app):
    case.call_and_validate(
        app=app, headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error]
    )
