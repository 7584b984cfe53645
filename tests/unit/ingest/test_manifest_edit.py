"""Editing the manifest as text keeps comments and other entries, and always parses back."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.core.types import DocumentMeta
from ingest.manifest import parse_manifest_text
from ingest.manifest_edit import add_entry, remove_entry, replace_entry
from tests.conftest import CORPUS_DIR

PATH = Path("corpus/manifest.yaml")
REAL = (CORPUS_DIR / "manifest.yaml").read_text(encoding="utf-8")
NEW = DocumentMeta(
    doc_id="casus-x", title='Casus "X": #1', type="casus", date="2024-03", source_path="x.docx"
)


def parsed(text: str) -> dict[str, DocumentMeta]:
    return {m.doc_id: m for m in parse_manifest_text(text, PATH).values()}


def test_add_appends_and_keeps_every_line_before():
    text = add_entry(REAL, NEW, PATH)
    assert text.startswith(REAL)
    assert parsed(text)["casus-x"] == NEW
    assert len(parsed(text)) == 2


def test_replace_rewrites_only_the_changed_fields():
    old = next(iter(parsed(REAL).values()))
    text = replace_entry(REAL, dataclasses.replace(old, title="Nieuwe titel", url=""), PATH)
    assert parsed(text)[old.doc_id].title == "Nieuwe titel" and parsed(text)[old.doc_id].url == ""
    kept = [line for line in REAL.splitlines() if "title:" not in line and "url:" not in line]
    assert [line for line in text.splitlines() if "title:" not in line] == kept
    assert "# The letter itself carries no date" in text


def test_remove_takes_the_entry_and_leaves_the_others():
    both = add_entry(REAL, NEW, PATH)
    old = next(iter(parsed(REAL).values()))
    assert remove_entry(both, "casus-x", PATH) == REAL
    only_new = remove_entry(both, old.doc_id, PATH)
    assert list(parsed(only_new)) == ["casus-x"]
    assert "The letter itself" not in only_new  # its comment went with it
    assert parsed(remove_entry(only_new, "casus-x", PATH)) == {}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "documents: []\n",
        "documents: [{id: a, file: a.txt, title: A}]\n",
        "documents:\n- id: a\n  file: a.txt\n  title: A\n",
        "documents:\n    -   id: a\n        file: a.txt\n"
        "        title: >-\n          Lange\n          titel\n",
    ],
)
def test_any_valid_shape_gives_a_manifest_that_parses_to_what_was_meant(text):
    added = add_entry(text, NEW, PATH)
    assert parsed(added)["casus-x"] == NEW
    changed = replace_entry(added, dataclasses.replace(NEW, title="Ander"), PATH)
    assert parsed(changed)["casus-x"].title == "Ander"
    removed = remove_entry(changed, "casus-x", PATH)
    assert "casus-x" not in parsed(removed)
    if "a.txt" in text:
        assert parsed(removed)["a"].title in ("A", "Lange titel")
