"""chunk_document on the real SER Overijssel PDF and on small hand-made documents."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assistant.core.errors import InvalidInputError
from assistant.core.types import DocumentMeta
from ingest.chunking import chunk_document, chunk_id, split_sentences
from ingest.loaders import LoadedDocument, Page, load_document

REAL_PDF = (
    Path(__file__).resolve().parents[3]
    / "corpus"
    / "ser-overijssel-briefadvies-sociale-innovatie-2022.pdf"
)
META = DocumentMeta(
    doc_id="ser-briefadvies",
    title="Briefadvies sociale innovatie",
    type="advies",
    publisher="SER Overijssel",
    date="2022-12-01",
    source_path="ser-overijssel-briefadvies-sociale-innovatie-2022.pdf",
)


@pytest.fixture(scope="module")
def real_doc() -> LoadedDocument:
    return load_document(REAL_PDF)


@pytest.fixture(scope="module")
def real_chunks(real_doc):
    return chunk_document(real_doc, META, "hash-1")


def chunk_with(chunks, phrase: str):
    found = [c for c in chunks if phrase in c.text]
    assert len(found) == 1, f"{phrase!r} in {len(found)} chunks"
    return found[0]


def test_sizes_in_range(real_chunks):
    # A table stays one passage up to twice the size (the province's roles, pages 6-7).
    table = chunk_with(real_chunks, "Rol Uitwerking Beschrijving")
    assert max(len(c.text) for c in real_chunks if c is not table) <= 1000
    assert len(table.text) <= 2000
    # Only the signature block under the closing formula may stay short.
    short = [c.text for c in real_chunks if len(c.text) < 300]
    assert all("Webers" in text or text.startswith("Voetnoot") for text in short), short


def test_positions_and_metadata(real_chunks):
    assert [c.position for c in real_chunks] == list(range(len(real_chunks)))
    first = real_chunks[0]
    assert (first.doc_id, first.title, first.type) == ("ser-briefadvies", META.title, "advies")
    assert (first.publisher, first.date, first.year, first.language) == (
        "SER Overijssel",
        "2022-12-01",
        2022,
        "nl",
    )
    assert first.source_path == META.source_path
    assert all(c.doc_hash == "hash-1" for c in real_chunks)


def test_pages_of_known_sentences(real_chunks):
    assert chunk_with(real_chunks, "Op 10 november 2022 is een concept").pages == "1"
    assert chunk_with(real_chunks, "Er zijn vele definities van sociale innovatie").pages == "3"
    assert chunk_with(real_chunks, "Klimaatadaptatie;").pages == "6"
    assert chunk_with(real_chunks, "De Pioniers zijn de Overijsselse koplopers").pages == "7"


def test_paragraph_across_page_break_is_joined(real_chunks):
    chunk = chunk_with(real_chunks, "bevorderen bij bedrijven, goed heeft gewerkt")
    assert "ontmoeten van de Pioniers en mkb-ondernemers, het delen van expertise" in chunk.text
    assert (chunk.page_start, chunk.page_end) == (10, 11)
    item = chunk_with(real_chunks, "spelen; breder en beter benutten van alle beschikbare talenten")
    assert (item.page_start, item.page_end) == (3, 4)


def test_sections(real_chunks):
    assert chunk_with(real_chunks, "Geacht College,").section == ""
    assert chunk_with(real_chunks, "Er zijn vele definities").section == (
        "Definitie sociale innovatie"
    )
    assert chunk_with(real_chunks, "roept uw college op").section.startswith(
        "Advies SER Overijssel: meer aandacht voor sociale innovatie"
    )
    assert chunk_with(real_chunks, "geen blauwdruk").section == (
        "Kritische succesfactoren sociale innovatie"
    )
    assert chunk_with(real_chunks, "De SER Overijssel waardeert deze inspanningen").section == (
        "Standpunt SER Overijssel over de toepassing van de sociale innovatie"
    )
    assert {c.section for c in real_chunks} == {
        "",
        "Advies SER Overijssel: meer aandacht voor sociale innovatie in het mkb- en "
        "arbeidsmarktbeleid van de provincie Overijssel",  # OCR "Overifssel" repaired
        "Definitie sociale innovatie",
        "Aanleiding keuze voor het onderwerp sociale innovatie",
        "Sociale innovatie in het beleid van de provincie Overijsel",
        "Kritische succesfactoren sociale innovatie",
        "Standpunt SER Overijssel over de toepassing van de sociale innovatie",
        "Ondertekening",
    }


def test_the_closing_and_signatories_are_one_passage(real_chunks):
    signed = chunk_with(real_chunks, "Met vriendelijke groet,")
    assert signed.section == "Ondertekening"
    assert "(Harry) Webers" in signed.text and "secretaris-directeur" in signed.text
    assert signed.text.startswith("Met vriendelijke groet,")


def test_headings_are_not_glued_into_text(real_chunks):
    for chunk in real_chunks:
        assert not chunk.text.startswith(("Definitie sociale innovatie", "Aanleiding keuze"))
        assert "Kritische succesfactoren sociale innovatie\n" not in chunk.text


def test_list_stays_with_its_lead_in(real_chunks):
    chunk = chunk_with(real_chunks, "Sociale innovatie kan in principe bijdragen aan:")
    assert "bijdragen aan:\n- een groter innovatievermogen" in chunk.text
    themes = chunk_with(real_chunks, "telkens in terugkomen:")
    assert "telkens in terugkomen:\n1. Transitie naar kringlooplandbouw" in themes.text
    assert "\n7. Verhogen van de arbeidsparticipatie" in themes.text
    advice = chunk_with(real_chunks, "roept uw college op")
    assert "bedrijfsleven:\n1. Gebruik de bestaande netwerken" in advice.text


def test_table_is_one_list_led_by_the_paragraph_that_announces_it(real_chunks):
    table = chunk_with(real_chunks, "(zie tabel hieronder)")
    lines = table.text.split("\n")
    assert lines[0].startswith("Begin 2022 is er een tussentijdse beleidsevaluatie")
    assert lines[0].endswith("(zie tabel hieronder).")
    assert lines[1] == "- Rol Uitwerking Beschrijving"
    assert lines[2].startswith("- Agenderen Beleidsvisie ontwikkelen De provincie is")
    assert (
        lines[-1]
        == "- Monitoren Voortgang bewaken De provincie bewaakt de voortgang van initiatieven."
    )
    assert all(line.startswith("- ") for line in lines[1:])
    assert (table.page_start, table.page_end) == (6, 7)  # the rows run on over the page break
    assert table.section == "Sociale innovatie in het beleid van de provincie Overijsel"


def test_list_items_are_never_cut(real_chunks):
    for chunk in real_chunks:
        for line in chunk.text.split("\n"):
            assert not line.startswith(("«", "• ", "e ")), line
    starts = [c.text.split("\n")[0] for c in real_chunks]
    assert "- de rol van sociale partners onder de aandacht brengen" in "\n".join(starts)


def test_no_debris_in_chunks(real_chunks):
    text = "\n".join(c.text for c in real_chunks)
    for debris in ("O\\Zrijssel", "SI-R", "D I W", "N oo v~", "hrp%aa", "https,;/"):
        assert debris not in text


def test_ids_stable_across_runs(real_doc, real_chunks):
    again = chunk_document(load_document(REAL_PDF), META, "hash-1")
    assert [c.chunk_id for c in again] == [c.chunk_id for c in real_chunks]
    assert len({c.chunk_id for c in real_chunks}) == len(real_chunks)
    first = real_chunks[0]
    expected = hashlib.sha256(
        f"{first.doc_id}\x00hash-1\x000\x00{first.text}".encode()
    ).hexdigest()[:24]
    assert first.chunk_id == expected == chunk_id(first.doc_id, "hash-1", 0, first.text)


def test_ids_change_when_text_or_hash_changes(real_doc, real_chunks):
    pages = list(real_doc.pages)
    pages[0] = Page(1, pages[0].text.replace("25 februari 2022", "26 februari 2022"))
    edited = chunk_document(LoadedDocument(real_doc.path, pages, ""), META, "hash-1")
    changed = [a.chunk_id != b.chunk_id for a, b in zip(real_chunks, edited, strict=True)]
    assert changed[0] and not any(changed[1:])
    rehashed = chunk_document(real_doc, META, "hash-2")
    assert all(a.chunk_id != b.chunk_id for a, b in zip(real_chunks, rehashed, strict=True))


def make_doc(*pages: str) -> LoadedDocument:
    return LoadedDocument(Path("x.txt"), [Page(i, t) for i, t in enumerate(pages, 1)], "")


def test_long_paragraph_split_at_sentences():
    sentence = "Sociale innovatie versterkt het innovatievermogen van het mkb in Overijssel. "
    doc = make_doc("Succesfactoren\n\n" + sentence * 30)
    chunks = chunk_document(doc, META, "h", min_chars=300, max_chars=1000)
    assert len(chunks) == 3
    assert all(c.text.endswith("Overijssel.") for c in chunks)
    assert all(c.section == "Succesfactoren" for c in chunks)
    assert all(300 <= len(c.text) <= 1000 for c in chunks)


def test_small_blocks_merge_within_section_only():
    doc = make_doc(
        "Eerste korte alinea.\n\nTweede korte alinea.\n\nSuccesfactoren\n\nDerde alinea hier."
    )
    chunks = chunk_document(doc, META, "h")
    assert [(c.section, c.text) for c in chunks] == [
        ("", "Eerste korte alinea.\n\nTweede korte alinea."),
        ("Succesfactoren", "Derde alinea hier."),
    ]


def test_long_list_split_between_items_keeps_lead_in():
    items = "\n".join(
        f"- punt {n} over sociale innovatie op de werkvloer en in het mkb;" for n in range(30)
    )
    doc = make_doc(f"De provincie kan het volgende doen:\n{items}")
    chunks = chunk_document(doc, META, "h")
    assert len(chunks) > 1
    assert chunks[0].text.startswith("De provincie kan het volgende doen:\n- punt 0 ")
    for chunk in chunks:
        assert all(line.startswith(("- punt", "De provincie")) for line in chunk.text.split("\n"))


TABLE_LEAD = "De rollen van de provincie staan in de tabel hieronder."


def test_table_rows_become_items_of_the_announcing_paragraph():
    doc = make_doc(
        f"Inleiding\n\n{TABLE_LEAD}\n\nRol Omschrijving\n\nAgenderen De provincie zet het"
        " op de agenda.\n\nVerbinden De provincie brengt partijen\n\nsamen in een netwerk.",
        "Monitoren De provincie volgt de voortgang.\n\nConclusie\n\nDaarna volgt gewone tekst.",
    )
    chunks = chunk_document(doc, META, "h", min_chars=10, max_chars=1000)
    table = chunk_with(chunks, TABLE_LEAD)
    assert table.text.split("\n") == [
        TABLE_LEAD,
        "- Rol Omschrijving",
        "- Agenderen De provincie zet het op de agenda.",
        "- Verbinden De provincie brengt partijen samen in een netwerk.",  # row cut by OCR
        "- Monitoren De provincie volgt de voortgang.",  # next page
    ]
    assert table.pages == "1-2"
    assert chunk_with(chunks, "Daarna volgt gewone tekst.").section == "Conclusie"


def test_a_table_ends_at_a_long_paragraph_and_needs_an_announcement():
    long_text = "Dit is weer gewone tekst over sociale innovatie in het mkb. " * 12
    doc = make_doc(f"{TABLE_LEAD}\n\nRol Omschrijving\n\nAgenderen Op de agenda.\n\n{long_text}")
    chunks = chunk_document(doc, META, "h", min_chars=10, max_chars=1000)
    table = chunk_with(chunks, TABLE_LEAD)
    assert "- Agenderen Op de agenda.\n\nDit is weer gewone tekst" in table.text  # own block
    assert "- Dit is weer" not in table.text
    # A title-case line without a paragraph announcing a table is no table header.
    plain = make_doc("Een gewone alinea.\n\nRol Omschrijving\n\nAgenderen Op de agenda.")
    text = "\n".join(c.text for c in chunk_document(plain, META, "h", min_chars=10))
    assert "- " not in text


def test_a_table_larger_than_twice_the_size_is_split_between_rows():
    rows = "\n\n".join(f"Rij{n} De provincie doet hier iets voor het mkb." for n in range(60))
    doc = make_doc(f"{TABLE_LEAD}\n\nRol Omschrijving\n\n{rows}")
    chunks = chunk_document(doc, META, "h")
    assert len(chunks) > 1
    assert all(len(c.text) <= 1000 for c in chunks)
    assert chunks[0].text.startswith(f"{TABLE_LEAD}\n- Rol Omschrijving")
    lines = [line for c in chunks for line in c.text.split("\n")]
    assert sum(line.startswith("- Rij") for line in lines) == 60


def test_page_numbers_follow_pages():
    doc = make_doc("Alinea op pagina een.", "Alinea op pagina twee.")
    chunks = chunk_document(doc, META, "h", min_chars=10, max_chars=30)
    assert [(c.text, c.pages) for c in chunks] == [
        ("Alinea op pagina een.", "1"),
        ("Alinea op pagina twee.", "2"),
    ]


def test_empty_document_gives_no_chunks():
    assert chunk_document(make_doc("", "3"), META, "h") == []


def test_bad_sizes_rejected():
    with pytest.raises(InvalidInputError):
        chunk_document(make_doc("Tekst."), META, "h", min_chars=500, max_chars=100)


def test_split_sentences_keeps_abbreviations_and_quotes():
    text = (
        "Sociale kwaliteit (o.a. inclusieve samenleving) telt. Ondertekend door ir. H.A.M. Webers "
        "en drs. O.P. Wertheim. De vraag: ‘Wat zijn succesfactoren? En welke rol speelt de "
        "provincie?’ Dat is de kern."
    )
    assert split_sentences(text) == [
        "Sociale kwaliteit (o.a. inclusieve samenleving) telt.",
        "Ondertekend door ir. H.A.M. Webers en drs. O.P. Wertheim.",
        "De vraag: ‘Wat zijn succesfactoren? En welke rol speelt de provincie?’",
        "Dat is de kern.",
    ]
