"""The brief as a Word document (python-docx), for printing or editing."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt

from assistant.briefing.render import cite, source_groups, with_citation
from assistant.briefing.types import Brief, BriefItem, BriefSection


def to_docx_bytes(brief: Brief) -> bytes:
    """The brief as the bytes of a .docx file."""
    buffer = io.BytesIO()
    build_document(brief).save(buffer)
    return buffer.getvalue()


def build_document(brief: Brief) -> DocxDocument:
    """A python-docx Document holding the whole brief."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = brief.title
    doc.add_heading(brief.title, level=0)
    doc.add_paragraph().add_run(brief.audience).bold = True
    for note in (brief.note, *brief.notes):
        doc.add_paragraph().add_run(note).italic = True
    for section in brief.sections:
        _section(doc, section)
    _sources(doc, brief)
    if brief.footer:
        doc.add_paragraph().add_run(brief.footer).italic = True
    return doc


def _section(doc: DocxDocument, section: BriefSection) -> None:
    doc.add_heading(section.heading, level=1)
    for paragraph in section.intro.split("\n\n") if section.intro else []:
        doc.add_paragraph(paragraph)
    if section.key == "opzet":
        _outline(doc, section)
        return
    style = "List Number" if section.key == "vragen" else "List Bullet"
    for item in section.items:
        _item(doc, item, style)


def _item(doc: DocxDocument, item: BriefItem, style: str) -> None:
    paragraph = doc.add_paragraph(style=style)
    if item.label:
        paragraph.add_run(f"{item.label} ").bold = True
    paragraph.add_run(with_citation(item.text, item.sources))
    for detail in item.details:
        doc.add_paragraph(detail, style="List Bullet 2")
    for child in item.children:
        sub = doc.add_paragraph(style="List Bullet 2")
        if child.label:
            sub.add_run(f"{child.label} ").italic = True
        sub.add_run(with_citation(child.text, child.sources))


def _outline(doc: DocxDocument, section: BriefSection) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Light List"
    for item in section.items:
        cells = table.add_row().cells
        cells[0].text = item.label
        cells[1].text = with_citation(item.text, item.sources)


def _sources(doc: DocxDocument, brief: Brief) -> None:
    doc.add_heading(brief.sources_heading, level=1)
    for reference, sources in source_groups(brief):
        doc.add_paragraph(reference)
        for source in sources:
            doc.add_paragraph(f"{cite((source.n,))} {source.location}", style="List Bullet")
