"""Citation check: supported markers stay, unsupported ones go, the rest is renumbered."""

from __future__ import annotations

import pytest

from assistant.answering.citations import check_citations, markers_of
from assistant.answering.support import SentenceScorer, SupportConfig
from tests.fakes import HashEmbedder, load_fixture_chunks

CHUNKS = {c.chunk_id: c.text for c in load_fixture_chunks()}
DEFINITION = CHUNKS["fx-03"]
PARTS = CHUNKS["fx-05"]
SUBSIDY = CHUNKS["fx-07"]


# The dense constants are embedder-specific; these suit the bag-of-words hash embedder.
HASH_SUPPORT = SupportConfig(dense_floor=0.2, dense_ceiling=0.7)


@pytest.fixture
def scorer() -> SentenceScorer:
    return SentenceScorer(HashEmbedder(), HASH_SUPPORT)


def test_supported_claims_keep_their_markers(scorer):
    text = (
        "Sociale innovatie bestaat uit vier onderdelen [1]. Bij dynamisch managen geef je "
        "medewerkers ruimte en vertrouwen [1]."
    )
    checked = check_citations(text, [PARTS], scorer)
    assert checked.text == text
    assert checked.removed == 0 and checked.supported == 2 and checked.sources == [1]


def test_unsupported_marker_is_removed(scorer):
    checked = check_citations("Het minimumloon stijgt elk jaar in januari [1].", [PARTS], scorer)
    assert checked.text == "Het minimumloon stijgt elk jaar in januari."
    assert checked.removed == 1 and not checked.any_supported


def test_mixed_answer_keeps_only_supported_markers_and_renumbers(scorer):
    text = (
        "Het weer wordt morgen zonnig en warm [1]. "
        "Er is vaak wel geld voor vernieuwende projecten, maar niet voor het duurzaam "
        "inzetten van de nieuwe aanpak [2]."
    )
    checked = check_citations(text, [DEFINITION, SUBSIDY], scorer)
    assert checked.removed == 1 and checked.supported == 1
    assert checked.sources == [2]  # original source 2 becomes [1]
    assert checked.text.startswith("Het weer wordt morgen zonnig en warm. Er is vaak")
    assert checked.text.endswith("nieuwe aanpak [1].")


def test_claim_cited_to_the_wrong_passage_loses_the_marker(scorer):
    text = "Sociale innovatie bestaat uit vier onderdelen [2]."
    checked = check_citations(text, [PARTS, SUBSIDY], scorer)
    assert checked.removed == 1 and checked.sources == []


def test_marker_without_a_passage_is_removed(scorer):
    checked = check_citations("Sociale innovatie bestaat uit vier onderdelen [7].", [PARTS], scorer)
    assert checked.removed == 1 and "[" not in checked.text


def test_wrong_number_is_not_supported(scorer):
    checked = check_citations(
        "Sociale innovatie bestaat uit zeven onderdelen [1].", [PARTS], scorer
    )
    assert checked.removed == 1


def test_grouped_and_trailing_markers_are_understood(scorer):
    text = "Sociale innovatie bestaat uit vier onderdelen. [1, 2]"
    checked = check_citations(text, [PARTS, SUBSIDY], scorer)
    assert checked.text == "Sociale innovatie bestaat uit vier onderdelen [1]."
    assert checked.removed == 1


def test_markers_of_reads_all_forms():
    assert markers_of("a [1] b [2, 3][4]; c [5;6]") == [1, 2, 3, 4, 5, 6]


def test_line_structure_is_kept(scorer):
    text = "- Sociale innovatie bestaat uit vier onderdelen [1].\n- Flexibel organiseren [1]."
    checked = check_citations(text, [PARTS], scorer)
    assert checked.text.splitlines() == text.splitlines()
