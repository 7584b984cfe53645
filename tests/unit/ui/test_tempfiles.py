"""The UI's temp files: one root per process, old folders pruned, all gone at shutdown;
Gradio's own cached copies are deleted on the same schedule."""

from __future__ import annotations

import os
import time

from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.ui.app import build_ui
from assistant.ui.briefing_tab import BriefingHandlers
from assistant.ui.tempfiles import TempFolders
from tests.fakes import make_services
from tests.unit.briefing.brief_fixtures import make_service


def test_folders_share_one_root_and_old_ones_are_pruned(tmp_path):
    folders = TempFolders(max_age_s=60, parent=tmp_path)
    first, second = folders.new(), folders.new()
    assert first.parent == second.parent == folders.root
    assert folders.root.parent == tmp_path and folders.root.name.startswith("assistant-ui-")
    old = time.time() - 120
    os.utime(first, (old, old))
    third = folders.new()  # a new folder prunes the old ones
    assert not first.exists() and second.exists() and third.exists()
    assert folders.prune(now=time.time() + 61) == 2


def test_remove_all_deletes_the_root_and_a_later_folder_makes_a_new_one(tmp_path):
    folders = TempFolders(max_age_s=60, parent=tmp_path)
    (folders.new() / "brief.md").write_text("x")
    root = folders.root
    folders.remove_all()
    assert not root.exists() and folders.root is None
    assert folders.new().parent != root
    folders.remove_all()
    folders.remove_all()  # twice is fine
    assert list(tmp_path.iterdir()) == []


def test_brief_downloads_are_written_into_the_folders(settings, tmp_path):
    folders = TempFolders(max_age_s=60, parent=tmp_path)
    _, md, docx, _ = BriefingHandlers(make_service(settings), folders).make(
        "slimmer werken", "", None, 60
    )
    assert md["value"].startswith(str(folders.root)) and docx["value"].endswith(".docx")


def test_gradio_deletes_its_cached_copies_after_the_max_age(settings):
    services = make_services(settings.model_copy(update={"ui_files_max_age_s": 1800}))
    assert build_ui(services).delete_cache == (600, 1800)


def test_the_ui_temp_root_is_removed_when_the_server_stops(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    app = create_app(make_services(settings))
    folders = app.state.ui_folders
    with TestClient(app):  # runs the lifespan, as uvicorn does
        (folders.new() / "brief.docx").write_bytes(b"PK")
        root = folders.root
        assert root.is_dir()
    assert not root.exists()
