"""Beheer in a real browser: log in, upload a .docx case, see it cited, rename it, delete it."""

from __future__ import annotations

import io
import shutil

import docx
import pytest

from assistant.api import create_app
from assistant.container import Container
from assistant.core.settings import Settings
from assistant.services import Services
from tests.conftest import CORPUS_DIR
from tests.e2e.conftest import ARTIFACTS, E2E_MARKS
from tests.live_server import serve_in_thread

pytestmark = E2E_MARKS

TOKEN = "e2e-beheer-token"
TITLE = "Casus Twentewiel"
RENAMED = "Twentewiel: maatjes voor nieuwe monteurs"
QUESTION = "Hoe heeft fietsenfabriek Twentewiel de inwerkperiode van nieuwe monteurs verkort?"
SOURCES = "#sources"


def case_docx(path) -> None:
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for text in (
        "Fietsenfabriek Twentewiel in Hengelo verkortte de inwerkperiode van nieuwe monteurs "
        "van twaalf naar vijf weken.",
        "De monteurs maakten zelf een peterschapsprogramma waarin elke nieuwe monteur een vast "
        "maatje krijgt uit het eigen team.",
        "Sindsdien blijven nieuwe monteurs langer en stellen zij eerder vragen over het werk.",
    ):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())


@pytest.fixture(scope="module")
def beheer(tmp_path_factory, real_settings, real_embedder):
    """The full app with Beheer on, over a copy of the real corpus and its index."""
    root = tmp_path_factory.mktemp("beheer-e2e")
    shutil.copytree(CORPUS_DIR, root / "corpus")
    shutil.copytree(
        real_settings.data_dir,
        root / "data",
        ignore=lambda d, names: [n for n in names if n.endswith(".lock")],
    )
    settings = Settings(
        _env_file=None, data_dir=root / "data", corpus_dir=root / "corpus", admin_token=TOKEN
    )
    services = Services(Container(settings, embedder=real_embedder, chat_model=None))
    with serve_in_thread(create_app(services)) as url:
        yield url, services, root


@pytest.fixture
def page(browser, beheer):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(beheer[0] + "/", wait_until="load")
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"e2e-beheer-{name}.png"), full_page=True)


def box(elem_id: str) -> str:
    """A one-line textbox's field (gradio renders it as a textarea)."""
    return f"#{elem_id} textarea"


def open_beheer(page, logged_in: bool = False) -> None:
    page.get_by_role("tab", name="Beheer").click()
    page.wait_for_selector("#beheer-panel" if logged_in else "#admin-token input", state="visible")


def login(page, token: str = TOKEN) -> None:
    open_beheer(page)
    page.fill("#admin-token input", token)
    page.click("#admin-login")


def ask(page, question: str = QUESTION) -> str:
    page.get_by_role("tab", name="Vragen").click()
    empty = "document.querySelector('#sources').innerText.includes('verschijnen')"
    # Start a new conversation only when there is one: its reply also empties the question
    # box, and a reset still on its way could clear the question typed below. When the
    # panel shows no sources yet there is nothing to reset, and nothing to wait for.
    if not page.evaluate(empty):
        page.click("#new-chat")
        page.wait_for_function(empty)
    page.fill("#question textarea", question)
    page.click("#send")
    page.wait_for_function(  # the finished answer's sources (or that it has none)
        "!document.querySelector('#sources').innerText.includes('verschijnen')"
    )
    return page.inner_text(SOURCES)


def pick(page, title: str) -> None:
    page.click("#edit-doc input")
    page.get_by_role("option", name=title).click()
    page.wait_for_function(f"document.querySelector('#edit-title textarea').value === {title!r}")


def test_without_the_token_the_tab_shows_nothing(page):
    open_beheer(page)
    assert not page.locator("#beheer-panel").is_visible()
    assert page.locator("#beheer-docs table").count() == 0
    login(page, "verkeerd-token")
    page.wait_for_function(
        "document.querySelector('#admin-login-msg').innerText.includes('klopt niet')"
    )
    assert not page.locator("#beheer-panel").is_visible()
    assert page.locator("#beheer-docs table").count() == 0
    shot(page, "no-token")


def test_upload_ask_rename_delete(page, beheer, tmp_path):
    _, services, root = beheer
    login(page)
    page.wait_for_selector("#beheer-docs table")
    assert "Briefadvies sociale innovatie" in page.inner_text("#beheer-docs")

    path = tmp_path / "twentewiel.docx"
    case_docx(path)
    page.set_input_files("#upload-file input[type=file]", str(path))
    page.wait_for_function(  # the name shows when gradio has the file
        "document.querySelector('#upload-file').innerText.includes('twentewiel')"
    )
    page.fill(box("upload-title"), TITLE)
    page.fill(box("upload-publisher"), "SER Overijssel")
    page.fill(box("upload-date"), "2024-05")
    page.click("#upload-send")
    page.wait_for_function(
        "document.querySelector('#upload-msg').innerText.includes('is klaar')", timeout=300_000
    )
    page.wait_for_selector("#beheer-docs tr[data-doc='casus-twentewiel'][data-status='klaar']")
    row = page.inner_text("#beheer-docs tr[data-doc='casus-twentewiel']")
    assert "praktijkvoorbeeld" in row and "2024-05" in row and "klaar" in row
    shot(page, "uploaded")

    sources = ask(page)
    assert TITLE in sources and "praktijkvoorbeeld" in sources  # type casus, in the UI's words
    assert services.library.document("casus-twentewiel")["type"] == "casus"
    shot(page, "cited")

    open_beheer(page, logged_in=True)
    pick(page, TITLE)
    page.fill(box("edit-title"), RENAMED)
    page.click("#edit-save")
    page.wait_for_function(
        "document.querySelector('#edit-msg').innerText.includes('is bijgewerkt')"
    )
    sources = ask(page)
    assert RENAMED in sources and TITLE + "," not in sources
    shot(page, "renamed")

    open_beheer(page, logged_in=True)
    pick(page, RENAMED)
    page.click("#delete-doc")
    page.wait_for_selector("#delete-question :text('Weet u het zeker?')")
    shot(page, "confirm-delete")
    page.click("#delete-yes")
    page.wait_for_function("document.querySelector('#edit-msg').innerText.includes('verwijderd')")
    page.wait_for_function(
        "!document.querySelector(\"#beheer-docs tr[data-doc='casus-twentewiel']\")"
    )
    assert not (root / "corpus" / "casus-twentewiel.docx").exists()
    sources = ask(page)
    assert "Twentewiel" not in sources
    shot(page, "deleted")


def test_feedback_view_and_candidate_download(page, beheer):
    _, services, _ = beheer
    services.feedback.add("Wat kost een peterschap?", "Daarover staat niets.", [], "down", "mist")
    login(page)
    page.wait_for_selector("#beheer-docs table")
    page.get_by_text("Feedback: duim omlaag").click()
    page.wait_for_selector("#beheer-feedback :text('Wat kost een peterschap?')")
    page.click("#export")
    page.wait_for_function(
        "document.querySelector('#candidates').innerText.includes('kandidaatvragen')"
    )
    shot(page, "feedback")
