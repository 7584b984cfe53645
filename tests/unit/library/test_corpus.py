"""The corpus folder changes atomically: a crash at any step leaves file and row both or neither."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest

from assistant.core.errors import TooLargeError
from assistant.core.settings import Settings
from assistant.core.types import DocumentMeta
from assistant.library.corpus import CorpusFolder
from assistant.library.service import Library
from ingest.manifest import load_manifest
from tests.fakes import FakeCorpusIndexer, FakeRetriever

MANIFEST = """# Our documents.
documents:
  - id: oud
    file: oud.txt
    title: Oud document
    # the date comes from the letter's footer
    date: "2020"
"""
META = DocumentMeta(doc_id="nieuw", title="Nieuw", type="casus", source_path="nieuw.txt")


class Crash(BaseException):
    """A process dying at a step: nothing of ours runs after it (not even cleanup)."""


def crash_at(step: str):
    def hook(name: str) -> None:
        if name == step:
            raise Crash(step)

    return hook


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "manifest.yaml").write_text(MANIFEST)
    (folder / "oud.txt").write_text("Een oud document over teams.")
    return folder


def state(root: Path) -> tuple[set[str], set[str]]:
    """(files named in the manifest, visible document files)."""
    listed = set(load_manifest(root))
    files = {p.name for p in root.iterdir() if not p.name.startswith(".")} - {"manifest.yaml"}
    return listed, files


def stage(folder: CorpusFolder, text: str = "Nieuwe casus over roosters."):
    return folder.stage(io.BytesIO(text.encode()), ".txt", 10_000, "te groot")


def test_add_puts_file_and_row_in_place_and_keeps_comments(root):
    folder = CorpusFolder(root)
    folder.add(stage(folder), META)
    assert state(root) == ({"oud.txt", "nieuw.txt"}, {"oud.txt", "nieuw.txt"})
    assert "# the date comes from the letter's footer" in (root / "manifest.yaml").read_text()
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def test_stage_refuses_past_the_limit_and_leaves_nothing(root):
    folder = CorpusFolder(root)
    with pytest.raises(TooLargeError):
        folder.stage(io.BytesIO(b"x" * 20_000), ".txt", 10_000, "te groot")
    assert sorted(p.name for p in root.iterdir()) == ["manifest.yaml", "oud.txt"]


@pytest.mark.parametrize(("step", "added"), [("pending", False), ("manifest", True)])
def test_a_crash_during_add_ends_with_both_or_neither(root, step, added):
    folder = CorpusFolder(root, on_step=crash_at(step))
    with pytest.raises(Crash):
        folder.add(stage(folder), META)
    restored = CorpusFolder(root).recover()
    expected = {"oud.txt", "nieuw.txt"} if added else {"oud.txt"}
    assert state(root) == (expected, expected)
    assert [p.name for p in restored] == (["nieuw.txt"] if added else [])
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def test_a_crash_before_staging_finished_leaves_only_a_temp_file_that_recovery_removes(root):
    (root / ".upload-abc.txt").write_text("half")
    (root / ".manifest.yaml.abc.tmp").write_text("documents: [")
    CorpusFolder(root).recover()
    assert state(root) == ({"oud.txt"}, {"oud.txt"})
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(("step", "removed"), [("pending", False), ("manifest", True)])
def test_a_crash_during_delete_ends_with_both_or_neither(root, step, removed):
    folder = CorpusFolder(root, on_step=crash_at(step))
    old = folder.entries()["oud"]
    with pytest.raises(Crash):
        folder.remove(old, listed=True)
    CorpusFolder(root).recover()
    expected = set() if removed else {"oud.txt"}
    assert state(root) == (expected, expected)


def test_a_failing_manifest_write_puts_nothing_in_place(root, monkeypatch):
    folder = CorpusFolder(root)
    staged = stage(folder)

    def broken(text: str) -> None:
        raise OSError("schijf vol")

    monkeypatch.setattr(folder, "_write_manifest", broken)
    with pytest.raises(OSError):
        folder.add(staged, META)
    assert state(root) == ({"oud.txt"}, {"oud.txt"})
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def test_the_library_recovers_on_start_and_indexes_what_it_put_back(root, tmp_path):
    folder = CorpusFolder(root, on_step=crash_at("manifest"))
    with pytest.raises(Crash):
        folder.add(stage(folder), META)
    retriever = FakeRetriever([])
    indexer = FakeCorpusIndexer(retriever)
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=root)
    library = Library(settings, indexer, retriever)
    assert library.wait_idle(10)
    assert state(root) == ({"oud.txt", "nieuw.txt"}, {"oud.txt", "nieuw.txt"})
    assert [c[0][0].name for c in indexer.calls] == ["nieuw.txt"]
    assert library.document("nieuw")["status"] == "klaar"


def test_concurrent_uploads_get_distinct_ids_and_one_manifest(root, tmp_path):
    retriever = FakeRetriever([])
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=root)
    library = Library(settings, FakeCorpusIndexer(retriever), retriever)
    fields = {"title": "Zelfde titel", "type": "casus"}
    errors = []

    def one(n: int) -> None:
        try:
            library.upload(f"{n}.txt", io.BytesIO(f"Casus nummer {n} over teams.".encode()), fields)
        except Exception as exc:  # noqa: BLE001 - collected and checked below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert library.wait_idle(10)
    ids = {m.doc_id for m in load_manifest(root).values()}
    assert ids == {"oud", "zelfde-titel", *(f"zelfde-titel-{n}" for n in range(2, 7))}
    assert all(d["status"] == "klaar" for d in library.documents() if d["doc_id"] != "oud")
