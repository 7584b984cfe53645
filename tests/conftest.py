"""Shared fixtures: network blocked in unit tests, fakes (tests/fakes.py), temporary settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.core.settings import Settings
from tests.fakes import FakeChatModel, HashEmbedder

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT / "corpus"
SHARED_OCR = REPO_ROOT.parent / "shared" / "corpus-src"


LOOPBACK = ["127.0.0.1", "::1", "localhost"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Unit tests may not reach the network (pytest-socket); loopback stays allowed for
    local stub servers. Integration tests run unrestricted (they need no network either)."""
    for item in items:
        if not item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.allow_hosts(LOOPBACK))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose state lives in a temporary data dir."""
    return Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=CORPUS_DIR)


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture
def fake_chat() -> FakeChatModel:
    return FakeChatModel()
