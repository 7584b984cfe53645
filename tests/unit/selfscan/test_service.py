"""The self-scan service on fixture chunks: cited descriptions and tips per lever, the start
advice with its quote, plain notes where the documents are silent, sharing without identity."""

from __future__ import annotations

import pytest

from assistant.core.errors import InvalidInputError
from assistant.feedback import FeedbackStore
from tests.unit.briefing.brief_fixtures import in_source
from tests.unit.selfscan.scan_fixtures import LEVERS, answers_for, make_scan_service


@pytest.fixture
def service(settings):
    return make_scan_service(settings, store=FeedbackStore.from_settings(settings))


@pytest.fixture
def result(service):
    answers = answers_for(service, dynamisch_managen=2, co_creatie=1)
    return service.scan(answers, "metaal", 40)


def quoted(result):
    """Every quote the result shows: start quotes, descriptions and tips."""
    return [*result.start.quotes, *result.descriptions, *result.tips]


def test_levers_come_in_file_order_with_scores_and_words(result):
    assert [(s.id, s.score, s.words) for s in result.levers] == [
        ("dynamisch-managen", 25, "hier valt nog veel te winnen"),
        ("flexibel-organiseren", 50, "een begin is er"),
        ("slimmer-werken", 50, "een begin is er"),
        ("co-creatie", 0, "hier valt nog veel te winnen"),
    ]


def test_every_lever_gets_its_own_description_quoted_from_the_cited_source(result):
    by_n = {c.n: c for c in result.citations}
    assert [d.lever for d in result.descriptions] == list(LEVERS)
    for description, name in zip(
        result.descriptions, ["Dynamisch", "Flexibel", "Slimmer", "Co-creatie"], strict=True
    ):
        assert description.text.startswith(name)  # the lever's own item of the list
        assert in_source(description.text, by_n[description.citations[0]].text)


def test_tips_belong_to_their_lever_and_are_quoted_from_the_cited_source(result):
    by_n = {c.n: c for c in result.citations}
    tips = {t.lever: t for t in result.tips}
    assert tips["dynamisch-managen"].text.startswith("Dynamisch managen: begin bij de directeur")
    assert tips["flexibel-organiseren"].text.startswith("Flexibel organiseren: zorg voor")
    assert tips["slimmer-werken"].text.startswith("Slimmer werken: speel in op")
    for tip in result.tips:
        assert in_source(tip.text, by_n[tip.citations[0]].text), tip.text


def test_a_lever_the_documents_give_no_tips_for_is_said_plainly(result):
    assert not [t for t in result.tips if t.lever == "co-creatie"]
    notes = [(n.lever, n.kind, n.text) for n in result.notes]
    assert notes == [("co-creatie", "tips", "De documenten geven geen tips voor co-creatie.")]


def test_a_lever_without_a_description_is_said_plainly(settings):
    from tests.fakes import load_fixture_chunks

    chunks = [c for c in load_fixture_chunks() if "vier onderdelen" not in c.text]
    service = make_scan_service(settings, chunks)
    result = service.scan(answers_for(service))
    kinds = {(n.lever, n.kind) for n in result.notes}
    assert ("co-creatie", "uitleg") in kinds
    assert "De documenten leggen niet uit wat co-creatie inhoudt." in [n.text for n in result.notes]


def test_sources_are_numbered_in_reading_order_and_all_cited(result):
    numbers = [c.n for c in result.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    first_seen = list(dict.fromkeys(n for q in quoted(result) for n in q.citations))
    assert first_seen == numbers
    assert all(c.chunk_id and c.doc_id and c.page and c.text for c in result.citations)


def test_start_advice_rests_on_the_documents_advice_to_begin_with_the_director(result):
    start = result.start
    assert (result.start_lever, start.lever, start.case) == ("dynamisch-managen",) * 2 + ("bron",)
    assert start.text.startswith("Begin bij dynamisch managen (25 van 100)")
    assert "co-creatie (0)" in start.text  # weighed against the weakest lever
    quote = start.quotes[0]
    assert "begin bij de directeur" in quote.text and quote.citations


def test_when_the_start_lever_is_strong_the_weakest_lever_comes_first(service):
    result = service.scan(answers_for(service, dynamisch_managen=5, slimmer_werken=2, co_creatie=4))
    assert (result.start_lever, result.start.case) == ("slimmer-werken", "zwakste")
    assert result.start.text.startswith("Begin bij slimmer werken (25 van 100)")
    assert "dynamisch managen" in result.start.text and "(100)" in result.start.text


def test_two_or_three_chat_questions_follow_the_start_and_the_weakest_lever(result, service):
    assert result.questions == (
        "Hoe begin ik met dynamisch managen in mijn bedrijf?",
        "Hoe kan ik samenwerken met andere bedrijven en onderwijsinstellingen?",
        "Wat levert sociale innovatie een bedrijf in de sector metaal op?",
    )
    plain = service.scan(answers_for(service, dynamisch_managen=1))
    assert plain.questions == (
        "Hoe begin ik met dynamisch managen in mijn bedrijf?",
        "Wat levert sociale innovatie mijn bedrijf op?",
    )


def test_company_facts_are_described(result, service):
    assert result.company == "Uw bedrijf: sector metaal, 40 medewerkers (klein bedrijf)."
    assert service.scan(answers_for(service)).company == ""


def test_incomplete_answers_are_refused_before_any_search(service):
    answers = answers_for(service)
    del answers["cc3"]
    with pytest.raises(InvalidInputError, match="cc3"):
        service.scan(answers)
    assert service.retriever.queries == []


def test_retrieval_uses_each_levers_queries_and_the_sector_only_when_given(service):
    service.scan(answers_for(service))
    queries = service.retriever.queries
    assert "Tips voor co-creatie" in queries and "Wat is flexibel organiseren?" in queries
    assert not any("sector" in q for q in queries)
    service.scan(answers_for(service), "metaal")
    assert "dynamisch managen in een bedrijf in de sector metaal" in service.retriever.queries


def test_form_lists_statements_levers_and_scale(service):
    form = service.form()
    assert set(form) == {"statements", "levers", "scale"}
    assert form["levers"][0] == {"id": "dynamisch-managen", "name": "Dynamisch managen"}
    assert len(form["statements"]) == 16
    assert set(form["statements"][0]) == {"id", "lever", "text"}
    assert form["scale"] == ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"]


def test_sharing_stores_answers_and_scores_but_nothing_that_identifies(result, service):
    service.share(result)
    [stored] = service.store.list_scans()
    assert stored["answers"] == result.answers
    assert stored["scores"] == {s.id: s.score for s in result.levers}
    assert (stored["start_lever"], stored["size_class"]) == ("dynamisch-managen", "klein")
    assert len(stored["month"]) == 7  # YYYY-MM, no time of day
    assert "metaal" not in str(stored) and "40" not in str(stored["size_class"])
    assert set(stored) == {"id", "month", "answers", "scores", "start_lever", "size_class"}


def test_a_scan_is_stored_only_when_shared(result, service):
    assert service.store.list_scans() == []


def test_warm_up_runs_the_scans_queries_and_never_raises(service, monkeypatch):
    service.warm_up(background=False)
    assert "Tips voor co-creatie" in service.retriever.queries

    def broken(*args, **kwargs):
        raise RuntimeError("index gone")

    monkeypatch.setattr(service.retriever, "search", broken)
    service.warm_up(background=True).join(timeout=30)  # logged, not raised


def test_the_container_builds_one_scan_service_on_the_shared_parts(settings):
    from assistant.services import Services
    from tests.fakes import fake_container

    container = fake_container(settings)
    service = container.selfscan
    assert Services(container).selfscan is service
    assert service.retriever is container.retriever and service.scorer is container.scorer
    assert service.store is container.feedback
    # the scan picks sentences by SentenceScorer.relevance, as the brief does, so it keeps
    # its own floor (the answering scope policy now measures lexical support instead)
    assert service.tuning.min_relevance == 0.30
