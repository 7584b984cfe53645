"""A briefing service over the fixture chunks (OCR text of the corpus PDF), with fakes."""

from __future__ import annotations

import re

from assistant.answering.refusal import ScopePolicy
from assistant.answering.support import SentenceScorer
from assistant.briefing.service import BriefingService, BriefTuning
from assistant.briefing.types import Brief
from assistant.core.text import normalise_space
from assistant.core.types import Chunk
from tests.fakes import FakeRetriever, HashEmbedder, load_fixture_chunks

# The hash embedder's cosines are low; the scope check still needs shared words.
LAX = BriefTuning(
    scope=ScopePolicy(min_dense=0.0, min_relevance=0.2, min_relevance_en=0.2), min_handling=0.1
)
MARKER = re.compile(r"\[(\d+)\]")

CASE = Chunk(
    chunk_id="casus-1",
    doc_id="casus-pionier-zwolle",
    text=(
        "Een metaalbedrijf in Zwolle laat medewerkers zelf hun werkprocessen inrichten. "
        "Slimmer werken begon daar met een werkgroep van medewerkers die ideeën verzamelde."
    ),
    title="Casus: een Pionier in Zwolle",
    type="casus",
    page_start=1,
    page_end=1,
    section="Wat werkte",
    position=0,
    doc_hash="c",
    publisher="Pioniers",
    date="2023",
    year=2023,
)


def make_service(settings, chunks=None, chat_model=None) -> BriefingService:
    """A briefing service over the fixture chunks (plus extra ones), lax scope policy."""
    retriever = FakeRetriever(chunks if chunks is not None else load_fixture_chunks())
    scorer = SentenceScorer(HashEmbedder())
    return BriefingService(settings, retriever, scorer, chat_model, LAX)


def corpus_items(brief: Brief):
    """(item, section key) for every item that carries sources, children included."""
    for section in brief.sections:
        for item in section.items:
            if item.sources:
                yield item, section.key
            for child in item.children:
                if child.sources:
                    yield child, section.key


def in_source(text: str, source_text: str) -> bool:
    """Whether a quoted point occurs word for word (bullets and spacing aside) in a source."""
    flat = normalise_space(re.sub(r"(?m)^\s*(?:[-•«*·]|\d{1,2}[.)])\s+", "", source_text))
    parts = [normalise_space(p).rstrip(".;") for p in re.split(r"(?<=[.;:])\s+", text)]
    return all(p in flat for p in parts if p)
