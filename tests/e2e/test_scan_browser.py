"""The Zelfscan tab in a real browser (system chromium, headless): fill in, read, ask, download."""

from __future__ import annotations

import re

import docx

from tests.e2e.conftest import ARTIFACTS, E2E_MARKS
from tests.e2e.test_ui_browser import normalise

pytestmark = E2E_MARKS

MARKER = re.compile(r"\[(\d+)\]")
# helemaal oneens .. helemaal eens = 1..5, per lever (statement id prefix)
PROFILE = {"dm": 2, "fo": 3, "sw": 4, "cc": 1}
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}


def open_scan(browser, url: str, viewport: dict, **options):
    """A page on the Zelfscan tab (the context is closed with the page's context)."""
    context = browser.new_context(viewport=viewport, locale="nl-NL", **options)
    page = context.new_page()
    page.set_default_timeout(240_000)  # the first scan embeds its queries (slow on shared CPUs)
    page.goto(url + "/", wait_until="load")
    page.wait_for_selector("#question textarea")
    page.get_by_role("tab", name="Zelfscan").click()
    page.wait_for_selector("#scan-dm1")
    return page


def fill_in(page, statement_ids: list[str]) -> None:
    """Answer every statement by clicking its label, as a user would."""
    for sid in statement_ids:
        page.locator(f"#scan-{sid} label").nth(PROFILE[sid[:2]] - 1).click()


def wait_for_progress(page, text: str) -> None:
    page.wait_for_function(f"document.querySelector('#scan-progress').innerText.includes('{text}')")


def test_fill_in_read_the_result_ask_a_question_and_download_word(
    browser, live_app_url, e2e_services, tmp_path
):
    page = open_scan(browser, live_app_url, DESKTOP, accept_downloads=True)
    statement_ids = [
        el.get_attribute("id").removeprefix("scan-")
        for el in page.locator(".scan-statement").element_handles()
    ]
    assert len(statement_ids) == 16
    fill_in(page, statement_ids[:-1])
    wait_for_progress(page, "15 van 16")
    assert page.locator("#scan-submit").is_disabled()  # an incomplete scan cannot be sent
    fill_in(page, statement_ids[-1:])
    page.wait_for_function(
        "document.querySelector('#scan-progress').innerText.includes('16 van 16')"
    )
    page.fill("#scan-sector textarea, #scan-sector input", "metaal")
    page.locator("#scan-share input[type=checkbox]").check()
    page.locator("#scan-submit").click()

    page.wait_for_selector("#scan-chart img")
    page.wait_for_selector("#scan-q1:visible")
    result = page.inner_text("#scan-result")
    assert "Waar begin ik?" in result and "Begin bij dynamisch managen" in result
    assert "Dynamisch managen: begin bij de directeur/grootaandeelhouder" in result
    assert "Co-creatie: 0 van 100" in result and MARKER.search(result)
    live = " ".join(normalise(c.text) for c in e2e_services.retriever.chunks)
    assert "Co-creatie: verschillende bedrijven en onderwijsinstellingen" in live
    assert "anoniem gedeeld" in page.inner_text("#scan-shared")
    [stored] = e2e_services.feedback.list_scans()
    assert stored["start_lever"] == "dynamisch-managen" and "metaal" not in str(stored)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-scan-desktop.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#scan-docx").click()
    path = tmp_path / "scan.docx"
    download.value.save_as(str(path))
    document = docx.Document(str(path))
    assert len(document.inline_shapes) == 1  # the chart
    text = "\n".join(p.text for p in document.paragraphs)
    body, sources = text.split("\nBronnen\n")
    cited = {int(n) for n in MARKER.findall(body)}
    listed = {int(n) for n in re.findall(r"^\[(\d+)\] .+, pagina \d", sources, re.MULTILINE)}
    assert cited and cited == listed

    question = page.inner_text("#scan-q1").strip()
    assert question == "Hoe begin ik met dynamisch managen in mijn bedrijf?"
    page.locator("#scan-q1").click()
    page.wait_for_selector("#sources strong")  # the Vragen tab, with the answer's sources
    assert page.locator("#question textarea").is_visible()
    user = page.locator('#chat [data-testid="user"]').last.inner_text()
    assert normalise(user) == question
    assert MARKER.search(page.locator('#chat [data-testid="bot"]').last.inner_text())
    assert "[1]" in page.inner_text("#sources")
    page.screenshot(path=str(ARTIFACTS / "e2e-scan-question.png"), full_page=True)
    page.context.close()


def test_the_chart_and_result_fit_a_phone(browser, live_app_url):
    page = open_scan(browser, live_app_url, PHONE, is_mobile=True, has_touch=True)
    statement_ids = [
        el.get_attribute("id").removeprefix("scan-")
        for el in page.locator(".scan-statement").element_handles()
    ]
    fill_in(page, statement_ids)
    wait_for_progress(page, "16 van 16")
    page.locator("#scan-submit").click()
    chart = page.wait_for_selector("#scan-chart img")
    page.wait_for_function("document.querySelector('#scan-chart img').naturalWidth > 0")
    box = chart.bounding_box()
    natural = page.evaluate("document.querySelector('#scan-chart img').naturalWidth")
    assert 300 <= box["width"] <= PHONE["width"]  # as wide as the screen allows ...
    assert natural >= 2 * box["width"]  # ... and sharp (labels ~16 pt at 150 dpi)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"] + 1  # no sideways scrolling
    chart.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-scan-phone.png"), full_page=True)
    chart.screenshot(path=str(ARTIFACTS / "e2e-scan-phone-chart.png"))
    page.context.close()
