"""Shared fixtures: network blocked in unit tests, deterministic fakes, temporary settings."""

from __future__ import annotations

import hashlib
import os
import re
import socket
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.core.settings import Settings

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT / "corpus"
SHARED_OCR = REPO_ROOT.parent / "shared" / "corpus-src"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class HashEmbedder:
    """Deterministic bag-of-words hashing embedder: similar words, similar vectors."""

    name = "hash-test"
    dimension = 64

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.sha256(word.encode()).digest()
            vec[digest[0] % self.dimension] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, 64))

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


class FakeChatModel:
    """Queue-driven fake LLM that records every prompt it is given."""

    def __init__(self, replies: Sequence[str] = ()) -> None:
        self.replies = list(replies)
        self.prompts: list[object] = []

    def __call__(self, prompt: object) -> str:
        self.prompts.append(prompt)
        if not self.replies:
            raise AssertionError("FakeChatModel ran out of replies")
        return self.replies.pop(0)


def _is_local(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, str) and (
        host in ("localhost", "::1") or host.startswith("127.") or host.startswith("/")
    )


@pytest.fixture(autouse=True)
def _block_network(request, monkeypatch):
    """Unit tests may not reach the network; loopback stays allowed for local stub servers."""
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        if self.family == socket.AF_UNIX or _is_local(address):
            return real_connect(self, address)
        raise RuntimeError(f"Network access blocked in tests: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    yield


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
