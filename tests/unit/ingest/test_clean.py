"""clean_text on real lines from the SER Overijssel OCR text (corpus-src) and the PDF layout."""

# The excerpts are verbatim OCR lines: where a line breaks is what is being tested.
# ruff: noqa: E501

from __future__ import annotations

from ingest.clean import clean_text, drop_running_lines, is_heading, join_lines


def blocks(text: str) -> list[str]:
    return clean_text(text).split("\n\n")


def test_bullet_glyphs_and_lone_e_become_list_items():
    ocr = (
        "naar het reguliere mkb, met de volgende aandachtspunten:\n"
        "\n"
        "« werken aan een regionaal ecosysteem;\n"
        "\n"
        "e aansluiten bij duurzame inzetbaarheid en leven lang ontwikkelen;\n"
        "\n"
        "* mkb-bedrijven inspireren: sociaal ondernemerschap en regulier mkb kunnen van elkaar leren,\n"
        "bijvoorbeeld op het gebied van inclusief werkgeverschap;\n"
        "\n"
        "• de samenwerking met de onderwijsinstellingen binnen het ecosysteem helpen organiseren.\n"
    )
    assert blocks(ocr) == [
        "naar het reguliere mkb, met de volgende aandachtspunten:",
        "- werken aan een regionaal ecosysteem;\n"
        "- aansluiten bij duurzame inzetbaarheid en leven lang ontwikkelen;\n"
        "- mkb-bedrijven inspireren: sociaal ondernemerschap en regulier mkb kunnen van elkaar "
        "leren, bijvoorbeeld op het gebied van inclusief werkgeverschap;\n"
        "- de samenwerking met de onderwijsinstellingen binnen het ecosysteem helpen organiseren.",
    ]


def test_other_bullet_glyphs():
    for glyph in ("·", "▪", "-", "o"):
        assert clean_text(f"Punten:\n{glyph} eerste punt;\n{glyph} tweede punt.") == (
            "Punten:\n\n- eerste punt;\n- tweede punt."
        )


def test_numbered_items_with_nested_bullets():
    ocr = (
        "1. Gebruik de bestaande netwerken rondom sociaal ondernemerschap om de kennis en inspiratie, die daar is\n"
        "opgedaan over de toepassing van sociale innovatie, verder te verspreiden, met de volgende aandachtspunten:\n"
        "\n"
        "« werken aan een regionaal ecosysteem;\n"
        "\n"
        "2. Zet met Europese middelen een regionaal meerjarenplan op voor onderzoek, experimenten,\n"
        "stimuleringstrajecten voor ondernemingen.\n"
    )
    lines = clean_text(ocr).split("\n")
    assert lines[0].startswith("1. Gebruik de bestaande netwerken")
    assert lines[0].endswith(
        "die daar is opgedaan over de toepassing van sociale innovatie, "
        "verder te verspreiden, met de volgende aandachtspunten:"
    )
    assert lines[1] == "- werken aan een regionaal ecosysteem;"
    assert lines[2].startswith("2. Zet met Europese middelen")
    assert lines[2].endswith("stimuleringstrajecten voor ondernemingen.")


def test_blank_line_inside_sentence_does_not_split_paragraph():
    ocr = (
        "organiseren van inspirerende sessies om ervaringen met sociale innovatie uit te wisselen en het\n"
        "\n"
        "enthousiasmeren en activeren van het Overijsselse bedrijfsleven op het terrein van sociale innovatie.\n"
    )
    assert blocks(ocr) == [
        "organiseren van inspirerende sessies om ervaringen met sociale innovatie uit te wisselen "
        "en het enthousiasmeren en activeren van het Overijsselse bedrijfsleven op het terrein van "
        "sociale innovatie."
    ]


def test_blank_line_before_capitalised_word_mid_sentence():
    ocr = (
        "Als Impact Ondernemen nog onbekend is voor ondernemers, dan worden ze geinspireerd en in contact\n"
        "gebracht met bestaande (succesvolle) Impact\n"
        "\n"
        "Ondernemers. Uiteindelijk wint Impact Ondernemen daarmee terrein en wordt het de norm.\n"
    )
    assert len(blocks(ocr)) == 1
    assert "(succesvolle) Impact Ondernemers. Uiteindelijk" in clean_text(ocr)


def test_paragraphs_stay_separate():
    ocr = (
        "De SER Overijssel adviseert om de ervaringen uit de implementatie van de gekozen speerpunten\n"
        "te gebruiken om deze toe te passen voor andere sectoren en doelgroepen.\n"
        "\n"
        "Bij het totstandkoming van dit advies is binnen de SER Overijssel een adviescommissie\n"
        "Sociale innovatie ingesteld.\n"
    )
    assert len(blocks(ocr)) == 2


def test_hyphenated_line_break_is_joined():
    assert clean_text("De organi-\nsatie van het werk verandert.") == (
        "De organisatie van het werk verandert."
    )


def test_hyphen_kept_in_compounds_and_urls():
    assert "mkb-bedrijven doorlopen" in clean_text(
        "een programma kunnen ontwikkelen dat door mkb-\n\nbedrijven doorlopen kan worden."
    )
    assert "mkb- en arbeidsmarktbeleid" in clean_text(
        "meer aandacht voor sociale innovatie in het mkb-\nen arbeidsmarktbeleid van de provincie."
    )
    url = "https://www.kennisbanksocialeinnovatie.nl/kennis/sociale-innovatie-in-de-praktijk-een-"
    assert join_lines(url, "tussenbalans/") == f"{url}tussenbalans/"


def test_heading_is_its_own_block():
    ocr = (
        "verandert.\n"
        "\n"
        "Definitie sociale innovatie\n"
        "\n"
        "Er zijn vele definities van sociale innovatie. De definitie die de landelijke SER in 2006 formuleerde, wordt nog\n"
        "\n"
        "steeds breed gedeeld.\n"
    )
    assert blocks(ocr) == [
        "verandert.",
        "Definitie sociale innovatie",
        "Er zijn vele definities van sociale innovatie. De definitie die de landelijke SER in 2006 "
        "formuleerde, wordt nog steeds breed gedeeld.",
    ]


def test_heading_directly_above_text_in_pdf_layout():
    layout = (
        "verandert.\n\n\n"
        "Kritische succesfactoren sociale innovatie\n"
        "In het adviesrapport ‘Kritische succesfactoren sociale innovatie binnen mkb’ (2018) wordt\n"
        "geconcludeerd dat sociale innovatie geen blauwdruk is, die gekopieerd kan worden door iedere\n"
        "andere organisatie.\n"
    )
    assert blocks(layout)[1:] == [
        "Kritische succesfactoren sociale innovatie",
        "In het adviesrapport ‘Kritische succesfactoren sociale innovatie binnen mkb’ (2018) wordt "
        "geconcludeerd dat sociale innovatie geen blauwdruk is, die gekopieerd kan worden door "
        "iedere andere organisatie.",
    ]


def test_heading_broken_over_lines_is_joined():
    ocr = (
        "Advies SER Overijssel: meer aandacht voor sociale innovatie in het mkb- en arbeidsmarktbeleid van de\n"
        "\n"
        "provincie Overifssel\n"
        "\n"
        "De SER Overijssel roept uw college op om aanvullende en versterkende activiteiten uit te voeren.\n"
    )
    first, second = blocks(ocr)
    assert first == (
        "Advies SER Overijssel: meer aandacht voor sociale innovatie in het mkb- en "
        "arbeidsmarktbeleid van de provincie Overijssel"  # OCR 'Overifssel' repaired
    )
    assert is_heading(first)
    assert second.startswith("De SER Overijssel roept")


def test_is_heading():
    assert is_heading("Definitie sociale innovatie")
    assert is_heading("Succesfactoren")
    assert is_heading("Standpunt SER Overijssel over de toepassing van de sociale innovatie")
    assert not is_heading("Sociale innovatie kan in principe bijdragen aan:")
    assert not is_heading("Geacht College,")
    assert not is_heading("Rol Uitwerking Beschrijving")  # table header
    assert not is_heading("Figuur 1: Succesfactoren sociale innovatie (Bron: Adviesrapport, 2018)")
    assert not is_heading("het gebied van arbeidsmarktbeleid")
    assert not is_heading("De missie van")
    assert not is_heading("- werken aan een regionaal ecosysteem")


def test_debris_is_dropped():
    ocr = (
        "partners en de overheid omdat goed werk essentieel is voor de brede welvaart. Nieuwe technologie, de\n"
        "\n"
        "SI-R\n"
        "O\\Zrijssel\n"
        "\n"
        "toename van flexibel werk en de intensivering van werk kunnen grote gevolgen hebben.\n"
        "\n"
        "3\n"
        "\n"
        "SER Overijssel\n"
        "\n"
        "D I W\n"
        "N oo v~ w DN\n"
        "O.ﬂa/ub&/hrp%aa.\n"
        "x\n"
    )
    assert clean_text(ocr) == (
        "partners en de overheid omdat goed werk essentieel is voor de brede welvaart. Nieuwe "
        "technologie, de toename van flexibel werk en de intensivering van werk kunnen grote "
        "gevolgen hebben."
    )


def test_footnote_moves_out_of_running_text():
    ocr = (
        "partners en de overheid omdat goed werk essentieel is voor de brede welvaart. Nieuwe technologie, de\n"
        "\n"
        "2 Het onafhankeljjke platform voor Smart Industry en Circulair ondernemen in Oost-Nederland. Hier werken bedrijven,\n"
        "\n"
        "intermediairs, overheid en de onderwijsinstellingen samen aan het realiseren van een concurrerende en duurzame industrie.\n"
        "\n"
        "toename van flexibel werk en de intensivering van werk kunnen grote gevolgen hebben voor de kwaliteit van\n"
        "werk.\n"
    )
    body, note = blocks(ocr)
    assert body.endswith(
        "Nieuwe technologie, de toename van flexibel werk en de intensivering van "
        "werk kunnen grote gevolgen hebben voor de kwaliteit van werk."
    )
    assert note.startswith("Voetnoot 2: Het onafhankelijke platform")  # OCR 'jj' repaired
    assert note.endswith(
        "Hier werken bedrijven, intermediairs, overheid en de "
        "onderwijsinstellingen samen aan het realiseren van een concurrerende "
        "en duurzame industrie."
    )


def test_glued_url_footnotes_are_split_and_repaired():
    ocr = (
        "in hun directe leefomgeving.\n"
        "\n"
        "3 https,;/www.kennisbanksocialeinnovatie.nl/kennis/sociale-innovatie-in-de-praktijk-een-\n"
        "tussenbalans/ 4 https.//www.overijssel.nl/onderwerpen/economie/versterk/pioniers/\n"
    )
    assert blocks(ocr)[1:] == [
        "Voetnoot 3: https://www.kennisbanksocialeinnovatie.nl/kennis/"
        "sociale-innovatie-in-de-praktijk-een-tussenbalans/",
        "Voetnoot 4: https://www.overijssel.nl/onderwerpen/economie/versterk/pioniers/",
    ]


def test_footnote_markers_in_text_are_removed():
    ocr = (
        "Gezamenlijk moest\n\nmen zorgen dat het begrip sociale innovatie concreet werd gemaakt3.\n\n"
        "e Sociale innovatie en mkb: sociaal ondernemerschap, Pioniers-netwerk®\n"
        "e Sociale kwaliteit (0.a. inclusieve samenleving)®.\n\n"
        "3 https,;/www.kennisbanksocialeinnovatie.nl/kennis/sociale-innovatie-in-de-praktijk-een-tussenbalans/\n"
    )
    assert clean_text(ocr) == (
        "Gezamenlijk moest men zorgen dat het begrip sociale innovatie concreet werd gemaakt.\n\n"
        "- Sociale innovatie en mkb: sociaal ondernemerschap, Pioniers-netwerk\n"
        "- Sociale kwaliteit (o.a. inclusieve samenleving).\n\n"
        "Voetnoot 3: https://www.kennisbanksocialeinnovatie.nl/kennis/"
        "sociale-innovatie-in-de-praktijk-een-tussenbalans/"
    )


def test_digits_glued_to_words_stay_without_a_matching_footnote():
    text = "In fase2, fase3 en fase4 gebruiken we Python3, mp3, lvl10 en m² op ARM64.\n"
    assert clean_text(text) == text.strip()
    with_note = text + "\n2 Zie de toelichting bij fase twee.\n"
    assert clean_text(with_note) == (
        "In fase, fase3 en fase4 gebruiken we Python3, mp3, lvl10 en m² op ARM64.\n\n"
        "Voetnoot 2: Zie de toelichting bij fase twee."
    )  # 'fase2' reads as a reference to footnote 2 on the same page: the documented rule


def test_superscript_reference_needs_its_footnote():
    assert clean_text("Dat werd concreet gemaakt³.") == "Dat werd concreet gemaakt³."
    assert clean_text("Dat werd concreet gemaakt³.\n\n3 Zie de website.") == (
        "Dat werd concreet gemaakt.\n\nVoetnoot 3: Zie de website."
    )


def test_numbers_with_a_leading_zero_are_not_list_or_footnote_numbers():
    assert clean_text("Code:\n\n01. Start\n\n05 Bedrijven doen mee.") == (
        "Code:\n\n01. Start\n\n05 Bedrijven doen mee."
    )


def test_lines_with_numbers_are_not_debris():
    assert clean_text("Jaar | 2021 | 2022\n10 | 20\n\nOmzet steeg.") == (
        "Jaar | 2021 | 2022 10 | 20\n\nOmzet steeg."
    )


def test_hyphen_before_a_digit_is_kept():
    assert clean_text("In fase-\n2 begint de uitrol.") == "In fase-2 begint de uitrol."


def test_ocr_confusions_are_repaired_as_whole_words_only():
    assert clean_text("Ideeén en technologieén in Overifssel.") == (
        "Ideeën en technologieën in Overijssel."
    )
    assert clean_text("Zijn innovatieideeén en 10.a.3 zijn anders.") == (
        "Zijn innovatieideeén en 10.a.3 zijn anders."
    )


def test_control_characters_are_removed_and_markdown_closing_hashes_only():
    assert clean_text("Sociale\x1b[31m innovatie\x07 werkt.") == "Sociale [31m innovatie werkt."
    assert clean_text("## Tips voor C#\n\nTekst.") == "Tips voor C#\n\nTekst."
    assert clean_text("## Wat werkte ##\n\nTekst.") == "Wat werkte\n\nTekst."


def test_unmarked_items_after_lead_in_become_list():
    ocr = (
        "Sociale innovatie kan in principe bijdragen aan:\n"
        "\n"
        "een groter innovatievermogen (de implementatie van innovaties wordt versterkt);\n"
        "\n"
        "hogere arbeidsproductiviteit (door medewerkers nadrukkelijker te betrekken);\n"
        "\n"
        "een inclusieve arbeidsmarkt (bredere betrokkenheid van medewerkers bij de werkzaamheden kan leiden\n"
        "\n"
        "tot meer ruimte op de werkvloer; breder en beter benutten van alle beschikbare talenten in de regio en daardoor tegengaan van\n"
        "\n"
        "personeelstekorten).\n"
    )
    assert blocks(ocr) == [
        "Sociale innovatie kan in principe bijdragen aan:",
        "- een groter innovatievermogen (de implementatie van innovaties wordt versterkt);\n"
        "- hogere arbeidsproductiviteit (door medewerkers nadrukkelijker te betrekken);\n"
        "- een inclusieve arbeidsmarkt (bredere betrokkenheid van medewerkers bij de "
        "werkzaamheden kan leiden tot meer ruimte op de werkvloer; breder en beter benutten van "
        "alle beschikbare talenten in de regio en daardoor tegengaan van personeelstekorten).",
    ]


def test_numbered_list_with_lost_numbers_is_renumbered():
    ocr = (
        "hier telkens in terugkomen:\n\n"
        "1. Transitie naar kringlooplandbouw en voedselsysteem;\n\n"
        "Inclusieve, gezonde en veilige samenleving;\n\n"
        "Klimaatadaptatie;\n\n"
        "N oo v~ w DN\n\n"
        "Verhogen van de arbeidsparticipatie van een kwetsbare doelgroep.\n\n"
        "Ook in het arbeidsmarktbeleid van de provincie Overijssel is er aandacht voor sociale innovatie.\n"
    )
    assert blocks(ocr)[1:] == [
        "1. Transitie naar kringlooplandbouw en voedselsysteem;\n"
        "2. Inclusieve, gezonde en veilige samenleving;\n"
        "3. Klimaatadaptatie;\n"
        "4. Verhogen van de arbeidsparticipatie van een kwetsbare doelgroep.",
        "Ook in het arbeidsmarktbeleid van de provincie Overijssel is er aandacht voor sociale "
        "innovatie.",
    ]


def test_explicit_item_continued_after_blank_line_stays_one_item():
    ocr = (
        "1. Dynamisch managen: begin bij de directeur/grootaandeelhouder en vergeet niet de leidinggevenden;\n"
        "\n"
        "zet de medewerker écht centraal en inspireer in plaats van controleer als leidinggevende.\n"
    )
    assert clean_text(ocr) == (
        "1. Dynamisch managen: begin bij de directeur/grootaandeelhouder en vergeet niet de "
        "leidinggevenden; zet de medewerker écht centraal en inspireer in plaats van controleer "
        "als leidinggevende."
    )


def test_inline_numbered_items_are_split():
    layout = (
        "Sociale innovatie bestaat uit vier onderdelen: 1. Dynamisch managen: modern leiderschap: ruimte\n"
        "en vertrouwen aan medewerkers geven als het kan,\n"
        "\n"
        "sturen als het moet. 2. Flexibel organiseren: een minder hiérarchische structuur.\n"
    )
    assert blocks(layout) == [
        "Sociale innovatie bestaat uit vier onderdelen:",
        "1. Dynamisch managen: modern leiderschap: ruimte en vertrouwen aan medewerkers geven als "
        "het kan, sturen als het moet.\n"
        "2. Flexibel organiseren: een minder hiërarchische structuur.",  # OCR 'é' repaired
    ]


def test_bullet_glued_to_end_of_lead_in_line():
    layout = (
        "benaderd vanuit verschillende invalshoeken: e\n"
        "Sociale innovatie en mkb: sociaal ondernemerschap\n"
        "e Sociale innovatie en arbeidsmarkt;\n"
    )
    assert blocks(layout) == [
        "benaderd vanuit verschillende invalshoeken:",
        "- Sociale innovatie en mkb: sociaal ondernemerschap\n- Sociale innovatie en arbeidsmarkt;",
    ]


def test_salutation_and_closing_stand_alone():
    ocr = (
        "Geacht College,\n\nIn het Jaarprogramma 2022 heeft de SER Overijssel aangekondigd.\n\n"
        "Met vriendelijke groet,\n\nir. HA.AM. (Harry) Webers\n"
    )
    assert blocks(ocr) == [
        "Geacht College,",
        "In het Jaarprogramma 2022 heeft de SER Overijssel aangekondigd.",
        "Met vriendelijke groet,",
        "ir. HA.AM. (Harry) Webers",
    ]


def test_whitespace_and_ligatures_normalised():
    assert clean_text("  sociale\u00a0\u00a0innovatie   in de   ofﬁce.  \n\n\n\n") == (
        "sociale innovatie in de office."
    )


def test_markdown_headings():
    assert blocks("# Casus\n\nEen bedrijf.\n\n## Wat werkte\n- ruimte;\n- vertrouwen.") == [
        "Casus",
        "Een bedrijf.",
        "Wat werkte",
        "- ruimte;\n- vertrouwen.",
    ]


def test_empty_input():
    assert clean_text("") == ""
    assert clean_text("\n \n3\n") == ""


def test_drop_running_lines_removes_repeated_header():
    pages = [f"Briefadvies sociale innovatie\nTekst van pagina {n}.\n{n}" for n in range(1, 5)]
    cleaned = drop_running_lines(pages)
    assert all("Briefadvies sociale innovatie" not in page for page in cleaned)
    assert "Tekst van pagina 2." in cleaned[1]
    assert drop_running_lines(pages[:2]) == pages[:2]  # too few pages to call it a running line


def test_a_footnote_that_explains_a_name_says_which():
    ocr = (
        "Binnen het programma Smart Industry van Boost?> wordt sociale innovatie genoemd.\n\n"
        "2 Het onafhankelijke platform voor Smart Industry in Oost-Nederland.\n"
    )
    assert blocks(ocr)[-1] == (
        "Voetnoot 2 bij ‘Boost’: Het onafhankelijke platform voor Smart Industry in Oost-Nederland."
    )
    assert "Boost wordt" in blocks(ocr)[0]  # the text itself loses only the OCR noise


def test_a_numbered_reference_to_a_name_labels_its_footnote():
    ocr = "Zij werken samen in Impact Oost7.\n\n7 Een netwerk van impact ondernemers.\n"
    assert blocks(ocr) == [
        "Zij werken samen in Impact Oost.",
        "Voetnoot 7 bij ‘Impact Oost’: Een netwerk van impact ondernemers.",
    ]


def test_a_footnote_to_an_ordinary_word_keeps_its_plain_label():
    ocr = "Dat werd concreet gemaakt3.\n\n3 https://www.voorbeeld.nl/\n"
    assert blocks(ocr)[-1] == "Voetnoot 3: https://www.voorbeeld.nl/"
