"""Recorded model replies of every marker shape, through the fake chat model and the real
AnsweringService in generative mode: the answer keeps only canonical [n] markers that its
passages support, renumbered in order of first appearance, and its citations match."""

from __future__ import annotations

import re

import pytest

from assistant.answering.service import AnsweringService
from assistant.answering.types import Answer
from assistant.core.text import find_markers
from tests.fakes import FakeChatModel, FakeRetriever, load_fixture_chunks
from tests.unit.answering.recorded_replies import (
    ENGLISH_SOURCES,
    ENUMERATORS,
    LLAMA3_LIST,
    MISTRAL_FOOTNOTES,
    QWEN_GROUPS,
    RECORDINGS,
    Recording,
)
from tests.unit.answering.test_generative import TUNING

BY_NAME = pytest.mark.parametrize("rec", RECORDINGS, ids=lambda r: r.name.split(":")[0])


def ask(settings, rec: Recording, streaming: bool = False) -> tuple[Answer, list]:
    retriever = FakeRetriever(load_fixture_chunks())
    ranked = [h.chunk.chunk_id for h in retriever.search(rec.question, k=settings.top_k)]
    assert tuple(ranked[: len(rec.sources)]) == rec.sources, "the recording's numbering"
    service = AnsweringService(settings, retriever, FakeChatModel([rec.reply]), tuning=TUNING)
    if not streaming:
        return service.answer(rec.question), []
    *pieces, answer = service.stream(rec.question)
    return answer, pieces


def body(answer: Answer) -> str:
    """The answer text without the service's notes."""
    text = answer.text
    for note in answer.notes:
        text = text.replace(note, "")
    return text.strip()


@BY_NAME
def test_recorded_reply_becomes_the_checked_answer(settings, rec):
    answer, _ = ask(settings, rec)
    assert answer.mode == "generatief" and not answer.refused
    assert body(answer) == rec.text
    assert tuple(c.chunk_id for c in answer.citations) == rec.cited
    assert [c.n for c in answer.citations] == list(range(1, len(rec.cited) + 1))


@BY_NAME
def test_unsupported_markers_are_removed_and_flagged(settings, rec):
    answer, _ = ask(settings, rec)
    assert answer.flagged == bool(rec.removed)
    assert len(answer.notes) == bool(rec.removed)
    if rec.removed:  # the note counts what went: "Let op: 2 bronverwijzing(en) ..."
        assert re.match(rf"(Let op|Note): {rec.removed} \w", answer.notes[0])


@BY_NAME
def test_only_canonical_markers_remain_numbered_by_first_appearance(settings, rec):
    answer, _ = ask(settings, rec)
    text = body(answer)
    markers = find_markers(text)
    assert all(re.fullmatch(r"(\[\d+\])+", text[m.start : m.end]) for m in markers)
    numbers = [n for m in markers for n in m.numbers]
    assert list(dict.fromkeys(numbers)) == list(range(1, len(answer.citations) + 1))
    for leftover in ("[^", "(bron", "(source", "Bronnen", "Sources", "¹", "²", "³", "⁶"):
        assert leftover not in text


def test_years_list_numbers_and_enumerators_are_untouched(settings):
    listing, _ = ask(settings, LLAMA3_LIST)
    assert [ln[:3] for ln in body(listing).splitlines()[2:]] == ["1. ", "2. ", "3. ", "4. "]
    assert "vier onderdelen [1]." in listing.text
    definition, _ = ask(settings, MISTRAL_FOOTNOTES)
    assert "landelijke SER (2006) wordt" in definition.text
    assert "gemiddeld 10% productiever." in definition.text
    enumerated, _ = ask(settings, ENUMERATORS)
    assert "om (1) de bestaande netwerken" in enumerated.text
    assert "verspreiden [2] en (2) in het subsidiebeleid" in enumerated.text


def test_a_group_keeps_each_supported_member(settings):
    answer, _ = ask(settings, ENUMERATORS)
    first_line = body(answer).splitlines()[0]
    # [1-3] cited the advice intro, the definition and the networks passage: the
    # definition does not say this, so the range becomes [1][3], renumbered [1][2]
    assert first_line.endswith("bestaande netwerken te gebruiken [1][2].")
    assert [c.chunk_id for c in answer.citations[:2]] == ["fx-00", "fx-01"]


def test_renumbering_follows_the_first_appearance_not_the_model_numbers(settings):
    answer, _ = ask(settings, QWEN_GROUPS)
    # the model's [5] comes first, so it becomes [1]; its [4] second, its [1] third
    assert [c.chunk_id for c in answer.citations] == ["fx-06", "fx-05", "fx-04"]


def test_english_reply_keeps_its_shape_and_english_note(settings):
    answer, _ = ask(settings, ENGLISH_SOURCES)
    assert answer.language == "en"
    assert answer.notes and answer.notes[0].startswith("Note:")


@BY_NAME
def test_streaming_ends_with_the_same_checked_answer(settings, rec):
    streamed, pieces = ask(settings, rec, streaming=True)
    assert "".join(pieces).strip() == rec.reply
    assert streamed.text == ask(settings, rec)[0].text
