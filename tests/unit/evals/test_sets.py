"""Question-set loading: the committed sets are valid and malformed lines are named."""

from __future__ import annotations

import json

import pytest

from assistant.core.errors import InvalidInputError
from evals.sets import SetError, load_set, load_sets, parse_lines
from tests.conftest import REPO_ROOT

SETS = REPO_ROOT / "evals" / "sets"
DEV, TEST = SETS / "dev.jsonl", SETS / "test.jsonl"


def line(**fields) -> str:
    return json.dumps({"id": "a", "question": "Wat is sociale innovatie?", **fields})


def test_committed_sets_meet_the_issue_requirements():
    cases = load_sets([DEV, TEST])
    dutch = [c for c in cases if c.lang == "nl"]
    assert len(dutch) >= 60
    assert sum(1 for c in cases if c.history) >= 5
    assert sum(1 for c in cases if c.lang == "en") >= 5
    assert sum(1 for c in cases if c.refuse) >= 15
    assert all(c.evidence and c.doc_id for c in cases if not c.refuse)
    injections = [c for c in cases if "injectie" in c.tags]
    assert len(injections) >= 3 and all(c.refuse for c in injections)


def test_dev_and_test_are_disjoint_and_test_stays_large():
    dev, test = load_set(DEV), load_set(TEST)
    assert not {c.question for c in dev} & {c.question for c in test}
    assert all(c.id.startswith("dev-") for c in dev)
    assert all(c.id.startswith("test-") for c in test)
    # Dev grows with cases written for tuning (they can never move to test); test keeps
    # at least 100 cases and at least 40 % of the whole.
    share = len(dev) / (len(dev) + len(test))
    assert len(test) >= 100 and 0.35 <= share <= 0.60


def test_a_valid_line_loads_with_defaults():
    [case] = parse_lines([line(tags=["definitie"])])
    assert case.lang == "nl" and case.refuse is False and case.tags == ("definitie",)
    assert case.groups == ["taal:nl", "definitie"]


def test_unknown_field_is_an_error_with_the_line_number():
    with pytest.raises(SetError) as err:
        parse_lines([line(), "", line(id="b", evidense=["x"])], "mijn.jsonl")
    assert err.value.line == 3
    assert "mijn.jsonl, regel 3" in str(err.value) and "evidense" in str(err.value)
    assert isinstance(err.value, InvalidInputError)


def test_duplicate_id_names_both_lines():
    with pytest.raises(SetError) as err:
        parse_lines([line(), line(id="b"), line()])
    assert err.value.line == 3
    assert "'a'" in str(err.value) and "regel 1" in str(err.value)


def test_duplicate_id_across_files_is_an_error(tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text(line() + "\n", encoding="utf-8")
    two.write_text(line(id="b") + "\n" + line() + "\n", encoding="utf-8")
    with pytest.raises(SetError, match=r"two\.jsonl, regel 2: id 'a' staat ook in .*one\.jsonl:1"):
        load_sets([one, two])


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{niet json", "geen geldige JSON"),
        ('["een", "lijst"]', "JSON-object"),
        (json.dumps({"id": "a"}), "'question' ontbreekt"),
        (line(refuse="ja"), "'refuse' moet true of false"),
        (line(lang="de"), "'lang' moet een van nl, en"),
        (line(evidence="los"), "'evidence' moet een lijst"),
        (line(history=[{"role": "system", "content": "x"}]), "beurt 1 in 'history'"),
        (line(history=[{"role": "user"}]), "beurt 1 in 'history'"),
    ],
)
def test_malformed_lines_are_named(bad, message):
    with pytest.raises(SetError, match=message) as err:
        parse_lines([line(id="ok"), bad])
    assert err.value.line == 2


def test_missing_file_and_empty_set_are_plain_errors(tmp_path):
    with pytest.raises(InvalidInputError, match="niet gevonden"):
        load_set(tmp_path / "weg.jsonl")
    empty = tmp_path / "leeg.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="geen vragen"):
        load_set(empty)


def test_case_round_trips_through_its_dict_form():
    [case] = parse_lines(
        [line(history=[{"role": "user", "content": "Hoi"}], refuse=True, lang="en", note="n")]
    )
    [again] = parse_lines([json.dumps(case.to_dict())])
    assert again == case
