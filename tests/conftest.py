"""Shared fixtures: network blocked in unit tests, deterministic fakes, temporary settings."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from assistant.core.settings import Settings
from assistant.core.types import Chunk, Filters, Hit

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


class FakeChatModel(BaseChatModel):
    """Queue-driven fake LLM (a real langchain chat model) that records every prompt.

    A reply that is an Exception instance is raised instead of returned.
    """

    replies: list = Field(default_factory=list)
    prompts: list = Field(default_factory=list)

    def __init__(self, replies: Sequence[object] = (), **kwargs: object) -> None:
        super().__init__(replies=list(replies), **kwargs)

    @property
    def _llm_type(self) -> str:
        return "fake-chat"

    def _next(self, messages: list[BaseMessage]) -> str:
        self.prompts.append(list(messages))
        if not self.replies:
            raise AssertionError("FakeChatModel ran out of replies")
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return str(reply)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        text = self._next(messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        text = self._next(messages)
        for piece in re.findall(r"\S+\s*", text):
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


class FakeRetriever:
    """List-backed retriever: ranks chunks by word overlap, scores like the real one."""

    def __init__(self, chunks: Sequence[Chunk], embedder: HashEmbedder | None = None) -> None:
        self._chunks = list(chunks)
        self.embedder = embedder or HashEmbedder()
        self.queries: list[str] = []

    @property
    def chunks(self) -> list[Chunk]:
        return self._chunks

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        self.queries.append(query)
        filters = filters or Filters()
        q = self.embedder.embed_query(query)
        words = set(re.findall(r"\w{3,}", query.lower()))
        scored = []
        for chunk in self._chunks:
            if not filters.matches(chunk):
                continue
            overlap = len(words & set(re.findall(r"\w{3,}", chunk.text.lower())))
            dense = float(self.embedder.embed_passages([chunk.text])[0] @ q)
            scored.append((overlap + dense, chunk, dense, float(overlap)))
        scored.sort(key=lambda row: -row[0])
        return [
            Hit(chunk=c, score=s, dense_rank=i + 1, dense_score=d, lexical_score=o or None)
            for i, (s, c, d, o) in enumerate(scored[:k])
        ]


def load_fixture_chunks(name: str = "answering_chunks.json") -> list[Chunk]:
    """Chunks written from the OCR text of the corpus PDF (tests/fixtures)."""
    rows = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return [Chunk(**row) for row in rows]


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
