"""The briefing service on fixture chunks: sections, citations, retrieval, bad input."""

from __future__ import annotations

import pytest

from assistant.briefing.validation import ThemeNotCoveredError
from assistant.core.errors import InvalidInputError
from tests.unit.briefing.brief_fixtures import CASE, corpus_items, in_source, make_service

KEYS = ["kern", "succesfactoren", "knelpunten", "voorbeelden", "vragen", "opzet"]


@pytest.fixture
def service(settings):
    return make_service(settings)


@pytest.fixture
def brief(service):
    return service.build_brief("slimmer werken", "metaal", 40, 90)


def test_brief_has_every_section_in_order_with_dutch_headings(brief):
    assert [s.key for s in brief.sections] == KEYS
    assert brief.title == "Sessie: Slimmer werken"
    assert "sector metaal" in brief.audience and "40 medewerkers" in brief.audience
    assert "(klein bedrijf)" in brief.audience and "90 minuten" in brief.audience
    headings = [s.heading for s in brief.sections]
    assert headings[0] == "De kern van het thema"
    assert headings[-1] == "Voorgestelde opzet (90 minuten)"


def test_core_has_three_to_six_points(brief):
    assert 3 <= len(brief.section("kern").items) <= 6


def test_every_citation_resolves_and_sources_are_numbered_in_reading_order(brief):
    numbers = [s.n for s in brief.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    first_seen = []
    for item, _ in corpus_items(brief):
        for n in item.sources:
            assert n in numbers
            if n not in first_seen:
                first_seen.append(n)
    assert first_seen == numbers  # every source is cited, in order of first citation


def test_every_point_is_quoted_from_the_source_it_cites(brief):
    by_n = {s.n: s for s in brief.sources}
    items = [i for i, key in corpus_items(brief) if key != "vragen"]
    assert items
    for item in items:
        assert item.origin == "bron"
        source = by_n[item.sources[0]].text
        assert in_source(item.text, source), item.text
        for detail in item.details:
            assert in_source(detail, source), detail


def test_sources_carry_title_publisher_date_and_pages(brief):
    source = brief.sources[0]
    assert source.title.startswith("Briefadvies sociale innovatie")
    assert source.publisher == "SER Overijssel" and source.date
    assert source.pages and source.location.startswith("pagina ")
    assert source.reference.startswith(source.title)


def test_barriers_come_with_how_the_sources_suggest_handling_them(service):
    brief = service.build_brief("subsidie voor vernieuwende projecten")
    barriers = brief.section("knelpunten").items
    assert barriers
    assert "struikelblok" in barriers[0].text
    child = barriers[0].children[0]
    assert child.label == "Aanpak volgens de bronnen:"
    assert "duurzaam inzetten" in child.text and child.sources


def test_without_case_studies_the_brief_says_so_plainly(brief):
    examples = brief.section("voorbeelden")
    assert "geen praktijkvoorbeelden" in examples.intro
    assert all(item.sources for item in examples.items)


def test_case_studies_are_used_when_the_corpus_has_them(settings):
    from tests.fakes import load_fixture_chunks

    service = make_service(settings, [*load_fixture_chunks(), CASE])
    brief = service.build_brief("slimmer werken")
    examples = brief.section("voorbeelden")
    assert "geen praktijkvoorbeelden" not in examples.intro
    cited = {brief.sources[n - 1].doc_id for item in examples.items for n in item.sources}
    assert cited == {"casus-pionier-zwolle"}


def test_retrieval_uses_several_queries_from_theme_and_sector(service):
    service.build_brief("slimmer werken", "metaal")
    queries = service.retriever.queries
    assert len(set(queries)) >= 8
    assert any("metaal" in q for q in queries)
    assert sum("slimmer werken" in q for q in queries) >= 6


def test_sector_queries_are_left_out_without_a_sector(service):
    service.build_brief("slimmer werken")
    assert not any("sector" in q for q in service.retriever.queries)


def test_discussion_questions_and_outline_come_from_templates(brief):
    questions = brief.section("vragen").items
    assert len(questions) >= 4
    assert all(q.origin == "sjabloon" for q in questions)
    assert any("slimmer werken in de sector metaal" in q.text for q in questions)
    outline = brief.section("opzet").items
    assert outline[0].label.startswith("0–") and outline[-1].label.endswith("–90 min")


def test_a_theme_outside_the_corpus_gives_a_clear_message(service):
    with pytest.raises(ThemeNotCoveredError) as info:
        service.build_brief("recepten voor appeltaart")
    message = str(info.value)
    assert "recepten voor appeltaart" in message and "te weinig" in message
    assert isinstance(info.value, InvalidInputError)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"theme": "   "}, "Geef een thema op"),
        ({"theme": "x" * 121}, "te lang"),
        ({"theme": "slimmer werken", "size": 0}, "tussen 1 en 249"),
        ({"theme": "slimmer werken", "size": 250}, "mkb"),
        ({"theme": "slimmer werken", "size": "veel"}, "geheel getal"),
        ({"theme": "slimmer werken", "duration": 29}, "tussen 30 en 480"),
        ({"theme": "slimmer werken", "duration": 481}, "tussen 30 en 480"),
        ({"theme": "slimmer werken", "sector": "metaal; DROP"}, "alleen letters"),
    ],
)
def test_bad_input_gives_a_dutch_message_before_any_search(service, kwargs, expected):
    with pytest.raises(InvalidInputError, match=expected):
        service.build_brief(
            kwargs["theme"], kwargs.get("sector"), kwargs.get("size"), kwargs.get("duration")
        )
    assert service.retriever.queries == []


def test_a_template_with_an_unknown_variable_fails_loudly(settings, tmp_path):
    import shutil

    from assistant.core.errors import ConfigError

    prompts = tmp_path / "prompts"
    shutil.copytree(settings.prompts_dir, prompts)
    path = prompts / "brief_questions.txt"
    text = path.read_text(encoding="utf-8").replace(
        "[algemeen]\n", "[algemeen]\nWat is $onbekend?\n"
    )
    path.write_text(text, encoding="utf-8")
    service = make_service(settings.model_copy(update={"prompts_dir": prompts}))
    with pytest.raises(ConfigError, match="onbekend"):
        service.build_brief("slimmer werken")
