"""Citation check: supported markers stay, unsupported ones go, the rest is renumbered."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answering.citations import check_citations, markers_of
from assistant.answering.support import SentenceScorer, SupportConfig
from assistant.core.text import cited_sentences, find_markers
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


def test_a_range_keeps_its_supported_members_renumbered(scorer):
    text = "Sociale innovatie bestaat uit vier onderdelen [1-3]."
    checked = check_citations(text, [PARTS, SUBSIDY, PARTS], scorer)
    assert checked.text == "Sociale innovatie bestaat uit vier onderdelen [1][2]."
    assert checked.sources == [1, 3] and checked.removed == 1


def test_a_marker_inside_a_sentence_stays_in_place(scorer):
    text = "Sociale innovatie bestaat uit vier onderdelen (bron 2), zoals dynamisch managen [1]."
    checked = check_citations(text, [PARTS, PARTS], scorer)
    assert checked.text == (
        "Sociale innovatie bestaat uit vier onderdelen [1], zoals dynamisch managen [2]."
    )
    assert checked.sources == [2, 1]


def test_a_closing_marker_after_a_quote_stays_after_it(scorer):
    text = 'De SER zegt: "Sociale innovatie bestaat uit vier onderdelen." [1]'
    checked = check_citations(text, [PARTS], scorer)
    assert checked.text == 'De SER zegt: "Sociale innovatie bestaat uit vier onderdelen." [1]'


def test_the_model_source_list_is_dropped_and_reported(scorer):
    text = "Sociale innovatie bestaat uit vier onderdelen [1].\n\nBronnen:\n[1] Briefadvies, p. 6"
    checked = check_citations(text, [PARTS], scorer)
    assert checked.text == "Sociale innovatie bestaat uit vier onderdelen [1]."
    assert checked.dropped == ["Bronnen:", "[1] Briefadvies, p. 6"]
    assert checked.removed == 0


def test_a_marker_with_no_sentence_before_it_supports_nothing(scorer):
    checked = check_citations(
        "[1]\nSociale innovatie bestaat uit vier onderdelen.", [PARTS], scorer
    )
    assert checked.text == "Sociale innovatie bestaat uit vier onderdelen."
    assert checked.removed == 1 and not checked.any_supported


# ------------------------------------------------------------------ renumbering property
CLAIMS = [
    "Alfa geeft teams ruimte",
    "Bravo zorgt voor een passende structuur",
    "Charlie benut talent op de werkvloer",
    "Delta begint bij de directeur",
    "Echo vraagt om regelmatig overleg",
    "Foxtrot deelt goede voorbeelden",
    "Golf speelt in op intrinsieke motivatie",
    "Hotel geeft vertrouwen en erkenning",
]
PASSAGE_COUNT = 5
SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class TableScorer:
    """Supports exactly the (claim, passage) pairs it is given; a claim is known by its
    first word, a passage by its number."""

    def __init__(self, supported: set[tuple[int, int]]) -> None:
        self.supported = supported

    def supports(self, claim: str, passage: str) -> bool:
        index = next(i for i, c in enumerate(CLAIMS) if c.split()[0] == claim.split()[0])
        return (index, int(passage.split()[-1])) in self.supported


def _marker(draw, numbers: list[int], bare_ok: bool) -> str:
    shapes = ["square", "squares", "keyword", "footnote"]
    if bare_ok:
        shapes.append("bare")  # "(1) Bravo …" after a stop is an enumerator by the rule
    if max(numbers) < 10:
        shapes.append("superscript")
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        shapes.append("range")
    shape = draw(st.sampled_from(shapes))
    sep = draw(st.sampled_from([", ", ",", "; "]))
    return {
        "square": "[" + sep.join(map(str, numbers)) + "]",
        "squares": "".join(f"[{n}]" for n in numbers),
        "keyword": "(bron " + " en ".join(map(str, numbers)) + ")",
        "footnote": "".join(f"[^{n}]" for n in numbers),
        "bare": "(" + sep.join(map(str, numbers)) + ")",
        "superscript": "˒".join(str(n).translate(SUPERSCRIPT_DIGITS) for n in numbers),
        "range": f"[{numbers[0]}-{numbers[-1]}]",
    }[shape]


def _numbers(draw) -> list[int]:
    drawn = draw(st.lists(st.integers(1, PASSAGE_COUNT + 2), min_size=1, max_size=3))
    return sorted(set(drawn)) if draw(st.booleans()) else list(dict.fromkeys(drawn))


def _sentence(draw, index: int, cited: list[tuple[int, int]]) -> str:
    head, _, tail = CLAIMS[index].partition(" ")
    if draw(st.booleans()):  # a marker inside the sentence
        numbers = _numbers(draw)
        cited += [(index, n) for n in numbers]
        head = f"{head} {_marker(draw, numbers, bare_ok=False)}"
    closing = []
    place = draw(st.sampled_from(["before", "after", "glued"]))
    for _ in range(draw(st.integers(0, 2))):
        numbers = _numbers(draw)
        cited += [(index, n) for n in numbers]
        closing.append(_marker(draw, numbers, bare_ok=place == "before"))
    marks = " ".join(closing)
    text = f"{head} {tail}"
    if not marks:
        return text + "."
    return {"before": f"{text} {marks}.", "after": f"{text}. {marks}", "glued": f"{text}.{marks}"}[
        place
    ]


@st.composite
def answers(draw) -> tuple[str, list[tuple[int, int]]]:
    """A model reply over CLAIMS with markers of every shape, and the (claim, n) it cites."""
    order = list(draw(st.permutations(range(len(CLAIMS)))))
    cited: list[tuple[int, int]] = []
    lines = []
    while order and len(lines) < 4:
        take = draw(st.integers(1, 2))
        sentences = [_sentence(draw, i, cited) for i in order[:take]]
        del order[:take]
        lines.append(draw(st.sampled_from(["", "- ", "1. ", "* "])) + " ".join(sentences))
    if draw(st.booleans()):
        lines += ["", "Bronnen:", "[1] Briefadvies sociale innovatie, pagina 6"]
    return "\n".join(lines), cited


@settings(max_examples=300, deadline=None)
@given(answers(), st.sets(st.tuples(st.integers(0, 7), st.integers(1, PASSAGE_COUNT))))
def test_renumbering_is_consistent(answer, supported):
    text, cited = answer
    passages = [f"passage {n}" for n in range(1, PASSAGE_COUNT + 1)]
    checked = check_citations(text, passages, TableScorer(supported))

    numbers = markers_of(checked.text)
    assert all(1 <= n <= len(checked.sources) for n in numbers)
    assert list(dict.fromkeys(numbers)) == list(range(1, len(checked.sources) + 1))
    for marker in find_markers(checked.text):
        assert re.fullmatch(r"(\[\d+\])+", checked.text[marker.start : marker.end])
    # each kept marker is one the model wrote and its passage supports; none is lost
    kept = set()
    for sentence in cited_sentences(checked.text):
        index = next(i for i, c in enumerate(CLAIMS) if sentence.claim.startswith(c.split()[0]))
        kept |= {(index, checked.sources[n - 1]) for n in sentence.numbers}
    assert kept == set(cited) & supported
    assert checked.supported == len(kept)
    assert checked.removed == len(set(cited) - supported)
    # the canonical answer is a fixed point of the check (passages in the new order)
    again = check_citations(
        checked.text, [passages[n - 1] for n in checked.sources], TableScorer(supported)
    )
    assert again.text == checked.text and again.removed == 0
    assert again.sources == list(range(1, len(checked.sources) + 1))
