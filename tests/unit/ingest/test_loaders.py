"""Loaders: every supported type loads; unreadable files raise DocumentError naming the file."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from assistant.core.errors import DocumentError
from ingest.loaders import SUPPORTED_SUFFIXES, LoadedDocument, load_document

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
REAL_PDF = (
    Path(__file__).resolve().parents[3]
    / "corpus"
    / "ser-overijssel-briefadvies-sociale-innovatie-2022.pdf"
)


def write_pdf(path: Path, pages: list[str], title: str = "", password: str | None = None) -> Path:
    """A PDF with one line of Helvetica text per page ('' gives a blank page)."""
    writer = PdfWriter()
    for text in pages:
        page = writer.add_blank_page(width=595, height=842)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        stream = DecodedStreamObject()
        if text:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            stream.set_data(f"BT /F1 12 Tf 72 770 Td ({escaped}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if title:
        writer.add_metadata({"/Title": title})
    if password is not None:
        writer.encrypt(user_password=password, owner_password="eigenaar", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == frozenset({".pdf", ".txt", ".md", ".docx"})


def test_pdf_pages_and_title(tmp_path):
    path = write_pdf(
        tmp_path / "advies.pdf", ["Sociale innovatie in het mkb.", "Tweede pagina."], "Advies"
    )
    doc = load_document(path)
    assert isinstance(doc, LoadedDocument)
    assert doc.path == path
    assert [p.number for p in doc.pages] == [1, 2]
    assert "Sociale innovatie in het mkb." in doc.pages[0].text
    assert "Tweede pagina." in doc.pages[1].text
    assert doc.title_hint == "Advies"


def test_pdf_without_title_gives_empty_hint(tmp_path):
    assert load_document(write_pdf(tmp_path / "a.pdf", ["Tekst."])).title_hint == ""


def test_real_pdf_loads_eleven_pages_with_title():
    doc = load_document(REAL_PDF)
    assert len(doc.pages) == 11
    assert doc.title_hint == "Briefadvies sociale innovatie - SER Overijssel"
    assert doc.pages[0].text.lstrip().startswith("Geacht College,")
    assert "Definitie sociale innovatie" in doc.pages[2].text


def test_pdf_with_owner_password_only_opens(tmp_path):
    path = write_pdf(tmp_path / "beveiligd.pdf", ["Leesbaar zonder wachtwoord."], password="")
    assert "Leesbaar zonder wachtwoord." in load_document(path).pages[0].text


def test_encrypted_pdf_raises_naming_file(tmp_path):
    path = write_pdf(tmp_path / "geheim.pdf", ["Geheime tekst."], password="geheim")
    with pytest.raises(DocumentError, match="wachtwoord") as info:
        load_document(path)
    assert info.value.path == str(path)
    assert "geheim.pdf" in str(info.value)


def test_corrupt_pdf_raises_naming_file(tmp_path):
    path = tmp_path / "kapot.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ngarbage without xref")
    with pytest.raises(DocumentError, match="beschadigd") as info:
        load_document(path)
    assert info.value.path == str(path)


def test_truncated_real_pdf_raises(tmp_path):
    path = tmp_path / "afgebroken.pdf"
    path.write_bytes(REAL_PDF.read_bytes()[:2000])
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert "afgebroken.pdf" in str(info.value)


def test_blank_pdf_is_reported_as_possible_scan(tmp_path):
    path = write_pdf(tmp_path / "scan.pdf", [""])
    with pytest.raises(DocumentError, match="scan zonder tekstlaag") as info:
        load_document(path)
    assert info.value.path == str(path)


def test_txt_splits_pages_on_form_feed(tmp_path):
    path = tmp_path / "notitie.txt"
    path.write_text("Eerste pagina.\fTweede pagina.\r\nNog een regel.", encoding="utf-8")
    doc = load_document(path)
    assert [(p.number, p.text) for p in doc.pages] == [
        (1, "Eerste pagina."),
        (2, "Tweede pagina.\nNog een regel."),
    ]
    assert doc.title_hint == ""


def test_markdown_is_one_page(tmp_path):
    path = tmp_path / "casus.md"
    path.write_text("# Casus\n\nEen bedrijf in Zwolle.\n", encoding="utf-8")
    doc = load_document(path)
    assert len(doc.pages) == 1
    assert "Een bedrijf in Zwolle." in doc.pages[0].text


def test_fixture_markdown_and_text_load():
    assert "Pionier in Zwolle" in load_document(FIXTURES / "casus.md").pages[0].text
    assert len(load_document(FIXTURES / "notitie.txt").pages) == 2


def test_non_utf8_text_raises(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(DocumentError, match="UTF-8"):
        load_document(path)


def test_empty_text_file_raises(tmp_path):
    path = tmp_path / "leeg.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="geen leesbare tekst") as info:
        load_document(path)
    assert "scan" not in info.value.reason
    assert info.value.path == str(path)


def test_docx_paragraphs_lists_tables_and_title(tmp_path):
    document = docx.Document()
    document.core_properties.title = "Succesfactoren"
    document.add_heading("Succesfactoren", level=1)
    document.add_paragraph("Sociale innovatie vraagt om:")
    document.add_paragraph("dynamisch managen;", style="List Bullet")
    document.add_paragraph("slimmer werken.", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Rol"
    table.rows[0].cells[1].text = "Agenderen"
    path = tmp_path / "factoren.docx"
    document.save(str(path))

    doc = load_document(path)
    assert doc.title_hint == "Succesfactoren"
    assert len(doc.pages) == 1
    text = doc.pages[0].text
    assert "Sociale innovatie vraagt om:" in text
    assert "- dynamisch managen;" in text
    assert "Rol | Agenderen" in text
    assert text.index("Succesfactoren") < text.index("vraagt om") < text.index("Rol")


def test_corrupt_docx_raises(tmp_path):
    path = tmp_path / "kapot.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentError, match="Word-bestand") as info:
        load_document(path)
    assert info.value.path == str(path)


@pytest.mark.parametrize("name", ["tabel.xlsx", "README", "scan.PNG"])
def test_unsupported_suffix_raises(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(DocumentError, match="niet ondersteund") as info:
        load_document(path)
    assert info.value.path == str(path)


def test_missing_file_raises(tmp_path):
    with pytest.raises(DocumentError, match="niet gevonden"):
        load_document(tmp_path / "bestaat-niet.pdf")


def test_uppercase_suffix_is_supported(tmp_path):
    path = tmp_path / "NOTITIE.TXT"
    path.write_text("Tekst.", encoding="utf-8")
    assert load_document(path).pages[0].text == "Tekst."
