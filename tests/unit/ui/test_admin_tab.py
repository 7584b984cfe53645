"""The Beheer tab's handlers on fake services: nothing without the token, then the use cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.core.settings import Settings
from assistant.ui.admin_tab import BeheerHandlers
from assistant.ui.app import build_ui
from tests.fakes import library_services

TOKEN = "ui-token"
CASE = "Bakkerij De Korenschoof liet het team zelf de ovenplanning maken."
FORM = ("Casus bakkerij", "casus", "SER", "2024-03", "nl", "")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


@pytest.fixture
def services(tmp_path, corpus):
    settings = Settings(
        _env_file=None, data_dir=tmp_path / "data", corpus_dir=corpus, admin_token=TOKEN
    )
    return library_services(settings)


@pytest.fixture
def h(services) -> BeheerHandlers:
    return BeheerHandlers(services)


def gradio_copy(tmp_path: Path, name: str = "casus.txt", text: str = CASE) -> str:
    folder = tmp_path / "gradio"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return str(folder / name)


def no_progress(*args, **kwargs) -> None:
    pass


def add(h: BeheerHandlers, tmp_path: Path, token: str | None = TOKEN) -> list[tuple]:
    return list(h.upload(token, gradio_copy(tmp_path), *FORM, progress=no_progress))


def test_login_needs_the_right_token(h):
    state, box, login_box, panel, message = h.login("fout")
    assert state is None and panel["visible"] is False and login_box["visible"] is True
    assert "klopt niet" in message
    state, box, login_box, panel, message = h.login(TOKEN)
    assert state == TOKEN and box == "" and panel["visible"] is True


def test_login_says_when_admin_is_off(tmp_path, corpus):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=corpus)
    handlers = BeheerHandlers(library_services(settings))
    assert "ASSISTANT_ADMIN_TOKEN" in handlers.login("")[4]
    assert handlers.login(None)[0] is None


@pytest.mark.parametrize("token", [None, "", "fout"])
def test_no_handler_reads_or_changes_anything_without_the_token(h, services, tmp_path, token):
    add(h, tmp_path)
    services.library.wait_idle(10)
    services.feedback.add("Vraag?", "Antwoord", [], "down", "te vaag")
    assert h.overview(token)[0] == "" and h.overview(token)[2] == ""
    assert h.pick(token, "casus-bakkerij")[0] == ""
    assert "niet (meer) aangemeld" in add(h, tmp_path, token)[0][0]
    assert "niet (meer) aangemeld" in h.save(token, "casus-bakkerij", "X", "casus", "", "", "")
    assert h.ask_delete(token, "casus-bakkerij")[0]["visible"] is False
    assert "niet (meer) aangemeld" in h.delete(token, "casus-bakkerij")[1]
    assert "niet (meer) aangemeld" in h.reindex(token)
    with pytest.warns(UserWarning, match="niet \\(meer\\) aangemeld"):
        assert h.candidates(token) is None
    assert [d["title"] for d in services.library.documents()] == ["Casus bakkerij"]


def test_upload_follows_the_ingest_and_removes_gradios_copy(h, services, tmp_path, corpus):
    copy = gradio_copy(tmp_path)
    steps = list(h.upload(TOKEN, copy, *FORM, progress=no_progress))
    assert "wordt verwerkt" in steps[0][0]
    assert "is klaar: 1 passages, 1 pagina's" in steps[-1][0]
    assert not Path(copy).exists() and (corpus / "casus-bakkerij.txt").exists()
    table, picker, _, status = h.overview(TOKEN)
    assert "Casus bakkerij" in table and ">klaar<" in table and "praktijkvoorbeeld" in table
    assert steps[-1][1:] == (None, "", "", "", "")  # the form is ready for the next one
    assert picker["choices"] == [("Casus bakkerij", "casus-bakkerij")] and status == ""


def test_upload_errors_are_shown_in_dutch(h, tmp_path):
    steps = list(h.upload(TOKEN, None, *FORM, progress=no_progress))
    assert "Kies eerst een bestand" in steps[0][0]
    bad = ("Titel", "brochure", "", "", "nl", "")
    steps = list(h.upload(TOKEN, gradio_copy(tmp_path), *bad, progress=no_progress))
    assert "Let op" in steps[0][0] and "type" in steps[0][0]


def test_edit_then_delete_with_confirmation(h, services, tmp_path, corpus):
    add(h, tmp_path)
    title, doc_type, publisher, date, url, confirm = h.pick(TOKEN, "casus-bakkerij")
    assert (title, doc_type, publisher, date, url) == (
        "Casus bakkerij",
        "casus",
        "SER",
        "2024-03",
        "",
    )
    message = h.save(TOKEN, "casus-bakkerij", "Bakkerij plant zelf", "casus", "SER", "2024", "")
    assert message == "'Bakkerij plant zelf' is bijgewerkt."
    answer = services.ask("Hoe ging de bakkerij om met de ovenplanning?")
    assert answer.citations[0].title == "Bakkerij plant zelf"
    box, question, _ = h.ask_delete(TOKEN, "casus-bakkerij")
    assert box["visible"] is True and "Bakkerij plant zelf" in question
    assert (corpus / "casus-bakkerij.txt").exists()  # asking is not deleting
    box, message, _ = h.delete(TOKEN, "casus-bakkerij")
    assert message == "'Bakkerij plant zelf' is verwijderd." and box["visible"] is False
    assert not (corpus / "casus-bakkerij.txt").exists()
    assert services.ask("Hoe ging de bakkerij om met de ovenplanning?").citations == []


def test_reindex_reports_what_changed(h, tmp_path):
    add(h, tmp_path)
    assert "1 ongewijzigd" in h.reindex(TOKEN)


def test_feedback_view_is_newest_first_and_candidates_download(h, services):
    services.feedback.add("Eerste vraag?", "a", [], "down", "oud")
    services.feedback.add("Goed?", "a", [], "up")
    services.feedback.add("Tweede vraag?", "b", [], "down", "")
    html = h.overview(TOKEN)[2]
    assert html.index("Tweede vraag?") < html.index("Eerste vraag?") and "Goed?" not in html
    assert "geen toelichting" in html
    path = Path(h.candidates(TOKEN))
    cases = [json.loads(line) for line in path.read_text().splitlines()]
    assert {c["question"] for c in cases} == {"Eerste vraag?", "Tweede vraag?"}


def test_the_page_holds_nothing_of_the_corpus_before_login(services, h, tmp_path):
    add(h, tmp_path)
    services.feedback.add("Geheime vraag?", "a", [], "down", "reden")
    config = json.dumps(build_ui(services).get_config_file(), default=repr)
    assert "Casus bakkerij" not in config and "Geheime vraag" not in config
