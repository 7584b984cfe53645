"""The composition root: builds once, lazily, from Settings; registered parts win."""

from __future__ import annotations

import pytest

from assistant.answering.service import AnsweringService
from assistant.briefing.service import BriefingService
from assistant.container import Container
from assistant.services import Services
from tests.fakes import FakeChatModel, FakeRetriever, load_fixture_chunks


@pytest.fixture
def container(settings):
    retriever = FakeRetriever(load_fixture_chunks())
    return Container(settings, embedder=retriever.embedder, retriever=retriever, chat_model=None)


def test_components_are_built_once_from_the_registered_parts(container):
    answering = container.answering
    assert isinstance(answering, AnsweringService)
    assert container.answering is answering
    assert answering.retriever is container.retriever
    assert answering.scorer is container.scorer
    assert container.scorer.embedder is container.retriever.embedder
    briefing = container.briefing
    assert isinstance(briefing, BriefingService)
    assert briefing.scorer is container.scorer and briefing.retriever is container.retriever
    assert briefing.tuning.scope == container.tuning.scope


def test_nothing_is_built_before_it_is_asked_for(container, settings):
    container.answering  # noqa: B018
    assert "feedback" not in vars(container)
    assert not (settings.data_dir / "feedback.sqlite3").exists()
    container.feedback  # noqa: B018
    assert (settings.data_dir / "feedback.sqlite3").exists()


def test_a_registered_chat_model_makes_answers_generative(settings):
    retriever = FakeRetriever(load_fixture_chunks())
    container = Container(settings, retriever=retriever, chat_model=FakeChatModel())
    assert container.answering.mode == "generatief"
    assert Services(container).health()["mode"] == "generatief"


def test_unknown_components_are_refused(settings):
    with pytest.raises(TypeError, match="retreiver"):
        Container(settings, retreiver=object())


def test_derive_changes_settings_and_keeps_registered_parts_only(container):
    first = container.answering
    derived = container.derive(top_k=3)
    assert derived.settings.top_k == 3 and container.settings.top_k == 8
    assert derived.retriever is container.retriever
    assert derived.answering is not first and derived.answering.settings.top_k == 3
