"""The store also works against a Chroma server (HttpClient) when a host is configured."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.core.retrieval import open_retriever
from assistant.core.settings import Settings
from ingest.pipeline import ingest_paths
from tests.conftest import CORPUS_DIR

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.skip("chroma CLI not installed next to this interpreter")
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("chroma server did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_ingest_and_search_through_a_chroma_server(tmp_path, chroma_server, real_embedder):
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        corpus_dir=CORPUS_DIR,
        chroma_host="127.0.0.1",
        chroma_port=chroma_server,
    )
    report = ingest_paths(settings, real_embedder, [CORPUS_DIR], progress=False)
    assert report.ok and report.chunks_total > 10
    assert not (tmp_path / "data" / "chroma").exists()  # nothing stored locally
    hits = open_retriever(settings, real_embedder).search("definitie sociale innovatie", k=3)
    assert any("vernieuwing van de arbeidsorganisatie" in h.chunk.text for h in hits)
    again = ingest_paths(settings, real_embedder, [CORPUS_DIR], progress=False)
    assert again.chunks_embedded == 0
