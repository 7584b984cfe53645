"""Every evidence phrase in the committed sets occurs verbatim in the corpus PDF (pypdf text,
with the documented OCR repairs of ingest/ocr_repairs.py applied, as the index holds it)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from evals.metrics import fold
from evals.sets import load_sets
from ingest.ocr_repairs import repair_words
from tests.conftest import CORPUS_DIR, REPO_ROOT

pytestmark = pytest.mark.integration

SETS = [REPO_ROOT / "evals" / "sets" / name for name in ("dev.jsonl", "test.jsonl")]


@pytest.fixture(scope="module")
def pdf_text() -> dict[str, str]:
    """Folded text of every corpus PDF, keyed by doc id (the file stem)."""
    return {
        path.stem: fold(
            repair_words(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))
        )
        for path in CORPUS_DIR.glob("*.pdf")
    }


@pytest.mark.parametrize("set_path", SETS, ids=lambda p: p.name)
def test_evidence_phrases_occur_in_their_document(set_path, pdf_text):
    missing = []
    for case in load_sets([set_path]):
        text = pdf_text.get(case.doc_id or "", " ".join(pdf_text.values()))
        missing += [(case.id, p) for p in case.evidence if fold(p) not in text]
    assert not missing, f"evidence not in the PDF text: {missing}"


@pytest.mark.parametrize("set_path", SETS, ids=lambda p: p.name)
def test_evidence_phrases_are_short_and_distinctive(set_path):
    for case in load_sets([set_path]):
        for phrase in case.evidence:
            assert 3 <= len(phrase.split()) <= 8, (case.id, phrase)
