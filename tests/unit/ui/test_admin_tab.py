"""The Beheer tab's handlers on fake services: nothing without the token, then the use cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.core.adminlogin import COOKIE
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


class Request:
    """What the handlers read of gr.Request: headers (lower-case names) and cookies."""

    def __init__(self, headers: dict | None = None, cookies: dict | None = None) -> None:
        self.headers = headers or {}
        self.cookies = cookies or {}


def bearer(token: str = TOKEN) -> Request:
    return Request(headers={"authorization": f"Bearer {token}"})


def logged_in(services) -> Request:
    """A browser holding the login cookie that POST /api/admin/login sets."""
    return Request({"sec-fetch-site": "same-origin"}, {COOKIE: services.admin.new_cookie()})


ADMIN = bearer()


def add(h: BeheerHandlers, tmp_path: Path, request: Request = ADMIN) -> list[tuple]:
    return list(h.upload(gradio_copy(tmp_path), *FORM, request=request, progress=no_progress))


def test_login_opens_the_panel_only_with_the_cookie(h, services):
    box, login_box, panel, message = h.login("", Request())
    assert panel["visible"] is False and login_box["visible"] is True
    assert "klopt niet" in message
    box, login_box, panel, message = h.login("", logged_in(services))
    assert box == "" and panel["visible"] is True and message == ""
    assert h.open(logged_in(services))[1]["visible"] is True
    assert h.open(Request())[1]["visible"] is False


def test_a_cookie_from_another_site_or_an_old_token_does_not_count(h, services):
    cross = Request({"sec-fetch-site": "cross-site"}, logged_in(services).cookies)
    assert h.login("", cross)[2]["visible"] is False
    other = BeheerHandlers(
        library_services(services.settings.model_copy(update={"admin_token": "x"}))
    )
    assert other.login("", logged_in(services))[2]["visible"] is False


def test_login_says_when_admin_is_off(tmp_path, corpus):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=corpus)
    handlers = BeheerHandlers(library_services(settings))
    assert "ASSISTANT_ADMIN_TOKEN" in handlers.login("", bearer(""))[3]


@pytest.mark.parametrize("request_", [None, Request(), bearer("fout")])
def test_no_handler_reads_or_changes_anything_without_the_login(h, services, tmp_path, request_):
    add(h, tmp_path)
    services.library.wait_idle(10)
    services.feedback.add("Vraag?", "Antwoord", [], "down", "te vaag")
    assert h.overview(request_)[0] == "" and h.overview(request_)[2] == ""
    assert h.pick("casus-bakkerij", request_)[0] == ""
    assert "niet (meer) aangemeld" in add(h, tmp_path, request_)[0][0]
    assert "niet (meer) aangemeld" in h.save("casus-bakkerij", "X", "casus", "", "", "", request_)
    assert h.ask_delete("casus-bakkerij", request_)[0]["visible"] is False
    assert "niet (meer) aangemeld" in h.delete("casus-bakkerij", request_)[1]
    assert "niet (meer) aangemeld" in h.reindex(request_)
    with pytest.warns(UserWarning, match="niet \\(meer\\) aangemeld"):
        assert h.candidates(request_) is None
    assert [d["title"] for d in services.library.documents()] == ["Casus bakkerij"]


def test_upload_follows_the_ingest_and_removes_gradios_copy(h, services, tmp_path, corpus):
    copy = gradio_copy(tmp_path)
    steps = list(h.upload(copy, *FORM, request=logged_in(services), progress=no_progress))
    assert "wordt verwerkt" in steps[0][0]
    assert "is klaar: 1 passage, 1 pagina." in steps[-1][0]
    assert not Path(copy).exists() and (corpus / "casus-bakkerij.txt").exists()
    table, picker, _, status = h.overview(ADMIN)
    assert "Casus bakkerij" in table and ">klaar<" in table and "praktijkvoorbeeld" in table
    assert steps[-1][1:] == (None, "", "", "", "")  # the form is ready for the next one
    assert picker["choices"] == [("Casus bakkerij", "casus-bakkerij")] and status == ""


def test_upload_errors_are_shown_in_dutch(h, tmp_path):
    steps = list(h.upload(None, *FORM, request=ADMIN, progress=no_progress))
    assert "Kies eerst een bestand" in steps[0][0]
    bad = ("Titel", "brochure", "", "", "nl", "")
    steps = list(h.upload(gradio_copy(tmp_path), *bad, request=ADMIN, progress=no_progress))
    assert "Let op" in steps[0][0] and "type" in steps[0][0]


def test_edit_then_delete_with_confirmation(h, services, tmp_path, corpus):
    add(h, tmp_path)
    title, doc_type, publisher, date, url, confirm = h.pick("casus-bakkerij", ADMIN)
    assert (title, doc_type, publisher, date, url) == (
        "Casus bakkerij",
        "casus",
        "SER",
        "2024-03",
        "",
    )
    message = h.save("casus-bakkerij", "Bakkerij plant zelf", "casus", "SER", "2024", "", ADMIN)
    assert message == "'Bakkerij plant zelf' is bijgewerkt."
    answer = services.ask("Hoe ging de bakkerij om met de ovenplanning?")
    assert answer.citations[0].title == "Bakkerij plant zelf"
    box, question, _ = h.ask_delete("casus-bakkerij", ADMIN)
    assert box["visible"] is True and "Bakkerij plant zelf" in question
    assert (corpus / "casus-bakkerij.txt").exists()  # asking is not deleting
    box, message, _ = h.delete("casus-bakkerij", ADMIN)
    assert message == "'Bakkerij plant zelf' is verwijderd." and box["visible"] is False
    assert not (corpus / "casus-bakkerij.txt").exists()
    assert services.ask("Hoe ging de bakkerij om met de ovenplanning?").citations == []


def test_reindex_reports_what_changed(h, tmp_path):
    add(h, tmp_path)
    assert "1 ongewijzigd" in h.reindex(ADMIN)


def test_feedback_view_is_newest_first_and_candidates_download(h, services):
    services.feedback.add("Eerste vraag?", "a", [], "down", "oud")
    services.feedback.add("Goed?", "a", [], "up")
    services.feedback.add("Tweede vraag?", "b", [], "down", "")
    html = h.overview(ADMIN)[2]
    assert html.index("Tweede vraag?") < html.index("Eerste vraag?") and "Goed?" not in html
    assert "geen toelichting" in html
    path = Path(h.candidates(ADMIN))
    cases = [json.loads(line) for line in path.read_text().splitlines()]
    assert {c["question"] for c in cases} == {"Eerste vraag?", "Tweede vraag?"}


def test_the_page_holds_nothing_of_the_corpus_before_login(services, h, tmp_path):
    add(h, tmp_path)
    services.feedback.add("Geheime vraag?", "a", [], "down", "reden")
    config = json.dumps(build_ui(services).get_config_file(), default=repr)
    assert "Casus bakkerij" not in config and "Geheime vraag" not in config
