"""Markdown and Word renderings of a brief: sections, citations that resolve, source list."""

from __future__ import annotations

import io
import re

import docx
import pytest

from assistant.briefing.docx import to_docx_bytes
from assistant.briefing.files import brief_bytes, file_name, write_brief
from assistant.briefing.outline import allocate
from assistant.briefing.render import to_markdown
from assistant.core.errors import InvalidInputError
from tests.unit.briefing.brief_fixtures import MARKER, make_service


@pytest.fixture
def brief(settings):
    return make_service(settings).build_brief("slimmer werken", "metaal", 40, 90)


def test_markdown_has_title_audience_sections_and_sources(brief):
    text = to_markdown(brief)
    assert text.startswith("# Sessie: Slimmer werken")
    for section in brief.sections:
        assert f"## {section.heading}" in text
    assert "## Bronnen" in text
    assert "1. Wat verstaat u zelf onder slimmer werken" in text  # numbered questions
    assert "**0–10 min**" in text


def test_every_marker_in_the_markdown_resolves_to_a_source_line(brief):
    body, sources = to_markdown(brief).split("## Bronnen", 1)
    listed = {int(n) for n in re.findall(r"^- \[(\d+)\] pagina ", sources, re.MULTILINE)}
    used = {int(n) for n in MARKER.findall(body)} - {0}
    assert used and used <= listed
    assert listed == {s.n for s in brief.sources}
    assert brief.sources[0].reference in sources


def test_word_file_opens_and_holds_sections_citations_and_sources(brief):
    document = docx.Document(io.BytesIO(to_docx_bytes(brief)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [s.heading for s in brief.sections] + ["Bronnen"]
    assert document.paragraphs[0].text == brief.title
    text = "\n".join(p.text for p in document.paragraphs)
    cited = {int(n) for n in MARKER.findall(text.split("\nBronnen\n")[0])}
    sources = re.findall(r"^\[(\d+)\] pagina ", text, re.MULTILINE)
    assert cited and cited <= {int(n) for n in sources}
    assert brief.sources[0].reference in text
    outline = document.tables[0]
    assert outline.rows[0].cells[0].text == "0–10 min"
    assert len(outline.rows) == len(brief.section("opzet").items)


def test_files_by_suffix_and_a_clear_message_for_others(brief, tmp_path):
    assert write_brief(brief, tmp_path / "b.md").read_text("utf-8").startswith("# Sessie")
    assert write_brief(brief, tmp_path / "b.docx").read_bytes()[:2] == b"PK"
    assert b'"title": "Sessie: Slimmer werken"' in brief_bytes(brief, "json")
    with pytest.raises(InvalidInputError, match=".docx, .md of .json"):
        write_brief(brief, tmp_path / "b.pdf")
    with pytest.raises(InvalidInputError, match="bestaat niet"):
        write_brief(brief, tmp_path / "nergens" / "b.md")
    assert file_name(brief, "docx") == "sessiebrief-slimmer-werken.docx"


@pytest.mark.parametrize("total", [30, 45, 60, 90, 95, 180, 181, 240, 480, 31, 479])
@pytest.mark.parametrize("weights", [[10, 30, 40, 20], [10, 20, 20, 25, 15, 10], [8, 12, 15, 5]])
def test_outline_minutes_add_up_to_the_duration(total, weights):
    minutes = allocate(weights, total)
    assert sum(minutes) == total
    assert all(m % 5 == 0 for m in minutes[:-1])


def test_outline_follows_the_session_length(settings):
    service = make_service(settings)
    short = service.build_brief("slimmer werken", duration=30).section("opzet").items
    long = service.build_brief("slimmer werken", duration=480).section("opzet").items
    assert len(short) == 4 and short[-1].label.endswith("–30 min")
    assert len(long) == 9 and long[-1].label.endswith("–480 min")
    assert any(item.text.startswith("Pauze") for item in long)
