"""The Gradio UI: rendering, the thin handlers (with fake services) and mounting at /."""

from __future__ import annotations

import re
from pathlib import Path

import gradio as gr
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.ui import render
from assistant.ui.app import ChatHandlers, build_ui
from tests.fakes import make_services

QUESTION = "Hoe raken medewerkers meer betrokken?"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def services(settings):
    return make_services(settings)


@pytest.fixture
def handlers(services) -> ChatHandlers:
    return ChatHandlers(services)


def ask(handlers: ChatHandlers, question: str, chat=None, answers=None, types=None) -> list:
    return list(handlers.submit(question, chat or [], answers or [], types or []))


def citation(**overrides) -> dict:
    base = {
        "n": 1,
        "doc_id": "advies-2022",
        "title": "Briefadvies",
        "type": "advies",
        "page": "2",
        "section": "Betrokkenheid",
        "text": "Medewerkers raken meer betrokken.",
        "chunk_id": "c1",
    }
    return {**base, **overrides}


# ----------------------------------------------------------------------------- render
def test_mode_note_says_where_answers_come_from():
    assert "letterlijk geciteerde" in render.mode_note("extractief")
    assert "taalmodel schrijft" in render.mode_note("generatief")


def test_sources_markdown_names_title_type_page_and_section():
    text = render.sources_markdown(
        [
            citation(),
            citation(n=2, doc_id="casus-1", title="Casus", type="casus", section=""),
            citation(n=3, page="4"),
        ]
    )
    advies, casus = text.split("\n\n")
    assert advies.startswith("Briefadvies · _advies_")  # the document once ...
    assert "- **[1]** pagina 2 · Betrokkenheid" in advies  # ... then its passages
    assert "- **[3]** pagina 4 · Betrokkenheid" in advies
    assert casus == "Casus · _praktijkvoorbeeld_\n- **[2]** pagina 2"
    assert "geen bronnen" in render.sources_markdown([])


def test_page_html_highlights_only_the_cited_passage_in_its_page():
    page = {
        "passages": [
            {"chunk_id": "c0", "text": "Ervoor <b>staat</b> dit."},
            {"chunk_id": "c1", "text": "Medewerkers raken meer betrokken."},
            {"chunk_id": "c2", "text": "Erna staat dat."},
        ]
    }
    html = render.page_html(page, citation())
    assert re.findall(r"<mark>(.*?)</mark>", html) == ["Medewerkers raken meer betrokken."]
    assert "Ervoor &lt;b&gt;staat&lt;/b&gt; dit." in html  # passage text is escaped
    assert "Erna staat dat." in html
    assert "/api/documents/advies-2022/file#page=2" in html


def test_page_html_shows_only_the_neighbours_of_the_cited_passage():
    page = {"passages": [{"chunk_id": f"c{i}", "text": f"Passage {i}."} for i in range(6)]}
    html = render.page_html(page, citation(chunk_id="c3", text="Passage 3."))
    shown = re.findall(r"Passage (\d)\.", html)
    assert shown == ["2", "3", "4"]
    assert html.count("…") == 2
    assert re.findall(r"<mark>(.*?)</mark>", html) == ["Passage 3."]


def test_page_html_without_page_text_shows_the_passage_alone():
    html = render.page_html(None, citation(page="3-4"))
    assert re.findall(r"<mark>(.*?)</mark>", html) == ["Medewerkers raken meer betrokken."]
    assert "#page=3" in html


def test_documents_html_lists_the_corpus():
    html = render.documents_html(
        [
            {
                "doc_id": "a",
                "title": "Advies",
                "type": "advies",
                "publisher": "SER",
                "date": "2022",
                "pages": 12,
                "chunks": 37,
                "has_file": True,
            },
        ]
    )
    assert "<td>37</td>" in html and "/api/documents/a/file" in html
    assert "nog geen documenten" in render.documents_html([])


def test_citation_label_is_short():
    label = render.citation_label(citation(title="T" * 200))
    assert label.startswith("[1] ") and len(label) < 100


# ----------------------------------------------------------------------------- handlers
def test_submit_streams_then_shows_answer_and_sources(handlers):
    updates = ask(handlers, QUESTION)
    assert len(updates) > 2  # token updates before the final one
    chat, box, answers, sources, picker, passage, shown = updates[-1]
    assert chat[0] == {"role": "user", "content": QUESTION}
    assert chat[1]["role"] == "assistant" and "[1]" in chat[1]["content"]
    assert box == ""
    assert answers[0]["index"] == 1 and answers[0]["citations"][0]["chunk_id"] == "c1"
    assert sources.startswith("Briefadvies sociale innovatie") and "**[1]** pagina" in sources
    assert [value for _, value in picker["choices"]] == ["1", "2"]
    assert (passage, shown) == ("", 1)


def test_follow_up_sends_the_conversation_as_history(handlers, services):
    chat, _, answers, *_ = ask(handlers, QUESTION)[-1]
    ask(handlers, "En wat doen leidinggevenden?", chat, answers)
    _, turns, _ = services.answering.calls[-1]
    assert [t.role for t in turns] == ["user", "assistant"]
    assert turns[0].content == QUESTION


def test_type_filter_reaches_the_service(handlers, services):
    ask(handlers, QUESTION, types=["casus"])
    assert services.answering.calls[-1][2].types == ("casus",)


@pytest.mark.filterwarnings("ignore:De vraag is leeg")
def test_empty_question_warns_and_changes_nothing(handlers, services):
    [update] = ask(handlers, "   ")
    assert update[0] == [] and update[2] == []
    assert services.answering.calls == []


def test_generated_stream_is_replaced_by_the_checked_answer(handlers, services):
    final = services.answering.answer(QUESTION)

    def stream(*args, **kwargs):
        yield "Ruwe modeltekst met een ongecontroleerde bewering [7]."
        yield final

    services.answering.stream = stream
    updates = ask(handlers, QUESTION)
    assert "[7]" in updates[0][0][-1]["content"]  # shown while streaming
    assert updates[-1][0][-1]["content"] == final.text  # replaced by the checked text


def test_internal_error_shows_a_code_not_the_details(handlers, services, caplog):
    def stream(*args, **kwargs):
        raise RuntimeError("geheim detail")
        yield  # pragma: no cover

    services.answering.stream = stream
    chat = ask(handlers, QUESTION)[-1][0]
    code = re.search(r"Foutcode: ([0-9a-f]{12})", chat[-1]["content"]).group(1)
    assert "geheim detail" not in chat[-1]["content"]
    assert f"id={code}" in caplog.text


def test_show_source_highlights_the_passage_in_its_page(handlers):
    _, _, answers, _, _, _, shown = ask(handlers, QUESTION)[-1]
    html = handlers.show_source("1", answers, shown)
    assert "<mark>Medewerkers raken meer betrokken" in html
    assert "Leidinggevenden geven ruimte" in html  # the rest of page 2, not highlighted
    assert handlers.show_source(None, answers, shown) == ""


def test_thumbs_down_with_reason_is_stored(handlers, services):
    _, _, answers, *_ = ask(handlers, QUESTION)[-1]
    event = gr.LikeData(None, {"index": 1, "value": ["..."], "liked": False})
    feedback_id, reason_row, thanks = handlers.like(answers, event)
    assert reason_row["visible"] is True and "Bedankt" in thanks
    [stored] = services.feedback.list()
    assert (stored["id"], stored["rating"], stored["source"]) == (feedback_id, "down", "ui")
    assert stored["question"] == QUESTION
    assert stored["citations"][0]["chunk_id"] == "c1"
    box, row, thanks = handlers.send_reason("Te algemeen antwoord", feedback_id)
    assert services.feedback.list()[0]["reason"] == "Te algemeen antwoord"
    assert row["visible"] is False and "opgeslagen" in thanks


def test_thumbs_up_and_undo(handlers, services):
    _, _, answers, *_ = ask(handlers, QUESTION)[-1]
    handlers.like(answers, gr.LikeData(None, {"index": 1, "value": [], "liked": True}))
    handlers.like(answers, gr.LikeData(None, {"index": 1, "value": [], "liked": ""}))
    assert [f["rating"] for f in services.feedback.list()] == ["up"]


def test_new_conversation_clears_everything(handlers):
    chat, box, answers, sources, picker, passage, shown, row, thanks = handlers.new_conversation()
    assert (chat, box, answers, passage, shown, thanks) == ([], "", [], "", None, "")
    assert picker["visible"] is False and row["visible"] is False


def test_selecting_an_earlier_answer_shows_its_sources(handlers):
    chat, _, answers, *_ = ask(handlers, QUESTION)[-1]
    chat, _, answers, *_ = ask(
        handlers, "Wat deed het metaalbedrijf met de planning?", chat, answers
    )[-1]
    sources, _, _, shown = handlers.select_message(
        answers, gr.SelectData(None, {"index": 1, "value": "..."})
    )
    assert shown == 1 and "Betrokkenheid" in sources


def test_documents_tab(handlers):
    html = handlers.documents()
    assert "Briefadvies sociale innovatie" in html and "Casus metaalbedrijf" in html


# ----------------------------------------------------------------------------- mounting
def test_ui_is_served_at_root_next_to_the_api(services):
    client = TestClient(create_app(services))
    page = client.get("/")
    assert page.status_code == 200
    assert "Sociale Innovatie Assistent" in page.text
    assert client.get("/healthz").json()["status"] == "ok"  # API routes still win


def test_build_ui_offers_examples_filter_and_new_conversation(services):
    ui = build_ui(services)
    config = str(ui.get_config_file())
    for text in ("Nieuw gesprek", "Voorbeeldvragen", "Documenten", "letterlijk geciteerde"):
        assert text in config


@pytest.mark.parametrize(
    "triggers",
    [
        {("send", "click"), ("question", "submit")},
        {("reason-send", "click"), ("reason", "submit")},
        {("brief-maken", "click"), ("brief-thema", "submit"), ("brief-omvang", "submit")},
    ],
)
def test_enter_and_the_button_are_one_event_so_nothing_is_sent_twice(services, triggers):
    config = build_ui(services).get_config_file()
    names = {c["id"]: c["props"].get("elem_id") for c in config["components"]}
    events = [
        d
        for d in config["dependencies"]
        if triggers <= {(names.get(i), e) for i, e in d["targets"]}
    ]
    assert len(events) == 1 and events[0]["trigger_mode"] == "once"


def test_gradio_is_imported_only_in_the_ui_package():
    offenders = [
        path
        for path in (REPO / "assistant").rglob("*.py")
        if re.search(r"^\s*(import gradio|from gradio)", path.read_text(), re.M)
        and "ui" not in path.relative_to(REPO / "assistant").parts[:1]
    ]
    assert offenders == []
