"""API shapes come from the core records: answers, citations and hits are those dataclasses."""

from __future__ import annotations

from dataclasses import fields

from assistant.answering.types import Answer, Citation
from assistant.api.app import openapi_document
from assistant.api.schemas import DocumentOut
from assistant.core.types import Chunk, DocumentMeta, Hit


def _properties(document: dict, name: str) -> set[str]:
    return set(document["components"]["schemas"][name]["properties"])


def test_answer_citation_and_hit_schemas_are_the_core_records():
    document = openapi_document()
    assert _properties(document, "Answer") == {f.name for f in fields(Answer)}
    assert _properties(document, "Citation") == {f.name for f in fields(Citation)}
    assert _properties(document, "Hit") == {f.name for f in fields(Hit)}
    assert _properties(document, "Chunk") == {f.name for f in fields(Chunk)}


def test_document_out_carries_every_public_document_field():
    public = {f.name for f in fields(DocumentMeta)} - {"source_path"}
    assert public <= set(DocumentOut.model_fields)
    assert set(DocumentOut.model_fields) - public == {"pages", "chunks", "has_file"}
