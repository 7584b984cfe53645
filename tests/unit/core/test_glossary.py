"""The advisor-edited term lists: matching, and expressions the lists ignore."""

from __future__ import annotations

import pytest

from assistant.core.errors import ConfigError
from assistant.core.glossary import TermList
from tests.conftest import REPO_ROOT


def write(tmp_path, text: str):
    path = tmp_path / "terms.txt"
    path.write_text(text, encoding="utf-8")
    return TermList.load(path)


def test_an_ignored_expression_is_taken_out_before_matching(tmp_path):
    terms = write(
        tmp_path,
        "subsidie geld = kosten, betalen\nnegeer = ten koste van, ten koste gaat\n",
    )
    assert terms.matches("Wat zijn de kosten?") == ["subsidie geld"]
    assert terms.matches("Gaat dit ten koste van mijn mensen?") == []
    assert terms.matches("Het gaat Ten  Koste van de kosten") == ["subsidie geld"]
    assert terms.plain("Dat gaat ten koste gaat niet").split() == ["Dat", "gaat", "niet"]
    assert [line.head for line in terms.lines] == ["subsidie geld"]  # 'negeer' is no line


def test_the_ignored_expressions_survive_dropping_known_words(tmp_path):
    terms = write(tmp_path, "lonen = loon, salaris\nnegeer = ten koste van\n").without({"loon"})
    assert terms.plain("ten koste van het salaris").split() == ["het", "salaris"]


def test_without_an_ignore_line_the_text_is_unchanged(tmp_path):
    terms = write(tmp_path, "lonen = loon\n")
    assert terms.plain("ten koste van het loon") == "ten koste van het loon"


def test_a_line_without_equals_sign_names_its_line(tmp_path):
    with pytest.raises(ConfigError, match="regel 2"):
        write(tmp_path, "lonen = loon\nnegeer ten koste van\n")


def test_the_synonym_list_reads_at_the_expense_of_as_no_cost():
    synonyms = TermList.load(REPO_ROOT / "prompts" / "synonyms.txt")
    money = "subsidie subsidies bekostiging geld"
    assert money in synonyms.matches("Wat zijn de kosten van sociale innovatie?")
    assert money not in synonyms.matches(
        "Hoe zorg ik dat nieuwe technologie niet ten koste gaat van mijn mensen?"
    )


def test_the_synonym_list_reads_no_desire_as_no_family():
    # the stemmer reads 'gezin' as 'zin'; "geen zin hebben" is not about family life
    synonyms = TermList.load(REPO_ROOT / "prompts" / "synonyms.txt")
    family = "combinatie van werk en privé"
    assert family in synonyms.matches("Hoe combineren mijn mensen werk en gezin?")
    assert family not in synonyms.matches("Wat als ze geen zin hebben om mee te denken?")
    assert family not in synonyms.matches("Heeft het zin om ze mee te laten denken?")


def test_a_word_whose_stem_lost_a_ge_must_occur_itself(tmp_path):
    # the stemmer makes 'begeleiding' 'beleid' and 'gezin' 'zin': other words
    terms = write(tmp_path, "ondersteuning = begeleiding\nprive = gezin, kinderen\n")
    assert terms.matches("Wie biedt begeleiding?") == ["ondersteuning"]
    assert terms.matches("Wat is het beleid van de provincie?") == []
    assert terms.matches("Heeft het zin?") == []
    assert terms.matches("Werk en gezin, met kind") == ["prive"]  # stems still for others


def test_a_phrase_is_read_as_its_head(tmp_path):
    terms = write(
        tmp_path,
        "betrokkenheid = mee te denken, meedenken\nmkb = klein bedrijf\nnegeer = geen zin\n",
    )
    assert terms.phrases_as_heads("En als ze geen zin hebben om mee te denken?") == (
        "en als ze hebben om betrokkenheid"
    )
    assert (
        terms.phrases_as_heads("Hoe werkt het in een Klein  bedrijf?") == "hoe werkt het in een mkb"
    )
    assert terms.phrases_as_heads("Willen ze meedenken?") == "willen ze meedenken"  # single word
