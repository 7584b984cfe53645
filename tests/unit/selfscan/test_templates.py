"""prompts/scan.yaml is checked when the scan is built: a bad file is a clear start-up error."""

from __future__ import annotations

import shutil

import pytest

from assistant import cli
from assistant.core.errors import ConfigError
from assistant.selfscan.templates import ScanTemplates
from tests.fakes import fake_container
from tests.unit.selfscan.scan_fixtures import LEVERS, scan_yaml, write_scan_yaml


@pytest.fixture
def prompts(settings, tmp_path):
    """A copy of the prompts folder to break."""
    folder = tmp_path / "prompts"
    shutil.copytree(settings.prompts_dir, folder)
    return folder


def broken(prompts, change) -> str:
    """The ConfigError message after changing the parsed file with `change`."""
    data = scan_yaml(prompts)
    change(data)
    write_scan_yaml(prompts, data)
    with pytest.raises(ConfigError) as info:
        ScanTemplates.load(prompts)
    return str(info.value)


def test_the_shipped_file_has_four_levers_with_three_or_four_statements_each(settings):
    templates = ScanTemplates.load(settings.prompts_dir)
    assert tuple(templates.levers) == LEVERS
    counts = [len(lever.stellingen) for lever in templates.spec.hefbomen]
    assert all(3 <= n <= 4 for n in counts) and 12 <= sum(counts) <= 16
    assert templates.scale[0] == "helemaal oneens" and templates.scale[-1] == "helemaal eens"
    assert all(s.passage for s in templates.statements.values())
    assert templates.spec.begin.hefboom == "dynamisch-managen"


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"Promptbestand ontbreekt: .*scan\.yaml"):
        ScanTemplates.load(tmp_path)


def test_invalid_yaml_is_named(prompts):
    (prompts / "scan.yaml").write_text("schaal: [oneens\nhefbomen: {", encoding="utf-8")
    with pytest.raises(ConfigError, match="geen geldige YAML"):
        ScanTemplates.load(prompts)


def test_a_missing_field_is_named_with_its_path(prompts):
    message = broken(prompts, lambda d: d["hefbomen"][1].pop("naam"))
    assert "scan.yaml" in message and "hefbomen.1.naam ontbreekt" in message


def test_too_few_statements_for_a_lever_is_refused(prompts):
    message = broken(
        prompts, lambda d: d["hefbomen"][2].update(stellingen=d["hefbomen"][2]["stellingen"][:2])
    )
    assert "hefbomen.2.stellingen heeft te weinig elementen (minstens 3)" in message


def test_a_statement_without_its_passage_is_refused(prompts):
    message = broken(prompts, lambda d: d["hefbomen"][0]["stellingen"][0].pop("passage"))
    assert "hefbomen.0.stellingen.0.passage ontbreekt" in message


def test_a_scale_of_four_points_is_refused(prompts):
    message = broken(prompts, lambda d: d["schaal"].pop())
    assert "schaal heeft te weinig elementen (minstens 5)" in message


def test_duplicate_statement_ids_are_refused(prompts):
    def duplicate(data):
        data["hefbomen"][3]["stellingen"][0]["id"] = "dm1"

    assert "dubbele id('s): dm1" in broken(prompts, duplicate)


def test_an_unknown_variable_in_a_text_is_named(prompts):
    message = broken(prompts, lambda d: d["teksten"].update(geen_tips="Geen tips voor $hefbom."))
    assert "teksten.geen_tips" in message and "$hefbom" in message


def test_an_unknown_start_lever_is_refused(prompts):
    message = broken(prompts, lambda d: d["begin"].update(hefboom="leiderschap"))
    assert "begin.hefboom 'leiderschap' is geen hefboom-id" in message


def test_score_bands_must_start_at_zero_and_rise(prompts):
    message = broken(prompts, lambda d: d["scorewoorden"].reverse())
    assert "scorewoorden" in message


def test_chat_questions_need_a_line_without_sector(prompts):
    message = broken(prompts, lambda d: d.update(chatvragen=["Wat werkt in de sector $sector?"]))
    assert "chatvragen heeft een regel zonder $sector nodig" in message


def test_the_server_does_not_start_with_a_broken_file(settings, prompts, monkeypatch, capsys):
    import uvicorn

    (prompts / "scan.yaml").unlink()
    container = fake_container(settings.model_copy(update={"prompts_dir": prompts}))
    with pytest.raises(ConfigError, match="scan.yaml"):
        container.warm_up()  # what `assistant serve` does before it listens

    def listen(*args, **kwargs):
        raise AssertionError("the server must not start")

    monkeypatch.setattr(uvicorn, "run", listen)
    assert cli.main(["serve"], container=container) == cli.EXIT_USAGE
    assert "Promptbestand ontbreekt" in capsys.readouterr().err


def test_the_cli_stops_with_the_message_before_loading_the_index(
    settings, prompts, capsys, tmp_path
):
    (prompts / "scan.yaml").write_text("schaal: 3\n", encoding="utf-8")
    container = fake_container(settings.model_copy(update={"prompts_dir": prompts}))
    out = str(tmp_path / "s.md")
    code = cli.main(
        ["scan", "--answers", str(tmp_path / "a.json"), "--out", out], container=container
    )
    assert code == cli.EXIT_USAGE
    assert "scan.yaml klopt niet" in capsys.readouterr().err
