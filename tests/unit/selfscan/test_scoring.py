"""Self-scan scoring: answers checked by statement, scores 0-100 per lever, the start rule."""

from __future__ import annotations

import pytest

from assistant.core.errors import InvalidInputError
from assistant.selfscan import scoring
from assistant.selfscan.templates import ScanTemplates

DM, FO, SW, CC = "dynamisch-managen", "flexibel-organiseren", "slimmer-werken", "co-creatie"


@pytest.fixture(scope="module")
def templates() -> ScanTemplates:
    from assistant.core.settings import Settings

    return ScanTemplates.load(Settings(_env_file=None).prompts_dir)


def all_answers(templates: ScanTemplates, value: int) -> dict[str, int]:
    return {sid: value for sid in templates.statements}


def test_all_helemaal_oneens_scores_zero_everywhere(templates):
    scores = scoring.lever_scores(templates, all_answers(templates, 1))
    assert scores == {DM: 0, FO: 0, SW: 0, CC: 0}


def test_all_helemaal_eens_scores_a_hundred_everywhere(templates):
    scores = scoring.lever_scores(templates, all_answers(templates, 5))
    assert scores == {DM: 100, FO: 100, SW: 100, CC: 100}


def test_mixed_answers_score_each_lever_on_its_own_statements(templates):
    answers = all_answers(templates, 3)
    answers.update(dm1=5, dm2=4, dm3=4, dm4=2, cc1=1, cc2=2, cc3=1, cc4=1)
    scores = scoring.lever_scores(templates, answers)
    # DM: mean 3.75 -> 68.75 -> 69; CC: mean 1.25 -> 6.25 -> 6; neutral levers 50
    assert scores == {DM: 69, FO: 50, SW: 50, CC: 6}


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 2, 3, 4], 38), ([1, 1, 2], 8), ([2, 2, 3, 3], 38), ([4, 5, 5], 92)],
)
def test_scores_round_half_up(values, expected):
    assert scoring.lever_score(values) == expected


def test_a_missing_answer_names_the_statement(templates):
    answers = all_answers(templates, 3)
    del answers["fo2"]
    with pytest.raises(InvalidInputError) as info:
        scoring.clean_answers(templates, answers)
    message = str(info.value)
    assert "fo2" in message and templates.statements["fo2"].tekst in message
    assert "niet beantwoord" in message


def test_several_missing_answers_name_the_first_and_count_the_rest(templates):
    answers = all_answers(templates, 3)
    for sid in ("dm1", "sw3", "cc4"):
        answers[sid] = None
    with pytest.raises(InvalidInputError, match=r"dm1 .*\(en nog 2 andere\)"):
        scoring.clean_answers(templates, answers)


@pytest.mark.parametrize("value", [0, 6, -1, 42])
def test_out_of_range_answers_name_the_statement_and_the_range(templates, value):
    answers = {**all_answers(templates, 3), "sw2": value}
    with pytest.raises(InvalidInputError) as info:
        scoring.clean_answers(templates, answers)
    message = str(info.value)
    assert "sw2" in message and "tussen 1 en 5" in message and "helemaal eens" in message


@pytest.mark.parametrize("value", ["vier", 3.5, True, [3], {"a": 1}])
def test_non_numbers_are_refused_by_statement(templates, value):
    answers = {**all_answers(templates, 3), "cc1": value}
    with pytest.raises(InvalidInputError, match=r"cc1 .*geheel getal"):
        scoring.clean_answers(templates, answers)


def test_whole_floats_and_digit_strings_are_accepted(templates):
    answers = {**all_answers(templates, 3), "dm1": 4.0, "dm2": " 5 "}
    cleaned = scoring.clean_answers(templates, answers)
    assert cleaned["dm1"] == 4 and cleaned["dm2"] == 5
    assert list(cleaned) == list(templates.statements)  # file order


def test_unknown_statements_and_non_objects_are_refused(templates):
    with pytest.raises(InvalidInputError, match="Onbekende stelling 'xx9'"):
        scoring.clean_answers(templates, {**all_answers(templates, 3), "xx9": 3})
    with pytest.raises(InvalidInputError, match="object"):
        scoring.clean_answers(templates, [3] * 16)


@pytest.mark.parametrize(
    ("size", "message"), [(0, "tussen 1 en 249"), (250, "mkb"), ("veel", "geheel getal")]
)
def test_company_size_is_checked(templates, size, message):
    with pytest.raises(InvalidInputError, match=message):
        scoring.clean_request(templates, all_answers(templates, 3), None, size)


def test_sector_is_checked_like_the_session_brief(templates):
    with pytest.raises(InvalidInputError, match="alleen letters"):
        scoring.clean_request(templates, all_answers(templates, 3), "metaal; DROP", None)
    request = scoring.clean_request(templates, all_answers(templates, 3), "  metaal ", 40.0)
    assert (request.sector, request.size) == ("metaal", 40)


def test_score_words_follow_the_bands_of_the_file(templates):
    bands = templates.spec.scorewoorden
    assert scoring.score_words(0, bands) == "hier valt nog veel te winnen"
    assert scoring.score_words(39, bands) == "hier valt nog veel te winnen"
    assert scoring.score_words(40, bands) == "een begin is er"
    assert scoring.score_words(60, bands) == "goed op weg"
    assert scoring.score_words(100, bands) == "sterk"


# ----------------------------------------------------------------------------- start rule
@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # the documents' lever is (jointly) the weakest: begin there
        ({DM: 0, FO: 0, SW: 0, CC: 0}, (DM, "bron_zwakste")),
        ({DM: 10, FO: 50, SW: 40, CC: 30}, (DM, "bron_zwakste")),
        # weak but not the weakest: still begin there, the weakest comes next
        ({DM: 50, FO: 25, SW: 75, CC: 40}, (DM, "bron")),
        ({DM: 59, FO: 58, SW: 90, CC: 90}, (DM, "bron")),
        # strong enough: begin with the weakest lever (earlier in the file on a tie)
        ({DM: 60, FO: 75, SW: 25, CC: 25}, (SW, "zwakste")),
        ({DM: 100, FO: 80, SW: 90, CC: 0}, (CC, "zwakste")),
        # strong and nothing lower: keep at it
        ({DM: 100, FO: 100, SW: 100, CC: 100}, (DM, "alles_goed")),
        ({DM: 70, FO: 80, SW: 70, CC: 95}, (DM, "alles_goed")),
    ],
)
def test_start_lever_weighs_the_documents_advice_against_the_weakest_lever(scores, expected):
    assert scoring.choose_start(scores, DM, 60) == expected


def test_weakest_other_skips_the_start_lever():
    scores = {DM: 10, FO: 50, SW: 30, CC: 30}
    assert scoring.weakest_other(scores, DM) == SW
    assert scoring.weakest_other({DM: 10}, DM) is None
