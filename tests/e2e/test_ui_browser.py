"""A real browser (system chromium, headless, via Playwright) uses the served UI end to end."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS, E2E_MARKS

pytestmark = E2E_MARKS

QUESTION = "Hoe krijg ik mijn medewerkers meer betrokken?"
REASON = "Het antwoord is te algemeen voor mijn bedrijf"
DISLIKE = '#chat button[aria-label="Vind ik niet leuk"], #chat button[aria-label="Dislike"]'
USER = '#chat [data-testid="user"]'
BOT = '#chat [data-testid="bot"]'


@pytest.fixture
def page(browser, live_app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(live_app_url + "/", wait_until="load")
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def normalise(text: str) -> str:
    return " ".join(text.split())


def test_ask_read_source_and_give_feedback(page, e2e_services):
    assert "letterlijk geciteerde" in page.inner_text("#mode-note")

    page.fill("#question textarea", QUESTION)
    page.click("#send")
    page.wait_for_selector("#sources strong")  # the sources panel of the finished answer
    bot = page.locator('#chat [data-testid="bot"]').last
    assert re.search(r"\[1\]", bot.inner_text())

    sources = page.inner_text("#sources")
    assert "[1]" in sources and "pagina" in sources

    page.locator("#source-picker label").first.click()
    mark = page.wait_for_selector("#passage mark")
    live = {normalise(c.text) for c in e2e_services.retriever.chunks}
    assert normalise(mark.inner_text()) in live  # the cited passage, highlighted
    assert "Open het originele document" in page.inner_text("#passage")

    page.locator(DISLIKE).last.click()
    page.wait_for_selector("#reason textarea", state="visible")
    page.fill("#reason textarea", REASON)
    page.click("#reason-send")
    page.wait_for_function(
        "document.querySelector('#feedback-thanks').innerText.includes('opgeslagen')"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-ui.png"), full_page=True)

    stored = [f for f in e2e_services.feedback.list(rating="down") if f["question"] == QUESTION]
    assert stored and stored[-1]["reason"] == REASON and stored[-1]["source"] == "ui"
    assert stored[-1]["citations"][0]["chunk_id"]


def test_new_conversation_and_documents_tab(page):
    page.fill("#question textarea", "Wat is sociale innovatie?")
    page.click("#send")
    page.wait_for_selector("#sources strong")
    page.click("#new-chat")
    page.wait_for_function("!document.querySelector('#sources strong')")
    assert page.locator('#chat [data-testid="bot"]').count() == 0

    page.get_by_role("tab", name="Documenten").click()
    table = page.wait_for_selector("#documents table")
    assert "Briefadvies sociale innovatie" in table.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-documents.png"), full_page=True)


def test_enter_sends_the_question_and_shift_enter_adds_a_line(page, e2e_services):
    box = page.locator("#question textarea")
    box.click()
    page.keyboard.type("Wat is sociale innovatie?")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("En wat levert het mijn bedrijf op?")
    assert box.input_value() == "Wat is sociale innovatie?\nEn wat levert het mijn bedrijf op?"
    assert page.locator(USER).count() == 0  # Shift+Enter only made a new line

    page.keyboard.press("Enter")
    page.wait_for_selector("#sources strong")  # the sources panel of the finished answer
    assert page.locator(USER).count() == 1 and page.locator(BOT).count() == 1
    assert "En wat levert het mijn bedrijf op?" in page.locator(USER).inner_text()
    assert re.search(r"\[1\]", page.locator(BOT).inner_text())
    assert box.input_value() == ""  # cleared, as after the button
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-enter.png"), full_page=True)

    # the reason box for a thumbs down also sends on Enter
    page.locator(DISLIKE).last.click()
    reason = page.locator("#reason textarea")
    reason.click()
    page.keyboard.type("Te algemeen")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('#feedback-thanks').innerText.includes('opgeslagen')"
    )
    stored = e2e_services.feedback.list(rating="down")[-1]
    assert stored["reason"] == "Te algemeen" and "En wat levert" in stored["question"]


def test_brief_with_only_a_theme(page):
    page.get_by_role("tab", name="Sessie voorbereiden").click()
    size = page.locator("#brief-omvang input, #brief-omvang textarea")
    assert size.input_value() == ""  # optional and left alone: empty, not 0
    page.fill("#brief-thema input, #brief-thema textarea", "slimmer werken")
    page.click("#brief-maken")
    page.wait_for_selector("#brief-preview h1")
    preview = page.inner_text("#brief-preview")
    assert "Sessie: Slimmer werken" in preview and "[1]" in preview
    assert "⚠️" not in preview
    assert page.locator("#brief-md").is_visible() and page.locator("#brief-docx").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-brief.png"), full_page=True)
