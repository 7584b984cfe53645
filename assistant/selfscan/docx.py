"""The scan result as a Word document (python-docx), chart included, to take to an advisor."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt

from assistant.selfscan.chart import radar_png
from assistant.selfscan.render import answer_rows, cited, lever_parts, score_line, source_line
from assistant.selfscan.templates import ScanTemplates
from assistant.selfscan.types import ScanResult

CHART_WIDTH = Cm(12)


def to_docx_bytes(
    result: ScanResult, templates: ScanTemplates, chart: bytes | None = None
) -> bytes:
    """The result as the bytes of a .docx file (`chart`: PNG bytes, drawn when not given)."""
    buffer = io.BytesIO()
    build_document(result, templates, chart).save(buffer)
    return buffer.getvalue()


def build_document(
    result: ScanResult, templates: ScanTemplates, chart: bytes | None = None
) -> DocxDocument:
    """A python-docx Document holding the whole result."""
    t = templates.texts
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = t.titel
    doc.add_heading(t.titel, level=0)
    if result.company:
        doc.add_paragraph().add_run(result.company).bold = True
    doc.add_paragraph().add_run(t.toelichting).italic = True
    doc.add_heading(t.kop_scores, level=1)
    doc.add_picture(io.BytesIO(chart or radar_png(result)), width=CHART_WIDTH)
    doc.add_paragraph().add_run(t.grafiek).italic = True
    for lever in result.levers:
        doc.add_paragraph(score_line(result, lever.id, templates), style="List Bullet")
    _start(doc, result, templates)
    _levers(doc, result, templates)
    doc.add_heading(t.kop_vragen, level=1)
    for question in result.questions:
        doc.add_paragraph(question, style="List Bullet")
    _answers(doc, result, templates)
    doc.add_heading(t.kop_bronnen, level=1)
    for citation in result.citations:
        doc.add_paragraph(source_line(citation, templates))
    doc.add_paragraph().add_run(t.voettekst).italic = True
    return doc


def _start(doc: DocxDocument, result: ScanResult, templates: ScanTemplates) -> None:
    t = templates.texts
    doc.add_heading(t.kop_begin, level=1)
    doc.add_paragraph().add_run(result.start.text).bold = True
    if not result.start.quotes:
        doc.add_paragraph().add_run(t.geen_citaat).italic = True
        return
    doc.add_paragraph(t.label_citaat)
    for quote in result.start.quotes:
        doc.add_paragraph(cited(quote), style="Quote")


def _levers(doc: DocxDocument, result: ScanResult, templates: ScanTemplates) -> None:
    t = templates.texts
    doc.add_heading(t.kop_hefbomen, level=1)
    for part in lever_parts(result):
        doc.add_heading(score_line(result, part.id, templates), level=2)
        doc.add_paragraph().add_run(t.kop_uitleg).bold = True
        for description in part.descriptions:
            doc.add_paragraph(cited(description))
        if part.description_note:
            doc.add_paragraph().add_run(part.description_note).italic = True
        doc.add_paragraph().add_run(t.kop_tips).bold = True
        if part.tips_note:
            doc.add_paragraph().add_run(part.tips_note).italic = True
        for tip in part.tips:
            doc.add_paragraph(cited(tip), style="List Bullet")


def _answers(doc: DocxDocument, result: ScanResult, templates: ScanTemplates) -> None:
    doc.add_heading(templates.texts.kop_antwoorden, level=1)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Light List"
    for statement, answer in answer_rows(result, templates):
        cells = table.add_row().cells
        cells[0].text = statement
        cells[1].text = answer
