"""Citation markers as models write them: shapes read, numbers that are not markers left."""

from __future__ import annotations

import pytest

from assistant.core.text import (
    MARKER_GROUP,
    cited_lines,
    cited_sentences,
    drop_source_list,
    find_markers,
    markers_of,
    strip_markers,
)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Begin bij de directeur [1].", [1]),
        ("Begin bij de directeur [1][2].", [1, 2]),
        ("Begin bij de directeur [1, 2].", [1, 2]),
        ("Begin bij de directeur [1,2].", [1, 2]),
        ("Begin bij de directeur [1; 2].", [1, 2]),
        ("Begin bij de directeur [1-3].", [1, 2, 3]),
        ("Begin bij de directeur [1–3].", [1, 2, 3]),
        ("Begin bij de directeur [1 t/m 3].", [1, 2, 3]),
        ("Begin bij de directeur [1], [2].", [1, 2]),
        ("Begin bij de directeur [bron 1].", [1]),
        ("Begin bij de directeur [Bron: 2].", [2]),
        ("Begin bij de directeur [1, p. 7].", [1]),
        ("Begin bij de directeur (bron 1).", [1]),
        ("Begin bij de directeur (Bron 1, pagina 7).", [1]),
        ("Begin bij de directeur (bronnen 1 en 2).", [1, 2]),
        ("Begin bij de directeur (bron 1; bron 3).", [1, 3]),
        ("Begin bij de directeur (zie bron 3).", [3]),
        ("Start with the director (source 2).", [2]),
        ("Start with the director (sources 1 and 2).", [1, 2]),
        ("Begin bij de directeur (1).", [1]),
        ("Begin bij de directeur (1, 2).", [1, 2]),
        ("Begin bij de directeur (1)(2).", [1, 2]),
        ("Begin bij de directeur[^1].", [1]),
        ("Begin bij de directeur.[^1][^2]", [1, 2]),
        ("Begin bij de directeur¹.", [1]),
        ("Begin bij de directeur¹˒².", [1, 2]),
        ("Begin bij de directeur¹,³.", [1, 3]),
        ("Begin bij de directeur¹⁻³.", [1, 2, 3]),
        ("Begin bij de directeur. [1]", [1]),
        ("Begin bij de directeur.[1][2]", [1, 2]),
    ],
)
def test_every_shape_is_read(text, numbers):
    assert markers_of(text) == numbers
    assert strip_markers(text) in {"Begin bij de directeur.", "Start with the director."}


@pytest.mark.parametrize(
    "text",
    [
        "In 2022 bracht de SER Overijssel een advies uit.",
        "Sociale innovatie bestaat uit 4 onderdelen.",
        "De definitie van de SER (2006) wordt nog steeds gedeeld.",
        "Het advies (2022) noemt drie tips.",
        "1. Dynamisch managen: geef ruimte en vertrouwen.",
        "2) Flexibel organiseren.",
        "De kantine is 100 m² groot.",
        "Er zijn drie tips: (1) begin bij de directeur, (2) zorg voor een passende structuur "
        "en (3) geef vertrouwen.",
        "(1) Begin bij de directeur.",
        "- (2) Zorg voor een passende structuur.",
        "Het gaat om jongeren (18-24).",
        "Dat zijn (25) bedrijven.",
        "Lees pagina 6 (p. 6).",
    ],
)
def test_numbers_that_are_not_markers_are_left_alone(text):
    assert find_markers(text) == []
    assert strip_markers(text) == text


def test_round_brackets_rule_enumerator_and_citation_in_one_sentence():
    text = "Zet twee stappen: (1) begin bij de directeur en (2) betrek de leidinggevenden (1)."
    [marker] = find_markers(text)
    assert marker.numbers == (1,) and text[marker.start : marker.end] == "(1)"
    assert text[: marker.start].endswith("leidinggevenden ")


def test_a_range_stands_for_its_members_but_a_wild_range_only_for_its_ends():
    assert markers_of("Tekst [2-4].") == [2, 3, 4]
    assert markers_of("Tekst [2-400].") == [2, 400]


def test_strip_markers_keeps_words_apart():
    assert strip_markers("Eerste zin.[1]Tweede zin [2].") == "Eerste zin. Tweede zin."
    assert strip_markers("Eerst dit [1], dan dat (bron 2).") == "Eerst dit, dan dat."


def test_marker_group_still_matches_canonical_groups():
    assert MARKER_GROUP.sub("", "Tekst [1][2, 3].") == "Tekst."


def test_marker_after_the_stop_belongs_to_the_sentence_before():
    text = "Begin bij de directeur. [1] Zorg voor een passende structuur. [2]"
    first, second = cited_sentences(text)
    assert (first.claim, first.numbers) == ("Begin bij de directeur", [1])
    assert (second.claim, second.numbers) == ("Zorg voor een passende structuur", [2])


def test_marker_inside_a_sentence_keeps_its_place():
    [sentence] = cited_sentences("Begin bij de directeur [1] en vergeet de leiding niet [2].")
    assert sentence.text == "Begin bij de directeur en vergeet de leiding niet."
    (at1, g1), (at2, g2) = sentence.marks
    assert sentence.text[:at1] == "Begin bij de directeur" and g1 == (1,)
    assert not sentence.is_final(at1) and sentence.is_final(at2) and g2 == (2,)


def test_abbreviations_do_not_end_a_sentence():
    [sentence] = cited_sentences("Zorg o.a. voor een passende structuur [1].")
    assert sentence.numbers == [1]


def test_list_items_keep_their_mark_and_a_bare_marker_line_joins_the_line_above():
    lines = cited_lines("Vier onderdelen:\n1. Dynamisch managen\n2. Flexibel organiseren.\n[1]")
    assert [ln.prefix for ln in lines] == ["", "1. ", "2. "]
    assert lines[2].sentences[-1].numbers == [1]
    assert lines[1].sentences[0].text == "Dynamisch managen"


@pytest.mark.parametrize(
    "tail",
    [
        "Bronnen:\n[1] Briefadvies sociale innovatie, pagina 7\n[2] Briefadvies, pagina 6",
        "**Bronnen:**\n- Briefadvies sociale innovatie (SER Overijssel, 2022), p. 7",
        "### Sources\n1. Briefadvies sociale innovatie, page 7",
        "Bron: Briefadvies sociale innovatie, pagina 7.",
        "Bronnen: [1], [2]",
        "[^1]: Briefadvies sociale innovatie, pagina 7.\n[^2]: Briefadvies, pagina 6.",
        "[1] Briefadvies sociale innovatie, pagina 7\n[2] Briefadvies sociale innovatie, pagina 6",
    ],
)
def test_a_model_written_source_list_is_dropped(tail):
    body = "Begin bij de directeur [1].\n\nZorg voor een passende structuur [2]."
    cleaned, dropped = drop_source_list(f"{body}\n\n{tail}")
    assert cleaned.strip() == body
    assert dropped == [ln for ln in tail.splitlines() if ln.strip()]


def test_a_source_line_between_paragraphs_cites_the_paragraph_above():
    text = "Begin bij de directeur.\nBron: [2]\n\nZorg voor een passende structuur.\nBron: 1"
    cleaned, dropped = drop_source_list(text)
    assert dropped == ["Bron: 1"]
    first, second = cited_sentences(cleaned)
    assert first.numbers == [2] and second.numbers == []


def test_a_first_line_called_bron_is_not_a_source_list():
    text = "Bronnen van subsidie zijn schaars [1].\nBron 2 noemt geen bedragen."
    assert drop_source_list(text) == (text, [])


def test_enumerators_are_not_part_of_the_claim():
    [sentence] = cited_sentences("Zet twee stappen: (1) begin klein en (2) betrek iedereen [1].")
    assert sentence.claim == "Zet twee stappen: begin klein en betrek iedereen"
