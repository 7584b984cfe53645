"""The scan result as Markdown, as a Word file with the chart, and the chart itself."""

from __future__ import annotations

import io
import re

import docx
import pytest
from PIL import Image

from assistant.core.errors import InvalidInputError
from assistant.selfscan.chart import radar_png
from assistant.selfscan.docx import to_docx_bytes
from assistant.selfscan.files import file_name, scan_bytes, write_scan
from assistant.selfscan.render import to_markdown
from tests.unit.selfscan.scan_fixtures import answers_for, make_scan_service

MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture
def service(settings):
    return make_scan_service(settings)


@pytest.fixture
def result(service):
    return service.scan(answers_for(service, dynamisch_managen=2, co_creatie=1), "metaal", 40)


def test_markdown_has_scores_start_advice_levers_questions_answers_and_sources(result, service):
    text = to_markdown(result, service.templates)
    assert text.startswith("# Zelfscan sociale innovatie\n")
    assert "**Uw bedrijf: sector metaal, 40 medewerkers (klein bedrijf).**" in text
    headings = re.findall(r"^#+ (.*)$", text, re.MULTILINE)
    assert headings[1:4] == ["Uw scores", "Waar begin ik?", "Per hefboom"]
    assert "### Co-creatie: 0 van 100, hier valt nog veel te winnen" in text
    assert "_De documenten geven geen tips voor co-creatie._" in text
    assert "- Hoe begin ik met dynamisch managen in mijn bedrijf?" in text
    assert "- **2 – oneens** · We geven medewerkers ruimte" in text
    assert headings[-1] == "Bronnen"


def test_every_marker_in_the_markdown_resolves_to_a_source_line(result, service):
    body, sources = to_markdown(result, service.templates).split("## Bronnen", 1)
    listed = {int(n) for n in re.findall(r"^- \[(\d+)\] .+, pagina \d", sources, re.MULTILINE)}
    used = {int(n) for n in MARKER.findall(body)}
    assert used and used == listed == {c.n for c in result.citations}


def test_the_ui_markdown_leaves_out_title_questions_and_answers(result, service):
    text = to_markdown(result, service.templates, screen=True)
    assert text.startswith("**Uw bedrijf: sector metaal")
    assert "## Vraag verder" not in text and "## Uw antwoorden" not in text
    assert "## Bronnen" in text


def test_the_chart_is_a_readable_png(result):
    png = radar_png(result)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    width, height = image.size
    assert width >= 800 and height >= 800  # 150 dpi: sharp on a phone and in Word
    assert 0.8 < width / height < 1.25


def test_the_word_file_holds_the_chart_sections_and_resolving_citations(result, service):
    document = docx.Document(io.BytesIO(to_docx_bytes(result, service.templates)))
    assert len(document.inline_shapes) == 1  # the chart
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Uw scores", "Waar begin ik?", "Per hefboom"]
    assert "Dynamisch managen: 25 van 100, hier valt nog veel te winnen" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    body, sources = text.split("\nBronnen\n")
    cited = {int(n) for n in MARKER.findall(body)}
    listed = {int(n) for n in re.findall(r"^\[(\d+)\] .+, pagina \d", sources, re.MULTILINE)}
    assert cited and cited == listed == {c.n for c in result.citations}
    table = document.tables[0]
    assert len(table.rows) == 16
    assert table.rows[0].cells[1].text == "2 – oneens"


def test_files_by_suffix_and_download_names(result, service, tmp_path):
    for suffix in ("md", "docx", "json"):
        path = write_scan(result, service.templates, tmp_path / f"scan.{suffix}")
        assert path.stat().st_size > 0
    assert scan_bytes(result, service.templates, "json").startswith(b"{")
    assert file_name("docx") == "zelfscan-sociale-innovatie.docx"
    with pytest.raises(InvalidInputError, match=r"\.docx, \.md of \.json"):
        write_scan(result, service.templates, tmp_path / "scan.pdf")
    with pytest.raises(InvalidInputError, match="bestaat niet"):
        write_scan(result, service.templates, tmp_path / "nee" / "scan.md")
